"""An answer under construction: lines that cite verbatim sources by marker, and the computed figures.

Shared by the composers and `knowledge.answer`, which numbers the citations and runs the grounding
guard: every number in the answer's text is in a cited quote or among the shown computed results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.corpus import get_notice
from knowledge.tokenize import normalize_text

NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Source:
    """A quote the answer rests on, before numbering: notice id and verbatim offsets."""

    notice: str
    path: str
    start: int
    end: int

    @property
    def quote(self) -> str:
        return get_notice(self.notice).text[self.start : self.end]


@dataclass
class Draft:
    """Lines of an answer; each refers to its sources by `[n]` markers handed out by `cite`."""

    topic: str
    lines: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    refused: bool = False
    weak: bool = False

    def cite(self, source: Source) -> str:
        """Add a source (deduplicated) and return its marker."""
        for i, s in enumerate(self.sources):
            if (s.notice, s.start, s.end) == (source.notice, source.start, source.end):
                return f"[{i + 1}]"
        self.sources.append(source)
        return f"[{len(self.sources)}]"

    def add(self, line: str) -> None:
        """Append a line unless the same line is already there."""
        if line not in self.lines:
            self.lines.append(line)


def numbers_in(text: str) -> set[str]:
    return {n.lstrip("0") or "0" for n in NUMBER.findall(normalize_text(text))}


def grounded(draft: Draft) -> bool:
    """Every number in the answer text is in a cited quote or among the shown computed results."""
    return not ungrounded_numbers(draft)


def ungrounded_numbers(draft: Draft) -> set[str]:
    allowed: set[str] = set()
    for s in draft.sources:
        allowed |= numbers_in(s.quote) | numbers_in(s.path)
    for c in draft.computed:
        allowed |= numbers_in(c)
    body = "\n".join(draft.lines)
    body = re.sub(r"\[\d+\]|附件\s*\d+", "", body)
    return numbers_in(body) - allowed
