"""`jiebang telegram` as a command: usage errors exit 2 with a sentence that says how to fix them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.fake_bot_api import FakeBotApiServer
from tests.telegram_fakes import data_dir_with_index, index_dir

__all__ = ["index_dir"]  # session fixture

REPO = Path(__file__).resolve().parents[1]


def test_without_a_token_one_sentence_names_the_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["telegram"]) == 2
    err = capsys.readouterr().err.strip()
    assert "JIEBANG_TELEGRAM_TOKEN" in err and err.count("。") == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--listen", "0.0.0.0"], "--webhook"),
        (["--port", "8443"], "--webhook"),
        (["--webhook", "not-a-url"], "完整的网址"),
        (["--webhook", "https://bot.example.com/tg", "--port", "70000"], "65535"),
        (["--max-rate", "-1"], "负数"),
        (["--send-timeout", "0"], "0.5 到 300 秒"),
    ],
)
def test_usage_mistakes_exit_2(
    args: list[str], needle: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from knowledge.settings import get_settings

    monkeypatch.setenv("JIEBANG_TELEGRAM_TOKEN", "123:TEST")
    get_settings.cache_clear()
    assert main(["telegram", *args]) == 2
    assert needle in capsys.readouterr().err


def test_a_bad_webhook_secret_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from knowledge.settings import get_settings

    monkeypatch.setenv("JIEBANG_TELEGRAM_TOKEN", "123:TEST")
    monkeypatch.setenv("JIEBANG_TELEGRAM_WEBHOOK_SECRET", "has spaces and 中文")
    get_settings.cache_clear()
    assert main(["telegram", "--webhook", "https://bot.example.com/tg"]) == 2
    assert "JIEBANG_TELEGRAM_WEBHOOK_SECRET" in capsys.readouterr().err


def _run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "telegram"],
        env={**os.environ, "JIEBANG_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(REPO),
    )


def test_a_wrong_token_exits_1_with_a_clear_sentence(tmp_path: Path) -> None:
    with FakeBotApiServer() as server:
        res = _run(
            {"JIEBANG_TELEGRAM_TOKEN": "999:WRONG", "JIEBANG_TELEGRAM_API_URL": server.api_url}, tmp_path
        )
    assert res.returncode == 1 and "令牌无效" in res.stderr
    assert "Traceback" not in res.stderr and "999:WRONG" not in res.stderr and "Unclosed" not in res.stderr


def test_an_unreachable_api_at_start_up_is_waited_for_not_fatal(index_dir: Path, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "telegram", "--poll-timeout", "1"],
            env={
                **os.environ,
                "JIEBANG_DATA_DIR": str(data_dir_with_index(index_dir, tmp_path / "data")),
                "JIEBANG_TELEGRAM_TOKEN": "123:TEST",
                "JIEBANG_TELEGRAM_API_URL": f"http://127.0.0.1:{port}/bot",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=str(REPO),
        )
    try:
        deadline = time.monotonic() + 60
        while "retrying" not in log.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, log.read_text()
        with FakeBotApiServer(port=port) as server:
            server.core.wait_for(lambda calls: any(c.method == "deleteWebhook" for c in calls), 60)
            server.core.send_text(77, "/help")
            assert "怎么用" in server.core.wait_chat(77, 1, 0, timeout=20)[0].text
            proc.terminate()
            assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "123:TEST" not in text
