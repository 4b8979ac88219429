"""Input normalisation: turn what people type in a chat into canonical values before any rule runs.

Amounts end up in 万元 ("1,200万", "1 200万元", "一千二百万", "1.2亿", "１２００" all become 1200),
codes are upper-cased and de-spaced, text is stripped of control characters. Functions here never
raise on user input: they return a value or a short Chinese reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MAX_RAW_CHARS = 20_000  # anything longer is refused before parsing (a 100 KB paste gets a clear message)

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and ASCII punctuation → half-width; ideographic space → space."""
    return text.translate(_FULLWIDTH)


_ZERO_WIDTH = {0x200B, 0x200C, 0x2060, 0xFEFF, 0x00AD}
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F}


@dataclass
class CleanText:
    text: str
    removed: int = 0


def clean_text(raw: str) -> CleanText:
    """Normalise line breaks and Unicode form; drop control, zero-width and bidi characters."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    kept: list[str] = []
    removed = 0
    for ch in text:
        cp = ord(ch)
        cat = unicodedata.category(ch)
        if ch in "\n\t":
            kept.append(ch)
        elif cat in ("Cc", "Cs", "Co", "Cn") or cp in _ZERO_WIDTH or cp in _BIDI:
            removed += 1
        else:
            kept.append(ch)
    out = "".join(kept).replace("\t", " ")
    out = re.sub(r"[ \u3000]+\n", "\n", out)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return CleanText(out.strip(), removed)


_PRINTABLE_SYMBOLS = {0x2605, 0x2606, 0x2610, 0x2611, 0x2612, 0x2713, 0x2714}  # ★☆☐☑☒✓✔ print fine


def find_emoji(text: str) -> str | None:
    """The first emoji or pictograph in a text, if any (they do not print in 宋体 on an official form)."""
    for ch in text:
        cp = ord(ch)
        if cp in _PRINTABLE_SYMBOLS:
            continue
        if (
            cp >= 0x1F000
            or 0x2600 <= cp <= 0x27BF
            or 0x2B00 <= cp <= 0x2BFF
            or cp in (0xFE0F, 0x200D, 0x20E3, 0x3030, 0x303D)
        ):
            return ch
    return None


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿点]")


def parse_cn_number(text: str) -> Decimal | None:
    """Parse Chinese and mixed numerals: 一千二百万, 1.2亿, 3千万, 一点五, 1亿2000万 → a Decimal.

    Returns None when the text is not a number. 万 and 亿 are magnitudes, so the result is in units.
    """
    if not text or _TOKEN.sub("", text):
        return None
    tokens = _TOKEN.findall(text)
    total = Decimal(0)  # completed 亿-groups
    section = Decimal(0)  # completed 万-groups below the current 亿
    small = Decimal(0)  # below 万
    number: Decimal | None = None
    frac: list[str] | None = None
    prev_digit = False
    for tok in tokens:
        if tok[0].isdigit():
            if number is not None and prev_digit:
                return None
            number = Decimal(tok)
            prev_digit = True
            continue
        if tok in _CN_DIGITS:
            d = _CN_DIGITS[tok]
            if frac is not None:
                frac.append(str(d))
            else:
                number = (number or Decimal(0)) * 10 + d if prev_digit else Decimal(d)
            prev_digit = True
            continue
        prev_digit = False
        if tok == "点":
            if frac is not None:
                return None
            frac = []
            prev_digit = False
            continue
        if frac is not None:
            number = Decimal(f"{int(number or 0)}.{''.join(frac) or '0'}")
            frac = None
        if tok in _CN_SMALL:
            small += (number if number is not None else Decimal(1)) * _CN_SMALL[tok]
            number = None
        elif tok == "万":
            section = (section + small + (number or 0)) * 10_000
            small, number = Decimal(0), None
        elif tok == "亿":
            total = (total + section + small + (number or 0)) * 100_000_000
            section, small, number = Decimal(0), Decimal(0), None
    if frac is not None:
        number = Decimal(f"{int(number or 0)}.{''.join(frac) or '0'}")
    return total + section + small + (number or 0)


@dataclass
class Parsed:
    """A parsed number in the field's unit, or the reason it could not be parsed."""

    value: Decimal | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2009\u202f]+")


def _compact_number_text(raw: str) -> str:
    text = to_halfwidth(raw).strip()
    text = _SPACES.sub("", text)
    text = _THOUSANDS.sub("", text)
    text = text.replace("．", ".").replace("。", ".") if re.fullmatch(r"[\d。．.]+.*", text) else text
    for prefix in ("人民币", "RMB", "rmb", "CNY", "￥", "¥"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def parse_amount_wan(raw: str) -> Parsed:
    """An amount in 万元: '1,200万' → 1200, '1.2亿' → 12000, '3500000元' → 350, '1200' → 1200."""
    text = _compact_number_text(raw)
    if text.endswith("整"):
        text = text[:-1]
    if not text:
        return Parsed(error="empty")
    if text[0] in "-负−":
        inner = parse_amount_wan(text[1:])
        return Parsed(value=-inner.value) if inner.value is not None else inner
    body = text[:-1] if text.endswith("元") else text
    # With 元, 万 or 亿 the number is in yuan; a bare number is already in the field's unit, 万元.
    in_yuan = text.endswith("元") or any(ch in body for ch in "万亿")
    value = parse_cn_number(body)
    if value is None:
        return Parsed(error="not_a_number")
    return Parsed(value=value / 10_000 if in_yuan else value)


def parse_plain_number(raw: str, unit_words: tuple[str, ...] = ()) -> Parsed:
    """A number without magnitude words: integers, percents, counts ('120人', '5.2%', '百分之五')."""
    text = _compact_number_text(raw)
    if text.startswith("百分之"):
        text = text[3:]
    for word in (*unit_words, "%", "％"):
        if word and text.endswith(word):
            text = text[: -len(word)]
    if not text:
        return Parsed(error="empty")
    if text.startswith("-") and len(text) > 1:
        inner = parse_plain_number(text[1:])
        return Parsed(value=-inner.value) if inner.value is not None else inner
    value = parse_cn_number(text)
    if value is None:
        try:
            value = Decimal(text)
        except InvalidOperation:
            return Parsed(error="not_a_number")
        if not value.is_finite():
            return Parsed(error="not_a_number")
    return Parsed(value=value)


def format_number(value: float | int | Decimal | None) -> str:
    """1200.0 → '1200', 12.5 → '12.5', 0.0001 → '0.0001' (never scientific notation)."""
    if value is None:
        return ""
    d = Decimal(str(value)).normalize()
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def normalize_credit_code(raw: str) -> str:
    """Upper-case, half-width, without spaces, hyphens or dots: how codes are compared and stored."""
    return re.sub(r"[\s\-－—_.·]", "", to_halfwidth(raw)).upper()


def loose(text: str) -> str:
    """Text for matching options: half-width, lower-case, without spaces and light punctuation."""
    return re.sub(r"[\s□○●☑√✓✔“”\"'‘’]", "", to_halfwidth(text)).lower()
