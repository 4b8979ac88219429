"""Notice cards and key dates for /notices, /deadlines and inline mode, each date with its verbatim quote.

The dates are read from the notice texts themselves (a date followed by 前, a sentence saying 截止,
a 征集时间 range, 开放填报), so every date the bot shows can be cited and checked against the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape

from bot.telegram_format import bullet_lines, cn_date, status_text
from knowledge.chunks import all_chunks
from knowledge.cite import display, fit
from knowledge.corpus import get_notice, notices
from knowledge.types import Notice

DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
SENTENCE = re.compile(r"[^。；\n]+[。；]?")
CLAUSE_END = re.compile(r"[，,。；]")
BEFORE = re.compile(r"\s*(?:\d{1,2}[:：]\d{2}\s*)?前")
KINDS = {"deadline": "截止", "opens": "开始", "window": "征集"}


@dataclass(frozen=True)
class KeyDate:
    """A date a notice sets, with the clause that says so."""

    notice: str
    day: date
    kind: str  # "deadline" or "opens"
    start: int
    end: int
    path: str

    @property
    def quote(self) -> str:
        return get_notice(self.notice).text[self.start : self.end]


def path_at(notice_id: str, offset: int) -> str:
    """The section path of the chunk that holds an offset, for citing a span outside any answer."""
    for c in all_chunks():
        if c.notice == notice_id and c.start <= offset < c.end:
            return c.path_str
    return get_notice(notice_id).short


def _kind(sentence: str, m: re.Match[str], rest: str, index: int, count: int) -> str | None:
    if BEFORE.match(rest) or "截止" in rest[:12]:
        return "deadline"
    if rest.lstrip().startswith("开放"):
        return "opens"
    if "征集时间" in sentence and count == 2:
        return "opens" if index == 0 else "deadline"
    if "截止" in sentence:
        return "deadline"
    return None


def _clause(text: str, lo: int, hi: int, start: int, end: int) -> tuple[int, int]:
    """The clause around a date, one more clause when it is too short to read alone, ≤ MAX_QUOTE."""
    a = max((text.rfind(ch, lo, start) + 1 for ch in "，,"), default=lo)
    a = max(a, lo)
    b = end
    for _ in range(2):
        m = CLAUSE_END.search(text, b, hi)
        b = m.end() if m else hi
        if b - a >= 30:
            break
    a, b = fit(text, a, b, text[start:end])
    while a < b and text[a].isspace():
        a += 1
    return a, b


@lru_cache(maxsize=16)
def key_dates(notice_id: str) -> tuple[KeyDate, ...]:
    """Deadlines and opening dates of one notice, in text order."""
    notice = get_notice(notice_id)
    text = notice.text
    out: list[KeyDate] = []
    for sm in SENTENCE.finditer(text):
        sentence = sm.group(0)
        matches = list(DATE.finditer(sentence))
        year = notice.year
        for i, m in enumerate(matches):
            year = int(m.group(1)) if m.group(1) else year
            rest = sentence[m.end() : m.end() + 20]
            kind = _kind(sentence, m, rest, i, len(matches))
            if kind is None:
                continue
            try:
                day = date(year, int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            s, e = _clause(text, sm.start(), sm.end(), sm.start() + m.start(), sm.start() + m.end())
            out.append(KeyDate(notice_id, day, kind, s, e, path_at(notice_id, sm.start() + m.start())))
    return tuple(out)


def all_key_dates() -> list[KeyDate]:
    return sorted((k for n in notices() for k in key_dates(n.id)), key=lambda k: (k.day, k.notice))


def key_date_line(k: KeyDate, today: date, with_notice: bool = False) -> str:
    who = f"<b>{escape(get_notice(k.notice).short)}</b> " if with_notice else ""
    return (
        f"{who}{cn_date(k.day)}{KINDS.get(k.kind, '')} · <b>{status_text(k.day, today)}</b>\n"
        f"<blockquote>{escape(display(k.quote), quote=False)}</blockquote>"
        f"<i>出处：{escape(k.path, quote=False)}</i>"
    )


def notice_card(notice: Notice, today: date) -> str:
    """One notice: title, issuer, number, date, attachments and its key dates with their status."""
    lines = [f"<b>{escape(notice.short)}（{notice.year}年）</b> {escape(notice.title)}"]
    meta = [escape(notice.issuer), escape(notice.doc_number or "无文号")]
    meta.append(f"{cn_date(notice.issue_date)}印发" if notice.issue_date else "未印发文日期")
    lines.append(" · ".join(meta))
    if notice.attachments:
        lines.append("附件：" + "；".join(f"{a.n}. {escape(a.title)}" for a in notice.attachments))
    dates = key_dates(notice.id)
    if dates:
        lines.append("\n<b>关键日期</b>")
        lines.extend(key_date_line(k, today) for k in dates)
    else:
        lines.append("\n通知没有写明截止日期。")
    return "\n".join(lines)


def deadlines_html(today: date) -> str:
    items = all_key_dates()
    upcoming = [k for k in items if k.day >= today]
    head = f"<b>各通知的关键日期</b>（今天是 {cn_date(today)}，北京时间）"
    if not upcoming:
        head += "\n收录通知的日期都已过去；实际安排请以当地科技主管部门的最新通知为准。"
    return head + "\n\n" + "\n\n".join(key_date_line(k, today, with_notice=True) for k in items)


def notices_overview() -> str:
    return bullet_lines(f"<b>{escape(n.short)}</b>（{n.year}年）{escape(n.title)}" for n in notices())
