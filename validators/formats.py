"""Format checks for codes and contact details: each returns the canonical form or a fix-it message."""

from __future__ import annotations

import re
from dataclasses import dataclass

from validators.normalize import normalize_credit_code, to_halfwidth

# GB 32100-2015: 18 characters; value of a character = its index in this alphabet (no I, O, Z, S, V).
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 3^(i−1) mod 31 for positions 1–17


@dataclass
class Checked:
    value: str | None = None
    code: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code for its first 17 characters."""
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(raw: str) -> Checked:
    """Unified social credit code per GB 32100-2015, including the mod-31 check character.

    Letters are allowed in positions 1–2 (registration authority and organisation type), as the
    standard allows; positions 3–8 are the six-digit administrative division code.
    """
    code = normalize_credit_code(raw)
    if len(code) != 18:
        return Checked(
            code="credit_code_length",
            message=f"统一社会信用代码应为18位，您填写了{len(code)}位。请对照营业执照重新输入。",
        )
    bad = sorted({ch for ch in code if ch not in CREDIT_ALPHABET})
    if bad:
        shown = "、".join(f"“{ch}”" for ch in bad)
        return Checked(
            code="credit_code_chars",
            message=f"统一社会信用代码不使用字母 I、O、Z、S、V 及其他符号，您填写的代码含有{shown}。"
            "请核对（常见的是把数字0、1、2、5写成了字母O、I、Z、S）。",
        )
    if not code[2:8].isdigit():
        return Checked(
            code="credit_code_region",
            message="统一社会信用代码第3至8位是行政区划码，应为6位数字。请对照营业执照核对。",
        )
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return Checked(
            code="credit_code_checksum",
            message=f"统一社会信用代码校验位不符：按 GB 32100-2015 计算第18位应为“{expected}”，"
            f"您填写的是“{code[17]}”。请对照营业执照逐位核对前17位。",
        )
    return Checked(value=code)


def _digits_only(raw: str) -> str:
    return re.sub(r"[\s\-－—()（）.·]", "", to_halfwidth(raw))


def check_mobile(raw: str) -> Checked:
    """Mainland mobile: 11 digits starting 13–19; +86/0086 prefixes and separators are dropped."""
    digits = _digits_only(raw)
    digits = re.sub(r"^(\+?86|0086)(?=1\d{10}$)", "", digits)
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return Checked(value=digits)
    return Checked(
        code="mobile_format",
        message=f"手机号应为11位数字、以13至19开头，如 13812345678；您填写的是“{raw.strip()[:30]}”。",
    )


_LANDLINE = re.compile(r"(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})")
_EXT_MARK = re.compile(r"[(（]?\s*(?:转|分机号?|ext\.?|x|#)\s*[:：]?\s*(\d{1,6})\s*[)）]?$", re.IGNORECASE)
_EXT_HYPHEN = re.compile(r"[\s\-—]+(\d{1,6})$")  # 0731-58226688-801: the last group is the extension
LANDLINE_FORMS = "如 0595-22579329 或 024-23983158；有分机的写成 0731-58226688转801 或 0731-58226688-801"


def _landline(digits: str) -> str | None:
    """'073158226688' → '0731-58226688': a 3-digit area code (010, 02x) takes 8 digits, others 7–8."""
    m = _LANDLINE.fullmatch(digits)
    if m is None or (len(m.group(1)) == 3 and len(m.group(2)) != 8):
        return None
    return f"{m.group(1)}-{m.group(2)}"


def check_landline(raw: str) -> Checked:
    """Landline with area code: 010/02x + 8 digits or 0xxx + 7–8 digits, optional extension.

    The extension may follow 转/分机/ext or, as often printed, a last hyphen (0731-58226688-801);
    it is stored as 0731-58226688转801.
    """
    text = to_halfwidth(raw).strip()
    ext = ""
    m_ext = _EXT_MARK.search(text)
    if m_ext:
        ext = m_ext.group(1)
        text = re.sub(r"[\s\-—]+$", "", text[: m_ext.start()])
    digits = _digits_only(text)
    if re.fullmatch(r"[48]00\d{7}", digits):
        return Checked(value=f"{digits[:3]}-{digits[3:6]}-{digits[6:]}" + (f"转{ext}" if ext else ""))
    number = _landline(digits)
    m_hyphen = _EXT_HYPHEN.search(text) if number is None and not ext else None
    if m_hyphen:
        head = _digits_only(text[: m_hyphen.start()])
        number = _landline(head)
        if number is not None or re.fullmatch(r"[2-9]\d{6,7}", head):
            digits, ext = head, m_hyphen.group(1)
    if number is not None:
        return Checked(value=number + (f"转{ext}" if ext else ""))
    if re.fullmatch(r"[2-9]\d{6,7}", digits):
        shown = f"0595-{digits}" + (f"转{ext}" if ext else "")
        return Checked(
            code="landline_area_code",
            message=f"座机号码请加上区号，如 {shown}；您填写的“{raw.strip()[:30]}”缺少区号。",
        )
    return Checked(
        code="landline_format",
        message=f"座机号码格式应为“区号-号码”，{LANDLINE_FORMS}；您填写的是“{raw.strip()[:30]}”。",
    )


def check_phone(raw: str) -> Checked:
    """Either a mobile or a landline with area code (for cells printed as 电话 or 联系方式)."""
    mobile = check_mobile(raw)
    if mobile.ok:
        return mobile
    land = check_landline(raw)
    if land.ok or land.code == "landline_area_code":
        return land
    return Checked(
        code="phone_format",
        message=f"请填写手机号（如 13812345678）或带区号的座机（如 0595-22579329，分机写成 0731-58226688-801）；"
        f"您填写的是“{raw.strip()[:30]}”。",
    )


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}")


def check_email(raw: str) -> Checked:
    """A plain address like name@example.com; full-width ＠ and 。 are accepted and converted."""
    text = to_halfwidth(raw).strip().replace("。", ".").replace(" ", "")
    if _EMAIL.fullmatch(text) and ".." not in text:
        local, _, domain = text.partition("@")
        return Checked(value=f"{local}@{domain.lower()}")
    return Checked(
        code="email_format",
        message=f"电子邮箱格式不对，应类似 kj22579329@163.com；您填写的是“{raw.strip()[:40]}”。",
    )
