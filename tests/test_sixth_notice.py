"""A sixth notice written for this test — corpus, manifest and catalogue in tests/data/sixth — is
answered by the same engine with no code change: its deadline, an eligibility check with figures, a
capped funding calculation, its contact, and a question it is silent on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SIXTH = Path(__file__).parent / "data" / "sixth"
QUESTIONS = [
    "青岚的需求表什么时候截止？",
    "我们在青岚，营业收入2800万，研发费用200万，能报吗？",
    "青岚揭榜合同金额400万，财政最多补助多少？",
    "青岚的咨询电话是多少",
    "青岚的项目实施周期几年？",
]


@pytest.fixture(scope="module")
def answers() -> list[dict[str, Any]]:
    res = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--today", "2025-06-01", "-"],
        input="\n".join(QUESTIONS) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "JIEBANG_EXTRA_CORPUS_DIR": str(SIXTH)},
    )
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


def test_its_deadline_is_dated_against_today(answers: list[dict[str, Any]]) -> None:
    a = answers[0]
    assert not a["refused"] and "2025年6月30日前" in a["answer"] and "尚未截止" in a["answer"]
    assert "还有29天" in a["answer"] and a["citations"][0]["notice"] == "qinglan"


def test_its_thresholds_give_a_verdict_rule_by_rule(answers: list[dict[str, Any]]) -> None:
    a = answers[1]["answer"]
    assert a.startswith("结论：按通知条件，不符合")
    assert "您的2800万元，要求不少于3000万元——不满足" in a and "您的200万元，要求不少于150万元——满足" in a


def test_its_capped_rate_is_calculated(answers: list[dict[str, Any]]) -> None:
    a = answers[2]["answer"]
    assert "400万元 × 30% = 120万元" in a and "最多80万元" in a


def test_its_contact_is_given(answers: list[dict[str, Any]]) -> None:
    assert "0999-6612345" in answers[3]["answer"]


def test_what_it_is_silent_on_is_said_plainly(answers: list[dict[str, Any]]) -> None:
    a = answers[4]
    assert a["refused"] and a["answer"].startswith("青岚通知没有写明")
    assert "0999-6612345" in a["answer"]  # the office to ask
