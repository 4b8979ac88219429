"""Passage search that also uses the fact catalogue: a chunk holding the quote of a fact that matches
the question is lifted, so the passage a user is shown is the one whose rule answers them.

The hybrid BM25 + dense scores of `knowledge.retrieve` stay the base; the facts add evidence the
chunks' own words may lack (a fact's natural questions and canonical metric and topic tokens). Used by
`jiebang search` and `jiebang eval retrieval`; answers themselves come from the facts directly.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from knowledge.chunks import all_chunks
from knowledge.fact_search import THRESHOLD, score_facts
from knowledge.retrieve import HybridSearcher, check_query, quantize
from knowledge.types import Hit
from knowledge.understand import understand

# Weight of the best matching fact (its score over the best fact's score) added to a chunk's fused score.
FACT_WEIGHT = 0.6


@lru_cache(maxsize=1)
def _chunk_spans() -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for c in all_chunks():
        out.setdefault(c.notice, []).append((c.start, c.end, c.id))
    return out


def fact_evidence(query: str, notices: list[str] | None, shipped: list[str]) -> dict[str, float]:
    """Chunk id → the best relative score of a fact (≥ the answer threshold) quoted inside it."""
    q = understand(query)
    scope = notices or q.notices or shipped
    found: dict[str, float] = {}
    best = 0.0
    scored = []
    for part in q.parts:
        for nid in scope:
            for s in score_facts(part, q, nid)[:8]:
                if s.score >= THRESHOLD:
                    scored.append(s)
                    best = max(best, s.score)
    spans = _chunk_spans()
    for s in scored:
        for quote in s.fact.quotes:
            start, end = s.fact.span(quote)
            for cs, ce, cid in spans.get(s.fact.notice, []):
                if cs < end and start < ce:
                    found[cid] = max(found.get(cid, 0.0), s.score / best)
    return found


def search_passages(
    searcher: HybridSearcher, query: str, k: int = 5, notices: list[str] | None = None
) -> list[Hit]:
    """The hybrid search's ranking, lifted by the facts that answer the question."""
    from knowledge.corpus import shipped_notice_ids

    query = check_query(query)
    fused = searcher.scores(query, notices)
    evidence = fact_evidence(query, notices, list(shipped_notice_ids()))
    if evidence:
        by_id = {c.id: i for i, c in enumerate(searcher.chunks)}
        lift = np.zeros(len(searcher.chunks), dtype=np.float64)
        for cid, weight in evidence.items():
            if cid in by_id and fused[by_id[cid]] >= 0:
                lift[by_id[cid]] = FACT_WEIGHT * weight
        fused = quantize(fused + lift)
    order = np.argsort(-fused, kind="stable")[:k]
    return [Hit(chunk=searcher.chunks[i], score=round(float(fused[i]), 4)) for i in order if fused[i] > 0]
