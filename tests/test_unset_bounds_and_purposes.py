"""A bound the notice never sets on a form item is said to be unset (an item named in the clause
before, a column of a printed table, a figure the user only guesses); a count's bound read back is a
quota question; the counties' quota a notice does not set is said so; why the user wants a phone is
not a second question. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_a_form_item_named_in_the_clause_before_has_no_minimum() -> None:
    ans = answer("湘潭需求表里有一栏研发经费占年销售收入比重，这个比重最低要多少？", TODAY)
    assert ans.refused and "没有规定" in ans.answer


def test_a_guessed_bound_is_no_printed_figure() -> None:
    ans = answer("湘潭研发经费占年销售收入比重有没有最低要求？是不是得不低于5%？", TODAY)
    assert ans.refused and "没有规定" in ans.answer


def test_a_column_of_a_printed_table_has_no_upper_bound() -> None:
    ans = answer("辽宁征集表财务状况里要填资产负债率，我们有82%，这个有上限吗？", TODAY)
    assert ans.refused and "上限" in ans.answer.splitlines()[0]


def test_a_count_bound_read_back_is_answered_with_the_quota() -> None:
    ans = answer("辽宁征集里沈阳浑南科技城是不是也得推荐不少于200项？", TODAY)
    assert "30项" in ans.answer.splitlines()[0] and "主营业务收入" not in ans.answer


def test_the_counties_quota_a_notice_does_not_set_is_said_so() -> None:
    ans = answer("景德镇区县给市科技局推荐需求，数量上有没有上限？我们县有6项，都能报上去吗？", TODAY)
    assert ans.refused and "没有写明" in ans.answer and "不超过5个" not in ans.answer


def test_why_the_user_wants_the_phone_is_not_a_second_question() -> None:
    ans = answer("景德镇市科技局计划科电话多少？我想打过去问问征集表怎么盖章。", TODAY)
    assert ans.refused and "没有印" in ans.answer


def test_the_form_overview_adds_what_the_notice_text_says_it_must_make_clear() -> None:
    ans = answer("泉州的需求情况表要写哪些东西？", TODAY)
    assert any("资金投入预测" in c.quote for c in ans.citations)
