"""Blocks → chunks: sentence-whole spans of one section of one document, offsets into the file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from knowledge.corpus import get_notice, notices
from knowledge.parse import normalize_ws, parse_notice
from knowledge.types import Block, Chunk, Notice

SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」）)]*")


class ChunkSettings(BaseModel):
    """Part of the index key: changing these rebuilds the index."""

    model_config = ConfigDict(frozen=True)

    max_chars: int = 220
    version: int = 4


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside [start, end), each ending at its terminal punctuation; whitespace trimmed."""
    pos = start
    for m in SENTENCE_END.finditer(text, start, end):
        yield from _trimmed(text, pos, m.end())
        pos = m.end()
    yield from _trimmed(text, pos, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def _pieces(block: Block, text: str, max_chars: int) -> Iterator[tuple[int, int]]:
    """A block as is when it fits, else packed runs of whole sentences."""
    if block.end - block.start <= max_chars:
        yield block.start, block.end
        return
    cur: tuple[int, int] | None = None
    for s, e in sentence_spans(text, block.start, block.end):
        if cur is None:
            cur = (s, e)
        elif e - cur[0] <= max_chars:
            cur = (cur[0], e)
        else:
            yield cur
            cur = (s, e)
    if cur is not None:
        yield cur


def _is_bare_heading(block: Block) -> bool:
    """A heading line with no sentence of its own: it belongs with what follows it."""
    return (
        not block.boundary
        and len(block.text) <= 30
        and block.path[-1] == block.text.rstrip("：:")[: len(block.path[-1])]
        and not SENTENCE_END.search(block.text)
    )


def chunk_notice(notice: Notice, settings: ChunkSettings | None = None) -> list[Chunk]:
    settings = settings or ChunkSettings()
    _, blocks = parse_notice(notice)
    text = notice.text
    chunks: list[Chunk] = []
    cur: list[tuple[Block, int, int]] = []

    def emit() -> None:
        if not cur:
            return
        first, s, _ = cur[0]
        last = cur[-1][0]
        e = cur[-1][2]
        chunks.append(
            Chunk(
                id=f"{notice.id}:{s}-{e}",
                notice=notice.id,
                doc=first.doc,
                path=last.path,
                kind=last.kind,
                start=s,
                end=e,
                text=normalize_ws(text[s:e]),
            )
        )
        cur.clear()

    for block in blocks:
        for s, e in _pieces(block, text, settings.max_chars):
            if cur:
                head = cur[0][0]
                same = head.doc == block.doc and head.path == block.path and head.kind == block.kind
                glued = (
                    all(_is_bare_heading(b) for b, _, _ in cur)
                    and head.doc == block.doc
                    and not block.boundary
                    and block.path[: len(head.path)] == head.path
                )
                too_long = e - cur[0][1] > settings.max_chars
                if too_long or (not glued and (not same or block.boundary or head.boundary)):
                    emit()
            cur.append((block, s, e))
    emit()
    return chunks


@lru_cache(maxsize=4)
def all_chunks(settings: ChunkSettings | None = None) -> tuple[Chunk, ...]:
    """Every chunk of the shipped notices, computed once per process."""
    return tuple(c for n in notices() for c in chunk_notice(n, settings))


def path_at(notice_id: str, offset: int) -> str:
    """The section path of the chunk that holds an offset, for citing a span outside any answer."""
    for c in all_chunks():
        if c.notice == notice_id and c.start <= offset < c.end:
            return c.path_str
    return get_notice(notice_id).short
