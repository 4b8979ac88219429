"""Query → hits: BM25 over jieba tokens fused with dense Chroma search, optionally scoped to notices.

The shipped notices and any extra ones (`extra_corpus_dir`) are scored as two separate corpora: each
has its own BM25 index (IDF, average length), its own dense candidates and its own normalisation, so
a shipped chunk's fused score is bit for bit what it is when no extra notice exists.

The search path talks to the Chroma collection directly and never imports llama-index (a second of
cold start); `knowledge.llama_retriever` wraps the same searcher as a llama-index retriever.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import bm25s
import numpy as np

from knowledge.chunks import all_chunks
from knowledge.corpus import shipped_notice_ids
from knowledge.mentions import (  # noqa: F401 - re-exported for callers of the search API
    MAX_QUERY_CHARS,
    QueryError,
    alias_table,
    check_notices,
    check_query,
    mentioned_notices,
)
from knowledge.settings import Settings, get_settings
from knowledge.tokenize import tokenize
from knowledge.types import Chunk, Hit

DENSE_CANDIDATES = 100
OFF_SCOPE_FACTOR = 0.35
# Scores are rounded to this many decimals before fusion and ranking, and ties keep corpus order:
# float differences between CPUs (SIMD widths in BLAS, hnswlib and numpy reductions) stay below it.
SCORE_DECIMALS = 4


def quantize(scores: np.ndarray) -> np.ndarray:
    """Round to SCORE_DECIMALS in float64, so near-equal scores on two machines compare equal."""
    return np.round(scores.astype(np.float64), SCORE_DECIMALS)


def lexical_text(chunk: Chunk) -> str:
    return f"{' '.join(chunk.path[1:])} {chunk.text}"


@dataclass(frozen=True)
class Partition:
    """Chunks scored as a corpus of their own: the shipped notices, or the extra ones."""

    rows: np.ndarray  # positions in HybridSearcher.chunks
    notices: frozenset[str]
    shipped: bool
    bm25: bm25s.BM25

    def wanted(self, scope: list[str] | None) -> bool:
        return not scope or not self.notices.isdisjoint(scope)


@dataclass
class HybridSearcher:
    """Holds the chunks, the BM25 indexes and (when enabled) the dense store for one process."""

    settings: Settings
    chunks: Sequence[Chunk] = field(default_factory=all_chunks)
    dense_weight: float | None = None

    def __post_init__(self) -> None:
        shipped = set(shipped_notice_ids())
        own = np.array([c.notice in shipped for c in self.chunks], dtype=bool)
        self._shipped = frozenset(shipped)
        self._parts = [self._partition(np.flatnonzero(m), m is own) for m in (own, ~own) if m.any()]
        self._by_id = {c.id: i for i, c in enumerate(self.chunks)}
        self._notice_of = np.array([c.notice for c in self.chunks])
        lengths = np.array([len(c.text) for c in self.chunks], dtype=np.float32)
        self._prior = 0.6 + 0.4 * np.minimum(1.0, lengths / 40.0)
        self._store: Any = None
        self._embedding: Any = None
        self._lock = threading.Lock()
        if self.dense_weight is None:
            self.dense_weight = self.settings.fusion_dense_weight
        if self.settings.embedding.strip() in ("", "none"):
            self.dense_weight = 0.0

    def _partition(self, rows: np.ndarray, shipped: bool) -> Partition:
        bm25 = bm25s.BM25()
        bm25.index([tokenize(lexical_text(self.chunks[i])) or ["∅"] for i in rows], show_progress=False)
        notices = frozenset(self.chunks[i].notice for i in rows)
        return Partition(rows=rows, notices=notices, shipped=shipped, bm25=bm25)

    # -- the two retrievers -------------------------------------------------------------------
    def bm25_scores(self, query: str, scope: list[str] | None = None) -> np.ndarray:
        """Raw BM25 of every chunk against its own partition's index; 0 in partitions outside `scope`."""
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        tokens = tokenize(query)
        if not tokens:
            return scores
        for part in self._parts:
            if part.wanted(scope):
                scores[part.rows] = np.asarray(part.bm25.get_scores(tokens), dtype=np.float32)
        return scores

    def _dense_store(self) -> tuple[Any, Any]:
        with self._lock:
            if self._store is None:
                from knowledge.embedding import make_query_embedder
                from knowledge.index import chroma_client, ensure_index

                status = ensure_index(settings=self.settings)
                self._store = chroma_client(self.settings).get_collection(status.collection)
                self._embedding = make_query_embedder(self.settings.embedding)
        return self._store, self._embedding

    def _dense_filters(self, scope: list[str] | None) -> list[dict[str, Any] | None]:
        """One Chroma `where` per partition, so each partition gets its own top candidates."""
        if len(self._parts) == 1:
            return [{"notice": {"$in": scope}} if scope else None]
        filters: list[dict[str, Any] | None] = []
        for part in self._parts:
            if scope:
                ids = [n for n in scope if n in part.notices]
                if ids:
                    filters.append({"notice": {"$in": ids}})
            elif part.shipped:
                filters.append({"notice": {"$in": sorted(part.notices)}})
            else:
                filters.append({"notice": {"$nin": sorted(self._shipped)}})
        return filters

    def dense_scores(self, query: str, scope: list[str] | None = None) -> np.ndarray:
        """Similarity exp(-cosine distance), as ChromaVectorStore reports it, for the top candidates
        of each partition; 0 elsewhere."""
        collection, embed = self._dense_store()
        vector = embed(query)
        scores = np.zeros(len(self.chunks), dtype=np.float32)
        for where in self._dense_filters(scope):
            result = collection.query(
                query_embeddings=[vector],
                n_results=DENSE_CANDIDATES,
                where=where,
                include=["distances"],
            )
            for node_id, distance in zip(result["ids"][0], (result["distances"] or [[]])[0], strict=False):
                idx = self._by_id.get(node_id)
                if idx is not None:
                    scores[idx] = max(math.exp(-float(distance)), 0.0)
        return quantize(scores)

    # -- fusion -------------------------------------------------------------------------------
    def scores(self, query: str, notices: list[str] | None = None, auto_scope: bool = True) -> np.ndarray:
        """Fused score of every chunk: each partition normalised on its own, then the length prior and
        the scope (outside an explicit scope -1, outside the notices a query names ×0.35)."""
        bm = quantize(self.bm25_scores(query, notices))
        w = float(self.dense_weight or 0.0)
        dense = self.dense_scores(query, notices) if w > 0 else None
        fused = np.zeros(len(self.chunks), dtype=np.float64)
        for part in self._parts:
            if part.wanted(notices):
                fused[part.rows] = self._fuse(bm[part.rows], None if dense is None else dense[part.rows], w)
        fused = fused * self._prior
        if notices:
            fused = np.where(np.isin(self._notice_of, notices), fused, -1.0)
        elif auto_scope:
            named = mentioned_notices(query)
            if named:
                fused = np.where(np.isin(self._notice_of, named), fused, fused * OFF_SCOPE_FACTOR)
        return quantize(fused)

    @staticmethod
    def _fuse(bm: np.ndarray, dense: np.ndarray | None, w: float) -> np.ndarray:
        """BM25 over its maximum, blended with min-max dense over its candidates, in one partition."""
        fused = quantize(bm / bm.max()) if bm.max() > 0 else bm
        if dense is not None:
            nz = dense[dense > 0]
            if nz.size:
                lo, hi = float(nz.min()), float(nz.max())
                dn = quantize(np.where(dense > 0, (dense - lo) / (hi - lo + 1e-6) * 0.9 + 0.1, 0.0))
                fused = (1 - w) * fused + w * dn
        return fused

    def search(
        self, query: str, k: int = 5, notices: list[str] | None = None, auto_scope: bool = True
    ) -> list[Hit]:
        query = check_query(query)
        fused = self.scores(query, notices, auto_scope)
        order = np.argsort(-fused, kind="stable")[:k]
        return [Hit(chunk=self.chunks[i], score=round(float(fused[i]), 4)) for i in order if fused[i] > 0]


_SEARCHERS: dict[str, HybridSearcher] = {}
_SEARCHERS_LOCK = threading.Lock()


def get_searcher(settings: Settings | None = None) -> HybridSearcher:
    """One searcher per (data dir, embedding, chroma url) per process."""
    settings = settings or get_settings()
    key = json.dumps([str(settings.data_dir), settings.embedding, settings.chroma_url])
    with _SEARCHERS_LOCK:
        if key not in _SEARCHERS:
            _SEARCHERS[key] = HybridSearcher(settings)
        return _SEARCHERS[key]


def search(query: str, k: int | None = None, notices: list[str] | None = None) -> list[Hit]:
    settings = get_settings()
    return get_searcher(settings).search(query, k or settings.top_k, check_notices(notices))
