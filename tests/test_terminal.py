"""`jiebang chat` as a person uses it: questions with sources, a follow-up, and a draft in between."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.conversation import Conversation
from bot.drafts import DraftStore


def test_chat_answers_with_sources_and_follow_up(tmp_path: Path) -> None:
    conv = Conversation(store=DraftStore(tmp_path))
    first = conv.handle("景德镇的揭榜挂帅财政支持比例是多少")
    assert "60%" in first and "来源：" in first and "[1] 景德镇" in first
    follow = conv.handle("那分几次拨付？")
    assert "50%" in follow and "景德镇" in follow


def test_chat_drafts_a_form_then_answers_again(tmp_path: Path) -> None:
    conv = Conversation(store=DraftStore(tmp_path))
    start = conv.handle("起草 quanzhou")
    assert "开始起草" in start and conv.drafting
    assert conv.handle("取消")
    assert not conv.drafting
    assert "12月5日" in conv.handle("泉州的需求表最晚什么时候交？")
    saved = DraftStore(tmp_path).list("local")
    assert [d.form_id for d in saved] == ["quanzhou"]


def test_terminal_process_reads_stdin_until_eof() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--today", "2026-11-23"],
        input="湘潭的财政补助最多多少\n\n退出\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert "50万元" in res.stdout and "来源：" in res.stdout
    assert "Traceback" not in res.stderr


def test_chat_on_a_full_disk_explains_and_keeps_drafting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The draft cannot be saved: the chat says why and how to fix it, asks the same question again
    (the answer is not kept), stays in drafting, and records the answer once it is sent again."""
    import bot.drafts

    store = DraftStore(tmp_path)
    conv = Conversation(store=store)
    assert "第1/20项" in conv.handle("起草 quanzhou")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as m:
        m.setattr(bot.drafts.os, "fsync", full)
        text = conv.handle("智能装备（鞋服智能制造）")
    assert text.startswith("草稿未能保存：磁盘空间已满") and str(tmp_path) in text
    assert "清理磁盘空间" in text and "JIEBANG_DATA_DIR" in text and "第1/20项" in text
    assert conv.drafting
    assert store.list("local")[0].answers == {}
    text = conv.handle("智能装备（鞋服智能制造）")
    assert "已记录" in text and "第2/20项" in text
    assert store.list("local")[0].answers == {"industry": "智能装备（鞋服智能制造）"}


def test_terminal_process_on_an_unwritable_data_dir_explains_and_continues(tmp_path: Path) -> None:
    """`jiebang chat` with a data dir that cannot be created: a question is still answered (answers
    come from the fact catalogue, not the index), a draft gets a Chinese message naming
    JIEBANG_DATA_DIR, and the chat goes on to the end."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--today", "2026-11-23"],
        input="龙泉的协会需要提交什么材料\n起草 quanzhou\n退出\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JIEBANG_DATA_DIR": str(blocker / "data")},
    )
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout
    assert "WORD文档和盖章扫描件" in res.stdout  # the question's cited answer
    assert "草稿未能保存" in res.stdout and "没有开始新的草稿" in res.stdout
    assert res.stdout.count("JIEBANG_DATA_DIR") >= 1
    assert blocker.read_text(encoding="utf-8") == "x"
