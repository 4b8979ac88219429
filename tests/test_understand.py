"""Reading questions: figures bound to their labels with units, figures quoted from the notice kept
apart, negated classes, several parts, dates the user names, and a 'today' the user states."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.numbers import find_amounts, parse_amount_wan, parse_count, parse_percent
from knowledge.understand import understand


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("3,200万", 3200),
        ("¥5,000万元", 5000),
        ("1.2亿", 12000),
        ("五千万", 5000),
        ("叁佰万元", 300),
        ("壹仟贰佰万", 1200),
        ("６０００万", 6000),
        ("¥3,000,000.00", 300),
        ("3百万", 300),
    ],
)
def test_amounts_in_every_written_form_read_in_wan(text: str, wan: float) -> None:
    from knowledge.tokenize import normalize_text

    assert parse_amount_wan(normalize_text(text)) == wan


def test_words_that_are_not_amounts_are_not_read_as_amounts() -> None:
    assert find_amounts("千万不要错过") == []
    assert parse_percent("百分之二十五") == 25 and parse_count("一式三份") == 3


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("我们营收6000万、研发投入280万，能报吗", {"revenue": 6000, "rd": 280}),
        ("去年主营业务收入3,200万元，研发费用一百五十万", {"revenue": 3200, "rd": 150}),
        ("執行期研發投入９０萬，付給揭榜方５０萬", {"rd": 90, "payee": 50}),
        ("项目总预算800万元，自筹700万", {"invest": 800, "self": 700}),
        ("主营业务收入850万，研发投入是营收的百分之十", {"revenue": 850, "rd": 85}),
        ("研发投入200万，付给高校三成", {"rd": 200, "payee_share": 30}),
        ("年营业额6000万，项目总经费600万", {"revenue": 6000, "invest": 600}),
    ],
)
def test_the_users_figures_are_bound_to_their_labels(question: str, expected: dict[str, float]) -> None:
    q = understand(question)
    assert {m: q.own(m) for m in expected} == expected


def test_a_figure_quoted_from_the_notice_is_not_the_users() -> None:
    q = understand("辽宁那个不少于5000万的门槛是指哪一年的收入？")
    assert q.own("revenue") is None and q.figures and not q.figures[0].own


def test_a_negated_class_selects_the_other_one() -> None:
    q = understand("我们不属于高新技术领域，辽宁对其他企业有什么要求")
    assert q.classes.get("field") == {"other"} and "hitech" in q.negated["field"]


def test_a_negation_covers_the_classes_joined_to_it() -> None:
    q = understand("我们（非农业类，不在山区26县和海岛县）牵头")
    assert q.negated["sector"] == {"agriculture", "mountain_county", "island_county"}
    assert "sector" not in q.classes


def test_who_leads_is_read_from_who_the_user_is_when_they_say_they_lead() -> None:
    assert understand("我们企业（宁波的）牵头申报").classes["lead"] == {"enterprise_led"}
    assert "lead" not in understand("我们企业想申报").classes


def test_a_percentage_of_revenue_is_not_an_amount_of_revenue() -> None:
    q = understand("营收的10%拿来做研发")
    assert q.own("revenue") is None


def test_a_bare_figure_answers_the_share_named_before_it() -> None:
    q = understand("听说要求研发投入占营收不低于4%？我们只有3.5%，够吗")
    quoted, own = q.figures
    assert (quoted.own, quoted.metric, quoted.of) == (False, "rd", "revenue")
    assert (own.own, own.metric, own.of, own.value) == (True, "rd", "revenue", 3.5)
    assert len(q.parts) == 1  # the verdict asked is about the rule just named


def test_a_figure_in_a_clause_that_says_more_is_not_given_the_last_label() -> None:
    q = understand("榜单金额写80万，企业自己另外再投30万，加起来110万，算达标吧")
    assert [f.metric for f in q.figures] == ["list_amount", None, None]


def test_a_programme_named_after_money_is_not_a_question_about_money() -> None:
    assert understand("中央引导资金项目对企业营收有门槛吗").parts[0].metrics == ["revenue"]


def test_tenths_are_read_as_percentages_but_not_inside_words() -> None:
    assert parse_percent("付给高校三成") == 30
    assert parse_percent("成果转化") is None and parse_percent("一成不变") is None


def test_keywords_separated_by_spaces_asking_one_thing_are_one_part() -> None:
    assert len(understand("湘潭 需求表 纸质版 交几份").parts) == 1
    assert len(understand("交给区里的时候，纸质的要几份？").parts) == 1


def test_a_head_count_is_not_an_individual_applicant() -> None:
    assert "applicant" not in understand("研发人员只有12个人").classes


def test_another_party_is_not_the_users_class() -> None:
    q = understand("湘潭研发投入120万，委托给高校做的部分30万，够比例吗")
    assert "university" not in q.classes.get("applicant", set())


def test_several_parts_are_read_apart() -> None:
    q = understand("景德镇企业的需求表要交几份纸质的？交到哪？")
    assert [p.primary for p in q.parts] == ["copies", "where"]


def test_the_date_a_user_names_and_the_today_they_state() -> None:
    q = understand("今天是2024年4月1日，龙泉的需求表9月15号交还来得及吗")
    assert q.today == date(2024, 4, 1)
    assert [(d.month, d.day) for d in q.dates] == [(9, 15)]


def test_the_party_the_user_acts_for_is_not_the_users_class() -> None:
    q = understand("我们是行业协会，替会员企业报了共性难题，能报吗")
    assert q.classes.get("applicant") == {"association"}


def test_a_class_the_user_is_unsure_of_is_neither_said_nor_denied() -> None:
    q = understand("我们不确定算不算高新技术领域，营收3000万能报吗")
    assert "field" not in q.classes and "field" not in q.negated


def test_how_much_after_a_threshold_question_continues_it() -> None:
    parts = understand("辽宁对企业研发人员有没有最低要求？要达到多少？").parts
    assert len(parts) == 1
