"""SQLite-backed PTB persistence: one row per user, chat and conversation, each write its own transaction.

PicklePersistence rewrites one file in place, so a SIGKILL during a write can leave it unreadable.
Here every write is an SQLite transaction in WAL mode, so a killed process never leaves a broken
file. The same file holds an inbox of updates received but not yet handled (see
`bot.telegram_runtime.JournalQueue`), so an update confirmed to Telegram is not lost in a crash, and
an outbox of replies written before they are sent, so a crash while sending does not lose
them. Values are JSON, so the file stays readable across versions; handlers keep only
JSON-compatible data (dicts, lists, strings, numbers) in user_data and bot_data. The file holds
message texts and personal data: it and its WAL files are readable by the bot's user only (0600).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

log = logging.getLogger("jiebang.telegram")

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS kv (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key))",
    "CREATE TABLE IF NOT EXISTS inbox (update_id INTEGER PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS outbox (update_id INTEGER NOT NULL, seq INTEGER NOT NULL, "
    "user_id INTEGER NOT NULL, item TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0, "
    "PRIMARY KEY (update_id, seq))",
)
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
PRIVATE_TREES = ("drafts", "exports")  # answers with names, phones and e-mails; the .docx made of them


def restrict(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Owner-only access to a file that may hold personal data (no-op if it does not exist). A file
    the bot may not chmod (another owner) is reported, not fatal: the bot still works."""
    try:
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("could not make %s private (%s); please chmod %o it", path, exc.strerror, mode)


def secure_data_dir(data_dir: Path) -> None:
    """Tighten what an older version left readable by everyone: drafts and exports become 0700
    directories of 0600 files (new ones are created so under the bot's umask)."""
    for name in PRIVATE_TREES:
        root = data_dir / name
        if not root.is_dir():
            continue
        restrict(root, PRIVATE_DIR)
        for folder, dirs, files in os.walk(root):
            for d in dirs:
                restrict(Path(folder) / d, PRIVATE_DIR)
            for f in files:
                restrict(Path(folder) / f)


class SQLitePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    """user_data, chat_data, bot_data and conversation states in one SQLite file."""

    def __init__(self, path: Path, update_interval: float = 60) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=True, chat_data=True, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._written: dict[tuple[str, str], str] = {}
        self.replayed: set[int] = set()  # updates queued again from the inbox at start-up
        if not path.exists():  # created owner-only from the start; SQLite gives its -wal/-shm the same mode
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
        restrict(path)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        for statement in SCHEMA:
            self._db.execute(statement)
        for suffix in ("-wal", "-shm"):  # files left by an older version may be world-readable
            restrict(path.with_name(path.name + suffix))
        # users with replies an outage kept back: sent before their next reply (see telegram_runtime)
        self.undelivered_marks: set[int] = self.undelivered_users()

    # -- storage ---------------------------------------------------------------------------------

    def _rows(self, kind: str) -> list[tuple[str, str]]:
        with self._lock:
            return self._db.execute("SELECT key, value FROM kv WHERE kind = ?", (kind,)).fetchall()

    def _put(self, kind: str, key: str, value: Any) -> None:
        """Write a row unless it holds exactly this value already (most updates change one user only)."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
        if self._written.get((kind, key)) == text:
            return
        self._written[(kind, key)] = text
        with self._lock:
            self._db.execute(
                "INSERT INTO kv(kind, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value",
                (kind, key, text),
            )

    def _delete(self, kind: str, key: str) -> None:
        self._written.pop((kind, key), None)
        with self._lock:
            self._db.execute("DELETE FROM kv WHERE kind = ? AND key = ?", (kind, key))

    def _by_id(self, kind: str) -> dict[int, dict[str, Any]]:
        return {int(k): json.loads(v) for k, v in self._rows(kind)}

    # -- inbox: updates received but not yet fully handled --------------------------------------

    def journal(self, update_id: int, data: dict[str, Any]) -> None:
        """Record an update before getUpdates confirms it, so a crash cannot lose it."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO inbox(update_id, data) VALUES (?, ?)",
                (update_id, json.dumps(data, ensure_ascii=False)),
            )

    def done(self, update_id: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,))

    def pending(self) -> list[dict[str, Any]]:
        """Updates a previous process received but did not finish, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT data FROM inbox ORDER BY update_id").fetchall()
        return [json.loads(r[0]) for r in rows]

    # -- outbox: replies decided but maybe not yet delivered ------------------------------------

    def outbox_put(self, update_id: int, user_id: int, items: list[dict[str, Any]]) -> None:
        """Record the replies to an update (item 0 is bookkeeping, already "sent"), in one transaction."""
        rows = [
            (update_id, seq, user_id, json.dumps(item, ensure_ascii=False), 1 if seq == 0 else 0)
            for seq, item in enumerate(items)
        ]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM outbox WHERE update_id = ?", (update_id,))
                self._db.executemany(
                    "INSERT INTO outbox(update_id, seq, user_id, item, sent) VALUES (?, ?, ?, ?, ?)", rows
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def outbox_add(self, update_id: int, user_id: int, item: dict[str, Any]) -> None:
        """Append one reply to an update's recorded replies."""
        text = json.dumps(item, ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT INTO outbox(update_id, seq, user_id, item, sent) VALUES (?, "
                "(SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox WHERE update_id = ?), ?, ?, 0)",
                (update_id, update_id, user_id, text),
            )

    def outbox_get(self, update_id: int) -> list[tuple[int, dict[str, Any], bool]]:
        """(seq, item, sent) of an update's recorded replies; empty if none were recorded."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, item, sent FROM outbox WHERE update_id = ? ORDER BY seq", (update_id,)
            ).fetchall()
        return [(int(seq), json.loads(item), bool(sent)) for seq, item, sent in rows]

    def outbox_sent(self, update_id: int, seq: int) -> None:
        with self._lock:
            self._db.execute("UPDATE outbox SET sent = 1 WHERE update_id = ? AND seq = ?", (update_id, seq))

    def outbox_forget(self, update_id: int) -> None:
        """Drop an update's replies once every one was sent; unsent ones stay for a later delivery."""
        with self._lock:
            self._db.execute(
                "DELETE FROM outbox WHERE update_id = ? AND NOT EXISTS "
                "(SELECT 1 FROM outbox WHERE update_id = ? AND sent = 0)",
                (update_id, update_id),
            )

    def undelivered(self, user_id: int | None = None) -> list[int]:
        """Updates already handled (out of the inbox) whose replies were not all sent, oldest first."""
        query = (
            "SELECT DISTINCT update_id FROM outbox WHERE sent = 0 "
            "AND update_id NOT IN (SELECT update_id FROM inbox)"
        )
        args: tuple[int, ...] = ()
        if user_id is not None:
            query += " AND user_id = ?"
            args = (user_id,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY update_id", args).fetchall()
        return [int(r[0]) for r in rows]

    def undelivered_users(self) -> set[int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT user_id FROM outbox WHERE sent = 0 "
                "AND update_id NOT IN (SELECT update_id FROM inbox)"
            ).fetchall()
        return {int(r[0]) for r in rows}

    def outbox_drop(self, update_id: int) -> None:
        with self._lock:
            self._db.execute("DELETE FROM outbox WHERE update_id = ?", (update_id,))

    # -- BasePersistence ---------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        return self._by_id("user")

    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return self._by_id("chat")

    async def get_bot_data(self) -> dict[str, Any]:
        rows = dict(self._rows("bot"))
        return json.loads(rows["bot"]) if "bot" in rows else {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        out: dict[ConversationKey, object] = {}
        for k, v in self._rows(f"conv:{name}"):
            out[tuple(json.loads(k))] = json.loads(v)
        return out

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        k = json.dumps(list(key))
        if new_state is None:
            self._delete(f"conv:{name}", k)
        else:
            self._put(f"conv:{name}", k, new_state)

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        self._put("user", str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        self._put("chat", str(chat_id), data)

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        self._put("bot", "bot", data)

    async def update_callback_data(self, data: CDCData) -> None:
        """Arbitrary callback data is off: the bot's callback data are short strings it parses itself."""

    async def drop_chat_data(self, chat_id: int) -> None:
        self._delete("chat", str(chat_id))

    async def drop_user_data(self, user_id: int) -> None:
        self._delete("user", str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """The in-memory copy is the live one; nothing else writes this file while the bot runs."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        """See refresh_user_data."""

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        """See refresh_user_data."""

    async def flush(self) -> None:
        """Every update is already committed; closing releases the file."""
        with self._lock:
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()
