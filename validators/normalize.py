"""Input normalisation: turn what people type in a chat into canonical values before any rule runs.

Amounts end up in 万元 ("1,200万", "1 200万元", "一千二百万", "壹仟贰佰万元", "1.2亿", "１２００", "￥12,000,000"
all become 1200); numerals are read by `knowledge.numbers.parse_numeral`, shared with the answer engine;
codes are upper-cased and de-spaced, text is stripped of control characters. Functions here never
raise on user input: they return a value or a short Chinese reason.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from knowledge.numbers import parse_numeral

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


@dataclass
class Parsed:
    """A parsed number in the field's unit, or the reason it could not be parsed."""

    value: Decimal | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    yuan: bool = False  # written in yuan without 万/亿 ('￥300', '3000000元'): worth echoing back


_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_SPACES = re.compile(r"[\s\u3000\u00a0\u2009\u202f]+")
# Markers that say the figure is in yuan: ¥ (U+00A5) and ￥ (U+FFE5) are one sign typed two ways.
_CURRENCY_PREFIX = re.compile(r"^(?:人民币|rmb|cny|[¥￥])[:：]?", re.IGNORECASE)
_CURRENCY_SUFFIX = re.compile(r"(?:人民币|rmb|cny)$", re.IGNORECASE)
_YUAN_SUFFIX = ("块钱", "元", "圆", "块")  # 圆 is the 大写 form of 元, as on cheques and contracts


def _compact_number_text(raw: str) -> str:
    text = to_halfwidth(raw).strip()
    text = _SPACES.sub("", text)
    text = _THOUSANDS.sub("", text)
    return text.replace("．", ".").replace("。", ".") if re.fullmatch(r"[\d。．.]+.*", text) else text


def parse_amount_wan(raw: str) -> Parsed:
    """An amount in 万元: '1,200万' → 1200, '1.2亿' → 12000, '叁佰万元' → 300, '1200' → 1200.

    A bare number is already in the field's unit, 万元. With 万/亿 inside, or marked as yuan by
    元/圆/块, ￥/¥, RMB/CNY or 人民币 ('￥3,000,000.00', '3000000元人民币'), it is in yuan and is converted.
    """
    text = _compact_number_text(raw)
    yuan = False
    while True:  # 人民币叁佰万元整, 300万元人民币, 3000000元整: peel the words around the figure
        before = text
        text = text.removesuffix("整")
        text, n = _CURRENCY_SUFFIX.subn("", text)
        yuan = yuan or n > 0
        if text == before:
            break
    sign = -1 if text[:1] in ("-", "负", "−") else 1
    text = text[1:] if sign < 0 else text
    text, n = _CURRENCY_PREFIX.subn("", text)
    yuan = yuan or n > 0
    if sign > 0 and text[:1] in ("-", "负", "−"):  # ￥-300 as well as -￥300
        sign, text = -1, text[1:]
    text = re.sub(r"(?<=\d)[wW](?=元?$)", "万", text)  # 300w: 万 as typed online
    if not text:
        return Parsed(error="empty")
    for word in _YUAN_SUFFIX:
        if text.endswith(word) and len(text) > len(word):
            text, yuan = text[: -len(word)], True
            break
    value = parse_numeral(text)
    if value is None:
        return Parsed(error="not_a_number")
    magnitude = any(ch in text for ch in "万萬亿億")
    if yuan or magnitude:
        return Parsed(value=sign * value / 10_000, yuan=yuan and not magnitude)
    return Parsed(value=sign * value)


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
    value = parse_numeral(text)
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
