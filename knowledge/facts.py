"""Curated facts: typed rules, deadlines and contacts, each resting on a verbatim quote of its notice.

Loading fails when a quote is not in the notice text, so a fact can never drift from its source.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge.corpus import get_notice

FACTS_DIR = Path(__file__).parent / "facts"
ZHEJIANG_DOC = "zhejiang"


class FactError(ValueError):
    """A facts file is inconsistent with the notices; the message names the fact."""


class Fact(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    notice: str
    doc: str | None = None
    kind: str
    label: str
    quote: str
    extra_quote: str | None = None
    keywords: list[str] = Field(default_factory=list)
    note: str | None = None
    actor: str | None = None
    date: dt.date | None = None
    start: dt.date | None = None
    bound: str | None = None
    time: str | None = None
    period: str | None = None
    year_note: str | None = None
    see: list[str] = Field(default_factory=list)

    def span(self, which: str = "quote") -> tuple[int, int]:
        text = get_notice(self.notice).text
        quote = getattr(self, which)
        pos = text.find(quote)
        return pos, pos + len(quote)

    def number(self, key: str) -> Any:
        return (self.model_extra or {}).get(key)


@lru_cache(maxsize=1)
def all_facts() -> tuple[Fact, ...]:
    facts: list[Fact] = []
    for path in sorted(FACTS_DIR.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            fact = Fact(**raw)
            text = get_notice(fact.notice).text
            for which in ("quote", "extra_quote"):
                quote = getattr(fact, which)
                if quote is not None and quote not in text:
                    raise FactError(
                        f"{path.name}: fact {fact.id} {which} is not verbatim in {fact.notice}: {quote!r}"
                    )
            facts.append(fact)
    ids = [f.id for f in facts]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise FactError(f"duplicate fact ids: {sorted(dupes)}")
    known = set(ids)
    for f in facts:
        for ref in f.see:
            if ref not in known:
                raise FactError(f"fact {f.id} refers to unknown fact {ref}")
    return tuple(facts)


def fact(fact_id: str) -> Fact:
    for f in all_facts():
        if f.id == fact_id:
            return f
    raise KeyError(fact_id)


def facts_for(notice_id: str, kinds: set[str] | None = None) -> list[Fact]:
    return [f for f in all_facts() if f.notice == notice_id and (kinds is None or f.kind in kinds)]
