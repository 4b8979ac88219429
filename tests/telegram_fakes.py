"""Handler-level harness: the real Application with a BaseRequest that answers from `FakeTelegram`.

Updates go through `application.update_queue`, so they take the production path: the per-user
update processor, persistence after each update, the error handler. Nothing leaves the process.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.telegram_app import build_application
from knowledge.settings import Settings
from tests.fake_bot_api import Call, FakeBotApiServer, FakeTelegram, decode_params

REPO = Path(__file__).resolve().parents[1]


class RecordingRequest(BaseRequest):
    """Sends every Bot API call to a FakeTelegram instead of the network; the fake records them."""

    def __init__(self, core: FakeTelegram) -> None:
        self.core = core

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def initialize(self) -> None:
        """No connections to open."""

    async def shutdown(self) -> None:
        """No connections to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data is not None:
            params = decode_params(request_data.json_parameters)
            for name, value in request_data.multipart_data.items():
                filename, content = value[0], value[1]
                data = content if isinstance(content, bytes) else content.read()
                files[name] = (filename or name, data)
            for key, value in list(params.items()):
                if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                    files[key] = files.pop(value[9:])
                    del params[key]
        status, body = self.core.api(endpoint, params, files)
        return status, json.dumps(body, ensure_ascii=False).encode()


class BotHarness:
    """An Application wired to a FakeTelegram, fed one update at a time."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any], core: FakeTelegram) -> None:
        self.app = app
        self.core = core

    async def feed(self, payload: dict[str, Any], update_id: int | None = None) -> None:
        """Deliver one update (as getUpdates would) and wait until it is fully handled and persisted."""
        uid = update_id if update_id is not None else next(self.core.update_ids)
        update = Update.de_json({"update_id": uid, **payload}, self.app.bot)
        await self.app.update_queue.put(update)
        await self.app.update_queue.join()

    async def text(self, user_id: int, text: str) -> list[Any]:
        mark = self.core.mark()
        await self.feed(self.core.text_update(user_id, text))
        return self.core.sent(user_id, since=mark)

    async def press(self, user_id: int, call: Any, data: str) -> list[Any]:
        mark = self.core.mark()
        await self.feed(self.core.callback_update(user_id, self.core.message_of(call), data))
        return self.core.sent(since=mark)


def settings_for(data_dir: Path, **extra: Any) -> Settings:
    return Settings(data_dir=data_dir, telegram_token="123:TEST", **extra)


@asynccontextmanager
async def running_bot(settings: Settings, core: FakeTelegram | None = None) -> AsyncIterator[BotHarness]:
    core = core or FakeTelegram()
    app = build_application(settings, request=RecordingRequest(core), max_rate=0)
    async with app:
        await app.start()
        try:
            yield BotHarness(app, core)
        finally:
            await app.stop()


def run(coro: Any) -> Any:
    """pytest-asyncio is not installed; every async test body runs in its own loop."""
    return asyncio.run(coro)


class BotProcess:
    """The real `jiebang telegram` process, pointed at a fake Bot API server."""

    def __init__(
        self,
        server: FakeBotApiServer,
        data_dir: Path,
        log_path: Path,
        args: tuple[str, ...] = ("--max-rate", "0", "--poll-timeout", "1"),
        env: dict[str, str] | None = None,
        ready: str = "deleteWebhook",
    ) -> None:
        self.server = server
        self.data_dir = data_dir
        self.log_path = log_path
        self.args = args
        self.env = env or {}
        self.ready = ready
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> BotProcess:
        """Start and wait for the `ready` call: deleteWebhook comes right before polling starts,
        setWebhook right before the webhook server takes updates."""
        env = {
            **os.environ,
            "JIEBANG_TELEGRAM_TOKEN": self.server.core.token,
            "JIEBANG_TELEGRAM_API_URL": self.server.api_url,
            "JIEBANG_TELEGRAM_FILE_URL": self.server.file_url,
            "JIEBANG_DATA_DIR": str(self.data_dir),
            **self.env,
        }
        mark = self.server.core.mark()
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "telegram", *self.args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(REPO),
        )
        log.close()
        proc = self.proc
        try:
            self.server.core.wait_for(
                lambda calls: proc.poll() is not None or any(c.method == self.ready for c in calls[mark:]),
                timeout,
            )
        except TimeoutError as exc:
            raise RuntimeError(f"bot did not start:\n{self.log()[-3000:]}") from exc
        if proc.poll() is not None:
            raise RuntimeError(f"bot exited with {proc.returncode}:\n{self.log()[-3000:]}")
        return self

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        """Never leave a bot behind, whatever the test did: SIGTERM, then SIGKILL."""
        self.stop()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no final persistence flush."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def children(self) -> list[int]:
        """Pids of the bot's child processes (its drafting workers)."""
        assert self.proc is not None
        out = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    out.append(int(entry))
        return out

    def peak_rss_mb(self, with_children: bool = False) -> float:
        """VmHWM (peak resident memory) of the bot, optionally plus its workers', in MiB."""
        assert self.proc is not None
        pids = [self.proc.pid, *(self.children() if with_children else [])]
        total = 0
        for pid in pids:
            try:
                lines = Path(f"/proc/{pid}/status").read_text().splitlines()
            except OSError:
                continue
            total += next((int(x.split()[1]) for x in lines if x.startswith("VmHWM:")), 0)
        return total / 1024


@pytest.fixture(scope="session")
def index_dir(shared_data_dir: Path) -> Path:
    """Build (or find) the search index once per session in the shared data dir."""
    from knowledge.index import ensure_index

    ensure_index(settings=Settings(data_dir=shared_data_dir))
    return shared_data_dir


def data_dir_with_index(index_dir: Path, target: Path) -> Path:
    """A fresh data dir holding a copy of a prebuilt search index (building one takes a minute)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(index_dir / "chroma", target / "chroma", dirs_exist_ok=True)
    shutil.copy2(index_dir / "index.json", target / "index.json")
    return target


# -- simulated users over the fake server (end-to-end tests and the benchmark) ----------------------

MARKER = re.compile(r"第(\d+)号|编号(\d+)|(?<!\d)139(\d{8})(?!\d)")  # (not inside a random 12-digit draft id)


def association_answers(user_id: int) -> list[tuple[str, str]]:
    """Valid answers to 龙泉 附件3 (7 fields), each carrying the user's id so crossed replies show."""
    return [
        ("text", f"龙泉市第{user_id}号茶叶行业协会"),
        ("text", "李明"),
        ("text", f"139{user_id:08d}"),
        ("text", f"第{user_id}号黄茶加工关键技术攻关"),
        ("text", f"编号{user_id}：龙泉黄茶是地方特色产业，加工环节自动化程度低，品质稳定性不足，亟需攻关。"),
        ("text", f"编号{user_id}：研究闷黄工艺参数的在线监测与控制，建立标准化加工工艺体系。"),
        ("button", "公益性技术应用研究自筹类项目"),
    ]


def markers(text: str) -> set[int]:
    return {int(next(g for g in m.groups() if g)) for m in MARKER.finditer(text)}


@dataclass
class UserRun:
    """What one simulated user saw: reply latencies (seconds), every reply, the exported document."""

    user_id: int
    latencies: list[float] = field(default_factory=list)
    replies: list[Call] = field(default_factory=list)
    document: bytes | None = None


def drafting_user(
    core: FakeTelegram, user_id: int, timeout: float = 60.0, think: Callable[[], float] | None = None
) -> UserRun:
    """/draft → form button → seven answers (the choice by button) → /export, waiting for each reply.

    `think` gives the pause before each message (a person reading and typing); none by default.
    """
    run = UserRun(user_id)

    def step(send: Callable[[], int], expect: int = 1) -> list[Call]:
        if think is not None:
            time.sleep(think())
        mark = core.inbox(user_id)
        t0 = time.monotonic()
        send()
        got = core.wait_chat(user_id, expect, mark, timeout)
        run.latencies.append(got[0].at - t0)
        run.replies.extend(got)
        return got

    got = step(lambda: core.send_text(user_id, "/draft 龙泉"))
    picker = got[-1]
    got = step(lambda: core.press(user_id, picker, "d|new|longquan-association"))
    for kind, value in association_answers(user_id):
        question = got[-1]
        if kind == "text":
            got = step(partial(core.send_text, user_id, value))
        else:
            data = next(b["callback_data"] for b in question.buttons() if b["text"].startswith(value[:20]))
            got = step(partial(core.press, user_id, question, data))
    got = step(lambda: core.send_text(user_id, "/export"), expect=2)
    docs = [c for c in got if c.method == "sendDocument"]
    run.document = docs[0].files["document"][1] if docs else None
    return run


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def docx_cells(content: bytes) -> list[str]:
    """Every table cell's text of a .docx (merged cells repeat, as python-docx reads them)."""
    import io

    import docx

    document = docx.Document(io.BytesIO(content))
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def docx_text(content: bytes) -> str:
    return "\n".join(docx_cells(content))
