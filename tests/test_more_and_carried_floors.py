"""还有呢 shows the next rules the last question scores, none shown twice; a floor on money asked
after figures were given works on them; a printed list naming what the user asks of comes first.
Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def test_more_shows_other_rules_and_never_the_same_twice() -> None:
    first, more = converse(["泉州龙头企业要满足什么条件？", "还有呢？"], today=TODAY)
    assert not more.refused and more.answer.strip()
    before = {c.quote for c in first.citations}
    assert not before & {c.quote for c in more.citations}


def test_when_nothing_more_is_printed_it_says_so() -> None:
    answers = converse(["泉州龙头企业要满足什么条件？", *["还有呢？"] * 8], today=TODAY)
    assert "没有找到更多" in answers[-1].answer and not answers[-1].refused


def test_a_money_floor_after_figures_works_on_them() -> None:
    ans = converse(["湘潭项目研发投入250万，补助最多多少？", "那付给揭榜方的至少要多少钱？"], today=TODAY)[-1]
    assert "100万元" in ans.answer


def test_the_printed_list_naming_the_kind_asked_of_comes_first() -> None:
    text = answer("辽宁这次征集，“一科三高”企业算不算征集对象？", TODAY).answer
    assert "一科三高" in text.splitlines()[0]


def test_more_of_a_heading_named_gives_its_other_rules() -> None:
    text = converse(["湘潭资格审查里，未结题的企业能报吗？", "资格审查还有什么要求？"], today=TODAY)[
        -1
    ].answer
    assert "100万" in text and "40%" in text


def test_a_forms_table_rows_asked_with_other_items() -> None:
    text = answer("辽宁的需求征集表，财务状况填哪几年？需求描述限多少字？", TODAY).answer
    assert "2019" in text and "2021" in text and "1000字" in text
