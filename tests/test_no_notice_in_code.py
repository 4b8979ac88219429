"""Notices are data: no engine module names a notice by its id, its city or any alias in the manifest.
A sixth notice therefore needs a corpus file, a manifest entry and a catalogue, and no code
(tests/test_sixth_notice.py shows one answered)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ENGINE_DIRS = ("knowledge", "bot", "validators", "exporters")


def _names(entry: dict[str, Any]) -> set[str]:
    out = {entry["id"], entry["short"], *entry.get("aliases", [])}
    for att in entry.get("attachments") or []:
        if att.get("subdocument"):
            out |= _names(att["subdocument"])
    return out


def test_no_engine_module_names_a_notice() -> None:
    manifest = yaml.safe_load((ROOT / "knowledge" / "corpus" / "manifest.yaml").read_text(encoding="utf-8"))
    names = set().union(*(_names(e) for e in manifest))
    assert len(names) > 40
    hits = []
    for d in ENGINE_DIRS:
        for path in sorted((ROOT / d).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for name in names:
                if name in text:
                    line = next(i for i, ln in enumerate(text.splitlines(), 1) if name in ln)
                    hits.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert not hits, hits
