"""Latency figures of the answer engine: index build, cold start, warm answer() and search.

Percentiles are nearest-rank over every timed call; medians and tails, never means, because a few
slow calls (a long question, a cache miss) are exactly what a user notices.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEV = REPO.parent / "shared" / "eval" / "dev.jsonl"
TODAY = date(2026, 11, 23)

# Used when the dev set is not beside the repo: every topic, phrasing styles and a refusal.
FALLBACK_QUESTIONS = [
    "泉州的需求表最晚什么时候交？",
    "湘潭那个征集时间是从几号到几号？",
    "景德镇500万的榜单财政最多给多少？签任务书那年到账多少？",
    "我们是辽宁高新技术领域企业，营收6000万，研发280万，能报重大需求吗？",
    "龙泉的需求表发到哪个邮箱？联系人是谁",
    "浙江中央引导资金储备项目丽水限报几项",
    "泉州需求表里的技术难题概述限多少字？",
    "湘潭和景德镇的财政补助比例各是多少？",
    "景德镇揭榜挂帅项目实施周期多长",
    "辽宁的需求征集表里要填哪些财务数据",
    "湘潭揭榜方要满足什么条件",
    "龙泉征集的技术需求要聚焦哪些领域",
    "景德镇的揭榜挂帅项目怎么验收",
    "泉州每个县推荐不超过几项需求",
    "湘潭揭榜挂帅项目评审怎么进行",
    "湘潭的项目知识产权归谁",
    "泉州重大技术需求由谁组织论证",
    "遼寧 其他領域企業 營收 研發投入 要求",
    "湘潭揭榜挂帅的需求表９月１５号再发邮件来得及吗",
    "深圳的揭榜挂帅什么时候截止？",
    "高新技术企业的企业所得税税率是多少？",
]


def dev_items() -> list[dict[str, Any]]:
    """The dev set, or [] when it is not beside the repo."""
    if not DEV.is_file():
        return []
    from knowledge.evaluate import load_gold

    return load_gold(DEV)


TUNE = REPO / "eval" / "tune.jsonl"


def tune_items() -> list[dict[str, Any]]:
    """The team's development set (eval/tune.jsonl, in the repository)."""
    from knowledge.evaluate import load_gold

    return load_gold(TUNE) if TUNE.is_file() else []


def questions() -> tuple[list[str], str]:
    items = dev_items()
    if items:
        return [str(i["question"]) for i in items], f"dev set ({len(items)} questions)"
    return list(FALLBACK_QUESTIONS), f"built-in list ({len(FALLBACK_QUESTIONS)} questions; dev set absent)"


def answer_questions() -> tuple[list[str], str]:
    """The dev set's and the tune set's questions: every topic, style and length answers meet."""
    items = dev_items() + tune_items()
    if items:
        return [str(i["question"]) for i in items], f"dev + tune sets ({len(items)} questions)"
    return questions()


def percentile(ordered: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted sequence."""
    if not ordered:
        return float("nan")
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1))]


def summary_ms(seconds: Iterable[float]) -> dict[str, float]:
    ordered = sorted(s * 1000 for s in seconds)
    return {
        "p50": round(percentile(ordered, 0.50), 2),
        "p95": round(percentile(ordered, 0.95), 2),
        "p99": round(percentile(ordered, 0.99), 2),
        "max": round(ordered[-1], 2) if ordered else float("nan"),
        "n": len(ordered),
    }


def time_each(fn: Callable[[str], Any], items: Sequence[str], rounds: int) -> list[float]:
    """One untimed warm-up pass, then `rounds` timed passes over every item."""
    for item in items:
        fn(item)
    out = []
    for _ in range(rounds):
        for item in items:
            t0 = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - t0)
    return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB.

    VmHWM belongs to the process's own memory map. `getrusage().ru_maxrss` is the fallback only:
    Linux carries it across fork and exec, so a child of a big parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# `jiebang ask` exactly as the console script runs it, then its own peak RSS on stderr's last line.
ASK_AND_REPORT_RSS = (
    "import sys\n"
    "from bot.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "from bench.latency import peak_rss_mb\n"
    "print(f'peak_rss_mb={peak_rss_mb():.1f}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@dataclass
class ColdStart:
    seconds: list[float]
    peak_rss_mb: list[float]
    question: str


def cold_start(data_dir: Path, question: str, runs: int = 3) -> ColdStart:
    """Wall time from spawning `jiebang ask --json` to reading its answer, on a built index.

    Each run is a fresh interpreter: imports, settings, BM25 over the chunks, the dense model and
    Chroma are all paid again. The child reports its own peak RSS when it is done.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIEBANG_")}
    env["JIEBANG_DATA_DIR"] = str(data_dir)
    cmd = [sys.executable, "-c", ASK_AND_REPORT_RSS, "ask", "--json", "--today", TODAY.isoformat(), question]
    seconds: list[float] = []
    rss: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO, env=env)
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()  # the answer is printed in one write: its first line is it
        elapsed = time.perf_counter() - t0
        rest = proc.stdout.read()
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 or not first.strip():
            raise RuntimeError(
                f"jiebang ask failed ({proc.returncode}): {err.decode(errors='replace')[-500:]}"
            )
        json.loads(first + rest)
        seconds.append(elapsed)
        rss.append(usage.ru_maxrss / 1024)
    return ColdStart(seconds, rss, question)


def index_build(data_dir: Path) -> dict[str, Any]:
    """A fresh build in an empty data dir, then the no-op second call `jiebang index` makes."""
    from knowledge.index import ensure_index
    from knowledge.settings import get_settings

    settings = get_settings()
    assert settings.data_dir == data_dir, "bench sets JIEBANG_DATA_DIR before measuring"
    t0 = time.perf_counter()
    status = ensure_index(rebuild=True, settings=settings)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = ensure_index(settings=settings)
    noop = time.perf_counter() - t0
    return {
        "seconds": round(built, 2),
        "chunks": status.chunks,
        "chunks_per_s": round(status.chunks / built, 1) if built else None,
        "embedding": settings.embedding,
        "noop_seconds": round(noop, 4),
        "noop_rebuilt": again.built,
    }


def warm(rounds: int = 5) -> dict[str, Any]:
    """answer() and search() in this process after one warm-up pass, over the same questions."""
    from knowledge.answer import answer
    from knowledge.retrieve import get_searcher

    items, source = questions()
    asked, asked_source = answer_questions()
    searcher = get_searcher()
    answer_s = time_each(lambda q: answer(q, today=TODAY), asked, max(2, rounds // 2))
    search_s = time_each(lambda q: searcher.search(q, 5), items, rounds)
    return {
        "questions": source,
        "answer_questions": asked_source,
        "rounds": rounds,
        "answer_ms": summary_ms(answer_s),
        "search_ms": summary_ms(search_s),
    }
