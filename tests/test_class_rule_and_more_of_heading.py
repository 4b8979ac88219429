"""A case the user switches to is answered by its class's rule, not by the notice's note on what it
leaves open; 明白了，那还有别的X要求吗 asks the rest of heading X. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import converse

TODAY = date(2026, 11, 30)


def test_the_class_switched_to_gets_its_rule() -> None:
    ans = converse(
        [
            "浙江中央引导资金储备项目，企业牵头申报时自筹经费比例是多少？",
            "那如果是高校牵头联合企业一起申报呢？",
        ],
        today=TODAY,
    )[-1]
    assert not ans.refused and "省级财政补助经费" in ans.answer.splitlines()[0]


def test_more_of_a_heading_after_an_acknowledgement() -> None:
    ans = converse(
        ["湘潭揭榜挂帅，我们有个市级项目还没结题，还能报吗？", "好的，那还有其他资格审查条件吗？"],
        today=TODAY,
    )[-1]
    assert "100万" in ans.answer and "40%" in ans.answer


def test_two_instalments_named_are_both_worked_out() -> None:
    text = converse(
        ["景德镇揭榜项目榜单金额250万，财政最多支持多少？", "那签任务书那年和中期评估之后分别拨多少？"],
        today=TODAY,
    )[-1].answer
    assert "75万" in text and "45万" in text
