"""Synthetic notices: real structure, invented places, deterministic, and invisible to answers about
the five real notices.

The invariance check runs `jiebang ask --json -` twice in fresh processes, once with a 2× synthetic
corpus in `JIEBANG_EXTRA_CORPUS_DIR`, both with `JIEBANG_EMBEDDING=none` (embedding the synthetic
chunks would take minutes; the BM25 side is where extra documents change scores, through IDF and
the score normalisation). Two extractive answers do move today; they are strict xfails below.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from knowledge.chunks import chunk_notice
from knowledge.corpus import CORPUS_DIR, load_notices
from knowledge.parse import normalize_ws, parse_notice
from knowledge.synthetic import ID_PREFIX, _reserved, generate, write_corpus

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-23"
QUESTIONS = [
    "泉州的需求表最晚什么时候交？",
    "湘潭 发榜方付给揭榜方的钱最低比例是多少",
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
    "泉州重大技术需求由谁组织论证",
    "深圳的揭榜挂帅什么时候截止？",
]
# Extractive answers whose passages move today: BM25's IDF and average length are computed over all
# chunks, so extra notices re-weight the terms inside a real notice too. Fixed by giving the shipped
# notices their own BM25 statistics in knowledge/retrieve.py (reported to the lead); strict, so the
# fix turns these into failures that say "remove the marker".
IDF_SHIFT = pytest.mark.xfail(
    strict=True,
    reason="retrieve.py: BM25 statistics are corpus-wide, so synthetic notices shift real extractive answers",
)
SHIFTING = ["湘潭揭榜挂帅项目评审怎么进行", "湘潭的项目知识产权归谁"]


def test_generator_is_deterministic_and_prefix_stable() -> None:
    ten = generate(12, seed=3)
    assert generate(12, seed=3) == ten
    assert generate(5, seed=3) == ten[:5]
    assert generate(5, seed=4) != ten[:5]
    assert len({e["short"] for e, _ in ten}) == len(ten)


def test_synthetic_notices_have_the_real_structure(tmp_path: Path) -> None:
    made = write_corpus(tmp_path, 2.0, seed=1)
    assert made.notices >= 5 and made.chars >= made.real_chars
    places, real_text, banned = _reserved()
    kinds: set[str] = set()
    for n in load_notices(tmp_path):
        assert n.id.startswith(ID_PREFIX)
        assert n.short not in real_text and not any(p in n.text for p in places), n.id
        assert not any(w in n.text for w in banned), n.id
        root, _ = parse_notice(n)
        assert len(root.children) == 1 + len(n.attachments)  # body + every 附件 found by its anchor
        chunks = chunk_notice(n)
        kinds |= {c.kind.value for c in chunks}
        for c in chunks:
            assert c.text == normalize_ws(n.text[c.start : c.end])
        assert any("、" in p and p[0] in "一二三四五六七八九" for c in chunks for p in c.path)
    assert {"body", "form_field", "form_guidance", "contact", "rule"} <= kinds
    real_chars = sum(len(n.text) for n in load_notices(CORPUS_DIR))
    assert made.real_chars == real_chars


def _ask(data_dir: Path, extra: Path | None, questions: list[str]) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIEBANG_")}
    env.update({"JIEBANG_DATA_DIR": str(data_dir), "JIEBANG_EMBEDDING": "none"})
    if extra is not None:
        env["JIEBANG_EXTRA_CORPUS_DIR"] = str(extra)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--today", TODAY, "-"],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def answers_with_and_without(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Answers by question, from a process without and one with a 2× synthetic corpus."""
    root = tmp_path_factory.mktemp("growth")
    extra = root / "synthetic"
    write_corpus(extra, 2.0)
    city = load_notices(extra)[0].short
    asked = QUESTIONS + SHIFTING
    base = _ask(root / "base", None, asked)
    grown = _ask(root / "grown", extra, [*asked, f"{city}的需求表什么时候截止？"])
    assert len(base) == len(asked) and len(grown) == len(asked) + 1
    return {a["question"]: a for a in base}, {a["question"]: a for a in grown}, city


@pytest.mark.parametrize("question", QUESTIONS + [pytest.param(q, marks=IDF_SHIFT) for q in SHIFTING])
def test_answers_about_real_notices_do_not_change(
    answers_with_and_without: tuple[dict[str, Any], dict[str, Any], str], question: str
) -> None:
    base, grown, _ = answers_with_and_without
    a, b = base[question], grown[question]
    assert a["refused"] == b["refused"]
    if a["refused"]:
        # a refusal lists every notice it covers, so only its reason line must stay the same
        assert question.startswith("深圳")
        assert a["answer"].splitlines()[0] == b["answer"].splitlines()[0]
        return
    assert a["answer"] == b["answer"]
    assert a["citations"] == b["citations"] and a["citations"]
    assert a["notices"] == b["notices"]


def test_synthetic_notices_are_searchable_when_present(
    answers_with_and_without: tuple[dict[str, Any], dict[str, Any], str],
) -> None:
    _, grown, city = answers_with_and_without
    probe = grown[f"{city}的需求表什么时候截止？"]
    assert not probe["refused"], probe["answer"]
    assert probe["citations"] and all(c["notice"].startswith(ID_PREFIX) for c in probe["citations"])
    assert city in probe["answer"]
