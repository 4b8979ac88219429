"""Telegram bot benchmark: the real `jiebang telegram` process against the fake Bot API on loopback.

Simulated users each draft a whole form (龙泉 附件3: /draft, a form button, seven answers one of them
by button, /export with the .docx), so one user sends ten updates and receives eleven replies.
Latency is measured from the moment an update is queued at the fake server to the moment the bot's
first reply to it arrives there.

Two load models, both reported:
- `paced`: N users drafting at the same time, each pausing `think` seconds (uniform) before every
  message, as people do while reading a question and typing; starts are spread over one pause. This
  is the scenario the target (200 users, p95 ≤ 500 ms) refers to.
- `burst`: N users with no pause at all, each sending its next message the instant the previous
  reply arrives; this saturates the bot and shows its throughput ceiling.

The bot runs with `--max-rate 0`: the fake server has no flood limit, so Telegram's 30 messages/s cap
(on by default) is not what is being measured.

`run()` returns a dict; `python -m bench.telegram_bench` prints it as JSON.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

TARGET_P95_MS = 500.0
REPLIES_PER_USER = 11


def _scenario(core: Any, users: list[int], think: tuple[float, float] | None) -> dict[str, Any]:
    from tests.telegram_fakes import docx_text, drafting_user, markers, percentile

    rng = random.Random(users[0])

    def one(user_id: int) -> Any:
        pause = None
        if think is not None:
            lo, hi = think
            time.sleep(rng.uniform(0, hi))
            pause = lambda: rng.uniform(lo, hi)  # noqa: E731
        try:
            return drafting_user(core, user_id, timeout=120.0, think=pause)
        except TimeoutError:
            return None

    t0 = time.monotonic()
    with ThreadPoolExecutor(len(users)) as pool:
        runs = list(pool.map(one, users))
    wall = time.monotonic() - t0
    done = [r for r in runs if r is not None]
    latencies = [x for r in done for x in r.latencies]
    received = sum(core.inbox(u) for u in users)
    crossed = 0
    for r in done:
        crossed += sum(1 for c in r.replies if markers(c.text) - {r.user_id})
        if r.document is not None:
            crossed += int(bool(markers(docx_text(r.document)) - {r.user_id}))
    return {
        "users": len(users),
        "think_s": list(think) if think else None,
        "messages": len(latencies),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "max_ms": round(max(latencies, default=0.0) * 1000, 1),
        "throughput_replies_per_s": round(received / wall, 1) if wall else 0.0,
        "wall_s": round(wall, 1),
        "lost": REPLIES_PER_USER * len(users) - received,
        "crossed": crossed,
        "exports": sum(1 for r in done if r.document),
    }


def run(
    sizes: tuple[int, ...] = (50, 200),
    think: tuple[float, float] = (2.0, 6.0),
    burst_size: int | None = 200,
) -> dict[str, Any]:
    """Start the fake server and the bot, run the paced scenarios, then one burst; stop everything."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from knowledge.index import ensure_index
    from knowledge.settings import get_settings
    from tests.fake_bot_api import FakeBotApiServer
    from tests.telegram_fakes import BotProcess, data_dir_with_index

    settings = get_settings()
    ensure_index(settings=settings)
    tmp = Path(tempfile.mkdtemp(prefix="jiebang-tg-bench-"))
    result: dict[str, Any] = {"target_p95_ms": TARGET_P95_MS, "scenarios": {}}
    try:
        data_dir = data_dir_with_index(settings.data_dir, tmp / "data")
        with FakeBotApiServer() as server:
            bot = BotProcess(server, data_dir, tmp / "bot.log").start()
            try:
                next_id = 10_000_000  # the phone answer is 139 + the id in 8 digits
                for n in sizes:
                    users = list(range(next_id, next_id + n))
                    next_id += n
                    result["scenarios"][f"paced_{n}"] = _scenario(server.core, users, think)
                if burst_size:
                    users = list(range(next_id, next_id + burst_size))
                    result["scenarios"][f"burst_{burst_size}"] = _scenario(server.core, users, None)
                result["bot_peak_rss_mb"] = round(bot.peak_rss_mb(), 1)
                result["bot_and_workers_peak_rss_mb"] = round(bot.peak_rss_mb(with_children=True), 1)
            finally:
                bot.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    paced = result["scenarios"].get("paced_200")
    if paced:
        result["meets_target"] = (
            paced["p95_ms"] <= TARGET_P95_MS and paced["lost"] == 0 and paced["crossed"] == 0
        )
    return result


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
