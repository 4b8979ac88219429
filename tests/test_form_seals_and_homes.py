"""Where a form is sealed, where a thing is written on it, and a quoted printed term that names a rule.
Phrasings are new: none is a gold question of any set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_whose_seal_a_form_asks_is_the_seal_it_prints() -> None:
    first = answer("泉州摸底汇总表上盖谁的章？", TODAY).answer.splitlines()[0]
    assert "盖章处" in first and "主管部门（单位公章）" in first


def test_the_forms_items_and_its_seal_both_answered() -> None:
    text = answer("景德镇的汇总表要填哪几列，盖谁的章？", TODAY).answer
    assert "受理处室" in text and "主管推荐单位（公章）" in text


def test_where_a_thing_is_written_is_the_item_whose_guidance_lists_it() -> None:
    text = answer("湘潭的需求表里利益分配要写在哪一栏？", TODAY).answer
    assert text.startswith("写在") and "对揭榜方要求" in text


def test_a_quoted_term_every_rule_prints_names_none_of_them() -> None:
    text = answer("泉州这次“揭榜挂帅”摸底的是哪一年度的技术需求？", TODAY).answer
    assert "2024年" in text and "已截止" not in text


def test_a_quoted_term_a_few_rules_print_names_them() -> None:
    first = answer("浙江中央引导资金的建议表，表头「申报单位（盖章）」到底谁盖？", TODAY).answer.splitlines()[
        0
    ]
    assert "归口管理部门盖章为准" in first
