"""Optional LLM phrasing against a fake OpenAI-compatible server: accepted only when grounded."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest

from knowledge.answer import answer
from knowledge.settings import get_settings
from tests.fake_openai import FakeOpenAI

QUESTION = "湘潭的财政补助最多多少？"
TODAY = date(2026, 11, 23)


@pytest.fixture
def fake_llm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI()
    with fake.running():
        monkeypatch.setenv("JIEBANG_LLM_BASE_URL", fake.base_url)
        monkeypatch.setenv("JIEBANG_LLM_MODEL", "fake-model")
        monkeypatch.setenv("JIEBANG_LLM_API_KEY", "sk-test")
        monkeypatch.setenv("JIEBANG_LLM_TIMEOUT", "1.5")
        get_settings.cache_clear()
        yield fake


def deterministic() -> str:
    get_settings.cache_clear()
    return answer(QUESTION, today=TODAY).answer


def test_off_by_default_makes_no_request() -> None:
    assert not get_settings().llm_enabled
    assert answer(QUESTION, today=TODAY).citations


def test_grounded_reply_is_used_and_sees_the_quotes(fake_llm: FakeOpenAI) -> None:
    fake_llm.reply = lambda req: "湘潭单个项目资金补助最高不超过50万元，且按不超过研发投入总额的25%补助[1]。"
    ans = answer(QUESTION, today=TODAY)
    assert ans.answer.startswith("湘潭单个项目资金补助最高不超过50万元")
    assert ans.citations and "50万元" in ans.citations[0].quote
    prompt = fake_llm.requests[0]["messages"][-1]["content"]
    assert "原文摘录" in prompt and "50万元" in prompt


def test_invented_number_is_rejected(fake_llm: FakeOpenAI) -> None:
    fake_llm.reply = lambda req: "湘潭单个项目最高补助80万元[1]。"
    ans = answer(QUESTION, today=TODAY)
    assert "80万元" not in ans.answer and "50万元" in ans.answer
    assert len(fake_llm.requests) == 1


def test_citation_of_a_missing_source_is_rejected(fake_llm: FakeOpenAI) -> None:
    fake_llm.reply = lambda req: "最高不超过50万元[99]。"
    ans = answer(QUESTION, today=TODAY)
    assert "[99]" not in ans.answer and ans.answer == deterministic_with(fake_llm)


def deterministic_with(fake: FakeOpenAI) -> str:
    fake.reply = lambda req: ""
    return answer(QUESTION, today=TODAY).answer


def test_timeout_falls_back_within_the_configured_time(fake_llm: FakeOpenAI) -> None:
    fake_llm.delay = 5.0
    t0 = time.perf_counter()
    ans = answer(QUESTION, today=TODAY)
    elapsed = time.perf_counter() - t0
    assert "50万元" in ans.answer and ans.citations
    assert elapsed < 4.0


def test_refusals_never_reach_the_llm(fake_llm: FakeOpenAI) -> None:
    ans = answer("深圳的揭榜挂帅什么时候截止", today=TODAY)
    assert ans.refused and not fake_llm.requests
