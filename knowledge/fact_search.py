"""Facts found by retrieval over their labels, quotes and questions.

Both sides pass through the same reading: jieba search tokens (traditional → simplified, full width →
half width) plus one canonical token per vocabulary term (营收 and 主营业务收入 both add `⟨m:revenue⟩`).
A fact's relevance to a part of a question is the IDF-weighted share of the part's tokens it contains,
adjusted by what the part asks (a deadline question prefers deadline facts), the metric it names, the
user's class (a 其他领域 firm never gets the 高新 threshold) and the sub-document it names. Below
`THRESHOLD` a fact does not answer the part: the answer says the notice does not state it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from knowledge.catalogue import Fact, Kind, all_facts, vocabulary
from knowledge.corpus import get_notice, notices, shipped_notice_ids
from knowledge.tokenize import normalize_text, synonyms, tokenize
from knowledge.understand import (
    Part,
    Query,
    bind_figures,
    find_terms,
    metric_terms,
    prints_own_number,
    topics_in,
)

# Calibrated on the tune set (eval/tune.jsonl): below it, a best fact answered the wrong question more
# often than the right one.
THRESHOLD = 0.30
DAY_SAID = re.compile(r"\d{1,2}月\d{1,2}日")
WHAT_DAY = re.compile(
    r"(?:是|算|又是)(?:个)?(?:什么|啥|哪个)(?:日子|时间|节点|日期|时候)|指(?:的是)?(?:什么|啥)"
)
NEAR_TOP = 0.2
SUBDOC_FACTOR = 0.9
GENERIC = frozenset(
    normalize_text(w)
    for w in (
        "揭榜挂帅",
        "揭榜",
        "挂帅",
        "通知",
        "这个",
        "那个",
        "我们",
        "公司",
        "企业",
        "项目",
        "需求",
        "技术",
        "科技",
        "请问",
        "一下",
        "规定",
        "政策",
        "文件",
        "啥",  # question and filler words: no fact prints them, so they only thin every match
        "这块",
        "那块",
        "有没有",  # a yes/no's own words: a fact's sample question asking 有没有X matches on X, not on them
    )
)
# 那营收这块…: a follow-up's leading 那/这 glued to its first word by the tokenizer
DEMONSTRATIVE_GLUED = re.compile(r"^[那这]([\u4e00-\u9fff]{2,})$")


@lru_cache(maxsize=8192)
def canonical_tokens(text: str) -> tuple[str, ...]:
    """Search tokens plus a canonical token for each metric and topic term the text uses."""
    norm = normalize_text(text)
    out = [t for t in tokenize(norm) if t not in GENERIC]
    out += [m.group(1) for t in list(out) if (m := DEMONSTRATIVE_GLUED.match(t)) and m.group(1) not in out]
    table = synonyms()
    out += [w for t in list(out) for w in table.get(t, ()) if w not in out]  # 谈好 → 洽谈 达成
    out += [f"⟨m:{name}⟩" for _, _, name in find_terms(norm, metric_terms())]
    out += [f"⟨t:{name}⟩" for name in topics_in(norm)]
    return tuple(out)


def fact_text(f: Fact) -> str:
    vocab = vocabulary()
    extra: list[str] = []
    for m in (f.metric, f.base):
        if m:
            extra.append(vocab.metrics[m]["label"])
    for t in f.topics:
        extra += vocab.topics.get(t, [])[:2]
    return " ".join([f.label, *f.quotes, *f.questions, *f.items, f.office or "", *extra])


@dataclass(frozen=True)
class FactIndex:
    """Facts with their tokens, grouped by notice. The shipped notices' facts and the extra notices'
    facts each have their own IDF, so extra notices never change a score about a shipped one."""

    facts: tuple[Fact, ...]
    tokens: tuple[frozenset[str], ...]
    label_tokens: tuple[frozenset[str], ...]
    by_notice: dict[str, tuple[int, ...]]
    idf: dict[bool, dict[str, float]]
    unseen: dict[bool, float]  # the weight of a token no fact has: the rarest possible

    def weight(self, token: str, shipped: bool) -> float:
        return self.idf[shipped].get(token, self.unseen[shipped])


def _idf(token_sets: list[frozenset[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for ts in token_sets:
        df.update(ts)
    n = max(len(token_sets), 1)
    return {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}


KNOWLEDGE_DIR = Path(__file__).parent
TOKEN_CACHE_VERSION = "1"


def _token_cache_path(facts: tuple[Fact, ...], data_dir: Path | None = None) -> Path:
    """Where this catalogue's fact tokens are kept: the name is a digest of every input of
    `canonical_tokens` (the facts' texts, the engine's code and data under knowledge/, jieba's and
    zhconv's versions), so a change to any of them reads as a miss, never as stale tokens."""
    from knowledge.settings import get_settings

    data_dir = data_dir or get_settings().data_dir
    h = hashlib.sha256(TOKEN_CACHE_VERSION.encode())
    for package in ("jieba", "zhconv"):
        h.update(f"{package}={version(package)}\n".encode())
    for path in sorted(KNOWLEDGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(KNOWLEDGE_DIR)).encode() + b"\0" + path.read_bytes())
    for f in facts:
        h.update("\0".join([f.notice, fact_text(f), f.label, *f.questions, f.quote]).encode())
    return data_dir / "cache" / f"fact-tokens-{h.hexdigest()[:24]}.json"


def _fact_tokens_fresh(facts: tuple[Fact, ...]) -> tuple[list[list[str]], list[list[str]]]:
    tokens = [
        sorted(
            set(canonical_tokens(fact_text(f)))
            | ({"⟨t:doc_number⟩"} if prints_own_number(f.quote) else set())
        )
        for f in facts
    ]
    labels = [sorted(set(canonical_tokens(f.label + " " + " ".join(f.questions)))) for f in facts]
    return tokens, labels


def _fact_tokens(
    facts: tuple[Fact, ...], data_dir: Path | None = None
) -> tuple[list[list[str]], list[list[str]]]:
    """Tokenising every fact is most of a cold start (about a second of jieba): done once per
    catalogue and kept under the data dir. A cache that cannot be read or written is only slower."""
    path = _token_cache_path(facts, data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if len(data["tokens"]) == len(data["labels"]) == len(facts):
            return data["tokens"], data["labels"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    tokens, labels = _fact_tokens_fresh(facts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"tokens": tokens, "labels": labels}, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        for old in path.parent.glob("fact-tokens-*.json"):
            if old != path:
                old.unlink(missing_ok=True)  # an earlier catalogue's tokens are never read again
    except OSError:
        pass
    return tokens, labels


def save_fact_tokens(data_dir: Path) -> None:
    """Write the fact-token cache while the index is built, so the first question is fast too."""
    _fact_tokens(all_facts(), data_dir)


@lru_cache(maxsize=1)
def fact_index() -> FactIndex:
    facts = all_facts()
    token_lists, label_lists = _fact_tokens(facts)
    tokens = tuple(frozenset(t) for t in token_lists)
    labels = tuple(frozenset(t) for t in label_lists)
    shipped = set(shipped_notice_ids())
    by_notice: dict[str, list[int]] = {}
    for i, f in enumerate(facts):
        by_notice.setdefault(f.notice, []).append(i)
    idf = {
        flag: _idf([t for f, t in zip(facts, tokens, strict=True) if (f.notice in shipped) == flag])
        for flag in (True, False)
    }
    unseen = {flag: max(idf[flag].values(), default=1.0) for flag in idf}
    return FactIndex(facts, tokens, labels, {k: tuple(v) for k, v in by_notice.items()}, idf, unseen)


@lru_cache(maxsize=1)
def fact_tokens() -> dict[str, frozenset[str]]:
    """Each fact's canonical tokens by id (topic and metric tokens included)."""
    index = fact_index()
    return {f.id: t for f, t in zip(index.facts, index.tokens, strict=True)}


@lru_cache(maxsize=1)
def stated_topics() -> dict[str, frozenset[str]]:
    """The topics each fact's own words state (its label and quotes, not its tags): what it answers."""
    from knowledge.understand import stated_in_fact

    return {
        f.id: frozenset(stated_in_fact(normalize_text(" ".join([f.label, *f.quotes])))) for f in all_facts()
    }


@lru_cache(maxsize=1)
def answered_topics() -> dict[str, frozenset[str]]:
    """The topics a fact states or, by its curated questions, answers (a phase heading dated 11月中下旬
    whose body names the 立项名单 answers 立项结果什么时候出来)."""
    from knowledge.understand import topics_in

    stated = stated_topics()
    return {
        f.id: stated[f.id] | frozenset(topics_in(normalize_text(" ".join(f.questions)))) for f in all_facts()
    }


# A term the user quotes (“科技创新基地建设”) that a fact's label contains names that fact.
NAMED = re.compile(r"[“「『\"]([^”」』\"]{4,20})[”」』\"]")
QUOTED_LABEL = 0.25
QUOTED_FIGURE = 0.15


@dataclass
class Scored:
    fact: Fact
    score: float
    lexical: float


def expand_metrics(metrics: set[str]) -> set[str]:
    """A share (payee_share) also answers questions about its parts (payee, rd)."""
    out = set(metrics)
    for m in metrics:
        spec = vocabulary().metrics.get(m, {})
        out.update([*spec.get("ratio", []), *spec.get("covers", [])])
    return out


def kinds_asked(part: Part) -> list[str]:
    vocab = vocabulary()
    out: list[str] = []
    for ask in part.asks:
        out += [k for k in vocab.asks[ask]["kinds"] if k not in out]
    return out


def class_conflict(f: Fact, query: Query) -> bool:
    """The fact is for a class the user says they are not, or for another value of a class they named."""
    for dim, values in f.applies_to.items():
        if dim == "actor":
            continue
        mine = query.classes.get(dim)
        if mine and not (mine & set(values)):
            return True
        if set(values) <= query.negated.get(dim, set()):
            return True
    return False


def part_tokens(part: Part, query: Query) -> tuple[str, ...]:
    """The part's tokens without the names that only say which notice is meant (the notice's own
    place); a place its own rules are keyed by (a city of a quota table, <某市>推荐数量不少于200项) stays."""
    from knowledge.understand import strip_notice_names

    keep = frozenset().union(*(_key_aliases(n) for n in query.notices))
    said = TITLED.sub(_title_head, f"{part.text} {part.context}".strip())
    return canonical_tokens(strip_notice_names(said, query.notices, keep))


# 《揭榜挂帅重大技术需求征集汇总表》: a form's full title shares its words with every rule of the notice;
# what tells it apart is its head (汇总表), which is what the question is about.
TITLED = re.compile(r"《([^》]{8,})》")


def _title_head(m: re.Match[str]) -> str:
    title = re.sub(r"[（(][^）)]*[）)]$", "", m.group(1))
    return title[-5:] if len(title) >= 14 else m.group(0)  # (a short title is its own head)


@lru_cache(maxsize=64)
def _key_aliases(nid: str) -> frozenset[str]:
    """A notice's aliases, other than its own short name, that its facts use as a key: in a label or a
    quota table's rows (a city of the province, a form's name)."""
    n = get_notice(nid)
    labels = " ".join(f.label + " " + " ".join(f.table) for f in all_facts() if f.notice == nid)
    return frozenset(
        a for a in n.aliases if len(a) >= 2 and not a.startswith(n.short) and a not in n.short and a in labels
    )


# 哪些单位不能报 / 什么情况不予受理: asked of who is excluded; rules written as exclusions answer it
BARRING_ASKED = re.compile(
    r"不能报|不能申报|不能提|不可以报|不允许|不得申报|不能参加|不能揭|不予|不受理|被排除|排除在外"
    r"|不要交|不用交|不要报|不用报|别交|别报|勿交|勿提交|不要提交|不用提交|不收|不列入"
)
EXCLUDES = re.compile(r"不得|不能|不予|不包括|不列入|不属于|不受理|不再|取消|请勿|勿")
BARRING_BOOST = 0.4
# 哪天开始能填报 / 什么时候开放: the opening of a window is asked, not its close or the notice's date
OPENING_ASKED = re.compile(r"(?:哪天|几号|什么时候|何时|啥时候|几时)[^，,。？?]{0,4}(?:开始|开放|开通|启动)")
OPENS = re.compile(r"开放|开始|开通|启动")
OPENING_BOOST = 0.15


def score_facts(part: Part, query: Query, notice_id: str) -> list[Scored]:
    """Every fact of one notice scored against one part of the question, best first (memoised on the
    query: composing asks for the same scores several times)."""
    key = (
        "score_facts",
        part.text,
        part.context,
        tuple(part.asks),
        tuple(part.metrics),
        tuple(part.topics),
        notice_id,
    )
    cached = query.memo.get(key)
    if cached is None:
        cached = query.memo[key] = _score_facts(part, query, notice_id)
    return list(cached)  # type: ignore[call-overload]


def _score_facts(part: Part, query: Query, notice_id: str) -> list[Scored]:
    index = fact_index()
    shipped = notice_id in shipped_notice_ids()
    q_tokens = set(part_tokens(part, query))
    total = sum(index.weight(t, shipped) for t in q_tokens) or 1.0
    kinds = kinds_asked(part)
    doc = query.docs.get(notice_id)
    quoted = [normalize_text(t) for t in NAMED.findall(part.text)]
    barring = bool(BARRING_ASKED.search(part.text))
    opening = bool(OPENING_ASKED.search(part.text))
    # 都有“100万元”的投入要求: figures the user quotes from the notices, not their own
    told = {(round(g.value, 4), g.unit) for g in bind_figures(part.text) if not g.own}
    days_said = DAY_SAID.findall(normalize_text(part.text)) if WHAT_DAY.search(part.text) else []
    out: list[Scored] = []
    for i in index.by_notice.get(notice_id, ()):
        f, toks, label_toks = index.facts[i], index.tokens[i], index.label_tokens[i]
        matched = q_tokens & toks
        lexical = sum(index.weight(t, shipped) for t in matched) / total
        lexical += 0.1 * sum(index.weight(t, shipped) for t in q_tokens & label_toks) / total
        score = lexical
        if kinds:
            if f.kind.value in kinds:
                score += 0.2 if f.kind.value == kinds[0] else 0.12
            elif f.kind not in (Kind.AMBIGUITY, Kind.REQUIREMENT):
                score -= 0.08
        metrics = expand_metrics({m for m in (f.metric, f.base) if m})
        if part.metrics and metrics:
            score += 0.15 if metrics & set(part.metrics) else -0.15
        if part.topics and set(f.topics) & set(part.topics):
            score += 0.1
        if quoted and any(
            t in normalize_text(f.label) or (t in _printed(f) and _rarely_printed(t, notice_id))
            for t in quoted
        ):
            score += QUOTED_LABEL  # “科技创新基地建设”方向 / 「申报单位（盖章）」: the rule that prints it
        if told and f.value is not None and (round(f.value, 4), f.unit) in told:
            score += QUOTED_FIGURE  # the rule that prints the figure the user quotes
        if days_said and any(d in normalize_text(f.quote) for d in days_said):
            score += QUOTED_FIGURE  # 2026年5月31日是什么日子: the rule that prints the day the user quotes
        if class_conflict(f, query) and f.kind != Kind.WHO:
            score -= 0.5
        if opening and OPENS.search(f.label):
            score += OPENING_BOOST  # 哪天开始能填报: the day it opens, before the day it was signed
        if barring and EXCLUDES.search(f.quote):
            score += BARRING_BOOST  # 什么企业不能报 / 哪些需求不要交: the rules that exclude, first
        if f.actor == "recommender" and not query.has("科技局", "主管部门", "初审", "推荐", "县", "区"):
            score -= 0.08
        solving = "揭" in query.text.replace("揭榜挂帅", "")
        if f.kind == Kind.WHO and (f.actor == "solver") != solving:
            score -= 0.15  # who may solve answers 揭榜 questions; who may ask, the others
        elif not solving and ("solver" in f.topics or f.actor == "solver"):
            score -= 0.05  # 需求企业的信用要求: the asker's rule before the solver's like-worded one
        if f.doc is not None and f.doc != doc:
            score *= SUBDOC_FACTOR
        elif doc is not None and f.doc != doc:
            score *= 0.6
        out.append(Scored(f, score, lexical))
    out.sort(key=lambda s: -s.score)
    return out


_PRINTED: dict[str, str] = {}
RARELY_PRINTED = 3  # facts printing a quoted term, at most, for the term to name them


def _printed(f: Fact) -> str:
    """A fact's quotes without blanks and colons (申报单位：    （盖章）), as a quoted term is matched."""
    found = _PRINTED.get(f.id)
    if found is None:
        found = _PRINTED[f.id] = re.sub(r"[\s:：]", "", normalize_text(" ".join([f.quote, *f.also])))
    return found


_PRINTED_BY: dict[tuple[str, str], bool] = {}


def _rarely_printed(term: str, notice_id: str) -> bool:
    """A quoted term printed by a few facts names them (「申报单位（盖章）」); one the whole notice
    prints (“揭榜挂帅”) names none."""
    key = (term, notice_id)
    found = _PRINTED_BY.get(key)
    if found is None:
        index = fact_index()
        hits = sum(1 for i in index.by_notice.get(notice_id, ()) if term in _printed(index.facts[i]))
        found = _PRINTED_BY[key] = hits <= RARELY_PRINTED
    return found


def best_facts(part: Part, query: Query, notice_id: str, limit: int = 4) -> list[Scored]:
    """The facts that answer a part: the best one if above the threshold, and those near it."""
    scored = score_facts(part, query, notice_id)
    if not scored or scored[0].score < THRESHOLD:
        return []
    top = scored[0].score
    return [s for s in scored if s.score >= max(THRESHOLD, top - NEAR_TOP)][:limit]


def notice_order() -> list[str]:
    return [n.id for n in notices()]
