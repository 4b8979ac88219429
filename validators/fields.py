"""Field rules: one answer in, a normalised value (or a specific Chinese error that says how to fix it) out.

`validate_field` accepts what a chat or a JSON file gives (text, numbers, lists, row dicts) and never
raises on user input. Its output is idempotent: validating a normalised value returns it unchanged,
so stored drafts can be re-checked at any time.
"""

from __future__ import annotations

import calendar
import math
import re
from decimal import Decimal
from typing import Any

from knowledge.formspec import (
    CHOICE_TYPES,
    NUMBER_TYPES,
    FieldSpec,
    FieldType,
    FormSpec,
    LimitKind,
    count_chars,
    ordered_rows,
)
from knowledge.numbers import CN_DIGITS, parse_numeral
from validators import formats
from validators.normalize import (
    MAX_RAW_CHARS,
    clean_text,
    find_emoji,
    format_number,
    loose,
    parse_amount_wan,
    parse_plain_number,
    to_halfwidth,
)
from validators.problems import FieldResult, Problem

# Caps for cells whose notice prints no limit: a table cell is not a book.
DEFAULT_MAX = {
    FieldType.SHORT_TEXT: 200,
    FieldType.COMPANY_NAME: 60,
    FieldType.PERSON_NAME: 30,
    FieldType.LONG_TEXT: 5000,
}
MAX_ROWS = 50
SOFT_LIMIT_SLACK = 1.1  # "500字左右": up to 10 % over is still "about 500"
MAX_AMOUNT_WAN = Decimal(100_000_000)  # 1万亿元: anything above is a typo
LARGE_AMOUNT_WAN = Decimal(100_000)  # 10亿元: worth a second look at the unit

_HAS_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _short(text: str, n: int = 30) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


class _Ctx:
    """Collects problems for one field, so each check is one line."""

    def __init__(self, form: FormSpec | None, f: FieldSpec, prefix: str = "", stored: bool = False) -> None:
        self.f = f
        self.name = prefix + (form.display(f) if form is not None and form.has_field(f.id) else f.label)
        self.stored = stored  # a saved value, already confirmed: nothing is asked back
        self.result = FieldResult()

    def error(self, code: str, message: str) -> FieldResult:
        self.result.errors.append(Problem(field=self.f.id, code=code, message=message))
        self.result.value = None
        return self.result

    def warn(self, code: str, message: str) -> None:
        self.result.warnings.append(Problem(field=self.f.id, code=code, message=message, severity="warning"))

    def ok(self, value: Any) -> FieldResult:
        self.result.value = value
        self.result.display = format_value(self.f, value)
        return self.result


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def validate_field(
    form: FormSpec | None, f: FieldSpec, raw: Any, prefix: str = "", stored: bool = False
) -> FieldResult:
    """Normalise and check one answer for one field (cross-field rules are in `validators.rules`).

    `stored` marks a value re-checked from a saved draft: it was confirmed when it was entered, so an
    ambiguous-looking figure (a percentage of 0.8) is not asked back again.
    """
    ctx = _Ctx(form, f, prefix, stored)
    if is_empty(raw):
        ctx.result.empty = True
        return ctx.result
    if isinstance(raw, bool):
        return ctx.error("wrong_type", f"“{ctx.name}”不能填是/否值，请按提示填写内容。")
    if f.type == FieldType.ROWS:
        return _rows(form, f, raw, ctx)
    if f.type == FieldType.MULTI_CHOICE and isinstance(raw, list | tuple):
        raw = "、".join(str(x) for x in raw if x is not None)
    if isinstance(raw, float) and not math.isfinite(raw):
        return ctx.error("not_a_number", f"“{ctx.name}”的数值无效，请填写具体数字。")
    if isinstance(raw, int | float):
        raw = format_number(raw)
    if not isinstance(raw, str):
        return ctx.error("wrong_type", f"“{ctx.name}”应填写一段文字或数字，不能是列表或表格。")
    if len(raw) > MAX_RAW_CHARS:
        limit = f.max_chars or DEFAULT_MAX.get(f.type, 200)
        return ctx.error(
            "too_long",
            f"内容过长（约{count_chars(raw[: MAX_RAW_CHARS * 3])}字），“{ctx.name}”最多{limit}字。"
            "请精简后再发送，草稿中原有内容未受影响。",
        )
    cleaned = clean_text(raw)
    if cleaned.removed:
        ctx.result.notes.append(f"已去除{cleaned.removed}个不可见的控制字符。")
    text = cleaned.text
    if not text:
        ctx.result.empty = True
        return ctx.result
    emoji = find_emoji(text)
    if emoji is not None:
        return ctx.error(
            "emoji",
            f"“{ctx.name}”中有表情符号“{emoji}”，正式表格打印不出来。请删去表情符号后重新输入。",
        )
    if f.type in _NONE_TYPES and says_none(text):
        return _none(text, ctx)
    handler = _HANDLERS.get(f.type, _text)
    return handler(text, ctx)


# --- "无" -------------------------------------------------------------------------------------------

_NONE_ANSWER = re.compile(
    r"(?:暂时?|目前|当前|现在?|尚|还)?(?:无|没有|没)(?:此项|该项|这项|这一项)?"
    r"|不涉及|不适用|n/?a|none|null|/|[-—–]{1,2}"
)
_NONE_TYPES = NUMBER_TYPES | {FieldType.DATE}  # where 无 cannot be the answer's own text


def says_none(text: str) -> bool:
    """'无', '没有', '暂无', '不涉及', '/', '—': the answer is that there is nothing to fill in."""
    t = re.sub(r"[\s。.！!~～]+$", "", to_halfwidth(text).strip()).lower()
    return bool(_NONE_ANSWER.fullmatch(t))


def _none(text: str, ctx: _Ctx) -> FieldResult:
    """无 for a number or a date: an optional field stays empty; a required number is 0, said so."""
    f = ctx.f
    if not f.required:
        ctx.result.empty = ctx.result.declined = True
        return ctx.result
    if f.type == FieldType.DATE:
        return ctx.error(
            "required_value",
            f"“{ctx.name}”是必填项，不能填“{_short(text)}”。请填写日期，如“{_date_example(f)}”。",
        )
    res = _HANDLERS[f.type]("0", ctx)
    if res.ok:
        ctx.warn(
            "none_as_zero",
            f"“{ctx.name}”填的是“{_short(text)}”，已按{format_value(f, 0)}记录；如有具体数字，请改为该数字。",
        )
    return res


# --- text -------------------------------------------------------------------------------------------


def _text(text: str, ctx: _Ctx) -> FieldResult:
    f = ctx.f
    if f.type != FieldType.LONG_TEXT:
        text = re.sub(r"\s*\n\s*", " ", text)
    n = count_chars(text)
    if not _HAS_WORD.search(text) and f.pattern is None:
        message = f"“{ctx.name}”应填写文字说明，您填写的是“{_short(text)}”。"
        if f.type == FieldType.SHORT_TEXT:
            ctx.warn("looks_like_number", message + "如确实如此可忽略本提示。")
        else:
            return ctx.error("not_text", message + "请用文字描述。")
    if f.pattern is not None and not re.fullmatch(f.pattern, to_halfwidth(text)):
        return ctx.error(
            "pattern",
            f"“{ctx.name}”格式不对：{f.pattern_hint or '请按提示填写'}；您填写的是“{_short(text)}”。",
        )
    if f.pattern is not None:
        text = to_halfwidth(text)
    if f.max_chars is not None and f.limit == LimitKind.HARD and n > f.max_chars:
        return ctx.error(
            "too_long",
            f"“{ctx.name}”限{f.max_chars}字以内，您写了{n}字，请删减{n - f.max_chars}字"
            "（字数按非空白字符计，空格和换行不计）。",
        )
    if f.max_chars is not None and f.limit == LimitKind.SOFT and n > f.max_chars * SOFT_LIMIT_SLACK:
        ctx.warn(
            "too_long_soft",
            f"“{ctx.name}”要求{f.max_chars}字左右，您写了{n}字，建议精简到{f.max_chars}字左右（不影响导出）。",
        )
    cap = DEFAULT_MAX.get(f.type, 200)
    if f.max_chars is None and n > cap:
        return ctx.error(
            "too_long",
            f"“{ctx.name}”最多填写{cap}字，您写了{n}字。请精简{n - cap}字，较长的材料可另附页。",
        )
    return ctx.ok(text)


def _person(text: str, ctx: _Ctx) -> FieldResult:
    text = re.sub(r"\s+", " ", text).strip()
    if re.search(r"\d", to_halfwidth(text)):
        return ctx.error("not_a_name", f"“{ctx.name}”应填写人名，不能含数字；您填写的是“{_short(text)}”。")
    if not re.fullmatch(r"[\u3400-\u9fffA-Za-z·•．. \-]+", text):
        return ctx.error(
            "not_a_name", f"“{ctx.name}”只能包含汉字、字母和间隔号“·”；您填写的是“{_short(text)}”。"
        )
    if _CJK.search(text):
        text = text.replace(" ", "")
    n = count_chars(text)
    if n < 2 or n > DEFAULT_MAX[FieldType.PERSON_NAME]:
        return ctx.error("name_length", f"“{ctx.name}”应为2至30个字的姓名，您填写的是“{_short(text)}”。")
    return ctx.ok(text)


def _company(text: str, ctx: _Ctx) -> FieldResult:
    text = re.sub(r"\s+", " ", text).strip()
    if not _HAS_WORD.search(text):
        return ctx.error(
            "not_text", f"“{ctx.name}”应填写单位全称（与公章一致），您填写的是“{_short(text)}”。"
        )
    if _CJK.search(text) and ("(" in text or ")" in text):
        text = text.replace("(", "（").replace(")", "）")
        ctx.result.notes.append("已把半角括号改为全角括号，与公章上的单位名称一致。")
    n = count_chars(text)
    if n < 2:
        return ctx.error("name_length", f"“{ctx.name}”应填写单位全称，您只填写了{n}个字。")
    if n > DEFAULT_MAX[FieldType.COMPANY_NAME]:
        return ctx.error(
            "too_long", f"“{ctx.name}”最多60字（单位全称），您写了{n}字。如需说明，请写在相应的说明栏。"
        )
    return ctx.ok(text)


# --- numbers ----------------------------------------------------------------------------------------


def _bounds(value: Decimal, ctx: _Ctx, unit: str) -> FieldResult | None:
    f = ctx.f
    if f.min_value is not None and value < Decimal(str(f.min_value)):
        return ctx.error(
            "below_min",
            f"“{ctx.name}”不能小于{format_number(f.min_value)}{unit}，您填写了{format_number(value)}{unit}。",
        )
    if f.max_value is not None and value > Decimal(str(f.max_value)):
        return ctx.error(
            "above_max",
            f"“{ctx.name}”不能大于{format_number(f.max_value)}{unit}，您填写了{format_number(value)}{unit}。",
        )
    return None


AMOUNT_EXAMPLES = "如“1200”“1,200万”“300万元”“叁佰万元”“1.2亿”；按元填写请带“元”或“￥”，如“3,000,000元”"
_FOREIGN = re.compile(r"美元|美金|欧元|英镑|日元|港元|港币|澳元|usd|eur|gbp|jpy|hkd|\$|€|£", re.IGNORECASE)
_APPROXIMATE = re.compile(
    r"[约近超逾余左右]|多万|多元|[一二两三四五六七八九]{2}[十百千万亿拾佰仟萬億]|\d\s*[-~～至到]\s*\d"
)


def _wan_text(value: Decimal) -> str:
    """100亿元 rather than 1000000万元 for large ceilings."""
    if value >= 10_000 and value % 10_000 == 0:
        return f"{format_number(value / 10_000)}亿元"
    return f"{format_number(value)}万元"


def _amount(text: str, ctx: _Ctx) -> FieldResult:
    if _FOREIGN.search(text):
        return ctx.error(
            "foreign_currency",
            f"“{ctx.name}”请按人民币填写（单位万元），{AMOUNT_EXAMPLES}；您填写的是“{_short(text)}”，请折算成人民币。",
        )
    parsed = parse_amount_wan(text) if not _APPROXIMATE.search(text) else None
    if parsed is None or parsed.value is None:
        what = "确切金额" if parsed is None else "金额数字"
        return ctx.error(
            "not_a_number",
            f"“{ctx.name}”请填写{what}（单位万元），{AMOUNT_EXAMPLES}；您填写的是“{_short(text)}”。",
        )
    value = parsed.value
    if value < 0 and not ctx.f.allow_negative:
        return ctx.error("amount_negative", f"“{ctx.name}”不能为负数，您填写了{format_number(value)}万元。")
    if abs(value) > MAX_AMOUNT_WAN:
        return ctx.error(
            "amount_too_large",
            f"“{ctx.name}”为{format_number(value)}万元，超过1万亿元，应是单位或位数有误。请以万元为单位重新填写。",
        )
    # The spec's max_value is what the field can plausibly hold (a demand: 100亿元); more is a unit slip.
    ceiling = Decimal(str(ctx.f.max_value)) if ctx.f.max_value is not None else None
    if ceiling is not None and value > ceiling:
        as_wan = format_number(value / 10_000)
        return ctx.error(
            "amount_implausible",
            f"“{ctx.name}”记为{format_number(value)}万元（即{as_wan}亿元），超过{_wan_text(ceiling)}，"
            f"不像这一项的金额，多半是单位写错了。本栏以万元为单位：{as_wan}万元请写“{as_wan}”或“{as_wan}万”；"
            f"按元填写请带“元”，如“{format_number(value)}元”。",
        )
    if value != value.quantize(Decimal("0.0001")):
        return ctx.error(
            "amount_precision",
            f"“{ctx.name}”以万元为单位最多保留4位小数（精确到元），“{_short(text)}”折合{format_number(value)}万元，"
            "请四舍五入到元后重新填写。",
        )
    if abs(value) >= LARGE_AMOUNT_WAN:
        ctx.warn(
            "amount_large",
            f"“{ctx.name}”记为{format_number(value)}万元（即{format_number(value / 10000)}亿元），请确认单位是万元；"
            "如果您填的是元，请写成“…元”。",
        )
    if parsed.yuan and 0 < abs(value) < 1:
        yuan = format_number(value * 10_000)
        ctx.warn(
            "amount_small",
            f"“{ctx.name}”按元记为{format_number(value)}万元（即{yuan}元）。如果您指的是{yuan}万元，请写“{yuan}万”。",
        )
    bad = _bounds(value, ctx, "万元")
    return bad if bad is not None else ctx.ok(float(value))


def _percent(text: str, ctx: _Ctx) -> FieldResult:
    parsed = parse_plain_number(text)
    if parsed.value is None:
        return ctx.error(
            "not_a_number", f"“{ctx.name}”请填写百分数，如“5.2”或“5.2%”；您填写的是“{_short(text)}”。"
        )
    value = parsed.value
    explicit = re.search(r"[%％]|百分之", text) is not None
    if 0 < value < 1 and not explicit and not ctx.stored:
        # 0.8 is often a fraction (80 %) from a spreadsheet; only the person knows which they meant.
        shown, as_percent = format_number(value), format_number(value * 100)
        return ctx.error(
            "percent_ambiguous",
            f"“{ctx.name}”填的是“{shown}”：是{shown}%还是{as_percent}%？"
            f"请写成“{as_percent}%”或“{shown}%”（带上%号）。",
        )
    low = Decimal(str(ctx.f.min_value)) if ctx.f.min_value is not None else Decimal(0)
    high = Decimal(str(ctx.f.max_value)) if ctx.f.max_value is not None else Decimal(100)
    if value < low or value > high:
        return ctx.error(
            "percent_range",
            f"“{ctx.name}”应在{format_number(low)}%到{format_number(high)}%之间，您填写了{format_number(value)}%。",
        )
    if value != value.quantize(Decimal("0.01")):
        value = value.quantize(Decimal("0.01"))
        ctx.result.notes.append(f"已保留两位小数：{format_number(value)}%。")
    return ctx.ok(float(value))


def _integer(text: str, ctx: _Ctx) -> FieldResult:
    unit = ctx.f.unit or ""
    parsed = parse_plain_number(text, (unit, "人", "个", "项", "家", "名"))
    if parsed.value is None:
        return ctx.error("not_a_number", f"“{ctx.name}”请填写整数，如“120”；您填写的是“{_short(text)}”。")
    value = parsed.value
    if value != value.to_integral_value():
        return ctx.error("not_an_integer", f"“{ctx.name}”应为整数，您填写了{format_number(value)}。")
    if value < 0:
        return ctx.error("negative", f"“{ctx.name}”不能为负数，您填写了{format_number(value)}。")
    if value > 10_000_000:
        return ctx.error("too_large", f"“{ctx.name}”为{format_number(value)}{unit}，数字过大，请核对。")
    bad = _bounds(value, ctx, unit)
    return bad if bad is not None else ctx.ok(int(value))


# --- dates ------------------------------------------------------------------------------------------

_DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:年|[-/.])\s*(?P<m>\d{1,2})\s*(?:月|[-/.])?\s*(?:(?P<d>\d{1,2})\s*[日号]?)?"
)


_CN_DATE_NUMBER = re.compile(rf"[{''.join(CN_DIGITS)}十拾]+(?=\s*[年月日号])")


def _arabic_date(text: str) -> str:
    """二〇二五年十二月三十一日 → 2025年12月31日 (years digit by digit, months and days as numbers)."""
    text = text.replace("元月", "1月")

    def digits(m: re.Match[str]) -> str:
        value = parse_numeral(m.group(0))
        return str(int(value)) if value is not None and value == value.to_integral_value() else m.group(0)

    return _CN_DATE_NUMBER.sub(digits, text)


def parse_date(text: str) -> tuple[int, int, int | None] | None:
    """'2025-12-31', '2025/12', '2025年12月底前完成', '20251231', '二〇二五年十二月' → (2025, 12, 31 or None)."""
    t = _arabic_date(to_halfwidth(text).strip())
    t = re.sub(r"(年底|年末)", "年12月", t)
    t = re.sub(r"(之前|以前|前完成|前|底|末|完成|为止|止)+$", "", t).strip()
    m8 = re.fullmatch(r"(\d{4})(\d{2})(\d{2})?", t)
    if m8:
        return int(m8.group(1)), int(m8.group(2)), int(m8.group(3)) if m8.group(3) else None
    m = _DATE.fullmatch(t)
    if not m:
        return None
    return int(m.group("y")), int(m.group("m")), int(m.group("d")) if m.group("d") else None


def date_parts(value: str) -> tuple[int, int, int | None]:
    """Parts of a stored ISO date ('2025-12' or '2025-12-31')."""
    bits = [int(x) for x in value.split("-")]
    return bits[0], bits[1], bits[2] if len(bits) > 2 else None


def _date_example(f: FieldSpec) -> str:
    return "2026年6月" if f.date_precision == "month" else "2026年6月30日"


def _date(text: str, ctx: _Ctx) -> FieldResult:
    parts = parse_date(text)
    example = _date_example(ctx.f)
    if parts is None:
        return ctx.error(
            "date_format", f"“{ctx.name}”请填写日期，如“{example}”；您填写的是“{_short(text)}”。"
        )
    y, m, d = parts
    if not 1900 <= y <= 2100 or not 1 <= m <= 12:
        return ctx.error("date_invalid", f"“{ctx.name}”的日期“{_short(text)}”不存在，请核对年份和月份。")
    if d is not None and not 1 <= d <= calendar.monthrange(y, m)[1]:
        return ctx.error("date_invalid", f"{y}年{m}月没有{d}日，请核对“{ctx.name}”。")
    if d is None and ctx.f.date_precision == "day":
        return ctx.error("date_needs_day", f"“{ctx.name}”请写到具体日期，如“{example}”。")
    value = f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d is not None else "")
    return ctx.ok(value)


# --- choices ----------------------------------------------------------------------------------------


def option_list(f: FieldSpec) -> str:
    return " ".join(f"{i}.{o}" for i, o in enumerate(f.options, 1))


def _match_one(f: FieldSpec, token: str) -> tuple[str | None, str | None]:
    """(value, error) for one chosen option given as a number, the printed text or a unique part of it."""
    t = loose(token)
    if not t:
        return None, None
    for opt in f.free_text_options:
        lo = loose(opt)
        m = re.match(rf"{re.escape(lo)}[:：,，]?(?:名称[:：]?)?(.*)$", t)
        raw_m = re.match(
            rf"\s*[□○]?\s*{re.escape(opt)}\s*[:：,，]?\s*(?:名称\s*[:：]?)?\s*(.*)$", token, re.S
        )
        if m and raw_m and (m.group(1) or t == lo):
            extra = raw_m.group(1).strip()
            return (f"{opt}：{extra}" if extra else opt), None
    if t.isdecimal() and 1 <= int(t) <= len(f.options):
        return f.options[int(t) - 1], None
    exact = [o for o in f.options if loose(o) == t]
    if exact:
        return exact[0], None
    part = [o for o in f.options if t in loose(o)]
    if len(part) == 1:
        return part[0], None
    if len(part) > 1:
        starts = [o for o in part if loose(o).startswith(t)]
        if len(starts) == 1:
            return starts[0], None
        return None, f"“{token}”对应多个选项（{'、'.join(part)}），请写完整或回复编号。"
    return None, f"“{_short(token)}”不是表上印的选项。"


def split_choice_text(f: FieldSpec, text: str) -> list[str]:
    """Split a multi-choice answer, keeping printed options that contain separators (、) whole."""
    rest = text
    found: list[str] = []
    for opt in sorted(f.options, key=len, reverse=True):
        if len(opt) > 2 and any(sep in opt for sep in "、，,（("):
            while opt in rest:
                found.append(opt)
                rest = rest.replace(opt, "、", 1)
    tokens = [t for t in re.split(r"[,，、;；/\s]+", to_halfwidth(rest).replace("和", "、")) if t.strip()]
    return found + tokens


def choice_base(value: str) -> str:
    """'其他：混合所有制' → '其他' (the printed option part of a stored choice)."""
    return value.split("：", 1)[0]


def _choice(text: str, ctx: _Ctx) -> FieldResult:
    f = ctx.f
    whole, whole_err = _match_one(f, text)
    hint = f"请回复选项编号或名称：{option_list(f)}"
    if f.type == FieldType.SINGLE_CHOICE:
        if whole is not None:
            return ctx.ok(whole)
        tokens = split_choice_text(f, text)
        if len(tokens) > 1 and all(_match_one(f, t)[0] for t in tokens):
            return ctx.error("single_choice_only", f"“{ctx.name}”只能选一项，您选了{len(tokens)}项。{hint}")
        return ctx.error("not_an_option", f"“{ctx.name}”：{whole_err or '请从选项中选择。'}{hint}")
    if whole is not None:
        return ctx.ok([whole])
    chosen: list[str] = []
    for token in split_choice_text(f, text):
        value, err = _match_one(f, token)
        if value is None:
            return ctx.error("not_an_option", f"“{ctx.name}”：{err or ''}{hint}")
        if choice_base(value) not in [choice_base(c) for c in chosen]:
            chosen.append(value)
    if not chosen:
        return ctx.error("not_an_option", hint)
    order = {o: i for i, o in enumerate(f.options)}
    chosen.sort(key=lambda v: order.get(choice_base(v), 99))
    return ctx.ok(chosen)


# --- contact details and codes ----------------------------------------------------------------------


def _checked(check: Any) -> Any:
    def handler(text: str, ctx: _Ctx) -> FieldResult:
        res: formats.Checked = check(text)
        if res.value is None:
            return ctx.error(res.code or "format", f"“{ctx.name}”：{res.message}")
        return ctx.ok(res.value)

    return handler


# --- repeated rows ----------------------------------------------------------------------------------


def _split_line(line: str, ncols: int) -> list[str]:
    for pattern in (r"[｜|\t]", r"[；;]", r"[，,](?!\d{3})"):
        if re.search(pattern, line):
            return [c.strip() for c in re.split(pattern, line)]
    if ncols > 1:
        return [c for c in re.split(r"\s+", line.strip()) if c]
    return [line.strip()]


def _rows(form: FormSpec | None, f: FieldSpec, raw: Any, ctx: _Ctx) -> FieldResult:
    cols = f.columns
    rows_in: list[dict[str, Any]] = []
    if isinstance(raw, str):
        if len(raw) > MAX_RAW_CHARS:
            return ctx.error("too_long", f"“{ctx.name}”内容过长，请精简后再发送。")
        cleaned = clean_text(raw)
        lines = [ln for ln in cleaned.text.split("\n") if ln.strip()]
        for i, line in enumerate(lines):
            cells = _split_line(line, len(cols))
            if f.key_column and f.row_keys and len(cells) == len(cols) - 1:
                key = re.sub(r"年$", "", to_halfwidth(cells[0]).strip()) if cells else ""
                if key not in f.row_keys and i < len(f.row_keys):
                    cells = [f.row_keys[i], *cells]
            if len(cells) > len(cols):
                return ctx.error(
                    "row_columns",
                    f"“{ctx.name}”第{i + 1}行有{len(cells)}项，应为{len(cols)}项："
                    f"{'｜'.join(c.label for c in cols)}。请用“｜”分隔各项。",
                )
            rows_in.append({c.id: (cells[j] if j < len(cells) else None) for j, c in enumerate(cols)})
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                by_key = {}
                for c in cols:
                    for k in (c.id, c.label):
                        if k in item:
                            by_key[c.id] = item[k]
                unknown = [k for k in item if k not in {c.id for c in cols} | {c.label for c in cols}]
                if unknown:
                    return ctx.error(
                        "row_columns",
                        f"“{ctx.name}”中有未知的列“{unknown[0]}”，可用的列：{'、'.join(c.id for c in cols)}。",
                    )
                rows_in.append(by_key)
            elif isinstance(item, list | tuple):
                if len(item) > len(cols):
                    return ctx.error("row_columns", f"“{ctx.name}”每行最多{len(cols)}项。")
                rows_in.append({c.id: (item[j] if j < len(item) else None) for j, c in enumerate(cols)})
            elif isinstance(item, str):
                rows_in.append(
                    {cols[0].id: item}
                    if len(cols) == 1
                    else dict(zip([c.id for c in cols], _split_line(item, len(cols)), strict=False))
                )
            else:
                return ctx.error("wrong_type", f"“{ctx.name}”的每一行应为文字或表格行。")
    else:
        return ctx.error("wrong_type", f"“{ctx.name}”请每行填写一项，各列之间用“｜”分隔。")
    if len(rows_in) > MAX_ROWS:
        return ctx.error("too_many_rows", f"“{ctx.name}”最多{MAX_ROWS}行，您填写了{len(rows_in)}行。")
    out: list[dict[str, Any]] = []
    seen_keys: set[str] = set()
    for i, row in enumerate(rows_in, 1):
        data_cols = [c for c in cols if c.id != f.key_column]
        if all(is_empty(row.get(c.id)) for c in data_cols):
            continue
        clean: dict[str, Any] = {}
        for c in cols:
            value = row.get(c.id)
            if c.id == f.key_column and f.row_keys:
                key = re.sub(r"年$", "", to_halfwidth(str(value or "")).strip())
                if key not in f.row_keys:
                    return ctx.error(
                        "row_key",
                        f"“{ctx.name}”第{i}行的{c.label}应为{'、'.join(f.row_keys)}之一，您填写的是“{key}”。",
                    )
                if key in seen_keys:
                    return ctx.error("row_key", f"“{ctx.name}”中{key}出现了两次，请每个{c.label}只填一行。")
                seen_keys.add(key)
                clean[c.id] = key
                continue
            res = validate_field(None, c, value, prefix=f"{ctx.name}第{i}行·", stored=ctx.stored)
            if res.errors:
                first = res.errors[0]
                return ctx.error(first.code, first.message)
            if res.empty:
                continue  # a missing required cell is reported by `row_gaps`, like a missing field
            ctx.result.warnings.extend(res.warnings)
            ctx.result.notes.extend(res.notes)
            clean[c.id] = res.value
        out.append(clean)
    if not out:
        ctx.result.empty = True
        return ctx.result
    if f.min_rows and len(out) < f.min_rows:
        return ctx.error("too_few_rows", f"“{ctx.name}”至少填写{f.min_rows}行，您填写了{len(out)}行。")
    key_column = f.key_column
    if f.row_keys and key_column:
        order = {k: i for i, k in enumerate(f.row_keys)}
        out.sort(key=lambda r: order.get(str(r.get(key_column)), len(order)))
    return ctx.ok(out)


def row_gaps(form: FormSpec, f: FieldSpec, value: Any) -> list[Problem]:
    """`required` problems for empty required cells of a rows field (checked before export)."""
    if f.type != FieldType.ROWS or not isinstance(value, list):
        return []
    out = []
    name = form.display(f) if form.has_field(f.id) else f.label
    for i, row in enumerate(value, 1):
        if not isinstance(row, dict):
            continue
        missing = [c.label for c in f.columns if c.required and is_empty(row.get(c.id))]
        if missing:
            out.append(
                Problem(
                    field=f.id,
                    code="required",
                    message=f"“{name}”第{i}行缺少“{'”“'.join(missing)}”，请补上（回复“修改 {name}”重新填写这一栏）。",
                )
            )
    return out


_HANDLERS = {
    FieldType.SHORT_TEXT: _text,
    FieldType.LONG_TEXT: _text,
    FieldType.PERSON_NAME: _person,
    FieldType.COMPANY_NAME: _company,
    FieldType.AMOUNT_WAN: _amount,
    FieldType.PERCENT: _percent,
    FieldType.INTEGER: _integer,
    FieldType.DATE: _date,
    FieldType.SINGLE_CHOICE: _choice,
    FieldType.MULTI_CHOICE: _choice,
    FieldType.MOBILE: _checked(formats.check_mobile),
    FieldType.LANDLINE: _checked(formats.check_landline),
    FieldType.PHONE: _checked(formats.check_phone),
    FieldType.EMAIL: _checked(formats.check_email),
    FieldType.CREDIT_CODE: _checked(formats.check_credit_code),
}


# --- display ----------------------------------------------------------------------------------------


def format_date(value: str) -> str:
    y, m, d = date_parts(value)
    return f"{y}年{m}月" + (f"{d}日" if d is not None else "")


def format_value(f: FieldSpec, value: Any, unit: bool = True) -> str:
    """A stored value as people read it: 1200.0 → '1200万元', '2026-06' → '2026年6月'."""
    if is_empty(value):
        return ""
    try:
        if f.type == FieldType.AMOUNT_WAN:
            return format_number(value) + ("万元" if unit else "")
        if f.type == FieldType.PERCENT:
            return format_number(value) + ("%" if unit else "")
        if f.type == FieldType.INTEGER:
            return format_number(value) + ((f.unit or "") if unit else "")
        if f.type == FieldType.DATE:
            return format_date(str(value))
        if f.type in CHOICE_TYPES and isinstance(value, list):
            return "、".join(str(v) for v in value)
        if f.type == FieldType.ROWS and isinstance(value, list):
            return "；".join(format_row(f, r) for r in ordered_rows(f, value) if len(r) > 1 or not f.row_keys)
    except (ValueError, TypeError, ArithmeticError):
        return str(value)
    return str(value)


def format_row(f: FieldSpec, row: dict[str, Any]) -> str:
    return "｜".join(format_value(c, row.get(c.id)) for c in f.columns)
