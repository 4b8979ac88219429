"""The fact catalogue: everything a notice says, as typed facts that each rest on a verbatim quote.

One YAML file per notice (or per sub-document) in `knowledge/catalogue/`, plus `catalogue/` inside
`extra_corpus_dir` for extra notices. Loading fails, naming the fact, when a quote is not verbatim,
a printed value does not parse to the typed value, or a name is not in `knowledge/data/vocab.yaml`:
a fact can never drift from its sentence, and every notice is described with the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from knowledge.corpus import get_notice, load_yaml, notices
from knowledge.numbers import parse_amount_wan, parse_count, parse_percent
from knowledge.settings import get_settings
from knowledge.tokenize import DATA_DIR, normalize_text

CATALOGUE_DIR = Path(__file__).parent / "catalogue"


class CatalogueError(ValueError):
    """A catalogue file is inconsistent with its notice or the vocabulary; the message names the fact."""


class Kind(StrEnum):
    """What kind of thing a fact states; each kind has its own required fields (see `Fact`)."""

    DEADLINE = "deadline"  # a date by which someone must act
    WINDOW = "window"  # a period during which something is open (start … end)
    DATE = "date"  # any other date or dated phase: issue date, opening, review month, execution years
    THRESHOLD = "threshold"  # a minimum (or maximum) the applicant or the project must meet
    CAP = "cap"  # a ceiling on funding or support
    RATE = "rate"  # a percentage of a base, optionally capped (the grant is 25 % of R&D, at most 50万)
    SCHEDULE = "schedule"  # payment in instalments (50 % / 30 % / 20 %)
    QUOTA = "quota"  # a count limit: items per county, per enterprise, per city
    PERIOD = "period"  # a duration: implementation period, execution period
    CONTACT = "contact"  # an office, person, phone or e-mail to ask
    CHANNEL = "channel"  # where and how to submit
    COPIES = "copies"  # how many copies, in which format
    PROCEDURE = "procedure"  # a step of the process
    REQUIREMENT = "requirement"  # a normative rule without a figure to compute (须, 应, 不得, 原则上)
    WHO = "who"  # who may submit or solve
    DEFINITION = "definition"  # what a term means
    LIST = "list"  # an enumeration: directions, fields, support types
    FORM_ITEM = "form_item"  # a printed item of a form, its limit or options
    AMBIGUITY = "ambiguity"  # where the notice is unclear or contradicts itself


DATED = {Kind.DEADLINE, Kind.WINDOW}
Op = Literal["ge", "gt", "le", "lt", "eq", "about"]
OP_WORDS: dict[str, str] = {
    "ge": "不少于",
    "gt": "超过",
    "le": "不超过",
    "lt": "低于",
    "eq": "为",
    "about": "约",
}
HEDGES = ("原则上", "一般", "一般不", "原则", "主要征集", "主要面向")


class Part(BaseModel):
    """One instalment of a schedule: when it is paid and its share."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    label: str
    percent: float


class Fact(BaseModel):
    """One statement of a notice. `quote` is verbatim; every typed value is checked against it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="unique; `<notice>.<local id>` once loaded")
    notice: str = ""
    doc: str | None = Field(None, description="sub-document id (a notice printed inside another)")
    kind: Kind
    label: str = Field(description="what the fact is about, as a short phrase without figures")
    quote: str = Field(description="verbatim text of the notice that states the fact")
    also: list[str] = Field(default_factory=list, description="more verbatim quotes shown with it")
    questions: list[str] = Field(default_factory=list, description="natural questions it answers")
    applies_to: dict[str, list[str]] = Field(
        default_factory=dict, description="class dimension → values (vocab `classes`) it applies to"
    )
    topics: list[str] = Field(default_factory=list, description="vocab `topics` it is about")
    # dates
    actor: str | None = Field(None, description="deadlines: who must act (vocab `classes.actor`)")
    date: dt.date | None = None
    start: dt.date | None = None
    bound: Literal["before", "through", "on"] | None = None
    time: str | None = Field(None, description="time of day as printed, e.g. 17:30")
    when: str | None = Field(None, description="a period as printed (8月下旬, 2024-2026年), in the quote")
    year_inferred: bool = Field(False, description="the printed date has no year; the notice's is used")
    # figures
    metric: str | None = None
    op: Op | None = None
    value: float | None = None
    unit: str | None = None
    printed: str | None = Field(None, description="the value exactly as printed in the quote")
    than: str | None = Field(
        None,
        description="threshold: compared with another of the user's figures, not a value (自筹不低于补助)",
    )
    base: str | None = Field(None, description="rate: the metric the percentage is taken of")
    over_years: float | None = Field(
        None, description="threshold: the value is a total over this many years (执行期（2年）新增税收)"
    )
    cap: float | None = Field(None, description="rate: the ceiling of the result, in 万元")
    cap_printed: str | None = None
    parts: list[Part] = Field(default_factory=list)
    table: dict[str, float] = Field(default_factory=dict, description="quota per named key (杭州: 15)")
    per: str | None = Field(None, description="quota: what the count is per (县（市、区）, 企业, 年)")
    # contacts and channels
    office: str | None = None
    person: str | None = None
    phones: list[str] = Field(default_factory=list)
    email: str | None = None
    url: str | None = None
    address: str | None = Field(None, description="contact: a street address as printed")
    hours: str | None = Field(None, description="contact: office or answering hours as printed")
    general: bool = Field(False, description="the office to name when this notice is silent")
    # lists and forms
    items: list[str] = Field(default_factory=list, description="list members, each verbatim in the quote")
    form: str | None = None
    limit: int | None = None
    # reasoning
    bars: list[str] = Field(
        default_factory=list, description="what a user says when this rule is not met (还没结题)"
    )
    same_as: list[str] = Field(default_factory=list, description="facts stating the same rule elsewhere")
    adds_to: list[str] = Field(
        default_factory=list,
        description="quota: counts outside these quotas (单列名额，不纳入限额), added to them for a total",
    )
    exceptions: list[str] = Field(
        default_factory=list,
        description="rules that replace this one for the classes they name (农业类企业 60% for 企业牵头 80%)",
    )
    note: str | None = Field(None, description="ambiguity or reading note; figures only from the quotes")

    @model_validator(mode="after")
    def _required_by_kind(self) -> Fact:
        need: dict[Kind, tuple[str, ...]] = {
            Kind.DEADLINE: ("date", "bound", "actor"),
            Kind.WINDOW: ("start", "date"),
            Kind.THRESHOLD: ("metric", "op", "value", "unit", "printed"),
            Kind.CAP: ("metric", "op", "value", "unit", "printed"),
            Kind.RATE: ("value", "printed", "base"),
            Kind.SCHEDULE: ("parts",),
            Kind.LIST: ("items",),
            Kind.AMBIGUITY: ("note",),
        }
        needed = need.get(self.kind, ())
        if self.kind == Kind.THRESHOLD and self.than is not None:
            needed = ("metric", "op", "printed")  # 不低于省级财政补助经费: no value of its own
        missing = [name for name in needed if getattr(self, name) in (None, [], {})]
        if self.kind == Kind.DATE and self.date is None and self.when is None:
            missing.append("date or when")
        if self.kind == Kind.QUOTA and self.value is None and not self.table:
            missing.append("value or table")
        if self.kind == Kind.CONTACT and not (self.office or self.person or self.phones or self.email):
            missing.append("office, person, phones or email")
        if missing:
            raise ValueError(f"a {self.kind.value} fact needs {', '.join(missing)}")
        if self.cap is not None and self.cap_printed is None:
            raise ValueError("cap needs cap_printed (the ceiling as printed)")
        if any(ch.isdigit() for ch in self.label):
            raise ValueError("label must carry no figures (they come from the quote)")
        return self

    # -- derived ----------------------------------------------------------------------------------
    @property
    def local_id(self) -> str:
        return self.id.split(".", 1)[1] if "." in self.id else self.id

    @property
    def quotes(self) -> list[str]:
        return [self.quote, *self.also]

    @property
    def hedge(self) -> str | None:
        """原则上 / 一般: the rule admits exceptions, which a verdict must say."""
        return next((h for h in HEDGES if h in self.quote), None)

    def span(self, quote: str | None = None) -> tuple[int, int]:
        """Offsets of a quote (default: the main one) in the notice text; first occurrence."""
        quote = quote or self.quote
        text = get_notice(self.notice).text
        pos = text.find(quote)
        return pos, pos + len(quote)


class Background(BaseModel):
    """A sentence that carries a marker (a figure, a date, a normative word) but no rule a user asks about."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    quote: str
    why: str


class CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    notice: str
    doc: str | None = None
    facts: list[dict[str, Any]] = Field(default_factory=list)
    background: list[Background] = Field(default_factory=list)


# Keys of a class dimension in vocab.yaml that are not values: `otherwise` (the value a negation selects)
# and `implied` (the value read from another dimension when a word is said: 企业…牵头 → 企业牵头).
CLASS_KEYWORDS = ("otherwise", "implied", "chosen")


class Vocabulary(BaseModel):
    """knowledge/data/vocab.yaml, the only names facts and questions may use."""

    metrics: dict[str, dict[str, Any]]
    classes: dict[str, dict[str, Any]]
    topics: dict[str, list[str]]
    asks: dict[str, dict[str, Any]] = Field(default_factory=dict)
    ask_priority: list[str] = Field(default_factory=list)
    contact_attributes: dict[str, list[str]] = Field(default_factory=dict)
    synonyms: dict[str, list[str]] = Field(default_factory=dict)
    decisive_topics: list[str] = Field(default_factory=list)
    actor_topics: list[str] = Field(default_factory=list)  # whom a rule binds other than the applicant
    quantities: dict[str, dict[str, Any]] = Field(default_factory=dict)
    facets: dict[str, dict[str, Any]] = Field(default_factory=dict)
    specifics: list[str] = Field(default_factory=list)

    def class_values(self, dimension: str) -> dict[str, list[str]]:
        return {k: v for k, v in self.classes.get(dimension, {}).items() if k not in CLASS_KEYWORDS}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = load_yaml((DATA_DIR / "vocab.yaml").read_text(encoding="utf-8"))
    return Vocabulary(**raw)


@lru_cache(maxsize=1)
def catalogue() -> tuple[tuple[Fact, ...], tuple[tuple[str, Background], ...]]:
    """Every fact and background mark of every notice loaded in this process, checked."""
    dirs = [CATALOGUE_DIR]
    extra = get_settings().extra_corpus_dir
    if extra is not None and (extra / "catalogue").is_dir():
        dirs.append(extra / "catalogue")
    known = {n.id for n in notices()}
    facts: list[Fact] = []
    marks: list[tuple[str, Background]] = []
    for d in dirs:
        for path in sorted(d.glob("*.yaml")):
            f, b = _load_file(path, known)
            facts += f
            marks += b
    _check_ids(facts)
    return tuple(facts), tuple(marks)


def _load_file(path: Path, known: set[str]) -> tuple[list[Fact], list[tuple[str, Background]]]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
        cf = CatalogueFile(**raw)
    except (yaml.YAMLError, ValidationError, TypeError) as exc:
        raise CatalogueError(f"{path.name}: {exc}") from exc
    if cf.notice not in known:
        raise CatalogueError(f"{path.name}: unknown notice {cf.notice!r}")
    text = get_notice(cf.notice).text
    facts = []
    for i, entry in enumerate(cf.facts):
        where = f"{path.name}: fact {entry.get('id', f'#{i + 1}')}"
        entry = {**entry, "notice": cf.notice}
        entry.setdefault("doc", cf.doc)
        entry["id"] = f"{cf.notice}.{entry.get('id', '')}"
        try:
            fact = Fact(**entry)
        except ValidationError as exc:
            raise CatalogueError(f"{where}: {exc}") from exc
        problems = check_fact(fact, text)
        if problems:
            raise CatalogueError(f"{where}: " + "; ".join(problems))
        facts.append(fact)
    marks = []
    for b in cf.background:
        if b.quote not in text:
            raise CatalogueError(f"{path.name}: background quote is not verbatim: {b.quote!r}")
        marks.append((cf.notice, b))
    return facts, marks


def check_fact(f: Fact, text: str) -> list[str]:
    """Everything that must hold between a fact, its notice text and the vocabulary."""
    problems: list[str] = []
    for q in f.quotes:
        if not q or q not in text:
            problems.append(f"quote not verbatim: {q!r}")
    joined = "\n".join(f.quotes)
    for name in ("when", "printed", "cap_printed", "email", "url", "office", "person"):
        value = getattr(f, name)
        if value is not None and value not in joined:
            problems.append(f"{name} {value!r} is not in its quotes")
    for p in f.phones:
        if p not in joined:
            problems.append(f"phone {p!r} is not in its quotes")
    for item in f.items:
        if item not in joined:
            problems.append(f"list item {item!r} is not in its quotes")
    for key in f.table:
        if key not in joined:
            problems.append(f"table key {key!r} is not in its quotes")
    problems += _check_value(f)
    vocab = vocabulary()
    for m in (f.metric, f.base, f.than):
        if m is not None and m not in vocab.metrics:
            problems.append(f"unknown metric {m!r} (see knowledge/data/vocab.yaml)")
    for dim, values in f.applies_to.items():
        allowed = vocab.class_values(dim)
        if not allowed:
            problems.append(f"unknown class dimension {dim!r}")
        problems += [f"unknown {dim} value {v!r}" for v in values if allowed and v not in allowed]
    if f.actor is not None and f.actor not in vocab.class_values("actor"):
        problems.append(f"unknown actor {f.actor!r}")
    problems += [f"unknown topic {t!r}" for t in f.topics if t not in vocab.topics]
    if f.note and not _figures_in(f.note) <= _figures_in(joined + " " + (f.when or "")):
        problems.append("note carries a figure that none of its quotes prints")
    return problems


def _figures_in(text: str) -> set[str]:
    return {n.lstrip("0") or "0" for n in re.findall(r"\d+(?:\.\d+)?", normalize_text(text))}


def _check_value(f: Fact) -> list[str]:
    """`printed` must parse to `value` in `unit`; a printed date must be the typed date."""
    out: list[str] = []
    if f.printed is not None and f.value is not None:
        parsed = _parse_printed(f.printed, f.unit)
        if parsed is None or abs(parsed - f.value) > 1e-6:
            out.append(f"printed {f.printed!r} does not read as {f.value:g} {f.unit or ''}".strip())
    if f.cap_printed is not None and f.cap is not None:
        parsed = parse_amount_wan(f.cap_printed)
        if parsed is None or abs(parsed - f.cap) > 1e-6:
            out.append(f"cap_printed {f.cap_printed!r} does not read as {f.cap:g} 万元")
    for d in (f.date, f.start):
        if d is not None and f.kind in (*DATED, Kind.DATE):
            shown = f"{d.month}月{d.day}日"
            if not any(shown in normalize_text(q) for q in f.quotes):
                out.append(f"date {d.isoformat()} is not printed as {shown} in its quotes")
            elif not f.year_inferred and not any(f"{d.year}年" in q for q in f.quotes):
                out.append(f"the year {d.year} is not printed; set year_inferred: true")
    return out


def _parse_printed(printed: str, unit: str | None) -> float | None:
    if unit == "%" or (unit is None and printed.rstrip().endswith("%")):
        return parse_percent(printed)
    if unit == "万元":
        return parse_amount_wan(printed)
    return parse_count(printed)


def _check_ids(facts: list[Fact]) -> None:
    ids = [f.id for f in facts]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogueError(f"duplicate fact ids: {dupes}")
    known = set(ids)
    for f in facts:
        for field_name in ("same_as", "exceptions", "adds_to"):
            for ref in getattr(f, field_name):
                if resolve_ref(f, ref, known) not in known:
                    raise CatalogueError(f"fact {f.id} names unknown {field_name} {ref!r}")


def resolve_ref(f: Fact, ref: str, known: set[str]) -> str:
    """A `same_as` reference: a local id of the same notice, or a full `<notice>.<id>`."""
    local = f"{f.notice}.{ref}"
    return local if local in known else ref


def all_facts() -> tuple[Fact, ...]:
    return catalogue()[0]


def facts_of(notice_id: str) -> list[Fact]:
    return list(_by_notice().get(notice_id, ()))


@lru_cache(maxsize=1)
def _by_notice() -> dict[str, tuple[Fact, ...]]:
    out: dict[str, list[Fact]] = {}
    for f in all_facts():
        out.setdefault(f.notice, []).append(f)
    return {k: tuple(v) for k, v in out.items()}


def get_fact(fact_id: str) -> Fact:
    for f in all_facts():
        if f.id == fact_id:
            return f
    raise KeyError(fact_id)


def same_facts(f: Fact) -> list[Fact]:
    """Facts that state the same rule elsewhere (both directions of `same_as`)."""
    by_id, links = _same_links()
    return [by_id[r] for r in sorted(links.get(f.id, ())) if r != f.id]


@lru_cache(maxsize=1)
def _same_links() -> tuple[dict[str, Fact], dict[str, set[str]]]:
    by_id = {x.id: x for x in all_facts()}
    known = set(by_id)
    links: dict[str, set[str]] = {}
    for x in all_facts():
        for r in x.same_as:
            target = resolve_ref(x, r, known)
            links.setdefault(x.id, set()).add(target)
            links.setdefault(target, set()).add(x.id)
    return by_id, links


def ambiguities_of(f: Fact) -> list[Fact]:
    """The notice's ambiguity facts whose passages overlap this fact's quotes: what the text leaves
    open about it (a collection window that ends after the mailbox deadline)."""
    spans = [f.span(q) for q in f.quotes]
    out = []
    for amb in facts_of(f.notice):
        if amb.kind != Kind.AMBIGUITY or not amb.note:
            continue
        if any(s < e2 and s2 < e for q in amb.quotes for s, e in [amb.span(q)] for s2, e2 in spans):
            out.append(amb)
    return out


def background_of(notice_id: str) -> list[Background]:
    return [b for nid, b in catalogue()[1] if nid == notice_id]
