"""The grant the user gives is the one split into instalments, and the part of the base the grant leaves
them, with its share. Phrasings are new: none is a gold question of any set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_a_grant_the_user_gives_is_split_not_taken_as_the_base() -> None:
    text = answer("景德镇一个项目财政资助批了150万，分几期拨、每期多少？", TODAY).answer
    assert "75万元" in text and "45万元" in text and "30万元" in text
    assert "90万元" not in text  # 150万 × 60%: the grant read as the list amount


def test_what_the_user_must_bear_after_the_capped_grant_and_its_share() -> None:
    text = answer(
        "湘潭项目研发投入240万，补助按最高算，企业自己还得承担多少？自筹占研发投入多大比例？", TODAY
    ).answer
    assert "190万元" in text and "79.16%" in text


def test_the_grants_share_of_the_base() -> None:
    text = answer("景德镇榜单金额2500万，财政最多支持多少？财政资金占榜单金额的比例是多少？", TODAY).answer
    assert "8%" in text and "200万元" in text
