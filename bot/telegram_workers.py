"""Interview steps in worker processes, so the event loop never waits for the GIL.

A drafting step validates, writes the draft (fsync) and, on export, builds a .docx with python-docx
(about 50 ms of pure Python). Run in a thread, that holds the GIL and stalls every other user's
reply; run here, in a small process pool, the bot's event loop keeps answering meanwhile. Each step
rebuilds the session from the draft store, which is where the interview keeps its state anyway, so
nothing but file paths and short lists crosses the process boundary.

Every draft a step writes carries the step's id (the Telegram update), in the same atomic write as
the answer. A step replayed after a crash therefore knows whether it already reached the disk: if so
it is not applied again (an answer would land in the next field), and the user is shown where the
draft stands instead.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from bot.drafts import Draft, DraftStore, atomic_write_json
from bot.interview import DraftSession, InterviewReply

log = logging.getLogger("jiebang.telegram")
ALREADY_APPLIED = "机器人刚刚重启。您的上一条消息在重启前已经记录，不会重复记录。下面是草稿现在的进度："
ALREADY_DONE = "机器人刚刚重启。您的上一条消息在重启前已经处理。发送 /resume 可继续草稿。"
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


class StepResult(BaseModel):
    """What the Telegram side needs after a step: the reply and where the draft now stands."""

    reply: InterviewReply
    draft_id: str | None = None
    form_id: str | None = None
    recommended: list[str] = Field(default_factory=list)
    listed: list[str] = Field(default_factory=list)
    replayed: bool = Field(
        False, description="the step had reached the disk before a crash; not applied again"
    )


class StampedStore(DraftStore):
    """The user's draft store, marking every draft and active pointer it writes with the step."""

    def __init__(self, root: Path, step: str | None) -> None:
        super().__init__(root)
        self.step = step

    def save(self, draft: Draft) -> None:
        draft.step = self.step
        super().save(draft)

    def set_active(self, user_id: str, draft_id: str | None) -> None:
        atomic_write_json(self.user_dir(user_id) / "_active.json", {"draft_id": draft_id, "step": self.step})

    def active_step(self, user_id: str) -> str | None:
        try:
            value = json.loads((self.user_dir(user_id) / "_active.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        step = value.get("step") if isinstance(value, dict) else None
        return step if isinstance(step, str) else None

    def applied(self, user_id: str) -> bool:
        """Whether the step reached the disk before a crash. A step that moves the active pointer
        writes the draft first: if only the draft made it, the pointer is moved now, as the step
        would have (a step that clears the pointer, like pausing, writes it first and stamps it)."""
        if self.step is None:
            return False
        stamped = [d for d in self.list(user_id) if d.step == self.step]
        if not stamped:
            return False
        if self.active_step(user_id) != self.step and self.get_active(user_id) != stamped[0].id:
            self.set_active(user_id, stamped[0].id)
        return True


def _where_it_stands(session: DraftSession) -> InterviewReply:
    """After a step that was already applied: the pending question or the summary, nothing changed."""
    draft = session.draft
    if draft is None:
        return InterviewReply(text=ALREADY_DONE)
    reply = session.summary() if draft.state.mode == "summary" else session.handle("继续")
    reply.text = f"{ALREADY_APPLIED}\n{reply.text}"
    return reply


def interview_step(
    root: str,
    user_id: str,
    recommended: list[str],
    listed: list[str],
    action: str,
    args: tuple[Any, ...],
    step: str | None = None,
    replayed: bool = False,
) -> StepResult:
    """One interview call on the user's session, exactly as the terminal would make it.

    `step` names the message (it is written into every draft the call saves); `replayed` says the
    message is handled again after a crash, so a draft already carrying its name means it was applied.
    """
    store = StampedStore(Path(root), step)
    applied = replayed and store.applied(user_id)
    session = DraftSession(store, user_id=user_id)
    session.recommended, session.listed = list(recommended), list(listed)
    reply: InterviewReply = _where_it_stands(session) if applied else getattr(session, action)(*args)
    return StepResult(
        reply=reply,
        draft_id=session.draft.id if session.draft else None,
        form_id=session.form.id if session.form else None,
        recommended=session.recommended,
        listed=session.listed,
        replayed=applied,
    )


def _warm() -> int:
    """Import what a step needs (forms, validators, python-docx) before the first user arrives."""
    import exporters.docx_export  # noqa: F401
    from knowledge.formspec import list_forms

    return len(list_forms())


def _watch_parent(parent: int) -> None:
    """Workers leave when the bot does, even when it is killed with SIGKILL and cannot tell them."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def workers() -> int:
    """One per core, at least two so an fsync never blocks every user: each worker holds python-docx
    and the form specs (about 130 MB after a few hundred exports), and the bot's memory budget counts them."""
    return max(2, min(4, os.cpu_count() or 1))


def pool() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                workers(),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
        return _pool


async def warm_up() -> None:
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(loop.run_in_executor(pool(), _warm) for _ in range(workers())))


async def run_step(
    root: Path,
    user_id: str,
    recommended: list[str],
    listed: list[str],
    action: str,
    *args: Any,
    step: str | None = None,
    replayed: bool = False,
) -> StepResult:
    """Run a step in the pool. If a worker died, the pool is replaced for the next step; this step is
    not retried, since it may have written the draft already (the error handler tells the user)."""
    global _pool
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(
            pool(), interview_step, str(root), user_id, recommended, listed, action, args, step, replayed
        )
    except BrokenProcessPool:
        log.warning("a drafting worker died; the next step starts a new pool")
        with _pool_lock:
            _pool = None
        raise


def shutdown() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            # wait=True: a step in flight takes milliseconds, and an executor left to the interpreter's
            # exit hook races its wake-up pipe ("Bad file descriptor" traceback at shutdown).
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None
