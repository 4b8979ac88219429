"""Gold JSONL → retrieval and answer metrics, the same rules for the dev set and a held-out set."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from knowledge.types import Answer, Hit

MIN_OVERLAP = 8


class GoldFileError(ValueError):
    """The gold file cannot be read; the message names the line and what is wrong."""


def load_gold(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldFileError(f"无法读取评测文件 {path}：{exc.strerror or exc}。请检查路径。") from exc
    items = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFileError(
                f"评测文件第{i}行不是合法的 JSON：{exc.msg}。每行应是一个 JSON 对象。"
            ) from exc
        if not isinstance(item, dict) or "question" not in item:
            raise GoldFileError(f"评测文件第{i}行缺少 question 字段。")
        items.append(item)
    return items


def evidences(item: dict[str, Any]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    if item.get("evidence"):
        out.append((item["evidence"], item.get("evidence_file")))
    for extra in item.get("extra_evidence") or []:
        if extra.get("evidence"):
            out.append((extra["evidence"], extra.get("evidence_file")))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def shares_run(a: str, b: str, n: int = MIN_OVERLAP) -> bool:
    """True when a and b share n consecutive characters (whitespace ignored)."""
    a, b = _squash(a), _squash(b)
    if len(a) < n or len(b) < n:
        return bool(a) and bool(b) and (a in b or b in a)
    grams = {a[i : i + n] for i in range(len(a) - n + 1)}
    return any(b[i : i + n] in grams for i in range(len(b) - n + 1))


@dataclass
class RetrievalReport:
    n: int = 0
    hits_at: dict[int, int] = field(default_factory=lambda: {1: 0, 3: 0, 5: 0})
    rr_sum: float = 0.0
    misses: list[str] = field(default_factory=list)

    @property
    def mrr(self) -> float:
        return self.rr_sum / self.n if self.n else 0.0

    def rate(self, k: int) -> float:
        return self.hits_at[k] / self.n if self.n else 0.0

    def lines(self) -> list[str]:
        return [
            f"items {self.n}",
            f"hit@1 {self.rate(1):.3f}  hit@3 {self.rate(3):.3f}  hit@5 {self.rate(5):.3f}  MRR {self.mrr:.3f}",
        ]


def eval_retrieval(
    items: Iterable[dict[str, Any]], search: Callable[[str, int], list[Hit]], k: int = 5
) -> RetrievalReport:
    """A hit is a returned chunk sharing ≥ 8 consecutive characters with the evidence; G items skipped."""
    report = RetrievalReport()
    for item in items:
        if item.get("category") == "G" or item.get("expect_refusal"):
            continue
        evs = [e for e, _ in evidences(item)]
        if not evs:
            continue
        report.n += 1
        hits = search(item["question"], k)
        rank = next(
            (i for i, h in enumerate(hits, 1) if any(shares_run(h.chunk.text, e) for e in evs)),
            None,
        )
        if rank is None:
            report.misses.append(str(item.get("id", item["question"])))
            continue
        report.rr_sum += 1 / rank
        for cut in report.hits_at:
            if rank <= cut:
                report.hits_at[cut] += 1
    return report


@dataclass
class AnswerReport:
    by_category: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    refusal_tp: int = 0
    refusal_fp: int = 0
    refusal_fn: int = 0
    non_verbatim: int = 0
    false_statements: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> tuple[int, int]:
        flat = [ok for oks in self.by_category.values() for ok in oks]
        return sum(flat), len(flat)

    def lines(self) -> list[str]:
        out = []
        for cat in sorted(self.by_category):
            oks = self.by_category[cat]
            out.append(f"{cat}: {sum(oks)}/{len(oks)} ({sum(oks) / len(oks):.0%})")
        passed, n = self.total
        precision = (
            self.refusal_tp / (self.refusal_tp + self.refusal_fp)
            if self.refusal_tp + self.refusal_fp
            else 1.0
        )
        recall = (
            self.refusal_tp / (self.refusal_tp + self.refusal_fn)
            if self.refusal_tp + self.refusal_fn
            else 1.0
        )
        out.append(f"refusal precision {precision:.2f}  recall {recall:.2f}")
        out.append(f"non-verbatim quotes {self.non_verbatim}")
        out.append(f"false statements {self.false_statements}")
        out.append(f"passed {passed}/{n} ({passed / n if n else 0:.1%})")
        return out


def check_answer(
    item: dict[str, Any], ans: Answer, notice_text: Callable[[str], str]
) -> tuple[bool, list[str], int]:
    """The pass rule of `jiebang eval answers`; returns (passed, reasons, non-verbatim quote count)."""
    reasons = []
    text = _squash(ans.answer)
    for must in item.get("must_contain") or []:
        if _squash(must) not in text:
            reasons.append(f"missing {must!r}")
    for never in item.get("must_not_contain") or []:
        if _squash(never) in text:
            reasons.append(f"false statement {never!r}")
    if bool(ans.refused) != bool(item.get("expect_refusal")):
        reasons.append(f"refused={ans.refused}")
    expected = item.get("notice")
    expected_ids = [expected] if isinstance(expected, str) else list(expected or [])
    cited = {c.notice for c in ans.citations}
    if not item.get("expect_refusal"):
        for nid in expected_ids:
            if nid not in cited:
                reasons.append(f"notice {nid} not cited")
        evs = [e for e, _ in evidences(item)]
        if evs and not any(shares_run(c.quote, e) for c in ans.citations for e in evs):
            reasons.append("no citation overlaps the evidence")
    bad = 0
    for c in ans.citations:
        try:
            source = notice_text(c.notice)
        except ValueError:
            bad += 1
            continue
        if source[c.start : c.end] != c.quote:
            bad += 1
    if bad:
        reasons.append(f"{bad} non-verbatim quotes")
    return not reasons, reasons, bad


Asker = Callable[[list[str], date | None], Answer]


def item_today(item: dict[str, Any], default: date | None) -> date | None:
    raw = item.get("today")
    if not raw:
        return default
    try:
        return date.fromisoformat(str(raw))
    except ValueError as exc:
        raise GoldFileError(f"条目 {item.get('id', '?')} 的 today 应写成 YYYY-MM-DD：{raw!r}") from exc


def turns(item: dict[str, Any]) -> list[str]:
    """The questions of an item's conversation: its `history` (or `conversation`), then its question."""
    history = item.get("history") or item.get("conversation") or []
    return [*(str(q) for q in history), str(item["question"])]


def eval_answers(
    items: Iterable[dict[str, Any]],
    ask: Asker,
    notice_text: Callable[[str], str],
    today: date | None = None,
) -> AnswerReport:
    """`ask(questions, today)` answers the last question after the earlier ones, in one conversation."""
    report = AnswerReport()
    for item in items:
        ans = ask(turns(item), item_today(item, today))
        ok, reasons, bad = check_answer(item, ans, notice_text)
        report.non_verbatim += bad
        report.false_statements += sum(1 for r in reasons if r.startswith("false statement"))
        report.by_category[str(item.get("category", "?"))].append(ok)
        expect = bool(item.get("expect_refusal"))
        if expect and ans.refused:
            report.refusal_tp += 1
        elif ans.refused and not expect:
            report.refusal_fp += 1
        elif expect and not ans.refused:
            report.refusal_fn += 1
        if not ok:
            report.failures.append(f"{item.get('id', '?')}: {'; '.join(reasons)}")
    return report
