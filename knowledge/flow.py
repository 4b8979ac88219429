"""Procedure chains: the steps a notice prints between two named steps, or the whole flow, in its order.

A flow question (从交材料到发榜怎么走, 路演通过以后到拨钱还要哪些环节) is answered by the notice's own
sequence: its step facts (procedures, deadlines, channels, quotas, copies, dated stages) ordered by where
the notice prints them, cut at the step each end of the question names. Nothing here names a notice;
the steps are the catalogue's facts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from knowledge.catalogue import Fact, Kind, facts_of
from knowledge.chunks import path_at
from knowledge.corpus import notice_text
from knowledge.fact_search import Scored, score_facts
from knowledge.tokenize import shared_run
from knowledge.understand import Part, Query, strip_notice_names

# Words that ask for a sequence of steps rather than one step's fact.
FLOW_ASK = re.compile(
    r"(?:哪些|哪几个?|什么|啥)(?:步骤|环节|程序|流程|手续)|哪几步|几个步骤|几个环节"
    r"|(?:整个|完整|全部|全)的?(?:流程|过程|程序)|完整[^？?。]{0,24}(?:流程|过程|程序)|全流程|(?:流程|程序|过程)(?:是|怎么|咋|如何)"
    r"|按先后|先后顺序|依次|按顺序|中间还|还要经过|还要走|要走哪|走哪些|经过哪|怎么走|咋走|一步步|一步一步"
    r"|接下来(?:要|还|该|需要)?(?:走|做|办|怎么)|下一步"
    # 先交到哪里、谁来审、最后什么时候到哪个科室: several steps asked in their order
    r"|先[^，,。？?]{0,10}(?:哪|谁|什么|啥)[^？?。]{0,40}(?:再|然后|最后|接着)"
)
# 签了合同，下一步谁去哪儿申报: the one step after the one named, not the rest of the flow.
NEXT_ONE = re.compile(r"下一步|下一个环节|下一环节")
WHOLE_REST = re.compile(r"哪些|哪几|依次|完整|全部|整个|按先后|按顺序|一步步|一步一步")
STAGES = re.compile(r"阶段|时间安排|时间节点")
# 收到…以后，怎么筛？筛完以后怎么发布？: a step named, then how what follows is done.
AFTER_HOW = re.compile(
    r"(?:以后|之后|后)[，,]?(?:后续|接下来|然后)?(?:还要|要|该|会)?(?:怎么|如何|咋)"
    r"|后续[^，,。？?]{0,4}(?:由|还|要|会|怎么|如何|咋|是)[^？?。]{0,16}(?:哪|谁|怎么|如何|什么|啥)"
)
# Where the chain starts: 从X到, X以后/之后/通过后, 已经X，接下来.
FROM_CUES = (
    re.compile(r"(?:从|自)([^，,。？?；;]{2,24}?)(?:到|至|开始|起)"),
    re.compile(
        r"([^，,。？?；;]{0,16}已经?[^，,。？?；;]{2,24}?)[了]?[，,]?(?:接下来|下一步|然后|之后|以后)"
    ),
    re.compile(r"([^，,。？?；;从]{2,24}?)(?:以后|之后|通过后|完成后|结束后|完了|后[，,])"),
    re.compile(r"([^，,。？?；;从]{2,24}?)(?:过了|通过了|结束了|做完了|办完了)[，,]"),
    re.compile(r"([^，,。？?；;从]{2,24}?了)[，,](?:接下来|下一步|然后)"),
    # 路演通过进了建议立项名单，到拿到资金…: the state reached is where the chain starts
    re.compile(r"([^，,。？?；;从]{2,24}?(?:进了|进入了|入选了|列入了|拿到了)[^，,。？?；;]{0,12})[，,]"),
)
# Where it ends: 到X为止/之间/中间, 才能X.
TO_CUES = (
    re.compile(r"(?:到|至|直到)([^，,。？?；;]{2,16}?)(?:为止|之间|中间|，|,|还|要|整个|的|[？?。]|$)"),
    re.compile(r"才(?:能|算|可以|能够)([^，,。？?；;]{2,12})"),
)
STEP_KINDS = frozenset(
    {
        Kind.PROCEDURE,
        Kind.DEADLINE,
        Kind.WINDOW,
        Kind.CHANNEL,
        Kind.COPIES,
        Kind.QUOTA,
        Kind.DATE,
        Kind.LIST,
        Kind.REQUIREMENT,
    }
)
# When a chain is long, the steps themselves stay; lists and requirements inside it go first.
KEEP_FIRST = (Kind.PROCEDURE, Kind.DEADLINE, Kind.WINDOW, Kind.DATE, Kind.CHANNEL, Kind.COPIES, Kind.QUOTA)
MAX_STEPS = 10
NAMED_STEP = 0.45
MIN_CUE_LEXICAL = 0.2
SECTION_TAIL = 3
CUE_NEAR = 0.15  # steps scoring this close to the best are equally named; the nearest one is meant
ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]|（[一二三四五六七八九十\d]+）)")
FILLER = re.compile(r"一直|最后|最终|正式|真正")
QUESTION_WORD = re.compile(r"哪|什么|谁|怎么|如何|咋|啥|多少|几")


def asks_flow(text: str) -> bool:
    """The question asks for the steps in order, not for one step's date, place or rule."""
    if STAGES.search(text):
        return False  # 分几个阶段 / 时间安排: the dated phases answer it
    return bool(FLOW_ASK.search(text) or AFTER_HOW.search(text))


def strong_flow(text: str) -> bool:
    """接下来要走哪些步骤才能拿到补助资金: the steps are asked whatever else the clause names."""
    return bool(FLOW_ASK.search(text))


def _top_section(f: Fact, deeper: int = 0) -> str:
    """The numbered section a step is printed in (二、推荐流程; 附件1 › 三、…), so a whole flow stays in
    it; `deeper` levels below it for a flow printed in one sub-item (四、 › 1.)."""
    path = path_at(f.notice, f.span()[0]).split(" › ")
    depth = (3 if len(path) > 1 and path[1].startswith("附件") else 2) + deeper
    return " › ".join(path[:depth])


def _steps(nid: str, doc: str | None) -> tuple[list[Fact], dict[str, int]]:
    """The notice's step facts in one document, in printed order, overlapping quotes once; and where
    each fact of the document falls among them (a channel printed inside a deadline's sentence is that
    step)."""
    facts = [f for f in facts_of(nid) if f.doc == doc and f.span()[0] >= 0]
    facts.sort(key=lambda f: (f.span()[0], -len(f.quote)))
    out: list[Fact] = []
    where: dict[str, int] = {}
    end = -1
    for f in facts:
        e = f.span()[1]
        if out and e <= end:
            where[f.id] = len(out) - 1  # printed inside the step already listed
            continue
        if f.kind not in STEP_KINDS:
            continue
        where[f.id] = len(out)
        out.append(f)
        end = max(end, e)
    return out, where


def step_facts(nid: str, doc: str | None) -> list[Fact]:
    """The notice's steps in one document, in printed order (what 然后呢 walks)."""
    return _steps(nid, doc)[0]


def _section_end(steps: list[Fact], i: int) -> int:
    section = _top_section(steps[i])
    return max(j for j, f in enumerate(steps) if _top_section(f) == section)


def _cue_steps(
    cue: str, part: Part, query: Query, nid: str, steps: list[Fact], where: dict[str, int]
) -> list[int]:
    """The steps a phrase of the question names (路演通过 → the roadshow), by the fact search: those
    scoring near the best, best first."""
    sub = replace(part, text=cue, context="", asks=["process"], metrics=[], topics=[])
    found = [s for s in score_facts(sub, query, nid) if s.fact.id in where and s.lexical >= MIN_CUE_LEXICAL]
    if not found:
        return []
    best = found[0].lexical
    near = [s for s in found if s.lexical >= best - CUE_NEAR]
    # 技术合同也签了 → 签订技术合同, not 合同书; then acts (submit, review) before rules sharing words
    bare = strip_notice_names(cue, query.notices)  # a place's name is no step's
    # last, what the whole question scores them (<某厅>收到以后怎么处理: its review, not its purpose)
    whole = {s.fact.id: s.score for s in score_facts(part, query, nid)}
    near.sort(
        key=lambda s: (
            -shared_run(bare, _other_levels_masked(s.fact.quote, bare)),
            steps[where[s.fact.id]].kind not in KEEP_FIRST,
            -whole.get(s.fact.id, 0.0),
        )
    )
    return list(dict.fromkeys(where[s.fact.id] for s in near))


LEVEL_OFFICE = re.compile(r"([省市县区])(?:科技|工信|工业和信息化|财政|发改)[局厅委]")


def _other_levels_masked(quote: str, cue: str) -> str:
    """交到县科技局 names the county's office: a step's 市科技局 shares 科技局 with it, not the step."""
    levels = {m.group(1) for m in LEVEL_OFFICE.finditer(cue)}
    if not levels:
        return quote
    return LEVEL_OFFICE.sub(lambda m: m.group(0) if m.group(1) in levels else "□" * len(m.group(0)), quote)


def _named_section(text: str, steps: list[Fact]) -> str | None:
    """第九条依次规定了哪些环节 / 推荐流程: the section whose heading the question names."""
    for f in steps:
        section = _top_section(f)
        heading = ENUMERATOR.sub("", section.split(" › ")[-1]).strip("：:，, ")
        if len(heading) >= 3 and heading[:12] in text:
            return section
    return None


def _likeliest_section(
    good: list[Scored], steps: list[Fact], where: dict[str, int], bare: bool = False
) -> list[Fact]:
    """The steps of the section holding the most weight of those that match the question: of one
    sub-item when it alone holds a flow of three steps or more, else of the numbered section."""
    # 流程是啥: no step named; the section printing the most procedure steps and deadlines is the flow
    pool = good[:6] or [
        Scored(f, 1.0, 1.0) for f in steps if bare and f.kind in (Kind.PROCEDURE, Kind.DEADLINE)
    ]
    for deeper in (1, 0):
        weight: dict[str, float] = {}
        for s in pool:
            if s.fact.id in where:
                section = _top_section(steps[where[s.fact.id]], deeper)
                weight[section] = weight.get(section, 0.0) + s.score
        if not weight:
            return []
        best = max(weight, key=lambda k: weight[k])
        chosen = [f for f in steps if _top_section(f, deeper) == best]
        if len(chosen) >= 3 or deeper == 0:
            return chosen
    return []


def _same_sentence(chosen: list[Fact], rest: list[Fact], most: int = 3) -> list[Fact]:
    """The next step and the steps printed in the same sentence after it (择优推荐，形成汇总表…报送
    市科技局): one sentence is one step of the flow, however many facts it holds."""
    out = list(chosen)
    for f in rest:
        if len(out) >= most:
            break
        end, start = out[-1].span()[1], f.span()[0]
        between = (
            notice_text(f.notice)[end:start] if f.notice == out[-1].notice and 0 <= end <= start else "。"
        )
        if "。" in between or "\n" in between:
            break
        out.append(f)
    return out


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for p in patterns:
        for m in p.finditer(text):
            if not QUESTION_WORD.search(m.group(1)):
                return FILLER.sub("", m.group(1))
    return None


def flow_steps(part: Part, query: Query, nid: str, good: list[Scored]) -> list[Scored]:
    """The chain of steps the question asks for, in the notice's order; empty when it names none."""
    steps, where = _steps(nid, query.docs.get(nid))
    if len(steps) < 2:
        return []
    text = part.text
    start = end = None
    head = _first(FROM_CUES, text)
    tail = _first(TO_CUES, text[text.find(head) + len(head) :] if head else text)
    if tail:
        candidates = _cue_steps(tail, part, query, nid, steps, where)
        end = next(iter(candidates), None)
    if head:
        candidates = _cue_steps(head, part, query, nid, steps, where)
        before = [i for i in candidates if end is None or i <= end]
        start = next(iter(before or candidates), None)
    if tail and start is not None:
        candidates = _cue_steps(tail, part, query, nid, steps, where)
        region = _top_section(steps[start], -1)
        after = sorted(i for i in candidates if i >= start and _top_section(steps[i], -1) == region)
        end = after[-1] if after else end  # 才能正式立项: the last step so named, in the same document part
        if end is not None and _section_end(steps, end) - end <= SECTION_TAIL:
            end = _section_end(steps, end)  # 才能拿到资金: the goal's section runs to its last step
    if start is not None and end is not None and end < start:
        start, end = end, start
    if start is not None and end is None and NEXT_ONE.search(text) and not WHOLE_REST.search(text):
        following = steps[start + 1 : start + 2]
        if (
            steps[start].kind == Kind.LIST
            or not following
            or _top_section(following[0], -1) != _top_section(steps[start], -1)
        ):
            return []  # the flow is printed in one sentence (立项→签订合同→…): that sentence answers
        return [Scored(f, 0.0, 0.0) for f in _same_sentence(following, steps[start + 2 :])]
    if start is None and end is None:
        named = _named_section(text, steps)
        if named is None and good and good[0].fact.kind == Kind.LIST and len(good[0].fact.items) >= 3:
            return []  # 平台上怎么填，一步步说: one printed list of steps is the answer
        bare = len(strip_notice_names(text, query.notices)) <= 10  # 流程是啥: nothing else said
        chosen = (
            [f for f in steps if _top_section(f) == named]
            if named
            else _likeliest_section(good, steps, where, bare)
        )
        if not chosen:
            return []
        start, end = steps.index(chosen[0]), steps.index(chosen[-1])
    if start is None and end is not None:  # 到拨钱为止: from the start of the goal's section
        start = next(i for i, f in enumerate(steps) if _top_section(f) == _top_section(steps[end]))
    if start is None:
        return []
    if end is None:
        end = _section_end(steps, start)
        if head and end - start < 2 and end + 1 < len(steps):
            end = _section_end(steps, end + 1)  # the last step of a section: what follows is the next one
    chain = steps[start : end + 1]
    if len(chain) < 2 or 2 * sum(f.kind in KEEP_FIRST for f in chain) < len(chain):
        return []  # one printed sentence holds the whole flow, or the span is rules, not steps
    score = {s.fact.id: s for s in good}
    weight: dict[str, float] = {}  # a step weighs as much as the best fact printed in it
    for s in good:
        if s.fact.id in where:
            step = steps[where[s.fact.id]].id
            weight[step] = max(weight.get(step, 0.0), s.score)
    ends = {chain[0].id, chain[-1].id}
    while len(chain) > MAX_STEPS:  # the least relevant of lists and rules go first, then of the steps
        drop = min(
            (f for f in chain if f.id not in ends),
            # a rule the question names (推荐材料如何上传) outweighs a step it does not
            key=lambda f: (
                weight.get(f.id, 0.0) >= NAMED_STEP,
                f.kind in KEEP_FIRST,
                weight.get(f.id, 0.0),
                -chain.index(f),
            ),
        )
        chain.remove(drop)
    return [score.get(f.id) or Scored(f, 0.0, 0.0) for f in chain]
