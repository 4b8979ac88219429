"""Verbatim quotes: cut a span of a notice into chat-sized pieces at sentence or clause boundaries."""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.corpus import get_notice
from knowledge.parse import ARTEFACT, normalize_ws
from knowledge.tokenize import normalize_text
from knowledge.types import Citation

MAX_QUOTE = 120
UNIT_END = re.compile(r"[。！？；!?;\n]+[”’」）)]*")
CLAUSE_END = re.compile(r"[，、,：:]")


def units(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence-or-line spans of [start, end), trimmed, artefacts and tab cells dropped."""
    pos = start
    for m in UNIT_END.finditer(text, start, end):
        yield from _clean(text, pos, m.end())
        pos = m.end()
    yield from _clean(text, pos, end)


def _clean(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    while s < e:
        if text[s].isspace():
            s += 1
            continue
        m = ARTEFACT.match(text, s, e)
        if m:
            s = m.end()
            continue
        break
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e and re.search(r"[^\s\d□○（）()：:、.．]", text[s:e]):
        yield s, e


def fit(text: str, s: int, e: int, focus: str = "", limit: int = MAX_QUOTE) -> tuple[int, int]:
    """Shrink [s, e) to ≤ limit characters at clause boundaries, keeping the part that best covers focus."""
    if e - s <= limit:
        return s, e
    cuts = [s] + [m.end() for m in CLAUSE_END.finditer(text, s, e)] + [e]
    focus_n = normalize_text(focus)
    best, best_score = (s, min(e, s + limit)), -1.0
    for i, a in enumerate(cuts):
        for b in cuts[i + 1 :]:
            if b - a > limit:
                break
            piece = normalize_text(text[a:b])
            score = sum(1 for ch in set(focus_n) if ch in piece) + (b - a) / 1000
            if score > best_score:
                best, best_score = (a, b), score
    a, b = best
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def make_citation(n: int, notice_id: str, path: str, start: int, end: int) -> Citation:
    text = get_notice(notice_id).text
    return Citation(n=n, notice=notice_id, path=path, quote=text[start:end], start=start, end=end)


def display(quote: str) -> str:
    return normalize_ws(quote)


def find_span(notice_id: str, quote: str) -> tuple[int, int]:
    """Offsets of a verbatim quote in a notice; ValueError when it is not there."""
    text = get_notice(notice_id).text
    pos = text.find(quote)
    if pos < 0:
        raise ValueError(f"quote not found verbatim in {notice_id}: {quote!r}")
    return pos, pos + len(quote)
