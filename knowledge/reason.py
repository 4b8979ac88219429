"""Generic reasoning over typed facts: deadline status, thresholds, rate × base with a cap, shares,
instalments. Each function takes facts and figures and returns text plus the numbers it computed, so
the grounding guard can trace every figure. Nothing here knows which notice a fact comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from knowledge.catalogue import OP_WORDS, Fact, Kind, vocabulary
from knowledge.numbers import fmt_num, fmt_wan


@dataclass
class Worked:
    """A line of reasoning and the figures it computed (they become part of the grounded answer)."""

    text: str
    computed: list[str] = field(default_factory=list)
    ok: bool | None = None


def date_text(d: date, with_year: bool = True) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if with_year else f"{d.month}月{d.day}日"


def when_text(f: Fact) -> str:
    """A fact's date as the notice prints it: full date, time of day, …前, or the printed period."""
    if f.kind == Kind.WINDOW and f.start and f.date:
        return f"{date_text(f.start)}至{date_text(f.date)}"
    if f.date is not None:
        out = date_text(f.date)
        if f.time:
            out += f.time
        if f.bound == "before":
            out += "前"
        elif f.bound == "through" and f.kind == Kind.DEADLINE:
            out += "截止"
        return out
    return f.when or ""


def deadline_status(f: Fact, today: date) -> Worked:
    """已截止 / 尚未截止 / 尚未开始 against today; a “…前” deadline on its own day is flagged as unclear."""
    assert f.date is not None
    days = (today - f.date).days
    today_s = date_text(today)
    computed = [today_s, str(abs(days))]
    if f.year_inferred:
        computed.append(str(f.date.year))
    when = date_text(f.date)
    if f.start and today < f.start:
        opens = date_text(f.start)
        computed += [opens, str((f.start - today).days)]
        return Worked(
            f"尚未开始：{opens}开始，{when}截止（按今天{today_s}计，还有{(f.start - today).days}天开始）",
            computed,
        )
    if days < 0:
        return Worked(f"尚未截止，距{when}还有{-days}天（按今天{today_s}计）", computed)
    if days == 0:
        if f.bound == "before":
            return Worked(
                f"今天就是{when}；通知写的是“…前”，未说明当天是否仍可提交，请尽快提交或电话确认", computed
            )
        return Worked(f"今天（{today_s}）是最后一天", computed)
    return Worked(f"已截止（{when}，按今天{today_s}计已过{days}天）", computed)


def compare_date(f: Fact, theirs: date, shown: str | None = None) -> Worked:
    """Where a date the user names falls against a deadline or window (`shown`: as the user wrote it)."""
    assert f.date is not None
    t = shown or date_text(theirs)
    computed = [t, date_text(theirs)]
    if f.start and theirs < f.start:
        computed.append(date_text(f.start))
        return Worked(f"{t}早于开始日期{date_text(f.start)}，那时尚未开始", computed, ok=False)
    if theirs < f.date:
        return Worked(f"{t}早于期限{when_text(f)}，不算晚", computed, ok=True)
    if theirs == f.date:
        if f.bound == "before":
            return Worked(
                f"{t}正是期限当天；通知写的是“…前”，未说明当天是否仍可提交，有超期风险", computed, None
            )
        return Worked(f"{t}正是最后一天", computed, ok=True)
    return Worked(f"{t}晚于期限{when_text(f)}，已超期", computed, ok=False)


def meets(op: str, have: float, need: float) -> bool:
    return {
        "ge": have >= need,
        "gt": have > need,
        "le": have <= need,
        "lt": have < need,
        "eq": abs(have - need) < 1e-9,
        "about": True,
    }[op]


def value_text(f: Fact) -> str:
    """The rule's value as printed, with its operator: 不少于5000万元, 超过1亿元, 不超过25%."""
    if f.printed is None:
        return ""
    op = OP_WORDS.get(f.op or "", "")
    return f"{op}{f.printed}" if op and not f.printed.startswith(op) else f.printed


def metric_label(metric: str | None) -> str:
    if metric is None:
        return ""
    return str(vocabulary().metrics.get(metric, {}).get("label", metric))


def figure_text(value: float, unit: str) -> str:
    return fmt_wan(value) if unit == "万元" else f"{fmt_num(value)}{unit}"


def check_threshold(f: Fact, have: float | None, other: float | None = None) -> Worked:
    """One rule against the user's figure: 满足 / 不满足 / not given. A rule against another of their
    figures (自筹不低于财政补助) takes that figure as `other`."""
    assert f.op is not None
    need = value_text(f)
    if f.than is not None:
        if have is None or other is None:
            return Worked(f"要求{need}——您没有提供这两个数字，无法判断", [], None)
        need += f"（您的{metric_label(f.than)}为{fmt_wan(other)}）"
        value, unit = other, "万元"
    else:
        assert f.value is not None
        if have is None:
            return Worked(f"要求{need}——您没有提供这一数字，无法判断", [], None)
        value, unit = f.value, f.unit or ""
    ok = meets(f.op, have, value)
    computed = [fmt_num(have), fmt_num(value), figure_text(have, unit), figure_text(value, unit)]
    hedge = f"（该条为“{f.hedge}”）" if f.hedge and not ok else ""
    return Worked(
        f"您的{figure_text(have, unit)}，要求{need}——{'满足' if ok else '不满足'}{hedge}",
        computed,
        ok,
    )


def share(numerator: float, denominator: float) -> float:
    return round(numerator / denominator * 100, 1)


def apply_rate(f: Fact, base: float) -> Worked:
    """Rate × base, capped: 300万元 × 25% = 75万元，最高50万元 → 50万元."""
    assert f.value is not None
    raw = base * f.value / 100
    result = min(raw, f.cap) if f.cap is not None else raw
    computed = [fmt_num(base), fmt_num(raw), fmt_num(result), fmt_wan(base), fmt_wan(raw), fmt_wan(result)]
    text = f"{fmt_wan(base)} × {f.printed} = {fmt_wan(raw)}"
    if f.cap is not None:
        capped = raw > f.cap
        text += f"，单项最高{f.cap_printed}" + (f"，按上限计为{fmt_wan(result)}" if capped else "")
    return Worked(f"最多{fmt_wan(result)}（{text}）", computed, None)


def split_schedule(f: Fact, total: float) -> Worked:
    parts = [(p.label, p.percent, total * p.percent / 100) for p in f.parts]
    computed = (
        [fmt_num(total), fmt_wan(total)]
        + [fmt_wan(v) for _, _, v in parts]
        + [fmt_num(v) for _, _, v in parts]
    )
    text = "；".join(f"{label}{fmt_num(pct)}%即{fmt_wan(v)}" for label, pct, v in parts)
    return Worked(text, computed, None)


def schedule_text(f: Fact) -> str:
    return "，".join(f"{p.label}{fmt_num(p.percent)}%" for p in f.parts)
