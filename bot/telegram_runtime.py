"""Delivery machinery under the handlers: ordering, persistence after each update, retries, safe logs.

- `JournalQueue`: every update is written to the SQLite inbox before the updater confirms it to
  Telegram (the next getUpdates) or the webhook answers 200; it leaves the inbox once handled, and
  what is left after a crash is handled again at start-up (`replay_inbox`).
- `PerUserUpdateProcessor`: updates of one user run one after another and in order (a draft must
  not see two answers at once), different users run concurrently; an update already handled before a
  restart is skipped; persistence is written after every update, not only at shutdown.
- `RetryingRateLimiter`: AIORateLimiter (flood limits, RetryAfter) plus retries on network errors
  and timeouts, so a flaky Bot API delays a reply instead of losing it.
- `TokenRedactingFormatter`: the token never reaches a log line, a traceback included.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import AIORateLimiter, Application, BaseUpdateProcessor

from bot.telegram_persistence import SQLitePersistence

LAST_UPDATE_KEY = "last_update_id"
INFLIGHT_KEY = "inflight_update_id"
log = logging.getLogger("jiebang.telegram")


class JournalQueue(asyncio.Queue[object]):
    """The application's update queue, journaling each update to the persistence inbox on the way in."""

    def __init__(self, persistence: SQLitePersistence) -> None:
        super().__init__()
        self.persistence = persistence

    def put_nowait(self, item: object) -> None:
        if isinstance(item, Update):
            self.persistence.journal(item.update_id, item.to_dict())
        super().put_nowait(item)


async def replay_inbox(application: Application[Any, Any, Any, Any, Any, Any]) -> int:
    """Queue again the updates a killed process had received but not finished; returns how many."""
    persistence = application.persistence
    if not isinstance(persistence, SQLitePersistence):
        return 0
    pending = persistence.pending()
    for data in pending:
        await application.update_queue.put(Update.de_json(data, application.bot))
    if pending:
        log.info("handling %d update(s) left unfinished by the previous run", len(pending))
    return len(pending)


async def mark_inflight(application: Application[Any, Any, Any, Any, Any, Any], update: Update) -> bool:
    """Before a step that writes a draft: note the update and flush. Returns False if the same update
    already started once before a crash; its effect on the draft is then unknown and must not be
    applied twice."""
    user = update.effective_user
    if user is None:
        return True
    data = application.user_data[user.id]
    if data.get(INFLIGHT_KEY) == update.update_id:
        return False
    data[INFLIGHT_KEY] = update.update_id
    if application.persistence is not None:
        await application.persistence.update_user_data(user.id, copy.deepcopy(data))
    return True


async def mark_applied(application: Application[Any, Any, Any, Any, Any, Any], update: Update) -> None:
    """After a step wrote the draft and before the reply goes out: record the update as handled, so a
    crash after the reply can never make the replayed update look unfinished."""
    user = update.effective_user
    if user is None:
        return
    data = application.user_data[user.id]
    data[LAST_UPDATE_KEY] = update.update_id
    data.pop(INFLIGHT_KEY, None)
    if application.persistence is not None:
        await application.persistence.update_user_data(user.id, copy.deepcopy(data))


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across users, sequential and deduplicated within one user."""

    def __init__(self, max_concurrent_updates: int = 512) -> None:
        super().__init__(max_concurrent_updates)
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def initialize(self) -> None:
        """Nothing to allocate: locks are created per user on demand."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    def _acquire_slot(self, uid: int) -> asyncio.Lock:
        lock, users = self._locks.get(uid, (asyncio.Lock(), 0))
        self._locks[uid] = (lock, users + 1)
        return lock

    def _release_slot(self, uid: int) -> None:
        lock, users = self._locks[uid]
        if users <= 1:
            del self._locks[uid]
        else:
            self._locks[uid] = (lock, users - 1)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._process(update, coroutine)
        finally:
            persistence = self.application.persistence if self.application else None
            if isinstance(update, Update) and isinstance(persistence, SQLitePersistence):
                persistence.done(update.update_id)

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update) or update.effective_user is None or self.application is None:
            await coroutine
            await self._persist()
            return
        user = update.effective_user
        lock = self._acquire_slot(user.id)
        try:
            async with lock:
                data = self.application.user_data[user.id]
                if update.update_id <= int(data.get(LAST_UPDATE_KEY, -1)):
                    log.info("skipping update %s: already handled before a restart", update.update_id)
                    if isinstance(coroutine, Coroutine):
                        coroutine.close()
                    return
                await coroutine
                data[LAST_UPDATE_KEY] = update.update_id
                data.pop(INFLIGHT_KEY, None)
                await self._persist()
        finally:
            self._release_slot(user.id)

    async def _persist(self) -> None:
        if self.application is not None and self.application.persistence is not None:
            await self.application.update_persistence()


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter that also retries network errors and timeouts, with capped exponential backoff.

    A `BadRequest` is the caller's fault and is not retried; `RetryAfter` is handled by the parent.
    `max_wait` bounds the total time spent retrying one request (after that the error surfaces to the
    error handler, which logs it; the bot keeps running).
    """

    def __init__(self, *, max_wait: float = 60.0, **kwargs: Any) -> None:
        kwargs.setdefault("max_retries", 5)
        super().__init__(**kwargs)
        self.max_wait = max_wait

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_wait
        delay = 0.25
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise
            except NetworkError as exc:
                if loop.time() + delay > deadline:
                    raise
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, type(exc).__name__, delay)
                await asyncio.sleep(delay * (0.8 + 0.4 * random.random()))
                delay = min(delay * 2, 8.0)


class TokenRedactingFormatter(logging.Formatter):
    """Replaces the bot token wherever it appears in a formatted record, traceback included."""

    def __init__(self, token: str | None, fmt: str | None = None) -> None:
        super().__init__(fmt)
        parts = {token, token.split(":", 1)[-1] if token else None}
        self.secrets = sorted((s for s in parts if s and len(s) >= 4), key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, NetworkError | InvalidToken) and not isinstance(exc, BadRequest):
            # connection trouble and a rejected token are explained in one line; a stack adds nothing
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
            record.msg = f"{record.msg} ({type(exc).__name__}: {exc})"
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "<token>")
        return text


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    """One stderr handler with the token redacted; httpx's per-request lines (they hold the URL) muted."""
    handler = logging.StreamHandler()
    handler.setFormatter(TokenRedactingFormatter(token, "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
