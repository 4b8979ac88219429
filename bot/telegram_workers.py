"""Interview steps in worker processes, so the event loop never waits for the GIL.

A drafting step validates, writes the draft (fsync) and, on export, builds a .docx with python-docx
(about 50 ms of pure Python). Run in a thread, that holds the GIL and stalls every other user's
reply; run here, in a small process pool, the bot's event loop keeps answering meanwhile. Each step
rebuilds the session from the draft store, which is where the interview keeps its state anyway, so
nothing but file paths and short lists crosses the process boundary.
"""

from __future__ import annotations

import asyncio
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

from bot.drafts import DraftStore
from bot.interview import DraftSession, InterviewReply

log = logging.getLogger("jiebang.telegram")
_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


class StepResult(BaseModel):
    """What the Telegram side needs after a step: the reply and where the draft now stands."""

    reply: InterviewReply
    draft_id: str | None = None
    form_id: str | None = None
    recommended: list[str] = Field(default_factory=list)
    listed: list[str] = Field(default_factory=list)


def interview_step(
    root: str, user_id: str, recommended: list[str], listed: list[str], action: str, args: tuple[Any, ...]
) -> StepResult:
    """One interview call on the user's session, exactly as the terminal would make it."""
    session = DraftSession(DraftStore(Path(root)), user_id=user_id)
    session.recommended, session.listed = list(recommended), list(listed)
    reply: InterviewReply = getattr(session, action)(*args)
    return StepResult(
        reply=reply,
        draft_id=session.draft.id if session.draft else None,
        form_id=session.form.id if session.form else None,
        recommended=session.recommended,
        listed=session.listed,
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
    root: Path, user_id: str, recommended: list[str], listed: list[str], action: str, *args: Any
) -> StepResult:
    """Run a step in the pool. If a worker died, the pool is replaced for the next step; this step is
    not retried, since it may have written the draft already (the error handler tells the user)."""
    global _pool
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(
            pool(), interview_step, str(root), user_id, recommended, listed, action, args
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
