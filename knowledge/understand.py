"""Question → what it is about: notices named, topic, and the enterprise's own figures and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from knowledge.retrieve import mentioned_notices
from knowledge.tokenize import normalize_text

TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "deadline": (
        "截止",
        "最晚",
        "什么时候",
        "何时",
        "哪天",
        "几号",
        "期限",
        "来得及",
        "赶得上",
        "过期",
        "时间",
        "日期",
        "几月",
        "批次",
        "deadline",
        "多久",
        "时间安排",
    ),
    "eligibility": (
        "条件",
        "资格",
        "能报",
        "能不能报",
        "可以报",
        "能申报",
        "能否申报",
        "还能",
        "符合",
        "门槛",
        "要求",
        "营收",
        "收入",
        "不得申报",
        "哪些单位",
        "哪类",
        "对象",
        "能揭榜",
        "可以揭榜",
        "谁可以",
        "行不行",
        "个人",
        "自然人",
        "个体户",
    ),
    "funding": (
        "资金",
        "补助",
        "资助",
        "补贴",
        "多少钱",
        "拨付",
        "经费",
        "财政",
        "比例",
        "上限",
        "最多",
        "万元",
        "给多少",
        "出资",
        "自筹",
        "到账",
        "分期",
        "金额",
        "钱",
    ),
    "form_field": (
        "表里",
        "表中",
        "栏",
        "填什么",
        "怎么填",
        "填写",
        "字数",
        "限多少字",
        "多少字",
        "栏目",
        "表格",
        "填哪",
        "选项",
        "选哪",
        "可选",
        "勾选",
    ),
    "procedure": (
        "流程",
        "怎么报",
        "如何报",
        "报送",
        "提交",
        "交到",
        "交给",
        "几份",
        "纸质",
        "电子版",
        "报给",
        "程序",
        "平台",
        "盖章",
    ),
    "contact": ("联系", "电话", "咨询", "找谁", "邮箱", "联系人", "科室", "哪个部门"),
    "period": ("实施周期", "周期", "实施期限", "执行期", "实施期", "攻关时限", "多长时间", "几年", "多少年"),
    "comparison": ("分别", "对比", "比较", "哪个最", "哪个高", "各是", "区别", "不同", "一样吗", "这几个"),
}

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
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
AMOUNT = re.compile(
    r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)\s*(亿|千万|百万|万)(?:元)?"
)
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
MONTH_DAY = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def cn_number(text: str) -> float | None:
    """一千二百 → 1200, 三点五 → 3.5; digits pass through; None when not a number."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    if "点" in text:
        whole, frac = text.split("点", 1)
        w = cn_number(whole) if whole else 0.0
        digits = "".join(str(_CN_DIGITS.get(c, "")) for c in frac)
        if w is None or not digits:
            return None
        return w + float("0." + digits)
    total, cur = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (cur or 1) * _CN_UNITS[ch]
            cur = 0
        else:
            return None
    return float(total + cur)


def amounts_wan(text: str) -> list[tuple[float, int, int]]:
    """Every amount in 万元 with its span: 6000万, 1.2亿, 一千二百万, 5百万."""
    out = []
    scale = {"万": 1.0, "百万": 100.0, "千万": 1000.0, "亿": 10000.0}
    for m in AMOUNT.finditer(text):
        value = cn_number(m.group(1))
        if value is not None:
            out.append((value * scale[m.group(2)], m.start(), m.end()))
    return out


@dataclass
class Query:
    """A question after normalisation, with what the composers need to know about it."""

    raw: str
    text: str
    notices: list[str]
    topics: list[str]
    amounts: list[float] = field(default_factory=list)
    percents: list[float] = field(default_factory=list)
    dates: list[tuple[int | None, int, int]] = field(default_factory=list)
    inherited_notices: bool = False

    @property
    def topic(self) -> str:
        return self.topics[0] if self.topics else "other"

    def has(self, *words: str) -> bool:
        return any(w in self.text for w in words)


@dataclass
class Context:
    """What a follow-up question may rely on: the notices of the previous turn."""

    notices: list[str] = field(default_factory=list)
    topic: str | None = None
    today: date | None = None


# "实施期限" asks how long a project runs, not when something is due.
PERIOD_PHRASES = ("实施期限", "执行期限", "实施周期", "执行期", "攻关时限")


def topics_of(text: str) -> list[str]:
    scored = []
    for topic, words in TOPIC_KEYWORDS.items():
        probe = text
        if topic == "deadline":
            for phrase in PERIOD_PHRASES:
                probe = probe.replace(phrase, "")
        hits = sum(1 for w in words if w in probe)
        if hits:
            scored.append((hits, topic))
    order = list(TOPIC_KEYWORDS)
    scored.sort(key=lambda x: (-x[0], order.index(x[1])))
    return [t for _, t in scored]


def understand(question: str, context: Context | None = None) -> Query:
    text = normalize_text(question)
    named = mentioned_notices(question)
    inherited = False
    if not named and context and context.notices:
        named, inherited = list(context.notices), True
    topics = topics_of(text)
    if len(named) >= 2 and "comparison" not in topics and not inherited:
        topics.insert(0, "comparison")
    return Query(
        raw=question,
        text=text,
        notices=named,
        topics=topics,
        amounts=[a for a, _, _ in amounts_wan(text)],
        percents=[float(m.group(1)) for m in PERCENT.finditer(text)],
        dates=[(int(y) if y else None, int(mo), int(d)) for y, mo, d in MONTH_DAY.findall(text)],
        inherited_notices=inherited,
    )
