"""The delivery machinery on its own: retries, ordering, persistence file, HTTP transport, logging."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

import pytest
from telegram import Update
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ExtBot

from bot.telegram_http import AiohttpRequest
from bot.telegram_persistence import SQLitePersistence
from bot.telegram_runtime import (
    LAST_UPDATE_KEY,
    PerUserUpdateProcessor,
    RetryingRateLimiter,
    TokenRedactingFormatter,
)
from knowledge.settings import Settings
from tests.fake_bot_api import FakeBotApiServer, FakeTelegram
from tests.telegram_fakes import run


def test_network_errors_are_retried_until_they_pass() -> None:
    calls: list[int] = []

    async def flaky(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(1)
        if len(calls) < 3:
            raise TimedOut("slow") if len(calls) == 1 else NetworkError("Bad Gateway")
        return {"ok": True}

    limiter = RetryingRateLimiter(overall_max_rate=0)
    result = run(limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 1}, None))
    assert result == {"ok": True} and len(calls) == 3


def test_bad_requests_are_not_retried_and_retries_give_up_in_time() -> None:
    calls: list[int] = []

    async def bad(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(1)
        raise BadRequest("message is too long")

    limiter = RetryingRateLimiter(overall_max_rate=0)
    with pytest.raises(BadRequest):
        run(limiter.process_request(bad, (), {}, "sendMessage", {"chat_id": 1}, None))
    assert len(calls) == 1

    async def down(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(1)
        raise NetworkError("connection refused")

    patient = RetryingRateLimiter(overall_max_rate=0, max_wait=0.6)
    with pytest.raises(NetworkError):
        run(patient.process_request(down, (), {}, "sendMessage", {"chat_id": 1}, None))
    assert 3 <= len(calls) <= 5


def test_updates_of_one_user_run_in_order_and_duplicates_are_skipped() -> None:
    core = FakeTelegram()
    order: list[str] = []

    class App:
        persistence = None
        user_data: ClassVar[dict[int, dict[str, Any]]] = {7: {}, 8: {}}

    async def handle(tag: str, delay: float) -> None:
        order.append(f"start {tag}")
        await asyncio.sleep(delay)
        order.append(f"end {tag}")

    def update(uid: int, user: int) -> Update:
        return Update.de_json({"update_id": uid, **core.text_update(user, "x")}, None)

    async def scenario() -> None:
        processor = PerUserUpdateProcessor()
        processor.application = App()  # type: ignore[assignment]
        await asyncio.gather(
            processor.process_update(update(1, 7), handle("a1", 0.05)),
            processor.process_update(update(2, 7), handle("a2", 0.0)),
            processor.process_update(update(3, 8), handle("b3", 0.0)),
        )
        await processor.process_update(update(2, 7), handle("a2 again", 0.0))

    run(scenario())
    assert order.index("end a1") < order.index("start a2")  # same user: one after another
    assert order.index("end b3") < order.index("end a1")  # another user did not wait
    assert "start a2 again" not in order and App.user_data[7][LAST_UPDATE_KEY] == 2


def test_sqlite_persistence_round_trip_and_inbox(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"

    async def write() -> None:
        p = SQLitePersistence(path)
        await p.update_user_data(5, {"context": ["quanzhou"], "answers": {"1": {"q": "问", "fb": None}}})
        await p.update_chat_data(-9, {"x": 1})
        await p.update_bot_data({"stats": {"questions": 3}})
        await p.update_conversation("drafting", (5, 5), "answering")
        await p.update_conversation("drafting", (6, 6), "reviewing")
        await p.update_conversation("drafting", (6, 6), None)
        p.journal(41, {"update_id": 41})
        p.journal(40, {"update_id": 40})
        p.done(41)
        p.close()

    async def read() -> None:
        p = SQLitePersistence(path)
        assert await p.get_user_data() == {
            5: {"context": ["quanzhou"], "answers": {"1": {"q": "问", "fb": None}}}
        }
        assert await p.get_chat_data() == {-9: {"x": 1}}
        assert await p.get_bot_data() == {"stats": {"questions": 3}}
        assert await p.get_conversations("drafting") == {(5, 5): "answering"}
        assert p.pending() == [{"update_id": 40}]
        await p.drop_user_data(5)
        assert await p.get_user_data() == {}
        p.close()

    run(write())
    run(read())


def test_aiohttp_transport_maps_timeouts_and_refusals() -> None:
    with FakeBotApiServer() as server:

        async def scenario() -> None:
            request = AiohttpRequest(read_timeout=0.5)
            await request.initialize()
            try:
                status, body = await request.do_request(f"{server.api_url}{server.core.token}/getMe", "POST")
                assert status == 200 and b'"is_bot": true' in body
                server.core.stall(2)
                with pytest.raises(TimedOut):
                    await request.do_request(f"{server.api_url}{server.core.token}/getMe", "POST")
                with socket.socket() as s:
                    s.bind(("127.0.0.1", 0))
                    closed = s.getsockname()[1]
                with pytest.raises(NetworkError):
                    await request.do_request(f"http://127.0.0.1:{closed}/bot1:X/getMe", "POST")
            finally:
                await request.shutdown()

        run(scenario())


def test_log_lines_never_show_the_token() -> None:
    token = "123456:AAH-secret_Value"
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/sendMessage failed")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s", (token,), exc_info=None)
        import sys

        record.exc_info = sys.exc_info()
    text = TokenRedactingFormatter(token, "%(message)s").format(record)
    assert token not in text and "AAH-secret_Value" not in text
    assert text.count("<token>") == 2 and "Traceback" in text


def test_a_stall_under_the_send_timeout_sends_once_and_beyond_it_at_least_once() -> None:
    """Issue 12, item 4, the two sides of the send timeout T (here 0.6 s; the bot's default is
    `SEND_TIMEOUT`, 30 s). A slow Bot API that answers within T: one request, one message. One that
    answers later (here after 2.5 T): the request is given up and sent again, and Telegram processes
    both, so the message arrives twice; never zero times, and not once per retry, since the retry
    waits 2 T."""
    with FakeBotApiServer() as server:
        core = server.core

        async def scenario() -> None:
            bot = ExtBot(
                core.token,
                base_url=server.api_url,
                request=AiohttpRequest(4, read_timeout=0.6),
                get_updates_request=AiohttpRequest(1),
                rate_limiter=RetryingRateLimiter(overall_max_rate=0, max_wait=10, read_timeout=0.6),
            )
            async with bot:
                core.stall(0.3, slow=True)
                await bot.send_message(1, "卡顿 0.5 T")
                core.stall(1.5, slow=True)
                await bot.send_message(1, "卡顿 2.5 T")

        run(scenario())
        time.sleep(0.3)  # a request given up on is processed when the stall ends
        texts = Counter(c.text for c in core.sent(1, "sendMessage"))
    assert texts["卡顿 0.5 T"] == 1
    assert 1 <= texts["卡顿 2.5 T"] <= 2, texts


def test_default_timeouts_cover_the_documented_stalls(tmp_path: Path) -> None:
    """The guarantee in docs/telegram.md: Bot API calls wait 30 s for Telegram before a retry (so a
    stall up to that long sends nothing twice), while getUpdates keeps a short read timeout."""
    from bot import telegram_app

    app = telegram_app.build_application(Settings(data_dir=tmp_path, telegram_token="1:X"))
    request = app.bot.request
    assert isinstance(request, AiohttpRequest) and request.read_timeout == telegram_app.SEND_TIMEOUT == 30.0
    assert telegram_app.UPDATES_READ_TIMEOUT < telegram_app.SEND_TIMEOUT


def test_outbox_keeps_unsent_replies_across_processes(tmp_path: Path) -> None:
    """Replies recorded for an update stay until every one is ticked off; those of an update no
    longer in the inbox are the ones an outage kept back, found again by a new process."""
    path = tmp_path / "bot.sqlite3"
    p = SQLitePersistence(path)
    p.journal(7, {"update_id": 7})
    p.outbox_put(7, 42, [{"state": "answering"}, {"text": "一"}, {"text": "二"}])
    assert [(seq, sent) for seq, _, sent in p.outbox_get(7)] == [(0, True), (1, False), (2, False)]
    p.outbox_sent(7, 1)
    p.outbox_forget(7)  # one still unsent: kept
    assert p.undelivered() == []  # the update is still in the inbox: a replay sends it
    p.done(7)
    assert p.undelivered(42) == [7] and p.undelivered_users() == {42}
    p.close()
    again = SQLitePersistence(path)
    assert again.undelivered_marks == {42}
    again.outbox_add(7, 42, {"text": "三"})
    assert [item.get("text") for _, item, sent in again.outbox_get(7) if not sent] == ["二", "三"]
    for seq, _, sent in again.outbox_get(7):
        if not sent:
            again.outbox_sent(7, seq)
    again.outbox_forget(7)
    assert again.outbox_get(7) == [] and again.undelivered_users() == set()
    again.close()
