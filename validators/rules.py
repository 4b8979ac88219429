"""Cross-field rules from the notices: budget sums, caps, ratios, thresholds, dates, row counts.

Each rule is data in the form's YAML (kind, fields, numbers, the verbatim notice `quote`); this module
only knows how to evaluate a kind and word its message. A rule whose fields are not all filled yet is
skipped — missing answers are reported once, as `required`, not again by every rule that uses them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from knowledge.formspec import Condition, FieldSpec, FieldType, FormSpec, RuleKind, RuleSpec, count_chars
from validators.fields import choice_base, date_parts, format_date, is_empty
from validators.normalize import format_number
from validators.problems import Problem

SUM_TOLERANCE = Decimal("0.0001")
PERCENT_TOLERANCE = Decimal("0.5")


def _num(values: dict[str, Any], fid: str) -> Decimal | None:
    v = values.get(fid)
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return Decimal(str(v))


def _unit(f: FieldSpec) -> str:
    if f.type == FieldType.AMOUNT_WAN:
        return "万元"
    if f.type == FieldType.PERCENT:
        return "%"
    return f.unit or ""


def _holds(cond: Condition, values: dict[str, Any]) -> bool:
    v = values.get(cond.field)
    if cond.empty is not None:
        return is_empty(v) == cond.empty
    chosen = (
        [choice_base(x) for x in v] if isinstance(v, list) else [choice_base(v)] if isinstance(v, str) else []
    )
    if cond.equals is not None:
        return cond.equals in chosen
    if cond.is_in is not None:
        return any(c in cond.is_in for c in chosen)
    return True


class _Eval:
    def __init__(self, form: FormSpec, rule: RuleSpec, values: dict[str, Any]) -> None:
        self.form, self.rule, self.values = form, rule, values

    def f(self, i: int) -> FieldSpec:
        return self.form.field(self.rule.fields[i])

    def name(self, i: int) -> str:
        return self.form.display(self.f(i))

    def problem(self, code: str, message: str, field_index: int = 0) -> Problem:
        hint = self.rule.hint or ""
        text = message if not hint or hint in message else f"{message}{hint}"
        return Problem(
            field=self.rule.fields[field_index],
            code=code,
            message=text,
            severity=self.rule.severity,
            rule=self.rule.id,
            quote=self.rule.quote,
        )


def _max(e: _Eval) -> list[Problem]:
    v, limit = _num(e.values, e.rule.fields[0]), Decimal(str(e.rule.value))
    if v is None or v <= limit:
        return []
    u = _unit(e.f(0))
    return [
        e.problem(
            "above_cap",
            f"{e.name(0)}不超过{format_number(limit)}{u}（{e.rule.source}），您填写了{format_number(v)}{u}。",
        )
    ]


def _min(e: _Eval) -> list[Problem]:
    v, limit = _num(e.values, e.rule.fields[0]), Decimal(str(e.rule.value))
    if v is None or v >= limit:
        return []
    u = _unit(e.f(0))
    return [
        e.problem(
            "below_floor",
            f"{e.name(0)}不低于{format_number(limit)}{u}（{e.rule.source}），您填写了{format_number(v)}{u}。",
        )
    ]


def _range(e: _Eval) -> list[Problem]:
    v = _num(e.values, e.rule.fields[0])
    low, high = Decimal(str(e.rule.value)), Decimal(str(e.rule.value2))
    if v is None:
        return []
    above = v > high if e.rule.inclusive_max else v >= high
    if low <= v and not above:
        return []
    u = _unit(e.f(0))
    upper = f"不超过{format_number(high)}{u}" if e.rule.inclusive_max else f"低于{format_number(high)}{u}"
    return [
        e.problem(
            "out_of_range",
            f"{e.name(0)}应不低于{format_number(low)}{u}且{upper}（{e.rule.source}），您填写了{format_number(v)}{u}。",
        )
    ]


def _sum(e: _Eval) -> list[Problem]:
    total = _num(e.values, e.rule.fields[0])
    parts = [_num(e.values, fid) for fid in e.rule.fields[1:]]
    if total is None or any(p is None for p in parts):
        return []
    got = sum((p for p in parts if p is not None), Decimal(0))
    if abs(got - total) <= SUM_TOLERANCE:
        return []
    u = _unit(e.f(0))
    names = "＋".join(e.name(i) for i in range(1, len(e.rule.fields)))
    shown = "＋".join(format_number(p) for p in parts)
    return [
        e.problem(
            "sum_mismatch",
            f"{e.name(0)}应等于{names}（{e.rule.source}）：{shown}＝{format_number(got)}{u}，"
            f"而{e.name(0)}填的是{format_number(total)}{u}，相差{format_number(abs(got - total))}{u}。"
            f"请修改{e.name(0)}或其中一项，使两边相等。",
        )
    ]


def _ratio_max(e: _Eval) -> list[Problem]:
    a, b = _num(e.values, e.rule.fields[0]), _num(e.values, e.rule.fields[1])
    if a is None or b is None:
        return []
    ratio = Decimal(str(e.rule.ratio))
    limit = b * ratio
    if a <= limit + SUM_TOLERANCE:
        return []
    u = _unit(e.f(0))
    pct = format_number(ratio * 100)
    return [
        e.problem(
            "above_ratio",
            f"{e.name(0)}不超过{e.name(1)}的{pct}%（{e.rule.source}）：{e.name(1)}{format_number(b)}{u}的{pct}%"
            f"是{format_number(limit)}{u}，您填写了{format_number(a)}{u}。",
        )
    ]


def _date_key(value: str, other: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    a, b = date_parts(value), date_parts(other)
    if a[2] is None or b[2] is None:
        return (a[0], a[1]), (b[0], b[1])
    return (a[0], a[1], a[2]), (b[0], b[1], b[2])


def _le(e: _Eval) -> list[Problem]:
    fa, fb = e.f(0), e.f(1)
    va, vb = e.values.get(fa.id), e.values.get(fb.id)
    if is_empty(va) or is_empty(vb):
        return []
    if fa.type == FieldType.DATE and fb.type == FieldType.DATE:
        ka, kb = _date_key(str(va), str(vb))
        if ka <= kb:
            return []
        return [
            e.problem(
                "date_order",
                f"{e.name(0)}（{format_date(str(va))}）不能晚于{e.name(1)}（{format_date(str(vb))}）（{e.rule.source}）。",
            )
        ]
    a, b = _num(e.values, fa.id), _num(e.values, fb.id)
    if a is None or b is None or a <= b:
        return []
    ua, ub = _unit(fa), _unit(fb)
    return [
        e.problem(
            "greater_than",
            f"{e.name(0)}（{format_number(a)}{ua}）不应大于{e.name(1)}（{format_number(b)}{ub}）（{e.rule.source}）。"
            + ("" if e.rule.hint else "请核对这两项。"),
        )
    ]


def _date_after(e: _Eval) -> list[Problem]:
    ref = e.rule.date
    assert ref is not None
    out = []
    for i, fid in enumerate(e.rule.fields):
        v = e.values.get(fid)
        if not isinstance(v, str) or not v:
            continue
        y, m, d = date_parts(v)
        later = (y, m) > (ref.year, ref.month) if d is None else (y, m, d) > (ref.year, ref.month, ref.day)
        if not later:
            out.append(
                e.problem(
                    "date_not_after_notice",
                    f"{e.name(i)}应晚于{ref.year}年{ref.month}月{ref.day}日（{e.rule.source}），"
                    f"您填写的是{format_date(v)}。请填写将来的完成时间。",
                    field_index=i,
                )
            )
    return out


def _at_least_one(e: _Eval) -> list[Problem]:
    if any(not is_empty(e.values.get(fid)) for fid in e.rule.fields):
        return []
    names = "、".join(f"“{e.name(i)}”" for i in range(len(e.rule.fields)))
    return [
        e.problem("at_least_one", f"{names}至少填写一项（{e.rule.source}）。请回复“修改 {e.name(0)}”补填。")
    ]


def _total_chars(e: _Eval) -> list[Problem]:
    texts = [e.values.get(fid) for fid in e.rule.fields]
    n = sum(count_chars(t) for t in texts if isinstance(t, str))
    limit = int(e.rule.value or 0)
    if n <= limit:
        return []
    names = "与".join(f"“{e.name(i)}”" for i in range(len(e.rule.fields)))
    return [
        e.problem(
            "total_too_long",
            f"{names}合计限{limit}字以内（{e.rule.source}），现共{n}字，请删减{n - limit}字。",
            field_index=len(e.rule.fields) - 1,
        )
    ]


def _rows_count(e: _Eval, minimum: bool) -> list[Problem]:
    rows = e.values.get(e.rule.fields[0])
    n = len(rows) if isinstance(rows, list) else 0
    limit = int(e.rule.value or 0)
    if minimum and n and n < limit:
        return [
            e.problem(
                "too_few_rows",
                f"{e.name(0)}至少{limit}家（项）（{e.rule.source}），现有{n}个，请再补充{limit - n}个。",
            )
        ]
    if not minimum and n > limit:
        return [e.problem("too_many_rows", f"{e.name(0)}不超过{limit}项（{e.rule.source}），现有{n}项。")]
    return []


def count_items(text: str) -> int:
    """Items in a parameter list: lines or ；-separated parts, or numbered items such as 1. 2、 (3)."""
    parts = [p for p in re.split(r"[\n；;]+", text) if p.strip()]
    numbered = len(re.findall(r"(?:^|[\s，,。；;])[（(]?\d{1,2}[.、．)）]", text))
    return max(len(parts), numbered)


def _min_items(e: _Eval) -> list[Problem]:
    text = e.values.get(e.rule.fields[0])
    if not isinstance(text, str) or not text:
        return []
    n, limit = count_items(text), int(e.rule.value or 0)
    if n >= limit:
        return []
    return [
        e.problem(
            "too_few_items",
            f"{e.name(0)}应列出{limit}项以上（{e.rule.source}），目前识别到{n}项。请每项一行或用“；”分隔。",
        )
    ]


def _option_group(e: _Eval) -> list[Problem]:
    area, chosen = e.values.get(e.rule.fields[0]), e.values.get(e.rule.fields[1])
    if not isinstance(area, str) or not isinstance(chosen, list):
        return []
    allowed = e.rule.groups.get(choice_base(area), [])
    wrong = [c for c in chosen if choice_base(c) not in allowed]
    if not wrong:
        return []
    return [
        e.problem(
            "option_not_in_group",
            f"“{'、'.join(wrong)}”不属于重点领域“{area}”（{e.rule.source}）。"
            f"“{area}”下的方向有：{'、'.join(allowed)}。请改选主要方向，或改选重点领域。",
            field_index=1,
        )
    ]


def _exclusive(e: _Eval) -> list[Problem]:
    chosen = e.values.get(e.rule.fields[0])
    if not isinstance(chosen, list):
        return []
    both = [o for o in e.rule.options if o in [choice_base(c) for c in chosen]]
    if len(both) < 2:
        return []
    return [
        e.problem("exclusive_options", f"{e.name(0)}中“{'”和“'.join(both)}”只宜选一个（{e.rule.source}）。")
    ]


def _latest_row_min(e: _Eval) -> list[Problem]:
    f = e.f(0)
    rows = e.values.get(f.id)
    if not isinstance(rows, list) or e.rule.column is None:
        return []
    col = f.column(e.rule.column)
    filled = [r for r in rows if isinstance(r, dict) and isinstance(r.get(col.id), int | float)]
    if not filled:
        return []
    latest = max(filled, key=lambda r: str(r.get(f.key_column or "", "")))
    v, limit = Decimal(str(latest[col.id])), Decimal(str(e.rule.value))
    if v >= limit:
        return []
    year = latest.get(f.key_column or "", "")
    return [
        e.problem(
            "below_threshold",
            f"按财务状况表最近一年（{year}年）核对：{col.label}{format_number(v)}万元，低于要求的不少于"
            f"{format_number(limit)}万元（{e.rule.source}）。",
        )
    ]


def _percent_of(e: _Eval) -> list[Problem]:
    pct, num, den = (_num(e.values, fid) for fid in e.rule.fields)
    if pct is None or num is None or den is None or den == 0:
        return []
    computed = (num / den * 100).quantize(Decimal("0.01"))
    if abs(computed - pct) <= PERCENT_TOLERANCE:
        return []
    return [
        e.problem(
            "percent_mismatch",
            f"{e.name(0)}应约等于{e.name(1)}÷{e.name(2)}×100＝{format_number(computed)}%，"
            f"您填写了{format_number(pct)}%（{e.rule.source}）。请核对。",
        )
    ]


_KINDS: dict[RuleKind, Callable[[_Eval], list[Problem]]] = {
    RuleKind.MAX: _max,
    RuleKind.MIN: _min,
    RuleKind.RANGE: _range,
    RuleKind.SUM: _sum,
    RuleKind.RATIO_MAX: _ratio_max,
    RuleKind.LE: _le,
    RuleKind.DATE_AFTER: _date_after,
    RuleKind.AT_LEAST_ONE: _at_least_one,
    RuleKind.TOTAL_CHARS: _total_chars,
    RuleKind.MIN_ROWS: lambda e: _rows_count(e, True),
    RuleKind.MAX_ROWS: lambda e: _rows_count(e, False),
    RuleKind.MIN_ITEMS: _min_items,
    RuleKind.OPTION_GROUP: _option_group,
    RuleKind.EXCLUSIVE: _exclusive,
    RuleKind.LATEST_ROW_MIN: _latest_row_min,
    RuleKind.PERCENT_OF: _percent_of,
}


def check_rule(form: FormSpec, rule: RuleSpec, values: dict[str, Any]) -> list[Problem]:
    """Problems one rule finds in normalised values (nothing when its `when` guard does not hold)."""
    if not all(_holds(c, values) for c in rule.when):
        return []
    return _KINDS[rule.kind](_Eval(form, rule, values))


def check_rules(form: FormSpec, values: dict[str, Any], field_id: str | None = None) -> list[Problem]:
    """Every rule of the form, or only those that involve `field_id` (for checks right after an answer)."""
    out: list[Problem] = []
    for rule in form.rules:
        involved = set(rule.fields) | {c.field for c in rule.when}
        if field_id is None or field_id in involved:
            out.extend(check_rule(form, rule, values))
    return out


def blocking(rule: RuleSpec, field_id: str) -> bool:
    """A rule about this one field alone: breaking it makes the interview ask the field again."""
    return rule.severity == "error" and set(rule.fields) == {field_id}
