"""A credit record the user admits hits the credit rule; 主营 is revenue; 对研发投入有什么要求 lists that
metric's bars; 报送X还是Y asks where; a question naming no notice is about the document its best fact is
in; 中引资金 names the provincial notice. Phrasings are new; none is from an eval set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer

TODAY = date(2026, 11, 30)


def test_an_admitted_credit_record_may_fail_the_credit_rule() -> None:
    text = answer(
        "我们是泉州的省级龙头企业，营收3亿，去年被列入过一次失信记录，还能提重大技术需求吗？", TODAY
    ).answer
    assert "可能不符合" in text.splitlines()[0] and "可能不满足" in text


def test_zhuying_is_revenue() -> None:
    text = answer(
        "辽宁征集，我们是高新技术领域企业，上年主营6,200万元，研发投入350万，够报重大需求吗？", TODAY
    ).answer
    assert "6200万元" in text and "没能对应" not in text


def test_which_of_two_offices_is_where() -> None:
    text = answer(
        "我们是景德镇的高校，需求应报送县区科技局还是市科技局？若由外地企业揭榜，还需满足其他条件吗？", TODAY
    ).answer
    assert "直接送市科技局" in text and "承接企业" in text


def test_a_metric_asked_lists_its_bars_first() -> None:
    text = answer("辽宁 对企业研发投入有什么要求？我们总部在沈阳", TODAY).answer
    assert all(v in text for v in ("300万", "200万", "100万"))
    assert "研发活动类型" not in text


def test_the_document_a_question_fits_when_no_notice_is_named() -> None:
    ans = answer("换个院士当项目负责人，他1957年3月出生，项目实施期内会不会超过院士70周岁的线？", TODAY)
    assert not ans.refused and "2026年5月31日" in ans.answer


def test_zhongyin_names_the_provincial_notice() -> None:
    text = answer("中引资金 政策咨询 电话", TODAY).answer
    assert "0571-87054743" in text


def test_a_negation_in_another_clause_does_not_hit_a_bar() -> None:
    text = answer(
        "我们是泉州的省级专精特新企业，上年营收1.3亿元，有个卡脖子难题自己攻不下来，攻关资金和配套条件都能保障，"
        "能提交重大技术需求吗？",
        TODAY,
    ).answer
    assert "可能不符合" not in text and "满足" in text


def test_a_time_limit_before_asks_the_deadline() -> None:
    ans = answer("泉州各县科技主管部门推荐后，应在何时限前把汇总表报市科技局？", TODAY)
    assert not ans.refused and "2023年12月12日" in ans.answer


def test_terse_look_ups_set_apart_by_spaces() -> None:
    text = answer("龙泉2024技术需求征集截止时间 咨询邮箱", TODAY).answer
    assert "2024年4月15日" in text and "2191290347@qq.com" in text


def test_before_that_day_can_we_still_apply_is_the_deadline() -> None:
    text = answer("浙江中央引导资金项目的2026年5月31日是什么日子？是不是那天之前都还能申报？", TODAY).answer
    assert "实施周期" in text and "2024年3月22日" in text
