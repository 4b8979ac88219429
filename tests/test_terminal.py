"""`jiebang chat` as a person uses it: questions with sources, a follow-up, and a draft in between."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
