"""Check a gold JSONL file's shape: fields, categories, and that every evidence quote is verbatim.

Usage: python scripts/check_gold.py FILE.jsonl [CORPUS_DIR]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

IDS = {"quanzhou", "xiangtan", "jingdezhen", "liaoning", "longquan"}
CATEGORIES = {
    "deadline",
    "date",
    "eligibility",
    "verdict",
    "funding",
    "calc",
    "form",
    "procedure",
    "contact",
    "period",
    "quota",
    "definition",
    "list",
    "multi",
    "cross",
    "silent",
    "out_of_scope",
    "followup",
}
STYLES = {"terse", "colloquial", "scenario", "traditional", "fullwidth", "formal"}


def main() -> int:
    path = Path(sys.argv[1])
    corpus = (
        Path(sys.argv[2])
        if len(sys.argv) > 2
        else Path(__file__).resolve().parents[1] / "knowledge" / "corpus"
    )
    texts = {p.name: p.read_text(encoding="utf-8") for p in corpus.glob("*.txt")}
    problems: list[str] = []
    seen: set[str] = set()
    n = 0
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        n += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {i}: not JSON ({exc.msg})")
            continue
        iid = item.get("id", f"line {i}")
        if iid in seen:
            problems.append(f"{iid}: duplicate id")
        seen.add(iid)
        for key in ("id", "category", "question", "must_contain", "expect_refusal"):
            if key not in item:
                problems.append(f"{iid}: missing {key}")
        if item.get("category") not in CATEGORIES:
            problems.append(f"{iid}: unknown category {item.get('category')!r}")
        if item.get("style") is not None and item["style"] not in STYLES:
            problems.append(f"{iid}: unknown style {item['style']!r}")
        notice = item.get("notice")
        ids = [notice] if isinstance(notice, str) else list(notice or [])
        for nid in ids:
            if nid not in IDS:
                problems.append(f"{iid}: unknown notice {nid!r}")
        if not item.get("expect_refusal") and not ids:
            problems.append(f"{iid}: an answered item needs notice")
        evs = []
        if item.get("evidence"):
            evs.append((item["evidence"], item.get("evidence_file")))
        for extra in item.get("extra_evidence") or []:
            evs.append((extra.get("evidence"), extra.get("evidence_file")))
        if not item.get("expect_refusal") and not evs:
            problems.append(f"{iid}: an answered item needs evidence")
        for ev, fname in evs:
            if fname not in texts:
                problems.append(f"{iid}: evidence_file {fname!r} is not a corpus file")
            elif not ev or ev not in texts[fname]:
                problems.append(f"{iid}: evidence not verbatim in {fname}: {ev!r}")
        for key in ("must_contain", "must_not_contain", "history"):
            val = item.get(key, [])
            if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
                problems.append(f"{iid}: {key} must be a list of strings")
        overlap = set(item.get("must_contain", [])) & set(item.get("must_not_contain", []))
        if overlap:
            problems.append(f"{iid}: the same string is required and forbidden: {overlap}")
    for p in problems:
        print(p)
    print(f"{n} items, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
