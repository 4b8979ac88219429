"""Web benchmark: the real `jiebang serve` process (uvicorn) on loopback, measured from outside.

- page first load: `GET /` and every asset the page names (the browser's first visit, no cache), in a
  fresh server right after start, then the median of repeated loads;
- `POST /api/ask` at 1 client and at 50 concurrent clients (each sends its next question the moment
  the previous answer arrives; keep-alive connections). The server caches answers per (question,
  context, day), as the Telegram bot does, so after the first pass every answer is a cache hit: the
  figures at 1 and 50 clients are the HTTP stack plus that cache. The first, uncached pass over the
  same questions is reported too (the engine itself);
- `GET /api/lookup` for hotline typing: each prefix of a few queries, first (uncached) request.

The load generator speaks HTTP/1.1 over asyncio streams (no client library), so the client costs
little next to the server it measures on the same two cores. The rate limit is off for the run
(`JIEBANG_WEB_RATE=0`): 50 clients share one loopback address.

`run()` returns a dict; `python -m bench.web_bench` prints it as JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.latency import answer_questions, summary_ms

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 30.0
CLIENTS = 50
REQUESTS_PER_CLIENT = 40
LOOKUPS = ("泉州 截止", "湘潭 电话", "研发投入 不少于", "补助比例", "龙泉 联系人")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Conn:
    """One keep-alive HTTP/1.1 connection; `request` returns (status, body)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw.split(b" ", 2)[1])
        m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", raw)
        data = await self.reader.readexactly(int(m.group(1))) if m else b""
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()


def ask_body(question: str) -> bytes:
    return json.dumps({"question": question}, ensure_ascii=False).encode()


async def page_load(port: int) -> tuple[float, int, int]:
    """(seconds, bytes, files): the HTML on one connection, then its assets in parallel, as a browser."""
    t0 = time.perf_counter()
    first = Conn(port)
    status, html = await first.request("GET", "/")
    if status != 200:
        raise RuntimeError(f"GET / answered {status}")
    assets = sorted(set(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)))

    async def fetch(path: bytes) -> int:
        c = Conn(port)
        try:
            code, data = await c.request("GET", path.decode())
            if code != 200:
                raise RuntimeError(f"GET {path.decode()} answered {code}")
            return len(data)
        finally:
            await c.close()

    sizes = await asyncio.gather(*(fetch(p) for p in assets))
    await first.close()
    return time.perf_counter() - t0, len(html) + sum(sizes), 1 + len(assets)


async def clients(port: int, questions: list[str], n: int, per_client: int) -> tuple[list[float], float]:
    """`n` clients, each asking `per_client` questions back to back; (latencies, wall seconds)."""
    latencies: list[float] = []

    async def one(k: int) -> None:
        c = Conn(port)
        try:
            for i in range(per_client):
                body = ask_body(questions[(k * per_client + i) % len(questions)])
                t0 = time.perf_counter()
                status, _ = await c.request("POST", "/api/ask", body)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    raise RuntimeError(f"/api/ask answered {status}")
        finally:
            await c.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(n)))
    return latencies, time.perf_counter() - t0


async def lookups(port: int) -> list[float]:
    from urllib.parse import quote

    c = Conn(port)
    out = []
    try:
        for text in LOOKUPS:
            for end in range(1, len(text) + 1):
                t0 = time.perf_counter()
                status, _ = await c.request("GET", f"/api/lookup?q={quote(text[:end])}")
                out.append(time.perf_counter() - t0)
                if status != 200:
                    raise RuntimeError(f"/api/lookup answered {status}")
    finally:
        await c.close()
    return out


async def wait_up(port: int, proc: subprocess.Popen[str], timeout: float = 120.0) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"jiebang serve exited with {proc.returncode}")
        try:
            c = Conn(port)
            status, _ = await c.request("GET", "/api/forms")
            await c.close()
            if status == 200:
                return time.perf_counter() - t0
        except OSError:
            await asyncio.sleep(0.05)
    raise TimeoutError("jiebang serve did not answer")


async def wait_ready(port: int, timeout: float = 300.0) -> float:
    """Seconds until the warm-up (index, catalogue, one answer) has finished."""
    t0 = time.perf_counter()
    c = Conn(port)
    try:
        while time.perf_counter() - t0 < timeout:
            status, data = await c.request("GET", "/api/health")
            if status == 200 and json.loads(data)["ready"]:
                return time.perf_counter() - t0
            await asyncio.sleep(0.05)
    finally:
        await c.close()
    raise TimeoutError("jiebang serve did not finish its warm-up")


async def measure(port: int, proc: subprocess.Popen[str]) -> dict[str, Any]:
    questions, source = answer_questions()
    up = await wait_up(port, proc)
    first_load, size, files = await page_load(port)  # a fresh server, warming up meanwhile
    ready = up + await wait_ready(port)
    one = Conn(port)
    uncached = []
    for q in questions:  # the engine: every question once, not yet cached
        t0 = time.perf_counter()
        status, _ = await one.request("POST", "/api/ask", ask_body(q))
        uncached.append(time.perf_counter() - t0)
        if status != 200:
            raise RuntimeError(f"/api/ask answered {status}")
    await one.close()
    loads = [(await page_load(port))[0] for _ in range(10)]
    single, _ = await clients(port, questions, 1, len(questions) * 2)
    many, wall = await clients(port, questions, CLIENTS, REQUESTS_PER_CLIENT)
    typed = await lookups(port)
    return {
        "questions": source,
        "server_up_s": round(up, 2),
        "server_ready_s": round(ready, 2),
        "page_first_load_ms": round(first_load * 1000, 1),
        "page_load_median_ms": round(statistics.median(loads) * 1000, 1),
        "page_bytes": size,
        "page_files": files,
        "ask_uncached_1_ms": summary_ms(uncached),
        "ask_cached_1_ms": summary_ms(single),
        f"ask_cached_{CLIENTS}_ms": summary_ms(many),
        f"ask_{CLIENTS}_throughput_per_s": round(len(many) / wall, 1),
        "lookup_typing_ms": summary_ms(typed),
        "clients": CLIENTS,
        "target_p95_ms": TARGET_P95_MS,
    }


def run() -> dict[str, Any]:
    """Start `jiebang serve` on a free loopback port (the bench's data dir and index), measure, stop."""
    port = free_port()
    env = {**os.environ, "JIEBANG_WEB_RATE": "0", "PYTHONPATH": str(ROOT)}
    env.pop("JIEBANG_WEB_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if importlib.util.find_spec("uvloop") is None:
            return asyncio.run(measure(port, proc))
        import uvloop  # lowers the client's own overhead: it shares the two cores with the server

        result: dict[str, Any] = uvloop.run(measure(port, proc))
        return result
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
