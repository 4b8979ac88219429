"""What not to submit is the rules that exclude, and the day a window opens is not the day the notice
was signed. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_which_needs_not_to_submit_are_the_exclusions() -> None:
    text = answer("泉州这回摸底，什么样的需求不用交？", TODAY).answer
    first = text.splitlines()[0]
    assert "不列入" in first or "不再重复提交" in first
    assert "成熟技术" in text and "立项支持" in text


def test_the_day_filing_opens() -> None:
    lines = answer("浙江中央引导资金储备项目，政务服务网上几号开始能报？", TODAY).answer.splitlines()
    assert any("3月18日" in line and "截止" not in line for line in lines[:2])
