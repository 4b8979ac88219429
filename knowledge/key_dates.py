"""Every dated step of every notice, with its verbatim clause and its status against today.

Transport-free, so the web API and any other front end list the same dates as the Telegram
`/deadlines` command (whose HTML lives in `bot/telegram_notices.py`): the dates are the catalogue's
deadline and window facts that the chat answers use too, each with who must act, its quote, and the
notice's own ambiguities (“…前” never says whether the day itself counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from knowledge.catalogue import DATED, ambiguities_of, facts_of
from knowledge.chunks import path_at
from knowledge.corpus import get_notice, notices

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


@lru_cache(maxsize=64)
def key_dates(notice_id: str) -> tuple[KeyDate, ...]:
    """Deadlines, windows and opening dates of one notice, in date order."""
    out: list[KeyDate] = []
    for f in facts_of(notice_id):
        if f.kind not in DATED or f.date is None:
            continue
        s, e = f.span()
        path = path_at(notice_id, s)
        if f.start is not None:  # the opening day, quoted where it is printed (a deadline's `also`)
            day = f"{f.start.month}月{f.start.day}日"
            said = next((q for q in f.quotes if day in q), f.quote)
            os_, oe = f.span(said)
            out.append(
                KeyDate(notice_id, f.start, "opens", os_, oe, path_at(notice_id, os_), f.label, f.actor)
            )
        kind = "window" if f.kind == "window" else "deadline"
        notes = [f.note] if f.note else [a.note for a in ambiguities_of(f) if a.note]
        note = notes[0] if notes else None
        out.append(KeyDate(notice_id, f.date, kind, s, e, path, f.label, f.actor, f.bound, note, f.time))
    return tuple(sorted(out, key=lambda k: (k.day, k.kind != "opens")))


def all_key_dates() -> list[KeyDate]:
    """Every notice's key dates, earliest first."""
    return sorted((k for n in notices() for k in key_dates(n.id)), key=lambda k: (k.day, k.notice))


def status_text(day: date, today: date) -> str:
    """Whether a date has passed, counted in whole days against today in Asia/Shanghai."""
    delta = (day - today).days
    if delta < 0:
        return f"已过（{-delta} 天前）"
    if delta == 0:
        return "就是今天"
    return f"还有 {delta} 天"


def key_status(k: KeyDate, today: date) -> str:
    """Status against today; on the day of a “…前” deadline, say the text leaves the day itself open."""
    if k.day == today and k.bound == "before":
        return "就是今天（通知写的是“…前”，未说明当天是否仍可提交，请尽快提交或电话确认）"
    if k.day == today and k.kind == "window":
        return "今天是最后一天"
    return status_text(k.day, today)


def day_state(day: date, today: date) -> str:
    """A machine-readable status: "passed", "today" or "upcoming"."""
    if day < today:
        return "passed"
    return "today" if day == today else "upcoming"


def key_date_json(k: KeyDate, today: date) -> dict[str, Any]:
    """One key date as plain data: what, when, who, status, and the clause that says so."""
    return {
        "notice": k.notice,
        "notice_short": get_notice(k.notice).short,
        "date": k.day.isoformat(),
        "time": k.time,
        "kind": k.kind,
        "kind_label": KINDS.get(k.kind, ""),
        "label": k.label,
        "actor": k.actor,
        "actor_label": ACTORS.get(k.actor or ""),
        "bound": k.bound,
        "status": day_state(k.day, today),
        "status_text": key_status(k, today),
        "days": (k.day - today).days,
        "quote": k.quote,
        "path": k.path,
        "start": k.start,
        "end": k.end,
        "note": k.note,
    }
