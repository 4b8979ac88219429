"""然后呢 / 再然后呢 after a step: the step the notice prints next, one turn at a time; a chain printed in
one sentence is walked item by item; 第一步 is the first step alone. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import converse

TODAY = date(2026, 11, 30)


def test_stages_are_walked_one_per_turn() -> None:
    first, second, third = converse(["湘潭揭榜挂帅整个流程的第一步是什么？", "接着呢？", "再往下呢？"], TODAY)
    assert "8月下旬" in first.answer and "9月下旬" not in first.answer
    assert "9月下旬" in second.answer and "10月-11月上旬" not in second.answer
    assert "10月-11月上旬" in third.answer


def test_a_chain_in_one_sentence_is_walked_item_by_item() -> None:
    turns = converse(["龙泉科技项目立项，第一步干嘛？", "然后呢", "再然后呢？"], TODAY)
    assert "编制申报指南" in turns[1].answer
    assert "下一步是“发布申报通知（发榜）”" in turns[2].answer


def test_the_step_after_logging_in_is_the_next_printed_one() -> None:
    last = converse(["辽宁的需求要在网上填，第一步干嘛？", "然后呢？"], TODAY)[-1]
    assert not last.refused and "指南申报" in last.answer


def test_a_period_asked_is_not_answered_by_a_rule_sharing_only_the_unit() -> None:
    from knowledge.answer import answer

    ans = answer("泉州 周期几年", TODAY)
    assert ans.refused and "实施周期" in ans.answer.splitlines()[0]


def test_a_bound_on_a_count_said_with_a_verb_asks_the_quota() -> None:
    from knowledge.answer import answer

    ans = answer("辽宁 大连是不是至少要推200项", TODAY)
    assert "沈阳市、大连市推荐数量不少于200项" in ans.answer and "200万" not in ans.answer


def test_the_states_money_asked_is_not_the_applicants_planned_investment() -> None:
    from knowledge.answer import answer

    ans = answer("辽宁这个揭榜挂帅，财政最多支持多少钱？", TODAY)
    assert ans.refused and "没有写明财政资金支持的金额或比例" in ans.answer.splitlines()[0]


def test_the_keys_of_a_table_with_the_value_named_are_listed() -> None:
    from knowledge.answer import answer

    ans = answer("浙江中央引导资金储备项目，哪些设区市限10项？", TODAY)
    assert "湖州、金华、丽水、衢州、台州" in ans.answer
