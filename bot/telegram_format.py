"""Telegram HTML for the engine's answers: escaped text, numbered sources, and tag-safe splitting.

Everything that reaches Telegram in HTML parse mode is built here, so escaping happens in one place:
every piece of engine or user text goes through `html.escape` before it is wrapped in a tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from html import escape

from knowledge.cite import display
from knowledge.types import Answer, Citation, Notice

MESSAGE_LIMIT = 4096
SAFE_LIMIT = 4000  # stay clear of the limit: Telegram counts UTF-16 units after parsing entities
PASSAGE_LIMIT = 1500
TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);|\n|[^<&\n]|[<&]"
)
MARKER = re.compile(r"\[(\d+)\]")


def utf16_len(text: str) -> int:
    """Telegram measures message length in UTF-16 code units; an emoji counts 2."""
    return len(text.encode("utf-16-le")) // 2


# -- splitting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    raw: str
    kind: str  # "open", "close" or "text"
    name: str = ""


def _tokens(html: str) -> list[_Tok]:
    out = []
    for m in TOKEN.finditer(html):
        raw = m.group(0)
        if m.group(2) is None:
            out.append(_Tok(raw, "text"))
        elif m.group(1):
            out.append(_Tok(raw, "close", m.group(2).lower()))
        else:
            out.append(_Tok(raw, "open", m.group(2).lower()))
    return out


def _closing(stack: list[_Tok]) -> str:
    return "".join(f"</{t.name}>" for t in reversed(stack))


def _visible(part: str) -> str:
    return re.sub(r"<[^<>]*>", "", part).strip()


def split_html(html: str, limit: int = SAFE_LIMIT) -> list[str]:
    """Cut Telegram HTML into messages of at most `limit` UTF-16 units without breaking a tag or entity.

    Cuts fall on a line break when one is in the second half of the piece; tags open at a cut are
    closed at its end and reopened at the start of the next piece, so each piece parses on its own.
    """
    if utf16_len(html) <= limit:
        return [html.strip("\n")] if _visible(html) else []
    toks = _tokens(html)
    parts: list[str] = []
    stack: list[_Tok] = []
    i = 0
    while i < len(toks):
        cur = [t.raw for t in stack]
        size = sum(utf16_len(r) for r in cur)
        start_stack = list(stack)
        best: tuple[int, list[_Tok], int] | None = None
        j = i
        while j < len(toks):
            tok = toks[j]
            nxt = stack
            if tok.kind == "open":
                nxt = [*stack, tok]
            elif tok.kind == "close" and stack and stack[-1].name == tok.name:
                nxt = stack[:-1]
            if size + utf16_len(tok.raw) + utf16_len(_closing(nxt)) > limit:
                break
            cur.append(tok.raw)
            size += utf16_len(tok.raw)
            stack = nxt
            j += 1
            if tok.raw == "\n":
                best = (j, list(stack), len(cur))
        if j < len(toks):
            if j == i:
                raise ValueError(f"limit {limit} is too small for the tags around this text")
            if (
                best is not None
                and best[0] > i
                and 2 * (best[2] - len(start_stack)) >= len(cur) - len(start_stack)
            ):
                j, stack, keep = best
                cur = cur[:keep]
        part = "".join(cur) + _closing(stack)
        if _visible(part):
            parts.append(part.strip("\n"))
        i = j
    return parts


# -- answers ------------------------------------------------------------------------------------


def _body(text: str) -> str:
    """Escape the answer text and make its [n] markers bold, so they read as references."""
    return MARKER.sub(r"<b>[\1]</b>", escape(text, quote=False))


def citation_html(c: Citation) -> str:
    return f"<b>[{c.n}]</b> {escape(c.path, quote=False)}\n<blockquote>{escape(display(c.quote), quote=False)}</blockquote>"


def answer_html(ans: Answer) -> str:
    """The answer, then its numbered sources, each with its verbatim quote."""
    out = [_body(ans.answer)]
    if ans.citations:
        out.append("\n\n<b>来源</b>")
        for c in ans.citations:
            out.append("\n" + citation_html(c))
    return "".join(out)


def answer_messages(ans: Answer, limit: int = SAFE_LIMIT) -> list[str]:
    return split_html(answer_html(ans), limit)


def passage_html(notice: Notice, path: str, text: str, start: int, end: int) -> str:
    """A cited passage in full: the whole paragraph around the quote, the quote itself underlined."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    para_start = max(para_start, start - PASSAGE_LIMIT)
    para_end = min(para_end, end + PASSAGE_LIMIT)
    before, quote, after = text[para_start:start], text[start:end], text[end:para_end]
    header = f"<b>{escape(notice.short)} · {escape(notice.title)}</b>\n{escape(notice.issuer)}"
    if notice.doc_number:
        header += f" · {escape(notice.doc_number)}"
    return (
        f"{header}\n<i>{escape(path, quote=False)}</i>\n\n"
        f"{escape(before.lstrip(), quote=False)}<u>{escape(quote, quote=False)}</u>{escape(after.rstrip(), quote=False)}"
    )


# -- dates and notices --------------------------------------------------------------------------


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def bullet_lines(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)
