"""Question → cited answer. Deterministic composers first, extractive passages next, refusal last.

Every answer leaves through `finalize`, which numbers citations, checks each quote is verbatim and
runs the grounding guard: a number in the answer must appear in a cited quote or be a shown result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from knowledge.cite import MAX_QUOTE, display, fit, units
from knowledge.corpus import get_notice, has_extra_notices, notices, shipped_notice_ids, shipped_notices
from knowledge.retrieve import QueryError, check_query, get_searcher
from knowledge.settings import get_settings
from knowledge.tokenize import normalize_text, tokenize
from knowledge.types import Answer, Citation
from knowledge.understand import Context, Query, understand

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_QUESTION = 2000
NOT_CHINESE = (
    "收录的通知都是中文的，请用中文提问（The notices are in Chinese; please ask in Chinese）。"
    "例如：泉州的需求表最晚什么时候交？"
)


def today_in_shanghai() -> date:
    configured = get_settings().today
    if configured:
        return date.fromisoformat(configured)
    return datetime.now(SHANGHAI).date()


@dataclass
class Source:
    """A quote the answer rests on, before numbering: notice id and verbatim offsets."""

    notice: str
    path: str
    start: int
    end: int

    @property
    def quote(self) -> str:
        return get_notice(self.notice).text[self.start : self.end]


@dataclass
class Draft:
    """An answer under construction: lines that refer to sources by index, and any computed numbers."""

    topic: str
    lines: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    refused: bool = False
    weak: bool = False

    def cite(self, source: Source) -> str:
        """Add a source (deduplicated) and return its marker."""
        for i, s in enumerate(self.sources):
            if (s.notice, s.start, s.end) == (source.notice, source.start, source.end):
                return f"[{i + 1}]"
        self.sources.append(source)
        return f"[{len(self.sources)}]"


NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_in(text: str) -> set[str]:
    return {n.lstrip("0") or "0" for n in NUMBER.findall(normalize_text(text))}


def grounded(draft: Draft) -> bool:
    """Every number in the answer text is in a cited quote or among the shown computed results."""
    allowed: set[str] = set()
    for s in draft.sources:
        allowed |= numbers_in(s.quote) | numbers_in(s.path)
    for c in draft.computed:
        allowed |= numbers_in(c)
    body = "\n".join(draft.lines)
    body = re.sub(r"\[\d+\]|附件\s*\d+", "", body)
    return numbers_in(body) <= allowed


def finalize(question: str, query: Query | None, draft: Draft) -> Answer:
    citations = []
    for n, s in enumerate(draft.sources, 1):
        citations.append(Citation(n=n, notice=s.notice, path=s.path, quote=s.quote, start=s.start, end=s.end))
    cited = list(dict.fromkeys(c.notice for c in citations))
    named = query.notices if query else []
    return Answer(
        question=question,
        answer="\n".join(draft.lines).strip(),
        refused=draft.refused,
        topic=draft.topic,
        notices=list(dict.fromkeys([*named, *cited])) if not draft.refused else named,
        citations=citations,
    )


# -- extractive ---------------------------------------------------------------------------------


def _unit_score(q_tokens: set[str], text: str) -> float:
    toks = set(tokenize(text))
    if not toks:
        return 0.0
    return sum(len(t) for t in q_tokens & toks) / (1 + 0.002 * len(text))


def default_scope(query: Query) -> list[str]:
    """The notices a question is about: those it names, else the shipped ones (never an extra notice
    it does not name, so extra notices cannot change an answer about the shipped ones)."""
    return query.notices or list(shipped_notice_ids())


# An attachment list entry or a heading: no clause punctuation, short. It names a topic but answers nothing.
TITLE_LIKE = re.compile(r"^[^，,。；;]{0,45}$")


def extractive(query: Query, k: int = 6, max_units: int = 3) -> Draft | None:
    """The best sentences of the best passages, each quoted verbatim."""
    searcher = get_searcher()
    # Without extra notices, "no scope" is the shipped notices already (and keeps auto-scoping).
    scope = default_scope(query) if query.notices or has_extra_notices() else None
    hits = searcher.search(query.raw, k, scope)
    if not hits:
        return None
    q_tokens = set(tokenize(query.raw))
    candidates: list[tuple[float, int, Source]] = []
    for rank, hit in enumerate(hits):
        c = hit.chunk
        text = get_notice(c.notice).text
        for s, e in units(text, c.start, c.end):
            s2, e2 = fit(text, s, e, query.raw, MAX_QUOTE)
            piece = text[s2:e2].strip()
            informative = (
                0.3 if len(piece) < 15 or piece.endswith(("：", ":")) or TITLE_LIKE.match(piece) else 1.0
            )
            score = _unit_score(q_tokens, piece) * (1.0 / (1 + 0.25 * rank)) * (0.5 + hit.score) * informative
            candidates.append((score, rank, Source(c.notice, c.path_str, s2, e2)))
    candidates.sort(key=lambda x: -x[0])
    draft = Draft(topic=query.topic)
    chosen: list[Source] = []
    wanted = query.notices if len(query.notices) > 1 else []
    for nid in wanted:
        best = next((src for _, _, src in candidates if src.notice == nid), None)
        if best is not None:
            chosen.append(best)
    for score, _, src in candidates:
        if len(chosen) >= max(max_units, len(wanted)):
            break
        if score <= 0 or any(
            src.start < o.end and o.start < src.end and src.notice == o.notice for o in chosen
        ):
            continue
        chosen.append(src)
    if not chosen:
        return None
    chosen.sort(key=lambda s: (list(n.id for n in notices()).index(s.notice), s.start))
    for src in chosen:
        short = get_notice(src.notice).short
        draft.lines.append(f"{short}通知：{display(src.quote)}{draft.cite(src)}")
    return draft


# -- refusal ------------------------------------------------------------------------------------


def _add_best_passage(query: Query, draft: Draft) -> None:
    """Facts matched only loosely: also show the single best retrieved sentence, when it is new."""
    extra = extractive(query, max_units=1)
    if extra is None or not extra.sources:
        return
    src = extra.sources[0]
    if any(s.notice == src.notice and s.start < src.end and src.start < s.end for s in draft.sources):
        return
    short = get_notice(src.notice).short
    draft.lines.append(f"相关原文（{short}）：{display(src.quote)}{draft.cite(src)}")


def covered_summary() -> str:
    """The shipped notices a refusal lists: extra notices never change a refusal's text."""
    return "、".join(f"{n.short}（{n.year}年）" for n in shipped_notices())


def refusal(query: Query, reason: str) -> Draft:
    draft = Draft(topic=query.topic, refused=True)
    draft.lines.append(f"抱歉，现有通知没有涉及这个问题：{reason}")
    draft.lines.append(
        f"本助手收录的是这几份“揭榜挂帅”通知：{covered_summary()}，可以回答它们的截止时间、申报条件、资金支持、需求表填写、报送流程和联系方式。"
    )
    draft.lines.append("其他地区或年度的政策，请以当地科技主管部门发布的通知为准。")
    if query.notices and not query.inherited_notices:
        from knowledge.composers import office_lines

        for nid in query.notices:
            if nid in {n.id for n in shipped_notices()}:
                office_lines(nid, draft)
    return draft


Composer = Callable[[Query, date], Draft | None]
COMPOSERS: list[Composer] = []


def answer(question: str, today: date | None = None, context: Context | None = None) -> Answer:
    """The one transport-free entry point used by the CLI, the terminal chat and the Telegram bot."""
    today = today or today_in_shanghai()
    try:
        cleaned = check_query(question[:MAX_QUESTION])
    except QueryError as exc:
        return Answer(question=question, answer=str(exc).replace("查询", "问题"), refused=True, topic="other")
    if not re.search(r"[\u4e00-\u9fff]", cleaned):
        return Answer(question=question, answer=NOT_CHINESE, refused=True, topic="other")
    query = understand(cleaned, context)
    import knowledge.composers  # noqa: F401  (registers the deterministic composers)
    from knowledge.scope import out_of_scope

    reason = out_of_scope(query)
    if reason:
        return finalize(question, query, refusal(query, reason))
    draft: Draft | None = None
    for composer in COMPOSERS:
        candidate = composer(query, today)
        if candidate is not None and candidate.sources and grounded(candidate):
            draft = candidate
            break
    if draft is None:
        draft = extractive(query)
    elif draft.weak:
        _add_best_passage(query, draft)
    if draft is None or not grounded(draft):
        return finalize(question, query, refusal(query, "通知中没有找到与问题相关的内容。"))
    settings = get_settings()
    if settings.llm_enabled:
        from knowledge.llm import phrase

        draft = phrase(cleaned, draft, settings)
    return finalize(question, query, draft)


def render_text(ans: Answer) -> str:
    """Readable answer followed by its numbered sources (CLI and terminal chat)."""
    out = [ans.answer]
    if ans.citations:
        out.append("")
        out.append("来源：")
        for c in ans.citations:
            out.append(f"[{c.n}] {c.path}：“{display(c.quote)}”")
    return "\n".join(out)
