"""A fake Telegram Bot API for tests and the benchmark: in-memory state plus a loopback HTTP server.

`FakeTelegram` is the Bot API's behaviour (users, chats, messages, updates, files, injected faults);
`FakeBotApiServer` serves it over real HTTP on 127.0.0.1 (random port) for the `jiebang telegram`
process, and `tests.telegram_fakes.RecordingRequest` calls it in-process for handler-level tests.

Implemented: getMe, getUpdates (long poll), sendMessage, editMessageText, editMessageReplyMarkup,
answerCallbackQuery, answerInlineQuery, sendChatAction, sendDocument (multipart), setMyCommands,
getMyCommands, deleteWebhook, setWebhook, getWebhookInfo, getFile (+ the file download URL), close,
logOut. Faults: HTTP 500, 429 with retry_after, and stalls: requests hang, and then either those
whose client gave up are dropped unprocessed (a network partition) or, with `slow=True`, every one
is processed anyway (a slow Bot API: a client that timed out and retried sends the message twice).
Like Telegram, a callback query can be answered only within `callback_max_age` seconds (15) of the
press; later, answerCallbackQuery is a 400 "query is too old".
"""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from functools import partial
from typing import Any

from aiohttp import web

TOKEN = "123:TEST"
BOT_USER = {
    "id": 777000123,
    "is_bot": True,
    "first_name": "揭榜助手",
    "username": "jiebang_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
JSON_FIELDS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "allowed_updates",
    "reply_markup",
    "commands",
    "results",
    "scope",
    "link_preview_options",
    "show_alert",
    "cache_time",
    "is_personal",
    "reply_parameters",
    "entities",
    "drop_pending_updates",
    "disable_notification",
    "protect_content",
}


@dataclass
class Call:
    """One Bot API request as the server saw it."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class Fault:
    status: int
    remaining: int
    methods: frozenset[str] | None = None
    retry_after: int = 1


class FakeTelegram:
    """Bot API state. Thread-safe: the HTTP server and the test thread both call it."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.calls: list[Call] = []
        self.pending: list[dict[str, Any]] = []
        self.update_ids = itertools.count(1)
        self.message_ids: dict[int, itertools.count[int]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.file_ids = itertools.count(1)
        self.commands: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.stall_until = 0.0
        self.stall_processes_abandoned = False
        self.callback_max_age = 15.0
        self.queries: dict[str, float] = {}
        self.base_url = ""
        self.sent_at: dict[int, float] = {}
        self.listeners: list[Callable[[], object]] = []
        self.by_chat: dict[int, list[Call]] = {}
        self.chat_changed: dict[int, threading.Condition] = {}
        self.delivered_upto = 0

    # -- the user's side -----------------------------------------------------------------------

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}", "language_code": "zh-hans"}

    @staticmethod
    def chat(chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"用户{chat_id}"}
        return {"id": chat_id, "type": "group", "title": "测试群"}

    def _next_message_id(self, chat_id: int) -> int:
        return next(self.message_ids.setdefault(chat_id, itertools.count(1)))

    def add_update(self, payload: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        with self.lock:
            uid = next(self.update_ids)
            self.pending.append({"update_id": uid, **payload})
            self.sent_at[uid] = time.monotonic()
            self.changed.notify_all()
            listeners = list(self.listeners)
        for notify in listeners:
            notify()
        return uid

    def message_update(
        self, user_id: int, extra: dict[str, Any], chat_id: int | None = None
    ) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        with self.lock:
            mid = self._next_message_id(chat_id)
        message = {
            "message_id": mid,
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": self.user(user_id),
            **extra,
        }
        return {"message": message}

    def text_update(self, user_id: int, text: str, chat_id: int | None = None) -> dict[str, Any]:
        extra: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            extra["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.message_update(user_id, extra, chat_id)

    def send_text(self, user_id: int, text: str, chat_id: int | None = None) -> int:
        return self.add_update(self.text_update(user_id, text, chat_id))

    def sticker_update(self, user_id: int) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.message_update(user_id, {"sticker": sticker})

    def photo_update(self, user_id: int) -> dict[str, Any]:
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return self.message_update(user_id, {"photo": photo, "caption": "看看这张图"})

    def edited_update(self, user_id: int, text: str) -> dict[str, Any]:
        update = self.text_update(user_id, text)
        update["message"]["edit_date"] = int(time.time())
        return {"edited_message": update["message"]}

    def callback_update(self, user_id: int, message: dict[str, Any] | None, data: str) -> dict[str, Any]:
        query_id = f"cq{time.monotonic_ns()}"
        with self.lock:
            self.queries[query_id] = time.monotonic()
        query: dict[str, Any] = {
            "id": query_id,
            "from": self.user(user_id),
            "chat_instance": f"ci{user_id}",
            "data": data,
        }
        if message is not None:
            query["message"] = message
        return {"callback_query": query}

    def press(self, user_id: int, call: Call, data: str) -> int:
        """Press a button (any data: real, stale or forged) under the bot message sent by `call`."""
        return self.add_update(self.callback_update(user_id, self.message_of(call), data))

    def inline_update(self, user_id: int, query: str) -> dict[str, Any]:
        return {
            "inline_query": {
                "id": f"iq{time.monotonic_ns()}",
                "from": self.user(user_id),
                "query": query,
                "offset": "",
            }
        }

    # -- observations --------------------------------------------------------------------------

    def message_of(self, call: Call) -> dict[str, Any] | None:
        """The message object the bot's sendMessage created (as Telegram stored it)."""
        with self.lock:
            mid = call.params.get("_message_id")
            return self.messages.get((call.chat_id or 0, int(mid))) if mid else None

    def sent(self, chat_id: int | None = None, method: str | None = None, since: int = 0) -> list[Call]:
        with self.lock:
            return [
                c
                for c in self.calls[since:]
                if (chat_id is None or c.chat_id == chat_id) and (method is None or c.method == method)
            ]

    def wait_for(self, predicate: Callable[[list[Call]], Any], timeout: float = 10.0) -> Any:
        """Block until predicate(calls) is truthy; returns its value, or raises TimeoutError."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                value = predicate(self.calls)
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    methods = [(c.method, c.chat_id, c.text[:40]) for c in self.calls[-8:]]
                    raise TimeoutError(f"condition not met in {timeout} s; last calls: {methods}")
                self.changed.wait(min(left, 0.5))

    def inbox(self, chat_id: int) -> int:
        """How many messages and documents the bot has sent to a chat so far (a mark for `wait_chat`)."""
        with self.lock:
            return len(self.by_chat.get(chat_id, []))

    def wait_chat(self, chat_id: int, n: int, since: int, timeout: float = 10.0) -> list[Call]:
        """Wait until the bot has sent at least `n` messages/documents to `chat_id` after `since`."""
        deadline = time.monotonic() + timeout
        with self.lock:
            condition = self._chat_condition(chat_id)
            while True:
                got = self.by_chat.get(chat_id, [])[since:]
                if len(got) >= n:
                    return list(got)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"chat {chat_id}: {len(got)} of {n} replies in {timeout} s: {[c.text[:60] for c in got]}"
                    )
                condition.wait(min(left, 0.5))

    def _chat_condition(self, chat_id: int) -> threading.Condition:
        """One condition per chat (sharing the lock), so a reply wakes only that chat's waiter."""
        with self.lock:
            if chat_id not in self.chat_changed:
                self.chat_changed[chat_id] = threading.Condition(self.lock)
            return self.chat_changed[chat_id]

    def mark(self) -> int:
        with self.lock:
            return len(self.calls)

    # -- faults --------------------------------------------------------------------------------

    def fail(self, status: int, times: int, methods: set[str] | None = None, retry_after: int = 1) -> None:
        """The next `times` matching requests get HTTP `status` (500, or 429 with retry_after)."""
        with self.lock:
            self.faults.append(Fault(status, times, frozenset(methods) if methods else None, retry_after))

    def stall(self, seconds: float, slow: bool = False) -> None:
        """Every request arriving in the next `seconds` hangs until then (clients time out meanwhile).
        With `slow`, each is then processed even if its client gave up, as a slow Telegram would."""
        with self.lock:
            self.stall_until = time.monotonic() + seconds
            self.stall_processes_abandoned = slow

    def stalled(self) -> bool:
        return time.monotonic() < self.stall_until

    def _fault_for(self, method: str) -> tuple[int, dict[str, Any]] | None:
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and (fault.methods is None or method in fault.methods):
                    fault.remaining -= 1
                    if fault.status == 429:
                        return 429, {
                            "ok": False,
                            "error_code": 429,
                            "description": f"Too Many Requests: retry after {fault.retry_after}",
                            "parameters": {"retry_after": fault.retry_after},
                        }
                    return fault.status, {
                        "ok": False,
                        "error_code": fault.status,
                        "description": "Internal Server Error",
                    }
        return None

    # -- the bot's side ------------------------------------------------------------------------

    def take_updates(self, offset: int | None, limit: int) -> list[dict[str, Any]]:
        """getUpdates semantics: an offset confirms (forgets) every update below it."""
        with self.lock:
            if offset is not None:
                self.pending = [u for u in self.pending if u["update_id"] >= offset]
            batch = self.pending[: max(1, min(limit, 100))]
            if batch:
                self.delivered_upto = max(self.delivered_upto, batch[-1]["update_id"])
            return batch

    def api(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Handle one Bot API call; returns (HTTP status, JSON body)."""
        fault = self._fault_for(method)
        if fault is not None:
            return fault
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        with self.lock:
            call = Call(method, dict(params), dict(files or {}))
            try:
                result = handler(call)
            except (KeyError, ValueError, TypeError) as exc:
                return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
            if method != "getUpdates":
                self.calls.append(call)
                if call.chat_id is not None and method in ("sendMessage", "sendDocument"):
                    self.by_chat.setdefault(call.chat_id, []).append(call)
                    self._chat_condition(call.chat_id).notify_all()
                self.changed.notify_all()
        return 200, {"ok": True, "result": result}

    def _bot_message(self, call: Call, extra: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        mid = self._next_message_id(chat_id)
        message = {
            "message_id": mid,
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": BOT_USER,
            **extra,
        }
        if call.params.get("reply_markup"):
            message["reply_markup"] = call.params["reply_markup"]
        self.messages[(chat_id, mid)] = message
        call.params["_message_id"] = mid
        return message

    def _m_getMe(self, call: Call) -> dict[str, Any]:
        return BOT_USER

    def _m_getUpdates(self, call: Call) -> list[dict[str, Any]]:
        offset = call.params.get("offset")
        return self.take_updates(
            int(offset) if offset is not None else None, int(call.params.get("limit", 100))
        )

    def _m_sendMessage(self, call: Call) -> dict[str, Any]:
        text = str(call.params["text"])
        if not text.strip():
            raise ValueError("message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ValueError("message is too long")
        if call.params.get("parse_mode") == "HTML":
            check_html(text)
        return self._bot_message(call, {"text": text})

    def _m_sendDocument(self, call: Call) -> dict[str, Any]:
        name, content = call.files.get("document", ("document", b""))
        if not content:
            raise ValueError("there is no document in the request")
        file_id = f"doc{next(self.file_ids)}"
        self.files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "mime_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "file_size": len(content),
        }
        extra: dict[str, Any] = {"document": document}
        if call.params.get("caption"):
            extra["caption"] = call.params["caption"]
        return self._bot_message(call, extra)

    def _edited(self, call: Call, change: dict[str, Any]) -> dict[str, Any] | bool:
        if call.params.get("inline_message_id"):
            return True
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if key not in self.messages:
            raise ValueError("message to edit not found")
        self.messages[key].update(change)
        return self.messages[key]

    def _m_editMessageText(self, call: Call) -> dict[str, Any] | bool:
        if call.params.get("parse_mode") == "HTML":
            check_html(str(call.params["text"]))
        change: dict[str, Any] = {"text": call.params["text"]}
        if call.params.get("reply_markup"):
            change["reply_markup"] = call.params["reply_markup"]
        return self._edited(call, change)

    def _m_editMessageReplyMarkup(self, call: Call) -> dict[str, Any] | bool:
        result = self._edited(call, {"reply_markup": call.params.get("reply_markup")})
        if isinstance(result, dict) and not result.get("reply_markup"):
            result.pop("reply_markup", None)
        return result

    def _m_answerCallbackQuery(self, call: Call) -> bool:
        if len(str(call.params.get("text", ""))) > 200:
            raise ValueError("callback answer text is too long")
        born = self.queries.get(str(call.params.get("callback_query_id")))
        if born is None or time.monotonic() - born > self.callback_max_age:
            raise ValueError("query is too old and response timeout expired or query ID is invalid")
        return True

    def _m_answerInlineQuery(self, call: Call) -> bool:
        if len(call.params.get("results", [])) > 50:
            raise ValueError("too many results")
        return True

    def _m_sendChatAction(self, call: Call) -> bool:
        return True

    def _m_setMyCommands(self, call: Call) -> bool:
        self.commands = list(call.params.get("commands", []))
        return True

    def _m_getMyCommands(self, call: Call) -> list[dict[str, Any]]:
        return self.commands

    def _m_deleteWebhook(self, call: Call) -> bool:
        return True

    def _m_setWebhook(self, call: Call) -> bool:
        return True

    def _m_getWebhookInfo(self, call: Call) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self.pending)}

    def _m_getFile(self, call: Call) -> dict[str, Any]:
        file_id = str(call.params["file_id"])
        content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": f"documents/{file_id}.docx",
        }

    def _m_close(self, call: Call) -> bool:
        return True

    def _m_logOut(self, call: Call) -> bool:
        return True


def check_html(text: str) -> None:
    """Reject what Telegram rejects: unknown tags, unbalanced tags, bare < or &."""
    import re

    allowed = {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-spoiler",
        "span",
        "tg-emoji",
    }
    stack: list[str] = []
    for m in re.finditer(r"<(/?)([a-zA-Z-]+)[^<>]*>|<|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);|&", text):
        token = m.group(0)
        if token in ("<", "&"):
            raise ValueError(f"can't parse entities: unescaped {token!r}")
        if m.group(2) is None:
            continue
        name = m.group(2).lower()
        if name not in allowed:
            raise ValueError(f"can't parse entities: unsupported start tag {name!r}")
        if m.group(1):
            if not stack or stack.pop() != name:
                raise ValueError(f"can't parse entities: unexpected end tag {name!r}")
        else:
            stack.append(name)
    if stack:
        raise ValueError(f"can't parse entities: unclosed tags {stack}")


def decode_params(raw: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in JSON_FIELDS:
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
        else:
            out[key] = value
    return out


class FakeBotApiServer:
    """`FakeTelegram` over HTTP on 127.0.0.1, in a background thread with its own event loop."""

    def __init__(self, core: FakeTelegram | None = None, port: int = 0) -> None:
        self.core = core or FakeTelegram()
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._new_update: asyncio.Event | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> FakeBotApiServer:
        self._thread = threading.Thread(target=self._serve, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fake Bot API server did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> FakeBotApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._startup())
        self._ready.set()
        loop.run_forever()
        loop.close()

    async def _startup(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.core.base_url = f"http://127.0.0.1:{self.port}"
        self._new_update = asyncio.Event()
        loop = asyncio.get_running_loop()
        self.core.listeners.append(partial(loop.call_soon_threadsafe, self._wake))

    def _wake(self) -> None:
        if self._new_update is not None:
            self._new_update.set()
            self._new_update = asyncio.Event()

    async def _shutdown(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        raw: dict[str, str] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        ctype = request.content_type
        if ctype == "multipart/form-data":
            head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
            message = BytesParser(policy=email.policy.HTTP).parsebytes(head + await request.read())
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if not isinstance(name, str) or not isinstance(payload, bytes):
                    continue
                filename = part.get_filename()
                if filename is not None:
                    files[name] = (filename, payload)
                else:
                    raw[name] = payload.decode("utf-8")
        elif ctype == "application/json":
            body = await request.json()
            raw.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
        elif request.can_read_body:
            form = await request.post()
            raw.update({k: str(v) for k, v in form.items()})
        params = decode_params(raw)
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
                files[key] = files.pop(value[9:])
                del params[key]
        return params, files

    @staticmethod
    def _json(status: int, body: Any) -> web.Response:
        return web.Response(
            status=status, text=json.dumps(body, ensure_ascii=False), content_type="application/json"
        )

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.core.token:
            return self._json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = request.match_info["method"]
        params, files = await self._params(request)
        slow = self.core.stall_processes_abandoned
        while self.core.stalled():
            await asyncio.sleep(0.05)
        gone = request.transport is None or request.transport.is_closing()
        if gone and not (slow and method != "getUpdates"):
            return web.Response(status=504)  # the client gave up: nothing is processed
        if method == "getUpdates":
            return await self._get_updates(params)
        status, body = self.core.api(method, params, files)
        return self._json(status, body)

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        fault = self.core._fault_for("getUpdates")
        if fault is not None:
            return self._json(*fault)
        offset = int(params["offset"]) if params.get("offset") is not None else None
        limit = int(params.get("limit", 100))
        deadline = time.monotonic() + float(params.get("timeout", 0) or 0)
        while True:
            waiter = self._new_update
            updates = self.core.take_updates(offset, limit)
            left = deadline - time.monotonic()
            if updates or left <= 0 or waiter is None:
                return self._json(200, {"ok": True, "result": updates})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.wait(), timeout=left)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.core.token:
            return web.Response(status=401)
        name = request.match_info["path"].rsplit("/", 1)[-1].split(".", 1)[0]
        content = self.core.files.get(name)
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content)
