"""A hotline line naming several rows of a form, one per clause, with their limits asked: each row
named loosely (背景与意义 for 背景及意义) is found. Phrasing is new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_each_row_of_a_terse_limits_line() -> None:
    text = answer("辽宁征集表 需求描述 限几个字？企业自身研发条件呢，限几字？", TODAY).answer
    assert "1000字" in text and "500字" in text
