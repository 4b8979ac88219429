"""Form drafting benchmark: how long one answer takes to validate and one form takes to export.

`run()` returns a dict (the lead wires it into `make bench`); targets: validate ≤ 5 ms, export ≤ 300 ms.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

VALIDATE_TARGET_MS = 5.0
EXPORT_TARGET_MS = 300.0
EXAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "forms"

# (form id, field id, answer as typed): a spread of field kinds, including the slow-looking ones
SAMPLES: list[tuple[str, str, Any]] = [
    ("quanzhou", "fiscal_funds", "1,200万"),
    ("quanzhou", "rd_total", "一千二百万"),
    ("quanzhou", "problem_overview", "现有可降解鞋底材料回弹性差、耐磨性不足，" * 24),
    ("quanzhou", "unit_nature", "骨干企业、高新技术企业"),
    ("quanzhou", "peers", "晋江市恒达体育用品有限公司｜龙头企业\n石狮市新材料科技有限公司｜骨干企业"),
    ("xiangtan", "credit_code", "9143 0300 ma4l 1234 5l"),
    ("xiangtan", "special_funds", "50"),
    ("liaoning", "category", "重大"),
    (
        "liaoning",
        "finance",
        "2019｜42000｜40500｜2100｜3200｜2600｜48.5\n2021｜52300｜50100｜2700｜4100｜3300｜46.8",
    ),
    ("liaoning", "solver_deadline", "2024年12月底前"),
    ("longquan-jianbing", "directions", "合金材料、先进半导体材料"),
    ("jingdezhen", "contact_email", "wangxd@hcxcl.cn"),
]


def _ms(fn: Callable[[], Any], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 3), "p95": round(p95, 3), "runs": len(ordered)}


def _example_values(form_id: str) -> dict[str, Any]:
    from knowledge.formspec import load_form
    from validators import resolve_keys, validate_answers

    form = load_form(form_id)
    by_id, _ = resolve_keys(form, json.loads((EXAMPLES / f"{form_id}.json").read_text(encoding="utf-8")))
    return validate_answers(form, by_id).values


def run(validate_runs: int = 200, export_runs: int = 5) -> dict[str, Any]:
    """Validate one answer (field checks + the rules involving it) many times; export every form."""
    from exporters import export_form
    from knowledge.formspec import form_ids, load_form
    from validators import check_rules, validate_field

    values = {fid: _example_values(fid) for fid in form_ids()}

    timings: list[float] = []
    for form_id, field_id, raw in SAMPLES:
        form = load_form(form_id)
        f = form.field(field_id)
        current = values[form_id]

        def one(form: Any = form, f: Any = f, raw: Any = raw, current: dict[str, Any] = current) -> None:
            res = validate_field(form, f, raw)
            check_rules(form, {**current, f.id: res.value}, f.id)

        one()  # warm caches (regexes, form specs)
        timings.extend(_ms(one, validate_runs))
    validate = _stats(timings)

    export: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for form_id in form_ids():
            form = load_form(form_id)
            out_dir = Path(tmp) / form_id

            def write(form: Any = form, form_id: str = form_id, out_dir: Path = out_dir) -> None:
                result = export_form(form, values[form_id], out_dir=out_dir, out_path=out_dir / "bench.docx")
                assert result.ok, result.message

            write()
            export[form_id] = round(statistics.median(_ms(write, export_runs)), 1)
    worst = max(export.values())
    return {
        "validate_answer_ms": validate,
        "export_ms": export,
        "export_ms_max": worst,
        "targets": {"validate_ms": VALIDATE_TARGET_MS, "export_ms": EXPORT_TARGET_MS},
        "ok": validate["p95"] <= VALIDATE_TARGET_MS and worst <= EXPORT_TARGET_MS,
    }
