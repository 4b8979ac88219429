"""The hybrid searcher as a llama-index retriever, for composing with llama-index query engines."""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from knowledge.retrieve import HybridSearcher


class JiebangRetriever(BaseRetriever):
    """The hybrid searcher as a llama-index retriever, for composing with llama-index query engines."""

    def __init__(self, searcher: HybridSearcher, k: int = 5, notices: list[str] | None = None) -> None:
        super().__init__()
        self._searcher = searcher
        self._k = k
        self._notices = notices

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self._searcher.search(query_bundle.query_str, self._k, self._notices)
        return [
            NodeWithScore(
                node=TextNode(
                    id_=h.chunk.id,
                    text=h.chunk.text,
                    metadata={"notice": h.chunk.notice, "path": h.chunk.path_str},
                ),
                score=h.score,
            )
            for h in hits
        ]
