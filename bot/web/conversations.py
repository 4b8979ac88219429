"""Follow-up contexts of the web chat, kept in memory: the same `Context` the CLI and Telegram pass
from one answer to the next, under an unguessable id the client sends back with its next question.

Bounded: the least recently used conversation is dropped beyond `max_items`; a dropped or unknown id
is answered without context (the response says so). Nothing here is written to disk, and drafts are
never kept on the server: the page stores them in the browser.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from knowledge.types import Answer
from knowledge.understand import Context

EngineKey = tuple[str, tuple[str, ...], str | None, tuple[str, ...], date]
Cached = tuple[Answer, bytes]  # the answer and its `jiebang ask --json` body, serialised once


class Conversations:
    """An LRU map from conversation id to the context the next question of it may rely on."""

    def __init__(self, max_items: int) -> None:
        self.max_items = max_items
        self._items: OrderedDict[str, Context] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(18)

    def get(self, conversation_id: str) -> Context | None:
        with self._lock:
            ctx = self._items.get(conversation_id)
            if ctx is not None:
                self._items.move_to_end(conversation_id)
            return ctx

    def put(self, conversation_id: str, ctx: Context) -> None:
        with self._lock:
            self._items[conversation_id] = ctx
            self._items.move_to_end(conversation_id)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class AnswerCache:
    """Answers by (question, context notices, previous questions, day): the engine is deterministic
    for these, so a repeated question is served without running it again (as the Telegram bot does)."""

    def __init__(self, max_items: int = 2048) -> None:
        self.max_items = max_items
        self._items: OrderedDict[EngineKey, Cached] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(question: str, ctx: Context | None, today: date) -> EngineKey:
        if ctx is None:
            return (question, (), None, (), today)
        return (question, tuple(ctx.notices), ctx.question, tuple(ctx.earlier), today)

    def get(self, key: EngineKey) -> Cached | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: EngineKey, ans: Answer) -> Cached:
        from bot.payloads import answer_json
        from bot.web.safety import json_bytes

        hit = (ans, json_bytes(answer_json(ans)))
        with self._lock:
            self._items[key] = hit
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return hit

    def compute(self, key: EngineKey, run: Callable[[], Answer]) -> Cached:
        """The cached answer, or `run()`'s, stored."""
        hit = self.get(key)
        return hit if hit is not None else self.put(key, run())
