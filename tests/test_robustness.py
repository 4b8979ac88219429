"""Faults on disk: a corrupt or deleted index is rebuilt with a clear message and drafts untouched;
an unwritable or full data dir gives a clear error and never leaves a half-written draft.

The index tests swap the dense model for llama-index's MockEmbedding so that each rebuild takes a
second instead of half a minute; what is under test is detection and recovery, not the vectors.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from llama_index.core.embeddings import MockEmbedding

import knowledge.embedding
import knowledge.retrieve
from bot.drafts import DraftStore
from knowledge.index import IndexError_, ensure_index
from knowledge.retrieve import search
from knowledge.settings import get_settings

QUERY = "泉州 需求表 截止"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private data dir with its own searcher cache and a fast stand-in for the dense model."""
    root = tmp_path / "data"
    monkeypatch.setenv("JIEBANG_DATA_DIR", str(root))
    monkeypatch.setattr(knowledge.embedding, "make_embedding", lambda spec: MockEmbedding(embed_dim=16))
    monkeypatch.setattr(
        knowledge.embedding,
        "make_query_embedder",
        lambda spec: MockEmbedding(embed_dim=16).get_query_embedding,
    )
    monkeypatch.setattr(knowledge.retrieve, "_SEARCHERS", {})
    get_settings.cache_clear()
    yield root
    get_settings.cache_clear()


def _drafts(root: Path) -> dict[str, bytes]:
    """Every file under the drafts dir with its exact bytes."""
    base = root / "drafts"
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def _make_drafts(root: Path) -> dict[str, bytes]:
    store = DraftStore(root / "drafts")
    for user in ("alice", "bob"):
        draft = store.create(user, "quanzhou")
        draft.answers = {"title": f"{user}的需求", "fiscal_funds": 200}
        store.save(draft)
        store.set_active(user, draft.id)
    return _drafts(root)


def _fresh_search() -> list[str]:
    """What a restarted worker does: a new searcher, which checks the index before using it."""
    knowledge.retrieve._SEARCHERS.clear()
    hits = search(QUERY, 3)
    assert hits and hits[0].chunk.notice == "quanzhou"
    return [h.chunk.id for h in hits]


@pytest.mark.parametrize("damage", ["garbage", "same_size_garbage", "truncated", "deleted"])
def test_damaged_index_is_rebuilt_and_drafts_survive(
    data_dir: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert ensure_index().built
    _fresh_search()
    drafts = _make_drafts(data_dir)
    sqlite = data_dir / "chroma" / "chroma.sqlite3"
    if damage == "garbage":
        sqlite.write_bytes(b"not a database\x00" * 300)
    elif damage == "same_size_garbage":
        sqlite.write_bytes(os.urandom(sqlite.stat().st_size))
    elif damage == "truncated":
        os.truncate(sqlite, 0)
    else:
        shutil.rmtree(data_dir / "chroma")

    with caplog.at_level(logging.WARNING, logger="jiebang.index"):
        _fresh_search()
        status = ensure_index()
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "自动重建" in messages and "草稿" in messages, messages
    assert not status.built  # rebuilt once, during the search; now current again
    assert _drafts(data_dir) == drafts


def test_rebuild_reports_what_happened(data_dir: Path) -> None:
    ensure_index()
    (data_dir / "chroma" / "chroma.sqlite3").write_bytes(b"\x00" * 4096)
    status = ensure_index()
    assert status.built and "已损坏" in status.repaired
    assert ensure_index().repaired == ""


def test_deleted_marker_alone_is_not_a_rebuild(data_dir: Path) -> None:
    ensure_index()
    (data_dir / "index.json").unlink()
    status = ensure_index()
    assert not status.built and status.repaired == ""


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A data dir that cannot be created (its parent is a file: even root cannot write there)."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("JIEBANG_DATA_DIR", str(blocker / "data"))
    monkeypatch.setattr(knowledge.embedding, "make_embedding", lambda spec: MockEmbedding(embed_dim=16))
    monkeypatch.setattr(
        knowledge.embedding,
        "make_query_embedder",
        lambda spec: MockEmbedding(embed_dim=16).get_query_embedding,
    )
    get_settings.cache_clear()
    with pytest.raises(IndexError_, match=r"无法写入.*JIEBANG_DATA_DIR"):
        ensure_index()
    assert blocker.read_text(encoding="utf-8") == "x"


# -- drafts on a read-only or full disk ------------------------------------------------------------


def _store_with_draft(root: Path) -> tuple[DraftStore, str, Path, bytes]:
    store = DraftStore(root)
    draft = store.create("carol", "xiangtan")
    draft.answers = {"title": "原来的内容"}
    store.save(draft)
    path = store.user_dir("carol") / f"{draft.id}.json"
    return store, draft.id, path, path.read_bytes()


@pytest.mark.parametrize(
    ("where", "code"),
    [("mkstemp", errno.EROFS), ("fsync", errno.ENOSPC), ("replace", errno.EROFS)],
)
def test_failed_draft_write_leaves_the_old_draft_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int
) -> None:
    """Read-only (no temp file can be made, or the rename is refused) and full disk (fsync fails
    after a partial write): the previous file is intact and no temp file is left behind."""
    import bot.drafts

    store, draft_id, path, before = _store_with_draft(tmp_path)
    draft = store.load("carol", draft_id)
    draft.answers = {"title": "新内容" * 5000}

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    target = {"mkstemp": bot.drafts.tempfile, "fsync": bot.drafts.os, "replace": bot.drafts.os}[where]
    with monkeypatch.context() as m, pytest.raises(OSError) as info:
        m.setattr(target, where, fail)
        store.save(draft)
    assert info.value.errno == code
    assert path.read_bytes() == before
    assert store.load("carol", draft_id).answers == {"title": "原来的内容"}
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".tmp-")] == []


def _no_temp_files(root: Path) -> list[str]:
    return [p.name for p in root.rglob(".tmp-*")]


@pytest.mark.parametrize(
    ("where", "code", "why"),
    [
        ("fsync", errno.ENOSPC, "磁盘空间已满"),
        ("replace", errno.EROFS, "只读"),
        ("mkstemp", errno.EACCES, "没有写入权限"),
    ],
    ids=["full", "read-only", "no-permission"],
)
def test_interview_on_a_full_disk_replies_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int, why: str
) -> None:
    """A write that fails mid-interview is a reply, not a traceback: it says why (with the directory)
    and how to fix it. The answer is rolled back, not kept in memory: the session is exactly the draft
    on disk, which is unchanged, and the same question is asked again; once the disk is fixed,
    sending the answer again records it."""
    import bot.drafts
    from bot.interview import DraftSession

    store = DraftStore(tmp_path)
    session = DraftSession(store, "dave")
    first = session.start("quanzhou")
    assert first.draft_id and first.field_id == "industry"
    path = store.user_dir("dave") / f"{first.draft_id}.json"
    before = path.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    target = {"mkstemp": bot.drafts.tempfile, "fsync": bot.drafts.os, "replace": bot.drafts.os}[where]
    with monkeypatch.context() as m:
        m.setattr(target, where, fail)
        reply = session.handle("智能装备（鞋服智能制造）")
    assert reply.text.startswith("草稿未能保存：") and why in reply.text
    assert str(tmp_path) in reply.text and "JIEBANG_DATA_DIR" in reply.text and "可写的目录" in reply.text
    assert "刚才的内容没有记录" in reply.text and "重新发送" in reply.text
    assert "Traceback" not in reply.text and "Errno" not in reply.text
    assert reply.field_id == "industry" and reply.mode == "asking" and "第1/20项" in reply.text
    assert reply.problems[0].code == "save_failed"
    assert session.draft is not None and session.draft.answers == {}  # rolled back, not kept in memory
    assert session.draft.state.current == "industry"
    assert path.read_bytes() == before and _no_temp_files(tmp_path) == []

    again = session.handle("智能装备（鞋服智能制造）")
    assert "已记录" in again.text and again.field_id == "title"
    assert store.load("dave", first.draft_id).answers == {"industry": "智能装备（鞋服智能制造）"}


def test_interview_start_on_an_unwritable_data_dir_replies_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No draft can be created (the data dir's parent is a file): the reply names the data dir and the
    fix, and the session stays idle instead of holding a draft that exists nowhere."""
    from bot.interview import DraftSession

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("JIEBANG_DATA_DIR", str(blocker / "data"))
    get_settings.cache_clear()
    session = DraftSession(DraftStore(), "erin")
    reply = session.handle("新建 quanzhou")
    assert reply.text.startswith("草稿未能保存：") and f"数据目录 {blocker / 'data'}" in reply.text
    assert "JIEBANG_DATA_DIR" in reply.text and "没有开始新的草稿" in reply.text
    assert session.draft is None and reply.mode == "idle" and reply.draft_id is None
    assert session.list_drafts().text.startswith("您还没有保存的草稿")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_set_field_on_a_full_disk_is_a_save_failed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.drafts
    from bot.interview import DraftSession

    session = DraftSession(DraftStore(tmp_path), "frank")
    session.start("quanzhou")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(bot.drafts.os, "fsync", full)
        result = session.set_field("fiscal_funds", "200万")
    assert [p.code for p in result.errors] == ["save_failed"] and "磁盘空间已满" in result.errors[0].message
    assert "fiscal_funds" not in session.values
    assert session.set_field("fiscal_funds", "200万").ok and session.values["fiscal_funds"] == 200


def test_export_on_a_full_disk_replies_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The .docx cannot be written: the reply says so and how to fix it; the draft is untouched."""
    import exporters.docx_export
    from bot.interview import DraftSession

    store = DraftStore(tmp_path)
    session = DraftSession(store, "gina")
    session.start("quanzhou")
    session.handle("智能装备（鞋服智能制造）")
    assert session.draft is not None
    path = store.user_dir("gina") / f"{session.draft.id}.json"
    before = path.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(exporters.docx_export, "write_docx", full)
    reply = session.handle("导出草稿")
    assert reply.text.startswith("文件未能导出：磁盘空间已满") and "JIEBANG_DATA_DIR" in reply.text
    assert "草稿本身没有改动" in reply.text and reply.document is None
    assert reply.field_id == "title"
    assert path.read_bytes() == before
