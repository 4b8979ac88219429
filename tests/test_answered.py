"""An answer states what is asked, or says the notice is silent on it (knowledge/answered.py).

Phrasings are new: none is a gold question of any set.
"""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answer import answer
from knowledge.answered import check, unnamed
from knowledge.catalogue import Fact, Kind
from knowledge.fact_search import Scored
from knowledge.mentions import correct_names
from knowledge.understand import Context, understand

TODAY = date(2026, 11, 30)


def scored(quote: str, fid: str = "t.x") -> Scored:
    return Scored(Fact(id=fid, kind=Kind.REQUIREMENT, label="测试", quote=quote), 0.5, 0.5)


@pytest.mark.parametrize(
    ("question", "quote", "states"),
    [
        ("最多几家单位联合？", "鼓励产学研合作揭榜攻关", False),
        ("最多几家单位联合？", "联合申报单位不超过3家", True),
        ("材料要交几份？", "纸质版一式两份", True),
        ("每项能支持多少钱？", "（一）省级项目 （二）市级项目 1.财政补助类项目 2.自筹类项目", False),
        ("每项能支持多少钱？", "每项支持不超过300万元", True),
        ("满意度要填到百分之几？", "服务对象满意度 %", False),
        ("满意度要填到百分之几？", "满意度不低于90%", True),
        ("有哪几类项目？", "（一）省级项目 （二）市级项目", True),  # a list question is answered by listing
        ("项目期是几年？", "实施期限一般为2至3年", True),
    ],
)
def test_a_number_of_the_kind_asked_answers_a_quantity(question: str, quote: str, states: bool) -> None:
    _, missed = check(question, set(), [scored(quote)], [], [])
    assert (missed is None) is states


def test_a_candidate_that_states_the_number_comes_first() -> None:
    shown = [scored("鼓励产学研合作揭榜攻关", "t.a")]
    better = scored("联合申报单位不超过3家", "t.b")
    out, missed = check("最多几家单位联合？", set(), shown, [shown[0], better], [])
    assert missed is None
    assert out[0] is better


def test_a_specific_item_the_notice_never_names_is_unnamed() -> None:
    facts = [Fact(id="t.y", kind=Kind.REQUIREMENT, label="预算", quote="经费预算不得编制间接费用")]
    assert unnamed("设备费有上限吗", facts) is not None
    assert unnamed("间接费用能编吗", facts) is None


@pytest.mark.parametrize(
    "question",
    [
        "湘潭的补助资金打给谁？发榜方还是揭榜方？",  # the notice says 拨付项目资金, never to whom
        "龙泉项目预算里差旅费能列多少？",  # no budget line is named
        "景德镇那个满意度指标，目标值要写到百分之多少？",  # no notice prints one
        "辽宁来揭榜的单位，可以是外省的吗？",  # its 省内注册 is the applicant's rule, not the solver's
    ],
)
def test_a_point_no_rule_states_is_answered_as_silent(question: str) -> None:
    ans = answer(question, TODAY)
    assert ans.refused, ans.answer
    assert "没有写明" in ans.answer


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("湘潭这次省外的高校也能来揭榜吗？", "省内外"),
        ("景德镇财政资金分几次拨给项目？", "50%"),
        ("湘潭单个项目补助最多给多少钱？", "50万"),
        ("湘潭有事该打给谁？", "58570302"),  # 打给 without money: a contact question
    ],
)
def test_a_point_a_rule_states_is_answered(question: str, needle: str) -> None:
    ans = answer(question, TODAY)
    assert not ans.refused, ans.answer
    assert needle in ans.answer


def test_a_place_a_quota_table_does_not_list_is_not_given_another_places_number() -> None:
    ans = answer("浙江省的中央引导资金储备项目，宁波市限报几项？", TODAY)
    assert ans.refused and "宁波" in ans.answer.splitlines()[0], ans.answer
    listed = answer("浙江省的中央引导资金储备项目，杭州市限报几项？", TODAY)
    assert not listed.refused and "15项" in listed.answer


def test_a_time_left_open_on_purpose_is_silent_with_the_sentence_that_says_so() -> None:
    ans = answer("景德镇那边征集完需求，啥时候下来调研论证？", TODAY)
    assert ans.refused
    assert "另行通知" in ans.answer


def test_the_same_notice_named_again_in_a_what_if_keeps_the_question() -> None:
    first = answer("浙江省中央引导资金项目企业牵头的，自筹经费要占多少？", TODAY)
    again = answer("要是龙泉的农业类企业牵头呢？", TODAY, context=Context.after(first, TODAY))
    assert not again.refused
    assert "60%" in again.answer


def test_a_scene_set_before_each_item_asks_only_the_last_clause() -> None:
    q = understand("我们依托省级科创平台申报基地建设方向，每项最多支持多少？")
    assert "where" not in q.parts[0].asks
    assert "platform" not in q.parts[0].topics  # 科创平台 is not the online system
    ans = answer("我们在杭州，依托省级科创平台申报中央引导资金科技创新基地建设，每项最多支持多少？", TODAY)
    assert "500万" in ans.answer


def test_a_yes_no_on_the_date_just_asked_is_one_part() -> None:
    q = understand("截止是哪天？现在还来得及吗？", None)
    assert len(q.parts) == 1
    q = understand("什么时候开通的？一直能填到哪天？", None)
    assert len(q.parts) == 2


def test_money_sent_to_someone_is_not_a_phone_call() -> None:
    assert "contact" not in understand("补助资金打给谁？").parts[0].asks
    assert "contact" in understand("有问题打给谁？").parts[0].asks


def test_a_class_the_applicant_may_choose_instead_is_checked_with_the_same_figures() -> None:
    ans = answer("辽宁高新技术领域企业，去年营收4,600万、研发320万，重大需求够不上的话能改报哪类？", TODAY)
    assert "可以改报重点需求" in ans.answer.splitlines()[0], ans.answer
    low = answer("辽宁高新技术领域企业，去年营收1500万、研发120万，报重大不够的话能报哪类？", TODAY)
    assert "可以改报" not in low.answer and "重点需求也不满足" in low.answer


def test_a_named_office_without_a_printed_person_is_said_so() -> None:
    ans = answer("湘潭那个成果转化科，联系人姓名是什么？", TODAY)
    assert ans.refused and "联系人姓名" in ans.answer
    named = answer("辽宁信息处的联系人是谁？", TODAY)
    assert not named.refused and "谭" in named.answer and "何明哲" not in named.answer


def test_a_consultation_mailbox_is_not_a_submission_mailbox() -> None:
    ans = answer("泉州汇总表的电子版要发到哪个邮箱？", TODAY)
    assert "没有写明报送材料的邮箱" in ans.answer
    filed = answer("湘潭需求表电子版发到哪个邮箱？", TODAY)
    assert "xtkjjcgk@163.com" in filed.answer and not filed.refused


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("龙全的需求表啥时候交", "龙泉"),
        ("泉洲的汇总表交几份", "泉州"),
        ("湘谭联系电话", "湘潭"),
        ("景得镇补助比例", "景德镇"),
    ],
)
def test_a_notice_place_typed_with_a_homophone_is_read_as_the_place(typed: str, meant: str) -> None:
    assert meant in correct_names(typed)


def test_words_that_only_sound_alike_or_name_another_place_are_left_alone() -> None:
    assert correct_names("龙头企业要交什么") == "龙头企业要交什么"
    assert correct_names("全州的政策") == "全州的政策"  # another county


def test_a_window_not_yet_open_says_when_it_opens() -> None:
    ans = answer("浙江中央引导资金储备项目，现在能在网上填了吗？", date(2024, 3, 15))
    assert "尚未开始" in ans.answer and "2024年3月18日开始" in ans.answer
    assert "已截止" not in ans.answer


def test_what_the_requirement_is_asked_as_how_much_is_a_threshold_question() -> None:
    q = understand("报重点需求，营收和研发投入各要多少？")
    assert "threshold" in q.asks


def test_a_consequence_the_notice_never_states_is_silent_after_the_figures() -> None:
    ans = answer("我们湘潭的揭榜项目，执行期满新增税收只有60万元，达不到的话会不会被追回补助？", TODAY)
    assert ans.refused
    assert "没有写明达不到要求的后果" in ans.answer
    assert "60万元" in ans.answer  # the figure is still checked against the rule


def test_no_sentence_of_any_notice_is_corrected() -> None:
    from knowledge.corpus import notices
    from knowledge.tokenize import normalize_text

    for n in notices():
        for line in n.text.splitlines():
            t = normalize_text(line.strip())
            assert correct_names(t) == t, t


def test_a_total_over_the_entities_named_sums_the_rule_for_each() -> None:
    ans = answer("辽宁的需求征集，沈阳市和大连市一共最少得推荐多少项？", TODAY)
    assert "400项" in ans.answer and "200 × 2" in ans.answer
    one = answer("辽宁的需求征集，沈阳市最少得推荐多少项？", TODAY)
    assert "合计" not in one.answer


def test_a_total_over_items_multiplies_the_count_by_each_items_amount() -> None:
    ans = answer("辽宁一家企业最多报几项？如果全按重大需求报，企业拟投入一共最少要多少？", TODAY)
    assert "2000万" in ans.answer


def test_an_installment_asked_as_how_much_is_answered_by_its_share() -> None:
    first = answer("景德镇财政资金分几期拨付？", TODAY)
    last = answer("最后一期拨多少？", TODAY, context=Context.after(first, TODAY))
    assert not last.refused and "20%" in last.answer


def test_another_round_of_the_same_place_asked_as_a_follow_up_is_out_of_scope() -> None:
    first = answer("湘潭的需求表几号截止？", TODAY)
    again = answer("那2025年的湘潭呢？", TODAY, context=Context.after(first, TODAY))
    assert again.refused and "2025年度" in again.answer


def test_a_class_only_the_notice_itself_names_is_not_answered_from_a_document_printed_in_it() -> None:
    ans = answer("龙泉本级的财政补助类项目，每项补助上限是多少？", TODAY)
    assert ans.refused
    assert "300万" not in ans.answer and "500万" not in ans.answer  # the provincial 附件4's caps


@pytest.mark.parametrize(
    ("question", "metric"),
    [("我们研发只投了45万，够吗", "rd"), ("打算投九十万元搞研发", "rd"), ("项目总预算打算投500万", "invest")],
)
def test_money_put_into_rd_is_rd_not_a_project_budget(question: str, metric: str) -> None:
    figs = [f for f in understand(question).figures if f.unit == "万元"]
    assert figs and figs[0].metric == metric


def test_several_bases_are_each_capped_then_summed() -> None:
    ans = answer("景德镇我们有三个榜，榜单金额分别100万、200万和500万，财政最多一共给多少？", TODAY)
    assert "60万" in ans.answer and "120万" in ans.answer and "380万" in ans.answer  # 60 + 120 + 200


def test_installments_up_to_a_step_are_summed() -> None:
    ans = answer("景德镇榜单金额200万，中期评估通过后累计能拿到多少财政资金？", TODAY)
    assert "累计80%即96万" in ans.answer  # 200 × 60% = 120; 50% + 30% of it


def test_a_grant_requested_gives_the_least_total_by_the_self_share() -> None:
    ans = answer(
        "企业牵头申报浙江中央引导资金项目，拟申请100万元，自筹占总经费不低于80%的话，总经费至少多少？", TODAY
    )
    assert "500万" in ans.answer and "400万" in ans.answer


def test_a_share_paid_short_of_its_minimum_says_how_much_is_missing() -> None:
    ans = answer("湘潭项目研发投入150万，打算付给揭榜方50万，够不够？", TODAY)
    assert "至少需60万元" in ans.answer and "还差10万元" in ans.answer


def test_the_users_own_city_elsewhere_is_their_location_not_the_question() -> None:
    ans = answer("我们单位在福州，不在泉州，能向泉州报重大技术需求吗？", TODAY)
    assert not ans.refused and "本地以外" in ans.answer
    other = answer("我们单位在福州，福州的揭榜挂帅啥时候截止？", TODAY)
    assert other.refused


def test_applying_and_solving_asked_together_are_both_answered() -> None:
    ans = answer("我们是九江的企业，能向景德镇提技术需求吗？能去揭榜吗？", TODAY)
    assert "本地以外" in ans.answer
    assert "全国范围内" in ans.answer


def test_a_form_named_by_its_title_lists_its_columns_with_the_printed_header() -> None:
    ans = answer("景德镇的《“揭榜挂帅”重大技术需求征集汇总表》有哪些栏目？由谁盖章？", TODAY)
    for column in ("受理处室", "行业领域", "主管单位"):
        assert column in ans.answer
    assert any("受理处室" in c.quote for c in ans.citations)
    assert "主管推荐单位" in ans.answer


def test_a_cited_documents_number_answers_for_that_document_not_for_the_notice() -> None:
    cited = answer("湘潭的揭榜挂帅项目管理办法是哪年发的？文号是什么？", TODAY)
    assert "潭政办发〔2021〕14号" in cited.answer and not cited.refused
    own = answer("湘潭这份征集通知有没有发文字号？", TODAY)
    assert own.refused


def test_which_items_have_a_given_limit_lists_them_all() -> None:
    ans = answer("湘潭的技术需求表里，哪几栏限500字？", TODAY)
    assert "背景与意义" in ans.answer and "需求内容描述" in ans.answer
    assert "国内外研究现状" not in ans.answer  # 限300字


def test_a_quoted_row_label_the_table_prints_cut_short_is_still_found() -> None:
    ans = answer("泉州情况表“预期经济社会效益”那栏限多少字？", TODAY)
    assert "300字" in ans.answer


def test_a_section_of_several_items_lists_each_printed_item() -> None:
    ans = answer("湘潭需求表的项目投资预算填啥", TODAY)
    assert all(w in ans.answer for w in ("计划研发投入", "自筹", "申请专项"))


def test_a_procedure_question_with_包括哪些_is_not_a_forms_item_list() -> None:
    ans = answer("龙泉市科技项目立项程序一般包括哪些步骤？", TODAY)
    assert "需求征集" in ans.answer and "共14项" not in ans.answer


def test_two_quoted_items_of_a_form_get_the_rows_of_each() -> None:
    ans = answer("龙泉企业填的征集表，“期望达到的目标”和“资金预算”各要填哪些？", TODAY)
    assert "科技成果指标" in ans.answer and "测算依据说明" in ans.answer


def test_a_tables_printed_serial_number_column_is_listed() -> None:
    ans = answer("景德镇的《“揭榜挂帅”重大技术需求征集汇总表》有哪些栏目？", TODAY)
    assert "序号、受理处室" in ans.answer


def test_a_count_of_projects_times_each_ones_ceiling() -> None:
    ans = answer("景德镇每年最多支持几个揭榜项目？如果每个都拿到最高资助，一年一共要多少财政资金？", TODAY)
    assert "1000万" in ans.answer


def test_the_users_number_of_units_times_the_rule_for_each() -> None:
    ans = answer("泉州要是有4个县都按上限推荐，市里最多收到几项？共性需求至少几项？", TODAY)
    assert "至多12项" in ans.answer and "至少4项" in ans.answer
    one = answer("泉州同一个县最多推荐几项？", TODAY)
    assert "合计" not in one.answer


def test_what_is_left_of_a_printed_total() -> None:
    ans = answer("浙江督查激励单列，我们县推两个项目，第一个已经申请了350万，第二个最多还能申请多少？", TODAY)
    assert "150万" in ans.answer


def test_the_difference_of_two_notices_caps() -> None:
    ans = answer("景德镇和湘潭的单个项目补助上限相差多少？", TODAY)
    assert "150万元" in ans.answer


def test_days_from_issue_to_the_deadline() -> None:
    ans = answer("龙泉这份通知从发文到截止相差几天？", TODAY)
    assert "32天" in ans.answer and not ans.refused


def test_a_total_budget_and_a_self_share_give_the_most_grant() -> None:
    ans = answer(
        "我们是海岛县的企业，牵头申报中央引导资金项目，总预算500万元，引导资金最多能申请多少？", TODAY
    )
    assert "最多200万元" in ans.answer  # 自筹 ≥ 60% → 300万; 500 − 300


def test_a_bar_and_a_late_date_in_one_question_are_both_checked() -> None:
    ans = answer("我们承担的湘潭市级揭榜挂帅项目还没结题，打算9月15日报送今年的需求表，是否可行？", TODAY)
    assert "未结题" in ans.answer and "9月14日" in ans.answer


def test_how_many_a_place_may_file_puts_the_quota_before_the_conditions() -> None:
    ans = answer("浙江中央引导资金储备项目，丽水市能报几项？", TODAY)
    assert "丽水10项" in ans.answer.splitlines()[0]


def test_who_stamps_is_not_a_copies_question() -> None:
    ans = answer("浙江《拟支持项目建议表》上的申报单位以哪类单位盖章为准？", TODAY)
    assert not ans.refused and "归口管理部门" in ans.answer


def test_an_option_the_form_prints_answers_can_i_tick_it() -> None:
    ans = answer("龙泉附件1那张尖兵领雁需求表，攻关时限我们想写5年，表上能勾吗？", TODAY)
    assert not ans.refused and "□3年" in ans.answer


def test_paid_before_or_after_is_answered_by_the_funding_mode() -> None:
    ans = answer("湘潭的财政补助是一开始就给，还是项目做完再补？", TODAY)
    assert not ans.refused and "前资助" in ans.answer


def test_a_scene_topic_does_not_silence_a_threshold_the_notice_sets() -> None:
    ans = answer("我们集团的子公司在泉州，提需求的企业上年营收门槛是多少？", TODAY)
    assert not ans.refused and "1亿元" in ans.answer


def test_a_figure_the_notice_says_told_back_is_not_the_users() -> None:
    q = understand("附件4说海岛县的单位自筹比例可以降到60%，那我们算不算海岛县？")
    assert all(not f.own for f in q.figures)


def test_whether_a_place_is_in_a_class_the_notice_never_lists_is_silent() -> None:
    ans = answer("浙江附件4里说山区26县有优惠，那龙泉算不算山区26县？", TODAY)
    assert ans.refused and "名单" in ans.answer


def test_the_grant_a_notice_never_sets_is_silent_after_the_users_figures() -> None:
    ans = answer("我们辽宁企业拟投入1500万元报重大需求，以后立项了省里财政能给多少？", TODAY)
    assert ans.refused and "没有写明财政资金支持的金额或比例" in ans.answer


@pytest.mark.parametrize("city", ["杭州", "宁波", "温州"])
def test_a_city_inside_the_province_is_never_told_it_is_outside_a_provincial_rule(city: str) -> None:
    ans = answer(f"我们是{city}的企业，能牵头申报浙江的中央引导资金储备项目吗？", TODAY)
    assert "本地以外" not in ans.answer, ans.answer
    mine = answer(f"我们是{city}的企业，能报龙泉本市的技术攻关需求吗？", TODAY)
    assert "在浙" not in mine.answer or "本地以外" not in mine.answer


def test_a_city_outside_the_province_is_still_outside() -> None:
    ans = answer("我们是上饶的企业，能申报浙江的中央引导资金储备项目吗？", TODAY)
    assert "本地以外" in ans.answer


def test_regions_hold_counties_and_cities() -> None:
    from knowledge.scope import inside, region_short

    assert inside("晋江", "泉州") and inside("杭州", "浙江") and not inside("厦门", "泉州")
    assert region_short("浙江省丽水市龙泉市") == "龙泉" and region_short("浙江省") == "浙江"


def test_a_form_named_only_by_its_title_names_its_notice_and_every_item_asked() -> None:
    ans = answer(
        "《省“尖兵”“领雁”计划重大技术攻关需求表》里，技术先进水平和攻关成果性质各有哪些选项？", TODAY
    )
    for option in ("国内领先", "国际先进", "实现进口替代", "抢占前沿技术制高点"):
        assert option in ans.answer
    assert "选项：\n" not in ans.answer + "\n" and not ans.answer.rstrip().endswith("选项：")


def test_quoted_items_inside_a_titled_form_are_the_items_not_the_title() -> None:
    ans = answer("辽宁《企业“揭榜挂帅”科技攻关需求征集表》中“重大需求”与“重点需求”怎么区分？", TODAY)
    assert "1000万" in ans.answer and "400万" in ans.answer


def test_a_budget_split_three_ways_gives_the_missing_part() -> None:
    ans = answer(
        "泉州情况表，研发总预算800万元，需求方提供300万元，财政资金按上限填，技术攻关单位自筹填多少？", TODAY
    )
    assert "200万元" in ans.answer  # 800 − 300 − 300
    over = answer(
        "泉州情况表，研发总预算800万元，需求方提供300万元，财政资金想填400万元，攻关单位自筹填多少？", TODAY
    )
    assert "200万元" in over.answer and "不满足" in over.answer  # the form allows 300万 at most


def test_a_few_units_told_in_passing_is_not_a_count_asked() -> None:
    q = understand("我们协会有几家会员企业有同一个共性需求，是各自报还是统一报？")
    assert "count" not in q.parts[0].asks


def test_an_age_printed_in_周岁_answers_how_old() -> None:
    ans = answer("中央引导资金的项目负责人是院士的话，退休年龄按几岁算？", TODAY)
    assert not ans.refused and "70周岁" in ans.answer


def test_a_form_named_by_title_answers_how_many_an_item_needs() -> None:
    ans = answer("我在填龙泉附件1《省“尖兵”“领雁”计划重大技术攻关需求表》，核心技术参数要列几项？", TODAY)
    assert not ans.refused and "5项以上" in ans.answer


def test_how_many_may_team_up_is_asked_not_told() -> None:
    ans = answer("景德镇联合揭榜最多能几家单位一起？", TODAY)
    assert ans.refused


def test_a_family_of_rules_asked_as_which_ones_is_listed_whole() -> None:
    ans = answer("龙泉附件4的《绩效目标申报表》有哪些一级指标？", TODAY)
    for word in ("产出指标", "效益指标", "满意度"):
        assert word in ans.answer


def test_a_rate_named_with_按_is_the_rules_not_the_users_share() -> None:
    q = understand("龙泉算不算山区26县？算的话自筹按60%就行吧？")
    assert all(not f.own for f in q.figures if f.unit == "%")


def test_paid_to_the_solver_said_as_向揭榜方支付_is_the_payment() -> None:
    ans = answer("湘潭项目研发投入0.02亿元，发榜方计划向揭榜方支付70万元，满足比例要求吗？", TODAY)
    assert "至少需80万元" in ans.answer


def test_a_homophone_inside_a_longer_word_is_never_corrected(monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge.mentions as m

    monkeypatch.setattr(m, "_alias_sounds", lambda: (("栖原", m._sounds("栖原")),))
    assert m.correct_names("项目实施周期原则上是3年") == "项目实施周期原则上是3年"
    assert m.correct_names("栖元的需求表") == "栖原的需求表"


def test_every_condition_of_a_section_is_listed_when_asked_which() -> None:
    ans = answer("泉州提需求的龙头骨干企业，要满足的条件一共有哪几条？", TODAY)
    for needle in ("1亿元", "推广应用", "配套条件", "不良信用记录"):
        assert needle in ans.answer


def test_a_form_titled_without_brackets_names_its_notice_and_item() -> None:
    ans = answer("省“尖兵”“领雁”计划重大技术攻关需求表里“攻关时限”能选哪些？", TODAY)
    assert ans.citations and {c.notice for c in ans.citations} == {"longquan"}
    assert "攻关时限" in ans.answer


def test_a_date_of_another_step_does_not_date_the_step_asked() -> None:
    ans = answer("辽宁首批榜单什么时候对外公布？", TODAY)
    assert ans.refused, ans.answer
    assert "已截止" not in ans.answer.splitlines()[0]


def test_an_ask_word_inside_a_quoted_item_name_asks_nothing() -> None:
    ans = answer("辽宁征集表里“技术专家咨询意见”这一栏需要几位专家？", TODAY)
    assert ans.refused, ans.answer
    assert "024-23983346" not in ans.answer  # no list of phone numbers for a count question


def test_an_amount_over_the_cap_fails_whatever_the_unknown_class() -> None:
    ans = answer(
        "宁波一家企业牵头报中央引导资金科技成果转移转化项目，总投入2000万，申请财政250万，自筹1750万，行吗？",
        TODAY,
    )
    assert ans.answer.startswith("结论：按通知条件，不符合"), ans.answer


def test_hours_no_contact_prints_are_silent() -> None:
    ans = answer("湘潭科技局那个电话周末有人接吗？", TODAY)
    assert ans.refused, ans.answer
    assert "58570302" in ans.answer  # the number it does print, beside the silence


def test_a_rate_asked_of_a_notice_that_only_caps_is_silent() -> None:
    ans = answer("泉州财政资金按项目总预算的几成比例给？", TODAY)
    assert ans.refused, ans.answer
    assert "300万" in ans.answer


def test_a_note_saying_the_point_is_unwritten_makes_the_answer_silent() -> None:
    ans = answer("景德镇项目验收没通过的话，前面拨的钱要不要退回？", TODAY)
    assert ans.refused, ans.answer
    assert ans.answer.startswith("景德镇通知没有写明")


def test_still_open_with_today_named_asks_the_deadline() -> None:
    ans = answer("现在还能在湘潭那个邮箱提交需求表吗？", TODAY)
    assert "已截止" in ans.answer and "9月14日" in ans.answer


def test_every_count_rule_when_the_limits_are_asked() -> None:
    ans = answer("辽宁报需求数量方面有什么规定？", TODAY)
    for needle in ("2项", "200项", "30项"):
        assert needle in ans.answer


def test_a_count_granted_outside_a_quota_is_added_for_a_total() -> None:
    ans = answer("杭州拿到了督查激励，那中央引导资金项目杭州总共最多能报几项？", TODAY)
    assert "15 + 4" in ans.answer and "19项" in ans.answer


def test_filler_words_of_a_comparison_do_not_silence_a_notice() -> None:
    ans = answer("泉州和辽宁两地的需求分别交到哪里？", TODAY)
    assert not ans.refused and "平台" in ans.answer.split("辽宁：", 1)[1]


def test_the_issue_date_asked_beside_a_deadline_is_given_too() -> None:
    ans = answer("景德镇这份通知是哪天落款的？那天就是截止日吗？", TODAY)
    assert "2022年9月5日" in ans.answer and "9月25日" in ans.answer


def test_a_period_or_date_the_notice_prints_is_said_for_what_it_is() -> None:
    ans = answer("湘潭方案里“10月-11月上旬”是报需求的截止吗？", TODAY)
    assert ans.answer.splitlines()[0].startswith("项目申报、专题路演阶段")
    ans = answer("浙江那个通知里写的2024年6月1日是申报截止吗？", TODAY)
    assert "您说的" not in ans.answer and "3月22日" in ans.answer


def test_a_rule_asked_about_is_not_a_circumstance_told() -> None:
    ans = answer("中央引导资金的项目预算可不可以列间接费用？", TODAY)
    assert not ans.answer.startswith("结论"), ans.answer
    assert "不得编制间接费用" in ans.answer


def test_a_count_checked_against_the_row_of_a_quota_table_the_user_is() -> None:
    ans = answer("我们是省属本科高校，中央引导资金储备项目打算报3项，行不行？", TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合"), ans.answer
    assert "不超过2项" in ans.answer


def test_a_total_of_money_is_no_count_of_items() -> None:
    ans = answer("温州获得督查激励，单列名额推荐4个项目，申请财政资金合计900万，可以吗？", TODAY)
    assert "最多共" not in ans.answer


def test_a_what_if_class_after_the_question_is_answered_as_its_own_case() -> None:
    ans = answer("浙江中央引导资金，企业牵头总投入1000万，自筹起码多少？要是山区26县的企业呢？", TODAY)
    first, _, rest = ans.answer.partition("如果是")
    assert "800万" in first and "600万" not in first  # the question as asked, no class assumed
    assert "600万" in rest  # then the case


def test_a_case_is_split_only_when_a_class_is_named_after_a_question() -> None:
    from knowledge.understand import split_case

    assert split_case("湘潭的补助最多多少？如果是高新技术企业呢？") is not None
    assert split_case("湘潭的补助最多多少？") is None


def test_the_rows_of_a_quota_table_are_summed_when_a_total_is_asked() -> None:
    ans = answer("浙江中央引导资金，杭州和温州的限项数合计多少项？", TODAY)
    assert "27项" in ans.answer and "15 + 12" in ans.answer


def test_two_parts_of_a_budget_asked_together_are_the_rest_of_it() -> None:
    ans = answer("泉州情况表研发总预算1000万，财政资金按上限，需求方出资和攻关单位自筹一共要出多少？", TODAY)
    assert "700万" in ans.answer


def test_the_columns_of_a_summary_table_are_listed() -> None:
    ans = answer("景德镇那张汇总表有哪几列？", TODAY)
    for col in ("受理处室", "行业领域", "主管单位"):
        assert col in ans.answer


def test_the_rows_with_a_printed_limit_are_each_quoted() -> None:
    ans = answer("泉州情况表哪几栏限了字数？", TODAY)
    for limit in ("500字", "150字", "300字"):
        assert limit in ans.answer


def test_a_rule_whose_label_the_user_quotes_comes_first() -> None:
    ans = answer("浙江中央引导资金“区域科技创新体系建设”方向支持哪些单位？", TODAY)
    assert ans.answer.splitlines()[0].startswith("区域科技创新体系建设方向")


def test_a_rule_named_with_an_as_is_not_the_users_class() -> None:
    ans = answer("辽宁：我们属于高新技术领域，营收1800万、研发160万，能不能按“其他领域”的门槛报？", TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合"), ans.answer


def test_a_class_said_and_a_certificate_denied_keep_the_class() -> None:
    from knowledge.understand import read_classes

    yes, _ = read_classes("我们不是高新技术企业，但属于高新技术领域")
    assert "hitech" in yes.get("field", set())


def test_the_opposite_of_a_bar_said_clears_it() -> None:
    ans = answer("湘潭：我们以前承担的市级揭榜挂帅项目已经结题了，今年还能申报吗？", TODAY)
    assert ans.answer.startswith("结论：按您说的情况逐条核对，符合"), ans.answer
    assert "此条不限制您" in ans.answer


def test_a_parent_city_level_no_notice_issued_is_out_of_scope() -> None:
    ans = answer("丽水市本级的揭榜挂帅需求什么时候交？", TODAY)
    assert ans.refused and "丽水市本级" in ans.answer
    ans = answer("龙泉市本级财政补助类项目支持多少？", TODAY)
    assert "丽水" not in ans.answer  # the notice's own level is not refused as another's


def test_a_printed_date_before_which_one_must_submit_asks_the_deadline() -> None:
    ans = answer("景德镇通知是9月5日发的，企业是不是9月5日前就得把征集表交上去？", TODAY)
    assert "9月25日" in ans.answer


def test_a_period_told_back_does_not_hide_the_deadline_asked() -> None:
    ans = answer("辽宁那个实施周期不是还没结束吗，现在去填报需求还来得及吧？", TODAY)
    assert "3月26日" in ans.answer and "已截止" in ans.answer


def test_a_rule_quoted_back_is_answered_not_refused_for_a_note_beside_it() -> None:
    ans = answer("湘潭写的“原则上项目执行期（2年）企业新增税收不低于100万元”，这个税收按哪段时间算？", TODAY)
    assert not ans.refused, ans.answer
    assert "新增税收" in ans.answer


def test_an_out_of_scope_word_inside_other_words_is_not_said() -> None:
    from knowledge.scope import _said_as_word

    assert not _said_as_word("个税", "这个税收按哪年算")
    assert _said_as_word("个税", "个税怎么抵扣")


def test_a_recommending_office_named_in_the_third_person_gets_its_own_deadline() -> None:
    ans = answer("景德镇各县区科技局汇总推荐后报市里，最晚哪天？", TODAY)
    assert ans.answer.splitlines()[0].startswith("县区科技局"), ans.answer
    assert "9月25日" in ans.answer.splitlines()[0]


def test_a_day_asked_where_only_a_phase_of_months_is_printed_is_silent() -> None:
    ans = answer("湘潭那个项目路演具体是哪一天？", TODAY)
    assert ans.refused and "具体日期" in ans.answer.splitlines()[0]


def test_a_collection_window_asked_by_day_is_not_silenced_by_a_phase() -> None:
    ans = answer("湘潭征集时间从几月几号到几号？", TODAY)
    assert not ans.refused and "8月26日" in ans.answer and "9月16日" in ans.answer


def test_a_place_told_in_a_payment_question_is_answered_by_the_payment_rule() -> None:
    ans = answer("景德镇项目的揭榜方是外地高校的话，补助钱怎么给它？", TODAY)
    assert not ans.refused and "转付" in ans.answer


def test_an_option_the_form_does_not_print_is_said_to_be_missing() -> None:
    ans = answer("龙泉附件1需求表的“技术先进水平”能勾“世界一流”吗？", TODAY)
    assert "没有“世界一流”这个选项" in ans.answer, ans.answer
    assert "国际先进" in ans.answer


def test_how_the_money_comes_beside_how_much_is_no_unvalued_topic() -> None:
    ans = answer("景德镇最多能补多少钱，是开干前就给还是做完才补？", TODAY)
    assert not ans.refused, ans.answer
    assert "200万" in ans.answer and "前资助与后补助相结合" in ans.answer


def test_a_list_amount_answers_what_the_solver_is_paid() -> None:
    ans = answer("景德镇那边，需求企业最少要给揭榜方多少钱？", TODAY)
    assert not ans.refused and "100万" in ans.answer


def test_one_enterprise_as_the_subject_is_no_count_of_the_users_items() -> None:
    ans = answer("辽宁一个企业最多报几项需求？", TODAY)
    assert not ans.answer.startswith("结论"), ans.answer
    assert "2项" in ans.answer


def test_support_applied_for_is_the_grant_asked() -> None:
    ans = answer("浙江中央引导资金科技创新基地建设方向，我们申请支持600万可以吗？", TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合"), ans.answer


def test_not_counted_as_a_class_is_a_negation() -> None:
    ans = answer("辽宁：我们不算高新技术领域，营收800万、研发150万，能报吗？", TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合"), ans.answer
    assert "1000万" in ans.answer and "2000万" not in ans.answer


def test_what_one_must_put_in_oneself_is_the_own_share() -> None:
    ans = answer("浙江中央引导资金，我们是海岛县企业牵头，申请财政补助200万，自己至少要配多少？", TODAY)
    assert "500万" in ans.answer and "300万" in ans.answer


def test_a_date_told_in_passing_is_not_judged() -> None:
    ans = answer("我们9月10号已经把湘潭需求表发到邮箱了，立项结果什么时候出？", TODAY)
    assert "您说的9月10日" not in ans.answer
    ans = answer("我们9月15号才把湘潭需求表发到邮箱，算不算晚？", TODAY)
    assert "您说的" in ans.answer and "9月14日" in ans.answer


def test_several_grants_asked_are_summed_against_the_units_total_cap() -> None:
    ans = answer("我县拿到了督查激励，单列名额报2个中央引导资金项目，分别申请200万和250万，行吗？", TODAY)
    assert ans.answer.startswith("结论"), ans.answer
    assert "450万" in ans.answer and "500万" in ans.answer
    assert not ans.answer.startswith("结论：按通知条件，不符合")
