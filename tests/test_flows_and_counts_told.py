"""Steps after a state reached, what happens after a hand-over, a deadline asked as 何时前, a quota said
back as a count, and a 大学 read as the notices' 高等院校. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_steps_from_a_state_reached_to_the_money() -> None:
    text = answer("湘潭的项目已经进了建议立项名单，到拿到钱中间还有哪些环节？", TODAY).answer
    assert "党组会" in text and "合同书" in text


def test_what_follows_a_hand_over_is_the_rest_of_the_flow() -> None:
    text = answer("泉州县里把推荐的需求报到市科技局后，后续如何处理？", TODAY).answer
    assert "论证" in text and "申报指南" in text


def test_before_when_asks_the_deadline() -> None:
    first = answer("浙江中央引导资金，设区市科技局推荐时需于何时前上传哪些材料？", TODAY).answer.splitlines()[
        0
    ]
    assert "截止" in first  # not the date the provincial notice was signed


def test_a_count_said_back_asks_the_quota() -> None:
    text = answer("浙江中央引导资金储备项目，舟山是不是也能报10项？", TODAY).answer
    assert text.startswith("设区市限项数") and "舟山6项" in text


def test_a_university_is_a_higher_education_institution() -> None:
    text = answer("我们是广东的一所大学，在湘潭没有分公司，湘潭的榜我们能揭吗？", TODAY).answer
    assert "高等院校" in text
