"""Deterministic answers from curated facts: deadlines against today, eligibility rule by rule, funding
arithmetic step by step, and comparisons that cite every notice compared."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from knowledge.answer import COMPOSERS, Draft, Source, default_scope
from knowledge.cite import display
from knowledge.corpus import get_notice
from knowledge.facts import ZHEJIANG_DOC, Fact, all_facts, fact
from knowledge.tokenize import normalize_text
from knowledge.understand import Query, amounts_wan

TOPIC_KINDS: dict[str, set[str]] = {
    "deadline": {"deadline", "window", "timeline"},
    "eligibility": {"eligibility", "quota"},
    "funding": {"funding"},
    "procedure": {"procedure"},
    "contact": {"contact", "procedure"},
    "form_field": {"form"},
    "period": {"period"},
}
PERIOD_WORDS = ("实施周期", "周期", "实施期", "几年")
TIMELINE_WORDS = ("流程", "时间安排", "路演", "拨钱", "拨付", "公示", "签约", "几月", "后续")
ZHEJIANG_WORDS = (
    "中央引导",
    "引导资金",
    "储备项目",
    "省科技厅",
    "限项",
    "设区市",
    "附件4",
    "申报系统",
    "政务服务网",
)
MAX_PER_NOTICE = 3


def source_of(f: Fact, which: str = "quote") -> Source:
    s, e = f.span(which)
    return Source(f.notice, _path_of(f, s), s, e)


def _path_of(f: Fact, start: int) -> str:
    from knowledge.chunks import all_chunks

    for c in all_chunks():
        if c.notice == f.notice and c.start <= start < c.end:
            return c.path_str
    return get_notice(f.notice).short


def wants_zhejiang(query: Query) -> bool:
    return any(w in query.text for w in ZHEJIANG_WORDS)


def _doc_ok(f: Fact, query: Query) -> bool:
    if f.notice != "longquan":
        return True
    return (f.doc == ZHEJIANG_DOC) == wants_zhejiang(query)


def keyword_score(f: Fact, query: Query) -> int:
    """Keywords found in the question; the programme's own name (揭榜挂帅) never counts as a match."""
    return len(_matched(f, query))


def _matched(f: Fact, query: Query) -> set[str]:
    """Keywords found in the question, ignoring the programme's name and the sub-notice's names,
    which select the document rather than the rule."""
    text = query.text.replace("揭榜挂帅", "")
    for w in ZHEJIANG_WORDS:
        text = text.replace(w, "")
    return {k for k in f.keywords if normalize_text(k) in text}


def wanted_kinds(query: Query) -> set[str]:
    kinds: set[str] = set()
    for t in query.topics:
        kinds |= TOPIC_KINDS.get(t, set())
    if query.has(*PERIOD_WORDS):
        kinds |= {"period"}
    if query.has("几项", "多少项", "几个", "名额", "限项", "数量"):
        kinds |= {"quota"}
    if query.dates or query.has("首批", "批次", "第一批", "第二批", "第三批"):
        kinds |= TOPIC_KINDS["deadline"]
    return kinds


def _date_text(f: Fact) -> str:
    """The date as printed in the quote (so every digit stays traceable)."""
    assert f.date is not None
    return f"{f.date.year}年{f.date.month}月{f.date.day}日"


def deadline_status(f: Fact, today: date, draft: Draft) -> str:
    """已截止 / 尚未截止 against today (Asia/Shanghai), with the day count shown as a computed number."""
    assert f.date is not None
    days = (today - f.date).days
    today_s = f"{today.year}年{today.month}月{today.day}日"
    draft.computed += [today_s, str(abs(days))]
    if f.year_note:
        draft.computed.append(str(f.date.year))
    when = _date_text(f)
    if f.start and today < f.start:
        return f"尚未开始（按今天{today_s}计）"
    if days < 0:
        return f"尚未截止，距{when}还有{-days}天（按今天{today_s}计）"
    if days == 0:
        if f.bound == "before":
            return f"今天就是{when}；通知写的是“…前”，未说明当天是否仍可提交，请尽快提交或电话确认"
        return f"今天（{today_s}）是最后一天"
    return f"已截止（{when}，按今天{today_s}计已过{days}天）"


def _user_date_lines(query: Query, facts: list[Fact], draft: Draft) -> None:
    """Compare dates the user mentioned (3月28号) with each dated step; a late one leads the answer."""
    late: list[str] = []
    compared: list[bool] = []
    for y, mo, d in query.dates:
        for f in facts:
            if f.date is None or f.kind == "timeline":
                continue
            year = y or f.date.year
            try:
                theirs = date(year, mo, d)
            except ValueError:
                continue
            draft.computed.append(f"{year}年{mo}月{d}日")
            when = _date_text(f)
            if f.start and theirs < f.start:
                rel = "早于"
                start = f"{f.start.year}年{f.start.month}月{f.start.day}日"
                draft.computed.append(start)
                late.append(
                    f"结论：您说的{mo}月{d}日早于“{f.label}”的开始日期{start}，那时征集尚未开始，建议在征集期内提交。"
                )
            elif theirs < f.date:
                rel = "早于"
            elif theirs == f.date:
                rel = "正是" if f.bound != "before" else "正是（“…前”是否含当天未写明）"
            else:
                rel = "晚于"
                if f.actor in ("enterprise", None) and not late:
                    late.append(f"结论：您说的{mo}月{d}日晚于“{f.label}”的期限{when}，有超期风险。")
            draft.lines.append(f"· 您说的{mo}月{d}日{rel}“{f.label}”的期限{when}。")
            compared.append(rel == "早于")
    if not late and compared and all(compared) and len(query.dates) == 1:
        mo, d = query.dates[0][1], query.dates[0][2]
        late.append(f"结论：您说的{mo}月{d}日早于下列每一个期限，按通知的时间要求不算晚。")
    draft.lines[:0] = late


def _add_fact(f: Fact, draft: Draft, prefix: str, today: date) -> None:
    marker = draft.cite(source_of(f))
    extra = ""
    if f.extra_quote:
        extra = f"；“{display(f.extra_quote)}”{draft.cite(source_of(f, 'extra_quote'))}"
    line = f"{prefix}{f.label}：“{display(f.quote)}”{marker}{extra}"
    if f.date is not None and f.kind in ("deadline", "window"):
        line += f"——{deadline_status(f, today, draft)}"
        if f.year_note:
            line += f"（{f.year_note}）"
    elif f.period:
        line += f"（时间：{f.period}）"
    draft.lines.append(line)


def _add_note(f: Fact, draft: Draft) -> None:
    """A note is shown only when its numbers are in the quotes already cited."""
    from knowledge.answer import grounded

    if not f.note:
        return
    probe = Draft(
        topic=draft.topic, lines=[f.note], sources=list(draft.sources), computed=list(draft.computed)
    )
    if grounded(probe):
        draft.lines.append(f"注意：{f.note}")


GENERIC_DEADLINE = (
    "截止",
    "最晚",
    "什么时候",
    "几号",
    "哪天",
    "来得及",
    "期限",
    "赶得上",
    "何时",
    "日期",
    "时间",
)


def select_facts(query: Query) -> tuple[list[Fact], int]:
    """Facts to answer from, and the best relevance score among them (keywords + topic match)."""
    scope = default_scope(query)
    kinds = wanted_kinds(query)
    picked: list[Fact] = []
    best = 0
    for nid in scope:
        cands = [f for f in all_facts() if f.notice == nid and _doc_ok(f, query)]
        scored = sorted(
            ((keyword_score(f, query) + (1 if f.kind in kinds else 0), i, f) for i, f in enumerate(cands)),
            key=lambda x: (-x[0], x[2].kind not in kinds, x[1]),
        )
        dated = [f for f in cands if f.kind in ("deadline", "window")]
        deadline_asked = "deadline" in query.topics or bool(query.dates)
        timeline = query.has(*TIMELINE_WORDS)
        chosen: list[Fact] = []
        if deadline_asked and query.notices and dated and not timeline:
            if query.has(*GENERIC_DEADLINE) or query.dates:
                chosen = dated
            else:
                chosen = [f for f in dated if keyword_score(f, query) > 0]
            best = max(best, 3 if chosen else 0)
        elif deadline_asked and query.notices and timeline:
            chosen = [f for s, _, f in scored if s > 1 and f.kind == "timeline"]
            best = max(best, 3 if chosen else 0)
        if not chosen:
            chosen = _cover([x for x in scored if x[0] >= 2], query)
            if chosen:
                best = max(best, scored[0][0])
        elif deadline_asked:
            chosen += _second_topic(scored, query, chosen)
        picked += chosen
    seen = {f.id for f in picked}
    for f in list(picked):
        for ref in f.see:
            if ref not in seen:
                seen.add(ref)
                picked.append(fact(ref))
    return picked, best


def _second_topic(scored: list[tuple[int, int, Fact]], query: Query, chosen: list[Fact]) -> list[Fact]:
    """A deadline question that also asks something else (找谁咨询, 补助多少): answer that part too."""
    others: set[str] = set()
    for t in query.topics:
        if t not in ("deadline", "comparison"):
            others |= TOPIC_KINDS.get(t, set())
    others -= TOPIC_KINDS["deadline"]
    if not others:
        return []
    extra = [x for x in scored if x[0] >= 2 and x[2].kind in others and x[2] not in chosen]
    return _cover(extra, query)


def _cover(scored: list[tuple[int, int, Fact]], query: Query) -> list[Fact]:
    """Greedy: the best fact, then facts that match keywords the chosen ones do not."""
    chosen: list[Fact] = []
    covered: set[str] = set()
    top = scored[0][0] if scored else 0
    for s, _, f in scored:
        if len(chosen) >= MAX_PER_NOTICE:
            break
        hit = _matched(f, query)
        if not chosen or s >= top - 1 or hit - covered:
            chosen.append(f)
            covered |= hit
    return chosen


def office_lines(notice_id: str, draft: Draft, doc: str | None = None) -> None:
    """Where to ask when the text is silent: the notice's own general contact, cited."""
    offices = [
        f
        for f in all_facts()
        if f.notice == notice_id and f.number("office") and (doc is None or f.doc == doc)
    ]
    for f in offices:
        draft.lines.append(f"如需确认，可咨询{f.label}：“{display(f.quote)}”{draft.cite(source_of(f))}")
    if not offices:
        short = get_notice(notice_id).short
        draft.lines.append(f"如需确认，请咨询{short}市科技局（{short}通知没有印咨询电话）。")


def _silent_on_period(query: Query, picked: list[Fact], draft: Draft) -> None:
    """Notices that set no implementation period say so, instead of quoting something else."""
    if query.topic != "period":
        return
    have = {f.notice for f in picked if f.kind == "period"}
    scope = default_scope(query)
    silent = [nid for nid in scope if nid not in have]
    if not silent or (not query.notices and len(have) < 2):
        return
    shorts = "、".join(get_notice(nid).short for nid in silent)
    draft.lines.append(f"{shorts}通知没有写明项目的实施周期（执行期）。")
    if len(scope) == 1:
        office_lines(silent[0], draft)


def period_facts(query: Query) -> list[Fact]:
    """How long a project runs: every period rule in scope, or the ones the question points at."""
    scope = default_scope(query)
    cands = [
        f
        for f in all_facts()
        if f.kind == "period" and f.notice in scope and (not query.notices or _doc_ok(f, query))
    ]
    top = max((keyword_score(f, query) for f in cands), default=0)
    return [f for f in cands if keyword_score(f, query) >= top - 1]


def compose_facts(query: Query, today: date) -> Draft | None:
    """Answer from facts of the topic asked about, for each notice in scope."""
    if query.topic == "period":
        picked, best = period_facts(query), 3
        if not picked and not query.notices:
            return None
    else:
        picked, best = select_facts(query)
        if not picked:
            return None
    multi = len({f.notice for f in picked}) > 1
    draft = Draft(topic=query.topic if not multi else "comparison", weak=best <= 2)
    if query.dates:
        draft.computed.append(query.text)
    for f in picked:
        short = get_notice(f.notice).short if f.doc != ZHEJIANG_DOC else "浙江（龙泉附件4）"
        _add_fact(f, draft, f"{short}·" if multi or not query.notices else "", today)
    _user_date_lines(query, picked, draft)
    for f in picked:
        _add_note(f, draft)
    _silent_on_period(query, picked, draft)
    return draft


# -- eligibility and funding from the user's own figures ----------------------------------------

ROLE_WORDS = {
    "revenue": ("营收", "营业收入", "主营业务收入", "销售收入", "收入"),
    "rd": ("研发投入", "研发费用", "研发经费", "研发", "科研投入"),
    "invest": ("拟投入", "投入", "预算", "总投入"),
    "list": ("榜单金额", "榜单", "项目经费"),
    "self": ("自筹", "自筹资金", "自筹经费", "自有资金"),
    "payee": ("给高校", "付给", "支付给", "支付", "给揭榜方", "付揭榜方", "给合作", "委托给", "外协"),
}


def figures(query: Query) -> dict[str, float]:
    """Assign each amount to the nearest role word before it: 营收6000万、研发280万."""
    found: dict[str, float] = {}
    for value, start, _ in amounts_wan(query.text):
        best: tuple[int, str] | None = None
        for role, ws in ROLE_WORDS.items():
            for w in ws:
                pos = query.text.rfind(w, 0, start)
                if pos >= 0 and (best is None or pos > best[0]):
                    best = (pos, role)
        if best is not None and best[1] not in found:
            found[best[1]] = value
    return found


def _fmt(v: float) -> str:
    return f"{v:g}"


def _wan(v: float) -> str:
    """1亿元 rather than 10000万元, as the notices print it."""
    return f"{v / 10000:g}亿元" if v >= 10000 and v % 10000 == 0 else f"{v:g}万元"


def _check(
    draft: Draft, label: str, have: float | None, need: float, f: Fact, strict: bool = False
) -> bool | None:
    marker = draft.cite(source_of(f))
    draft.computed.append(_fmt(need))
    if have is not None:
        draft.computed.append(_fmt(have))
    if have is None:
        draft.lines.append(
            f"· {label}：要求{'超过' if strict else '不少于'}{_wan(need)}{marker}——您没有提供，无法判断。"
        )
        return None
    ok = have > need if strict else have >= need
    draft.lines.append(
        f"· {label}：您的{_wan(have)}，要求{'超过' if strict else '不少于'}{_wan(need)}{marker}——{'满足' if ok else '不满足'}。"
    )
    return ok


def _verdict(draft: Draft, results: list[bool | None], missing: list[str]) -> None:
    if any(r is False for r in results):
        draft.lines.insert(0, "结论：按通知条件，不符合（见下方逐条核对）。")
    elif any(r is None for r in results) or missing:
        need = "、".join(missing) if missing else "上述未提供的信息"
        draft.lines.insert(0, f"结论：暂时无法判断，还需要：{need}。")
    else:
        draft.lines.insert(0, "结论：按所列条件核对，符合（见下方逐条核对）。")


def compose_liaoning(query: Query, today: date) -> Draft | None:
    if query.notices[:1] != ["liaoning"]:
        return None
    figs = figures(query)
    if not ({"revenue", "rd"} & set(figs)) and not query.has("独立研发机构"):
        return None
    draft = Draft(topic="eligibility")
    draft.computed.append(query.text)
    other = query.has("其他领域", "不是高新", "非高新")
    hitech = query.has("高新技术领域", "高新领域", "高新技术") and not other
    level = "key" if query.has("重点需求") else "major"
    missing: list[str] = []
    results: list[bool | None] = []
    if other or hitech:
        rule = fact("liaoning.elig_other" if other else f"liaoning.elig_{level}_hitech")
        results += [
            _check(
                draft,
                "上一年度主营业务收入",
                figs.get("revenue"),
                float(rule.number("min_revenue_wan")),
                rule,
            ),
            _check(draft, "研发投入", figs.get("rd"), float(rule.number("min_rd_wan")), rule),
        ]
    else:
        scenario: list[bool | None] = []
        for name, rule_id in (
            ("若属高新技术领域", f"liaoning.elig_{level}_hitech"),
            ("若属其他领域", "liaoning.elig_other"),
        ):
            rule = fact(rule_id)
            draft.lines.append(f"{name}：")
            oks = [
                _check(
                    draft,
                    "上一年度主营业务收入",
                    figs.get("revenue"),
                    float(rule.number("min_revenue_wan")),
                    rule,
                ),
                _check(draft, "研发投入", figs.get("rd"), float(rule.number("min_rd_wan")), rule),
            ]
            scenario.append(None if None in oks else all(oks))
        if scenario[0] == scenario[1] and scenario[0] is not None:
            results.append(scenario[0])
        else:
            missing.append("企业是否属于高新技术领域（两类门槛不同，结果取决于此）")
    if query.has("重大需求"):
        cat = fact("liaoning.elig_category")
        if "invest" in figs:
            results.append(_check(draft, "“重大需求”的企业拟投入金额", figs["invest"], 1000.0, cat))
        else:
            draft.lines.append(
                f"· 另外，需求类别“{display(cat.quote)}”{draft.cite(source_of(cat))}，请确认拟投入金额。"
            )
    if query.has("规上", "规模以上"):
        org = fact("liaoning.elig_rdorg")
        marker = draft.cite(source_of(org))
        lacks = query.has("没有建", "没建", "未建", "没有独立研发机构", "无独立研发机构", "没有研发机构")
        draft.lines.append(
            f"· 独立研发机构：“{display(org.quote)}”{marker}——"
            + (
                "您说尚未建立，原则上不符合（“原则上”并非绝对，建议向初审单位确认）。"
                if lacks
                else "请确认已建有独立研发机构。"
            )
        )
        if lacks:
            results.append(False)
    _verdict(draft, results, missing)
    return draft


def compose_xiangtan(query: Query, today: date) -> Draft | None:
    if query.notices[:1] != ["xiangtan"] or not (query.amounts or query.percents):
        return None
    draft = Draft(topic="eligibility")
    draft.computed.append(query.text)
    figs = figures(query)
    results: list[bool | None] = []
    invest = figs.get("rd") or figs.get("invest")
    payee = fact("xiangtan.fund_payee")
    pct: float | None = query.percents[0] if query.percents else None
    paid = figs.get("payee")
    if paid is not None and invest:
        pct = round(paid / invest * 100, 1)
        draft.computed += [_fmt(paid), _fmt(invest), _fmt(pct)]
    funding_only = pct is None and query.topic == "funding"
    if invest is not None:
        rate = fact("xiangtan.fund_rate")
        grant = min(invest * 0.25, 50.0)
        draft.computed += [_fmt(invest), _fmt(invest * 0.25), _fmt(grant)]

        def calc() -> str:
            return (
                f"财政补助测算：{_fmt(invest)}万元 × 25% = {_fmt(invest * 0.25)}万元，单项最高50万元，"
                f"最多可补助{_fmt(grant)}万元{draft.cite(source_of(rate))}。"
            )

        if funding_only:
            draft.topic = "funding"
            draft.lines.append(calc())
        results.append(
            _check(draft, "执行期内对该项目的研发（科研）投入", invest, 100.0, fact("xiangtan.fund_invest"))
        )
        if not funding_only:
            draft.lines.append(f"· {calc()}")
    if pct is not None:
        draft.computed.append(_fmt(pct))
        ok = pct >= 40
        shown = (
            f"{_fmt(paid)}万元 ÷ {_fmt(invest)}万元 = {_fmt(pct)}%"
            if paid is not None and invest
            else f"{_fmt(pct)}%"
        )
        draft.lines.append(
            f"· 支付揭榜方的比例：您的{shown}，要求原则上不低于40%{draft.cite(source_of(payee))}——{'满足' if ok else '不满足'}。"
        )
        results.append(ok)
    if not results:
        return None
    if not funding_only:
        _verdict(draft, results, [])
    return draft


def compose_jingdezhen_funding(query: Query, today: date) -> Draft | None:
    if query.notices[:1] != ["jingdezhen"] or not query.amounts:
        return None
    if "funding" not in query.topics and not query.has("榜单"):
        return None
    amount = figures(query).get("list", query.amounts[0])
    rate, split = fact("jingdezhen.fund_rate"), fact("jingdezhen.fund_split")
    draft = Draft(topic="funding")
    draft.computed.append(query.text)
    if amount < 100:
        mn = fact("jingdezhen.fund_min")
        draft.lines.append(
            f"榜单金额{_fmt(amount)}万元低于下限：“{display(mn.quote)}”{draft.cite(source_of(mn))}"
        )
        return draft
    raw = amount * 0.6
    grant = min(raw, 200.0)
    parts = [grant * 0.5, grant * 0.3, grant * 0.2]
    draft.computed += [_fmt(amount), _fmt(raw), _fmt(grant), *(_fmt(p) for p in parts)]
    draft.lines.append(
        f"财政支持最多{_fmt(grant)}万元：{_fmt(amount)}万元 × 60% = {_fmt(raw)}万元，且最高不超过200万元{draft.cite(source_of(rate))}。"
    )
    draft.lines.append(
        f"分期：任务书签订当年给予50%即{_fmt(parts[0])}万元，中期评估通过后30%即{_fmt(parts[1])}万元，"
        f"验收合格后20%即{_fmt(parts[2])}万元{draft.cite(source_of(split))}。"
    )
    return draft


QUANZHOU_TYPES = (
    "省级以上龙头",
    "省级龙头",
    "国家级龙头",
    "专精特新",
    "高新技术企业",
    "国家高新",
    "高企",
    "小巨人",
)


def compose_quanzhou_eligibility(query: Query, today: date) -> Draft | None:
    """泉州's 龙头、骨干企业 need both: revenue above 1亿 and one of the printed enterprise types."""
    if query.notices[:1] != ["quanzhou"] or "revenue" not in figures(query):
        return None
    draft = Draft(topic="eligibility")
    draft.computed.append(query.text)
    size = fact("quanzhou.elig_size")
    results = [_check(draft, "上年主营业务收入", figures(query)["revenue"], 10000.0, size, strict=True)]
    draft.computed.append("1亿")
    named = [w for w in QUANZHOU_TYPES if w in query.text]
    marker = draft.cite(source_of(size))
    need = "省级以上龙头企业、专精特新企业、高新技术企业、科技小巨人企业等创新型企业"
    if named:
        draft.lines.append(f"· 企业类型：您说的“{named[0]}”，要求为{need}{marker}——满足。")
        results.append(True)
    else:
        draft.lines.append(f"· 企业类型：要求为{need}{marker}——您没有说明企业类型，无法判断。")
        results.append(None)
    _verdict(draft, results, [] if named else ["企业类型（如高新技术企业、专精特新企业）"])
    return draft


def compose_zhejiang_self_funding(query: Query, today: date) -> Draft | None:
    """中央引导资金: the self-funded share of the total, against 80% (60% for the relaxed cases)."""
    if query.notices[:1] != ["longquan"] or not wants_zhejiang(query):
        return None
    figs = figures(query)
    own, total = figs.get("self"), figs.get("invest")
    if own is None or not total or query.has("高校", "院所", "事业单位", "新型研发机构"):
        return None
    relaxed = query.has("农业", "山区", "海岛")
    f = fact("zhejiang.self_agri" if relaxed else "zhejiang.self_enterprise")
    need = 60.0 if relaxed else 80.0
    pct = round(own / total * 100, 1)
    draft = Draft(topic="funding")
    draft.computed += [query.text, _fmt(own), _fmt(total), _fmt(pct), _fmt(need)]
    ok = pct >= need
    draft.lines.append(
        f"· 自筹经费比例：您的{_fmt(own)}万元 ÷ {_fmt(total)}万元 = {_fmt(pct)}%，"
        f"要求{'原则上' if relaxed else '一般'}不低于{_fmt(need)}%{draft.cite(source_of(f))}——{'满足' if ok else '不满足'}。"
    )
    if not relaxed:
        agri = fact("zhejiang.self_agri")
        draft.lines.append(
            f"· 农业类企业、山区26县或海岛县的单位放宽：“{display(agri.quote)}”{draft.cite(source_of(agri))}"
        )
    _verdict(draft, [ok], [])
    return draft


QUOTED = re.compile(r"[“\"《「『]([^”\"》」』]{2,30})[”\"》」』]")
FORM_KINDS = ("form_field", "form_guidance")


def _row_quote(text: str, start: int, end: int, focus: str) -> list[tuple[int, int]]:
    """A whole table row when it fits one chat quote, else its cells."""
    from knowledge.cite import MAX_QUOTE, fit, units

    if end - start <= MAX_QUOTE:
        return [(start, end)]
    return [fit(text, s, e, focus) for s, e in units(text, start, end)]


OVERVIEW_WORDS = (
    "栏目",
    "哪些项",
    "哪几项",
    "哪些内容",
    "填哪些",
    "包括哪些",
    "哪些栏",
    "都要填",
    "要填什么",
    "填什么内容",
    "必填",
)


def _pick_form(query: Query) -> Any:
    """The form a question is about: a summary table, the 尖兵/领雁 table, the association table, or the main one."""
    from knowledge.formspec import list_forms

    forms = [f for f in list_forms() if f.notice == query.notices[0]]
    for words, suffix in (
        (("汇总表",), "-summary"),
        (("尖兵", "领雁"), "-jianbing"),
        (("协会", "主管部门填"), "-association"),
    ):
        if query.has(*words):
            return next((f for f in forms if f.id.endswith(suffix)), None)
    return next((f for f in forms if f.id == query.notices[0]), None)


def _source_of_text(notice_id: str, quote: str) -> Source | None:
    from knowledge.chunks import path_at

    pos = get_notice(notice_id).text.find(quote)
    if pos < 0:
        return None
    return Source(notice_id, path_at(notice_id, pos), pos, pos + len(quote))


def compose_form_overview(query: Query, today: date) -> Draft | None:
    """'What does the form ask for': every printed item of the form spec, with limits and choices."""
    if len(query.notices) != 1 or not query.has(*OVERVIEW_WORDS) or QUOTED.search(query.raw):
        return None
    form = _pick_form(query)
    title = _source_of_text(form.notice, form.quote) if form is not None else None
    if form is None or title is None or _field_named(form, query) is not None:
        return None
    draft = Draft(topic="form_field")
    printed = [f for f in form.fields if f.printed]
    draft.lines.append(f"《{form.title}》{draft.cite(title)}共{len(printed)}项：")
    draft.computed.append(str(len(printed)))
    for i, f in enumerate(printed, 1):
        draft.computed.append(str(i))
        extra = []
        if f.limit_text:
            extra.append(f.limit_text)
        if f.options:
            extra.append("选项：" + "／".join(f.options))
        if f.columns:
            extra.append("逐行填写：" + "、".join(c.label for c in f.columns))
        if not f.required:
            extra.append("可不填" + (f"（{f.condition}）" if f.condition else ""))
        sub = f.section and len(f.label) <= 4 and not re.match(r"[一二三四五六七八九十]+、", f.section)
        label = f"{f.section}·{f.label}" if sub else f.label
        detail = f"（{'；'.join(extra)}）" if extra else ""
        line = f"{i}. {label}{detail}"
        if any(ch.isdigit() for ch in line.split(". ", 1)[1]):
            line = (
                _grounded_line(draft, line, _source_of_text(form.notice, f.quote))
                or f"{i}. {label}（详见表格原文）"
            )
        draft.lines.append(line)
    return draft


def _grounded_line(draft: Draft, line: str, src: Source | None) -> str | None:
    """The line with its source cited, if every number in it is in that source; else None."""
    from knowledge.answer import grounded

    if src is None:
        return None
    probe = Draft(topic=draft.topic, lines=[line], sources=[src], computed=list(draft.computed))
    if not grounded(probe):
        return None
    return line + draft.cite(src)


def compose_form_rows(query: Query, today: date) -> Draft | None:
    """A question about a named field or table of a form: quote the printed row(s) in full."""
    from knowledge.chunks import all_chunks

    terms = [normalize_text(t) for t in QUOTED.findall(query.raw)]
    if not terms and "form_field" not in query.topics:
        return None
    scope = default_scope(query)
    rows = [c for c in all_chunks() if c.notice in scope and (c.kind.value in FORM_KINDS or len(c.path) == 2)]
    matched = []
    for c in rows:
        label = normalize_text(c.path[-1])
        title = normalize_text(c.path[1]) if len(c.path) > 1 else ""
        by_label = (
            len(label) >= 2
            and c.kind.value in FORM_KINDS
            and (label in query.text or any(t in label for t in terms))
        )
        by_title = any(t in title for t in terms) and len(c.path) == 3 and c.kind.value in FORM_KINDS
        if by_label or by_title:
            matched.append((0 if by_label else 1, c))
    if not matched:
        return None
    best = min(rank for rank, _ in matched)
    chunks = [c for rank, c in matched if rank == best][:4]
    if query.has("字") and query.has("其他", "其余", "别的", "各栏", "哪些栏", "每栏"):
        from knowledge.parse import LIMIT

        form = {c.path[1] for c in chunks}
        chunks += [c for c in rows if c.path[1] in form and c not in chunks and LIMIT.search(c.text)][:12]
    draft = Draft(topic="form_field")
    for c in chunks:
        text = get_notice(c.notice).text
        quotes = []
        for s, e in _row_quote(text, c.start, c.end, query.raw):
            src = Source(c.notice, c.path_str, s, e)
            quotes.append(f"“{display(src.quote)}”{draft.cite(src)}")
        draft.lines.append(f"{get_notice(c.notice).short}·{c.path[1]}·{c.path[-1]}：{' '.join(quotes)}")
    if query.has("哪几年", "哪些年", "年份", "几年的") and len(query.notices) == 1:
        spec_form = _pick_form(query)
        f = _field_named(spec_form, query) if spec_form is not None else None
        if f is not None and f.row_keys:
            years = _span_of(chunks[0].notice, f.row_keys, chunks[0].start, chunks[0].path_str)
            line = _grounded_line(draft, "按行填写：" + "、".join(f.row_keys), years) if years else None
            if line:
                draft.lines.append(line)
    if query.has("字数", "多少字", "几个字", "字以内"):
        from knowledge.parse import LIMIT

        for c in chunks:
            if not LIMIT.search(c.text):
                draft.lines.append(f"表上“{c.path[-1]}”一栏没有印字数限制。")
    return draft


FIELD_SUFFIXES = ("状况", "情况")


def _field_named(form: Any, query: Query) -> Any:
    """The printed item a question names (longest label wins; 财务状况 also answers to 财务)."""
    best: tuple[int, Any] | None = None
    for f in form.fields:
        if not f.printed:
            continue
        names = {f.label, f"{f.section}{f.label}"}
        if len(f.label) >= 4 and f.label.endswith(FIELD_SUFFIXES):
            names.add(f.label[:-2])
        for n in names:
            n = normalize_text(n)
            if len(n) >= 2 and n in query.text and (best is None or len(n) > best[0]):
                best = (len(n), f)
    return best[1] if best else None


def _span_of(notice_id: str, parts: list[str], after: int, path: str = "") -> Source | None:
    """One citation covering `parts` in order after `after`, when only blanks lie between them."""
    text = get_notice(notice_id).text
    start = end = -1
    for part in parts:
        pos = text.find(part, end if end >= 0 else after)
        if pos < 0 or (end >= 0 and text[end:pos].strip()):
            return None
        start = pos if start < 0 else start
        end = pos + len(part)
    if start < 0 or end - start > 400:
        return None
    src = _source_of_text(notice_id, text[start:end])
    if src is None:
        return None
    inside = src.path != get_notice(notice_id).short
    return Source(notice_id, src.path if inside or not path else path, start, end)


def compose_form_field(query: Query, today: date) -> Draft | None:
    """One printed item from the form spec: its label as printed, limit, choices, table columns and rows."""
    if len(query.notices) != 1 or not (query.topic == "form_field" or query.has("选项", "哪几年", "哪些年")):
        return None
    form = _pick_form(query)
    f = _field_named(form, query) if form is not None else None
    label_src = _source_of_text(form.notice, f.quote) if f is not None else None
    if f is None or label_src is None:
        return None
    draft = Draft(topic="form_field")
    head = f"《{form.title}》·{f.label}：“{display(label_src.quote)}”{draft.cite(label_src)}"
    draft.lines.append(head)
    if f.options:
        opts = _span_of(form.notice, f.options, label_src.start, label_src.path)
        line = _grounded_line(draft, "选项：" + "／".join(f.options), opts) if opts else None
        draft.lines.append(
            line or "选项：" + "／".join(o for o in f.options if not any(ch.isdigit() for ch in o))
        )
    if f.columns:
        draft.lines.append(
            "按列填写：" + "、".join(c.label for c in f.columns if not any(ch.isdigit() for ch in c.label))
        )
    if f.row_keys:
        rows = _span_of(form.notice, f.row_keys, label_src.start, label_src.path)
        line = _grounded_line(draft, "按行填写：" + "、".join(f.row_keys), rows) if rows else None
        if line:
            draft.lines.append(line)
    if f.help and not any(ch.isdigit() for ch in f.help):
        draft.lines.append(f"表上的说明：{f.help}")
    if not f.required:
        draft.lines.append(
            "这一项可以不填"
            + (f"：{f.condition}" if f.condition and not any(ch.isdigit() for ch in f.condition) else "")
            + "。"
        )
    return draft


COMPOSERS.extend(
    [
        compose_liaoning,
        compose_xiangtan,
        compose_jingdezhen_funding,
        compose_quanzhou_eligibility,
        compose_zhejiang_self_funding,
        compose_form_overview,
        compose_form_rows,
        compose_form_field,
        compose_facts,
    ]
)
