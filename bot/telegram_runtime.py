"""Delivery machinery under the handlers: ordering, persistence after each update, retries, safe logs.

- `JournalQueue`: every update is written to the SQLite inbox before the updater confirms it to
  Telegram (the next getUpdates) or the webhook answers 200; it leaves the inbox once handled, and
  what is left after a crash is handled again at start-up (`replay_inbox`).
- `PerUserUpdateProcessor`: updates of one user run one after another and in order (a draft must
  not see two answers at once), different users run concurrently; an update already handled before a
  restart is skipped; persistence is written after every update, not only at shutdown.
- Outbox (`deliver`, `redeliver`): drafting replies and answers are recorded before they are sent
  and ticked off one by one, so a crash while sending, or a Bot API outage longer than the retries,
  delays a reply (it is sent again after a restart, or before the user's next reply) instead of
  losing it. At least once: a message whose request reached Telegram just before a crash may arrive
  twice; none is silently dropped.
- `answer_query`: a callback query that can no longer be answered (too old after an outage, or the
  Bot API failing) never stops the button's action; an alert that cannot be shown becomes a message.
- `RetryingRateLimiter`: AIORateLimiter (flood limits, RetryAfter) plus retries on network errors
  and timeouts, so a flaky Bot API delays a reply instead of losing it.
- `TokenRedactingFormatter`: the token never reaches a log line, a traceback included.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, ClassVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import AIORateLimiter, Application, BaseUpdateProcessor

from bot.telegram_persistence import SQLitePersistence

LAST_UPDATE_KEY = "last_update_id"
log = logging.getLogger("jiebang.telegram")
App = Application[Any, Any, Any, Any, Any, Any]
LOST_REPLY = (
    "抱歉，刚才连接 Telegram 出了问题，您上一条消息的回复没能发出。"
    "请把那条消息重新发一次（草稿里已记录的内容不会丢失，可发送 /resume 查看进度）。"
)
MISSING_FILE = "这份 Word 文件已不在服务器上了，请发送 /export 重新生成。"


class JournalQueue(asyncio.Queue[object]):
    """The application's update queue, journaling each update to the persistence inbox on the way in."""

    def __init__(self, persistence: SQLitePersistence) -> None:
        super().__init__()
        self.persistence = persistence

    def put_nowait(self, item: object) -> None:
        if isinstance(item, Update):
            self.persistence.journal(item.update_id, item.to_dict())
        super().put_nowait(item)


def journal_of(application: App) -> SQLitePersistence | None:
    persistence = application.persistence
    return persistence if isinstance(persistence, SQLitePersistence) else None


async def replay_inbox(application: App) -> int:
    """Queue again the updates a killed process had received but not finished; returns how many."""
    persistence = journal_of(application)
    if persistence is None:
        return 0
    pending = persistence.pending()
    for data in pending:
        update = Update.de_json(data, application.bot)
        persistence.replayed.add(update.update_id)
        await application.update_queue.put(update)
    if pending:
        log.info("handling %d update(s) left unfinished by the previous run", len(pending))
    return len(pending)


async def recover(application: App) -> int:
    """At start-up: handle what a killed process left unfinished, then send replies an outage kept."""
    replayed = await replay_inbox(application)
    persistence = journal_of(application)
    if persistence is not None:
        for user_id in sorted(persistence.undelivered_users()):
            await deliver_undelivered(application, user_id)
    return replayed


# -- outbox ---------------------------------------------------------------------------------------


def message_item(chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None) -> dict[str, Any]:
    """An outbox entry for sendMessage (HTML, the bot's default parse mode)."""
    return {
        "method": "sendMessage",
        "chat_id": chat_id,
        "text": text,
        "reply_markup": markup.to_dict() if markup is not None else None,
    }


def document_item(chat_id: int, path: Path, caption: str) -> dict[str, Any]:
    """An outbox entry for sendDocument: the file stays on disk, the entry holds its path."""
    return {"method": "sendDocument", "chat_id": chat_id, "path": str(path), "caption": caption}


async def send_item(application: App, item: dict[str, Any]) -> None:
    bot = application.bot
    chat_id = int(item["chat_id"])
    if item.get("method") == "sendDocument":
        path = Path(str(item["path"]))
        try:
            content = path.read_bytes()
        except OSError:
            await bot.send_message(chat_id, MISSING_FILE)
            return
        await bot.send_document(chat_id, document=content, filename=path.name, caption=item.get("caption"))
        return
    markup = item.get("reply_markup")
    await bot.send_message(
        chat_id,
        str(item["text"]),
        reply_markup=InlineKeyboardMarkup.de_json(markup, bot) if markup else None,
    )


async def _send_pending(application: App, update_id: int, user_id: int) -> None:
    """Send an update's unsent replies in order, ticking each off as soon as Telegram confirms it."""
    persistence = journal_of(application)
    assert persistence is not None
    refused: TelegramError | None = None
    for seq, item, sent in persistence.outbox_get(update_id):
        if sent:
            continue
        try:
            await send_item(application, item)
        except TelegramError as exc:
            if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
                persistence.undelivered_marks.add(user_id)  # sent before this user's next reply
                raise
            refused = refused or exc  # refused for good (bad request, blocked bot): go on with the rest
        persistence.outbox_sent(update_id, seq)
    if refused is not None:
        raise refused


async def deliver(
    application: App, update: Update, items: list[dict[str, Any]], meta: dict[str, Any] | None = None
) -> None:
    """Record the replies to `update`, with `meta` (what the handler must restore if they are sent
    again after a crash, such as the conversation state they lead to), then send them."""
    persistence = journal_of(application)
    user = update.effective_user
    if persistence is None or user is None:
        for item in items:
            await send_item(application, item)
        return
    persistence.outbox_put(update.update_id, user.id, [meta or {}, *items])
    await _send_pending(application, update.update_id, user.id)


async def redeliver(application: App, update: Update) -> dict[str, Any] | None:
    """For an update replayed after a crash whose replies were already recorded: send the ones not
    yet confirmed and return the recorded meta; None when the update must be handled again."""
    persistence = journal_of(application)
    user = update.effective_user
    if persistence is None or user is None or update.update_id not in persistence.replayed:
        return None
    rows = persistence.outbox_get(update.update_id)
    if not rows:
        return None
    log.info("update %s: sending again the replies a crash cut off", update.update_id)
    await _send_pending(application, update.update_id, user.id)
    return dict(rows[0][1])


async def deliver_undelivered(application: App, user_id: int) -> None:
    """Replies an earlier outage kept back (the update itself is done): send them now, oldest first."""
    persistence = journal_of(application)
    if persistence is None:
        return
    persistence.undelivered_marks.discard(user_id)
    for update_id in persistence.undelivered(user_id):
        try:
            await _send_pending(application, update_id, user_id)
        except TelegramError as exc:
            log.warning("replies kept for user %s cannot be sent (%s)", user_id, type(exc).__name__)
            if user_id in persistence.undelivered_marks:
                return  # still unreachable: try again before the next reply
        persistence.outbox_forget(update_id)


def keep_lost_reply(application: App, update: Update) -> bool:
    """A reply failed for good (the Bot API stayed unreachable): unless the update's own replies are
    kept in the outbox, keep an apology to send later, so the user is never left with silence."""
    persistence = journal_of(application)
    user, chat = update.effective_user, update.effective_chat
    if persistence is None or user is None or chat is None:
        return False
    if not any(not sent for _, _, sent in persistence.outbox_get(update.update_id)):
        persistence.outbox_add(update.update_id, user.id, message_item(chat.id, LOST_REPLY))
    persistence.undelivered_marks.add(user.id)
    return True


# -- callback queries -----------------------------------------------------------------------------


async def answer_query(
    application: App, query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> bool:
    """Answer a callback query without ever stopping the caller: a query pressed while the bot was
    down is "too old" after about 15 s, and the Bot API may fail. The button's action goes on either
    way; an alert that could not be shown is sent as a message instead. Returns whether it was answered."""
    try:
        await query.answer(text, show_alert=alert)
        return True
    except TelegramError as exc:
        log.info("could not answer a callback query (%s: %s)", type(exc).__name__, exc)
    if alert and text:
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        try:
            await application.bot.send_message(chat_id, text)
        except TelegramError as exc:
            log.warning("could not tell the user about a refused button: %s", type(exc).__name__)
    return False


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
                persistence.outbox_forget(update.update_id)
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
                journal = journal_of(self.application)
                if journal is not None and user.id in journal.undelivered_marks:
                    await deliver_undelivered(self.application, user.id)
                await coroutine
                data[LAST_UPDATE_KEY] = update.update_id
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

    A send that timed out may have reached Telegram, so its retry may duplicate the message; each
    further attempt waits twice as long for the answer (from `read_timeout`), so a stall of up to
    three times the timeout costs at most one duplicate, not one per retry.
    """

    # a callback query cannot be answered more than about 15 s after the press: retrying longer only
    # holds up the button's action
    ENDPOINT_MAX_WAIT: ClassVar[dict[str, float]] = {"answerCallbackQuery": 5.0}

    def __init__(self, *, max_wait: float = 60.0, read_timeout: float | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_retries", 5)
        super().__init__(**kwargs)
        self.max_wait = max_wait
        self.read_timeout = read_timeout

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
        deadline = loop.time() + min(self.max_wait, self.ENDPOINT_MAX_WAIT.get(endpoint, self.max_wait))
        delay = 0.25
        patience = self.read_timeout
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise
            except NetworkError as exc:
                if loop.time() + delay > deadline:
                    raise
                if isinstance(exc, TimedOut) and patience is not None:
                    patience *= 2  # the last attempt may yet be answered: wait longer, send fewer copies
                    kwargs = {**kwargs, "read_timeout": patience}
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
