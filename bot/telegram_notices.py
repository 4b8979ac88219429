"""Notice cards and key dates for /notices, /deadlines and inline mode, each date with its verbatim quote.

The dates are the catalogue's deadline facts (`knowledge/catalogue/*.yaml`) that the chat answers use
too, so the bot and the answers can never disagree: each carries who must act, its verbatim quote,
and the notice's own ambiguities (“…前” never says whether the day itself counts; a collection window
may end after the mailbox deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape

from bot.telegram_format import bullet_lines, cn_date, status_text
from knowledge.catalogue import DATED, ambiguities_of, facts_of
from knowledge.chunks import path_at
from knowledge.cite import display
from knowledge.corpus import get_notice, notices
from knowledge.types import Notice

KINDS = {"deadline": "截止", "opens": "开始", "window": "征集截止"}
ACTORS = {
    "applicant": "申报单位",
    "recommender": "推荐、初审单位",
    "authority": "主管部门",
    "solver": "揭榜方",
}


@dataclass(frozen=True)
class KeyDate:
    """A date a notice sets, with the clause that says so and who must act by then."""

    notice: str
    day: date
    kind: str  # "deadline", "window" (last day of a window) or "opens"
    start: int
    end: int
    path: str
    label: str = ""
    actor: str | None = None
    bound: str | None = None
    note: str | None = None
    time: str | None = None

    @property
    def quote(self) -> str:
        return get_notice(self.notice).text[self.start : self.end]


@lru_cache(maxsize=16)
def key_dates(notice_id: str) -> tuple[KeyDate, ...]:
    """Deadlines, windows and opening dates of one notice, in date order."""
    out: list[KeyDate] = []
    for f in facts_of(notice_id):
        if f.kind not in DATED or f.date is None:
            continue
        s, e = f.span()
        path = path_at(notice_id, s)
        if f.start is not None:
            out.append(KeyDate(notice_id, f.start, "opens", s, e, path, f.label, f.actor))
        kind = "window" if f.kind == "window" else "deadline"
        notes = [f.note] if f.note else [a.note for a in ambiguities_of(f) if a.note]
        note = notes[0] if notes else None
        out.append(KeyDate(notice_id, f.date, kind, s, e, path, f.label, f.actor, f.bound, note, f.time))
    return tuple(sorted(out, key=lambda k: (k.day, k.kind != "opens")))


def all_key_dates() -> list[KeyDate]:
    return sorted((k for n in notices() for k in key_dates(n.id)), key=lambda k: (k.day, k.notice))


def key_status(k: KeyDate, today: date) -> str:
    """Status against today; on the day of a “…前” deadline, say the text leaves the day itself open."""
    if k.day == today and k.bound == "before":
        return "就是今天（通知写的是“…前”，未说明当天是否仍可提交，请尽快提交或电话确认）"
    if k.day == today and k.kind == "window":
        return "今天是最后一天"
    return status_text(k.day, today)


def key_date_line(k: KeyDate, today: date, with_notice: bool = False) -> str:
    who = f"<b>{escape(get_notice(k.notice).short)}</b> " if with_notice else ""
    actor = f"（{ACTORS[k.actor]}）" if k.actor in ACTORS else ""
    lines = [
        f"{who}{cn_date(k.day)}{k.time or ''}{KINDS.get(k.kind, '')} · <b>{escape(key_status(k, today), quote=False)}</b>",
        f"{escape(k.label, quote=False)}{actor}",
        f"<blockquote>{escape(display(k.quote), quote=False)}</blockquote>",
    ]
    if k.note:
        lines.append(f"⚠️ {escape(k.note, quote=False)}")
    lines.append(f"<i>出处：{escape(k.path, quote=False)}</i>")
    return "\n".join(lines)


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
