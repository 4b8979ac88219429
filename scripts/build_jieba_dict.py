"""Write knowledge/data/jieba_dict.txt: jieba's dictionary cut to the words the notices and the
catalogue use plus the most frequent words of the language (about 21,000 of its 349,000 entries).

Loading jieba's full dictionary takes 1–1.5 s on a small machine, most of a cold start; this one
loads in about 0.05 s. Words outside it are still cut by jieba's HMM. Run after changing the notices,
the catalogue or the jieba version: `.venv/bin/python scripts/build_jieba_dict.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import jieba
import zhconv

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "knowledge" / "data" / "jieba_dict.txt"
MOST_FREQUENT = 20_000


def main() -> int:
    source = Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    lines = source.read_text(encoding="utf-8").splitlines()
    entries = [line.split(" ") for line in lines]
    paths = [
        *(ROOT / "knowledge" / "corpus").glob("*.txt"),
        *(ROOT / "knowledge" / "catalogue").glob("*.yaml"),
        *(p for p in (ROOT / "knowledge" / "data").iterdir() if p.name != OUT.name),
        *(ROOT / "knowledge" / "forms").glob("*.yaml"),
    ]
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(paths))
    text += zhconv.convert(text, "zh-cn")
    frequent = {e[0] for e in sorted(entries, key=lambda e: -int(e[1]))[:MOST_FREQUENT]}
    keep = [line for line, e in zip(lines, entries, strict=True) if e[0] in frequent or e[0] in text]
    OUT.write_text("\n".join(keep) + "\n", encoding="utf-8")
    print(f"{len(keep)} of {len(lines)} words → {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
