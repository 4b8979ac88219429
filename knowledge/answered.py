"""Does what an answer would show answer what is asked?

Retrieval finds the rules *near* a question; it cannot tell whether they say the one thing asked. A part
that asks for a number of some kind (几家单位, 多少钱, 百分之几), a named point (钱拨给哪一方, 省外的单位)
or a specific item (劳务费, 职称) is answered only by a fact that states it. When none of the facts the
answer would show does, the notice is silent on that point: the answer says so and shows the nearest
rule as related, never as the answer. The words live in `vocab.yaml` (`quantities`, `facets`,
`specifics`); this module names no notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge.catalogue import Fact, vocabulary
from knowledge.fact_search import Scored, stated_topics
from knowledge.tokenize import normalize_text
from knowledge.understand import INDEFINITE, VAGUE_FEW

# A number as printed: digits, or Chinese numerals (两份, 三年, 一式两份); list numbering (1. （一）) is
# not a quantity and never counts.
NUMBER = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千半]+)"
NUMBERING = re.compile(
    r"(?:^|[\s：:；;。，,])(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)"
)
# A point of the calendar (2024年, 11月中下旬, 9月14日) is when, not how long: a duration asked (公示几天)
# is not stated by the month a step falls in.
CALENDAR = re.compile(
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:\d{1,2}月(?:\d{1,2}[日号])?)?"
    r"|(?<![个\d])\d{1,2}月(?:\d{1,2}[日号]|[上中下]{1,2}旬|底|初|份)?"
)
# 哪几类、哪几个方向: a list question, answered by listing, not by a number.
LIST_ASK = re.compile(r"哪几|哪些")


@dataclass(frozen=True)
class Unanswered:
    """A point the part asks that no shown fact states; `label` completes "通知没有写明…"."""

    key: str
    label: str


@lru_cache(maxsize=1)
def _tables() -> tuple[
    tuple[tuple[str, re.Pattern[str], re.Pattern[str], str], ...],
    tuple[tuple[str, re.Pattern[str], re.Pattern[str], str], ...],
    tuple[str, ...],
]:
    v = vocabulary()
    quantities = []
    for key, spec in v.quantities.items():
        asks = _alternation([normalize_text(w) for w in spec["asks"]])
        units = "|".join(re.escape(normalize_text(u)) for u in spec["units"])
        answer = re.compile(rf"{NUMBER}\s*(?:{units})")
        quantities.append((key, asks, answer, str(spec["label"])))
    facets = []
    for key, spec in v.facets.items():
        facets.append(
            (
                key,
                re.compile("|".join(spec["asks"])),
                re.compile("|".join(spec["answered_by"])),
                str(spec["label"]),
            )
        )
    specifics = tuple(normalize_text(w) for w in v.specifics)
    return tuple(quantities), tuple(facets), specifics


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _text(f: Fact) -> str:
    return _said(" ".join([f.quote, *f.also]))


@lru_cache(maxsize=4096)
def _said(quotes: str) -> str:
    """A fact's quotes as the checks read them, normalised once per process (every answer checks some)."""
    return normalize_text(quotes)


def _strip_numbering(text: str) -> str:
    return NUMBERING.sub(" ", text)


def _states(point: tuple[str, re.Pattern[str], re.Pattern[str], str], f: Fact, about: set[str]) -> bool:
    """`f` states the point; a facet (省外) only from a rule on what the part is about (the solver's
    location is not stated by the applicant's 省内注册)."""
    on_topic = not about or bool(about & (stated_topics()[f.id] | set(f.topics)))  # words' or curator's
    if not on_topic and (point[0] in vocabulary().facets or point[0] == "percent"):
        return False  # 验收完成多少比例算合格: the funding rate's 25% is a share of another thing
    text = _strip_numbering(_text(f))
    if point[0] == "time":
        if f.start is not None and f.date is not None:
            return True  # 8月26日-9月16日: its length is counted from its two ends
        text = CALENDAR.sub(" ", text)
    return bool(point[2].search(text))


def _asked(text: str) -> list[tuple[str, re.Pattern[str], re.Pattern[str], str]]:
    asked = VAGUE_FEW.sub("", INDEFINITE.sub("", normalize_text(text)))  # 几家会员企业有…: told, not asked
    quantities, facets, _ = _tables()
    points = [q for q in quantities if q[1].search(asked)] if not LIST_ASK.search(asked) else []
    return points + [f for f in facets if f[1].search(asked)]


def check(
    text: str, about: set[str], shown: list[Scored], candidates: list[Scored], notice: list[Fact]
) -> tuple[list[Scored], Unanswered | None]:
    """The facts to show for `text`, and the first point it asks that none of them states.

    A candidate that states a point the shown facts miss is moved to the front (a quantity asked is
    answered by the rule that has it); a specific item (劳务费) the whole notice never names is silent.
    """
    if not shown:
        return shown, None
    out = list(shown)
    for point in _asked(text):
        if any(_states(point, s.fact, about) for s in out):
            continue
        better = next((s for s in candidates if _states(point, s.fact, about)), None)
        if better is None:
            return out, Unanswered(point[0], point[3])
        out = [better, *[s for s in out if s is not better]]
    keyed = _unlisted_key(asked_places(text), out)
    if keyed is not None:
        return out, keyed
    return out, unnamed(text, notice)


def asked_places(text: str) -> list[str]:
    from knowledge.scope import places

    asked = normalize_text(text)
    return [p for p in places() if p in asked]


def _unlisted_key(named: list[str], shown: list[Scored]) -> Unanswered | None:
    """A place's number asked of a table (限项数 per city) that does not list the place: not given."""
    tables = [s.fact for s in shown if s.fact.table]
    if not tables or not named:
        return None
    keys = [normalize_text(k) for f in tables for k in f.table]
    if any(k in p or p in k for p in named for k in keys):
        return None
    return Unanswered("table", f"{named[0]}的{tables[0].label}")


def unnamed(text: str, notice: list[Fact]) -> Unanswered | None:
    """A specific item the question names (差旅费) that no fact of the notice names."""
    asked = normalize_text(text)
    for word in _tables()[2]:
        if word in asked and not any(word in _text(f) for f in notice):
            return Unanswered(word, f"关于{word}的规定")
    return None
