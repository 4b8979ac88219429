"""Figures as people and notices write them → numbers: amounts in 万元, percentages, counts and dates.

Handles Arabic, Chinese and financial (大写) numerals, full-width digits (after `normalize_text`),
thousands separators, ¥/RMB/元 (yuan) against 万/亿 units, and 千万/百万 scales. Used both to check
the catalogue (a printed value must read as its typed value) and to read a user's own figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_CHARS = "".join([*CN_DIGITS, *CN_SMALL_UNITS, *CN_BIG_UNITS])
UNIT_ONLY = set("十拾百佰千仟万萬亿億")

NUM = rf"(?:\d+(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_CHARS}]+(?:点[{''.join(CN_DIGITS)}]+)?)"
AMOUNT = re.compile(
    rf"(?P<cur>¥|rmb|人民币)?\s*(?P<num>{NUM})\s*(?:个多?(?=亿|千万|百万)|来(?=万|亿))?(?P<unit>亿元|亿|千万元|千万|百万元|百万|万元|万块|万|千元|元|块)"
)  # 1.5个亿, 两个多亿: spoken amounts (个 only before 亿/千万/百万 in practice)
_SMALL_NUM = rf"\d+(?:\.\d+)?|[{''.join([*CN_DIGITS, *CN_SMALL_UNITS])}]+"
MIXED_YI = re.compile(
    rf"(?P<high>{_SMALL_NUM})\s*[亿億]\s*零?\s*(?P<low>{_SMALL_NUM})\s*(?P<unit>千万|百万|万|萬)(?:元|块)?"
)
BARE_YUAN = re.compile(
    r"(?P<cur>¥|rmb|人民币)\s*(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?!\d|[.,]\d|\s*[万亿千百元块])"
)  # ¥1,800,000，财政…: a clause's comma after the amount is no separator
SCALE_WAN = {
    "亿": 10_000.0,
    "亿元": 10_000.0,
    "千万": 1_000.0,
    "千万元": 1_000.0,
    "百万": 100.0,
    "百万元": 100.0,
    "万": 1.0,
    "万元": 1.0,
    "万块": 1.0,
    "千元": 0.1,
    "元": 0.0001,
    "块": 0.0001,
}
PERCENT = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?)\s*%|百分之(?P<cn>[{CN_CHARS}]+(?:点[{''.join(CN_DIGITS)}]+)?)"
    r"|(?<![一二两三四五六七八九十\d])(?P<tenths>[一二两三四五六七八九])成(?![果本立功绩员为熟交就效型]|不变)"
)
COUNT = re.compile(rf"(?P<num>\d+|[{CN_CHARS}]+)\s*(?P<unit>项|个|份|家|名|人|年|周岁|天|批|字|次|县|所)")
DATE = re.compile(
    rf"(?:(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年)?\s*(?P<m>\d{{1,2}}|[{CN_CHARS}]{{1,3}})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|[{CN_CHARS}]{{1,3}})\s*[日号]"
)
ISO_DATE = re.compile(r"(?P<y>20\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")


def cn_number(text: str) -> float | None:
    """一千二百 → 1200, 壹仟贰佰 → 1200, 三点五 → 3.5, 二〇二五 → 2025; digits pass through; else None."""
    value = parse_numeral(text.strip().replace(",", ""))
    return float(value) if value is not None else None


_NUMERAL_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{CN_CHARS}点]")


def parse_numeral(text: str) -> Decimal | None:
    """The value of a whole numeral, exactly: the one parser for the answer engine and the form validators.

    Reads Arabic, Chinese and financial (大写) numerals and mixes of them: 一千二百万, 壹仟贰佰,
    1亿2000万, 3千万, 1.2亿, 一点五亿, 二〇二五 (digit by digit), and the spoken shorthand 两万五 =
    25000, 三百五 = 350 (a last lone digit counts in the next lower unit). 万 and 亿 are magnitudes,
    so 300万 is 3000000. Returns None when `text` is anything but a number (no signs, units or spaces).
    """
    if not text or _NUMERAL_TOKEN.sub("", text):
        return None
    tokens = _NUMERAL_TOKEN.findall(text)
    if len(tokens) > 40:
        return None  # nobody writes a number that long; 亿亿亿… would only overflow
    if len(tokens) > 1 and all(t in CN_DIGITS for t in tokens):
        return Decimal("".join(str(CN_DIGITS[t]) for t in tokens))
    total = Decimal(0)  # completed 亿 groups
    section = Decimal(0)  # completed 万 groups below the current 亿
    small = Decimal(0)  # 十/百/千 parts below 万
    number: Decimal | None = None  # digits not yet multiplied by a unit
    frac: list[str] | None = None  # digits after 点
    last_unit = 0  # the unit just before `number`, for the 两万五 shorthand
    lone = False  # `number` is one digit written right after a unit
    arabic = False  # `number` was written in Arabic digits
    for tok in tokens:
        if tok[0].isdigit():
            if (number is not None and number != 0) or frac is not None:
                return None  # 2 3, 一2; but 300万零5千 is fine
            number, lone, arabic = Decimal(tok), len(tok) == 1 and last_unit > 0, True
            continue
        if tok in CN_DIGITS:
            d = CN_DIGITS[tok]
            if frac is not None:
                frac.append(str(d))
            elif number is not None:
                if arabic:
                    return None  # 2五
                number, lone = Decimal(d), False  # 一两百, an approximate 100–200, reads as 两百
            else:
                number, lone = Decimal(d), last_unit > 0 and tok not in "零〇"
            last_unit = 0 if tok in "零〇" else last_unit
            continue
        if tok == "点":
            if frac is not None or (number is not None and number != number.to_integral_value()):
                return None
            frac, lone = [], False
            continue
        if frac is not None:
            if not frac:
                return None  # 一点万
            number, frac = _with_fraction(number, frac), None
        unit = CN_SMALL_UNITS.get(tok) or CN_BIG_UNITS[tok]
        if unit < 10_000:
            small += (number if number is not None else Decimal(1)) * unit
        elif unit == 10_000:
            group = section + small + (number or 0)
            section = (group or Decimal(1)) * unit
            small = Decimal(0)
        else:
            group = total + section + small + (number or 0)
            total = (group or Decimal(1)) * unit
            section = small = Decimal(0)
        number, lone, last_unit, arabic = None, False, unit, False
    if frac is not None:
        if not frac:
            return None  # 三点
        number = _with_fraction(number, frac)
        lone = False
    if number is not None and lone and number < 10:
        number = number * last_unit / 10  # 两万五 = 2万 + 5千
    return total + section + small + (number or 0)


def _with_fraction(number: Decimal | None, frac: list[str]) -> Decimal:
    return Decimal(f"{int(number or 0)}.{''.join(frac) or '0'}")


@dataclass(frozen=True)
class Figure:
    """A number found in text: its value in `unit`, where it is, and how it was written."""

    value: float
    unit: str  # 万元 | %
    start: int
    end: int
    raw: str


def find_amounts(text: str) -> list[Figure]:
    """Every money amount in normalised text, in 万元. A bare number counts only with ¥/RMB before it."""
    out: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for m in MIXED_YI.finditer(text):  # 1亿2千万, 一亿两千万: one amount, not 1亿 and 2千万 (nor 1亿零2千 万)
        high, low = cn_number(m.group("high")), cn_number(m.group("low"))
        if high is None or low is None:
            continue
        wan = high * SCALE_WAN["亿"] + low * SCALE_WAN[m.group("unit").replace("萬", "万")]
        out.append(Figure(round(wan, 6), "万元", m.start(), m.end(), m.group(0).strip()))
        taken.append((m.start(), m.end()))
    matches = [*AMOUNT.finditer(text), *BARE_YUAN.finditer(text)]
    for m in sorted(matches, key=lambda m: m.start()):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        num, unit = m.group("num"), m.groupdict().get("unit")
        if set(num) <= UNIT_ONLY and not (unit or "").endswith(("元", "块")):
            continue  # 千万不要, 万一: words, not amounts
        if num[0] in CN_CHARS and num[0] in UNIT_ONLY and num[0] not in "十拾":
            continue
        value = cn_number(num)
        if value is None:
            continue
        scale = SCALE_WAN[unit] if unit else SCALE_WAN["元"]
        out.append(Figure(round(value * scale, 6), "万元", m.start(), m.end(), m.group(0).strip()))
    return out


def parse_amount_wan(text: str) -> float | None:
    """The single amount in `text`, in 万元 (300万元 → 300, 1亿元 → 10000, ¥3,000,000 → 300)."""
    found = find_amounts(text)
    return found[0].value if len(found) == 1 else None


def find_percents(text: str) -> list[Figure]:
    out = []
    for m in PERCENT.finditer(text):
        if m.group("tenths"):  # 三成 = 30%
            tenths = cn_number(m.group("tenths"))
            value = tenths * 10 if tenths is not None else None
        else:
            value = float(m.group("num")) if m.group("num") else cn_number(m.group("cn"))
        if value is not None:
            out.append(Figure(value, "%", m.start(), m.end(), m.group(0)))
    return out


def parse_percent(text: str) -> float | None:
    found = find_percents(text)
    return found[0].value if len(found) == 1 else None


def parse_count(text: str) -> float | None:
    """The single count in `text` (3项 → 3, 一式三份 → 3, 70周岁 → 70, 限500字 → 500, 2年 → 2)."""
    found = [m for m in COUNT.finditer(text) if cn_number(m.group("num")) is not None]
    if len(found) != 1:
        return None
    return cn_number(found[0].group("num"))


@dataclass(frozen=True)
class DateMention:
    year: int | None
    month: int
    day: int
    start: int
    end: int


def find_dates(text: str) -> list[DateMention]:
    """Calendar dates in normalised text: 2023年2月15日, 9月15号, 二〇二三年二月十五日, 2023-02-15."""
    out = []
    for m in DATE.finditer(text):
        y = cn_number(m.group("y")) if m.group("y") else None
        mo, d = cn_number(m.group("m")), cn_number(m.group("d"))
        if mo is None or d is None or not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        out.append(DateMention(int(y) if y else None, int(mo), int(d), m.start(), m.end()))
    for m in ISO_DATE.finditer(text):
        mo, d = int(m.group("m")), int(m.group("d"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            out.append(DateMention(int(m.group("y")), mo, d, m.start(), m.end()))
    return sorted(out, key=lambda x: x.start)


def fmt_wan(value: float) -> str:
    """1亿元 / 1.3亿元 rather than 13000万元, as people say it; otherwise N万元."""
    if value >= 10_000 and round(value / 10_000, 4) == round(value / 10_000, 2):
        return f"{fmt_num(value / 10_000)}亿元"
    return f"{fmt_num(value)}万元"


def fmt_num(value: float) -> str:
    """Up to four decimals, never rounded up past a bound (299.9999, not 300) nor in exponent form."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
