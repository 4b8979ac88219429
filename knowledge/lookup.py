"""Rule cards for hotline staff, as they type: the catalogue's typed facts that match a few words.

No composing and no verdicts, so it stays fast enough to run on every keystroke: the words are read
the way `knowledge.fact_search` reads questions (jieba tokens plus one canonical token per metric and
topic term, IDF-weighted), a notice the words name narrows the search to it, and an ask word
(截止, 电话, 补助…) lifts the facts of the kinds it asks for. Each card carries its verbatim quote
and where it is in the notice; a dated card carries its status against today.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from knowledge.catalogue import DATED, OP_WORDS, Fact, Kind, vocabulary
from knowledge.chunks import path_at
from knowledge.corpus import get_notice, notice_ids, shipped_notice_ids
from knowledge.fact_search import canonical_tokens, fact_index
from knowledge.key_dates import day_state, status_text
from knowledge.mentions import mentioned_notices
from knowledge.tokenize import normalize_text
from knowledge.understand import ask_terms, find_terms, strip_notice_names

MAX_LOOKUP = 200
MIN_SCORE = 0.25
# What a card shows first when only a notice is named: its dates, money, contacts, then the rest.
KIND_ORDER = {
    Kind.DEADLINE: 0,
    Kind.WINDOW: 0,
    Kind.THRESHOLD: 1,
    Kind.CAP: 1,
    Kind.RATE: 1,
    Kind.QUOTA: 2,
    Kind.CONTACT: 2,
    Kind.CHANNEL: 3,
    Kind.COPIES: 3,
    Kind.WHO: 4,
}


def _kinds_asked(norm: str) -> list[str]:
    asks = vocabulary().asks
    out: list[str] = []
    for _, _, ask in find_terms(norm, ask_terms()):
        out += [k for k in asks.get(ask, {}).get("kinds", []) if k not in out]
    return out


def fact_value(f: Fact) -> str | None:
    """The fact's figure or list as printed, for the card's headline (None: the quote says it all)."""
    if f.kind in (Kind.THRESHOLD, Kind.CAP) and f.printed:
        return f"{OP_WORDS.get(f.op or '', '')}{f.printed}"
    if f.kind == Kind.RATE and f.printed:
        return f.printed + (f"，最多{f.cap_printed}" if f.cap_printed else "")
    if f.kind == Kind.SCHEDULE and f.parts:
        return "、".join(f"{p.label}{p.percent:g}%" for p in f.parts)
    if f.kind in (Kind.QUOTA, Kind.PERIOD, Kind.COPIES) and (f.printed or f.when):
        return f.printed or f.when
    if f.kind == Kind.DATE:
        return f.when or (f.date.isoformat() if f.date else None)
    if f.kind == Kind.LIST and f.items:
        return "、".join(f.items)
    if f.kind == Kind.AMBIGUITY:
        return f.note
    return None


def fact_card(f: Fact, today: date) -> dict[str, Any]:
    """One fact as a card: kind, label, value, the quote and its place; dates and contacts typed."""
    start, end = f.span()
    card: dict[str, Any] = {
        "id": f.id,
        "notice": f.notice,
        "notice_short": get_notice(f.notice).short,
        "kind": f.kind.value,
        "label": f.label,
        "value": fact_value(f),
        "quote": f.quote,
        "path": path_at(f.notice, start),
        "start": start,
        "end": end,
        "note": f.note,
    }
    if f.kind in DATED and f.date is not None:
        card["date"] = f.date.isoformat()
        card["time"] = f.time
        card["status"] = day_state(f.date, today)
        card["status_text"] = status_text(f.date, today)
    if f.kind == Kind.CONTACT:
        card.update(office=f.office, person=f.person, phones=list(f.phones), email=f.email)
    return card


@lru_cache(maxsize=1024)
def _ranked(text: str) -> tuple[str, ...]:
    """Ids of the facts that match the typed words, best first (cached: typing repeats prefixes)."""
    index = fact_index()
    norm = normalize_text(text)
    named = mentioned_notices(text)
    scope = named or notice_ids()
    rest = strip_notice_names(norm, named) if named else norm
    q_tokens = set(canonical_tokens(rest))
    kinds = _kinds_asked(norm)
    shipped_ids = set(shipped_notice_ids())
    scored: list[tuple[float, int, int]] = []
    for nid in scope:
        shipped = nid in shipped_ids
        total = sum(index.weight(t, shipped) for t in q_tokens) or 1.0
        for i in index.by_notice.get(nid, ()):
            f = index.facts[i]
            if q_tokens:
                score = sum(index.weight(t, shipped) for t in q_tokens & index.tokens[i]) / total
                score += 0.1 * sum(index.weight(t, shipped) for t in q_tokens & index.label_tokens[i]) / total
            else:
                score = MIN_SCORE  # only a notice named: all its facts, in a useful order
            if kinds:
                score += 0.25 if f.kind.value in kinds else -0.1
            if f.kind == Kind.FORM_ITEM and "表" not in norm:
                score -= 0.05
            if score >= MIN_SCORE:
                scored.append((score, KIND_ORDER.get(f.kind, 5), i))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    return tuple(index.facts[i].id for _, _, i in scored)


def lookup(text: str, today: date, limit: int = 8) -> list[dict[str, Any]]:
    """Cards for what a hotline operator types (a place and 截止, 电话, 研发投入…), best first."""
    text = text.strip()[:MAX_LOOKUP]
    if not text:
        return []
    by_id = _facts_by_id()
    return [fact_card(by_id[fid], today) for fid in _ranked(text)[:limit]]


@lru_cache(maxsize=1)
def _facts_by_id() -> dict[str, Fact]:
    return {f.id: f for f in fact_index().facts}
