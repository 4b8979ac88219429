"""Chunks → Chroma (through llama-index's ChromaVectorStore), rebuilt only when its key changes.

The key hashes (corpus, chunk settings, embedding model), paper-qa style: changed settings build a
new collection; unchanged ones make `jiebang index` a no-op.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from knowledge.chunks import ChunkSettings, all_chunks
from knowledge.corpus import corpus_hash
from knowledge.settings import Settings, get_settings
from knowledge.types import Chunk

COLLECTION_PREFIX = "jiebang-"
MARKER = "index.json"


class IndexError_(RuntimeError):
    """The index cannot be opened or built; the message says what to do."""


@dataclass
class IndexStatus:
    key: str
    collection: str
    chunks: int
    built: bool
    seconds: float


def index_key(settings: Settings, chunk_settings: ChunkSettings | None = None) -> str:
    cs = chunk_settings or ChunkSettings()
    raw = f"{corpus_hash()}|{cs.model_dump_json()}|{settings.embedding.strip() or 'none'}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def collection_name(key: str) -> str:
    return f"{COLLECTION_PREFIX}{key}"


def chroma_client(settings: Settings) -> Any:
    """Embedded PersistentClient in the data dir, or an HttpClient when JIEBANG_CHROMA_URL is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise IndexError_(
                f"JIEBANG_CHROMA_URL={settings.chroma_url!r} 无效，应形如 http://127.0.0.1:8000"
            )
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "chunk_id": chunk.id,
        "notice": chunk.notice,
        "doc": chunk.doc,
        "path": json.dumps(chunk.path, ensure_ascii=False),
        "kind": chunk.kind.value,
        "start": chunk.start,
        "end": chunk.end,
    }


def embed_text(chunk: Chunk) -> str:
    """What the dense model sees: the title path gives short cells their context."""
    return f"{chunk.path_str}\n{chunk.text}"


def _marker_path(settings: Settings) -> Path:
    return settings.data_dir / MARKER


def _marker_ok(settings: Settings, key: str) -> bool:
    """Cheap check that lets a second `jiebang index` skip importing Chroma."""
    if settings.chroma_url:
        return False
    try:
        marker = json.loads(_marker_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    sqlite = settings.data_dir / "chroma" / "chroma.sqlite3"
    return bool(
        marker.get("key") == key and sqlite.is_file() and sqlite.stat().st_size == marker.get("sqlite_size")
    )


def _write_marker(settings: Settings, status: IndexStatus) -> None:
    sqlite = settings.data_dir / "chroma" / "chroma.sqlite3"
    data = {
        "key": status.key,
        "collection": status.collection,
        "chunks": status.chunks,
        "embedding": settings.embedding,
        "sqlite_size": sqlite.stat().st_size if sqlite.is_file() else None,
    }
    tmp = _marker_path(settings).with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(_marker_path(settings))


def ensure_index(rebuild: bool = False, settings: Settings | None = None) -> IndexStatus:
    """Build the Chroma collection for the current key if it is missing, incomplete or corrupt."""
    settings = settings or get_settings()
    t0 = time.perf_counter()
    key = index_key(settings)
    name = collection_name(key)
    chunks = all_chunks()
    if not rebuild and _marker_ok(settings, key):
        return IndexStatus(key, name, len(chunks), False, time.perf_counter() - t0)
    from knowledge.embedding import make_embedding

    embedding = make_embedding(settings.embedding)
    if embedding is None:
        _write_marker_no_dense(settings, key, len(chunks))
        return IndexStatus(key, name, len(chunks), False, time.perf_counter() - t0)
    try:
        client = chroma_client(settings)
        existing = {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}
    except Exception as exc:  # a corrupt data dir: start it again, drafts live elsewhere
        if settings.chroma_url:
            raise IndexError_(
                f"无法连接 Chroma 服务器 {settings.chroma_url}：{exc}。请确认服务已启动。"
            ) from exc
        shutil.rmtree(settings.data_dir / "chroma", ignore_errors=True)
        client = chroma_client(settings)
        existing = set()
    if name in existing and not rebuild:
        count = client.get_collection(name).count()
        if count == len(chunks):
            status = IndexStatus(key, name, len(chunks), False, time.perf_counter() - t0)
            _write_marker(settings, status)
            return status
    if name in existing:
        client.delete_collection(name)
    for old in existing - {name}:
        if old.startswith(COLLECTION_PREFIX):
            client.delete_collection(old)
    collection = client.create_collection(name, metadata={"hnsw:space": "cosine", "key": key})
    texts = [embed_text(c) for c in chunks]
    vectors = embedding.get_text_embedding_batch(texts)
    from llama_index.core.schema import BaseNode, TextNode
    from llama_index.vector_stores.chroma import ChromaVectorStore

    store = ChromaVectorStore(chroma_collection=collection)
    nodes: list[BaseNode] = [
        TextNode(id_=c.id, text=c.text, metadata=chunk_metadata(c), embedding=v)
        for c, v in zip(chunks, vectors, strict=True)
    ]
    for i in range(0, len(nodes), 256):
        store.add(nodes[i : i + 256])
    status = IndexStatus(key, name, len(chunks), True, time.perf_counter() - t0)
    _write_marker(settings, status)
    return status


def _write_marker_no_dense(settings: Settings, key: str, n: int) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    _write_marker(settings, IndexStatus(key, "", n, False, 0.0))
