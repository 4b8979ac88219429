"""Question → cited answer: read the question, refuse what no notice covers, compose from the facts.

Every answer leaves through `finalize`, which numbers citations (each a verbatim span of its notice)
and runs the grounding guard: a number in the answer must appear in a cited quote or be a shown
result. An answer that fails the guard is never sent: the refusal is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from knowledge.cite import display
from knowledge.compose import Outcome, add_case, add_notice_answer, compose, office_line
from knowledge.corpus import example_question, shipped_notices
from knowledge.draft import Draft, grounded
from knowledge.mentions import QueryError, check_query, correct_names, mentioned_notices, strip_framing
from knowledge.settings import get_settings
from knowledge.types import Answer, Citation, FollowUp
from knowledge.understand import OWN_VOICE, Context, Part, Query, split_case, understand

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_QUESTION = 2000
NOT_CHINESE = (
    "收录的通知都是中文的，请用中文提问（The notices are in Chinese; please ask in Chinese）。例如："
)

__all__ = ["Context", "Draft", "answer", "converse", "render_text", "today_in_shanghai"]


def today_in_shanghai() -> date:
    configured = get_settings().today
    if configured:
        return date.fromisoformat(configured)
    return datetime.now(SHANGHAI).date()


def finalize(question: str, query: Query | None, draft: Draft, follow_up: FollowUp | None = None) -> Answer:
    citations = [
        Citation(n=n, notice=s.notice, path=s.path, quote=s.quote, start=s.start, end=s.end)
        for n, s in enumerate(draft.sources, 1)
    ]
    cited = list(dict.fromkeys(c.notice for c in citations))
    named = query.notices if query else []
    return Answer(
        question=question,
        answer="\n".join(draft.lines).strip(),
        refused=draft.refused,
        topic=draft.topic,
        notices=list(dict.fromkeys([*named, *cited])) if not draft.refused else list(named),
        citations=citations,
        follow_up=follow_up or FollowUp(),
    )


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
        shipped = {n.id for n in shipped_notices()}
        for nid in query.notices:
            if nid in shipped:
                office_line(nid, draft, query.docs.get(nid), query)
    return draft


SAME_AS_BEFORE = re.compile(r"(?:一样|相同|也是这样|也这样|同样)(?:吗|么|不|吧)|有什么不同|有区别吗")
ANOTHER_QUESTION = re.compile(r"另外|还有|顺便|顺带|此外|再问|再有|以及")


def _parts_in_scope(query: Query) -> list[Part]:
    """Of a question of several parts refused as a whole, the parts that are within the notices on their
    own ([] when it has one part, or none is)."""
    from knowledge.scope import out_of_scope

    if len(query.parts) < 2:
        return []
    inside = [
        p
        for p in query.parts
        if out_of_scope(replace(query, raw=p.text, text=p.text, parts=[p], memo={})) is None
    ]
    outside = [p for p in query.parts if p not in inside]

    # only a part set apart as another question (另外…): a place or year named first is everyone's scene
    def set_apart(p: Part) -> bool:
        at = query.text.find(p.text[:6])
        if p is query.parts[-1] and SAME_AS_BEFORE.search(p.text):
            return True  # …分别有什么要求？<外地>那边要求一样吗: a last question comparing another place
        return at >= 0 and bool(ANOTHER_QUESTION.search(query.text[max(0, at - 4) : at + 4]))

    if not all(set_apart(p) for p in outside) or query.parts[0] in outside:
        return []
    return inside


def answer(question: str, today: date | None = None, context: Context | None = None) -> Answer:
    """The one transport-free entry point used by the CLI, the terminal chat and the Telegram bot."""
    today = today or (context.today if context and context.today else None) or today_in_shanghai()
    try:
        cleaned = strip_framing(check_query(question[:MAX_QUESTION]))
    except QueryError as exc:
        return Answer(question=question, answer=str(exc).replace("查询", "问题"), refused=True, topic="other")
    if not re.search(r"[\u4e00-\u9fff]", cleaned):
        return Answer(question=question, answer=NOT_CHINESE + example_question(), refused=True, topic="other")
    query = understand(correct_names(cleaned), context)
    if query.today is not None:
        today = query.today
    from knowledge.form_answers import form_answer
    from knowledge.scope import out_of_scope, unwritten_words

    earlier = [*context.earlier, context.question][-2:] if context and context.question else []
    within = {n: d for n, d in query.docs.items() if d}
    leaned = next((p.context for p in query.parts if p.context), "")
    # 联系人是谁？→ 电话呢: a short turn that leaned on the last one passes on what it leaned on
    said = (
        f"{query.text} {leaned}"
        if leaned and len(query.text) <= 12 and leaned not in query.text
        else query.text
    )
    if query.carried:  # 这笔钱分几次拨 → 中期那笔呢: the figures worked on stay in the talk
        said = f"{said}（{query.carried}）"
    follow_up = FollowUp(notices=list(query.notices), question=said, earlier=earlier, docs=within)
    reason = out_of_scope(query)
    inside = _parts_in_scope(query) if reason else []
    if reason and not inside:
        return finalize(question, query, refusal(query, reason), FollowUp(question=query.text))
    if (
        reason
    ):  # 每年支持几个？另外2026年这一轮什么时候开始: the parts the notices answer, and why not the rest
        query = replace(query, parts=inside, memo={})
    draft = form_answer(query, today)
    outcome = None
    case = split_case(cleaned, follow_up=bool(context and context.question))
    if draft is None and case is not None:  # 自筹至少多少？如果是农业类企业呢: the question, then the case
        draft, outcome = compose(understand(correct_names(case[0]), context), today)
        add_case(draft, outcome, *compose(query, today), case[1])
        draft.refused = bool(outcome.silent) and outcome.answered == 0
    elif draft is None and (told := told_by_place(cleaned, query)):
        # <甲地>的公司…；<乙地>的子公司…。这两边分别能不能报: each notice answers its own clause
        draft, outcome = Draft(topic=query.topic), Outcome()
        for nid, clause in told.items():
            sub_query = understand(correct_names(clause))
            if sub_query.notices != [nid]:
                sub_query = replace(sub_query, notices=[nid], memo={})
            add_notice_answer(draft, outcome, *compose(sub_query, today), nid)
        draft.refused = bool(outcome.silent) and outcome.answered == 0
    elif draft is None:
        draft, outcome = compose(query, today)
        draft.refused = bool(outcome.silent) and outcome.answered == 0
    if outcome is not None:
        follow_up.shown = sorted(outcome.shown)
    if reason and draft.lines:
        draft.add(f"另外，{reason.rstrip('。')}，这部分请以当地科技主管部门发布的通知为准。")
    elif draft.lines and not draft.refused and query.notices:
        unwritten = [w for w in unwritten_words(query) if w not in "".join(draft.lines)]
        if unwritten:  # …最高多少？这笔补助能发工资吗: the part on a matter never written, said so
            draft.add(f"另外，通知中没有关于“{'、'.join(unwritten)}”的规定。")
            for nid in query.notices[:2]:
                office_line(nid, draft, query.docs.get(nid), query)
    if not draft.lines or not grounded(draft):
        return finalize(question, query, refusal(query, "通知中没有找到与问题相关的内容。"), follow_up)
    settings = get_settings()
    if settings.llm_enabled and not draft.refused:
        from knowledge.llm import phrase

        draft = phrase(cleaned, draft, settings)
    return finalize(question, query, draft, follow_up)


TOLD_CLAUSE = re.compile(r"[^；;。！!？?]+[；;。！!？?]?")


def told_by_place(question: str, query: Query) -> dict[str, str]:
    """A question told place by place (<甲地>的公司…；<乙地>的子公司…。这两边分别能不能报？): for each notice,
    its own statement clause and the clauses that name no notice (the ask); empty unless every notice
    asked is named in a statement clause of its own and the ask is in a clause naming none."""
    if len(query.notices) < 2:
        return {}
    clauses = [c.strip() for c in TOLD_CLAUSE.findall(question) if c.strip()]
    own: dict[str, str] = {}
    shared: list[str] = []
    for c in clauses:
        named = mentioned_notices(c)
        if not named:
            shared.append(c)
        elif len(named) == 1 and named[0] not in own and not re.search(r"[？?]$", c):
            own[named[0]] = c
        else:
            return {}
    if set(own) != set(query.notices) or not any(re.search(r"[？?]$", c) for c in shared):
        return {}
    voice = "我们" if OWN_VOICE.search(question) else ""  # whose units they are, kept
    return {nid: voice + own[nid].rstrip("；;。！!") + "，" + "".join(shared) for nid in query.notices}


def converse(questions: list[str], today: date | None = None) -> list[Answer]:
    """One conversation: each answer's `follow_up` is the next question's context."""
    answers: list[Answer] = []
    context: Context | None = None
    for q in questions:
        ans = answer(q, today=today, context=context)
        answers.append(ans)
        context = Context.after(ans, today)
    return answers


def render_text(ans: Answer) -> str:
    """Readable answer followed by its numbered sources (CLI and terminal chat)."""
    out = [ans.answer]
    if ans.citations:
        out.append("")
        out.append("来源：")
        for c in ans.citations:
            out.append(f"[{c.n}] {c.path}：“{display(c.quote)}”")
    return "\n".join(out)
