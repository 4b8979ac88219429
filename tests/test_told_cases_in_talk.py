"""A case told in the first turn carries through a talk: a figure said again without its full label
replaces the old one, a class switched with new figures keeps the old figures, and a bare ask after a
told case is asked of the notice, not of the case. 在哪交 is answered by the notice's channels, never
"not written". Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def test_a_figure_said_again_with_a_short_label_replaces_the_old_one() -> None:
    last = converse(
        [
            "我们是鞍山一家高新技术领域的企业，上年主营业务收入7000万元，研发投入420万元。",
            "能报重大需求吗",
            "那要是研发再低一些呢，就270万？",
        ],
        today=TODAY,
    )[-1]
    assert "您的270万元，要求不少于300万元——不满足" in last.answer
    assert "您的7000万元" in last.answer


def test_a_class_switched_with_new_figures_keeps_the_told_ones() -> None:
    last = converse(
        [
            "我们是锦州一家高新技术领域企业，上年营收2600万，研发投入230万",
            "能报重大需求吗",
            "换成重点需求呢？项目我们准备投700万",
        ],
        today=TODAY,
    )[-1]
    assert "您的2600万元，要求不少于2000万元——满足" in last.answer
    assert "您的700万元，要求不少于400万元——满足" in last.answer
    assert "5000万" not in last.answer


def test_a_bare_deadline_ask_after_a_told_case_is_the_notices_deadline() -> None:
    last = converse(
        ["我们是盘锦一家其他领域的企业，去年营收1500万，研发投入120万", "我们能报吗", "现在截止了没有"],
        today=TODAY,
    )[-1]
    assert not last.refused and "2023年3月26日" in last.answer and "已截止" in last.answer


def test_where_to_file_is_the_notices_channel() -> None:
    for question, said in [
        ("辽宁那个需求到底在哪交？", "218.60.151.64"),
        ("泉州的需求表在哪儿交", "所在地科技主管部门"),
        ("龙泉的在哪报", "2191290347@qq.com"),
    ]:
        ans = answer(question, TODAY)
        assert not ans.refused and said in ans.answer, question


def test_where_to_file_in_an_uncovered_city_is_not_a_notices_channel() -> None:
    last = converse(["湘潭的报送邮箱是哪个？", "我们其实在衡阳，衡阳市的需求在哪报？"], today=TODAY)[-1]
    assert last.refused and "xtkjjcgk@163.com" not in last.answer


def test_what_to_hand_in_and_where_are_two_parts() -> None:
    ans = answer("辽宁要交什么？在哪交？", TODAY)
    assert "218.60.151.64" in ans.answer and "没有写明报送渠道" not in ans.answer


def test_a_bare_flow_question_gets_the_notices_steps() -> None:
    ans = answer("泉州那个流程是啥？", TODAY)
    assert not ans.refused and "2023年12月5日" in ans.answer and "2023年12月12日" in ans.answer


def test_a_forms_limits_asked_as_a_whole_are_all_listed() -> None:
    ans = answer("湘潭那张需求表一般限多少字？", TODAY)
    assert not ans.refused and "限500字" in ans.answer and "限300字" in ans.answer
    assert "共5项" in ans.answer


def test_a_bare_start_question_is_the_collection_window() -> None:
    ans = answer("湘潭这次啥时候开始的？", TODAY)
    assert not ans.refused and "2024年8月26日" in ans.answer


def test_whom_to_call_follows_the_class_told_before() -> None:
    last = converse(["我们是泉州的纺织行业协会，想牵头提一个共性难题", "有事打哪个电话"], today=TODAY)[-1]
    assert "0595-22284742" in last.answer and "0595-22579329" not in last.answer


def test_whom_to_call_follows_the_field_told_before() -> None:
    last = converse(["我们是沈阳做农业的企业，想报辽宁的揭榜挂帅需求", "政策上不清楚的找谁？"], today=TODAY)[
        -1
    ]
    assert "024-23983401" in last.answer and "17612488647" not in last.answer
