"""A follow-up that compares (和<乙地>的比呢 / 和刚才那个比) sets both notices side by side on the last
question; a ratio never set (几比几配套) is said to be unstated, with the rule on that topic nearby;
what is set aside (除了营收) is not what is asked. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse
from knowledge.understand import understand

TODAY = date(2026, 11, 30)


def last(*questions: str) -> str:
    return converse(list(questions), today=TODAY)[-1].answer


def test_compared_with_a_notice_named_answers_both() -> None:
    text = last("湘潭财政补助最多占研发投入的百分之多少？", "跟景德镇的比呢，哪个高？")
    assert "25%" in text and "60%" in text


def test_compared_with_the_one_asked_just_before() -> None:
    text = last("湘潭的需求表最晚哪天交？", "龙泉的呢？", "和刚才湘潭那个比，哪个截止得早？")
    assert "9月14日" in text and "4月15日" in text


def test_a_ratio_never_set_is_unstated_with_its_topics_rule_first() -> None:
    ans = answer("景德镇的项目，园区配套资金按几比几给？", TODAY)
    assert ans.refused
    lines = ans.answer.splitlines()
    assert "配套" in lines[1] and "60%" not in lines[1]


def test_what_is_set_aside_is_not_asked() -> None:
    part = understand("泉州的企业除了营收以外还要满足啥条件？").parts[0]
    assert "revenue" not in part.metrics and "threshold" in part.asks
