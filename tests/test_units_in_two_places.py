"""A group with units in two notices' places: each notice answers its own clause, and a unit the user
has in a notice's place is never told it is from elsewhere. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, told_by_place
from knowledge.understand import understand

TODAY = date(2026, 11, 30)
TOLD = "我们集团湘潭的工厂有个市级揭榜挂帅项目还没结题；景德镇的分公司今年有新需求。这两家各自能不能报？"


def test_a_question_told_place_by_place_is_split_by_notice() -> None:
    split = told_by_place(TOLD, understand(TOLD))
    assert set(split) == {"xiangtan", "jingdezhen"}
    assert "湘潭" not in split["jingdezhen"] and "景德镇" not in split["xiangtan"]
    assert all("各自能不能报" in clause for clause in split.values())


def test_a_unit_in_the_notices_own_place_is_not_from_elsewhere() -> None:
    text = answer(TOLD, TODAY).answer
    assert "本地以外" not in text
    assert "不得申报" in text


def test_a_branch_named_with_its_place_is_where_the_user_is() -> None:
    text = answer("我们是湘潭的公司，景德镇的子公司能提需求吗？", TODAY).answer
    assert "本地以外" not in text
