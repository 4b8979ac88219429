"""Notice cards and key dates for /notices, /deadlines and inline mode, each date with its verbatim quote.

The dates are the catalogue's deadline facts (`knowledge/catalogue/*.yaml`) that the chat answers use
too, so the bot and the answers can never disagree: each carries who must act, its verbatim quote,
and the notice's own ambiguities (“…前” never says whether the day itself counts; a collection window
may end after the mailbox deadline).
"""

from __future__ import annotations

from datetime import date
from html import escape

from bot.telegram_format import bullet_lines, cn_date
from knowledge.cite import display
from knowledge.corpus import get_notice, notices
from knowledge.key_dates import ACTORS, KINDS, KeyDate, all_key_dates, key_dates, key_status
from knowledge.types import Notice

__all__ = ["KeyDate", "all_key_dates", "key_dates", "key_status"]


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
