"""A heading of a form asked by name, the form an audience names, an office's address the notice does
not print, a span asked as a time, and a list's release date the notice never gives. Phrasings are
new: none is a gold question of any set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_a_short_heading_quoted_is_the_forms_section_not_a_contact() -> None:
    text = answer("辽宁的征集表里“联系人”那栏要填啥？", TODAY).answer
    assert text.startswith("《") and "职 务" in text and "传 真" in text and "024-" not in text


def test_the_section_of_the_form_the_audience_names_with_its_signing_block() -> None:
    text = answer("龙泉企业填报的需求表，资金预算那部分填哪些？最后谁签意见？", TODAY).answer
    assert "拟筹资方案" in text and "测算依据说明" in text and "企业负责人" in text
    assert "尖兵" not in text


def test_where_an_office_sits_is_its_address_which_the_notice_does_not_print() -> None:
    ans = answer("湘潭科技局在哪里办公？", TODAY)
    assert ans.refused and "没有印" in ans.answer and "地址" in ans.answer


def test_a_span_asked_as_a_time_is_not_the_notices_dates() -> None:
    text = answer("浙江中央引导资金储备项目的实施周期是哪一段时间？", TODAY).answer
    assert "2026年5月31日" in text and "已截止" not in text


def test_a_lists_release_the_notice_never_dates_is_said_to_be_unstated() -> None:
    ans = answer("辽宁2023年的揭榜挂帅榜单最后什么时候对外公布？", TODAY)
    assert ans.refused and "没有写明" in ans.answer.splitlines()[0]
