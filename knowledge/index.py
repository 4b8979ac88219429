"""Chunks → Chroma (through llama-index's ChromaVectorStore), rebuilt only when its key changes.

The key hashes (corpus, chunk settings, embedding model), paper-qa style: changed settings build a
new collection; unchanged ones make `jiebang index` a no-op.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
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
SQLITE_MAGIC = b"SQLite format 3\x00"
log = logging.getLogger("jiebang.index")


class IndexError_(RuntimeError):
    """The index cannot be opened or built; the message says what to do."""


@dataclass
class IndexStatus:
    key: str
    collection: str
    chunks: int
    built: bool
    seconds: float
    repaired: str = ""


# Wide beams make the approximate search exhaustive at this corpus size, so an embedded store and a
# Chroma server holding the same vectors return the same dense candidates.
HNSW: dict[str, str | int] = {"hnsw:space": "cosine", "hnsw:construction_ef": 512, "hnsw:search_ef": 512}


def index_key(settings: Settings, chunk_settings: ChunkSettings | None = None) -> str:
    cs = chunk_settings or ChunkSettings()
    hnsw = ",".join(f"{k}={v}" for k, v in sorted(HNSW.items()))
    raw = f"{corpus_hash()}|{cs.model_dump_json()}|{settings.embedding.strip() or 'none'}|{hnsw}"
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


def _chroma_dir(settings: Settings) -> Path:
    return settings.data_dir / "chroma"


def _store_files(settings: Settings) -> dict[str, int]:
    """Size of every file of the embedded store: a deleted or truncated segment changes this."""
    root = _chroma_dir(settings)
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in sorted(root.rglob("*")) if p.is_file()}


def _sqlite_looks_valid(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _marker_ok(settings: Settings, key: str) -> bool:
    """Cheap check that lets a second `jiebang index` skip importing Chroma.

    Sizes of every store file and the SQLite header must match what the last verified build saw;
    anything else (garbage written, a file deleted) falls through to the full check in `ensure_index`.
    """
    if settings.chroma_url:
        return False
    marker = _read_marker(settings)
    if marker.get("key") != key:
        return False
    if not marker.get("collection"):
        return True  # BM25 only: nothing on disk to check
    sqlite = _chroma_dir(settings) / "chroma.sqlite3"
    try:
        size = sqlite.stat().st_size
    except OSError:
        return False
    files = marker.get("files")
    return (
        size == marker.get("sqlite_size")
        and _sqlite_looks_valid(sqlite)
        and (files is None or files == _store_files(settings))
    )


def _write_marker(settings: Settings, status: IndexStatus) -> None:
    """Record a verified local index; a server's collections are checked on the server every time."""
    if settings.chroma_url:
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sqlite = _chroma_dir(settings) / "chroma.sqlite3"
    data = {
        "key": status.key,
        "collection": status.collection,
        "chunks": status.chunks,
        "embedding": settings.embedding,
        "sqlite_size": sqlite.stat().st_size if sqlite.is_file() else None,
        "files": _store_files(settings) if status.collection else None,
    }
    tmp = _marker_path(settings).with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(_marker_path(settings))


def _forget_client(settings: Settings) -> None:
    """Drop chromadb's per-path cached client, which would otherwise keep using the broken files."""
    from chromadb.api.shared_system_client import SharedSystemClient

    ident = str(_chroma_dir(settings))
    system = SharedSystemClient._identifier_to_system.pop(ident, None)
    SharedSystemClient._identifier_to_refcount.pop(ident, None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a half-started system cannot always stop; it is unreachable now anyway
            log.debug("could not stop the cached Chroma system for %s", ident, exc_info=True)


def _reset_local_store(settings: Settings) -> None:
    """Remove the embedded store and its marker, and nothing else: drafts and exports stay."""
    _forget_client(settings)
    shutil.rmtree(_chroma_dir(settings), ignore_errors=True)
    with contextlib.suppress(OSError):
        _marker_path(settings).unlink(missing_ok=True)


def _collection_ok(client: Any, name: str, expected: int) -> bool:
    """The collection opens, holds every chunk, and answers a nearest-neighbour query."""
    try:
        collection = client.get_collection(name)
        if collection.count() != expected:
            return False
        sample = collection.get(limit=1, include=["embeddings"])
        vectors = sample.get("embeddings")
        if vectors is None or len(vectors) == 0:
            return False
        found = collection.query(query_embeddings=[list(vectors[0])], n_results=1, include=[])
        return bool(found.get("ids") and found["ids"][0])
    except Exception as exc:
        log.warning("Chroma 集合 %s 无法读取（%s: %s），将重建。", name, exc.__class__.__name__, exc)
        return False


def ensure_index(rebuild: bool = False, settings: Settings | None = None) -> IndexStatus:
    """Build the Chroma collection for the current key if it is missing, incomplete or corrupt.

    A local store that cannot be opened is removed and rebuilt, with a warning (and
    `IndexStatus.repaired`) that says so; only `<data_dir>/chroma` and the marker are touched, never
    drafts or exports. A data dir that cannot be written, or a Chroma server that cannot be reached,
    is an `IndexError_` whose message says what to check.
    """
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
        try:
            _write_marker(settings, IndexStatus(key, "", len(chunks), False, 0.0))
        except OSError as exc:
            raise _unwritable(settings, exc) from exc
        return IndexStatus(key, name, len(chunks), False, time.perf_counter() - t0)
    previous = _read_marker(settings)
    repaired = ""
    sqlite = _chroma_dir(settings) / "chroma.sqlite3"
    if not settings.chroma_url and not _sqlite_looks_valid(sqlite):
        _forget_client(settings)  # a client cached by this process would still see the old files
    try:
        client = chroma_client(settings)
        existing = _collection_names(client)
    except Exception as exc:
        if settings.chroma_url:
            raise IndexError_(
                f"无法连接 Chroma 服务器 {settings.chroma_url}：{exc}。请确认服务已启动。"
            ) from exc
        if not _chroma_dir(settings).is_dir():
            raise _unwritable(settings, exc) from exc
        repaired = _warn(
            f"索引目录 {_chroma_dir(settings)} 已损坏（{exc.__class__.__name__}），已删除并自动重建；"
            "草稿和导出文件未受影响。"
        )
        client, existing = _fresh_local_store(settings)
    if name in existing and not rebuild and _collection_ok(client, name, len(chunks)):
        status = IndexStatus(key, name, len(chunks), False, time.perf_counter() - t0)
        with contextlib.suppress(OSError):  # a read-only data dir: the index is fine, the next check slower
            _write_marker(settings, status)
        return status
    if not rebuild and not repaired and previous.get("collection") == name:
        what = "不完整或已损坏" if name in existing else "已缺失（索引目录被删除或清空）"
        repaired = _warn(f"索引集合 {name} {what}，正在自动重建；草稿和导出文件未受影响。")
    try:
        status = _build(client, existing, settings, key, name, chunks, embedding)
    except Exception as exc:
        if settings.chroma_url:
            raise IndexError_(f"在 Chroma 服务器 {settings.chroma_url} 上建立索引失败：{exc}") from exc
        repaired = repaired or _warn(
            f"索引目录 {_chroma_dir(settings)} 写入失败（{exc.__class__.__name__}），已删除并自动重建；"
            "草稿和导出文件未受影响。"
        )
        client, _ = _fresh_local_store(settings)
        try:
            status = _build(client, set(), settings, key, name, chunks, embedding)
        except Exception as again:
            raise _unwritable(settings, again) from again
    from knowledge.fact_search import save_fact_tokens

    save_fact_tokens(settings.data_dir)
    status.seconds = time.perf_counter() - t0
    status.repaired = repaired
    try:
        _write_marker(settings, status)
    except OSError as exc:
        raise _unwritable(settings, exc) from exc
    return status


def _read_marker(settings: Settings) -> dict[str, Any]:
    try:
        marker = json.loads(_marker_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return marker if isinstance(marker, dict) else {}


def _collection_names(client: Any) -> set[str]:
    return {c.name if hasattr(c, "name") else str(c) for c in client.list_collections()}


def _warn(message: str) -> str:
    log.warning(message)
    return message


def _unwritable(settings: Settings, exc: BaseException) -> IndexError_:
    return IndexError_(
        f"数据目录 {settings.data_dir} 无法写入索引（{exc.__class__.__name__}: {exc}）。"
        "请检查该目录是否只读、磁盘是否已满，或用 JIEBANG_DATA_DIR 指向一个可写的目录。"
    )


def _fresh_local_store(settings: Settings) -> tuple[Any, set[str]]:
    """An empty embedded store in place of a broken one, or a clear error when none can be made."""
    _reset_local_store(settings)
    try:
        client = chroma_client(settings)
        return client, _collection_names(client)
    except Exception as exc:
        raise _unwritable(settings, exc) from exc


def _build(
    client: Any,
    existing: set[str],
    settings: Settings,
    key: str,
    name: str,
    chunks: tuple[Chunk, ...],
    embedding: Any,
) -> IndexStatus:
    """(Re)create the collection for `key`, dropping this project's collections for older keys."""
    if name in existing:
        client.delete_collection(name)
    for old in existing - {name}:
        if old.startswith(COLLECTION_PREFIX):
            client.delete_collection(old)
    collection = client.create_collection(name, metadata={**HNSW, "key": key})
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
    return IndexStatus(key, name, len(chunks), True, 0.0)
