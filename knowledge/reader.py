"""A notice as a reader shows it: its headings with their offsets, and the whole paragraph around a
cited span (what the Telegram source button shows), so any front end can open a citation in context.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from knowledge.chunks import path_at
from knowledge.corpus import get_notice
from knowledge.parse import parse_notice
from knowledge.types import Section

PASSAGE_LIMIT = 1500  # characters shown on either side of a quote at most, as in the Telegram bot
MAX_SPAN = 5000


class SpanError(ValueError):
    """A span that is not inside the notice; the message says what a valid span is."""


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """The paragraph around a quote: its text and offsets, and where the quote sits inside it."""

    notice: str
    heading: str
    text: str
    start: int
    end: int
    quote_start: int
    quote_end: int


@lru_cache(maxsize=64)
def headings(notice_id: str) -> tuple[Heading, ...]:
    """Documents (level 0) and section headings of a notice in file order; table rows are left out."""
    root, _ = parse_notice(get_notice(notice_id))
    out: list[Heading] = []

    def walk(node: Section) -> None:
        for child in node.children:
            if child.kind != "row":
                out.append(Heading(child.level, child.title, child.start, child.end))
                walk(child)

    walk(root)
    return tuple(out)


def paragraph(notice_id: str, start: int, end: int) -> Paragraph:
    """The whole line-paragraph holding [start, end), at most `PASSAGE_LIMIT` characters either side."""
    text = get_notice(notice_id).text
    if not (0 <= start < end <= len(text)) or end - start > MAX_SPAN:
        raise SpanError(
            f"位置 {start}–{end} 不在这份通知里：起点应小于终点，且都在 0 到 {len(text)} 之间"
            f"（一次最多 {MAX_SPAN} 字）。请用回答引用里给出的 start 和 end。"
        )
    para_start = max(text.rfind("\n", 0, start) + 1, start - PASSAGE_LIMIT)
    found = text.find("\n", end)
    para_end = min(len(text) if found < 0 else found, end + PASSAGE_LIMIT)
    while para_start < start and text[para_start].isspace():
        para_start += 1
    while para_end > end and text[para_end - 1].isspace():
        para_end -= 1
    return Paragraph(
        notice=notice_id,
        heading=path_at(notice_id, start),
        text=text[para_start:para_end],
        start=para_start,
        end=para_end,
        quote_start=start,
        quote_end=end,
    )
