"""Several asks in one sentence each answered, and the user's own part of a total read as theirs.
Phrasings are new: none is a gold question of any set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer
from knowledge.understand import read_duration, split_parts, understand

TODAY = date(2026, 11, 30)


def test_asks_listed_after_the_first_are_parts_of_their_own() -> None:
    parts = split_parts("湘潭需求表哪天截止、发到哪个邮箱、用不用盖章")
    assert len(parts) == 3
    text = answer("湘潭需求表哪天截止、发到哪个邮箱、用不用盖章？", TODAY).answer
    assert "9月14日" in text and "xtkjjcgk@163.com" in text and "公章" in text


def test_nouns_listed_before_one_question_are_each_asked() -> None:
    parts = split_parts("湘潭揭榜挂帅财政资金的补助比例、单项上限和资助方式各是什么")
    assert len(parts) == 3
    text = answer("湘潭揭榜挂帅财政资金的补助比例、单项上限和资助方式各是什么？", TODAY).answer
    assert "25%" in text and "50万" in text and "前资助" in text


def test_what_time_is_a_question_not_a_clause_that_sets_the_scene() -> None:
    parts = split_parts("湘潭什么时候发榜？路演又在什么时候？")
    assert len(parts) == 2
    text = answer("湘潭什么时候发榜？路演又在什么时候？", TODAY).answer
    assert "9月下旬" in text and "11月上旬" in text


def test_each_contact_part_names_its_own_office() -> None:
    text = answer("辽宁的：高新处联系电话？平台技术支持电话？生物医药找谁？", TODAY).answer
    assert "024-23983346" in text and "024-23983158" in text and "刘 峰" in text


def test_the_users_own_part_of_a_budget_named_before() -> None:
    text = answer(
        "泉州情况表，研发总预算填1200万，我们企业出700万，财政顶格，技术攻关单位要自筹多少？", TODAY
    ).answer
    assert "1200万元 − 700万元 − 300万元 = 200万元" in text


def test_own_funds_share_from_the_total_and_the_grant_asked() -> None:
    text = answer(
        "我们企业牵头报中央引导资金基地建设类，总预算1500万，申请引导资金300万，自筹比例达标吗？", TODAY
    ).answer
    assert "1200万元 ÷ 1500万元 = 80%" in text and "满足" in text


def test_a_grant_asked_of_a_fund_by_its_name_is_money() -> None:
    query = understand(
        "我们是海岛县的企业，报区域科技创新体系建设方向，总投入800万，最多能申请多少引导资金？"
    )
    assert "grant" in {m for p in query.parts for m in p.metrics}
    text = answer(
        "我们是海岛县的企业，报区域科技创新体系建设方向，总投入800万，最多能申请多少引导资金？", TODAY
    ).answer
    assert "320万元" in text


def test_a_yearly_figure_over_the_years_summed() -> None:
    assert read_duration("每年新增30万，三年加起来够吗") == (3.0, "三年")
    text = answer("湘潭执行期新增税收要不低于100万，我们每年新增40万，两年加起来够吗？", TODAY).answer
    assert "40万元 × 2年 = 80万元" in text and "还差20万元" in text


def test_the_rest_of_a_quota_beside_another_kinds_floor() -> None:
    text = answer("泉州一个县推荐上去的需求，其中共性技术需求之外的最多能有几项？", TODAY).answer
    assert "3 − 1 = 2项" in text


def test_a_city_named_is_held_against_its_own_floor_not_the_others() -> None:
    text = answer("大连这边目前推荐了150项，辽宁要求的数量还差多少？", TODAY).answer
    assert "还差50项" in text and "其他地区推荐数量）——满足" not in text


def test_a_forms_long_title_is_read_by_its_head() -> None:
    text = answer("景德镇的《揭榜挂帅重大技术需求征集汇总表》应当由哪个单位盖公章？", TODAY).answer
    assert text.startswith("汇总表须由主管推荐单位盖章")


def test_how_it_is_done_asked_after_a_step_is_of_that_step() -> None:
    parts = split_parts("景德镇项目验收多长时间内要申请？怎么个验法？")
    assert len(parts) == 2 and "acceptance" in parts[1].topics
    assert "现场验收会" in answer("景德镇项目验收多长时间内要申请？怎么个验法？", TODAY).answer


def test_two_instalments_named_summed_as_shares() -> None:
    text = answer("景德镇财政资金，签订任务书当年那笔加上中期评估那笔，合计占多少？", TODAY).answer
    assert "累计80%（50% + 30%）" in text


def test_a_list_amount_named_before_the_figure() -> None:
    text = answer("景德镇要是榜单就是150万，财政按最高比例给，签订当年先拨多少？", TODAY).answer
    assert "150万元 × 60% = 90万元" in text and "90万元 × 50% = 45万元" in text


def test_the_word_limits_of_the_two_rows_asked_summed() -> None:
    from knowledge.answer import converse

    last = converse(
        ["泉州情况表“技术难题概述”限几个字？", "那“预期技术目标”那一栏呢？", "刚才那两栏一共能写多少字？"],
        TODAY,
    )[-1].answer
    assert "合计最多1000字（500 + 500）" in last


def test_one_instalment_asked_is_the_one_shown() -> None:
    text = answer("景德镇榜单金额400万，财政支持给满的话，验收合格以后的最后一笔是多少？", TODAY).answer
    assert "200万元 × 20% = 40万元" in text and "30%即60万元" not in text


def test_the_grant_asked_as_what_the_budget_bears() -> None:
    text = answer(
        "企业牵头报中央引导资金科技成果转移转化方向，总投入700万，财政最多能申请多少？", TODAY
    ).answer
    assert "财政资金（补助、资助、支持）最多140万元" in text


def test_a_bureau_speaking_is_not_the_applicant_it_recommends() -> None:
    text = answer(
        "我是区科技局的，泉州这次我们拟推荐3项，都是单家企业自己的难题，没有行业、产业类共性需求，这样合规吧？",
        TODAY,
    ).answer
    assert "要求不超过3项——满足" in text and "按此条不符合" in text


def test_how_many_more_a_floor_needs() -> None:
    text = answer("锦州市科技局：辽宁需求征集前两批推荐了11项和8项，第三批起码还得推几项？", TODAY).answer
    assert "11 + 8 = 19项" in text and "还差11项" in text


def test_the_count_a_share_of_counts_needs() -> None:
    text = answer(
        "景德镇项目任务书一共列了15项指标，最少要完成几项才不会因完成率不够被判验收不合格？", TODAY
    ).answer
    assert "至少完成12项" in text


def test_each_notices_own_gap_between_its_dates() -> None:
    text = answer("泉州和景德镇各自从印发日算到企业（或县区）截止日，分别给了多少天？", TODAY).answer
    assert "泉州：" in text and "18天" in text and "景德镇：" in text and "20天" in text


def test_two_notices_deadlines_apart() -> None:
    text = answer("龙泉需求征集和湘潭揭榜挂帅需求报送，谁截止得早，早了多少天？", TODAY).answer
    assert "早152天" in text


def test_days_late_from_the_day_the_user_gives() -> None:
    text = answer("今天2023年12月9日，泉州的需求表我们还没交到县里，已经晚了几天？", TODAY).answer
    assert "已过4天" in text
