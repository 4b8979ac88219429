"""The user's own figures added up and held against the total a notice sets for them.

两个项目分别申请300万和250万，总额超没超 / 每个申请300万，推荐2个 / 第一批80项、第二批70项、第三批45项，
其中<某园区>22项，达标了吗: the arithmetic is shown from the user's figures; a verdict is given only when
one printed total is clearly the one for the unit the user is (its kind of place, or its name). The
rest of the answer (the rules themselves, with their quotes) is composed as usual.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from knowledge.catalogue import Fact, Kind
from knowledge.numbers import cn_number, fmt_num, fmt_wan
from knowledge.scope import place_level, places_in
from knowledge.tokenize import normalize_text, shared_run
from knowledge.understand import Query, UserFigure

SUM_ASKED = re.compile(r"合计|加起来|加在一起|一共|总共|总计|总额|累计|共计|总数")
CHECK_ASKED = re.compile(
    r"超没超|超不超|会不会超|是否超|超了|超过没|超出|达标|达到要求|够不够|够吗|够了吗|够数|满足|符合|行不行|可以吗"
)
# 每个申请300万 / 各300万: the figure is each item's, to be multiplied by the number of items
EACH_BEFORE = re.compile(r"(?:每个|每项|每一项|各|均)[^，,。；;\d]{0,6}$")
ITEM_COUNT = re.compile(
    r"(\d+|[一二两三四五六七八九十]+)\s*(?:个|项)[^，,。；;\d]{0,10}?(?:项目|需求|难题|课题)"
)
# the user's counts: 80项 (not the notice's 不少于200项 quoted back, nor 第2项)
USER_ITEMS = re.compile(r"(\d+|[一二两三四五六七八九十百]+)\s*项")
RULE_BEFORE = re.compile(
    r"(?:不少于|不超过|不低于|不高于|至少|最多|至多|少于|多于|超过|达到|上限|下限|要求|第)$"
)
NOUN_AFTER = re.compile(r"[\u4e00-\u9fff](?<![了的呢吗啊和及与跟加])")
SUBSET = "其中"
RECOMMENDER = re.compile(r"科技局|初审|主管部门|推荐了|推荐")
GAP_ASKED = re.compile(
    r"还差|差几|差多少|够不够|够吗|够了吗|够数|达标|达到要求|超没超|超了吗|超不超|还缺|缺多少|缺几"
    r"|(?:至少|最少|起码)?还(?:得|要|需|需要)?再?(?:推荐?|报|交|提交|申报)?(?:多少|几)"
)


UNIT_NAMED = r"(?:每个|一个|各|我们|我|本|这个|咱们|全){u}|{u}(?:里|级|上|科技局|科技主管部门)|[\u4e00-\u9fff]{{1,3}}{u}(?:科技局|的)"


def per_named(per: str, query: Query) -> bool:
    """The question names what a quota counts per: 县（市、区） by 县 or 区, 企业 by 企业/公司/我司…"""
    heads = [w for w in re.split(r"[（）()、，,\s]+", per) if w]
    units = [h for h in heads if len(h) == 1] + [h[:1] for h in heads if len(h) > 1 and h[:1] in "县区"]
    if any(re.search(UNIT_NAMED.format(u=u), query.text) for u in units):
        return True  # 一个县、县科技局: the county as the one counting (市工信局 names no count per 市)
    return any(h in query.text for h in heads if len(h) > 1) or (
        "企业" in heads and "enterprise" in query.classes.get("applicant", set())
    )


@dataclass
class SumCheck:
    """One line of arithmetic over the user's figures, and the rule it is held against (if any)."""

    line: str
    rule: Fact | None = None
    computed: list[str] = field(default_factory=list)


def _amounts(query: Query) -> list[UserFigure]:
    """The user's own whole amounts (not a share, a yearly figure or part of a period)."""
    return [
        f
        for f in query.figures
        if f.own and f.unit == "万元" and f.of is None and not f.per_year and not f.partial
    ]


def _first_run(text: str, figs: list[UserFigure]) -> list[UserFigure]:
    """The figures from the first on that form one list (每年50万，加起来100万；付给高校40万: not one list)."""
    run = figs[:1]
    for f in figs[1:]:
        if not _listed_with(text, run[-1], f):
            break
        run.append(f)
    return run


def listed_figures(query: Query) -> list[UserFigure]:
    """The user's amounts for several items of one metric, in one list (分别300万和250万 / A项拟投入
    1000万，B项拟投入950万); empty when the figures are not such a list."""
    run = _first_run(query.text, _amounts(query))
    metrics = {f.metric for f in run} - {None}
    return run if len(run) >= 2 and len(metrics) <= 1 else []


def _items(query: Query) -> list[float] | None:
    """The amounts the user gives for several items, all of one metric (None: not a list of items)."""
    figs = _amounts(query)
    metric: str | None = None
    for f in figs:  # 分别申请300万和250万: a bare figure takes the metric of the one before it
        if f.metric is not None and metric is not None and f.metric != metric:
            return None  # 营收6000万、研发280万: different things, not items to add
        metric = f.metric or metric
    if metric not in (None, "grant") and {"cap", "funding"} & set(query.asks):
        return None  # 研发投入分别120万和240万，财政合计补多少: the grant is worked out, not these added
    if len(figs) >= 2:
        run = _first_run(query.text, figs)
        return [f.value for f in run] if len(run) >= 2 else None
    if len(figs) == 1 and _each(query, figs[0]):
        n = ITEM_COUNT.search(query.text)
        count = cn_number(n.group(1)) if n else None
        if count and count >= 2 and count == int(count):
            return [figs[0].value] * int(count)
    return None


JOINED = re.compile(r"^(?:元)?(?:和|、|与|及|跟|,|，)?$")
OWN_TOTAL = re.compile(r"其中|加起来|合计|一共|总共|共|[(（]")


def _listed_with(text: str, before: UserFigure, after: UserFigure) -> bool:
    """Two figures of one list: joined by 和/、 (分别300万和250万), or each with the same metric named
    (A项拟投入1000万，B项拟投入950万)."""
    between = text[before.start + len(before.raw) : after.start]
    if JOINED.match(between):
        return True
    same = before.metric is not None and before.metric == after.metric
    return same and len(between) <= 12 and not OWN_TOTAL.search(between)


def _each(query: Query, fig: UserFigure) -> bool:
    return bool(EACH_BEFORE.search(query.text[: fig.start]))


def _metric(query: Query) -> str | None:
    return next((f.metric for f in query.figures if f.own and f.unit == "万元" and f.metric), None)


def _count_groups(text: str) -> list[tuple[str, list[float]]]:
    """(who, counts) for the user's item counts: the whole, then each 其中<某部分> counted apart."""
    groups: list[tuple[str, list[float]]] = []
    pieces = text.split(SUBSET)
    for i, piece in enumerate(pieces):
        clause = piece if i == 0 else re.split(r"[。；;?？]", piece)[0]
        counts = []
        first = len(clause)
        for m in USER_ITEMS.finditer(clause):
            if RULE_BEFORE.search(clause[: m.start()][-3:]) or NOUN_AFTER.match(clause[m.end() :]):
                continue  # 不少于200项 is the notice's; 两项需求 names the items, it does not count a batch
            value = cn_number(m.group(1))
            if value:
                counts.append(value)
                first = min(first, m.start())
        who = clause if i == 0 else clause[:first]
        if i > 0 and len(clause) < len(piece):  # the main group carries on after the part's clause
            rest = piece[len(clause) :]
            more = [cn_number(m.group(1)) for m in USER_ITEMS.finditer(rest)]
            groups[0][1].extend(v for v in more if v)
        if counts:
            groups.append((who, counts))
        elif i == 0:
            groups.append((who, []))
    return groups


def _common_tail(labels: list[str]) -> int:
    n = 0
    while all(len(x) > n for x in labels) and len({x[-1 - n] for x in labels}) == 1:
        n += 1
    return n


def _rule_for(who: str, rules: list[Fact], others: list[str]) -> Fact | None:
    """The rule naming the group: the longest run of its words in what tells the rules apart."""
    if not rules:
        return None
    labels = [normalize_text(r.label) for r in rules]
    tail = _common_tail(labels) if len(labels) > 1 else 0
    marks = [lab[: len(lab) - tail] for lab in labels]
    scores = [shared_run(who, m) if not any(shared_run(o, m) >= 3 for o in others) else 0 for m in marks]
    best = max(scores)
    places = places_in(who)
    naming = [i for i, m in enumerate(marks) if any(p in m for p in places)]
    if best < 3 and naming:  # <某市>这边: the rule naming that place, the place itself before a part of it
        exact = [i for i in naming if any(re.search(re.escape(p) + "[市县区]", marks[i]) for p in places)]
        pick = naming if len(naming) == 1 else exact
        return rules[pick[0]] if len(pick) == 1 else None
    if best < 3:  # <某市>科技局: a place no rule names is among the others (其他地区)
        rest = [r for r, m in zip(rules, marks, strict=True) if re.match(r"其他|其余|其它", m)]
        return rest[0] if len(rest) == 1 and place_level(who) is not None else None
    return rules[scores.index(best)] if scores.count(best) == 1 else None


def _amount_rules(query: Query, facts: list[Fact], metric: str | None) -> list[Fact]:
    """Printed totals of money (申请财政资金总额不超过500万元), for the kind of unit the user is."""
    totals = [
        f
        for f in facts
        if f.kind in (Kind.CAP, Kind.THRESHOLD)
        and f.unit == "万元"
        and f.value is not None
        and f.op in ("le", "lt", "ge", "gt")
        and re.search(r"总额|合计|总数|累计", f.label)
        and (metric is None or f.metric in (None, metric))
    ]
    if len(totals) <= 1:
        return totals
    named = [f for f in totals if f.per and per_named(f.per, query)]
    if named:  # 我们县: the total per county
        return named
    level = place_level(query.text)
    if level is None:
        return []  # whose total it is cannot be told
    return [f for f in totals if f.per and (level in f.per) and not (level == "市" and "县" in f.per)]


def _verdict(total: float, rule: Fact, unit: str) -> tuple[str, list[str]]:
    assert rule.value is not None
    need = rule.value
    op = rule.op or ""
    wan = unit == "万元"
    show = fmt_wan if wan else (lambda v: f"{fmt_num(v)}{unit}")
    if op in ("le", "lt"):
        ok = total <= need if op == "le" else total < need
        word = "不超过" if op == "le" else "低于"
        gap = total - need
        tail = "——未超过" if ok else f"——超出{show(gap)}"
    else:
        ok = total >= need if op == "ge" else total > need
        word = "不少于" if op == "ge" else "超过"
        gap = need - total
        tail = "——满足" if ok else f"——不满足，还差{show(gap)}"
    return f"，要求{word}{rule.printed or show(need)}（{rule.label}）{tail}", [show(gap), fmt_num(abs(gap))]


OTHER_THAN = re.compile(
    r"以外|之外|除了|除去|(?<![其])外的|^其中非|不属于|不是"
)  # 共性需求以外的: the other kind
REST_OF_QUOTA = re.compile(
    r"其中[^，,。？?；;]{1,20}?(?:最多|至多|顶多|最高)[^，,。？?；;]{0,6}?(?:几|多少)(?:项|个)"
)


def rest_of_quota(query: Query, facts: list[Fact]) -> list[SumCheck]:
    """不超过3项（其中共性需求至少1项）→ 其中企业自身难题最多能占几项: the total less the floor of the
    other kind (3 − 1 = 2); not when the kind asked is the one with the floor."""
    asked = REST_OF_QUOTA.search(query.text)
    if asked is None:
        return []
    out = []
    for whole in facts:
        if (
            whole.kind != Kind.QUOTA
            or whole.op not in ("le", "lt")
            or whole.value is None
            or whole.unit != "项"
        ):
            continue
        for part in facts:
            if (
                part is whole
                or part.kind != Kind.QUOTA
                or part.op not in ("ge", "gt")
                or part.value is None
                or part.unit != whole.unit
                or normalize_text(part.quote).strip("，,。") not in normalize_text(whole.quote)
            ):
                continue
            kind_words = re.sub(r"^.*?(?:推荐中|中的|中)", "", normalize_text(part.label))
            if shared_run(asked.group(), kind_words) >= 2 and not OTHER_THAN.search(asked.group()):
                continue  # 其中共性需求最多几项: the kind with the floor may take every place
            rest = whole.value - part.value
            out.append(
                SumCheck(
                    f"其余各项最多：{fmt_num(whole.value)} − {fmt_num(part.value)} = {fmt_num(rest)}{whole.unit}"
                    f"（总数不超过{fmt_num(whole.value)}{whole.unit}，{part.quote.strip('，,。')}）",
                    whole,
                    [fmt_num(rest), f"{fmt_num(rest)}{whole.unit}"],
                )
            )
    return out[:1]


LEAST_ASKED = re.compile(r"(?:至少|最少|起码|最低)[^，,。？?]{0,8}?(?:几|多少)(?:项|个|条|件)")


def count_for_share(query: Query, facts: list[Fact]) -> list[SumCheck]:
    """一共20项指标，至少完成几项才不低于80%: the count a floor on a share of counts asks of the whole
    the user gives (vocab `from_counts`), the product rounded up."""
    from knowledge.understand import _count_patterns

    if not LEAST_ASKED.search(query.text):
        return []
    for metric, done_of, total_of in _count_patterns():
        total = total_of.search(query.text)
        if total is None or done_of.search(query.text, total.end()) is not None:
            continue
        whole = cn_number(total.group(1))
        rule = next(
            (
                f
                for f in facts
                if f.metric == metric and f.unit == "%" and f.op in ("ge", "gt") and f.value is not None
            ),
            None,
        )
        if whole is None or rule is None or rule.value is None:
            continue
        exact = whole * rule.value / 100
        need = math.floor(exact) + 1 if rule.op == "gt" else math.ceil(exact - 1e-9)
        word = "超过" if rule.op == "gt" else "不低于"
        line = (
            f"至少完成{fmt_num(need)}项：{fmt_num(whole)}项 × {rule.printed or fmt_num(rule.value) + '%'} = "
            f"{fmt_num(round(exact, 2))}项（{rule.label}须{word}{rule.printed}）"
        )
        return [SumCheck(line, rule, [fmt_num(need), f"{fmt_num(need)}项", fmt_num(round(exact, 2))])]
    return []


def user_sums(query: Query, facts: list[Fact]) -> list[SumCheck]:
    """The sums the question asks of the user's own figures, each held against its rule when one fits."""
    asked = SUM_ASKED.search(query.text) or CHECK_ASKED.search(query.text) or GAP_ASKED.search(query.text)
    if not asked:
        return []
    out: list[SumCheck] = []
    items = _items(query)
    if items:
        total = sum(items)
        same = len(set(items)) == 1 and len(items) > 1 and len([f for f in query.figures if f.own]) == 1
        arith = f"{len(items)}项 × {fmt_wan(items[0])}" if same else " + ".join(fmt_wan(v) for v in items)
        rules = _amount_rules(query, facts, _metric(query))
        rule = rules[0] if len(rules) == 1 else None
        check = SumCheck(
            f"您的合计：{arith} = {fmt_wan(total)}",
            rule,
            [fmt_wan(total), fmt_num(total), str(len(items))],
        )
        if rule is not None:
            tail, nums = _verdict(total, rule, "万元")
            check.line += tail
            check.computed += nums
        elif SUM_ASKED.search(query.text) is None:
            return []  # 超没超 with no total printed for them: nothing to add up against
        out.append(check)
    groups = _count_groups(query.text)
    gap = GAP_ASKED.search(query.text)
    if len(groups) > 1 or (groups and (len(groups[0][1]) >= 2 or (gap and groups[0][1]))):
        rules = [
            f
            for f in facts
            if f.kind == Kind.QUOTA
            and f.unit == "项"
            and f.value is not None
            and not f.table
            and f.op in ("le", "lt", "ge", "gt")
        ]
        counted = [f for f in rules if f.actor == "recommender"]
        if counted and RECOMMENDER.search(query.text):  # 市科技局推荐了23项: the counts a recommender owes
            rules = counted
        for i, (who, counts) in enumerate(groups):
            if not counts:
                continue
            others = [w for j, (w, _) in enumerate(groups) if j != i and j > 0]
            rule = _rule_for(normalize_text(who), rules, [normalize_text(o) for o in others])
            total = sum(counts)
            part = re.sub(r"(?:[一二两三四五六七八九十\d]+批)?(?:加起来|合计|一共|总共|累计|共)?$", "", who)
            name = (
                ("您的合计" if len(counts) > 1 else "您的数量") if i == 0 else f"其中{part.strip('，,、 ')}"
            )
            arith = f"{' + '.join(fmt_num(c) for c in counts)} = " if len(counts) > 1 else ""
            check = SumCheck(
                f"{name}：{arith}{fmt_num(total)}项", rule, [fmt_num(total), f"{fmt_num(total)}项"]
            )
            if rule is not None:
                tail, nums = _verdict(total, rule, "项")
                check.line += tail
                check.computed += nums
            out.append(check)
    return out


def short_of_floor(query: Query, facts: list[Fact]) -> list[SumCheck]:
    """我们是<某市>科技局，只收到180项需求推荐，离要求还差多少: the one count the user gives (which
    `_count_groups` reads as naming items, a noun after it), against the floor (不少于N项) printed for the
    place they name, when it falls short — worded as `user_sums` words a count against its rule."""
    if not GAP_ASKED.search(query.text):
        return []
    counts = [m for m in USER_ITEMS.finditer(query.text) if not RULE_BEFORE.search(query.text[: m.start()])]
    if len(counts) != 1:
        return []
    count = cn_number(counts[0].group(1))
    clause_start = max(query.text.rfind(p, 0, counts[0].start()) for p in "。？?；;") + 1
    named = places_in(query.text[clause_start : counts[0].start()])
    if count is None or not named:
        return []
    floors = [
        f
        for f in facts
        if f.kind == Kind.QUOTA
        and f.op in ("ge", "gt")
        and f.value is not None
        and f.unit == "项"
        and not f.table
        and any(p in normalize_text(f.quote) for p in named)
        and count < f.value
    ]
    if len(floors) != 1:
        return []
    check = SumCheck(f"您的数量：{fmt_num(count)}项", floors[0], [fmt_num(count), f"{fmt_num(count)}项"])
    tail, nums = _verdict(count, floors[0], "项")
    check.line += tail
    check.computed += nums
    return [check]
