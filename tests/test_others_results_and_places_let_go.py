"""A unit the user says has already solved the problem is not the user's own class, and the mature-
technology exclusion answers; a place the user says they no longer ask about is not asked. Phrasings
are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def test_a_unit_that_already_solved_it_is_not_the_user() -> None:
    text = answer("泉州摸底需求，我们这个难题其实科研院所早就有成熟成果了，还能报吗？", TODAY).answer
    assert "不列入" in text and "单位类型" not in text


def test_a_place_let_go_is_not_asked() -> None:
    ans = converse(
        [
            "浙江中央引导资金科技创新基地建设方向每项最多支持多少？",
            "算了不问江苏了，浙江的区域科技创新体系建设方向呢？",
        ],
        today=TODAY,
    )[-1]
    assert not ans.refused and "江苏" not in ans.answer
