"""Structured question + fact catalogue → the answer's lines, with citations.

Shape: the first line answers directly (the date, the amount with its arithmetic, the verdict with the
rule that decides it, or "X通知没有写明…"); then one line per part and notice, each with its quote;
complete lists, no repeated lines; notes where the notice is ambiguous; the office to ask when it is
silent. Everything is generic: the notice's facts decide what is said.
"""

from __future__ import annotations

import calendar
import itertools
import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from knowledge.answered import check, unnamed
from knowledge.catalogue import (
    DATED,
    OP_WORDS,
    Fact,
    Kind,
    all_facts,
    facts_of,
    resolve_ref,
    same_facts,
    vocabulary,
)
from knowledge.chunks import path_at
from knowledge.cite import display
from knowledge.corpus import get_notice, normalized_text, shipped_notice_ids
from knowledge.draft import Draft, Source
from knowledge.fact_search import (
    BARRING_ASKED,
    EXCLUDES,
    NAMED,
    NEAR_TOP,
    THRESHOLD,
    Scored,
    answered_topics,
    canonical_tokens,
    class_conflict,
    expand_metrics,
    fact_tokens,
    kinds_asked,
    part_tokens,
    score_facts,
    stated_topics,
)
from knowledge.flow import asks_flow, flow_steps, strong_flow
from knowledge.numbers import CN_CHARS, DateMention, cn_number, fmt_num, fmt_wan
from knowledge.parse import segments
from knowledge.reason import (
    apply_rate,
    check_threshold,
    compare_date,
    deadline_status,
    figure_text,
    meets,
    metric_label,
    schedule_text,
    share,
    split_schedule,
    value_text,
    when_text,
)
from knowledge.sums import count_for_share, listed_figures, rest_of_quota, short_of_floor, user_sums
from knowledge.sums import per_named as _per_named
from knowledge.tokenize import normalize_text, shared_run
from knowledge.understand import (
    BUREAU_SELF,
    MONEY_ASKS,
    PERSON_BACK,
    WHAT_IF,
    Part,
    Query,
    UserFigure,
    asks_the_other,
    mask_names,
    metrics_in,
    read_classes,
    strip_notice_names,
)

MAX_FACTS_PER_PART = 4
COMPARE_WORDS = (
    "各地",
    "各个",
    "几个通知",
    "每个通知",
    "分别",
    "各自",
    "哪个",
    "哪几个",
    "哪些通知",
    "哪份",
    "这几个",
    "其他的",
    "其他通知",
    "都",
    "对比",
    "比较",
    "区别",
    "不同",
    "一样",
)
HIGHEST = ("最高", "最多", "最大", "最长", "最晚")
LOWEST = ("最低", "最少", "最小", "最短", "最早")


@dataclass
class Outcome:
    """What composing found: parts answered, parts on which a notice is silent."""

    answered: int = 0
    silent: list[tuple[str, str]] = field(default_factory=list)  # (notice, what)
    shown: set[str] = field(default_factory=set)  # fact ids already on a line
    answers: list[Fact] = field(default_factory=list)  # facts that answered a part, in order
    related: set[str] = field(default_factory=set)  # fact ids shown beside a silence, as what is said nearby
    totalled: set[str] = field(default_factory=set)  # fact ids a total line was computed over


def short_of(f: Fact) -> str:
    n = get_notice(f.notice)
    if f.doc:
        for att in n.attachments:
            if att.subdocument is not None and att.subdocument.id == f.doc:
                return f"{n.short}附件{att.n}（{att.subdocument.issuer}）"
    return n.short


def source_of(f: Fact, quote: str | None = None) -> Source:
    s, e = f.span(quote)
    return Source(f.notice, path_at(f.notice, s), s, e)


def cite_fact(f: Fact, draft: Draft) -> str:
    """The fact's quote(s), cited: “…”[n]；“…”[m]. A quote the answer already shows is only its marker,
    and a further quote (`also`) already shown is left out."""
    pieces = []
    for i, q in enumerate(f.quotes):
        src = source_of(f, q)
        seen = any((x.notice, x.start, x.end) == (src.notice, src.start, src.end) for x in draft.sources)
        if seen and i > 0:
            continue
        marker = draft.cite(src)
        pieces.append(marker if seen else f"“{display(q)}”{marker}")
    return "；".join(pieces)


def value_phrase(f: Fact) -> str:
    """The typed value in a few words, before the quote: 不少于5000万元, 2023年12月5日前, 50%/30%/20%."""
    if f.kind in DATED or f.kind == Kind.DATE:
        return when_text(f)
    if f.kind in (Kind.THRESHOLD, Kind.CAP):
        return value_text(f)
    if f.kind == Kind.RATE:
        base = metric_label(f.base)
        text = f"{'不超过' if f.op == 'le' else ''}{base}的{f.printed}"
        return text + (f"，最高{f.cap_printed}" if f.cap_printed else "")
    if f.kind == Kind.SCHEDULE:
        return schedule_text(f)
    if f.kind in (Kind.QUOTA, Kind.PERIOD, Kind.COPIES) and f.printed:
        return value_text(f)
    if f.kind == Kind.PERIOD and f.when:
        return f.when
    return ""


def fact_line(f: Fact, draft: Draft, prefix: str = "", today: date | None = None) -> str:
    value = value_phrase(f)
    head = f"{prefix}{f.label}：" + (f"{value}，" if value else "")
    line = head + cite_fact(f, draft)
    for other in same_facts(f):
        if other.quote not in f.quotes:
            line += f"；另见“{display(other.quote)}”{draft.cite(source_of(other))}"
    if today is not None and f.kind in DATED and f.date is not None:
        status = deadline_status(f, today)
        draft.computed += status.computed
        line += f"——{status.text}"
        if f.year_inferred:
            line += f"（原文未写年份，按{f.date.year}年理解）"
    return line


NOTE_LEXICAL = 0.2
NOTE_ASKED = 0.9  # the question asks the note's own point (附件4的项目也是那天截止吗)


@cache
def _segments(notice_id: str) -> tuple[tuple[str | None, int, int], ...]:
    """(the sub-document printed in the notice, or None for the host notice's own text; start; end)."""
    out = []
    for seg in segments(get_notice(notice_id)):
        top = seg.doc.split("#")[1] if "#" in seg.doc else ""
        out.append((None if not top or re.fullmatch(r"a\d+", top) else top, seg.start, seg.end))
    return tuple(out)


def _documents_of(f: Fact) -> set[str | None]:
    """The documents a fact's quotes lie in (the host notice: None)."""
    spans = [f.span(q) for q in f.quotes]
    return {doc for doc, s, e in _segments(f.notice) for a, _ in spans if s <= a < e}


def _one_document(query: Query, notice_id: str) -> bool:
    """The question names which document of the notice it is about: one printed in it (its programme's
    name), or a form of the host notice by a word of its title ending in 表 (需求征集表)."""
    if query.docs.get(notice_id):
        return True
    notice = get_notice(notice_id)
    titles = [normalize_text(a.title) for a in notice.attachments if a.subdocument is None]
    text = normalize_text(query.text)
    issuers = {
        normalize_text(i)
        for name in notice.issuer.split("、")
        for i in (name, name.replace("科学技术", "科技"))
    }
    # <本地>科技局征集的需求……哪天前交: the host notice's own issuer, named now or just before
    if any(i in f"{text} {normalize_text(query.before)}" for i in issuers if i):
        return True
    return any(
        t[i - n + 1 : i + 1] in text
        for t in titles
        for i, ch in enumerate(t)
        if ch == "表"
        for n in range(3, min(i + 1, 8) + 1)
    )


def notes_for(part: Part, query: Query, shown: list[Fact], draft: Draft, outcome: Outcome) -> bool:
    """Ambiguity facts about what was shown (their passages overlap) and about what was asked (they match
    the question): say where the notice is unclear. True when a note says the very thing asked is not
    written (没有写已经拨付的资金是否需要退回, asked 要退回去吗)."""
    unwritten = False
    spans: list[tuple[str, int, int]] = []
    for f in shown:
        for q in f.quotes:
            s, e = f.span(q)
            spans.append((f.notice, s, e))
    notices = {f.notice for f in shown}
    for nid in notices:
        relevance = {x.fact.id: x.lexical for x in score_facts(part, query, nid)}
        for amb in facts_of(nid):
            if amb.kind != Kind.AMBIGUITY or amb.id in outcome.shown or not amb.note:
                continue
            overlaps = any(
                n == amb.notice and s < e2 and s2 < e
                for q in amb.quotes
                for s, e in [amb.span(q)]
                for n, s2, e2 in spans
            )
            # within a document printed in the notice (附件4's own programme), a date shown is that
            # document's own: a note setting it against the host notice's dates must match the question
            dated = any(f.kind in DATED for f in shown)
            if len(_documents_of(amb)) > 1 and _one_document(query, nid):
                # a note setting a printed programme against its host notice (附件4's dates beside the
                # notice's own) is for a question that could mean either; one naming which needs it asked
                dated = False
                if relevance.get(amb.id, 0.0) < NOTE_ASKED:
                    continue
            if overlaps and (dated or relevance.get(amb.id, 0.0) >= NOTE_LEXICAL):
                refs = "".join(draft.cite(source_of(amb, q)) for q in amb.quotes)
                draft.add(f"注意：{amb.note}{refs}")
                outcome.shown.add(amb.id)
                unwritten = unwritten or _note_says_unwritten(amb.note, part)
    return unwritten


def _note_says_unwritten(note: str, part: Part) -> bool:
    """The note says the notice does not write the point the part asks, in the ask's own word."""
    words = vocabulary().asks.get(part.primary or "", {}).get("words", [])
    asked = [w[:2] for w in words if len(w) >= 2 and w in part.text]
    for m in SILENT_NOTE.finditer(note):
        window = note[m.end() : m.end() + 24].split("。")[0]
        if any(w in window for w in asked):
            return True
    return False


def doc_ok(f: Fact, query: Query) -> bool:
    """A named sub-document restricts to its facts; otherwise the main document's facts come first."""
    doc = query.docs.get(f.notice)
    return doc is None or f.doc == doc


def office_line(notice_id: str, draft: Draft, doc: str | None = None, query: Query | None = None) -> None:
    """Where to ask when the text is silent: the contact for the user's kind of unit or field when the
    notice names one (协会 → its own office, 生物医药 → that division), else its general contact; or say
    that none is printed. Said once per notice and answer."""
    if any(ln.startswith("如需确认") and get_notice(notice_id).short in ln for ln in draft.lines):
        return
    contacts = [f for f in facts_of(notice_id) if f.kind == Kind.CONTACT]
    contacts = [f for f in contacts if f.doc == doc] or contacts
    offices = [f for f in contacts if f.general]
    fitting = _fitting_contacts(query, notice_id, contacts) if query is not None else []
    n = get_notice(notice_id)
    if fitting or offices:
        f = (fitting or offices)[0]
        unprinted = "" if f.phones or f.email else f"（{n.short}通知没有印咨询电话）"
        draft.add(f"如需确认，{n.short}可咨询{f.label}{unprinted}：{cite_fact(f, draft)}")
        return
    draft.add(f"如需确认，请咨询{n.short}的发文单位{n.issuer}（{n.short}通知没有印咨询电话）。")


# -- scope ----------------------------------------------------------------------------------------


def scope_of(query: Query) -> list[str]:
    """Notices to answer for: those named; else every shipped notice the question fits, the best first
    (all of them for comparisons, only the best fitting otherwise)."""
    if query.notices:
        return list(query.notices)
    shipped = list(shipped_notice_ids())
    best: dict[str, float] = {}
    for nid in shipped:
        best[nid] = max((s.score for p in query.parts for s in score_facts(p, query, nid)[:1]), default=0.0)
    ranked = sorted(shipped, key=lambda n: -best[n])
    if not ranked or best[ranked[0]] < THRESHOLD:
        return []
    typed = any(
        vocabulary().asks.get(p.primary or "", {}).get("require") or (p.metrics and "threshold" in p.asks)
        for p in query.parts
    )  # 哪个有营收门槛: a bar on a metric, which each notice sets or not
    if query.has(*COMPARE_WORDS) and typed:
        return shipped  # each notice answers or says it is silent
    if query.has(*COMPARE_WORDS) or "list" in query.asks:
        return [n for n in shipped if best[n] >= THRESHOLD]
    return [n for n in ranked if best[n] >= best[ranked[0]] - 0.05][:2]


# -- eligibility from the user's own figures and classes -----------------------------------------


def own_figure(query: Query, metric: str) -> tuple[float | None, list[str]]:
    """The user's figure for a metric, or a share computed from two of their figures."""
    direct = query.own(metric)
    if direct is not None:
        working = query.working(metric)
        return direct, ([working, fmt_wan(direct), fmt_num(direct)] if working else [])
    rest = _rest_of_sum(query, metric)
    if rest is not None:
        return rest
    spec = vocabulary().metrics.get(metric, {})
    ratio = spec.get("ratio")
    if ratio:
        num, den = query.own(ratio[0]), query.own(ratio[1])
        if num is None and (derived := _rest_of_sum(query, ratio[0], ratio[1])) is not None:
            num = derived[0]  # 总预算1250万、申请补助250万，自筹比例够吗: 自筹 is the rest of the total
        if den is None and ratio[1] == "rd":
            den = query.own("invest")
        if den is None and ratio[1] == "invest":
            den = query.own("rd")
        num_yearly, den_yearly = _yearly(query, ratio[0]), _yearly(query, ratio[1])
        years = _years(query)
        if den is not None and den_yearly and not num_yearly:
            if years is None:
                return None, []  # 每年研发50万，付揭榜方40万: 40万 of which years' total is not known
            den = den * years  # 每年研发投入50万、两年: 40万 paid over the project is of the 100万
        if num is not None and den:
            pct = share(num, den)
            shown = f"{fmt_wan(num)} ÷ {fmt_wan(den)} = {fmt_num(pct)}%"
            return pct, [shown, fmt_num(pct), fmt_wan(num), fmt_wan(den)]
    return None, []


REST_SAID = re.compile(
    r"(?:其余|剩下|剩余|余下|其他|剩的)(?:部分|的|资金|经费|钱)?(?:都|全部|全)?(?:由)?(?:企业|我们|公司)?"
)


def _rest_of_sum(query: Query, metric: str, share_of: str | None = None) -> tuple[float, list[str]] | None:
    """总经费1000万，申请补助250万，其余自筹: the part the user leaves as the rest of a total (vocab `sum`);
    also, unsaid, when its share of that very total is what is asked (`share_of`)."""
    words = [normalize_text(w) for w in vocabulary().metrics.get(metric, {}).get("words", [])]
    said = [
        m for m in REST_SAID.finditer(query.text) if any(query.text.startswith(w, m.end()) for w in words)
    ]
    if not said and share_of is None:
        return None
    for whole, spec in vocabulary().metrics.items():
        summands = spec.get("sum") or []
        if not said and whole != share_of:
            continue
        if metric not in summands or (total := query.own(whole)) is None:
            continue
        others = [query.own(m) for m in summands if m != metric]
        if any(v is None for v in others):
            continue
        value = total - sum(v for v in others if v is not None)
        shown = (
            f"{fmt_wan(total)} − {' − '.join(fmt_wan(v) for v in others if v is not None)} = {fmt_wan(value)}"
        )
        return value, [shown, fmt_wan(value), fmt_num(value)]
    return None


def _yearly(query: Query, metric: str) -> bool:
    found = [f for f in query.figures if f.own and f.metric == metric]
    return bool(found) and found[-1].per_year


def _years(query: Query) -> float | None:
    """How many years the user says the project runs (两年, 18个月 → 1.5)."""
    return query.duration[0] if query.duration is not None else None


NEGATION = re.compile(r"没有|没|未|无|尚未|还没|不是|不属于|不(?![良同超低少得过仅])")
# Light verbs and particles a user swaps freely (没有建/没有设独立研发机构): not needed for a match.
LIGHT_WORDS = frozenset("建设有是做报交搞弄的了过个")


def _about_whom_it_bars(f: Fact, query: Query) -> bool:
    """A match on a rule binding someone other than the applicant (揭榜方) needs the question to
    name them: the bar's words (子公司) may describe the user's own unit in passing."""
    actors = set(f.topics) & set(vocabulary().actor_topics)
    return not actors or bool(actors & _topics(query))


@lru_cache(maxsize=4096)
def _bar_content(bar: str) -> tuple[str, ...]:
    """The words of a bar that must all be said for a loose match (light verbs and negations left out)."""
    from knowledge.tokenize import stop_words, words

    return tuple(
        w for w in words(bar) if not NEGATION.fullmatch(w) and w not in LIGHT_WORDS and w not in stop_words()
    )


PREFERENCE = re.compile(r"优先|鼓励")
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")


def _said_as(word: str) -> list[str]:
    """A bar's word and the words users say for it (vocab `synonyms`)."""
    return [word, *vocabulary().synonyms.get(word, [])]


# 经费预算能否编制间接费用: asked, not told — a bar's words in a clause that asks are no circumstance.
ASKED_MODAL = re.compile(r"能否|可否|是否|能不能|可不可以|可以吗|行吗|允许吗|行不行")
CLAUSE_END = re.compile(r"[，,。？?；;！!]")


def _asked_in_clause(text: str, at: int, last: int) -> bool:
    """A modal of asking before the bar's last word, in its clause (能否编制间接费用; not 没结题能否申报)."""
    start = max((m.end() for m in CLAUSE_END.finditer(text, 0, at)), default=0)
    return bool(ASKED_MODAL.search(text[start:last]))


def _last_of(text: str, at: int, words: list[str | None]) -> int:
    """Where the last of a bar's words ends, in the clause starting at `at`."""
    end = m.start() if (m := CLAUSE_END.search(text, at)) else len(text)
    ends = [text.find(w, at, end) + len(w) for w in words if w and text.find(w, at, end) >= 0]
    return max(ends, default=at)


def bars_hit(f: Fact, query: Query) -> tuple[str, bool] | None:
    """A circumstance the user states that a rule's `bars` describe: (the bar, exact?). Exact when the
    bar is said as written; otherwise when all its content words are there with the same polarity."""
    stated = A_NOT_A.sub(r"\1", query.text)  # 能不能推荐 asks; it does not deny
    if not _about_whom_it_bars(f, query):
        return None  # 我们控股的子公司想提需求 (no solver named): a rule on the solver is not hit
    for bar in f.bars:
        b = normalize_text(bar.strip())
        if not b:
            continue
        pos = stated.find(b)
        if (
            pos >= 0
            and not NEGATION.search(stated[max(0, pos - 2) : pos])
            and not _asked_in_clause(stated, pos, pos + len(b))
        ):
            return bar, True
        text = stated.replace("的", "")  # 独立的研发机构 = 独立研发机构
        content = _bar_content(b)
        said = [next((s for s in _said_as(w) if s in text), None) for w in content]
        if not content or None in said:
            continue
        if len(set(said)) < len(said) and not any(
            all(w in clause for w in said) for clause in CLAUSE_END.split(text)
        ):
            continue  # one word said for two of the bar's (单个…自己) holds only within one clause
        negated = bool(NEGATION.search(b))
        spots = [m.start() for m in re.finditer(re.escape(said[0] or ""), text)]
        if any(
            bool(NEGATION.search(CLAUSE_END.split(text[max(0, at - 6) : at])[-1])) == negated
            and not _asked_in_clause(text, at, _last_of(text, at, said))
            for at in spots
        ):
            return bar, False
    return None


DONE = re.compile(r"(?:已经|已)[^，,。？?；;]{0,6}$")


def bars_cleared(f: Fact, query: Query) -> str | None:
    """The user says the opposite of a negated bar (bar 还没结题; said 已经结题): the words said."""
    text = A_NOT_A.sub(r"\1", query.text)
    for bar in f.bars:
        b = normalize_text(bar.strip())
        content = _bar_content(b)
        if not content or not NEGATION.search(b):
            continue
        said = [next((s for s in _said_as(w) if s in text), None) for w in content]
        if None in said:
            continue
        for m in re.finditer(re.escape(said[0] or ""), text):
            before = text[max(0, m.start() - 8) : m.start()]
            if DONE.search(before) and not NEGATION.search(before[-3:]):
                return text[m.start() - len(DONE.search(before).group()) : m.end()]  # type: ignore[union-attr]
    return None


def eligibility(query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """Check the user's figures and stated circumstances against the notice's rules, one line per rule,
    the verdict first. Unknown classes that change the rule (高新 or 其他领域) are checked both ways."""
    query = _origin_for(query, nid)
    facts = notice_facts(query, nid)
    thresholds = _primary_of_same([f for f in facts if f.kind == Kind.THRESHOLD and f.metric])
    wanted = [f for f in thresholds if own_figure(query, f.metric or "")[0] is not None]
    asks_verdict = bool({"eligibility", "who", "threshold"} & set(query.asks))
    barred = [
        (f, *b)
        for f in facts
        if f.bars and asks_verdict and not _later_stage(f, query) and (b := bars_hit(f, query))
    ]
    cleared = [
        (f, said)
        for f in facts
        if f.bars and asks_verdict and not any(b[0] is f for b in barred) and (said := bars_cleared(f, query))
    ]
    excluded = _applicant_excluded(query, facts)
    counted = _count_checked(query, facts) if asks_verdict else None
    request = (
        (_grant_total(query, facts) or _grant_rest(query, facts) or _grant_request(query, nid, facts))
        if asks_verdict
        else None
    )
    lasting = _duration_check(query, facts, draft) if asks_verdict else None
    if (
        not wanted
        and not barred
        and not cleared
        and excluded is None
        and counted is None
        and request is None
        and lasting is None
    ):
        return False
    metrics = {f.metric for f in wanted}
    relevant = _most_specific(
        [f for f in thresholds if f.metric in metrics and not class_conflict(f, query)], query
    )
    unknown = _unknown_dimensions(relevant, query)
    lines: list[str] = []
    verdicts: list[bool | None] = []
    failing: list[Fact] = []
    pending_years = False  # a figure for part of the period: the rest is still to come
    by_case: list[tuple[tuple[tuple[str, str | None], ...], bool | None]] = []
    for combo, rules in _scenarios(relevant, unknown, query):
        if combo:
            lines.append(_scenario_head(combo, relevant, query))
        oks: list[bool | None] = []
        for f in rules:
            have, shown = _over_years(f, query, *own_figure(query, f.metric or ""))
            rest = _rest_of_period(f, query, have, draft)
            if rest is not None:  # 第一年新增税收35万: the rest of the period's total is still to come
                lines.append(f"· {rest}{cite_fact(f, draft)}")
                outcome.shown.add(f.id)
                oks.append(None)
                pending_years = True
                continue
            worked = check_threshold(f, have, own_figure(query, f.than)[0] if f.than else None)
            draft.computed += worked.computed + shown
            calc = f"（{shown[0]}）" if shown else ""
            gap = _gap(f, have, query, draft) if worked.ok is False else ""
            lines.append(f"· {metric_label(f.metric)}{calc}：{worked.text}{gap}。{cite_fact(f, draft)}")
            outcome.shown.add(f.id)
            outcome.shown.update(x.id for x in same_facts(f))
            oks.append(worked.ok)
            if worked.ok is False:
                failing.append(f)
            for dim in _required_classes(f, thresholds, query):
                ok, text = _class_check(f, dim, query)
                lines.append(f"· {text}{cite_fact(f, draft)}")
                oks.append(ok)
        if oks:
            verdicts.append(False if False in oks else (None if None in oks else True))
            by_case.append((combo, verdicts[-1]))
    firm_failure = False
    if excluded is not None:
        fact, why = excluded
        lines.append(f"· {fact.label}：{why}。{cite_fact(fact, draft)}")
        outcome.shown.add(fact.id)
        failing.append(fact)
        verdicts.append(False)
        firm_failure = True  # not among those invited, whatever class the figures turn out to meet
    if request is not None:
        draft.computed += request.computed
        head = f"· {request.text}{cite_fact(request.fact, draft)}"  # cited first: numbered first
        for said, f in request.then:  # ；… carries the line on, a sentence of its own is a line of its own
            cited = cite_fact(f, draft) if f is not request.fact else ""
            if said[:1] in "；，,;":
                head += f"{said}{cited}"
            else:
                lines.append(head)
                head = f"· {said}{cited}"
        lines.append(head)
        outcome.shown.add(request.fact.id)
        verdicts.append(request.ok)
        if request.ok is False:
            failing.append(request.fact)
            firm_failure = True  # the amount asked fails whatever class the applicant turns out to be
    if counted is not None:
        f, count = counted
        assert f.value is not None and f.op is not None
        ok = meets(f.op, count, f.value)
        hedge = f"（该条为“{f.hedge}”）" if f.hedge and not ok else ""
        draft.computed += [fmt_num(count)]
        lines.append(
            f"· {f.label}：您说的{fmt_num(count)}{f.unit}，要求{value_text(f)}——"
            f"{'满足' if ok else '不满足'}{hedge}。{cite_fact(f, draft)}"
        )
        outcome.shown.add(f.id)
        verdicts.append(ok)
        if not ok:
            failing.append(f)
    if lasting is not None:
        lines.append(f"· {lasting.text}{cite_fact(lasting.fact, draft)}")
        outcome.shown.add(lasting.fact.id)
        verdicts.append(lasting.ok)
        if lasting.ok is False:
            failing.append(lasting.fact)
    instead = ""
    choosing = bool(unknown) and set(unknown) <= set(_choices(query)) and len(by_case) > 1
    if False in verdicts and not choosing:
        # unasked, only a class the figures do meet (不能报重大，可以改报重点)
        asked = bool(ALTERNATIVE_ASKED.search(query.text))
        others = _alternatives(failing, thresholds, query, draft, outcome, only_met=not asked)
        lines += others
        able = [ln.split("：")[0].removeprefix("· ") for ln in others if "可以报" in ln]
        instead = f"按您的数字可以{able[0]}（见下方）。" if able else ""

    for f, said in cleared:  # 已经结题了，还能报吗: the rule that bars the opposite does not apply
        lines.append(f"· {f.label}：您说“{said}”，此条不限制您。{cite_fact(f, draft)}")
        outcome.shown.add(f.id)
        verdicts.append(True)
    preferred = [b for b in barred if PREFERENCE.search(b[0].quote)]
    barred = [b for b in barred if b not in preferred]
    for f, _, _ in preferred:  # 有出资承诺的优先考虑: missing it costs the priority, not the right to apply
        lines.append(
            f"· {f.label}：这是优先条件，不是申报资格；按您说的情况不享受这项优先。{cite_fact(f, draft)}"
        )
        outcome.shown.add(f.id)
    for f, bar, exact in barred:
        if exact:
            lines.append(f"· {f.label}：您说“{bar}”，按此条不符合。{cite_fact(f, draft)}")
            failing.append(f)
            verdicts.append(False)
        else:
            lines.append(f"· {f.label}：按您说的情况，可能不满足此条，请核对。{cite_fact(f, draft)}")
            verdicts.append(None)
        outcome.shown.add(f.id)
        for whole in facts:  # （其中…至少1项）: the rule it is part of (不超过3项), beside it
            if whole is not f and whole.id not in outcome.shown and f.quote.strip("，,。") in whole.quote:
                lines.append(f"· {whole.label}：{value_text(whole)}。{cite_fact(whole, draft)}")
                outcome.shown.add(whole.id)
    if not lines:
        return False
    dims = "、".join(_dimension_name(d) for d in unknown)
    if choosing and len(set(verdicts)) > 1 and not barred and not firm_failure:
        head = "结论：" + _choice_verdict(by_case) + "（见下方逐条核对）。"
    elif unknown and len(set(verdicts)) > 1 and not any(exact for _, _, exact in barred) and not firm_failure:
        head = f"结论：暂时无法判断，取决于{dims}（各类门槛不同，见下方逐条核对）。"
    elif False in verdicts:
        hedges = list(dict.fromkeys(f.hedge for f in failing if f.hedge))
        hedged = all(f.hedge for f in failing)
        said = "”“".join(hedges)
        head = (
            "结论：按通知条件，不符合（见下方逐条核对）。"
            + instead
            + (f"相关条款写的是“{said}”，最终以受理部门意见为准。" if hedged else "")
            + (f"另有条件取决于{dims}，见下方。" if unknown and firm_failure else "")
        )
    elif None in verdicts or not verdicts:
        head = (
            "结论：可能不符合：您说的情况可能触及下方标明的限制条款，请核对（其余条件见逐条核对）。"
            if any(not exact for _, _, exact in barred)
            else "结论：要看期间内余下的部分能否做到下方所列的数（目前只有期间一部分的数字）。"
            if pending_years
            else "结论：暂时无法判断，还需要您补充下方标明的信息。"
        )
    else:
        basis = "您提供的数字" if wanted or counted or request else "您说的情况"
        head = f"结论：按{basis}逐条核对，符合下列条件（其他条件请对照通知原文自查）。"
        # a figure of the user's bound to nothing (大概百分之八 of what?) may decide a rule not checked
        loose = [f.raw for f in query.figures if f.own and f.metric is None]
        if loose:
            head = (
                f"结论：已核对的条件符合（见下方）；但您说的“{'”“'.join(loose)}”没能对应到通知的具体条件，"
                "无法据此下结论，请说明它指的是哪一项（如研发投入、营收）。"
            )
    draft.add(prefix + head)
    for ln in lines:
        draft.add(ln)
    _mentioned_rules(query, facts, draft, outcome)
    if asks_verdict or not any(_needs_own_answer(p) for p in query.parts):
        outcome.answered += 1  # a verdict nobody asked for (会不会被收回) does not answer the question
    return True


# 不行的话能报哪一类: the user asks which other class they could choose instead.
ALTERNATIVE_ASKED = re.compile(
    r"应该勾|该勾|勾哪|应该选|该选哪|选哪个|哪一类|哪类|哪个级别|哪一级|什么级别|哪种需求|能报什么|报哪个|报哪种|不行的话|不够的话|够不上的话|降一级|退而求其次|其他类|改报"
)


def _alternatives(
    failing: list[Fact],
    thresholds: list[Fact],
    query: Query,
    draft: Draft,
    outcome: Outcome,
    only_met: bool = False,
) -> list[str]:
    """The other classes an applicant chooses between (vocab `chosen`, e.g. 重大/重点需求), checked with the
    same figures: one line each, saying whether the figures meet every rule of that class."""
    lines: list[str] = []
    for dim, spec in vocabulary().classes.items():
        failed = {v for f in failing for v in f.applies_to.get(dim, [])}
        if not spec.get("chosen") or not failed:
            continue
        for value in vocabulary().class_values(dim):
            if value in failed:
                continue
            alt = replace(query, classes={**query.classes, dim: {value}})
            rules = [
                f
                for f in thresholds
                if value in f.applies_to.get(dim, [])
                and not class_conflict(f, alt)
                and own_figure(query, f.metric or "")[0] is not None
            ]
            if not rules:
                continue
            checked = [
                (f, check_threshold(f, _over_years(f, query, *own_figure(query, f.metric or ""))[0]))
                for f in _most_specific(rules, alt)
            ]
            oks = [worked.ok for _, worked in checked]
            if only_met and not all(oks):
                continue
            parts = []
            for f, worked in checked:
                draft.computed += worked.computed
                parts.append(f"{metric_label(f.metric)}：{worked.text}{cite_fact(f, draft)}")
                outcome.shown.add(f.id)
            name = _class_name(dim, value)
            verdict = f"按您的数字可以报{name}" if all(oks) else f"{name}也不满足"
            lines.append(f"· 改报{name}：{'；'.join(parts)}——{verdict}。")
    return lines


def _rest_of_period(f: Fact, query: Query, have: float | None, draft: Draft) -> str | None:
    """A figure for part of the period (第一年35万) against a minimum on the whole period: what the rest
    of the period must still bring, not a failure."""
    partial = any(fig.partial for fig in query.figures if fig.own and fig.metric == f.metric)
    if _each_year_of(f, query):
        return None  # 第一年48万、第二年51万: the whole period, added up
    if not partial or have is None or f.value is None or f.op not in ("ge", "gt") or have >= f.value:
        return None
    if not (f.over_years or re.search(r"执行期|实施期|周期|期内|期间", f.quote)):
        return None
    rest = f.value - have
    draft.computed += [fmt_wan(have), fmt_wan(rest), fmt_num(rest), fmt_wan(f.value)]
    return (
        f"{metric_label(f.metric)}：您说的{fmt_wan(have)}只是期间的一部分，要求整个期间{value_text(f)}，"
        f"期间内至少还要{fmt_wan(rest)}（{fmt_wan(f.value)} − {fmt_wan(have)}）"
        + ("以上（须超过）" if f.op == "gt" else "")
        + "。"
    )


def _each_year_of(f: Fact, query: Query) -> list[UserFigure]:
    """The user's figures for each year of the rule's whole period (第一年…、第二年…), else empty."""
    parts = [fig for fig in query.figures if fig.own and fig.partial and fig.metric == f.metric]
    years = f.over_years or _years(query)
    if len(parts) < 2 or not years or len(parts) != years:
        return []
    if not (f.over_years or re.search(r"执行期|实施期|周期|期内|期间", f.quote)):
        return []
    return parts


def _over_years(
    f: Fact, query: Query, have: float | None, shown: list[str]
) -> tuple[float | None, list[str]]:
    """A yearly figure of the user's (每年新增税收60万) against a rule on the total over the period."""
    years = _each_year_of(f, query)
    if years:  # 第一年48万、第二年51万 over a two-year period: the whole period's total
        total = sum(fig.value for fig in years)
        worked = " + ".join(fmt_wan(fig.value) for fig in years) + f" = {fmt_wan(total)}"
        return total, [worked, fmt_wan(total), fmt_num(total), *(fmt_wan(fig.value) for fig in years)]
    if not f.over_years:
        return have, shown
    # 2024年投入60万，2025年再投50万: figures for different years of the period add up
    dated = [
        fig
        for fig in query.figures
        if fig.own and fig.year and fig.unit == "万元" and fig.metric in (f.metric, None, "invest")
    ]
    if len({fig.year for fig in dated}) >= 2 and any(fig.metric == f.metric for fig in dated):
        total = sum(fig.value for fig in dated)
        worked = " + ".join(fmt_wan(fig.value) for fig in dated) + f" = {fmt_wan(total)}"
        return total, [worked, fmt_wan(total), fmt_num(total), *(fmt_wan(fig.value) for fig in dated)]
    yearly = any(fig.per_year for fig in query.figures if fig.own and fig.metric == f.metric)
    if have is None or not yearly:
        return have, shown
    total = have * f.over_years
    worked = f"{fmt_wan(have)} × {fmt_num(f.over_years)}年 = {fmt_wan(total)}"
    return total, [worked, fmt_wan(total), fmt_num(total), fmt_wan(have), fmt_num(f.over_years)]


def _duration_check(query: Query, facts: list[Fact], draft: Draft) -> RuleCheck | None:
    """The length of the user's project (计划做三年) against the longest period the notice allows."""
    if query.duration is None:
        return None
    years, said = query.duration
    limits = [
        f
        for f in facts
        if f.kind == Kind.PERIOD and f.op in ("le", "lt") and f.value and f.unit in ("年", "个月", "月")
    ]
    if not limits:
        return None
    f = limits[0]
    assert f.value is not None and f.op is not None
    most = f.value if f.unit == "年" else f.value / 12
    ok = meets(f.op, years, most)
    hedge = f"（该条为“{f.hedge}”）" if f.hedge and not ok else ""
    draft.computed += [said, fmt_num(years)]
    text = f"{f.label}：您说的{said}，要求{value_text(f)}——{'满足' if ok else '不满足'}{hedge}。"
    return RuleCheck(f, text, ok, [said])


OWN_COUNT = re.compile(  # 手上有三个难题 (这两个需求征集 points at notices, it counts nothing of the user's)
    rf"(?<![这那])(?P<num>\d+|[{CN_CHARS}]+)\s*(?P<unit>个|项|件)(?!企业|单位|公司|县|区|市|地方|人)"
    rf"[^，,。？?！!；;]{{0,10}}?(?:难题|需求|项目|课题)"
)

# 想报2个 / 打算推荐三项: a number of items the user means to submit, said after the verb.
OWN_COUNT_VERB = re.compile(
    rf"(?:想|打算|准备|计划|要|拟)(?:报|申报|推荐|提交|交|填报)(?P<num>\d+|[{CN_CHARS}]+)\s*(?P<unit>个|项|件)"
)


def _count_checked(query: Query, facts: list[Fact]) -> tuple[Fact, float] | None:
    """The user says how many they want to submit (手上有三个难题): the applicant's limit on how many."""
    m = OWN_COUNT.search(query.text) or OWN_COUNT_VERB.search(query.text)
    count = cn_number(m.group("num")) if m else None
    if m is None or count is None:
        return None
    caps = [
        f
        for f in facts
        if f.kind == Kind.QUOTA and f.value is not None and f.op in ("le", "lt") and not f.table
    ]
    acted = re.search(rf"(支持|立项|资助)[^，,。？?]{{0,4}}{re.escape(m.group('num'))}", query.text)
    if acted:  # 今年拟支持6个项目: the cap on what is supported, the one printing that verb
        supported = [f for f in caps if f.unit == m.group("unit") and acted.group(1) in f.quote]
        return (supported[0], count) if len(supported) == 1 else None
    limits = [f for f in caps if f.unit == "项" and not class_conflict(f, query)]
    # whose limit: the one whose unit the question names (一个县…推荐5项 → per county), else the applicant's
    said = [f for f in limits if f.per and _per_named(f.per, query)]
    if len(said) == 1:
        return said[0], count
    keyed = [  # 我们是省属科研院所，想报2个: the row of a quota table the user's unit is
        f.model_copy(
            update={
                "value": f.table[k],
                "printed": f"{fmt_num(f.table[k])}{f.unit or '项'}",
                "label": f"{f.label}（{k}）",
                "table": {},
            }
        )
        for f in facts
        if f.kind == Kind.QUOTA and f.table and f.op in ("le", "lt")
        for k in f.table
        if normalize_text(re.sub(r"[市县区]$", "", k)) in query.text
    ]
    if len(keyed) == 1 and not said:
        return keyed[0], count
    if BUREAU_SELF.search(query.text):
        return None  # 我们是<某市>科技局，收到180项: the bureau's count, never an applicant's limit
    own = [f for f in limits if f.actor in (None, "applicant")]
    return (own[0], count) if len(own) == 1 and not said else None


# Stages after a project is chosen: their rules (验收不合格…) say nothing about who may apply.
LATER_STAGES = frozenset({"acceptance", "termination", "midterm", "payment", "installments"})


def _later_stage(f: Fact, query: Query) -> bool:
    """A rule of a later stage the question does not ask about (数据造假 fails an acceptance, but the
    user asking whether they may apply is not at that stage)."""
    later = set(f.topics) & LATER_STAGES
    return bool(later) and not (later & _topics(query))


def _origin_for(query: Query, nid: str) -> Query:
    """我们是<甲地>的企业…能报<乙地>的吗: the user's unit is in another notice's place, so for this
    notice it is from elsewhere (its rules for local units decide)."""
    from knowledge.mentions import alias_table
    from knowledge.scope import is_origin_at

    if "locality" in query.classes or len(query.notices) < 2:
        return query
    own = [normalize_text(a) for a, n in alias_table() if n == nid and a]
    for alias in own:  # <甲地>的公司…，<乙地>的子公司: a unit of theirs is in this notice's place too
        if any(
            is_origin_at(query.text, m.start(), m.end()) for m in re.finditer(re.escape(alias), query.text)
        ):
            return query
    for alias, other in alias_table():
        if other == nid or not alias:
            continue
        for m in re.finditer(re.escape(normalize_text(alias)), query.text):
            if is_origin_at(query.text, m.start(), m.end()):
                return replace(query, classes={**query.classes, "locality": {"elsewhere"}})
    return query


def _applicant_excluded(query: Query, facts: list[Fact]) -> tuple[Fact, str] | None:
    """The user's kind of unit (大学, 个人…) is not among those the notice invites, or the notice invites
    local units and the user's is from elsewhere: the rule that says whom it invites, and why. Never a
    positive verdict. A question about who may solve (揭榜) is answered by the rules instead."""
    asking = [p for p in query.parts if {"eligibility", "who"} & set(p.asks)]
    applying = [p for p in asking if "揭" not in p.text.replace("揭榜挂帅", "")]
    if not applying:
        return None  # 能不能去揭榜 alone: answered by the solver rules
    side = "solver" if any("solver" in p.topics for p in applying) else None
    who = [f for f in facts if f.kind == Kind.WHO and f.actor == side]
    if "elsewhere" in query.classes.get("locality", set()):
        local = [
            f
            for f in who
            if f.applies_to.get("locality") == ["local"]
            and not _class_conflict_except(f, query)
            and not _inside_rules_region(f, query)
        ]
        if local:
            return local[0], "按通知，对象是本地单位，您说的单位在本地以外"
    mine = query.classes.get("applicant", set()) - {"enterprise"}
    if not mine or "enterprise" in query.classes.get("applicant", set()):
        return None
    invited = [f for f in who if f.applies_to.get("applicant")]
    if not invited or any(mine & set(f.applies_to["applicant"]) for f in invited):
        return None
    return invited[0], "按通知，对象不包括您所说的单位类型"


def _inside_rules_region(f: Fact, query: Query) -> bool:
    """The place the user says they are from lies inside the region the rule's own document covers
    (a city of the province, for a provincial rule that asks for units in the province), though outside the notice's city."""
    from knowledge.scope import inside, origin_elsewhere, region_short

    region = get_notice(f.notice).region_of(f.doc)
    places = origin_elsewhere(query.text)
    home = normalize_text(region_short(region or ""))
    return bool(places) and bool(home) and all(inside(p, home) for p in places)


def _class_conflict_except(f: Fact, query: Query, dim: str = "locality") -> bool:
    """class_conflict, leaving one dimension out (the one being checked)."""
    return class_conflict(
        f.model_copy(update={"applies_to": {d: v for d, v in f.applies_to.items() if d != dim}}), query
    )


def _required_classes(f: Fact, rules: list[Fact], query: Query) -> list[str]:
    """Class dimensions a rule is limited to (a list of enterprise types) rather than branched on (高新 or
    其他领域): no other rule on the metric names another value. The applicant dimension is left out."""
    out = []
    for dim, values in f.applies_to.items():
        if dim in ("applicant", "actor") or dim in _unknown_dimensions(rules, query):
            continue
        others = {v for o in rules if o.metric == f.metric for v in o.applies_to.get(dim, [])}
        if others <= set(values):
            out.append(dim)
    return out


def _class_check(f: Fact, dim: str, query: Query) -> tuple[bool | None, str]:
    """The user's class against the ones a rule names: met, or not said (never a guess)."""
    values = f.applies_to[dim]
    names = "、".join(_class_name(dim, v) for v in values)
    mine = query.classes.get(dim, set())
    if mine & set(values):
        said = "、".join(_class_name(dim, v) for v in sorted(mine & set(values)))
        return True, f"类型：您说的“{said}”，要求为{names}等——满足。"
    if query.negated.get(dim, set()) >= set(values):
        return False, f"类型：要求为{names}等——按您说的不属于，不满足。"
    return None, f"类型：要求为{names}等——您没有说明属于哪一类，无法判断。"


def _primary_of_same(facts: list[Fact]) -> list[Fact]:
    """One fact per rule printed twice (`same_as`): the first; the other is cited with it."""
    out: list[Fact] = []
    for f in facts:
        if not any(f.id in {x.id for x in same_facts(o)} for o in out):
            out.append(f)
    return out


def _in_its_classes(f: Fact, query: Query) -> bool:
    """The user names a class of every dimension the rule is limited to (企业牵头, 山区26县)."""
    return bool(f.applies_to) and all(query.classes.get(d, set()) & set(vs) for d, vs in f.applies_to.items())


def _most_specific(facts: list[Fact], query: Query) -> list[Fact]:
    """Where the user names the class of an exception (山区26县), its rule replaces the general one on the
    same metric whose class the user did not name."""
    named = {f.id for f in facts if _in_its_classes(f, query)}
    ids = {f.id for f in facts}
    out = []
    for f in facts:
        known = ids | {f.id}
        if any(resolve_ref(f, e, known) in named for e in f.exceptions):
            continue  # the user is in the class of a printed exception to this rule
        rivals = [o for o in facts if o.metric == f.metric and o.id in named and o.id != f.id]
        excepted = any(resolve_ref(o, e, ids) == f.id for o in rivals for e in o.exceptions)
        if (
            f.id not in named
            and rivals
            and not excepted
            and not all(query.classes.get(d) for d in f.applies_to)
        ):
            continue  # (a printed exception to a rule of the user's class stays: it may be theirs)
        out.append(f)
    return out


def _gap(f: Fact, have: float | None, query: Query, draft: Draft) -> str:
    """How far a failed minimum is: 还差350万元; for a share, the amount it takes (至少需60万元)."""
    least = own_figure(query, f.than)[0] if f.than else f.value
    if have is None or least is None or f.op not in ("ge", "gt"):
        return ""
    if f.unit == "万元" or f.than:
        gap = least - have
        if gap <= 0:  # 正好1亿元 against 超过1亿元: equal is not above
            return "（正好等于，未超过）" if f.op == "gt" else ""
        draft.computed += [fmt_wan(gap), fmt_num(gap)]
        return f"，还差{fmt_wan(gap)}" + ("以上（须超过）" if f.op == "gt" else "")
    ratio = vocabulary().metrics.get(f.metric or "", {}).get("ratio")
    if f.unit == "%" and ratio:
        den = own_figure(query, ratio[1])[0]
        if den is None and ratio[1] in ("rd", "invest"):
            den = query.own("invest") or query.own("rd")
        if den:
            need = den * least / 100
            draft.computed += [fmt_wan(need), fmt_num(need)]
            part = own_figure(query, ratio[0])[0]  # 付给揭榜方70万: what the user has, against the need
            short = ""
            if part is not None and part < need:
                short = f"，您的{fmt_wan(part)}还差{fmt_wan(need - part)}"
                draft.computed += [fmt_wan(need - part), fmt_num(need - part)]
            others = [m for m in vocabulary().metrics.get(ratio[1], {}).get("sum") or [] if m != ratio[0]]
            if len(others) == 1 and query.own(others[0]) is not None:
                # 总预算600万、自筹须80%: the other part of the total (the grant) is then at most 120万
                most = den - need
                draft.computed += [fmt_wan(most), fmt_num(most)]
                short += f"；相应地{metric_label(others[0])}最多{fmt_wan(most)}（{fmt_wan(den)} − {fmt_wan(need)}）"
            return f"，按{fmt_wan(den)}计至少需{fmt_wan(need)}{short}"
    return ""


def _mentioned_rules(query: Query, facts: list[Fact], draft: Draft, outcome: Outcome) -> None:
    """Rules about what the user mentioned (信用, 独立研发机构…) but that have no figure to check."""
    topics = _topics(query)
    if not topics or not facts:
        return
    tokens = fact_tokens()
    whole = Part(query.text, query.asks, [], sorted(topics))
    relevance = {s.fact.id: s.lexical for s in score_facts(whole, query, facts[0].notice)}
    picked = 0
    for f in sorted(facts, key=lambda f: -relevance.get(f.id, 0.0)):
        if picked >= 2 or relevance.get(f.id, 0.0) < 0.25:
            break
        if f.id in outcome.shown or f.kind not in (Kind.REQUIREMENT, Kind.WHO) or class_conflict(f, query):
            continue
        if any(f"⟨t:{t}⟩" in tokens[f.id] for t in topics):
            draft.add(f"· {f.label}：{cite_fact(f, draft)}——请对照自查。")
            outcome.shown.add(f.id)
            picked += 1


def _dimension_name(dim: str) -> str:
    """How a class dimension is named to a user: its values' first words (高新技术领域或其他领域)."""
    values = vocabulary().class_values(dim)
    return "或".join(str(ws[0]) for ws in values.values())


def _condition_head(f: Fact, query: Query) -> str:
    """若由企业牵头： — the classes a rule is limited to that the user has not said they are in."""
    said = [  # (非农业、不在山区县: of the values left, only those the user has not denied)
        "或".join(_class_name(d, v) for v in vs if v not in query.negated.get(d, set()))
        for d, vs in f.applies_to.items()
        if d != "actor" and not query.classes.get(d, set()) & set(vs)
    ]
    return f"若属{'，'.join(w for w in said if w)}：" if any(said) else ""


def _class_name(dim: str, value: str) -> str:
    words = vocabulary().classes.get(dim, {}).get(value, [value])
    return str(words[0])


def _unknown_dimensions(facts: list[Fact], query: Query) -> list[str]:
    dims: dict[str, set[str]] = {}
    for f in facts:
        for d, vs in f.applies_to.items():
            if d in ("applicant", "actor", "enterprise_type") or (
                d in query.classes and d not in _choices(query)
            ):
                continue
            dims.setdefault(d, set()).update(vs)
    return [d for d, vs in dims.items() if len(vs) >= 2 or any(d not in f.applies_to for f in facts)]


def _choices(query: Query) -> dict[str, set[str]]:
    """Class dimensions the user names several values of (该选重大需求还是重点需求): each is a case to
    check on its own, never all of them at once."""
    return {
        d: vs
        for d, vs in query.classes.items()
        if len(vs) >= 2 and d not in ("applicant", "actor", "enterprise_type")
    }


def _scenarios(
    facts: list[Fact], dims: list[str], query: Query | None = None
) -> list[tuple[tuple[tuple[str, str | None], ...], list[Fact]]]:
    """One list of binding rules per combination of the class values the user did not state (never a
    value they denied). Where a general rule has a printed exception for some values, "none of them"
    is a case too, and in the exception's case its rule replaces the general one."""
    if not dims:
        return [((), facts)]
    denied = query.negated if query is not None else {}
    values: list[list[tuple[str, str | None]]] = []
    chosen = _choices(query) if query is not None else {}
    for d in dims:
        vs = sorted({v for f in facts for v in f.applies_to.get(d, [])} - denied.get(d, set()))
        if d in chosen:
            vs = [v for v in vs if v in chosen[d]]
        general = d not in chosen and any(not f.applies_to.get(d) and f.exceptions for f in facts)
        values.append([(d, v) for v in vs] + ([(d, None)] if general else []))
    ids = {f.id for f in facts}
    out: list[tuple[tuple[tuple[str, str | None], ...], list[Fact]]] = []
    for combo in itertools.product(*values):
        rules = [
            f
            for f in facts
            if all(not f.applies_to.get(d) or (v is not None and v in f.applies_to[d]) for d, v in combo)
        ]
        present = {f.id for f in rules}
        rules = [f for f in rules if not any(resolve_ref(f, e, ids) in present for e in f.exceptions)]
        if rules and not any(rules == r for _, r in out):
            out.append((combo, rules))
    return out


def _choice_verdict(by_case: list[tuple[tuple[tuple[str, str | None], ...], bool | None]]) -> str:
    """按您的数字，可以报重大需求；重点需求不符合: each class the user weighs, with its own verdict."""

    def names(want: bool | None) -> str:
        return "、".join(
            "、".join(_class_name(d, v) for d, v in combo if v is not None)
            for combo, ok in by_case
            if ok is want
        )

    said = []
    if names(True):
        said.append(f"按您的数字，可以报{names(True)}")
    if names(False):
        said.append(f"报{names(False)}则有条件不满足")
    if names(None):
        said.append(f"{names(None)}还需要您补充下方标明的信息")
    return "；".join(said)


def _scenario_head(combo: tuple[tuple[str, str | None], ...], facts: list[Fact], query: Query) -> str:
    """若属高新技术领域： / 若不属于农业类企业、山区26县、海岛县："""
    said = []
    for d, v in combo:
        if v is not None:
            said.append("属" + _class_name(d, v))
        else:
            listed = sorted({x for f in facts for x in f.applies_to.get(d, [])})
            said.append("不属于" + "、".join(_class_name(d, x) for x in listed))
    return "若" + "，".join(said) + "："


# -- funding arithmetic from the user's amounts ---------------------------------------------------

REST_ASKED = ("剩下", "剩余", "其余", "余下", "差额", "另外要", "其他部分", "另一部分")
BASE_ALIASES: dict[str, tuple[str, ...]] = {
    "rd": ("rd", "invest"),
    "invest": ("invest", "rd"),
    "list_amount": ("list_amount", "invest"),
}


def _base_below_floor(rate: Fact, base: float, facts: list[Fact]) -> Fact | None:
    """The notice's minimum on the rate's own base (榜单金额不低于100万元) that the user's base misses."""
    metrics = BASE_ALIASES.get(rate.base or "", (rate.base or "",))[:1]
    for f in facts:
        if (
            f.kind == Kind.THRESHOLD
            and f.metric in metrics
            and f.op in ("ge", "gt")
            and f.value is not None
            and f.unit == "万元"
            and f.than is None
            and not meets(f.op, base, f.value)
        ):
            return f
    return None


MONEY_ASKED = frozenset({"funding", "cap"})
NAMED_RUN = 8  # characters a question shares with a printed list for it to name one of its items
# 剩下 / 自己要出多少 / 还差多少要企业补上 / 扣除补助后: the part of the base the grant leaves the user
LEFT_TO_USER = re.compile(
    r"剩下|剩余|其余|余下|自筹|还差|补上|补足|扣除[^，,。？?]{0,6}后|"
    r"(?:自己|企业|我们)(?:还)?(?:要|得|需要?|须)?(?:出|承担|掏|拿出|负担|兜底)"
)
SHARE_ASKED = re.compile(r"百分之几|占多少|占比|几成|实际比例|实际占|占[^，,。？?]{0,10}(?:比例|比重|百分比)")
REST_SUBJECT = re.compile(r"自筹|自己|企业(?:出|承担)|剩下|其余|余下")
GRANT_WORDS = re.compile(r"补|资助|财政|支持|拨|奖励")


BEYOND_GRANT = re.compile(
    r"(?:(?:市|省|县)?财政(?:资金|补助|资助|支持)?(?:之外|以外)|除了?(?:市|省|县)?财政[^，,。？?]{0,6}外)[，,]?"
    r"[^，,。？?]{0,8}(?:区里|县里|区县|县区|园区|乡镇|配套)"
)


def funding(query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """Rate × base with its cap, instalments of the result, a requested grant against a cap."""
    if BEYOND_GRANT.search(query.text):
        return False  # 市财政之外，区里配套多少: money other than the grant is asked
    own = [fig for fig in query.figures if fig.own and fig.unit == "万元"]
    full = query.has(*FULL_GRANT) or bool(FULL_GRANT_FORMS.search(query.text))
    if not own or (full and all(fig.metric is None for fig in own)):
        # 想拿满每项500万的支持: the figure is the cap said back, bound to nothing of the user's
        done = _full_grant_minimums(query, nid, draft, outcome, prefix)
        done = (not own and _schedule_shares(query, nid, draft, outcome, prefix)) or done
        outcome.answered += int(done)
        return done
    asked = bool({"funding", "cap", "schedule"} & set(query.asks)) or "installments" in _topics(query)
    rest_asked = bool(LEFT_TO_USER.search(query.text))
    asked = asked or (rest_asked and bool(GRANT_WORDS.search(query.text)))  # 拿到最高补助后自己要出多少
    money = [p for p in query.parts if MONEY_ASKED & set(p.asks)]
    if (
        money
        and all("payee" in p.metrics and not {"grant", "self"} & set(p.metrics) for p in money)
        and not GRANT_WORDS.search(query.text)
    ):
        asked = False  # 至少要付给揭榜方多少钱: the user's payment is asked, not the grant
    facts = [f for f in facts_of(nid) if doc_ok(f, query) and not class_conflict(f, query)]
    rates = [f for f in facts if f.kind == Kind.RATE and f.base]
    done = False
    grant: float | None = None
    for f in rates[:1]:
        base = next(
            (
                query.own(m)
                for m in BASE_ALIASES.get(f.base or "", (f.base or "",))
                if query.own(m) is not None
            ),
            None,
        )
        if base is None and asked and len(own) == 1 and own[0].metric is None:
            base = own[0].value
        if base is None or not asked:
            continue
        # the figures of the base itself, else of its nearest stand-in (榜单金额 before 总投入): a list
        # amount beside a project total is one project's two figures, not two projects
        aliases = BASE_ALIASES.get(f.base or "", (f.base or "",))
        bases = next(
            (
                found
                for m in aliases
                if (found := [g.value for g in query.figures if g.own and g.unit == "万元" and g.metric == m])
            ),
            [],
        )
        cases = sorted(
            (g for g in query.figures if g.own and g.unit == "万元" and g.metric in aliases),
            key=lambda g: g.start,
        )
        if len(cases) >= 2 and WHAT_IF.search(query.text, cases[0].start):
            # 研发投入160万补多少？要是做到320万呢: each figure is a case of its own, never summed
            for g in cases[:3]:
                worked = apply_rate(f, g.value)
                draft.computed += worked.computed
                draft.add(f"{prefix}按{fmt_wan(g.value)}：{worked.text}{draft.cite(source_of(f))}。")
            outcome.shown.add(f.id)
            done = True
            continue
        if len(bases) >= 2:  # 两个榜，榜单金额分别150万和400万: each one, then the sum
            _rate_each(f, bases, draft, prefix)
            outcome.shown.add(f.id)
            done = True
            continue
        floor = _base_below_floor(f, base, facts)
        if floor is not None:  # 榜单定90万按60%算: below the notice's own floor, no grant to work out
            worked = check_threshold(floor, base)
            draft.computed += worked.computed
            draft.add(
                f"{prefix}{metric_label(floor.metric)}不符合要求：{worked.text}{cite_fact(floor, draft)}。"
                f"因此不按{f.printed}测算财政资金{cite_fact(f, draft)}。"
                f"{metric_label(floor.metric)}须先达到{value_text(floor)}。"
            )
            outcome.shown.update({floor.id, f.id})
            done = True
            continue
        worked = apply_rate(f, base)
        draft.computed += worked.computed
        draft.add(f"{prefix}财政资金测算：{worked.text}{draft.cite(source_of(f))}。")
        grant = min(base * (f.value or 0) / 100, f.cap if f.cap is not None else float("inf"))
        outcome.shown.add(f.id)
        done = True
        share = SHARE_ASKED.search(query.text)
        rest_share = share is not None and REST_SUBJECT.search(
            query.text[max(share.start() - 8, 0) : share.end()]
        )
        if share is not None and not rest_share and base:
            pct = grant / base * 100  # 上限封顶后实际只占榜单金额的百分之几
            draft.computed += [fmt_num(round(pct, 2)) + "%", fmt_num(round(pct, 2))]
            draft.add(
                f"{prefix}实际占{metric_label(f.base or '')}的{fmt_num(round(pct, 2))}%"
                f"（{fmt_wan(grant)} ÷ {fmt_wan(base)}）。"
            )
        if rest_asked or rest_share:
            rest = base - grant  # 榜单450万，财政最多200万，剩下企业至少出250万
            draft.computed += [fmt_wan(rest), fmt_num(rest), fmt_wan(grant), fmt_wan(base)]
            draft.add(
                f"{prefix}其余至少{fmt_wan(rest)}由企业自行承担（{fmt_wan(base)} − {fmt_wan(grant)}）。"
            )
            if rest_share and base:
                pct = (
                    math.floor(rest / base * 10_000) / 100
                )  # 自筹占研发投入的比例: at the least, never rounded up
                draft.computed += [fmt_num(pct) + "%", fmt_num(pct)]
                draft.add(
                    f"{prefix}企业承担部分至少占{metric_label(f.base or '')}的{fmt_num(pct)}%"
                    f"（{fmt_wan(rest)} ÷ {fmt_wan(base)}）。"
                )
    schedules = [f for f in facts if f.kind == Kind.SCHEDULE]
    wants_schedule = "schedule" in query.asks or "installments" in _topics(query) or (done and schedules)
    if grant is None:
        grant = query.own("grant")
        # 财政支持定为200万，分几笔、每笔多少: the grant the user gives is what the instalments split
        wants_schedule = wants_schedule or (grant is not None and asked and bool(schedules))
    if grant is not None and wants_schedule:
        for f in schedules[:1]:
            step = _asked_step(f, query)
            if step is not None:  # 验收合格后最后一笔能拿多少: that one instalment, not every one
                part = f.parts[step]
                got = grant * part.percent / 100
                draft.computed += [fmt_wan(got), fmt_num(got), fmt_wan(grant), fmt_num(grant)]
                draft.add(
                    f"{prefix}{part.label}这一笔：{fmt_wan(grant)} × {fmt_num(part.percent)}% = {fmt_wan(got)}"
                    f"{draft.cite(source_of(f))}（共{len(f.parts)}期：{schedule_text(f)}）。"
                )
                outcome.shown.add(f.id)
                done = True
                continue
            worked = split_schedule(f, grant)
            draft.computed += worked.computed
            draft.add(f"{prefix}分期拨付：{worked.text}{draft.cite(source_of(f))}。")
            _cumulative(f, grant, query, draft, prefix)
            outcome.shown.add(f.id)
            done = True

    # 第一个申请了320万，第二个最多还能申多少: what the unit's total cap leaves, else the request checked
    left = _grant_rest(query, facts)
    request = left or _grant_request(query, nid, facts, floor_first=True)
    if request is not None and not _asks_verdict(query):  # a verdict question gets it as a rule line
        draft.computed += request.computed
        head = f"{prefix}{request.text}{cite_fact(request.fact, draft)}"  # cited first: numbered first
        draft.add(head + "".join(said + cite_fact(f, draft) for said, f in request.then))
        outcome.shown.update({request.fact.id, *(f.id for _, f in request.then)})
        done = True
    done = _rest_of_parts(query, facts, draft, outcome, prefix) or done
    if left is None:  # what is left to ask for is the answer, not the minimums beside a grant
        done = _least_base_for_grant(query, facts, draft, outcome, prefix) or done
        done = _minimum_shares(query, facts, draft, outcome, prefix) or done
    if done:
        outcome.answered += 1
    return done


INSTALMENT_ASKED = re.compile(r"笔|期|当年|拿到|到账|到手|拨")
ONE_STEP = (
    (re.compile(r"最后一(?:笔|期|次)|最后(?:那|这)(?:一)?笔|尾款|末笔"), -1),
    (re.compile(r"第一(?:笔|期|次)|首笔|首期|头一笔"), 0),
    (re.compile(r"第二(?:笔|期|次)"), 1),
    (re.compile(r"第三(?:笔|期|次)"), 2),
)


def _asked_step(f: Fact, query: Query) -> int | None:
    """The one instalment the question asks the amount of (最后一笔 / 中期那笔能拿多少), if only one."""
    if CUMULATIVE.search(query.text) or len(f.parts) < 2:
        return None
    found: set[int | None] = set()
    for clause in re.split(r"[，,。？?；;！!]", query.text):
        elliptic = bool(found) and clause.endswith("呢")  # 中期通过后拨多少？验收合格后呢: asked again
        if not elliptic and (not re.search(r"多少|几", clause) or not INSTALMENT_ASKED.search(clause)):
            continue  # 财政最多支持多少: the grant itself, not an instalment
        if sum(_step_named(p.label, clause) for p in f.parts) > 1:
            found.add(None)  # 签任务书当年和中期评估通过后各拨多少: more than one — every one is shown
            continue
        step = next(
            (i % len(f.parts) for p, i in ONE_STEP if p.search(clause) and -len(f.parts) <= i < len(f.parts)),
            None,
        )
        if step is None:
            named = [i for i, p in enumerate(f.parts) if _step_named(p.label, clause)]
            step = named[0] if len(named) == 1 else None
        found.add(step)  # (None: an instalment asked whose step is not told apart — every one is shown)
    return found.pop() if len(found) == 1 else None


def _schedule_shares(query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """签订那笔和中期那笔加起来占多少: the instalments' shares summed, no amount given."""
    asked = "schedule" in query.asks or "installments" in _topics(query) or "笔" in query.text
    if not asked or not CUMULATIVE.search(query.text):
        return False
    for f in [f for f in facts_of(nid) if f.kind == Kind.SCHEDULE and doc_ok(f, query)][:1]:
        if not any(_step_named(p.label, query.text) for p in f.parts):
            continue
        lines = len(draft.lines)
        _cumulative(f, None, query, draft, prefix)
        if len(draft.lines) > lines:
            draft.lines[-1] += cite_fact(f, draft)
            outcome.shown.add(f.id)
            return True
    return False


AT_CAP = re.compile(r"按上限|顶格|填满|按最高|上限填")


def _rest_of_parts(query: Query, facts: list[Fact], draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """研发总预算900万，需求方出400万，财政按上限填，攻关单位自筹填多少: a total split three ways (vocab
    `parts`), the missing part being the total less the others; a part above its cap counts at the cap."""
    for whole, spec in vocabulary().metrics.items():
        parts = spec.get("parts") or []
        total = query.own(whole)
        named = {m for p in query.parts for m in p.metrics}
        if parts and total is None and whole in named and all(query.own(m) is not None for m in parts):
            # 需求方450万、财政350万、攻关单位自筹200万，总预算是多少: the whole is the sum of its parts
            given_all = [query.own(m) or 0.0 for m in parts]
            whole_sum = sum(given_all)
            draft.computed += [fmt_wan(whole_sum), fmt_num(whole_sum)]
            draft.add(
                f"{prefix}{metric_label(whole)}：{' + '.join(fmt_wan(v) for v in given_all)} = {fmt_wan(whole_sum)}"
                f"（{'、'.join(metric_label(m) for m in parts)}之和）。"
            )
            return True
        if not parts or total is None:
            continue
        if sum(1 for g in query.figures if g.own and g.metric == whole) > 1:
            continue  # 总预算0.12亿，我们企业出0.06亿: two figures read as the total — which is, unsure
        given: dict[str, float] = {}
        cited: list[Fact] = []
        for m in parts:
            cap = next(
                (f for f in facts if f.kind == Kind.CAP and f.metric == m and f.value is not None), None
            )
            have = query.own(m)
            if have is None and cap is not None and AT_CAP.search(query.text):
                have = cap.value
            if have is not None and cap is not None and cap.value is not None and have > cap.value:
                have = cap.value  # 财政资金想填350万: the form allows 300万 at most
            if cap is not None and have is not None:
                cited.append(cap)
            if have is not None:
                given[m] = have
        named = {m for p in query.parts for m in p.metrics}
        missing = [m for m in parts if m not in given]
        own_funds = query.own("self")
        unnamed = [m for m in missing if m not in named]
        said_as = ""
        if own_funds is not None and "self" not in parts and len(missing) == 2 and len(unnamed) == 1:
            # 我们企业自己出500万，攻关单位自筹填多少: the user's own money is the part they do not ask
            given[unnamed[0]] = own_funds
            missing = [m for m in missing if m != unnamed[0]]
            said_as = f"（您自己出的{fmt_wan(own_funds)}按{metric_label(unnamed[0])}计）"
        # 需求方出资加攻关单位自筹至少多少: the parts named together are asked as one sum
        if not given or not missing or (len(missing) > 1 and not set(missing) <= named):
            continue
        rest = total - sum(given.values())
        terms = " − ".join(fmt_wan(given[m]) for m in parts if m in given)
        draft.computed += [fmt_wan(rest), fmt_num(rest), *(fmt_wan(v) for v in given.values())]
        refs = "".join(cite_fact(f, draft) for f in cited)
        what = "与".join(metric_label(m) for m in missing) + ("合计" if len(missing) > 1 else "")
        draft.add(
            f"{prefix}{what}：{fmt_wan(total)} − {terms} = {fmt_wan(rest)}"
            f"（{metric_label(whole)}减去其余各项）{said_as}。{refs}"
        )
        outcome.shown.update(f.id for f in cited)
        caps = [f for f in facts if f.kind == Kind.CAP and len(missing) == 1 and f.metric == missing[0]]
        most = caps[0].value if caps else None
        if most is not None and rest > most:  # 剩下的全填财政资金，行不行
            cap, over = caps[0], rest - most
            draft.computed += [fmt_wan(over), fmt_num(over)]
            head = "不行" if _asks_verdict(query) else "注意，超过上限"
            draft.add(
                f"{prefix}{head}：{metric_label(cap.metric or '')}{value_text(cap)}{cite_fact(cap, draft)}，"
                f"{fmt_wan(rest)}超出{fmt_wan(over)}；这一项最多填{fmt_wan(most)}，"
                f"差额{fmt_wan(over)}须由其余各项补足或压缩总额。"
            )
            outcome.shown.add(cap.id)
        return True
    return False


def _rate_each(f: Fact, bases: list[float], draft: Draft, prefix: str) -> None:
    """One rate over several bases (two projects): each result with its cap, then their sum."""
    grants = []
    for i, base in enumerate(bases, 1):
        worked = apply_rate(f, base)
        draft.computed += [*worked.computed, str(i)]
        draft.add(f"{prefix}第{i}项财政资金测算：{worked.text}{draft.cite(source_of(f))}。")
        grants.append(min(base * (f.value or 0) / 100, f.cap if f.cap is not None else float("inf")))
    total = sum(grants)
    draft.computed += [fmt_wan(total), fmt_num(total), *(fmt_wan(g) for g in grants)]
    draft.add(f"{prefix}合计最多{fmt_wan(total)}（{' + '.join(fmt_wan(g) for g in grants)}）。")


CUMULATIVE = re.compile(r"累计|一共|总共|加起来|合计|前两笔|前几笔|拿到手")


def _cumulative(f: Fact, grant: float | None, query: Query, draft: Draft, prefix: str) -> None:
    """累计到中期评估通过后能拿多少: the instalments up to the step named, summed, and what is left
    (their shares alone when the user gives no amount: 签订那笔和中期那笔加起来占多少)."""
    m = CUMULATIVE.search(query.text)
    if m is None:
        return
    clause = re.split(r"[，,。？?；;！!]", query.text[: m.start()])[-1] + query.text[m.start() :]
    clause = re.split(r"[，,。？?；;！!]", clause)[0]  # the clause that asks the sum names its step
    named = [i for i, p in enumerate(f.parts) if _step_named(p.label, clause)]
    if not named:  # 签订那笔和中期那笔，加起来占多少: the steps in the clause before
        sentence = re.split(r"[。？?；;！!]", query.text[: m.start()])[-1]
        named = [i for i, p in enumerate(f.parts) if _step_named(p.label, sentence)]
    if not named and re.search(r"(?:两|2)(?:个|笔|项|者)", clause):
        # 签订当年能拨多少？中期那笔呢？两个加起来呢: the steps the question named, added
        said = [i for i, p in enumerate(f.parts) if _step_named(p.label, query.text)]
        if len(said) == 2 and grant is None:
            both = [f.parts[i] for i in said]
            pct = sum(p.percent for p in both)
            draft.computed += [fmt_num(pct) + "%", fmt_num(pct)]
            draft.add(
                f"{prefix}“{both[0].label}”与“{both[1].label}”两笔合计{fmt_num(pct)}%"
                f"（{' + '.join(fmt_num(p.percent) + '%' for p in both)}）。"
            )
        elif len(said) == 2 and grant is not None:
            both = [f.parts[i] for i in said]
            got = sum(grant * p.percent / 100 for p in both)
            draft.computed += [fmt_wan(got), fmt_num(got), fmt_num(sum(p.percent for p in both)) + "%"]
            draft.add(
                f"{prefix}“{both[0].label}”与“{both[1].label}”两笔合计{fmt_num(sum(p.percent for p in both))}%"
                f"即{fmt_wan(got)}（{' + '.join(fmt_wan(grant * p.percent / 100) for p in both)}）。"
            )
        return
    if not named or named[-1] == len(f.parts) - 1:
        return
    upto = f.parts[: named[-1] + 1]
    if grant is None:
        pct = sum(p.percent for p in upto)
        draft.computed += [fmt_num(pct) + "%", fmt_num(pct), fmt_num(100 - pct) + "%"]
        draft.add(
            f"{prefix}截至“{upto[-1].label}”累计{fmt_num(pct)}%（{' + '.join(fmt_num(p.percent) + '%' for p in upto)}），"
            f"其余{fmt_num(100 - pct)}%在之后拨付。"
        )
        return
    got = sum(grant * p.percent / 100 for p in upto)
    rest = grant - got
    pct = sum(p.percent for p in upto)
    draft.computed += [
        fmt_wan(got),
        fmt_num(got),
        fmt_wan(rest),
        fmt_num(rest),
        fmt_num(pct) + "%",
        fmt_num(pct),
    ]
    draft.add(
        f"{prefix}截至“{upto[-1].label}”累计{fmt_num(pct)}%即{fmt_wan(got)}"
        f"（{' + '.join(fmt_wan(grant * p.percent / 100) for p in upto)}），其余{fmt_wan(rest)}在之后拨付。"
    )


def _step_named(label: str, text: str) -> bool:
    """The question names the step (中期评估, 签订, 验收) by a 2+ character word of its label."""
    core = re.sub(r"任务书|当年|后|通过|合格|到期", " ", normalize_text(label))
    words = [w for w in re.split(r"\s+", core) if len(w) >= 2]
    text = re.sub(r"签(?![订署约])", "签订", text)  # 签任务书当年: 签 says 签订
    return any(
        w[i : i + 2] in text for w in words for i in range(len(w) - 1) if w[i : i + 2] not in ("任务", "执行")
    )


def _least_base_for_grant(
    query: Query, facts: list[Fact], draft: Draft, outcome: Outcome, prefix: str
) -> bool:
    """想拿满50万补助，研发投入至少多少: the base a rate needs to give the grant the user wants (grant ÷
    rate), and what other rules measured on that base then require (付揭榜方 ≥ 40% of it)."""
    wanted = query.own("grant")
    if wanted is None or not query.has("至少", "最少", "最低", "起码", "多少"):
        return False
    usable = [f for f in facts if doc_ok(f, query) and not class_conflict(f, query)]
    for f in [f for f in usable if f.kind == Kind.RATE and f.base and f.value][:1]:
        aliases = BASE_ALIASES.get(f.base or "", (f.base or "",))
        if any(query.own(m) is not None for m in aliases):
            return False  # the base is given: the grant is checked against rate × base instead
        assert f.value is not None
        if f.cap is not None and wanted > f.cap + 1e-9:
            draft.add(f"{prefix}您想要的{fmt_wan(wanted)}超过单项上限{fmt_wan(f.cap)}，按上限测算。")
            wanted = f.cap
        base = wanted / (f.value / 100)
        worked = f"{fmt_wan(wanted)} ÷ {fmt_num(f.value)}%"
        draft.computed += [worked, fmt_wan(base), fmt_num(base), fmt_wan(wanted)]
        draft.add(f"{prefix}{metric_label(f.base)}至少{fmt_wan(base)}（{worked}）。{cite_fact(f, draft)}")
        outcome.shown.add(f.id)
        for rule in usable:
            ratio = vocabulary().metrics.get(rule.metric or "", {}).get("ratio")
            if rule.kind != Kind.THRESHOLD or rule.op not in ("ge", "gt") or not ratio or rule.value is None:
                continue
            if ratio[1] not in aliases:
                continue
            least = base * rule.value / 100
            shown = f"{fmt_wan(base)} × {rule.printed or fmt_num(rule.value) + '%'}"
            draft.computed += [shown, fmt_wan(least), fmt_num(least)]
            draft.add(
                f"{prefix}{metric_label(ratio[0])}至少{fmt_wan(least)}（{shown}）。{cite_fact(rule, draft)}"
            )
            outcome.shown.add(rule.id)
        return True
    return False


def _asks_verdict(query: Query) -> bool:
    return bool({"eligibility", "who", "threshold"} & set(query.asks))


@dataclass
class RuleCheck:
    """One rule checked against the user's figures: the line (without its citation) and the result."""

    fact: Fact
    text: str
    ok: bool | None
    computed: list[str]
    then: list[tuple[str, Fact]] = field(default_factory=list)  # more of the line, each with its rule


SUM_CAP = re.compile(r"总额|合计|总计")
COORDINATED_FIGURE = re.compile(r"[和、与及跟]|以及")


def _grant_total(query: Query, facts: list[Fact]) -> RuleCheck | None:
    """分别申请300万和260万: several grants asked at once against a cap on their total for the unit
    the user is (县（市、区）申请财政资金总额不超过500万元)."""
    asked: list[float] = []
    before: list[
        str
    ] = []  # the words before each grant, since the last one (一项区域科技创新体系建设，申请320万)
    last_end = -10
    for f in query.figures:
        joined = COORDINATED_FIGURE.fullmatch(query.text[last_end : f.start]) is not None
        if f.own and f.unit == "万元" and (f.metric == "grant" or (f.metric is None and asked and joined)):
            asked.append(f.value)  # 分别申请200万和250万: the second figure is a grant too
            before.append(query.text[max(last_end, 0) : f.start])
            last_end = f.start + len(f.raw)
    cap = _unit_total_cap(query, facts)
    if len(asked) < 2 or cap is None:
        return None
    total = sum(asked)
    worked = check_threshold(cap, total)
    terms = " + ".join(fmt_wan(v) for v in asked)
    text = f"申请的财政资金合计：{terms} = {fmt_wan(total)}；{worked.text}。"
    check = RuleCheck(cap, text, worked.ok, [fmt_wan(total), fmt_num(total), *worked.computed])
    for value, said in zip(asked, before, strict=True):
        own = _direction_caps(facts, cap, said)  # each item within the cap of the direction named for it
        if len(own) != 1:
            continue
        each = check_threshold(own[0], value)
        check.then.append((f"{own[0].label}：{each.text}。", own[0]))
        check.computed += each.computed
        if each.ok is False:
            check.ok = False
    return check


def _direction_caps(facts: list[Fact], total: Fact, text: str) -> list[Fact]:
    """The grant caps (other than a unit's total) whose heading the text names (科技成果转移转化)."""
    return [
        f
        for f in facts
        if f.kind == Kind.CAP
        and f.metric == "grant"
        and f is not total
        and f.value is not None
        and any(len(h) >= 4 and normalize_text(h) in text for h in _headings_of(f))
    ]


def _unit_total_cap(query: Query, facts: list[Fact]) -> Fact | None:
    """The one cap on the total of grants for the unit the user is (县（市、区）申请财政资金总额不超过500万元)."""
    caps = [
        f
        for f in facts
        if f.kind == Kind.CAP
        and f.metric == "grant"
        and f.value is not None
        and SUM_CAP.search(f.label + f.quote)
        and f.per
        and _per_named(f.per, query)
        and doc_ok(f, query)
    ]
    return caps[0] if len(caps) == 1 else None


LEFT_ASKED = re.compile(r"还能(?:申请|报|拿|要)|还可以(?:申请|报|拿)|剩下的?(?:额度|还)?|剩余额度|最多还")


def _grant_rest(query: Query, facts: list[Fact]) -> RuleCheck | None:
    """第一个申请280万，第二个最多还能申请多少: what a cap on the total for the unit the user is leaves the
    rest (500万元 − 280万元), lowered by the cap of the direction the rest is named for."""
    asked = [f for f in query.figures if f.own and f.unit == "万元" and f.metric == "grant"]
    if len(asked) != 1 or not LEFT_ASKED.search(query.text[asked[0].start :]):
        return None
    cap = _unit_total_cap(query, facts)
    if cap is None or cap.value is None:
        return None
    used = asked[0].value
    rest = max(cap.value - used, 0.0)
    named = _direction_caps(facts, cap, query.text[asked[0].start + len(asked[0].raw) :])
    text = f"余下项目最多还能申请：{fmt_wan(cap.value)} − {fmt_wan(used)} = {fmt_wan(rest)}（{cap.label}{value_text(cap)}）"
    computed = [fmt_wan(used), fmt_wan(rest), fmt_num(rest), fmt_wan(cap.value)]
    then: list[tuple[str, Fact]] = []
    if len(named) == 1 and named[0].value is not None:
        lower = min(rest, named[0].value)
        then.append((f"；{named[0].label}{value_text(named[0])}", named[0]))
        then.append((f"，所以这一项最多{fmt_wan(lower)}。", cap))
        computed += [fmt_wan(lower), fmt_num(lower)]
    return RuleCheck(cap, text + ("" if then else "。"), True, computed, then)


def _grant_request(query: Query, nid: str, facts: list[Fact], floor_first: bool = False) -> RuleCheck | None:
    """The grant the user asks for against the most the notice gives them: rate × their base with its
    cap when they gave the base (160万 × 25% = 40万 < 45万 asked), else the cap alone. Outside a verdict
    (whose own lines check the floor), a base below the notice's floor comes first: no grant at all."""
    requested = query.own("grant")
    if requested is None:
        return None
    facts = [f for f in facts if doc_ok(f, query) and not class_conflict(f, query)]
    for f in [f for f in facts if f.kind == Kind.RATE and f.base and f.value is not None][:1]:
        bases = BASE_ALIASES.get(f.base or "", (f.base or "",))
        base = next((query.own(m) for m in bases if query.own(m) is not None), None)
        if base is None:
            continue
        floor = _base_below_floor(f, base, facts)
        if (
            floor is not None and floor_first
        ):  # 80万的榜按60%能给48万吧: below the floor, no grant is worked out at all
            low = check_threshold(floor, base)
            text = (
                f"{metric_label(floor.metric)}不符合要求：{low.text}；须先达到这一条，"
                f"才谈得上按比例测算财政资金（您说的{fmt_wan(requested)}）。"
            )
            return RuleCheck(floor, text, False, [*low.computed, fmt_wan(requested)])
        worked = apply_rate(f, base)
        most = min(base * (f.value or 0) / 100, f.cap if f.cap is not None else float("inf"))
        ok = requested <= most + 1e-9
        over = f"超出{fmt_wan(requested - most)}" if not ok else "未超出"
        text = f"申请的财政资金：您的{fmt_wan(requested)}，按通知{worked.text}——{over}。"
        return RuleCheck(f, text, ok, [*worked.computed, fmt_wan(requested), fmt_wan(requested - most)])
    caps = _caps_that_apply(query, nid, [f for f in facts if f.kind == Kind.CAP and f.metric == "grant"])
    if len(caps) == 1:
        worked = check_threshold(caps[0], requested)
        text = f"申请的财政资金：{worked.text}"
        computed = list(worked.computed)
        total = query.own("invest")
        cap = caps[0].value
        if worked.ok is False and total is not None and cap is not None and total > cap:
            # 总预算800万、财政想填350万: at the cap, the rest of the total is what the others put in
            rest = total - cap
            text += f"；按上限{fmt_wan(cap)}计，其余各项合计至少{fmt_wan(rest)}（{fmt_wan(total)} − {fmt_wan(cap)}）"
            computed += [fmt_wan(rest), fmt_num(rest), fmt_wan(total)]
        return RuleCheck(caps[0], text + "。", worked.ok, computed)
    return None


NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+、)")


def _headings_of(f: Fact) -> list[str]:
    """The short headings a fact is printed under or named by (（二）科技创新基地建设 → 科技创新基地建设)."""
    out = [NUMBERING.sub("", q).strip("：: ") for q in f.also if len(q) <= 24]
    if "方向" in f.label:
        out.append(f.label.split("方向")[0])
    return out


def _caps_that_apply(query: Query, nid: str, caps: list[Fact]) -> list[Fact]:
    """The one cap a question is about when a notice sets several (per direction): the one the question
    names clearly ahead of the others; all of them when it names none."""
    if len(caps) <= 1:
        return caps
    named = [c for c in caps if any(len(h) >= 4 and normalize_text(h) in query.text for h in _headings_of(c))]
    if len(named) == 1:
        return named  # 申报“科技创新基地建设”: the cap printed under that heading
    whole = Part(query.text, query.asks, [], [])
    scores = {s.fact.id: s.lexical for s in score_facts(whole, query, nid)}
    ranked = sorted(caps, key=lambda f: -scores.get(f.id, 0.0))
    if scores.get(ranked[0].id, 0.0) - scores.get(ranked[1].id, 0.0) >= 0.1:
        return ranked[:1]
    return ranked


FULL_GRANT = (
    "拿满",
    "顶格",
    "封顶额",
    "拿到封顶",
    "最高额",
    "最高支持",
    "拿到上限",
    "最高额度",
    "拿到最高",
    "支持上限",
    "每项支持上限",
    "按上限",
    "按最高",
    "到顶",
    "申请到最高",
)


# 按支持强度上限申请 / 按该方向最高额度申报: the grant at its printed cap, in other words
# 超过多少就会碰到200万的上限: the base from which the grant is at its cap
FULL_GRANT_FORMS = re.compile(
    r"按[^，,。？?；]{0,6}(?:上限|最高)[^，,。？?；]{0,4}(?:申请|申报|拿|算)"
    r"|(?:碰到|达到|触到|触及|够到|顶到|摸到)[^，,。？?；]{0,8}(?:上限|封顶)"
)


def _full_grant_minimums(query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """想拿满每项支持上限，总预算至少多少: the minimums worked out with the one cap that applies as the
    grant the user wants."""
    full = query.has(*FULL_GRANT) or bool(FULL_GRANT_FORMS.search(query.text))
    if not full or not query.has("至少", "最少", "最低", "起码", "超过多少", "多少以上", "多少才"):
        return False
    facts = [f for f in facts_of(nid) if doc_ok(f, query) and not class_conflict(f, query)]
    caps = [f for f in facts if f.kind == Kind.CAP and f.metric == "grant" and f.unit == "万元" and f.value]
    chosen = _caps_that_apply(query, nid, caps)
    rated = [f for f in facts if f.kind == Kind.RATE and f.base and f.cap is not None]
    if len(chosen) == 1 and chosen[0].value is not None:
        cap, most = chosen[0], chosen[0].value
        said = f"按{cap.label}{value_text(cap)}测算{cite_fact(cap, draft)}："
    elif not chosen and len(rated) == 1 and rated[0].cap is not None:
        cap, most = rated[0], rated[0].cap  # 60%、最高200万: the cap printed with the rate
        said = f"按单项最高{fmt_wan(most)}测算{cite_fact(cap, draft)}："
    else:
        return False
    wanted = UserFigure(most, "万元", "grant", fmt_wan(most), -1, own=True)
    derived = replace(query, figures=[*query.figures, wanted], memo={})
    draft.computed += [fmt_wan(most), fmt_num(most)]
    draft.add(prefix + said)
    outcome.shown.add(cap.id)
    if _least_base_for_grant(derived, facts, draft, outcome, prefix) or _minimum_shares(
        derived, facts, draft, outcome, prefix
    ):
        return True
    draft.lines.pop()  # nothing follows from the cap: say nothing of it here
    return False


def _minimum_shares(query: Query, facts: list[Fact], draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """A minimum the user has not given, worked out from the figures they have. 自筹不低于80% with
    总预算800万 → 自筹至少640万，其余最多160万; with 财政资金500万 → 总经费至少2500万; 自筹不低于财政补助
    with 补助150万 → 自筹至少150万，总经费至少300万 (a total is the sum of its parts, vocab `sum`)."""
    if not query.has("多少", "至少", "最少", "最多", "最低"):
        return False
    rules = [
        f
        for f in facts
        if f.kind == Kind.THRESHOLD
        and f.op in ("ge", "gt")
        and (f.than is not None or (f.unit == "%" and f.value is not None))
    ]
    rules = _most_specific([f for f in rules if not class_conflict(f, query)], query)
    done = False
    named = {m for p in query.parts for m in p.metrics}
    if any("funding" in p.asks for p in query.parts):
        named.add("grant")  # 财政最多能补多少: the grant is what is asked
    worked: list[tuple[Fact, str]] = []
    for f in _named_first(rules, query):
        if not _about(f, named, query):
            continue  # 研发投入300万，能补助多少: the share paid to the solver is not asked
        line = _least_by_relation(f, query, draft) if f.than else _least_by_share(f, query, draft)
        if line:
            worked.append((f, line))
    for f, line in worked:  # several rules for classes the user did not name: each says whose it is
        head = _condition_head(f, query) if len(worked) > 1 else ""
        draft.add(f"{prefix}{head}{line}{cite_fact(f, draft)}")
        outcome.shown.add(f.id)
        done = True
    caps = [f for f in facts if f.kind == Kind.CAP and f.unit == "万元" and not class_conflict(f, query)]
    if done or len(caps) != 1:
        return done  # a share rule decides it, or caps differ by direction or level: nothing to pick
    for f in caps:  # 总预算900万，财政最多300万 → 其余至少600万
        line = _rest_after_cap(f, query, named, draft)
        if line:
            draft.add(f"{prefix}{line}{cite_fact(f, draft)}")
            outcome.shown.add(f.id)
            done = True
    return done


def _rest_after_cap(f: Fact, query: Query, named: set[str], draft: Draft) -> str | None:
    """The other part of a total the user gives, when the notice caps one part (vocab `sum`)."""
    if f.value is None or f.unit != "万元" or f.op not in ("le", "lt") or not f.metric:
        return None
    for whole in vocabulary().metrics:
        other = _sum_partner(f.metric, whole)
        total = query.own(whole)
        asked = other in named or query.has(*REST_ASKED)
        if other is None or total is None or not asked or query.own(other) is not None:
            continue
        amounts = [fig for fig in query.figures if fig.own and fig.unit == "万元"]
        if len(amounts) > 1:
            return None  # 需求方自己提供250万: more parts than the two the vocabulary knows — no guess
        if any(r.kind == Kind.RATE and r.base and r.value for r in facts_of(f.notice) if doc_ok(r, query)):
            return None  # a rate × base gives the grant (25% of 180万 = 45万), not the cap alone
        rest = max(total - f.value, 0.0)
        draft.computed += [fmt_wan(total), fmt_wan(rest), fmt_num(rest)]
        return (
            f"{metric_label(other)}至少{fmt_wan(rest)}（{metric_label(whole)}{fmt_wan(total)} − "
            f"{metric_label(f.metric)}最多{fmt_wan(f.value)}）。"
        )
    return None


def _about(f: Fact, named: set[str], query: Query) -> bool:
    """The question names the part this rule sets a minimum on, or asks for the total it sets."""
    ratio = vocabulary().metrics.get(f.metric or "", {}).get("ratio")
    part, whole = (ratio[0], ratio[1]) if ratio else (f.metric or "", _whole_of(f.metric or "", f.than or ""))
    partner = (
        _sum_partner(part, whole) if whole else None
    )  # 总预算600万，<资金名>最多多少: the rest of the total
    return (
        bool({part, f.metric, f.than} & named)
        or (whole in named and not any(query.own(m) is not None for m in BASE_ALIASES.get(whole, (whole,))))
        or (partner in named and query.own(partner or "") is None and query.own(whole or "") is not None)
    )


def _named_first(rules: list[Fact], query: Query) -> list[Fact]:
    """Of the rules on the same part (自筹 ≥ 80% of the total, 自筹 ≥ the grant), those for the class the
    user names, when there are any: a rule for a class they did not name is not theirs to work out."""

    def part_of(f: Fact) -> str:
        ratio = vocabulary().metrics.get(f.metric or "", {}).get("ratio")
        return str(ratio[0]) if ratio else f.metric or ""

    keep = []
    for f in rules:
        rivals = [o for o in rules if part_of(o) == part_of(f) and _in_its_classes(o, query)]
        if not rivals or _in_its_classes(f, query):
            keep.append(f)
    return keep


def _sum_partner(part: str, whole: str) -> str | None:
    """The other part of a total made of two (总经费 = 自筹 + 财政资金), per the vocabulary."""
    parts = vocabulary().metrics.get(whole, {}).get("sum", [])
    others = [m for m in parts if m != part]
    return others[0] if part in parts and len(others) == 1 else None


def _whole_of(part: str, other: str) -> str | None:
    return next((m for m, s in vocabulary().metrics.items() if set(s.get("sum", [])) == {part, other}), None)


def _cap_below(
    f: Fact, query: Query, other: str | None, total: float, most: float, part: str, draft: Draft
) -> str:
    """The one cap that applies to the other part, when it is lower than what the share leaves it
    (自筹≥60% leaves 财政 240万, but 转移转化 is capped at 200万 → 财政200万、自筹400万)."""
    if other is None:
        return ""
    caps = [c for c in facts_of(f.notice) if c.kind == Kind.CAP and c.metric == other and c.value is not None]
    caps = [
        c
        for c in _caps_that_apply(query, f.notice, caps)
        if doc_ok(c, query) and not class_conflict(c, query)
    ]
    if len(caps) > 1:
        return "；另有各方向的支持上限：" + "；".join(
            f"{c.label}{value_text(c)}{cite_fact(c, draft)}" for c in caps
        )
    if len(caps) != 1 or caps[0].value is None or caps[0].value >= most:
        return ""
    cap = caps[0].value
    draft.computed += [fmt_wan(cap), fmt_wan(total - cap), fmt_num(total - cap)]
    return (
        f"；但{caps[0].label}{value_text(caps[0])}{cite_fact(caps[0], draft)}，所以{metric_label(other)}最多"
        f"{fmt_wan(cap)}、{metric_label(part)}至少{fmt_wan(total - cap)}（{fmt_wan(total)} − {fmt_wan(cap)}）"
    )


def _least_by_share(f: Fact, query: Query, draft: Draft) -> str | None:
    ratio = vocabulary().metrics.get(f.metric or "", {}).get("ratio")
    if (
        not ratio
        or f.value is None
        or query.own(ratio[0]) is not None
        or query.own(f.metric or "") is not None
    ):
        return None
    part, whole = ratio
    other = _sum_partner(part, whole)
    # 研发投入260万 read as the project's planned investment still bases a share of 研发投入
    total = next((query.own(m) for m in BASE_ALIASES.get(whole, (whole,)) if query.own(m) is not None), None)
    if total is not None:
        least = total * f.value / 100
        rest = total - least
        draft.computed += [fmt_wan(total), fmt_wan(least), fmt_wan(rest), fmt_num(least), fmt_num(rest)]
        rest_label = metric_label(other) if other else "其余"
        line = (
            f"{metric_label(part)}至少{fmt_wan(least)}（{metric_label(whole)}{fmt_wan(total)} × {f.printed}）"
        )
        # the rest, when it is a part the vocabulary names (自筹 → the grant) or is asked; a nameless
        # remainder (研发投入 − 付揭榜方) is no one's figure
        if other or query.has(*REST_ASKED):
            line += f"，{rest_label}最多{fmt_wan(rest)}（{fmt_wan(total)} − {fmt_wan(least)}）"
        return line + _cap_below(f, query, other, total, rest, part, draft) + "。"
    given = query.own(other) if other else None
    if given is None or not 0 < f.value < 100:
        return None
    total = given / (1 - f.value / 100)
    least = total - given
    shown = f"{fmt_wan(given)} ÷ (1 − {f.printed})"
    draft.computed += [shown, fmt_wan(total), fmt_wan(least), fmt_num(total), fmt_num(least)]
    return (
        f"{metric_label(whole)}至少{fmt_wan(total)}（{metric_label(other)}{shown}），"
        f"其中{metric_label(part)}至少{fmt_wan(least)}（{fmt_wan(total)} − {fmt_wan(given)}）。"
    )


def _least_by_relation(f: Fact, query: Query, draft: Draft) -> str | None:
    part, other = f.metric or "", f.than or ""
    given = query.own(other)
    whole = _whole_of(part, other)
    total = query.own(whole) if whole else None
    if given is None and total is not None and query.own(part) is None and whole:
        # 总经费360万、自筹不低于财政补助 → 财政补助最多180万，自筹至少180万
        half = total / 2
        draft.computed += [fmt_wan(half), fmt_num(half), fmt_wan(total), "2"]
        line = (
            f"{metric_label(other)}最多{fmt_wan(half)}、{metric_label(part)}至少{fmt_wan(half)}"
            f"（{metric_label(whole)}{fmt_wan(total)} ÷ 2，{value_text(f)}：{metric_label(other)}）"
        )
        caps = _caps_that_apply(
            query, f.notice, [c for c in facts_of(f.notice) if c.kind == Kind.CAP and c.metric == other]
        )
        caps = [c for c in caps if doc_ok(c, query) and not class_conflict(c, query) and c.value is not None]
        if len(caps) == 1 and caps[0].value is not None and caps[0].value < half:
            most = caps[0].value
            draft.computed += [fmt_wan(most), fmt_wan(total - most), fmt_num(total - most)]
            line += (
                f"；但{caps[0].label}{value_text(caps[0])}{cite_fact(caps[0], draft)}，"
                f"所以{metric_label(other)}最多{fmt_wan(most)}、{metric_label(part)}至少{fmt_wan(total - most)}"
            )
        elif len(caps) > 1:
            line += "；另有各方向的支持上限：" + "；".join(
                f"{c.label}{value_text(c)}{cite_fact(c, draft)}" for c in caps
            )
        return line + "。"
    if given is None or query.own(part) is not None:
        return None
    draft.computed += [fmt_wan(given), fmt_num(given)]
    text = (
        f"{metric_label(part)}至少{fmt_wan(given)}（{value_text(f)}：{metric_label(other)}{fmt_wan(given)}）"
    )
    whole = _whole_of(part, other)
    if whole and query.own(whole) is None:
        total = given * 2
        draft.computed += [fmt_wan(total), fmt_num(total)]
        text += f"，{metric_label(whole)}至少{fmt_wan(total)}（{fmt_wan(given)} + {fmt_wan(given)}）"
    return text + "。"


def _topics(query: Query) -> set[str]:
    return {t for p in query.parts for t in p.topics}


# -- one part of the question, for one notice -----------------------------------------------------

SILENT_NOTE = re.compile(
    r"未写明|未规定|未写|没有写|没写|未说明|未列明|未列|未给出|没有给|未设|没有规定|未提及|未印|没有印|未载明|未明确"
)
# Topics that name the kind of question, not the step a date belongs to.
GENERIC_TOPICS = frozenset({"definition", "purpose", "attachment", "issue_date", "collection_period"})
# Words that ask for the notice's own rules, not those of a sub-document printed in it (附件4).
OWN_LEVEL = re.compile(r"本级|市本级|本市的|市级的")
# 省里那份是哪天发的？跟<本地>自己那份的落款是同一天吗: this part is of the notice, not the document inside it.
OWN_DOCUMENT = re.compile(r"(?:自己|本身|自家)的?(?:那份|这份|那个通知|通知|正文)")
SEQUENCE_WORDS = (
    "流程",
    "阶段",
    "步骤",
    "环节",
    "程序",
    "过程",
    "时间安排",
    "一步步",
    "一步一步",
    "怎么操作",
    "操作步骤",
)
FLOW_PRIMARY = (None, "process", "list", "when", "where", "who", "count")
NOT_FLOW = ("consequence", "contact", "copies", "form")
STEP_ASKS = frozenset({"where", "who", "when", "process", "deadline"})
# 各县（市、区）汇总推荐后报市科技局，截止哪天: the recommending office is the subject, said in the third person.
RECOMMENDER_SUBJECT = re.compile(
    r"(?:各县|县（市、区）|县\(市、区\)|县区|县市区|初审单位|推荐单位)[^，,。？?]{0,8}(?:汇总|推荐)[^，,。？?]{0,6}报"
)
# 初审单位那边要做什么: the recommending office named as the one whose duties are asked
RECOMMENDER_DUTIES = re.compile(
    r"(?:初审单位|推荐单位|科技局|科技主管部门|主管部门)(?:那边|这边|方面|那里)?(?:还|都)?(?:要|需要|该|得|应该|应当)(?:做|干|办)"
)
DUTIES_ASKED = re.compile(
    r"(?:要|需要|该|得|应该|应当)(?:做|干|办)(?:哪些|什么|啥)"
    r"|有(?:哪些|什么|啥)(?:任务|职责|工作要做)|负责(?:什么|哪些|啥)"
)
# 我（们）要做哪些事 / 企业得做什么: the applicant's own duties (谈好了，接下来要办哪些: the flow from there)
OWN_DUTIES = re.compile(r"我|咱|本单位|本企业|企业|公司")
STATE_REACHED = re.compile(r"已经|以后|之后|接下来|下一步|然后")
ROLE_RECOMMENDER = re.compile(
    r"(?:我|我们|本单位|我单位)(?:是|在|属于|这边是|作为)[^，,。？?交报送发]{0,10}?"
    r"(?:科技局|科技主管部门|初审单位|主管部门|工信局|推荐单位)"
)


def notice_facts(query: Query, nid: str, main_only: bool = False) -> list[Fact]:
    """The notice's facts in the document the question is about (the main one unless a sub-document is named)."""
    doc = query.docs.get(nid)
    facts = facts_of(nid)
    if doc is not None:
        return [f for f in facts if f.doc == doc]
    return [f for f in facts if f.doc is None] if main_only else facts


def cited_into(draft: Draft, sub: Draft) -> list[str]:
    """A sub-answer's lines with their citation markers renumbered into the whole answer."""
    return [
        re.sub(r"\[(\d+)\]", lambda m: draft.cite(sub.sources[int(m.group(1)) - 1]), ln) for ln in sub.lines
    ]


def add_notice_answer(draft: Draft, outcome: Outcome, sub: Draft, sub_outcome: Outcome, nid: str) -> None:
    """One notice's answer to its own clause of a question told place by place, under its name."""
    prefix = f"{get_notice(nid).short}："
    for ln in cited_into(draft, sub):
        draft.add(ln if ln.startswith(prefix) else prefix + ln)
    draft.computed += sub.computed
    outcome.answered += sub_outcome.answered
    outcome.silent += sub_outcome.silent
    outcome.shown |= sub_outcome.shown


def add_case(draft: Draft, outcome: Outcome, sub: Draft, sub_outcome: Outcome, case: str) -> None:
    """…如果是农业类企业呢: the answer for the case after the answer for the question, under its own head,
    its citations renumbered into the whole answer; lines the case does not change are not repeated."""
    said = set(draft.lines)
    new = [ln for ln in cited_into(draft, sub) if ln not in said]
    if not new:
        return
    draft.add(f"如果是{case}：")
    for ln in new:
        draft.add(ln)
    draft.computed += sub.computed
    outcome.answered += sub_outcome.answered
    outcome.silent += sub_outcome.silent


def _form_part(part: Part, query: Query, nid: str, draft: Draft, prefix: str = "") -> bool:
    """限多少字？发到哪个邮箱？: the part about a form item answered from the form spec, its citations
    renumbered into the whole answer."""
    from knowledge.form_answers import form_answer

    alone = replace(query, text=part.text, parts=[part], notices=[nid], memo={})
    sub = form_answer(alone)
    if sub is None:
        return False
    for i, line in enumerate(cited_into(draft, sub)):
        draft.add((prefix if i == 0 else "") + line)
    draft.computed += sub.computed
    return True


OTHER_PLACES = re.compile(r"其他地区|其余地区|其他地市|其他市|其余各市")


def _quota_of_the_rest(part: Part, chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
    """<某市>要推荐多少项, where the quotas name other places only: the one for "其他地区" is that place's,
    never the named places' (which would be a false figure for it)."""
    from knowledge.scope import places_in

    named = places_in(part.text)
    quotas = [s for s in scored if s.fact.kind == Kind.QUOTA and s.fact.doc is None]
    if not named or not quotas:
        return chosen
    if any(p in normalize_text(s.fact.quote) for s in quotas for p in named):
        return chosen  # a quota names the place: it is that place's
    rest = [s for s in quotas if OTHER_PLACES.search(s.fact.quote)]
    if not rest:
        return chosen
    placed = {s.fact.id for s in quotas if places_in(normalize_text(s.fact.quote))}
    return [rest[0], *(s for s in chosen if s.fact.id not in placed and s.fact.id != rest[0].fact.id)]


SELF_CLASS = re.compile(
    r"(?:我们|我|本)(?:是|这个|这家|这边)?[\u4e00-\u9fff]{0,4}?(?:协会|集群|企业|公司|高校|大学|院所|单位)"
)
WHO_DOES = re.compile(r"谁(?:来)?(?:组织|负责|审|召开|主持|评|验收|受理|拨)")


URL_ASKED = re.compile(r"网址|链接|网站|网页|域名|登录地址")


BARE_START = re.compile(
    r"^(?:的|这个|那个|这次|今年)?(?:什么时候|啥时候|哪天|几号|何时)(?:开始|起|开放|启动)(?:的|呢|吗)?$"
)
FILED = re.compile(r"(?:哪|哪里|哪儿)(?:交|报|送|提交|填报|报送|申报)")


def _channels_of(query: Query, nid: str, main: list[Fact]) -> list[Scored]:
    """The notice's channels for the user's side (the applicant's unless they act as a bureau), in its order;
    none when the question names a place no notice covers (长沙的在哪报: not this notice's way)."""
    from knowledge.scope import foreign_places_in

    if foreign_places_in(query.text, normalized_text(nid)):
        return []
    role = _user_role(query)
    channels = [f for f in main if f.kind == Kind.CHANNEL and doc_ok(f, query)]
    own = [f for f in channels if (f.actor or "applicant") == role] or channels
    return [Scored(f, THRESHOLD, MIN_LEXICAL) for f in sorted(own, key=lambda f: f.span()[0])[:2]]


KEYS_OF_VALUE = re.compile(r"(?:哪几个|哪些|哪几|哪个)[^，,。？?\d]{0,10}?(\d+)\s*(项|个)")


def _table_keys_of_value(
    part: Part, query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str
) -> bool:
    """哪几个设区市限12项: the keys of a printed table whose value is the one named, each listed."""
    m = KEYS_OF_VALUE.search(part.text)
    if m is None:
        return False
    n = float(m.group(1))
    for f in notice_facts(query, nid):
        keys = [k for k, v in f.table.items() if v == n]
        if keys and f.unit == m.group(2) and doc_ok(f, query):
            draft.add(f"{prefix}{f.label}为{fmt_num(n)}{f.unit}的：{'、'.join(keys)}，{cite_fact(f, draft)}")
            draft.computed += [fmt_num(n), *keys]
            outcome.shown.add(f.id)
            outcome.answered += 1
            return True
    return False


def _offline_asked(part: Part, primary: str | None, main: list[Fact]) -> str | None:
    """What a where-question asks online (a web address, an online system) that the notice never prints."""
    if primary not in ("where", "contact"):
        return None
    if URL_ASKED.search(part.text) and not any(f.url for f in main):
        return "网上报送的网址"
    if "platform" in part.topics and _topic_silent(replace(part, topics=["platform"]), main):
        return "网上填报系统或平台"
    return None


SEQUEL = re.compile(r"^(?:那|那么)?(?:再|然后|之后|此后|随后|接着|接下来|下一步|最后)")


SEQUEL_BAR = 0.2  # the step after a named one is sought among few facts; a weaker match is enough


def _after_last_step(
    part: Part, good: list[Scored], scored: list[Scored], outcome: Outcome, nid: str
) -> list[Scored]:
    """先交给谁？再由谁报到市里: a part opening with 再/然后 asks the step printed after the one the
    part before it was answered with, not that step again."""
    if not SEQUEL.search(part.text):
        return good
    done = [f.span()[0] for f in outcome.answers if f.notice == nid and f.span()[0] >= 0]
    if not done:
        return good
    later = [
        s
        for s in scored
        if s.fact.span()[0] > max(done) and s.score >= SEQUEL_BAR and s.lexical >= MIN_LEXICAL
    ]
    return later or good


def answer_part(
    part: Part, query: Query, nid: str, today: date, draft: Draft, outcome: Outcome, multi: bool
) -> None:
    prefix = f"{get_notice(nid).short}：" if multi else ""
    state_money = not part.metrics and {"funding", "cap"} & set(part.asks) and STATE_MONEY.search(part.text)
    if state_money:
        part = replace(part, metrics=["grant"])  # 财政最多支持多少: the state's money, not the applicant's
    if query.docs.get(nid) is not None and OWN_DOCUMENT.search(part.text):
        query = replace(query, docs={**query.docs, nid: None})  # 跟<本地>自己那份的落款: the notice itself
    several = len(query.parts) > 1 or len(query.notices) > 1  # 两边表里资金那栏: each notice's form
    if part.primary == "form" and several and _form_part(part, query, nid, draft, prefix):
        outcome.answered += 1
        return
    every = score_facts(part, query, nid)
    scored = [s for s in every if s.fact.kind != Kind.AMBIGUITY]
    primary = part.primary
    if primary == "funding" and _asked_metrics(part) and "grant" not in part.metrics:
        primary = "threshold"  # 企业自己要拿出多少钱: the applicant's own money, a requirement
    spec = vocabulary().asks.get(primary or "", {})
    main = notice_facts(query, nid, main_only=True)
    doc = query.docs.get(nid)
    good = [
        s
        for s in scored
        if s.score >= THRESHOLD
        and s.lexical >= MIN_LEXICAL
        and (s.fact.doc is None or s.fact.doc == doc or s.lexical >= SUBDOC_LEXICAL)
    ]
    if doc is None and _main_only_words(part.text, nid):  # 财政补助类: a class only the notice itself has
        good = [s for s in good if s.fact.doc is None]
    good = _after_last_step(part, good, scored, outcome, nid)
    if not good and primary == "where" and FILED.search(part.text) and not part.topics and not part.metrics:
        filed = _channels_of(query, nid, main)
        if filed:  # 在哪交？: the ask is the whole question; the ways to file are the answer
            _show(part, query, filed, today, draft, outcome, prefix)
            return
    sub_good = [s for s in good if s.fact.doc is not None and s.fact.doc != doc]
    if _table_keys_of_value(part, query, nid, draft, outcome, prefix):
        return
    offline = _offline_asked(part, primary, main)
    if (
        offline
    ):  # 网址多少 / 有没有网上系统: a notice that prints none says so, with the way it does take forms
        _silent(part, query, nid, draft, outcome, prefix, offline, good, bar=0.0)
        return

    duty_of = DUTIES_ASKED.search(part.text) and (
        ROLE_RECOMMENDER.search(query.text) or RECOMMENDER_DUTIES.search(part.text)
    )
    if duty_of:
        duties = sorted(
            (Scored(f, 0.0, 0.0) for f in main if f.actor == "recommender"), key=lambda s: s.fact.span()[0]
        )
        if duties:  # 我是区科技局的，我们要做哪些事: every step the notice gives the recommending office
            _show(part, query, duties[:6], today, draft, outcome, prefix)
            return
    elif (
        DUTIES_ASKED.search(part.text)
        and OWN_DUTIES.search(part.text)
        and not STATE_REACHED.search(part.text)
    ):
        steps = sorted(
            (
                Scored(f, 0.0, 0.0)
                for f in notice_facts(query, nid)
                if f.actor == "applicant" and doc_ok(f, query)
            ),
            key=lambda s: s.fact.span()[0],
        )
        if steps:  # 我一个企业要报这个得做哪些事: every step the notice gives the applicant, in its order
            _show(part, query, steps[:6], today, draft, outcome, prefix)
            return
    step_asks = len(set(part.asks) & STEP_ASKS) >= 2  # 先交哪里、谁来审、最后哪个科室: the steps, each asked
    if (
        primary in FLOW_PRIMARY or (strong_flow(part.text) and (primary not in NOT_FLOW or step_asks))
    ) and asks_flow(part.text):
        chain = flow_steps(part, query, nid, good)
        if chain and FIRST_STEP.search(part.text):
            chain = chain[:1]  # 整个流程第一步是啥: that step alone (然后呢 walks on from it)
        if chain:  # 从交材料到发榜怎么走: the notice's steps between the two named, in its order
            _show(part, query, chain, today, draft, outcome, prefix)
            return
    if (
        any(w in part.text for w in SEQUENCE_WORDS)  # this part asks the stages, not another part
        and good
        and primary in (None, "count", "list", "process", "when", "where", "form")
    ):
        stages = _sequence(good, scored)
        if FIRST_STEP.search(part.text):
            stages = stages[:1]  # 整个流程第一步是啥: the first stage alone (然后呢 walks on from it)
        _show(part, query, stages, today, draft, outcome, prefix)
        return
    # Silence that the catalogue decides: no fact of the kind asked, of the metric asked, or of the
    # attribute asked (a phone the notice never printed); or the notice's own note says it is not written.
    required = spec.get("require")
    own_level = bool(OWN_LEVEL.search(part.text))  # 本级: the notice's own rules, not a sub-document's
    if primary == "share" and "grant" in part.metrics:
        required = ["rate"]  # 财政按百分之几补助: a funding rate, not any share
    about = set(part.topics) - GENERIC_TOPICS
    strong = (
        bool(good)
        # 近几年没有不良记录就行: a rule on the very topic asked, printing the unit asked (近三年内)
        and (good[0].lexical >= STRONG_LEXICAL or (bool(about) and about <= set(good[0].fact.topics)))
        and _has_unit(good[0].fact, spec)
        and (good[0].fact.doc == doc or not own_level)
        # 项目周期几年: a rule of another kind that only shares the unit (近三年内无不良记录) is no answer
        and (
            primary != "period"
            or good[0].fact.kind.value in spec.get("kinds", [])
            or good[0].lexical >= KIND_ASIDE_LEXICAL
            or (bool(about) and about <= set(good[0].fact.topics))  # 近几年没有不良记录: its topic asked
        )
    )
    sub_has = bool(sub_good) and any(s.fact.kind.value in (required or ()) for s in sub_good)
    # 需求表攻关时限能选哪几档: a form's options answer a question that asks about the form
    names_form = "form" in query.asks or bool(
        re.search(r"《[^》]*表》|[需征]求?[集]?表里|表上|在填[^，,。？?]{0,40}表", query.raw)
    )
    on_form = names_form and any(s.fact.kind.value == "form_item" for s in good[:2])
    if (
        required
        and not any(f.kind.value in required for f in main)
        and not strong
        and not on_form
        and not (sub_has and not own_level)
    ):
        untouched = _topic_silent(part, main)  # 要注册满几年: of the founding, not a project's period
        what = f"关于{vocabulary().topics[untouched][0]}的规定" if untouched else spec["label"]
        _silent(part, query, nid, draft, outcome, prefix, what, good)
        return
    counted = _uncounted(part, query, main, spec, every)
    if counted is not None:  # what the notice does count (the county's copies) is shown as related
        valued = [s for s in every if s.fact.unit == spec.get("counted") and s.fact.doc is None]
        _silent(
            part, query, nid, draft, outcome, prefix, counted, valued or good, bar=0.0 if valued else None
        )
        return
    if (
        _metric_silent(part, query, main)
        and not (sub_good and not own_level)  # 本级…自筹比例: a document printed inside sets none of it
        # a rule matching the words strongly answers, unless it sets no metric while one is asked of a
        # category it names (公益性…自筹类项目，自筹比例有要求吗: the category's text is no bar on the share)
        and not (
            good
            and good[0].lexical >= STRONG_LEXICAL
            and not (own_level and not good[0].fact.metric)
            and not (state_money and good[0].fact.metric not in (None, "grant"))  # (企业拟投入: not it)
        )
    ):
        bars = vocabulary().asks["threshold"] if primary == "list" else spec  # 营收有什么门槛
        what = _metric_what(_unset_metrics(part, query, main), bars)
        _silent(part, query, nid, draft, outcome, prefix, what, good)
        return
    best_lexical = max((x.lexical for x in scored[:3]), default=0.0)
    missing_topic = _topic_silent(part, main) if primary in TOPIC_ASKS and best_lexical < 0.55 else None
    if missing_topic is None and best_lexical < 0.55:  # 要不要交保证金: the topic is the whole question
        decisive = _topic_silent(part, main)
        missing_topic = decisive if decisive in vocabulary().decisive_topics else None
    if (
        missing_topic is not None
        and primary == "threshold"
        and missing_topic not in vocabulary().decisive_topics
        and any(s.fact.metric in part.metrics for s in good[:3] if s.fact.kind == Kind.THRESHOLD)
    ):
        missing_topic = None  # 集团有子公司…营收门槛多少: the metric asked is set; the topic is the scene
    if missing_topic == "doc_number" and any(_names_cited_document(s.fact, query) for s in good[:3]):
        missing_topic = None  # 项目管理办法的文号: the number of the document the question names
    channels = [f for f in main if f.kind == Kind.CHANNEL]
    if missing_topic is not None and channels and missing_topic in _channel_topics():
        # 也是发邮件就行吗: this document does not take it by mail; the way it does take it is the answer
        label = vocabulary().topics[missing_topic][0]
        draft.add(f"{prefix}{short_of(channels[0])}没有写用{label}报送；它规定的报送方式如下。")
        _show(part, query, [Scored(f, 0.0, 0.0) for f in channels[:2]], today, draft, outcome, "")
        return
    if missing_topic is not None and not sub_good:
        notes = [
            x.fact
            for x in every
            if x.fact.kind == Kind.AMBIGUITY and f"⟨t:{missing_topic}⟩" in fact_tokens()[x.fact.id]
        ]
        label = vocabulary().topics[missing_topic][0]
        _silent(
            part,
            query,
            nid,
            draft,
            outcome,
            prefix,
            f"关于{label}的规定",
            good,
            note=notes[0] if notes else None,
        )
        return
    unvalued = _unvalued_topic(part, good) if primary in MONEY_ASKS or primary is None else None
    if unvalued is not None and not sub_good:  # 一定配套资金支持: encouraged, no amount set
        topic, related = unvalued
        what = f"{vocabulary().topics[topic][0]}的具体金额或比例"
        _silent(part, query, nid, draft, outcome, prefix, what, related, bar=0.0)
        return
    note = _silent_note(every, good, part, query)
    said_back = [t for t in (normalize_text(x) for x in NAMED.findall(query.raw)) if len(t) >= 6]
    if any(t in normalize_text(s.fact.quote) for s in good for t in said_back):
        note = (
            None  # “不低于100万元（财务审计报告口径）”指什么: the rule quoted is the answer; notes beside it
        )
    if primary == "contact" and part.context:
        note = None  # 那协会该找谁: whom to ask, not a note on the last turn's rule
    if note is not None and not (_is_deadline_part(part, good, query) and _has_dated(main)):
        _silent(part, query, nid, draft, outcome, prefix, "", good, note=note)
        return

    timed = (*DATED, Kind.DATE)
    dated_asked = [  # the dated facts of what is asked (路演: the phase it is in), not every date nearby
        s for s in good if s.fact.kind in timed and (not about or about & answered_topics()[s.fact.id])
    ]
    if (
        DAY_ASKED.search(part.text)
        and dated_asked
        and not any(s.fact.date or s.fact.start for s in dated_asked)
        and primary in ("where", "when", None)
    ):  # 路演具体哪天、在哪办: a phase of months is printed, no day; said so, the phase and place beside it
        _silent(part, query, nid, draft, outcome, prefix, "具体日期", [*dated_asked[:1], *good[:3]], bar=0.0)
        return
    if ATTACHMENT_ASK.search(part.text):
        _attachment_number(part, every, draft, outcome, prefix)
    subject = _count_subject(part) if primary == "count" else None
    quotas = [f for f in main if f.kind == Kind.QUOTA]
    # 一家单位: any applicant counted per itself (同一企业…不超过2项 answers it, naming 企业)
    per_words = ("单位", "企业", "协会", "机构") if subject == "单位" else (subject or "",)
    if subject and quotas and not any(w in (f.per or "") + f.quote for f in quotas for w in per_words):
        related = [s for s in good if s.fact.kind == Kind.QUOTA]
        what = "每个县（市、区）可以推荐几项" if subject == "县" else f"每家{subject}可以报几项"
        _silent(part, query, nid, draft, outcome, prefix, what, related)
        return
    said_within = USER_WITHIN.search(part.text)
    relative = _relative_time_rule(part, main, good) if said_within else []
    if said_within and relative:  # 验收申请3个月内提就行吧: the rule's own time, against the user's
        _within_verdict(said_within, relative[0].fact, draft, prefix)
        _show(part, query, relative, today, draft, outcome, prefix)
        return
    if (
        primary == "deadline"
        and good
        and good[0].fact.kind == Kind.DATE
        and not query.dates
        and "issue_date" not in part.topics  # 落款日是截止日吗: the issue date is no duty's date
        and not (EXPLICIT_DEADLINE.search(part.text) and not good[0].fact.date)  # 截止到几号: not 即日起
        # 哪天几点截止: not the day the system opened
        and not (EXPLICIT_DEADLINE.search(part.text) and not CLOSING_WORDS.search(good[0].fact.quote))
    ):
        duty = set(part.topics) - GENERIC_TOPICS
        on_topic = bool(duty & answered_topics()[good[0].fact.id])
        rivals = [
            s
            for s in good
            if s.fact.kind in DATED
            and s.score >= good[0].score - 0.2
            and not (on_topic and not duty & answered_topics()[s.fact.id])
        ]
        if not rivals:  # 绩效什么时候报送: a dated duty (当年年底) clearly ahead of any deadline
            _show(part, query, good[:1], today, draft, outcome, prefix)
            return
    if _is_deadline_part(part, good, query):
        if "issue_date" in part.topics and primary == "deadline":  # 落款日期？这天是截止日吗: both dates
            issued = [
                s for s in good if s.fact.kind == Kind.DATE and "issue_date" in answered_topics()[s.fact.id]
            ]
            _show(part, query, issued[:1], today, draft, outcome, prefix)
        quoted = [  # “9月下旬”是报送截止吗: what the period the user quotes is, before the deadlines
            Scored(f, 0.0, 0.0)
            for f in main
            if f.kind == Kind.DATE and f.when and len(f.when) >= 4 and normalize_text(f.when) in query.text
        ]
        _show(part, query, quoted[:1], today, draft, outcome, prefix)
        relative = _relative_time_rule(part, main, good)
        if relative and not quoted:  # 验收申请是不是截止了: 执行期满1个月内, no date of the calendar
            _relative_due(relative[0].fact, query, draft, prefix)
            _show(part, query, relative, today, draft, outcome, prefix)
            return
        undated = _undated_step(part, main, good) if not quoted else None
        if undated is not None:  # 任务合同书有没有截止日期: that step has none; its rules beside
            topic, related = undated
            label = _topic_label(part, topic)
            _silent(part, query, nid, draft, outcome, prefix, f"{label}的截止时间", related, bar=0.0)
            return
        _deadlines(part, query, nid, today, draft, outcome, prefix)
        return
    if primary == "contact" and _contacts(part, query, nid, draft, outcome, prefix):
        return
    if primary == "period":
        # 评估要花多长时间: a length of another step (验收申请1个月、实施周期3年) is not this one's
        asked = [t for t in part.topics if t not in GENERIC_TOPICS]
        stated = answered_topics()
        if asked and good and not any(set(asked) & stated[s.fact.id] for s in good[:3]):
            label = _topic_label(part, _nearest_topic(part, asked))
            _silent(part, query, nid, draft, outcome, prefix, f"{label}的时长", good)
            return
    if primary == "when":
        dated = [s for s in good if s.fact.kind in (Kind.DATE, Kind.PERIOD)]
        stated = answered_topics()
        staged = [s for s in good[:3] if s.fact.kind == Kind.SCHEDULE]
        if staged and not dated and PAID.search(part.text):  # 第二笔什么时候给: the step a payment follows
            _show(part, query, staged[:1], today, draft, outcome, prefix)
            return
        asked = [t for t in part.topics if t not in GENERIC_TOPICS]
        manner = [  # 开始就给还是做完再补: when, in kind (前资助), answered by the rule that says which
            s for s in good[:3] if set(asked) & set(vocabulary().decisive_topics) & stated[s.fact.id]
        ]
        if manner and not dated:
            _show(part, query, manner[:1], today, draft, outcome, prefix)
            return
        unfixed = [
            s
            for s in good[:3]
            if UNFIXED_TIME.search(s.fact.quote) and (not asked or set(asked) & stated[s.fact.id])
        ]
        if unfixed and not any(set(asked) & stated[s.fact.id] for s in dated):
            # 具体时间另行通知: no date is set; the sentence that says so is shown with the silence
            label = _topic_label(part, _nearest_topic(part, asked)) if asked else ""
            _silent(part, query, nid, draft, outcome, prefix, f"{label}的具体时间", unfixed, bar=0.0)
            return
        year_asked = bool(YEAR_ASKED.search(part.text))  # 按哪一年能实现的绩效来填: a rule naming the year
        rules_timed = [
            s
            for s in good[:3]
            if set(asked) & stated[s.fact.id]
            and (RELATIVE_TIME.search(s.fact.quote) or (year_asked and PRINTED_YEAR.search(s.fact.quote)))
        ]
        dated_scores = [s.score for s in dated if set(asked) & stated[s.fact.id]]
        if asked and rules_timed and (not dated_scores or rules_timed[0].score > max(dated_scores)):
            _show(part, query, rules_timed[:2], today, draft, outcome, prefix)  # 下达的当年执行完毕
            return
        if asked and not any(set(asked) & stated[s.fact.id] for s in dated):
            label = _topic_label(part, _nearest_topic(part, asked))
            _silent(part, query, nid, draft, outcome, prefix, f"{label}的时间", good)
            return  # 何时评审: the date of another step is not the date of the review
        phases = _phase_of(good[:2], nid) if not dated else []
        if phases:  # 立项文件什么时候下达: the step's stage heading is dated (四、公示签约…（11月中下旬）)
            _show(part, query, [*phases[:1], *good[:1]], today, draft, outcome, prefix)
            return
        if not dated:
            _silent(part, query, nid, draft, outcome, prefix, "具体时间", good)
            return
        windows = [Scored(f, 0.0, 0.0) for f in main if f.kind == Kind.WINDOW]
        if not asked and windows and BARE_START.match(strip_notice_names(part.text, query.notices)):
            _show(part, query, windows[:1], today, draft, outcome, prefix)  # 什么时候开始: the window opens
            return
        if not asked:  # 需求什么时候开始对接: only dated facts sharing a word of the event asked
            dated = [s for s in dated if _names_event_of(part, query, s.fact)]
            if not dated:
                _silent(part, query, nid, draft, outcome, prefix, "具体时间", [])
                return
        near = [s for s in dated if s.score >= dated[0].score - NEAR_TOP]
        if doc is None and part.topics:  # 这份通知哪天落款: the notice's own date, before a document's in it
            own = [s for s in dated if s.fact.doc is None and set(part.topics) & stated[s.fact.id]]
            near = own[:1] + [s for s in near if s not in own[:1]]
        _show(
            part,
            query,
            near,
            today,
            draft,
            outcome,
            prefix,
        )
        return
    listed = (
        primary == "list"
        and "threshold" in part.asks
        and not part.topics
        and not part.metrics
        and bool(CONDITIONS_ASKED.search(part.text))
        and bool(good)
        and good[0].fact.kind != Kind.LIST  # 应具备以下基本条件: a printed list of them answers
    )
    if listed:
        primary = "threshold"  # 有哪几条硬条件: every rule of the section, not a printed list
    elif (
        primary == "list"
        and "threshold" in part.asks
        and good
        and good[0].fact.kind == Kind.THRESHOLD
        and good[0].fact.metric in part.metrics
    ):
        primary = "threshold"  # 对研发投入有什么要求: that metric's bars, not the lists that mention it
    # 验收谁来组织: who does a step is the step's rule, not the conditions on who may apply
    step_done = (
        primary == "who"
        and bool(good)
        and good[0].fact.kind == Kind.PROCEDURE
        and good[0].lexical >= STRONG_LEXICAL
        and bool(WHO_DOES.search(part.text))
    )
    if primary in ("threshold", "eligibility", "who") and good and not query.figures and not step_done:
        rules = _conditions(good, primary, scored if listed else None)
        mine = query.classes.get("applicant", set())
        invites = [
            s
            for s in good[:3]
            if s.fact.kind == Kind.WHO
            and mine & set(s.fact.applies_to.get("applicant", []))
            and s not in rules
        ]
        if invites and invites[0].score >= good[0].score - NEAR_TOP:
            rules = [invites[0], *rules]  # 高校能作为需求提出单位吗: the rule that invites their kind first
        named_list = [  # 征集对象包括设有独立研发机构的大型骨干企业吗: the printed list that names it
            s
            for s in good[:2]
            if s.fact.kind == Kind.LIST and shared_run(part.text, normalize_text(s.fact.quote)) >= NAMED_RUN
        ]
        rules = [*named_list[:1], *(s for s in rules if s not in named_list[:1])]
        rules += _cover_metrics(part, rules, good)  # 营收、研发门槛多少？投入多少: each metric's rule
        if BARRING_ASKED.search(part.text):  # 什么企业不能报: the rules that exclude, first
            barring = [s for s in good if EXCLUDES.search(s.fact.quote) and s.score >= THRESHOLD]
            rules = [*barring[:3], *(s for s in rules if s not in barring)]
        _show_checked(part, query, nid, rules, good, today, draft, outcome, prefix)
        return
    chosen = [s for s in good if s.score >= (good[0].score if good else 0) - NEAR_TOP]
    kinds = kinds_asked(part)
    if primary == "count" and "quota" in kinds:  # <某市>能报几项: the quota before the conditions
        kinds = ["quota", *(k for k in kinds if k != "quota")]
    chosen = _prefer_kinds(chosen, good, kinds)
    if primary == "count":
        chosen = _quota_of_the_rest(part, chosen, scored)
    if BARRING_ASKED.search(part.text):  # 哪些需求不要交: the rules that exclude, before any list
        barring = [s for s in scored if EXCLUDES.search(s.fact.quote) and s.score >= THRESHOLD]
        if barring:
            chosen = [*barring[:3], *(s for s in chosen if s not in barring and s.fact.kind != Kind.LIST)]
    terms = [normalize_text(t) for t in NAMED.findall(part.text)]
    labelled = [s for s in chosen if any(t in normalize_text(s.fact.label) for t in terms)]
    chosen = labelled + [s for s in chosen if s not in labelled]  # “科技创新基地建设”方向: that rule first
    if primary == "count" and subject is None and COUNT_RULES.search(part.text):
        # 数量上有啥限制: every count rule of the notice, in its order, not the best-scoring one
        rules = [Scored(f, 0.0, 0.0) for f in main if f.kind == Kind.QUOTA]
        chosen = sorted(rules, key=lambda s: s.fact.span()[0])[: MAX_FACTS_PER_PART + 1] or chosen
    caps = [s for s in chosen if s.fact.kind in (Kind.CAP, Kind.RATE)]
    named_caps = [s for s in caps if _heading_in(s.fact, part.text)]
    if named_caps:  # 科技成果转移转化每项最多多少: that direction's cap, not every direction's
        caps = named_caps
        chosen = [s for s in chosen if s not in named_caps and s.fact.kind not in (Kind.CAP, Kind.RATE)]
        chosen = named_caps + chosen
    chosen = chosen[: max(MAX_FACTS_PER_PART, len(caps))]
    chosen += _cover_topics(part, chosen, good, scored)
    chosen += _cover_asks(part, chosen, good)
    chosen += _cover_metrics(part, chosen, good)
    chosen += _siblings(part, chosen, good)
    chosen += _each_of_family(part, chosen, good)
    chosen += _cover_clauses(part, query, nid, chosen)
    if not chosen:
        if any(s.fact.id in outcome.shown for s in scored[:2]):
            return  # already answered by an earlier part
        missed = unnamed(part.text, facts_of(nid))
        _silent(part, query, nid, draft, outcome, prefix, missed.label if missed else _what(part), [])
        return
    _show_checked(part, query, nid, chosen, good, today, draft, outcome, prefix)


def _show_checked(
    part: Part,
    query: Query,
    nid: str,
    chosen: list[Scored],
    good: list[Scored],
    today: date,
    draft: Draft,
    outcome: Outcome,
    prefix: str,
) -> None:
    """Show the facts unless they miss a point the part asks (几家单位, 拨给哪一方, 劳务费): then the notice
    is silent on that point, and the nearest rule is shown as related."""
    about = set(part.topics) - GENERIC_TOPICS
    # a rule that states the point asked may share few of the question's words (拖太久会怎么样 → 逾期…
    # 作自动弃权处理): any fact above the threshold may answer it, not only the lexically close ones
    # (rules in words only, of the document asked: a figure is never taken from a loose match)
    pool = good + [
        s
        for s in score_facts(part, query, nid)
        if s.score >= THRESHOLD
        and s not in good
        and s.fact.kind in (Kind.REQUIREMENT, Kind.PROCEDURE)
        and s.fact.doc == query.docs.get(nid)
    ]
    chosen, missed = check(part.text, about, chosen, pool, facts_of(nid))
    if missed is not None:
        if about:  # 配套资金按几比几: the rule on 配套 is what it says nearby, before the funding rate
            stated = stated_topics()
            chosen = sorted(chosen, key=lambda s: not about & (stated[s.fact.id] | set(s.fact.topics)))
        _silent(part, query, nid, draft, outcome, prefix, missed.label, chosen, bar=0.0)
        return
    _show(part, query, chosen, today, draft, outcome, prefix)
    if TOTAL_ASKED.search(part.text):  # this part's facts first, then what earlier parts showed (几项)
        mine = [s.fact for s in chosen]
        earlier = [f for f in facts_of(nid) if f.id in outcome.shown and f not in mine]
        _totals(part, query, nid, mine + earlier, draft, outcome)


# 加起来、合计、一共、都按重大需求报…至少: a total over several entities or items.
TOTAL_ASKED = re.compile(
    r"每个都|每项都|都拿到|全都|合计|加起来|加在一起|一共|总共|总计|总额|都按|全按|按上限|最多可申请|最多能申请|最多可以申请"
)
ENTITY_LIST = re.compile(r"^([^，,。；]*?、[^，,。；]*?)(?:分别|各自|推荐|数量|每|均|都)")
TOTAL_CAP = re.compile(r"总额不超过(\d+(?:\.\d+)?)万元")


def _totals(part: Part, query: Query, nid: str, shown: list[Fact], draft: Draft, outcome: Outcome) -> None:
    """A total the question asks of counted rules: each of the entities it names (甲市、乙市各不少于200项 →
    合计不少于400项), or a count of items times the amount each item may have (2项 × 每项200万, within
    a printed 总额)."""
    counts = [
        f
        for f in shown
        if f.kind == Kind.QUOTA
        and f.value is not None
        and f.unit in ("项", "个", "家")
        and f.id not in outcome.totalled
    ]
    if _extra_quota_total(query, counts, draft, outcome) or _table_total(query, shown, draft, outcome):
        return
    for f in counts:
        assert f.value is not None
        m = ENTITY_LIST.match(f.quote)
        entities = [e for e in re.split(r"、", m.group(1)) if e] if m else []
        named = [e for e in entities if normalize_text(re.sub(r"[市县区]$", "", e)) in query.text]
        if len(named) >= 2:
            total = f.value * len(named)
            draft.computed += [fmt_num(total), str(len(named))]
            op = OP_WORDS.get(f.op or "", "")
            draft.add(
                f"合计：{'、'.join(named)}各{op}{f.printed}，{len(named)}个合计{op}{fmt_num(total)}{f.unit}"
                f"（{fmt_num(f.value)} × {len(named)}）。{cite_fact(f, draft)}"
            )
            outcome.shown.add(f.id)
            outcome.totalled.add(f.id)
            return
    if _per_entity_totals(query, counts, draft, outcome) or _named_caps_total(query, shown, draft, outcome):
        return
    asks_count = bool(COUNT_ASKED.search(query.text))  # 一年最多支持几个: the count asked is the one
    limits = [f for f in counts if f.op in ("le", "eq")]
    named_unit = any(  # 本县: the county's count, not the city's (even once the county's is worked out)
        f.kind == Kind.QUOTA and f.per and _per_named(f.per, query) and f.op in ("le", "eq") for f in shown
    )
    theirs = [f for f in limits if f.per and _per_named(f.per, query)]
    items = (
        theirs
        if named_unit
        else [  # else a count the question is about: asked, or its own words named (督查激励单列)
            f for f in limits if asks_count or shared_run(normalize_text(f.label), query.text) >= 4
        ]
    )
    money = [
        f
        for f in notice_facts(query, nid)
        if f.kind in (Kind.CAP, Kind.THRESHOLD)
        and f.unit == "万元"
        and f.value is not None
        and f not in counts
    ]
    on_topic = [f for f in money if _headings_named(f, query)]
    if not on_topic:  # 每个都拿到顶格资助: the one cap of the grant (a rate's ceiling counts)
        capped = [f for f in notice_facts(query, nid) if f.kind == Kind.RATE and f.cap is not None]
        on_topic = [f for f in money if f.kind == Kind.CAP and (f.metric in part.metrics or not part.metrics)]
        on_topic = on_topic or (capped if "grant" in part.metrics or not part.metrics else [])
    if part.metrics:  # 拟投入合计: the amount of the metric asked
        on_topic = [
            f
            for f in on_topic
            if f.metric in part.metrics
            or (f.metric is None and "grant" in part.metrics)
            or (f.kind == Kind.RATE and "grant" in part.metrics)
        ]
    amounts = _caps_that_apply(query, nid, on_topic)
    if len(items) != 1 or len(amounts) != 1:
        return
    count, each = items[0], amounts[0]
    ceiling = each.kind == Kind.RATE  # 每项最高200万元: a rate's ceiling is each item's most
    value = each.cap if ceiling else each.value
    op = "le" if ceiling else (each.op or "")
    assert count.value is not None and value is not None
    total = count.value * value
    per = f"最高{fmt_wan(value)}" if ceiling else value_text(each)
    line = f"合计：{fmt_num(count.value)}{count.unit} × {per} = {fmt_wan(total)}"
    computed = [fmt_num(total), fmt_wan(total), fmt_num(count.value), fmt_num(value), fmt_wan(value)]
    cap = TOTAL_CAP.search(count.quote)
    if cap and op == "le" and float(cap.group(1)) < total:
        line += f"，超过总额上限，按总额不超过{cap.group(1)}万元"
    elif cap and op == "le":
        line += f"（未超过总额{cap.group(1)}万元）"
    word = "至多" if op == "le" else "至少" if op == "ge" else ""
    draft.computed += computed
    draft.add(
        f"{line}，即{word}{fmt_wan(min(total, float(cap.group(1))) if cap and op == 'le' else total)}。"
        f"{cite_fact(count, draft)}{cite_fact(each, draft)}"
    )
    outcome.shown.update({count.id, each.id})
    outcome.totalled.add(count.id)


REMAINING_ASKED = re.compile(
    r"还能申请|还可以申请|还可申请|最多还能|还能报|还剩|剩下多少|剩余多少|还有多少额度"
)


def _remaining(query: Query, nid: str, draft: Draft, outcome: Outcome) -> None:
    """第一个已申请300万，第二个最多还能申请多少: a printed 总额 less what the user has already asked for."""
    if not REMAINING_ASKED.search(query.text):
        return
    used = [fig.value for fig in query.figures if fig.own and fig.unit == "万元" and fig.metric == "grant"]
    shown = [f for f in facts_of(nid) if f.id in outcome.shown and TOTAL_CAP.search(f.quote)]
    if len(shown) > 1:  # 我们县: the total set for the kind of unit the user is (县 before 设区市)
        subject = [f for f in shown if any(k in query.text and k in f.quote.split("推荐")[0] for k in "县区")]
        shown = subject or shown
    if not used or len(shown) != 1:
        return
    m = TOTAL_CAP.search(shown[0].quote)
    assert m is not None
    whole = float(m.group(1))
    rest = whole - sum(used)
    if fmt_wan(rest) in draft.computed:
        return  # worked out already, with the caps that lower it
    spent = " + ".join(fmt_wan(u) for u in used)
    draft.computed += [fmt_wan(rest), fmt_num(rest), fmt_wan(whole)]
    text = f"还能申请至多{fmt_wan(rest)}" if rest > 0 else f"已超过总额{fmt_wan(-rest)}"
    draft.add(
        f"总额不超过{fmt_wan(whole)}，已申请{spent}：{text}（{fmt_wan(whole)} − {spent}）。{cite_fact(shown[0], draft)}"
    )


USER_COUNT = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*(?:个|家)\s*(县|市|区|单位|企业)")


def _table_total(query: Query, shown: list[Fact], draft: Draft, outcome: Outcome) -> bool:
    """各设区市限项数加起来一共多少项: the sum of a quota table's rows — those the question names when it
    names two or more, else every row."""
    if not COUNT_ASKED.search(query.text):
        return False
    tables = [f for f in shown if f.kind == Kind.QUOTA and f.table and f.id not in outcome.totalled]
    if not tables or (len(tables) > 1 and shown[0] is not tables[0]):
        return False  # several tables and none the clear answer: which one to add is not known
    f = tables[0]
    named = [k for k in f.table if normalize_text(re.sub(r"[市县区]$", "", k)) in query.text]
    if len(named) == 1:
        return False  # one row: its own count, or a count outside the quota added to it
    rows = named if len(named) >= 2 else list(f.table)
    total = sum(f.table[k] for k in rows)
    draft.computed += [fmt_num(total), str(len(rows))]
    parts = " + ".join(fmt_num(f.table[k]) for k in rows)
    draft.add(
        f"合计：{'、'.join(rows)}共{len(rows)}个，合计{fmt_num(total)}{f.unit}（{parts}）。{cite_fact(f, draft)}"
    )
    more = re.search(rf"再加(?:上)?([^，,。？?]{{0,30}}?)(\d+)\s*{re.escape(f.unit or '项')}", query.text)
    if more:  # 再加上<某单位>的12项呢: the total carried on with the count the question adds
        extra = int(more.group(2))
        draft.computed += [fmt_num(total + extra)]
        draft.add(
            f"再加上{more.group(1)}{extra}{f.unit}：共{fmt_num(total + extra)}{f.unit}"
            f"（{fmt_num(total)} + {extra}）。"
        )
    outcome.shown.add(f.id)
    outcome.totalled.add(f.id)
    return True


COUNT_ASKED = re.compile(r"几项|多少项|几个|多少个|几家|多少家")


def _extra_quota_total(query: Query, counts: list[Fact], draft: Draft, outcome: Outcome) -> bool:
    """<某市>获激励的话一共能推荐多少项: the named key's quota plus a count granted outside it."""
    if not COUNT_ASKED.search(query.text):
        return False  # 申请财政资金合计1200万: a total of money, not of items
    known = {f.id: f for f in facts_of(counts[0].notice)} if counts else {}
    for extra in counts:
        for ref in extra.adds_to:
            base = known.get(resolve_ref(extra, ref, set(known)))
            if base is None or not base.table or extra.value is None:
                continue
            keys = [k for k in base.table if normalize_text(re.sub(r"[市县区]$", "", k)) in query.text]
            if len(keys) != 1:
                continue
            key, own = keys[0], base.table[keys[0]]
            total = own + extra.value
            draft.computed += [fmt_num(total)]
            draft.add(
                f"合计：{key}{fmt_num(own)}{base.unit}（{base.label}）{cite_fact(base, draft)}，"
                f"另有{extra.label}{extra.printed}{cite_fact(extra, draft)}，不纳入限额，"
                f"最多共{fmt_num(total)}{base.unit}（{fmt_num(own)} + {fmt_num(extra.value)}）。"
            )
            outcome.shown.update({base.id, extra.id})
            outcome.totalled.update({base.id, extra.id})
            return True
    return False


BOTH_ADDED = re.compile(r"(?:两|2)(?:个|项|者|样)?(?:的)?(?:加起来|加在一起|合计|合起来|一共|总共)")


def _named_caps_total(query: Query, shown: list[Fact], draft: Draft, outcome: Outcome) -> bool:
    """<甲方向>每项最多多少？那<乙方向>呢？两个加起来呢: the two caps named, added."""
    if not BOTH_ADDED.search(query.text):
        return False
    money = [f for f in shown if f.kind == Kind.CAP and f.unit == "万元" and f.value is not None]
    caps = [f for f in money if _headings_named(f, query)]
    if len(caps) != 2:  # 设区市…总额多少？县（市、区）呢？两个加起来: told apart by what their labels name
        labels = [normalize_text(f.label) for f in money]
        caps = []
        for f, lab in zip(money, labels, strict=True):
            kin = [x for x in labels if x != lab and _shared_tail(lab, x) >= 6]  # one family of rules
            if not kin:
                continue
            head = min(_shared_head(lab, x) for x in kin)
            tail = min(_shared_tail(lab, x) for x in kin)
            mark = lab[head : len(lab) - tail]
            if len(mark) >= 2 and mark in query.text:
                caps.append(f)
    if len(caps) != 2:
        return False
    values = [f.value for f in caps if f.value is not None]
    total = sum(values)
    draft.computed += [fmt_wan(total), fmt_num(total)]
    draft.add(
        f"合计：{' + '.join(fmt_wan(v) for v in values)} = {fmt_wan(total)}"
        f"（{'、'.join(f.label for f in caps)}，各为每项上限）。{''.join(cite_fact(f, draft) for f in caps)}"
    )
    outcome.totalled.update(f.id for f in caps)
    return True


def _per_entity_totals(query: Query, counts: list[Fact], draft: Draft, outcome: Outcome) -> bool:
    """6个县都按上限推荐: the user's number of entities times each rule counted per entity of that kind."""
    m = USER_COUNT.search(query.text)
    n = cn_number(m.group(1)) if m else None
    if m is None or not n or n < 2:
        return False  # 同一家企业: one unit, nothing to multiply
    kind = m.group(2)
    lines = []
    for f in counts:
        if f.value is None or kind not in (f.per or ""):
            continue
        total = n * f.value
        word = "至多" if f.op == "le" else "至少" if f.op in ("ge", "gt") else ""
        draft.computed += [fmt_num(total), fmt_num(n), f"{fmt_num(total)}{f.unit}"]
        lines.append(
            f"合计：{fmt_num(n)}个{kind} × 每个{value_text(f)} = {word}{fmt_num(total)}{f.unit}。{cite_fact(f, draft)}"
        )
        outcome.shown.add(f.id)
        outcome.totalled.add(f.id)
    for ln in lines:
        draft.add(ln)
    return bool(lines)


def _heading_in(f: Fact, text: str) -> bool:
    """A heading of the rule (4+ characters) is written in the text."""
    return any(len(h) >= 4 and normalize_text(h) in text for h in _headings_of(f))


def _headings_named(f: Fact, query: Query) -> bool:
    """The question names the rule's own words: its heading (科技成果转移转化) or a class it applies to."""
    heads = [h for h in _headings_of(f) if len(h) >= 4]
    classes = [
        w for d, vs in f.applies_to.items() for v in vs for w in vocabulary().classes.get(d, {}).get(v, [])
    ]
    return any(normalize_text(h) in query.text for h in heads) or any(
        normalize_text(str(w)) in query.text for w in classes
    )


def _main_only_words(text: str, nid: str) -> bool:
    """The question uses words (4+ characters) that only the notice's own text has, none of the
    documents printed in it: it asks about the notice's own rules."""
    main, sub = _doc_texts(nid)
    if not sub:
        return False
    words = normalize_text(strip_notice_names(text, [nid]))
    for run in re.findall(r"[\u4e00-\u9fff]{4,}", words):
        for n in range(4, min(len(run), 6) + 1):
            if any(run[i : i + n] in main and run[i : i + n] not in sub for i in range(len(run) - n + 1)):
                return True
    return False


@lru_cache(maxsize=16)
def _doc_texts(nid: str) -> tuple[str, str]:
    facts = facts_of(nid)
    main = "".join(normalize_text(q) for f in facts if f.doc is None for q in f.quotes)
    sub = "".join(normalize_text(q) for f in facts if f.doc is not None for q in f.quotes)
    return main, sub


SUBDOC_LEXICAL = 0.7
# A fact must share this much with the question on its own words: kind and metric bonuses alone
# never make it an answer.
MIN_LEXICAL = 0.15
TOPIC_SLACK = 0.12
# A silent answer shows one neighbouring rule only when it shares this much with the question.
RELATED_LEXICAL = 0.45
# A fact matching this much of the question answers it even when its kind is not the one asked for
# (a form's "5项以上" answers "要列几项").
STRONG_LEXICAL = 0.5


def _show(
    part: Part, query: Query, chosen: list[Scored], today: date, draft: Draft, outcome: Outcome, prefix: str
) -> None:
    first = len(draft.lines)
    shown = []
    for s in chosen:
        f = s.fact
        if f.id in outcome.shown:
            continue
        sub = f"{short_of(f)}·" if f.doc is not None and query.docs.get(f.notice) is None else ""
        rows = _rows_named(f, query)
        if rows:  # 衢州和舟山各限报几项: those rows of the table, each quoted alone
            cited = [
                f"“{piece}”{draft.cite(Source(f.notice, path_at(f.notice, at), at, at + len(piece)))}"
                for _, piece, at in rows
            ]
            draft.add(f"{prefix}{sub}{f.label}：" + "；".join(cited))
        elif not (f.kind not in DATED and not value_phrase(f) and _already_quoted(f, draft)):
            # (验收合格的条件：[8] — a rule whose every quote is on a line above adds only a marker)
            draft.add(fact_line(f, draft, prefix + sub, today if f.kind in DATED else None))
        outcome.shown.add(f.id)
        if not sub:
            outcome.answers.append(f)
        outcome.shown.update(x.id for x in same_facts(f))
        shown.append(f)
    if notes_for(part, query, shown, draft, outcome) and part.primary == "consequence" and shown:
        # 钱要退回去吗: a note of the notice says exactly this is not written; said first
        short = get_notice(shown[0].notice).short
        draft.lines.insert(first, f"{prefix or short}通知没有写明您问的这一点；相关规定和说明如下。")
        outcome.silent.append((shown[0].notice, vocabulary().asks["consequence"]["label"]))
        return
    if shown or any(s.fact.id in outcome.related for s in chosen[:1]):
        outcome.answered += (
            1  # 文号是多少: answered by the passage already shown beside another part's silence
        )


def _rows_named(f: Fact, query: Query) -> list[tuple[str, str, int]]:
    """The rows of a quota table the question names (some, not all), each as printed with its offset in
    the notice: (key, 衢州10项, offset); empty when none is named or a row is not printed as key + count."""
    named = [k for k in f.table if normalize_text(re.sub(r"[市县区]$", "", k)) in query.text]
    if not named or len(named) == len(f.table):
        return []
    start = f.span()[0]
    pieces = []
    for k in named:
        piece = f"{k}{fmt_num(f.table[k])}{f.unit or ''}"
        at = f.quote.find(piece)
        if at < 0:
            return []
        pieces.append((k, piece, start + at))
    return pieces


def _already_quoted(f: Fact, draft: Draft) -> bool:
    """Every quote of the fact is already cited in the answer."""
    cited = {(x.notice, x.start, x.end) for x in draft.sources}
    spans = [source_of(f, q) for q in f.quotes]
    return bool(spans) and all((s.notice, s.start, s.end) in cited for s in spans)


# A step whose time the notice leaves open on purpose (另行通知): silent on the date, shown beside it.
DAY_ASKED = re.compile(r"具体(?:是)?(?:哪天|哪一天|几号|日期)|哪一天|哪天|几号|几月几[号日]")
UNFIXED_TIME = re.compile(r"另行通知|另行公布|另行发布|另行安排|择机|适时|成熟一批|视情况|不定期|随时")
PAID = re.compile(r"笔|拨|给钱|给|到账|付")
COUNT_RULES = re.compile(r"限制|规定|要求|限额|限项|有啥限|有什么限")
CONDITIONS_ASKED = re.compile(r"条件|要求|门槛|资格|审查")
TOPIC_ASKS = (None, "threshold", "eligibility", "who", "definition", "list", "process", "when", "funding")


COUNT_SUBJECT = re.compile(
    r"(?:同一|一家|每家|单个|每个|一个|各)(企业|公司|单位|协会|县区|县（市、区）|县市区|县|区)"
)


COUNT_SAID = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:项|个|家)(?![月工])")
COUNTY_RECOMMENDS = re.compile(
    r"(?:县区|区县|县市区|县（市、区）|县\(市、区\)|区里|县里)[^，,。？?]{0,6}推荐"
)


def _count_subject(part: Part) -> str | None:
    """Whom a count is asked per (一家企业最多报几项 → 企业), so a county's quota is not given as the answer."""
    m = COUNT_SUBJECT.search(part.text)
    if not m:  # 县区往市里推荐需求有数量上限吗: the counties, as the ones recommending
        return "县" if COUNTY_RECOMMENDS.search(part.text) else None
    said = m.group(1)
    return "企业" if said == "公司" else ("县" if said[0] in "县区" else said)


def _has_unit(f: Fact, spec: dict[str, object]) -> bool:
    """The fact prints a figure in the unit the ask is about (5项以上 for 几项, 3年 for 几年)."""
    units = spec.get("units")
    if not isinstance(units, list):
        return True
    pattern = re.compile(
        r"(?<![\d年])(?:\d{1,3}|[一二两三四五六七八九十])\s*(?:" + "|".join(map(re.escape, units)) + ")"
    )
    return any(pattern.search(q) for q in f.quotes)


AMOUNT_ASKED = re.compile(r"多少|金额|比例|定额|几成|百分之几|数额|额度")


ATTACHMENT_ASK = re.compile(
    r"附件几|哪个附件|哪一个附件|第几个附件|几号附件|附件第几|哪份附件|哪一份附件"
    r"|(?:填|用|交)(?:哪张|哪个|哪一张|哪一个|哪份|哪一份|什么)表"
)


def _attachment_number(part: Part, every: list[Scored], draft: Draft, outcome: Outcome, prefix: str) -> None:
    """绩效目标申报表是附件几 / 协会用哪个附件的表: the numbered item of an attachment list the question
    points to most clearly, said as 附件N."""

    def bigrams(text: str) -> set[str]:
        t = re.sub(r"[^\u4e00-\u9fff]", "", normalize_text(text))
        return {t[i : i + 2] for i in range(len(t) - 1)}

    asked = bigrams(part.text)
    for s in every[:8]:
        f = s.fact
        if f.kind != Kind.LIST or not f.items or not f.quote.startswith("附件"):
            continue
        ranked = sorted(((len(bigrams(it) & asked), i) for i, it in enumerate(f.items)), reverse=True)
        if ranked[0][0] >= 2 and (len(ranked) == 1 or ranked[0][0] > ranked[1][0]):
            n = ranked[0][1]
            item = f.items[n].replace("\n", "")
            draft.computed.append(str(n + 1))
            draft.add(f"{prefix}{short_of(f)}的附件{n + 1}是《{item}》。{cite_fact(f, draft)}")
            outcome.shown.add(f.id)
            outcome.answered += 1
            return


def _names_cited_document(f: Fact, query: Query) -> bool:
    """The question names a document the fact cites by title (《…项目管理办法》 → 项目管理办法)."""
    titles = re.findall(r"《([^》]{4,60})》", f.quote)
    return any(normalize_text(t)[-6:] in query.text for t in titles)


MANNER_TOPICS = frozenset({"funding_mode", "installments"})


def _asked_metrics(part: Part) -> list[str]:
    """The metrics of the clauses that ask an amount (榜单金额300万，区里配套多少: none — the amount
    told is no ask); the part's metrics when no clause asks one in so many words."""
    asking = [
        c for c in re.split(r"[，,；;]", part.text) if AMOUNT_ASKED.search(c) and not re.search(r"\d", c)
    ]
    if not asking:
        return part.metrics
    said = {m for c in asking for m in metrics_in(mask_names(normalize_text(c)))}
    return [m for m in part.metrics if m in said]


MONEY_LABEL = re.compile(r"资金|经费|配套|补助|资助|奖励|投入")


def _unvalued_topic(part: Part, good: list[Scored]) -> tuple[str, list[Scored]] | None:
    """A money question about a topic (配套资金) whose rules set no amount, rate or cap for it."""
    if not AMOUNT_ASKED.search(part.text) or _asked_metrics(part):
        return None  # 怎么分期拨付、事前给还是事后补: how, not how much; 资助按啥比例: a metric's rule
    stated = answered_topics()
    for topic in part.topics:
        if topic in GENERIC_TOPICS or topic in MANNER_TOPICS:
            continue  # 先给还是后补: how the money comes, never itself an amount
        on = [s for s in good if topic in stated[s.fact.id] and s.fact.kind != Kind.AMBIGUITY]
        valued = [
            s
            for s in on
            if s.fact.value is not None or s.fact.cap is not None or s.fact.table or s.fact.parts
        ]
        # 这个方向的项目最多补多少: a rule for every project, ahead of the text of the topic (a kind of
        # project, not of money: 区里配套多少 stays unset), answers it
        of_money = any(MONEY_LABEL.search(x.fact.label) for x in on)
        general = [
            s
            for s in good[:2]
            if (s.fact.value is not None or s.fact.cap is not None) and not s.fact.applies_to
        ]
        if on and not valued and not (general and not of_money and general[0].score > on[0].score):
            return topic, on
    return None


def _topic_silent(part: Part, facts: list[Fact]) -> str | None:
    """A topic the part is about that no rule of the notice touches (only its notes may say it is open)."""
    tokens = fact_tokens()
    # 我们各有一家子公司，…分别有什么信用要求: the topics of the clause that asks, when it names any
    clause = normalize_text(re.split(r"[，,；;]", part.text)[-1])
    asked = [
        t for t in part.topics if any(normalize_text(w) in clause for w in vocabulary().topics.get(t, []))
    ]
    for topic in asked or part.topics:
        if not any(f"⟨t:{topic}⟩" in tokens[f.id] for f in facts if f.kind != Kind.AMBIGUITY):
            return topic
    return None


def _metric_silent(part: Part, query: Query, facts: list[Fact]) -> bool:
    return bool(_unset_metrics(part, query, facts))


def _own_metrics_set(query: Query, facts: list[Fact]) -> bool:
    """Some rule of the notice measures one of the user's own figures (a verdict can be reached)."""
    have = _measured(facts)
    return any(fig.own and _measure(fig, query) in have for fig in query.figures if fig.metric)


def _measured(facts: list[Fact]) -> set[str]:
    """What the notice's rules measure: metrics (a share also measures its parts) and shares of one
    metric in another (rd/revenue, for a rule printed as a percentage of a base)."""
    have = expand_metrics({m for f in facts for m in (f.metric, f.base) if m})
    return have | {f"{f.metric}/{f.base}" for f in facts if f.metric and f.base and f.unit == "%"}


def _measure(fig: UserFigure, query: Query) -> str | None:
    """What a figure of the user's measures: its metric, or — a share of a base they did not give
    (研发占营收3%) — that share, which no rule on the metric's amount answers."""
    if fig.of and query.own(fig.of) is None:
        return f"{fig.metric}/{fig.of}"
    return fig.metric


def _unset_metrics(part: Part, query: Query, facts: list[Fact]) -> list[str]:
    """The part asks for a threshold, cap or share of a metric the notice sets nothing on (figures of
    the user's that a rule did check are answered by the eligibility lines instead)."""
    measuring = ("threshold", "cap", "share", "funding", "eligibility")
    # 营收有什么门槛: 有什么 lists, but what is listed is the bars on the metric named
    listed = part.primary == "list" and bool(set(part.asks) & {"threshold", "cap"})
    if not part.metrics or (part.primary not in measuring and not listed):
        return []
    have = _measured(facts)
    own = {m for fig in query.figures if fig.own and fig.metric and (m := _measure(fig, query))}
    # 研发投入占营收2.5%: 研发 and 营收 name the user's share, not two metrics they ask a rule on
    shares = {
        fig.metric: m for fig in query.figures if fig.metric and (m := _measure(fig, query)) and "/" in m
    }
    bases = {fig.of for fig in query.figures if fig.of} - own

    def reading(ms: list[str]) -> list[str]:
        return list(dict.fromkeys(shares.get(m, m) for m in ms if m not in bases))

    # 营收1.5亿，研发人员数量有没有最低要求: the clause that asks is about the staff, not the revenue
    asked = [m for m in reading(_metrics_asked(part)) if m not in own]
    if asked and part.primary != "eligibility":
        return [] if have & set(asked) else asked
    metrics = reading(part.metrics)
    if own & have or have & set(metrics):
        return []
    return metrics


def _metrics_asked(part: Part) -> list[str]:
    """Metrics named in a clause that asks something (研发实力很强 names 研发 but asks nothing)."""
    from knowledge.understand import CLAUSE, asks_in, metrics_in

    out: list[str] = []
    for clause in CLAUSE.split(part.text):
        if clause and asks_in(clause):
            out += [m for m in metrics_in(clause) if m not in out]
    return out


def _metric_what(metrics: list[str], spec: dict[str, object]) -> str:
    if metrics == ["grant"] and "财政" in str(spec.get("label", "")):
        return str(spec["label"])  # 财政资金支持的金额或比例, said once
    names = "、".join(
        f"{metric_label(m.split('/')[0])}占{metric_label(m.split('/')[1])}的比例"
        if "/" in m
        else metric_label(m)
        for m in metrics
    )
    return f"{names}方面的{spec.get('label', '要求')}"


def _user_role(query: Query) -> str:
    """Who the user acts as: a bureau that recommends (我们是区科技局), else the applicant."""
    if ROLE_RECOMMENDER.search(query.text) or RECOMMENDER_SUBJECT.search(query.text):
        return "recommender"
    return "applicant"


APPLICANT_SUBJECT = re.compile(r"企业|公司|协会|集群|申报单位|需求单位|我们|我司")


def _part_role(part: Part, query: Query) -> str:
    """一、企业何日前提交？二、各县汇总后何日前报送: in a question of several parts, whose duty each part
    asks is read from the part when it names a side."""
    if len(query.parts) > 1:
        if RECOMMENDER_SUBJECT.search(part.text) or ROLE_RECOMMENDER.search(part.text):
            return "recommender"
        if APPLICANT_SUBJECT.search(part.text) and not ROLE_RECOMMENDER.search(query.text):
            return "applicant"
    return _user_role(query)


def _uncounted(
    part: Part, query: Query, main: list[Fact], spec: dict[str, Any], every: list[Scored]
) -> str | None:
    """The part asks how many (几份) and no rule of the kind gives a number in that unit for the user's
    role: the copies of the county's summary are not the enterprise's copies (unless the question is
    plainly about that summary: its rule is the best match)."""
    unit = spec.get("counted")
    if not unit or not re.search(rf"(?:几|多少){unit}|{unit}数", part.text):
        return None
    role = _user_role(query)
    kinds = spec.get("require") or []

    def valued(f: Fact) -> bool:
        return f.kind.value in kinds and f.unit == unit

    if any(valued(f) and f.actor in (None, role) for f in main):
        return None
    if any(
        valued(f) and shared_run(normalize_text(f.label), part.text) >= 4 and "表" in f.label for f in main
    ):
        return None  # 摸底汇总表…报送几份: the copies of the form the question names
    if every and valued(every[0].fact) and every[0].fact.doc == query.docs.get(every[0].fact.notice):
        return None
    return str(spec.get("counted_label", spec["label"]))


@lru_cache(maxsize=1)
def _when_words() -> frozenset[str]:
    return frozenset(
        canonical_tokens(
            "什么时候 啥时候 何时 哪天 哪一天 几号 几月 几月份 日期 时间 具体 大概 大约 开始 能够 可以 一般 通常"
        )
    )


@lru_cache(maxsize=32)
def _title_words(nid: str) -> frozenset[str]:
    """The words of a notice's and its attachments' titles, names and issuers: they name a document,
    not an event in it."""
    n = get_notice(nid)
    names = [n.title, n.issuer, n.short, *n.aliases]
    for att in n.attachments:
        names.append(att.title)
        if att.subdocument is not None:
            names += [att.subdocument.short, att.subdocument.issuer, *att.subdocument.aliases]
    return frozenset(canonical_tokens(" ".join(names)))


def _names_event_of(part: Part, query: Query, f: Fact) -> bool:
    """A dated fact answers 'when' only if it shares a word of the event asked, not just the asking
    or the document's own title."""
    # a word of the title still names this fact's event when its label has it (发布指南、征集需求阶段)
    title = {w for w in _title_words(f.notice) if w not in f.label}
    asked = set(part_tokens(part, query)) - _when_words() - title - TIME_RELATIONS
    shared = asked & fact_tokens()[f.id]
    if not shared - EVENT_VERBS:
        # 申报指南几月份发布: sharing only the verb, the fact is another thing's event (the notice's own
        # issue date) unless the question names nothing else
        return bool(shared) and not asked - EVENT_VERBS
    return True


EVENT_VERBS = frozenset(
    {"发布", "公布", "印发", "下发", "发出", "开始", "结束", "启动", "举行", "召开", "出来"}
)
TIME_RELATIONS = frozenset({"以后", "之后", "以前", "之前", "后", "前", "截止", "月份"})


@lru_cache(maxsize=1)
def _channel_topics() -> frozenset[str]:
    """The topics a way of submitting is tagged with (mailbox, platform): asked of a document that
    prescribes another way, its way is the answer."""
    return frozenset(t for f in all_facts() if f.kind == Kind.CHANNEL for t in f.topics) - GENERIC_TOPICS


def _silent_note(every: list[Scored], good: list[Scored], part: Part, query: Query) -> Fact | None:
    """The best match, clearly ahead of any rule, is the notice's own note that it does not say this
    (not when a rule close behind sets the very metric asked: 税收有要求吗 is answered by the tax bar;
    nor when one close behind is the rule of the class the user names: 如果是高校牵头呢)."""
    s = every[0] if every else None
    if s is None or s.fact.kind != Kind.AMBIGUITY or not s.fact.note or not SILENT_NOTE.search(s.fact.note):
        return None
    if any(g.fact.metric in part.metrics and g.score >= s.score - 0.2 for g in good if g.fact.metric):
        return None
    if any(
        g.score >= s.score - 0.2
        and any(set(vals) & query.classes.get(dim, set()) for dim, vals in g.fact.applies_to.items())
        for g in good
    ):
        return None
    if s.score >= THRESHOLD and (not good or s.score >= good[0].score + 0.1):
        return s.fact
    return None


def _prefer_kinds(chosen: list[Scored], good: list[Scored], kinds: list[str]) -> list[Scored]:
    """When the part asks for a list, a count or a period, the facts of that kind come first."""
    if not kinds:
        return chosen
    if kinds[0] in ("cap", "rate"):  # every ceiling the notice sets (one per direction): a complete list
        typed = [s for s in good if s.fact.kind.value in ("cap", "rate")]
        return typed + [s for s in chosen if s not in typed] if typed else chosen
    typed = [s for s in good if s.fact.kind.value == kinds[0]]
    rest = [s for s in chosen if s not in typed]
    return (typed[:2] + rest) if typed else chosen


def _cover_metrics(part: Part, chosen: list[Scored], good: list[Scored]) -> list[Scored]:
    """营收和研发门槛多少？企业得投多少: each metric the part names gets its best rule (and the other end
    of a printed range: 400万元—1000万元 is two facts of one quote)."""
    extra: list[Scored] = []
    if len(part.metrics) < 2:
        return extra
    for metric in part.metrics:
        if any(s.fact.metric == metric for s in chosen + extra):
            continue
        best = next((s for s in good if s.fact.metric == metric and s not in chosen), None)
        if best is None:
            continue
        extra.append(best)
        extra += [s for s in good if s.fact.quote == best.fact.quote and s is not best and s not in chosen]
    return extra


def _cover_asks(part: Part, chosen: list[Scored], good: list[Scored]) -> list[Scored]:
    """要交什么格式、发给谁: a part asking two things gets the best fact of the other's kind too (only
    asks whose kinds are the answer itself: the channel for 发给谁, not any rule)."""
    extra: list[Scored] = []
    for ask in part.asks[1:]:
        kinds = vocabulary().asks.get(ask, {}).get("kinds", [])[:1]
        if not kinds or any(s.fact.kind.value in kinds for s in chosen + extra):
            continue
        best = next((s for s in good if s.fact.kind.value in kinds and s not in chosen), None)
        if best is not None:
            extra.append(best)
    return extra[:1]


def _answers(s: Scored, part: Part) -> bool:
    """A fact may be added for a clause or topic of the part: an office to ask only when one is asked
    (<甲地>这次需求征集，<某市>要推荐多少项: the office taking questions on the 征集 is no count)."""
    return s.fact.kind != Kind.CONTACT or bool({"contact", "who"} & set(part.asks))


def _cover_topics(part: Part, chosen: list[Scored], good: list[Scored], scored: list[Scored]) -> list[Scored]:
    """A part naming several things (中期评估没通过，或者中途终止) gets the best fact for each one (a fact
    on a topic the part names counts a little below the usual threshold)."""
    near = [s for s in scored if s.score >= THRESHOLD - TOPIC_SLACK]
    stated = stated_topics()
    covered = {t for s in chosen for t in part.topics if t in stated[s.fact.id]}
    extra: list[Scored] = []
    for topic in part.topics:
        if topic in covered:
            continue
        best = next(
            (s for s in near if s not in chosen and topic in stated[s.fact.id] and _answers(s, part)), None
        )
        if best is not None and best not in extra:
            extra.append(best)
            covered.add(topic)
    return extra[:2]


EACH_OF = re.compile(r"每个|各个|每一个|分别|各自|各[^，,。？?]{0,4}(?:多少|几)")


def _each_of_family(part: Part, chosen: list[Scored], good: list[Scored]) -> list[Scored]:
    """每个方向每项最多支持多少: every rule printed alike for each case (labels sharing a long tail:
    …方向每项支持强度), not the best two of them."""
    if not EACH_OF.search(part.text):
        return []
    extra: list[Scored] = []
    for s in chosen:
        if s.fact.kind not in (Kind.CAP, Kind.QUOTA, Kind.RATE):
            continue
        tail = s.fact.label
        extra += [
            x
            for x in good
            if x not in chosen
            and x not in extra
            and x.fact.kind == s.fact.kind
            and _shared_tail(tail, x.fact.label) >= 6
        ]
    return extra[:4]


def _shared_tail(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _siblings(part: Part, chosen: list[Scored], good: list[Scored]) -> list[Scored]:
    """一级指标有哪些: the rules printed as one family (labels sharing a long head: 绩效目标申报表的…) are
    listed together, not the first two of them."""
    if not chosen or not LIST_ASKED.search(part.text):
        return []
    head = chosen[0].fact.label
    same = [
        s
        for s in good
        if s not in chosen and _shared_head(head, s.fact.label) >= 6 and s.fact.kind == chosen[0].fact.kind
    ]
    return same[:3]


def _shared_head(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


LIST_ASKED = re.compile(r"哪些|哪几|有什么|分别|各设|各有|列全|都有")


def _cover_clauses(part: Part, query: Query, nid: str, chosen: list[Scored]) -> list[Scored]:
    """A part made of several clauses (路演论证什么，名单由何机构审议) gets the best fact of each clause."""
    clauses = [c for c in re.split(r"[，,]", part.text) if len(c) >= 6]
    if len(clauses) < 2:
        return []
    have = {s.fact.id for s in chosen}
    extra = []
    for clause in clauses:
        sub = Part(clause, part.asks, part.metrics, part.topics, part.attributes)
        best = next((s for s in score_facts(sub, query, nid) if s.fact.kind != Kind.AMBIGUITY), None)
        if (
            best is not None
            and best.score >= THRESHOLD + 0.1
            and best.fact.id not in have
            and _answers(best, part)
        ):
            extra.append(best)
            have.add(best.fact.id)
    return extra[:2]


def _phase_of(steps: list[Scored], nid: str) -> list[Scored]:
    """The dated stage a step is printed under: a date fact whose quote is a heading of the step's
    section (四、公示签约，资金拨付（11月中下旬） over 与市财政局联合下达立项及资金文件)."""
    out: list[Scored] = []
    for s in steps:
        if s.fact.kind not in (Kind.PROCEDURE, Kind.REQUIREMENT):
            continue
        heads = path_at(nid, s.fact.span()[0]).split(" › ")[1:]
        for f in facts_of(nid):
            if (
                f.kind == Kind.DATE
                and f.doc == s.fact.doc
                and normalize_text(f.quote) in map(normalize_text, heads)
            ):
                out.append(Scored(f, s.score, s.lexical))
    return out


def _section(f: Fact) -> str:
    s, _ = f.span()
    path = path_at(f.notice, s).split(" › ")
    return " › ".join(path[:2])


def _conditions(good: list[Scored], primary: str, every: list[Scored] | None = None) -> list[Scored]:
    """'What are the conditions': the rules of the section that answers best, in the notice's order
    (with `every`, all the section's rules the user's class does not exclude: 有哪几条条件)."""
    kinds = {Kind.THRESHOLD, Kind.REQUIREMENT, Kind.WHO}
    typed = [s for s in good if s.fact.kind in kinds]
    if not typed:
        return good[:MAX_FACTS_PER_PART]
    if primary == "who":  # who may apply or solve: the rules that say so, best first
        who = [s for s in typed if s.fact.kind == Kind.WHO]
        if who and good[0].fact.kind in kinds - {Kind.WHO} and good[0].score >= who[0].score + 0.2:
            return good[:1]  # 以哪类单位盖章为准: a rule that names the unit, clearly ahead of who may apply
        top = who[0].score if who else typed[0].score
        actor = who[0].fact.actor if who else None
        about = set(who[0].fact.topics) if who else set()
        near = [s for s in (who or typed) if s.score >= top - NEAR_TOP]
        more = [  # 谁能来揭榜: the rules on that party (who may, who may not), within reach of the best
            s
            for s in typed
            if actor is not None
            and (s.fact.actor == actor or (s.fact.actor is None and about & set(s.fact.topics)))
            and s.score >= top - 0.35
            and s not in near
        ]
        return (near + more)[:5]
    weight: dict[str, float] = {}
    best: dict[str, float] = {}
    for s in typed:
        sec = _section(s.fact)
        weight[sec] = weight.get(sec, 0.0) + s.score
        best[sec] = max(best.get(sec, 0.0), s.score)
    leader = _section(typed[0].fact)
    runner_up = max((v for k, v in best.items() if k != leader), default=0.0)
    # The section of a clearly best rule; else the section with the most matching rules.
    # (a best rule written for the user's own class leads: 需求企业的信用要求, not the solver's section)
    top_rule = typed[0].fact
    clear = best[leader] - runner_up >= 0.15 or (
        top_rule.kind != Kind.WHO and bool(top_rule.applies_to.get("applicant"))
    )
    section = leader if clear else max(weight, key=lambda k: weight[k])
    top = max(s.score for s in typed if _section(s.fact) == section)
    same = [s for s in typed if _section(s.fact) == section and s.score >= top - 0.35]
    if every is not None:
        same = [s for s in every if s.fact.kind in kinds and _section(s.fact) == section and s.score > 0]
    same.sort(key=lambda s: s.fact.span()[0])
    return same[: 8 if every is not None else 6]


def _sequence(good: list[Scored], scored: list[Scored]) -> list[Scored]:
    """'Which stages': the dated phases (or steps) of the section that answers best, in order — every
    dated phase of that section, matched by the question's words or not."""
    top = good[0].fact
    section = _section(top)
    pool = [
        s
        for s in good
        if _section(s.fact) == section and s.fact.kind in (Kind.DATE, Kind.PROCEDURE, Kind.LIST)
    ]
    dates = [s for s in scored if _section(s.fact) == section and s.fact.kind == Kind.DATE and s.fact.when]
    chosen = dates if len(dates) >= 2 else pool
    chosen.sort(key=lambda s: s.fact.span()[0])
    return chosen[:8] or good[:MAX_FACTS_PER_PART]


RELATIVE_SPAN = re.compile(r"(\d+)\s*个?(月|日|天)(?:内|以内|之内)")


def _relative_due(f: Fact, query: Query, draft: Draft, prefix: str) -> None:
    """执行期至2025年12月31日，最迟何日提出验收申请: the user's last full date plus the rule's span."""
    m = RELATIVE_SPAN.search(f.quote)
    anchors = [d for d in query.dates if d.year]
    if m is None or not anchors:
        return
    last = max(anchors, key=lambda d: (d.year or 0, d.month, d.day))
    start = date(last.year or 0, last.month, last.day)
    n = int(m.group(1))
    if m.group(2) == "月":
        month = start.month - 1 + n
        year, month = start.year + month // 12, month % 12 + 1
        # the same day of the month N months on; the month's last day when it has no such day (民法典
        # 第二百零二条: 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日)
        due = date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    else:
        due = start + timedelta(days=n)
    said = f"{due.year}年{due.month}月{due.day}日"
    draft.computed += [said, f"{due.month}月{due.day}日", str(n)]
    draft.add(
        f"{prefix}按您给的{start.year}年{start.month}月{start.day}日计，最迟{said}前"
        f"（{start.year}年{start.month}月{start.day}日 + {n}{'个月' if m.group(2) == '月' else '天'}）。"
    )


def _relative_time_rule(part: Part, main: list[Fact], good: list[Scored]) -> list[Scored]:
    """The part asks the deadline of a step (验收申请) no dated fact is about, and a rule on that step
    sets its time relative to another (执行期满1个月内): that rule, not the calendar's deadlines."""
    about = set(part.topics) - GENERIC_TOPICS
    if not about or _dated_about(about, main):
        return []
    return [
        s for s in good[:3] if about & answered_topics()[s.fact.id] and RELATIVE_TIME.search(s.fact.quote)
    ][:2]


USER_WITHIN = re.compile(rf"(?P<n>\d+|[{CN_CHARS}]+)\s*个?(?P<u>月|天|日|工作日|周)(?:内|以内|之内)")


def _within_verdict(said: re.Match[str], rule: Fact, draft: Draft, prefix: str) -> None:
    """您说的3个月内 against 通知的1个月内: longer is not allowed, shorter is within it (same unit only)."""
    printed = USER_WITHIN.search(rule.quote)
    if printed is None or printed.group("u") != said.group("u"):
        return
    theirs, ours = cn_number(said.group("n")), cn_number(printed.group("n"))
    if theirs is None or ours is None or theirs == ours:
        return
    unit = said.group("u")
    draft.computed += [fmt_num(theirs), fmt_num(ours)]
    if theirs > ours:
        draft.add(
            f"{prefix}不行：通知规定的是{fmt_num(ours)}{'个' if unit == '月' else ''}{unit}内，"
            f"您说的{fmt_num(theirs)}{'个' if unit == '月' else ''}{unit}内超过了这个期限。"
        )
    else:
        draft.add(
            f"{prefix}可以：{fmt_num(theirs)}{'个' if unit == '月' else ''}{unit}内在通知规定的"
            f"{fmt_num(ours)}{'个' if unit == '月' else ''}{unit}内之内。"
        )


def _dated_about(topics: set[str], main: list[Fact]) -> bool:
    """Some dated fact of the notice is about one of these steps."""
    return any(f.kind in DATED and f.date and topics & answered_topics()[f.id] for f in main)


def _undated_step(part: Part, main: list[Fact], good: list[Scored]) -> tuple[str, list[Scored]] | None:
    """The part asks the deadline of a step only it names (签约, taken from the clause before), no
    dated fact of the notice is about that step, and rules about it are found: (its topic, those rules)."""
    about = [t for t in part.topics if t not in GENERIC_TOPICS and t not in DEADLINE_NEUTRAL]
    if not part.context:  # asked in this clause: the step's own word right before the time asked
        about = [t for t in about if _timed_here(part.text, t)]
    if not about or _dated_about(set(about), main):
        return None
    related = [s for s in good[:4] if set(about) & answered_topics()[s.fact.id]]
    return (_nearest_topic(part, about), related[:2]) if related else None


def _topic_label(part: Part, topic: str) -> str:
    """The topic as the user named it (合同书, not the topic's first word 公示)."""
    text = part.context + part.text if part.context else part.text
    words = [w for w in vocabulary().topics.get(topic, []) if normalize_text(w) in text]
    return max(words, key=len) if words else str(vocabulary().topics[topic][0])


def _nearest_topic(part: Part, topics: list[str]) -> str:
    """Of the topics a part names, the one named nearest its question (揭榜方也定了，合同书什么时候签:
    the contract, not the solver told of before)."""
    text = part.context + part.text if part.context else part.text

    def last_at(t: str) -> int:
        return max((text.rfind(normalize_text(w)) for w in vocabulary().topics.get(t, [])), default=-1)

    asked = [m.start() for m in TIME_ASKED_AT.finditer(text)]
    if asked and len(topics) > 1:  # 啥时候来调研论证，我们想提前准备一下材料: the topic by the time asked
        at = asked[-1]

        def distance(t: str) -> int:
            spots = [
                i
                for w in vocabulary().topics.get(t, [])
                for i in [m.start() for m in re.finditer(re.escape(normalize_text(w)), text)]
            ]
            return min((abs(i - at) for i in spots), default=len(text))

        return min(topics, key=lambda t: (distance(t), -last_at(t)))
    return max(topics, key=last_at)


TIME_ASKED_AT = re.compile(r"什么时候|啥时候|何时|哪天|几号|几月|哪一天|哪个月")


TIME_ASK_NEAR = re.compile(r"^[^，,。？?]{0,8}?(?:什么时候|啥时候|何时|哪天|几号|截止|最晚|最迟|期限)")


def _timed_here(text: str, topic: str) -> bool:
    """合同书一般啥时候签: the step's word, then the time asked of it (not 推荐后最晚哪天: after it)."""
    for w in vocabulary().topics.get(topic, []):
        w = normalize_text(w)
        at = text.find(w)
        while at >= 0:
            rest = text[at + len(w) :]
            if not re.match(r"(?:以后|之后|后)", rest) and TIME_ASK_NEAR.match(rest):
                return True
            at = text.find(w, at + 1)
    return False


# Topics a deadline is often asked with that name the material, not a step of its own.
DEADLINE_NEUTRAL = frozenset({"materials", "format", "copies", "seal", "platform", "mailbox"})


EXPLICIT_DEADLINE = re.compile(r"截止|最晚|最迟|期限|deadline")
CLOSING_WORDS = re.compile(r"截止|前|止|最迟|最晚|期限|底")
YEAR_ASKED = re.compile(r"哪一?年|哪个年度|哪一个年度|几几年")
PRINTED_YEAR = re.compile(r"20\d\d\s*年")
RELATIVE_TIME = re.compile(
    r"\d+\s*个?(?:月|日|天|工作日|周)(?:内|以内|之内)|(?:期满|结束|到期|之日起)[^。；]{0,8}(?:内|前)"
    r"|当年(?:内)?执行完毕|当年年底"
)


def _has_dated(facts: list[Fact]) -> bool:
    return any(f.kind in DATED for f in facts)


def _is_deadline_part(part: Part, good: list[Scored], query: Query) -> bool:
    if part.primary == "deadline":
        return True
    if (
        query.dates
        and part is query.parts[0]
        and part.primary in (None, "contact", "where", "eligibility", "copies")
    ):
        return True
    if part.primary == "when" and "deadline" in part.asks and EXPLICIT_DEADLINE.search(part.text):
        return True  # 哪天几点截止: the when is the deadline's
    if part.primary == "when" and good:
        asked = set(part.topics) - GENERIC_TOPICS - {"payment"}
        if asked and not asked & answered_topics()[good[0].fact.id]:
            return False  # 榜单哪天发布: a deadline of another step does not date the step asked
        return good[0].fact.kind in DATED
    return False


LATE_ASKED = re.compile(
    r"晚不晚|算晚|算不算晚|超期|逾期|来得及|赶得上|赶上|还能|过期|迟了|晚了|误了|耽误|截止前|之前交|前交|前报"
)
IS_IT_DEADLINE = re.compile(r"是(?:不是)?[^，,。？?]{0,12}(?:截止|期限|最后一天|deadline)")


def _printed_dates(query: Query, nid: str) -> list[Fact]:
    """Facts printing a full date the question quotes (2026年5月31日 in the notice's own words)."""
    out: list[Fact] = []
    for m in query.dates:
        if m.year is None:
            continue
        said = f"{m.year}年{m.month}月{m.day}日"
        out += [f for f in facts_of(nid) if f not in out and any(said in q for q in f.quotes)]
    return out


# Stages after the collection a notice may never date (a deadline asked of one is no collection deadline).
LATER_STAGES = frozenset({"list_release", "results", "publicity", "midterm", "acceptance", "payment"})
STAGE_NAMES = {
    "list_release": "榜单发布及揭榜申报",
    "results": "立项结果",
    "publicity": "公示签约",
    "midterm": "中期评估",
    "acceptance": "验收",
    "payment": "资金拨付",
}


def _deadlines(
    part: Part, query: Query, nid: str, today: date, draft: Draft, outcome: Outcome, prefix: str
) -> None:
    """The dated steps that fit the question (the user's own first), status against today, and the
    user's own date compared with their deadline."""
    facts = notice_facts(query, nid)
    dated = [f for f in facts if f.kind in DATED and f.date is not None]
    if not dated:
        _silent(part, query, nid, draft, outcome, prefix, "截止时间", [])
        return
    stage = set(part.topics) & LATER_STAGES
    if stage and not any(
        stage & answered_topics()[f.id] for f in facts if f.kind in DATED or f.kind == Kind.DATE
    ):
        # 榜单发布后，揭榜申报截止到什么时候: a later stage no dated rule dates — not this notice's deadlines
        labels = "、".join(sorted(STAGE_NAMES.get(t, t) for t in stage))
        near = [
            x for x in score_facts(part, query, nid)[:3] if x.score >= THRESHOLD and x.fact.kind not in DATED
        ]
        _silent(part, query, nid, draft, outcome, prefix, f"{labels}的截止时间", near[:2])
        return
    role = "recommender" if _part_role(part, query) == "recommender" else None
    if role:
        dated = [f for f in dated if f.actor == role] or dated
    main = [f for f in dated if f.doc is None]
    if query.docs.get(nid) is None and main:
        focus = main
        others = [f for f in dated if f.doc is not None]
    else:
        focus, others = dated, []
    scores = {s.fact.id: s.score for s in score_facts(part, query, nid)}
    focus.sort(key=lambda f: (f.actor != (role or "applicant"), -scores.get(f.id, 0.0), f.date))
    best = scores.get(focus[0].id, 0.0)
    # 有哪些截止日期 / 截止日期分别是给谁的: every dated duty, each with whose it is
    every = bool({"list", "who"} & set(part.asks)) or bool(EACH_ASKED.search(part.text))
    if (
        len(focus) > 1
        and not prefix
        and not every
        and best - max(scores.get(f.id, 0.0) for f in focus[1:]) >= 0.25
    ):
        focus = focus[:1] + [f for f in focus[1:] if f.actor == focus[0].actor]
    verdict: str | None = None
    own = [f for f in focus if f.actor == (role or "applicant")] or focus[:1]
    printed = _printed_dates(query, nid)
    if printed and IS_IT_DEADLINE.search(query.text):
        # 通知里出现的2026年5月31日是申报截止吗: the notice's own date; what it is, then the deadline
        _show(part, query, [Scored(f, 0.0, 0.0) for f in printed[:2]], today, draft, outcome, prefix)
    judged = part.primary != "when" or bool(LATE_ASKED.search(query.text))
    for mention in [m for m in query.dates if not printed and judged][:1]:
        # 3月20号已经报了，立项结果什么时候出: a date told in passing is not asked to be judged
        missed = _earlier_steps_missed(mention, [f for f in focus if f not in own], draft)
        verdict = _date_verdict(mention, own, draft, missed)
    if verdict:
        draft.add(prefix + verdict)
    shown: list[Fact] = []
    for f in focus:
        if f.id in outcome.shown:
            continue  # on a line of an earlier part already, with its status
        # a window that closes after a deadline already shown: no countdown to its end, which would
        # read as more time to submit than the deadline leaves (征集时间至16日 beside 14日前报送)
        closes_later = f.kind == Kind.WINDOW and any(
            g.kind == Kind.DEADLINE and g.date and f.date and g.date < f.date for g in shown
        )
        draft.add(fact_line(f, draft, prefix, None if closes_later else today))
        outcome.shown.add(f.id)
        shown.append(f)
    related_sub = [f for f in others if scores.get(f.id, 0.0) >= THRESHOLD + 0.2]
    for f in related_sub:
        draft.add(fact_line(f, draft, prefix + f"{short_of(f)}·", today))
        outcome.shown.add(f.id)
        shown.append(f)
    notes_for(part, query, shown, draft, outcome)
    outcome.answered += 1


def _their_date(mention: DateMention, f: Fact) -> date | None:
    """The user's date, in the deadline's year when they gave none (None for a day that does not exist)."""
    assert f.date is not None
    try:
        return date(mention.year or f.date.year, mention.month, mention.day)
    except ValueError:
        return None


def _date_verdict(mention: DateMention, own: list[Fact], draft: Draft, missed: str = "") -> str | None:
    """The user's date against every deadline of theirs: late for any one is late (the earliest one
    missed is named); on a “…前” day it is at risk; only before all of them is it in time."""
    shown = f"{mention.month}月{mention.day}日" if mention.year is None else None
    results = []
    for f in sorted(own, key=lambda f: f.date or date.max):
        theirs = _their_date(mention, f)
        if theirs is None:
            return None
        worked = compare_date(f, theirs, shown)
        draft.computed += worked.computed
        results.append((f, worked))
    late = [(f, w) for f, w in results if w.ok is False]
    risky = [(f, w) for f, w in results if w.ok is None]
    if late or risky:
        f, w = (late or risky)[0]
        return f"结论：您说的{w.text}（{f.label}）。"
    if missed:
        f, w = results[0]
        return f"结论：您说的{w.text.replace('，不算晚', '')}（{f.label}）；但{missed}"
    if len(results) > 1:
        return f"结论：您说的{shown or results[0][1].computed[1]}早于下列每一个期限，不算晚。"
    if results:
        f, w = results[0]
        return f"结论：您说的{w.text}（{f.label}）。"
    return None


def _earlier_steps_missed(mention: DateMention, others: list[Fact], draft: Draft) -> str:
    """Other actors' steps (a recommendation batch) already closed on the user's date: say so, so an
    in-time answer never hides a missed batch."""
    missed = []
    for f in sorted(others, key=lambda f: f.date or date.max):
        theirs = _their_date(mention, f)
        if theirs is None:
            continue
        if f.date is not None and theirs > f.date:
            missed.append(f"{f.label}（{when_text(f)}）")
            draft.computed.append(when_text(f))
    if not missed:
        return ""
    shown = f"{mention.month}月{mention.day}日"
    return f"{shown}已晚于{'、'.join(missed)}。"


# What a contact may print, and how an answer names it when no contact prints it.
PRINTED_ATTRIBUTES = {
    "phones": "电话",
    "email": "电子邮箱",
    "address": "地址",
    "person": "联系人姓名",
    "hours": "接听（办公）时间",
}


# Words of a contact question that name no one: what is left after them picks an office.
ANY_CONTACT = re.compile(
    r"请问|通知|文件|揭榜挂帅|那个|这个|业务|咨询|联系|方式|电话|号码|邮箱|电子|找谁|问谁|是多少|多少|"
    r"是什么|有哪些|哪些|都有|一下|给我|告诉我|的|是|吗|呢|有|[“”\"'？?，,。！!\s]"
)


def _names_no_one(query: Query) -> bool:
    """通知联系方式是多少: a contact question naming nothing but the notice and the means asked."""
    rest = normalize_text(strip_notice_names(query.text, query.notices))
    return not query.classes and not query.negated and not ANY_CONTACT.sub("", rest)


def _contacts(part: Part, query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """Who to ask: contacts for the user's class or topic (else the best or all), and what is not printed."""
    contacts = [f for f in notice_facts(query, nid, main_only=True) if f.kind == Kind.CONTACT]
    if not contacts:
        contacts = [f for f in notice_facts(query, nid) if f.kind == Kind.CONTACT]
    if not contacts:
        return False
    fits = [
        f
        for f in contacts
        if not any(set(vs) <= query.negated.get(d, set()) for d, vs in f.applies_to.items() if vs)
    ]
    contacts = fits or contacts  # 不算高新技术领域: not the office for the field the user says they are not
    whole = Part(query.text, part.asks, part.metrics, sorted(_topics(query)), part.attributes, "")
    named_own = set(part.topics) - {"mailbox"}  # 邮箱 names an attribute, not whom
    several = sum(1 for p in query.parts if "contact" in p.asks) > 1
    topics_asked = set(part.topics) if several else _topics(query)  # 平台找谁？政策找哪个处: each its own
    if several and (named_own or len(part.text) > 10):
        # 政策找哪个处；平台登不上找谁: each asks of its own office (邮箱也要一下: of the same one)
        whole = replace(part, context="")
    elif several and part.context and PERSON_BACK.match(part.text):
        whole = part  # 他的电话是多少？平台用不了又找谁: the one the last turn named, not the platform's
    scored = {s.fact.id: s.score for s in score_facts(whole, query, nid)}
    ranked = sorted(contacts, key=lambda f: -scored.get(f.id, 0.0))
    own = [scored.get(f.id, 0.0) for f in ranked[:2]] + [0.0]
    if part.context and not (own[0] >= THRESHOLD and own[0] - own[1] >= 0.08):
        # 他们的电话: whom it leans on — the last turn's words, only when this one picks no office
        whole = replace(whole, context=part.context)
        scored = {s.fact.id: s.score for s in score_facts(whole, query, nid)}
    fitting = _named_contacts(contacts, query)
    ranked = sorted(contacts, key=lambda f: -scored.get(f.id, 0.0))
    top = scored.get(ranked[0].id, 0.0)
    second = scored.get(ranked[1].id, 0.0) if len(ranked) > 1 else 0.0
    near = 0.25 if "list" in part.asks else 0.15
    asked = normalize_text(query.text)
    named_in = normalize_text(part.text) if several else asked  # 高新处电话？平台电话？: each its own
    by_name = [  # 高新处联系人是谁: the office or person the user names
        f for f in contacts if any(x and normalize_text(x) in named_in for x in (f.office, f.person))
    ]
    by_heading = [f for f in contacts if _heading_named(f, contacts, asked)]
    if not by_heading and part.context and not by_name:  # 我们是生物医药企业… → 政策上找谁: the field told
        by_heading = [f for f in contacts if _heading_named(f, contacts, normalize_text(part.context))]
    named_class = read_classes(normalize_text(part.text))[0] if several else {}
    other_class = [  # 我们是协会…；顺便问下龙头企业那边的咨询电话: the office of the class this part names
        f for f in contacts if any(named_class.get(d, set()) & set(vs) for d, vs in f.applies_to.items())
    ]
    if by_name:
        chosen = by_name[:4]
    elif len(other_class) == 1 and not SELF_CLASS.search(part.text):
        chosen = other_class
    elif _names_no_one(query) and not part.context:
        # 通知联系方式是多少: no office, class or matter named, so every office printed, not the one
        # whose wording happens to echo the question's
        chosen = contacts[:8]
    elif len(by_heading) >= 2:  # 生物医药领域和农业领域分别找谁: each division whose heading is named
        chosen = by_heading[:4]
    elif len(by_heading) == 1 and not (  # 我们是做设施农业的: the one division whose heading is named
        topics_asked & {t for f in contacts for t in f.topics} - set(by_heading[0].topics)
    ):  # (平台登不上 as well: another office is asked for too, unless another part asks it)
        chosen = by_heading
    elif several and len(by_heading) == 1 and (others := topics_asked - set(by_heading[0].topics)):
        # 做社会发展的单位：平台进不去找谁？政策找哪个处: this part's office is the other one
        chosen = [f for f in contacts if set(f.topics) & others] or by_heading
    elif (
        # (我们是<某地>的协会… → 找谁: told the turn before, its place name taken out)
        (SELF_CLASS.search(query.raw) or SELF_CLASS.search(part.context.replace("的", "")))
        and len(
            class_fit := [
                f
                for f in fitting
                if any(query.classes.get(d, set()) & set(vs) for d, vs in f.applies_to.items())
            ]
        )
        == 1
    ):
        chosen = (
            class_fit  # 我们协会该找哪个部门: the one office printed for the class the user says they are
        )
    elif top >= THRESHOLD and top - second >= 0.08:
        # 都列一下: a list asked, every near one (not the first four)
        chosen = [f for f in ranked if scored.get(f.id, 0.0) >= top - near][: 8 if "list" in part.asks else 4]
    elif fitting:
        chosen = fitting
    elif top >= THRESHOLD + 0.25:
        chosen = [f for f in ranked if scored.get(f.id, 0.0) >= top - 0.1][:3]
    else:
        chosen = contacts[:8]
    if asks_the_other(query.raw) and part.context:  # 咨询电话多少？→ 另外一个科室呢: the ones not given
        before = replace(whole, text=part.context, context="")
        earlier = {s.fact.id: s.score for s in score_facts(before, query, nid)}
        best = max((earlier.get(f.id, 0.0) for f in contacts), default=0.0)
        given = {f.id for f in contacts if earlier.get(f.id, 0.0) >= best - 0.08}
        rest = [f for f in contacts if f.id not in given]
        if given and rest:
            chosen = sorted(rest, key=lambda f: -earlier.get(f.id, 0.0))[:4]
    # the people printed under the same heading (2．政策咨询：A …，B …) answer the same questions
    grouped: list[Fact] = []
    for f in chosen:
        grouped += [  # under the same heading and no sub-heading of its own (3.生物医药领域: another office)
            g
            for g in [f, *contacts]
            if g not in grouped
            and (
                g is f or (set(f.also) & set(g.also) and ("list" in part.asks or set(g.also) <= set(f.also)))
            )
        ]
    chosen = chosen if by_name else grouped
    for attr in PRINTED_ATTRIBUTES:
        if attr in part.attributes and not any(getattr(f, attr) for f in chosen):
            # the contacts that print it: the general office first
            having = sorted((f for f in contacts if getattr(f, attr)), key=lambda f: not f.general)
            chosen += having[:1]
    missing = [
        a for a in PRINTED_ATTRIBUTES if a in part.attributes and not any(getattr(f, a) for f in chosen)
    ]
    if missing:
        what = PRINTED_ATTRIBUTES[missing[0]]
        names = list(dict.fromkeys(x for f in chosen for x in (f.person, f.office) if x))
        # a long roll of names reads as an answer: of every contact printed, say so
        every = {f.id for f in contacts} <= {f.id for f in chosen}
        who = "、".join(names) if len(names) <= 4 else ("任何处室或联系人" if every else "下列处室和联系人")
        draft.add(f"{prefix or get_notice(nid).short}通知没有印{who}的{what}；它写的联系方式如下。")
        outcome.silent.append((nid, what))
    for f in chosen:
        if f.id in outcome.shown:
            continue
        if not _already_quoted(f, draft):  # (a second person printed on the line above: no bare marker)
            draft.add(fact_line(f, draft, prefix))
        outcome.shown.add(f.id)
    if not missing:
        outcome.answered += 1
    return True


def _subdocument_rules(part: Part, query: Query, nid: str, draft: Draft, outcome: Outcome) -> None:
    """The main notice is silent, but a sub-document printed in it (a provincial notice as 附件4) sets
    this for its own programme: show those rules, named as the sub-document's, never as the notice's."""
    if query.docs.get(nid) is not None or _main_only_words(part.text, nid):
        return  # 本级财政补助类: the question is about the notice's own class, not the sub-document's
    kinds = vocabulary().asks.get(part.primary or "", {}).get("require") or []
    subs = [
        f for f in facts_of(nid) if f.doc is not None and f.kind.value in kinds and f.id not in outcome.shown
    ]
    for f in subs[:4]:
        draft.add(f"另外，{short_of(f)}就其本身的项目规定了：{fact_line(f, draft)}")
        outcome.shown.add(f.id)


def _fitting_contacts(query: Query, nid: str, contacts: list[Fact]) -> list[Fact]:
    """Contacts the whole question points to: for the user's class (协会), or clearly ahead on its words
    (生物医药, 平台)."""
    named = _named_contacts(contacts, query)
    if named:
        return named
    whole = Part(query.text, ["contact"], [], sorted(_topics(query)))
    scores = {s.fact.id: s.lexical for s in score_facts(whole, query, nid)}
    ranked = sorted(contacts, key=lambda f: -scores.get(f.id, 0.0))
    # clearly ahead of every other office (two people printed under one office are one office)
    rivals = [f for f in ranked if f.label != ranked[0].label] if ranked else []
    if ranked and (not rivals or scores.get(ranked[0].id, 0.0) - scores.get(rivals[0].id, 0.0) >= 0.1):
        return ranked[:1] if len(ranked) > 1 else []
    return []


def _heading_named(f: Fact, contacts: list[Fact], asked: str) -> bool:
    """The question names the sub-heading only this contact is printed under (3.生物医药领域)."""
    shared = {h for g in contacts if g is not f for h in g.also}
    for h in set(f.also) - shared:
        name = re.sub(r"^[\d一二三四五六七八九十]+[.．、]\s*|领域$|[：:]$", "", normalize_text(h))
        if len(name) >= 2 and name in asked:
            return True
    return False


def _named_contacts(contacts: list[Fact], query: Query) -> list[Fact]:
    """Contacts for a class the user names (协会), or for a topic only that contact has (领域 is every
    division's topic, so it picks none of them)."""
    topics = _topics(query)
    # a topic of one office only (平台 → 平台技术支持, though two people are printed under it)
    own = {t for t in topics if len({f.label for f in contacts if t in f.topics}) == 1}
    return [
        f for f in contacts if f.applies_to and not class_conflict(f, query) and _class_named(f, query, own)
    ]


def _class_named(f: Fact, query: Query, topics: set[str]) -> bool:
    return any(query.classes.get(d, set()) & set(vs) for d, vs in f.applies_to.items()) or any(
        t in topics for t in f.topics
    )


def _what(part: Part) -> str:
    if part.primary:
        return str(vocabulary().asks[part.primary]["label"])
    return "这方面的内容"


def _silent(
    part: Part,
    query: Query,
    nid: str,
    draft: Draft,
    outcome: Outcome,
    prefix: str,
    what: str,
    related: list[Scored],
    note: Fact | None = None,
    bar: float | None = None,
) -> None:
    """The notice does not say: say so plainly, show what it says nearby, and name the office."""
    n = get_notice(nid)
    if note is None and (nid, what) in outcome.silent:
        return  # 成立年限有没有要求？要注册满几年: one line says both
    later = _announced_later(part, query, nid, what) if note is None else None
    if later is not None and later.id not in {s.fact.id for s in related}:
        # 调研论证什么时候: no date — the rule that puts it off (具体时间另行通知) is what it says nearby
        related = [Scored(later, 1.0, 1.0), *related]
        bar = 0.0 if bar is None else bar
    said = [w.split("方面的")[0] for m, w in outcome.silent if m == nid and "方面的" in w]
    if note is None and "方面的" in what and what.split("方面的")[0] in said:
        outcome.silent.append((nid, what))  # 营收有门槛吗？营收800万够格吗: one line says both
        return
    if note is not None:
        refs = "".join(draft.cite(source_of(note, q)) for q in note.quotes)
        draft.add(f"{prefix}{n.short}通知没有写明：{note.note}{refs}")
        outcome.shown.add(note.id)
    else:
        draft.add(f"{prefix}{n.short}通知没有写明{what}。")
    if bar is None:
        bar = 0.0 if note is not None else RELATED_LEXICAL
    near = [s for s in related if s.fact.id not in outcome.shown and s.lexical >= bar][:1]
    for s in near:
        draft.add(f"{n.short}通知写的相关内容：{fact_line(s.fact, draft)}")
        outcome.shown.add(s.fact.id)
        outcome.related.add(s.fact.id)
    _subdocument_rules(part, query, nid, draft, outcome)
    office_line(nid, draft, query.docs.get(nid), query)
    outcome.silent.append((nid, what))


LATER_SAID = re.compile(r"另行(?:通知|公布|发布|安排|告知)")


def _announced_later(part: Part, query: Query, nid: str, what: str) -> Fact | None:
    """A rule on what is asked whose own words put its date off (具体时间另行通知)."""
    if not re.search(r"时间|日期|哪天|几号|时候", what) or not part.topics or not part.asks:
        return None
    for s in score_facts(part, query, nid)[:6]:
        if LATER_SAID.search(s.fact.quote) and set(s.fact.topics) & set(part.topics):
            return s.fact
    return None


GAP_ASKED = (
    "隔了几天",
    "隔几天",
    "相隔",
    "相差几天",
    "差几天",
    "间隔几天",
    "中间隔",
    "隔多少天",
    "差多少天",
    "早几天",
    "早多少天",
    "早了几天",
    "早了多少天",
    "提前几天",
    "提前多少天",
    "晚几天",
    "晚多少天",
)
GAP_FORMS = re.compile(
    r"离[^，,。？?]{1,10}?(?:有|还有|只有)?(?:几|多少)天|只有(?:几|多少)天"
    r"|(?:中间|之间|两者|两个日期)[^，,。？?]{0,10}?(?:几|多少)天"  # 两者中间一共有几天准备时间
    r"|(?:给了|留了|一共给|共给|总共给)(?:几|多少)天"  # 发文到截止，一共给了几天
    r"|从[^，,。？?]{1,12}?(?:到|至)[^？?。]{1,24}?(?:几|多少)天"  # 从发文算到截止日，…多少天
)
LENGTH_ASKED = re.compile(
    r"(?:共|一共|总共|总计|前后|持续|为期|历时|整整)(?:是|有)?(?:多少|几)天|多少天时间|几天时间"
)
BOTH_ENDS = re.compile(r"首尾|头尾|两头|含当天|都算|均计|都计|包括[^，,。？?]{0,6}(?:当天|两天)")


def _period_length(query: Query, draft: Draft, outcome: Outcome) -> None:
    """征集时间一共多少天: the days of a printed period (start to end), counting both ends as the
    question says, else both ways (people count either way; the notice does not say)."""
    if not LENGTH_ASKED.search(query.text):
        return
    periods = [f for f in all_facts() if f.id in outcome.shown and f.start is not None and f.date is not None]
    if not periods:
        return
    f = periods[0]
    assert f.start is not None and f.date is not None
    both = (f.date - f.start).days + 1
    draft.computed += [str(both), f"{both}天", str(both - 1), f"{both - 1}天"]
    span = f"{f.start.month}月{f.start.day}日至{f.date.month}月{f.date.day}日"
    if BOTH_ENDS.search(query.text):
        line = f"{span}首尾两天都计入，共{both}天。"
    else:
        line = f"{span}首尾两天都计入共{both}天（不计首日为{both - 1}天）。"
    draft.lines.insert(0, line)


def _days_between(query: Query, draft: Draft, outcome: Outcome) -> None:
    """企业交县里和县里报市里的截止日隔了几天: the days between the first two dates the answer gives."""
    if not query.has(*GAP_ASKED) and not GAP_FORMS.search(query.text):
        return
    shown = [f for f in all_facts() if f.id in outcome.shown and f.date is not None]
    if query.has("截止", "截至", "最晚") and not any(f.kind == Kind.DEADLINE for f in shown):
        for nid in scope_of(query):  # 发文到截止相差几天: the notice's own deadline, when it has one
            own = [f for f in facts_of(nid) if f.kind == Kind.DEADLINE and f.doc is None and f.date]
            if len(own) == 1:
                draft.add(fact_line(own[0], draft))
                outcome.shown.add(own[0].id)
                shown += own
    if ISSUE_NAMED.search(query.text) and not any("issue_date" in answered_topics()[f.id] for f in shown):
        for nid in scope_of(query):  # 落款日期到截止日相隔几天: the notice's own issue date is one end
            issued = [
                f
                for f in facts_of(nid)
                if f.date and f.doc is None and "issue_date" in answered_topics()[f.id]
            ]
            for f in issued[:1]:
                draft.add(fact_line(f, draft))
                outcome.shown.add(f.id)
                shown.append(f)
    asked = len(re.findall("|".join(sorted(GAP_ASKED, key=len, reverse=True)), query.text))
    asked += len(GAP_FORMS.findall(query.text))
    scope = scope_of(query)
    if len(scope) > 1 and len({f.notice for f in shown}) > 1:
        lines = _gaps_by_notice(query, scope, shown, asked, draft)
        if lines:
            draft.lines.insert(0, "；".join(lines) + "。")
            return
    line = _gap_line(query, shown, asked, draft)
    if line:
        draft.lines.insert(0, line)


SPAN_ASKED = re.compile(r"开始|开放|起始|起止|从开始")
DAYS_ASKED = re.compile(r"(?:几|多少)天")


def _gaps_by_notice(query: Query, scope: list[str], shown: list[Fact], asked: int, draft: Draft) -> list[str]:
    """Two notices' dates: each notice's own gap when each is asked (<甲地>给了多少天，<乙地>给了多少天),
    else how far apart their deadlines are (哪个截止早？早多少天)."""
    if len(DAYS_ASKED.findall(query.text)) >= 2 or re.search(r"分别|各自|各给", query.text):
        out = []
        for nid in scope:
            line = _gap_line(query, [f for f in shown if f.notice == nid], 1, draft)
            if line:
                out.append(f"{get_notice(nid).short}：{line.rstrip('。')}")
        return out
    due: dict[str, date] = {}
    for nid in scope:  # each notice's deadline: the one the question names, else the applicant's own
        own = [f for f in shown if f.notice == nid and f.kind == Kind.DEADLINE and f.doc is None and f.date]
        if len(own) > 1:
            picked = _named_dates(query, own, 1)
            applicants = {f.date for f in own if f.actor != "recommender" and f.date is not None}
            chosen = picked or (sorted(applicants) if len(applicants) == 1 else None)
            if chosen is None:
                return []  # which of its deadlines is meant is not certain: no gap that may be wrong
            due[nid] = chosen[0]
        elif own and own[0].date is not None:
            due[nid] = own[0].date
    if len(due) != 2:
        return []
    (a, da), (b, db) = sorted(due.items(), key=lambda x: x[1])
    days = (db - da).days
    draft.computed += [str(days), f"{days}天"]
    return [
        f"{get_notice(a).short}的截止日（{da.month}月{da.day}日）比{get_notice(b).short}的（{db.month}月{db.day}日）"
        f"早{days}天"
    ]


def _gap_line(query: Query, shown: list[Fact], asked: int, draft: Draft) -> str | None:
    """The days between the dates of the facts shown: the ones asked, or every pair when which is unsure."""
    spans = [f for f in shown if f.start is not None and f.date is not None]
    if SPAN_ASKED.search(query.text) and len(spans) == 1:
        first, second = spans[0].start, spans[0].date  # 截止日比开始日晚几天: the window's own ends
        assert first is not None and second is not None
        days = (second - first).days
        draft.computed += [str(days), f"{days}天"]
        return f"{spans[0].label}：{second.month}月{second.day}日 − {first.month}月{first.day}日 = {days}天。"
    dates = sorted({f.date for f in shown if f.date is not None})
    if len(dates) < 2:
        return None
    # 又相隔多少天: each gap asked, in order
    wanted = max(1, min(asked, 2))
    pairs = list(itertools.pairwise(dates))[:wanted]
    if len(dates) > wanted + 1:
        named = _named_dates(query, shown, wanted + 1)
        if named is not None:  # 企业填报的截止跟第三批次推荐截止: the two the question names
            dates = named
            pairs = list(itertools.pairwise(dates))[:wanted]
        else:
            # which two the user means is not certain: every pair, each named by its dates (never one
            # gap that may be the wrong one)
            pairs = list(itertools.combinations(dates[:4], 2))
    said = []
    for first, second in pairs:
        days = (second - first).days
        draft.computed += [str(days), f"{days}天"]
        said.append(f"{first.month}月{first.day}日到{second.month}月{second.day}日相隔{days}天")
    if len(pairs) == 1:
        first, second = pairs[0]
        days = (second - first).days
        return f"两个日期相隔{days}天（{second.month}月{second.day}日 − {first.month}月{first.day}日）。"
    return "；".join(said) + "。"


ISSUE_NAMED = re.compile(r"落款|印发|发文|成文")
ORDER_ASKED = re.compile(r"早还是晚|晚还是早|哪个(?:先|早|晚|在前)|谁(?:先|早)|先后|更早|更晚")


def _issue_order(query: Query, draft: Draft, outcome: Outcome) -> None:
    """附件里那份通知比正文的早还是晚: the issue dates of the notice and of the documents printed in it,
    each shown, and which came first (by how many days)."""
    if not ORDER_ASKED.search(query.text) or query.has(*GAP_ASKED):
        return
    issued = [
        f
        for nid in query.notices
        for f in facts_of(nid)
        if f.date is not None and "issue_date" in answered_topics()[f.id]
    ]
    if not ISSUE_NAMED.search(query.text) and not any(f.id in outcome.shown for f in issued):
        return
    by_doc: dict[tuple[str, str | None], Fact] = {}
    for f in issued:
        by_doc.setdefault((f.notice, f.doc), f)
    if len(by_doc) != 2:
        return
    first, second = sorted(by_doc.values(), key=lambda f: f.date or date.min)
    for f in (first, second):
        if f.id not in outcome.shown:
            draft.add(fact_line(f, draft))
            outcome.shown.add(f.id)
    assert first.date is not None and second.date is not None
    days = (second.date - first.date).days
    if days == 0:
        draft.lines.insert(
            0, f"两份文件落款是同一天（{first.date.year}年{first.date.month}月{first.date.day}日）。"
        )
        return
    draft.computed += [str(days), f"{days}天"]
    draft.lines.insert(
        0,
        f"{first.label}（{first.date.year}年{first.date.month}月{first.date.day}日）比"
        f"{second.label}（{second.date.year}年{second.date.month}月{second.date.day}日）早{days}天。",
    )


DATE_WORDS = frozenset({"截止", "日期", "时间", "期限", "之前", "以前"})


def _named_dates(query: Query, shown: list[Fact], k: int) -> list[date] | None:
    """The dates of the k dated facts the question names by their labels' words (two characters in a
    row, 第三批次 · 填报; a pair every label has names none of them), when those k are clearly ahead of
    the rest; else None."""
    dated = [f for f in shown if f.date is not None]

    def bigrams(f: Fact) -> set[str]:
        label = normalize_text(f.label)
        return {label[i : i + 2] for i in range(len(label) - 1)} - DATE_WORDS

    spread = {p: sum(1 for f in dated if p in bigrams(f)) for f in dated for p in bigrams(f)}

    def named(f: Fact) -> float:
        said = sum(1 / spread[p] for p in bigrams(f) if p in query.text)
        if ISSUE_NAMED.search(query.text) and "issue_date" in answered_topics()[f.id]:
            said += 10
        return said

    ranked = sorted(((named(f), f.date) for f in dated if f.date is not None), key=lambda x: -x[0])
    if len(ranked) <= k or ranked[k - 1][0] == 0 or ranked[k - 1][0] <= ranked[k][0]:
        return None
    return sorted({d for _, d in ranked[:k]})


# -- cross-notice comparison ----------------------------------------------------------------------


def comparison(query: Query, scope: list[str], draft: Draft, outcome: Outcome) -> None:
    """'哪个最高': the extreme of the typed values shown for each notice, when units agree."""
    hi = query.has(*HIGHEST) or query.has("哪个高", "哪个多", "谁高", "谁多")
    lo = query.has(*LOWEST) or query.has("哪个低", "哪个少")
    gap = query.has("差多少", "相差多少", "差几", "高多少", "多多少", "少多少", "差距", "相差")
    if not (hi or lo or gap) or len(scope) < 2:
        return
    pointers = [w for w in COMPARE_WORDS if w != "都"]  # (都是企业自己的难题: no comparison)
    if not query.notices and not query.has(*pointers, "谁", "哪里", "哪儿", "哪地", "相比"):
        return  # 本县最多能推荐几项 (no place named): a cap asked, not which notice is highest
    values: list[tuple[float, str, Fact]] = []
    typed = (Kind.CAP, Kind.RATE, Kind.THRESHOLD, Kind.QUOTA, Kind.PERIOD)
    for nid in scope:  # one value per notice: its first answer of a typed kind, never a sub-document's
        f = next((x for x in outcome.answers if x.notice == nid and x.kind in typed and x.doc is None), None)
        if f is None:
            continue
        v = f.cap if f.kind == Kind.RATE and f.cap is not None else f.value
        unit = "万元" if f.kind == Kind.RATE and f.cap is not None else f.unit
        if v is not None and unit:
            values.append((v, unit, f))
    units = {u for _, u, _ in values}
    if len(units) != 1 or len({f.notice for _, _, f in values}) < 2:
        return
    if gap and len(values) == 2:  # 两地补助上限差多少: the difference of the two values
        (a, unit, fa), (b, _, fb) = sorted(values, key=lambda x: -x[0])
        d = a - b
        draft.computed += [figure_text(d, unit), fmt_num(d)]
        draft.add(
            f"相差：{get_notice(fa.notice).short}{figure_text(a, unit)} − {get_notice(fb.notice).short}"
            f"{figure_text(b, unit)} = {figure_text(d, unit)}。"
        )
        return
    if not (hi or lo):
        return
    pick = max(values, key=lambda x: x[0]) if hi else min(values, key=lambda x: x[0])
    word = "最高" if hi else "最低"
    where = get_notice(pick[2].notice).short
    silent = [get_notice(n).short for n in scope if n not in {f.notice for _, _, f in values}]
    among = f"在写明的通知中，{word}" if silent else word
    left_out = f"（{'、'.join(silent)}通知没有写明，未计入）" if silent else ""
    draft.add(f"比较：{among}的是{where}：{figure_text(pick[0], pick[1])}{left_out}。")
    draft.computed.append(figure_text(pick[0], pick[1]))


# -- the whole answer -----------------------------------------------------------------------------


MORE_FACTS = 4  # 还有呢: how many more rules one turn shows


def _more(query: Query, scope: list[str], today: date, draft: Draft, outcome: Outcome) -> None:
    """还有呢: the next rules the last question scores, those its answer showed left out; or, when none
    is left, that the notice says nothing more on it."""
    outcome.shown.update(query.seen)
    for nid in scope:
        prefix = f"{get_notice(nid).short}：" if len(scope) > 1 else ""
        said = {f.quote for f in facts_of(nid) if f.id in outcome.shown}  # two rules on one sentence
        for part in query.parts:
            rest = [
                s
                for s in score_facts(part, query, nid)
                if s.score >= THRESHOLD
                and s.fact.id not in outcome.shown
                and s.fact.quote not in said
                and doc_ok(s.fact, query)
            ]
            if rest:
                _show(part, query, rest[:MORE_FACTS], today, draft, outcome, prefix)
                outcome.answered += 1
    if not outcome.answered:
        _nothing_more(scope, draft, outcome)


def _nothing_more(scope: list[str], draft: Draft, outcome: Outcome) -> None:
    names = "、".join(get_notice(nid).short for nid in scope)
    draft.add(f"上一条回答已列出{names}通知在这方面的规定，通知里没有找到更多相关内容。")
    outcome.answered += 1


def _inferred_documents(query: Query, scope: list[str]) -> Query:
    """A question that names no notice is about the document its best fact is printed in (院士当负责人
    满70周岁的线: the provincial notice printed inside one), as if that document were named."""
    if query.notices or query.docs or len(scope) != 1:
        return query  # (several notices fit: each is answered as a whole)
    docs: dict[str, str | None] = {}
    for nid in scope:
        best = [s for p in query.parts for s in score_facts(p, query, nid)[:1]]
        top = max(best, key=lambda s: s.score, default=None)
        docs[nid] = top.fact.doc if top is not None and top.lexical >= STRONG_LEXICAL else None
    return replace(query, docs=docs, memo={}) if any(docs.values()) else query


def compose(query: Query, today: date) -> tuple[Draft, Outcome]:
    scope = scope_of(query)
    query = _inferred_documents(query, scope)
    draft = Draft(topic=query.topic)
    draft.computed.append(query.text)
    draft.computed += [fmt_num(f.value) for f in query.figures]  # 叁佰伍拾万元 is said back as 350万元
    outcome = Outcome()
    multi = len(scope) > 1
    if query.seen and not query.seen_answer_as_usual:
        _more(query, scope, today, draft, outcome)
        return draft, outcome
    outcome.shown.update(query.seen)  # 资格审查还有什么要求: its rules, but not the one just given
    if query.after and _next_steps(query, scope, today, draft, outcome):
        return draft, outcome
    for nid in scope:
        prefix = f"{get_notice(nid).short}：" if multi else ""
        before = outcome.answered
        funded = funding(query, nid, draft, outcome, prefix)
        checking = not funded or bool({"eligibility", "threshold", "share"} & set(query.asks))
        if BEYOND_GRANT.search(query.text) and "eligibility" not in query.asks:
            checking = False  # 市财政之外，区里配套多少: money asked, no verdict
        facts = notice_facts(query, nid, main_only=True)
        if any(p.primary != "eligibility" and _metric_silent(p, query, facts) for p in query.parts) and (
            "eligibility" not in query.asks or not _own_metrics_set(query, facts)
        ):
            # 研发人员有没有最低要求 / 营收有门槛吗？我们只有800万: a rule the notice does not set, not a verdict
            checking = False
        checked = checking and (
            _each_item(query, nid, draft, outcome, prefix) or eligibility(query, nid, draft, outcome, prefix)
        )
        summed = _sums(query, nid, draft, outcome, prefix)
        if not checked:
            _rule_of_others(query, nid, draft, outcome, prefix)
        if _only_unscheduled(query, nid):
            outcome.answered = before  # 补助50万的话分几期拨: the sum worked out is not the schedule asked
        unset: set[str] = set()  # parts asking a bar the notice does not set
        solving = [p for p in query.parts if "揭" in p.text.replace("揭榜挂帅", "")]
        mixed = bool(solving) and len(solving) < len(query.parts)  # 能提需求吗？能不能去揭榜？
        for part in _with_secondary_asks(query.parts):
            dated = bool(query.dates) and checked and not funded  # 未结题…拟于9月15日报送: the date too
            dated = dated or (
                checked and not funded and part.primary == "funding"
            )  # 能给多少: its own answer
            unscheduled = part.primary == "schedule" and not any(
                f.kind == Kind.SCHEDULE for f in facts_of(nid)
            )
            if (
                (funded or checked)
                and not _needs_own_answer(part)
                and not unscheduled  # 分几期拨: a notice that prints no schedule says so, after the sum
                and not (mixed and part in solving)
                and not dated
            ):
                continue
            if summed and part.primary == "count":
                continue  # 还差几项 / 至少完成几项: the sum worked out answers it
            if len(query.parts) > 1 and _gap_part(part):
                continue  # 两者中间有几天: worked out from the dates the other parts give
            if set(part.asks) <= {"eligibility"} and (
                part.context in unset or ("count" in unset and COUNT_SAID.search(part.text))
            ):
                continue  # 最低得承诺多少？只承诺50万够不够 / 推荐有上限吗？收上来5项都能报吗: no bar is set
            silent_before = len(outcome.silent)
            answer_part(part, _part_scope(query, part, nid), nid, today, draft, outcome, multi)
            if len(outcome.silent) > silent_before and {"threshold", "cap", "count"} & set(part.asks):
                unset.add(part.text)
                if part.primary == "count":
                    unset.add("count")
        _remaining(query, nid, draft, outcome)
        if TOTAL_ASKED.search(query.text) and not outcome.totalled and len(query.parts) > 1:
            whole = Part(query.text, query.asks, [m for p in query.parts for m in p.metrics], [], [])
            _totals(whole, query, nid, [f for f in facts_of(nid) if f.id in outcome.shown], draft, outcome)
    comparison(query, scope, draft, outcome)
    _days_between(query, draft, outcome)
    _issue_order(query, draft, outcome)
    _period_length(query, draft, outcome)
    if not scope:
        outcome.silent.append(("", _what(query.parts[0])))
    if query.seen and not draft.lines:  # 资格审查还有什么要求, every one given already
        outcome.silent.clear()
        _nothing_more(scope, draft, outcome)
    return draft, outcome


EACH_ASKED = re.compile(r"各|分别|每个|每项|哪个|哪项|哪一个|各自")


def _each_item(query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """A项拟投入1000万，B项拟投入950万，各算什么: each item checked on its own figure, never the last
    one for all."""
    listed = listed_figures(query)
    if not listed or not EACH_ASKED.search(query.text):
        return False
    metric = next((g.metric for g in listed if g.metric), None)
    if not any(f.kind == Kind.THRESHOLD and f.metric == metric for f in notice_facts(query, nid)):
        return False  # 分别申请300万和260万: no bar for each item's figure; their total is what is ruled
    done = False
    for k, fig in enumerate(listed, 1):
        alone = replace(query, figures=[g for g in query.figures if g not in listed or g is fig], memo={})
        sub, sub_outcome = Draft(topic=query.topic), Outcome()
        if not eligibility(alone, nid, sub, sub_outcome, ""):
            continue
        draft.add(f"{prefix}第{k}项（{fig.raw}）：")
        for ln in cited_into(draft, sub):
            draft.add(ln)
        draft.computed += [*sub.computed, str(k)]
        outcome.shown |= sub_outcome.shown
        outcome.answered += sub_outcome.answered
        done = True
    return done


def _rule_of_others(query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> None:
    """我们是行业协会…会不会因为达不到1亿营收被卡: the bar the user names is written for another class
    of applicant; it is shown, with whom it is for, and no verdict on the user."""
    mine = query.classes.get("applicant")
    quoted = {fig.value for fig in query.figures if not fig.own}
    if not mine or not quoted:
        return
    for f in notice_facts(query, nid):
        whose = f.applies_to.get("applicant") or []
        if f.kind != Kind.THRESHOLD or f.value not in quoted or not whose or mine & set(whose):
            continue
        if any(
            g.kind == Kind.THRESHOLD and g.metric == f.metric and not class_conflict(g, query)
            for g in facts_of(nid)
        ):
            continue  # a bar on the same measure is set for their class too: the verdict machinery says it
        names = "、".join(_class_name("applicant", v) for v in whose)
        draft.add(
            f"{prefix}{f.label}：{value_text(f)}，{cite_fact(f, draft)}——这一条写的是对{names}的要求，"
            f"不是对您所说单位类型的要求。"
        )
        outcome.shown.add(f.id)
        outcome.answered += 1
        return


def _sums(query: Query, nid: str, draft: Draft, outcome: Outcome, prefix: str) -> bool:
    """The user's own figures added up (第一批80项、第二批70项 / 分别申请300万和250万), each sum held
    against the printed total that is theirs."""
    facts = notice_facts(query, nid)
    ruled = False
    sums = [*user_sums(query, facts), *rest_of_quota(query, facts), *count_for_share(query, facts)]
    for summed in sums or short_of_floor(query, facts):
        if any(f"= {summed.computed[0]}" in ln for ln in draft.lines):
            continue  # the verdict already added these up
        draft.computed += summed.computed
        cited = ""
        if summed.rule is not None:
            cited = cite_fact(summed.rule, draft)
            outcome.shown.add(summed.rule.id)
            ruled = True
        draft.add(f"{prefix}{summed.line}。{cited}")
    outcome.answered += int(ruled)
    return ruled


ASKING = re.compile(r"什么|啥|何|哪|几|多少|多久|多长|谁|怎|吗|呢|么|否|是不是|能不能|有没有")


KIND_ASIDE_LEXICAL = 0.7
STATE_MONEY = re.compile(r"财政[^，,。？?]{0,4}(?:支持|补助|资助|补|给|拨)")
FIRST_STEP = re.compile(r"第一步|头一步|首先要?(?:做|干)")
CHAIN_ARROW = re.compile(r"→|->|—>")


def _next_steps(query: Query, scope: list[str], today: date, draft: Draft, outcome: Outcome) -> bool:
    """第一步干嘛？→ 然后呢？→ 再然后呢: the step the notice prints after the last one shown. A chain
    printed in one sentence (需求征集→编制申报指南→…) is walked item by item, one per turn."""
    from knowledge.flow import step_facts

    done = False
    for nid in scope:
        shown = [f for f in facts_of(nid) if f.id in query.after and f.span()[0] >= 0]
        if not shown:
            continue
        prefix = f"{get_notice(nid).short}：" if len(scope) > 1 else ""
        chain = next((f for f in shown if f.kind == Kind.LIST and CHAIN_ARROW.search(f.quote)), None)
        if chain is not None and len(chain.items) >= 2:
            k = min(query.sequels + 1, len(chain.items) - 1)
            draft.add(
                f"{prefix}按通知列的顺序，下一步是“{chain.items[k]}”"
                + (f"，再往后是“{chain.items[k + 1]}”" if k + 1 < len(chain.items) else "")
                + f"：{cite_fact(chain, draft)}"
            )
            outcome.shown.add(chain.id)
            outcome.answered += 1
            done = True
            continue
        steps = step_facts(nid, shown[0].doc)
        # from the first step shown, past the steps shown with it (the answer's extras lie further on)
        first = min((i for i, f in enumerate(steps) if f.id in query.after), default=None)
        if first is None:
            continue
        later = [f for f in steps[first:] if f.id not in query.after]
        if steps[first].kind == Kind.DATE:  # a dated stage shown: the next stage, not its details
            later = [f for f in later if f.kind == Kind.DATE] or later
        if not later:
            continue
        text = get_notice(nid).text
        end = text.find("。", later[0].span()[1])
        one = [later[0], *(f for f in later[1:3] if end < 0 or f.span()[0] < end)]  # one printed sentence
        _show(query.parts[0], query, [Scored(f, 0.0, 0.0) for f in one], today, draft, outcome, prefix)
        done = True
    return done


def _only_unscheduled(query: Query, nid: str) -> bool:
    """Every part that asks (如果补助40万 only sets the scene) asks how the money is paid out, and the
    notice prints no schedule."""
    asking = [p for p in query.parts if ASKING.search(p.text)]
    return (
        bool(asking)
        and all(p.primary == "schedule" for p in asking)
        and not any(f.kind == Kind.SCHEDULE for f in facts_of(nid))
    )


def _gap_part(part: Part) -> bool:
    """A part that only asks the days between dates other parts ask (两者中间一共有几天)."""
    gap = any(w in part.text for w in GAP_ASKED) or bool(GAP_FORMS.search(part.text))
    names_dates = re.search(r"日|截止|印发|落款|发文", part.text)  # 印发日到截止日相隔多少天: its own
    return gap and not part.topics and not part.metrics and not names_dates


def _part_scope(query: Query, part: Part, nid: str) -> Query:
    """这份通知哪天落款？附件4那份又是哪天: a part that names the notice itself and not the document
    printed in it is about the notice, though another part names that document."""
    if query.docs.get(nid) is None or len(query.parts) < 2:
        return query
    from knowledge.understand import mentioned_docs

    if mentioned_docs(part.text, [nid]).get(nid) is not None:
        return query
    n = get_notice(nid)
    if not any(normalize_text(a) in part.text for a in (n.short, *n.aliases) if a):
        return query
    return replace(query, docs={**query.docs, nid: None}, memo={})


# Asks that get their own answer when a part asks them beside a main ask of another family
# (最晚哪天交发到哪个邮箱: a date and an address).
FAMILIES = {
    "deadline": "time",
    "period": "time",
    "contact": "place",
    "copies": "place",
    "funding": "money",
    "schedule": "money",
    "count": "count",
}


def _with_secondary_asks(parts: list[Part]) -> list[Part]:
    out: list[Part] = []
    for part in parts:
        out.append(part)
        family = FAMILIES.get(part.primary or "")
        seen = {family}
        for ask in part.asks:
            other = FAMILIES.get(ask)
            if family and other and other not in seen:
                seen.add(other)
                out.append(Part(part.text, [ask], part.metrics, part.topics, part.attributes))
    return out


def _needs_own_answer(part: Part) -> bool:
    """After a verdict or a calculation, parts that ask something else still get their own lines."""
    return bool(set(part.asks) - {"eligibility", "threshold", "funding", "cap", "share", "schedule", "who"})
