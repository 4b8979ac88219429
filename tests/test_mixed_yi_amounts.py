"""An amount written across 亿 and 万 (1亿2千万, 一亿两千万) is one amount; a Chinese-numeral amount is
no unknown topic word when no notice is named. Phrasings are new."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answer import answer
from knowledge.numbers import find_amounts


@pytest.mark.parametrize(
    ("said", "wan"),
    [
        ("营收1亿2千万", 12000.0),
        ("收入一亿两千万元", 12000.0),
        ("壹亿贰仟万元", 12000.0),
        ("1亿零500万", 10500.0),
    ],
)
def test_an_amount_across_yi_and_wan_is_one(said: str, wan: float) -> None:
    assert [f.value for f in find_amounts(said)] == [wan]


def test_a_chinese_numeral_amount_is_checked_not_refused() -> None:
    ans = answer(
        "我们是高新技术企业，上年营业收入一亿零五百万元，想以龙头企业名义提需求，收入够吗？",
        date(2026, 11, 30),
    )
    assert not ans.refused and "1.05亿元" in ans.answer and "——满足" in ans.answer


def test_a_number_supported_is_checked_against_the_cap_on_support() -> None:
    text = answer("景德镇市里今年如果准备支持7个揭榜挂帅项目，符合办法规定吗？", date(2026, 11, 30)).answer
    assert "您说的7个，要求不超过5个——不满足" in text


def test_a_firms_own_count_is_not_held_to_the_cap_on_support() -> None:
    text = answer("景德镇这次我们企业想报7个需求，可以吗？", date(2026, 11, 30)).answer
    assert "不超过5个——不满足" not in text


def test_a_notice_without_a_schedule_says_so_beside_the_sum() -> None:
    text = answer("湘潭这个揭榜挂帅，补助40万的话是分几次拨下来？", date(2026, 11, 30)).answer
    assert "没有写明资金拨付的分期安排" in text


def test_tech_support_asks_a_contact() -> None:
    text = answer("浙江中央引导资金申报系统的技术支持？", date(2026, 11, 30)).answer
    assert "0571-85118011" in text


def test_a_part_naming_another_class_gets_that_class_office() -> None:
    text = answer(
        "我们是产业集群的，泉州这次有问题找哪个科室？另外龙头骨干企业那边的咨询电话又是多少？",
        date(2026, 11, 30),
    ).answer
    assert "0595-22284742" in text and "0595-22579329" in text


def test_you_mei_you_matches_no_fact_by_itself() -> None:
    first = answer("泉州需求表有没有网上填报系统？", date(2026, 11, 30)).answer.splitlines()[0]
    assert "成功揭榜" not in first
