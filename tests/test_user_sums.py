"""The user's own figures added up and held against the total that is theirs (knowledge/sums.py), and a
list of items checked item by item. Phrasings are new: none is a gold question of any set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer
from knowledge.scope import place_level
from knowledge.sums import listed_figures
from knowledge.understand import understand

TODAY = date(2026, 11, 30)


def test_counts_in_batches_are_added_and_held_against_the_citys_floor() -> None:
    text = answer(
        "大连市科技局问：辽宁征集需求，我们一批报了90项、二批60项、三批40项，其中英歌石科学城一共25项，够数吗？",
        TODAY,
    ).answer
    assert "90 + 60 + 40 = 190项" in text and "还差10项" in text
    assert "英歌石科学城" in text and "还差5项" in text


def test_a_count_naming_the_items_is_not_a_batch_to_add() -> None:
    text = answer(
        "辽宁我们公司报两项需求：甲项拟投入1500万，乙项拟投入600万，两项拟投入一共多少？", TODAY
    ).answer
    assert "1500万元 + 600万元 = 2100万元" in text
    assert "2 + 2" not in text and "超出2项" not in text


def test_amounts_of_a_county_are_held_against_the_county_total() -> None:
    text = answer("浙江督查激励单列名额，我们县两个项目分别申请280万和240万，总额超了吗？", TODAY).answer
    assert "520万元" in text and "超出20万元" in text and "1000万元（" not in text


def test_each_items_amount_times_their_number() -> None:
    text = answer(
        "龙泉获得了督查激励，单列名额推荐2个中央引导资金项目，每项都申请250万财政资金，总额超不超？", TODAY
    ).answer
    assert "= 500万元" in text and "超出" not in text


def test_a_what_if_figure_is_no_item_of_a_list() -> None:
    assert listed_figures(understand("湘潭研发投入总额160万能拿多少补助？要是300万呢？")) == []
    assert listed_figures(understand("湘潭每年研发50万，加起来100万；付给高校40万，够不够？")) == []


def test_each_item_gets_its_own_verdict() -> None:
    text = answer("辽宁两个需求分别拟投入1500万和600万，各算重大需求还是重点需求？", TODAY).answer
    assert "第1项" in text and "第2项" in text
    first, second = text.split("第2项")
    assert "1500万元，要求不少于1000万元——满足" in first
    assert "600万元，要求不少于1000万元——不满足" in second


def test_the_level_of_a_place_is_read_from_the_region_table() -> None:
    assert place_level("我们是龙泉的") == "县"
    assert place_level("我是大连市科技局的") == "市"
    assert place_level("大连和龙泉") is None


def test_a_single_count_of_a_place_no_rule_names_is_held_against_the_others_floor() -> None:
    text = answer("辽宁征集需求，锦州市科技局这边目前推荐了18项，离要求还差几项？", TODAY).answer
    assert "18项" in text and "还差12项" in text and "其他地区" in text


def test_the_base_at_which_the_grant_reaches_its_cap() -> None:
    text = answer("湘潭研发投入做到多少以上，补助就碰到50万的上限了？", TODAY).answer
    assert "200万元（50万元 ÷ 25%）" in text


def test_a_heading_printed_only_in_one_document_names_it() -> None:
    query = understand("我们申报科技成果转移转化方向，最多能支持多少？")
    assert query.notices == ["longquan"] and query.docs == {"longquan": "zhejiang"}


def test_each_grant_of_a_total_is_held_against_its_named_directions_cap() -> None:
    text = answer(
        "我们县获得督查激励，单列推荐两项：一项科技创新基地建设，申请260万；一项科技成果转移转化，申请230万，行不行？",
        TODAY,
    ).answer
    assert "490万元" in text and "您的230万元，要求不超过200万元——不满足" in text


def test_a_money_follow_up_works_on_the_figures_the_last_question_gave() -> None:
    from knowledge.answer import converse

    last = converse(["景德镇榜单金额定300万的话，财政最多给多少？", "这笔钱分几次拨，每次多少？"], TODAY)[-1]
    assert "90万元" in last.answer and "54万元" in last.answer and "36万元" in last.answer


def test_a_follow_up_naming_a_documents_project_keeps_the_topic() -> None:
    from knowledge.answer import converse

    last = converse(["湘潭揭榜挂帅项目实施周期多长？", "那中央引导资金项目呢？"], TODAY)[-1]
    assert "2024年6月1日至2026年5月31日" in last.answer


def test_a_form_item_asked_with_the_users_figure_gets_the_amount() -> None:
    text = answer("湘潭需求表里计划研发投入填160万，申请专项那栏最多填多少？", TODAY).answer
    assert "申请专项" in text and "40万元" in text


def test_the_users_own_money_is_the_part_of_a_split_they_do_not_ask() -> None:
    text = answer(
        "泉州情况表研发总预算800万元，我们企业自己出400万，财政资金按上限填，技术攻关单位自筹资金填多少？",
        TODAY,
    ).answer
    assert "800万元 − 400万元 − 300万元 = 100万元" in text


def test_rows_of_a_table_named_are_quoted_alone() -> None:
    text = answer("中央引导资金储备项目，温州和台州各限报几项？", TODAY).answer
    assert "“温州12项”" in text and "“台州10项”" in text and "杭州15项" not in text


def test_each_years_figure_over_the_whole_period_adds_up() -> None:
    text = answer("湘潭揭榜挂帅执行期两年，我们研发投入第一年四十五万、第二年五十万，达标吗？", TODAY).answer
    assert "45万元 + 50万元 = 95万元" in text and "还差5万元" in text


def test_a_bare_clause_naming_the_document_inside_asks_the_same_of_it() -> None:
    parts = understand("龙泉这份通知是哪天发的？里面附的省科技厅那份呢？").parts
    assert len(parts) == 2 and parts[1].asks == parts[0].asks


def test_two_added_after_two_questions_adds_their_answers() -> None:
    from knowledge.answer import converse

    rows = converse(["中央引导资金储备项目，温州限几项？", "那台州呢？", "两个加起来一共几项？"], TODAY)[
        -1
    ].answer
    assert "合计22项（12 + 10）" in rows
    caps = converse(
        [
            "中央引导资金储备项目，区域科技创新体系建设每项最多支持多少？",
            "那科技成果转移转化呢？",
            "两个加起来呢？",
        ],
        TODAY,
    )[-1].answer
    assert "300万元 + 200万元 = 500万元" in caps and "× 不超过" not in caps


def test_two_instalments_asked_in_turn_are_added() -> None:
    from knowledge.answer import converse

    turns = [
        "景德镇榜单金额300万元，财政最多支持多少？",
        "签订任务书当年拨多少？",
        "验收合格后那笔呢？",
        "两个加起来呢？",
    ]
    text = converse(turns, TODAY)[-1].answer
    assert "两笔合计70%即126万元（90万元 + 36万元）" in text
    assert "第2项" not in text  # the figures carried along are said once, not read as two projects


def test_a_lookback_window_is_no_project_length() -> None:
    from knowledge.understand import read_duration

    assert read_duration("有没有要求近三年没有失信记录") is None
    assert read_duration("过去两年研发投入多少") is None
    assert read_duration("我们项目计划做三年") == (3.0, "三年")
    result = answer("辽宁有没有要求近三年没有失信？", TODAY)
    assert "不满足" not in result.answer


def test_a_handing_over_told_is_the_scene_of_the_question() -> None:
    parts = understand("湘潭企业把需求表交到市科技局，要交几份纸质的？").parts
    assert len(parts) == 1 and parts[0].asks == ["copies"]


def test_a_ministry_programme_is_outside_the_notices() -> None:
    assert answer("国家发展改革委的揭榜挂帅项目申报条件是什么？", TODAY).refused


def test_the_rest_of_a_total_left_to_own_funds_is_worked_out() -> None:
    text = answer(
        "我们是嘉兴企业，牵头申报中央引导资金科技创新基地建设，总经费800万元，申请补助200万元，其余自筹，符合吗？",
        TODAY,
    ).answer
    assert "600万元 ÷ 800万元 = 75%" in text and "不满足" in text


def test_a_sum_asked_of_a_verb_whose_object_the_last_question_named() -> None:
    from knowledge.answer import converse

    turns = ["湘潭发榜方付给揭榜方的钱有比例要求吗？", "要是研发投入200万元呢？至少得付多少？"]
    assert "80万元" in converse(turns, TODAY)[-1].answer
    granted = converse(["景德镇榜单金额最少多少？", "财政最多给多少"], TODAY)[-1].answer
    assert "200万元" in granted and "60%" in granted


def test_a_can_or_cannot_clause_is_a_question_of_its_own() -> None:
    parts = understand("中央引导资金预算里能否列支间接费用？引导资金什么时候要执行完？").parts
    assert len(parts) == 2
    text = answer("中央引导资金预算里能否列支间接费用？引导资金什么时候要执行完？", TODAY).answer
    assert "不得编制间接费用" in text and "当年执行完毕" in text


def test_a_bare_request_to_list_joins_the_question_before() -> None:
    parts = understand("辽宁政策咨询电话都有哪些？全部列出来").parts
    assert len(parts) == 1 and "list" in parts[0].asks
    text = answer("请列出辽宁全部政策咨询处室及联系电话", TODAY).answer
    assert all(p in text for p in ("024-23983346", "024-23983401", "024-23983676", "024-23983439"))


def test_which_day_of_the_month_issued_asks_the_issue_date() -> None:
    result = answer("泉州这份通知几号印发的？", TODAY)
    assert not result.refused and "11月17日" in result.answer


def test_who_may_solve_gives_every_rule_on_that_party() -> None:
    text = answer("景德镇谁可以来揭榜？", TODAY).answer
    assert "全国范围内" in text and "关联单位" in text


def test_the_copies_of_the_form_the_question_names_are_the_answer() -> None:
    result = answer(
        "泉州的《重大技术需求（难题）摸底汇总表》由谁来填、纸质版报送几份、何时报送至何处？", TODAY
    )
    assert not result.refused and "一式一份" in result.answer and "12月12日" in result.answer


def test_the_duties_of_the_recommending_office_named_as_the_doer() -> None:
    text = answer("辽宁企业在平台填完以后，初审单位还要做什么？", TODAY).answer
    assert "推荐文件" in text
    text = answer("我是泉州某个县级市科技局的，材料收齐以后我们要做什么？", TODAY).answer
    assert "会同工信部门" in text


def test_a_whole_asked_of_its_parts_given_is_their_sum() -> None:
    text = answer(
        "泉州情况表研发资金投入预测：技术需求方提供资金300万元，财政资金200万元，技术攻关单位自筹100万元，研发总预算填多少？",
        TODAY,
    ).answer
    assert "300万元 + 200万元 + 100万元 = 600万元" in text


def test_the_rest_of_a_quota_beside_a_floor_for_one_kind() -> None:
    text = answer("泉州一个县推荐的需求里，其中企业自己的单项难题最多能有几项？", TODAY).answer
    assert "3 − 1 = 2项" in text
    text = answer("泉州一个县推荐的需求里，其中行业共性需求最多能有几项？", TODAY).answer
    assert "3 − 1" not in text


def test_from_which_day_to_which_of_a_period_talked_about() -> None:
    from knowledge.answer import converse

    turns = ["湘潭揭榜挂帅项目执行期多长？", "那中央引导资金项目呢？", "它具体从哪天到哪天？"]
    last = converse(turns, TODAY)[-1]
    assert not last.refused and "2024年6月1日至2026年5月31日" in last.answer


def test_a_failed_own_share_says_how_much_of_the_rest_is_allowed() -> None:
    text = answer(
        "我们是宁波企业，牵头申报中央引导资金科技创新基地建设，总预算1000万元，申请引导资金300万元、自筹700万元，配比行吗？",
        TODAY,
    ).answer
    assert "至少需800万元" in text and "最多200万元（1000万元 − 800万元）" in text


def test_a_total_at_the_cap_counts_the_units_own_number_of_items() -> None:
    text = answer(
        "本县获得了省政府科技创新督查激励，单列名额推荐的项目都是“区域科技创新体系建设”方向，按上限算最多能申请多少财政资金？",
        TODAY,
    ).answer
    assert "2项 × 不超过300万元 = 600万元" in text and "4项 ×" not in text


def test_someone_else_the_user_tells_of_is_not_the_users_class() -> None:
    from knowledge.understand import read_classes

    told = read_classes("我们企业想报一个难题，听说省里一家高校已经有现成成果了，还能报吗")[0]
    assert told.get("applicant") == {"enterprise"}
    assert read_classes("我们是一家高校，能提需求吗")[0].get("applicant") == {"university"}


def test_a_bar_written_for_another_class_is_shown_with_whom_it_is_for() -> None:
    text = answer("我们是泉州一个产业协会，收入才300来万，会不会因为营收不到1亿被卡住？", TODAY).answer
    assert "超过1亿元" in text and "不是对您所说单位类型的要求" in text and "不满足" not in text


def test_the_askers_rule_before_the_solvers_like_worded_one() -> None:
    text = answer("景德镇、辽宁两份通知对需求企业的信用要求分别怎么规定？", TODAY).answer
    assert "联合惩戒" in text


def test_the_payment_asked_alone_is_not_the_grant() -> None:
    text = answer("湘潭项目研发投入200万元，我们发榜方最少得付给揭榜方多少钱？", TODAY).answer
    assert "80万元" in text and "财政资金测算" not in text
    both = answer("湘潭项目研发投入200万元，最少付揭榜方多少？市财政最多补多少？", TODAY).answer
    assert "80万元" in both and "50万元" in both


def test_the_office_of_a_field_the_user_says_they_are_not_is_left_out() -> None:
    text = answer("我们是辽宁的农业企业，不算高新技术领域，有政策问题打哪个电话？", TODAY).answer
    assert "024-23983401" in text and "024-23983346" not in text


def test_a_circumstance_said_in_other_words_hits_the_rule_with_its_whole() -> None:
    text = answer(
        "我们县想推荐3项到泉州市里，都是企业自己的技术难题，没有一项行业共性的，行吗？", TODAY
    ).answer
    assert "可能不满足此条" in text and "不超过3项" in text


def test_the_grant_asked_by_its_verb_is_the_rest_of_the_total_after_own_funds() -> None:
    text = answer(
        "我们是宁波一家企业（不是农业类，也不在山区26县或海岛县），牵头报中央引导资金项目，总经费五百万元，财政最多能补多少？",
        TODAY,
    ).answer
    assert "自筹经费至少400万元" in text and "最多100万元" in text


def test_a_supposed_case_of_the_host_place_stays_within_the_attachment_talked_about() -> None:
    from knowledge.answer import converse

    turns = [
        "浙江中央引导资金储备项目，衢州市限报几项？",
        "要是龙泉市拿过省政府科技创新督查激励呢，它能单列几项？",
    ]
    last = converse(turns, TODAY)[-1]
    assert not last.refused and "不超过2项" in last.answer


def test_each_case_asked_gets_every_rule_printed_alike() -> None:
    text = answer("浙江附件4里的中央引导资金，分哪几个支持方向？每个方向每项最多支持多少？", TODAY).answer
    assert all(v in text for v in ("不超过300万元", "不超过500万元", "不超过200万元"))


def test_two_totals_asked_in_turn_are_added() -> None:
    from knowledge.answer import converse

    turns = ["浙江督查激励单列，县（市、区）申请财政资金总额最多多少？", "设区市呢？", "两个加起来呢？"]
    assert "1500万元" in converse(turns, TODAY)[-1].answer


def test_the_other_office_asked_with_more_about_it() -> None:
    from knowledge.answer import converse

    turns = ["泉州龙头企业的需求问题找哪个科室？", "另外那个科室呢？负责什么，电话是多少？"]
    text = converse(turns, TODAY)[-1].answer
    assert "0595-22284742" in text.splitlines()[0]


def test_each_metric_asked_of_a_class_gets_its_rule() -> None:
    from knowledge.answer import converse

    turns = ["辽宁重大需求企业要投入多少？", "那重点需求呢？投入多少，营收和研发投入有啥门槛？"]
    text = converse(turns, TODAY)[-1].answer
    assert "400万元" in text and "2000万元" in text and "200万元" in text


def test_the_name_of_an_office_asked_is_no_persons_name() -> None:
    from knowledge.answer import converse

    last = converse(["湘潭揭榜挂帅咨询电话多少？", "这个科室叫啥？"], TODAY)[-1]
    assert not last.refused and "成果转化与产学研合作科" in last.answer


def test_no_further_support_answers_what_follows_a_failed_review() -> None:
    last = answer("景德镇项目中期评估没通过会怎么样？", TODAY)
    assert not last.refused and "不再支持" in last.answer


def test_a_lower_bound_asked_after_a_definition_is_answered_too() -> None:
    text = answer("景德镇的榜单金额是指什么？有没有下限？", TODAY).answer
    assert "技术攻关费用" in text and "100万元" in text


def test_which_office_to_ask_after_a_yes_no() -> None:
    text = answer("泉州摸底，我们是产业集群，能提需求吗？该问哪个部门？", TODAY).answer
    assert "0595-22284742" in text


def test_who_may_not_apply_gives_the_rules_that_exclude() -> None:
    text = answer("湘潭哪些企业不能申报？", TODAY).answer
    assert "未结题前不得申报" in text.splitlines()[0]


def test_two_classes_coordinated_before_a_shared_ending() -> None:
    from knowledge.understand import read_classes

    assert read_classes("辽宁重大、重点需求的门槛分别是多少")[0].get("level") == {"major", "key"}
    text = answer("辽宁高新技术领域重大和重点需求的营收门槛分别是多少？", TODAY).answer
    assert "5000万元" in text and "2000万元" in text


def test_the_grants_share_is_answered_by_the_own_funds_floor_and_the_rate() -> None:
    text = answer("湘潭和浙江中央引导资金（企业牵头）对财政资金占比分别怎么规定？", TODAY).answer
    assert "25%" in text and "80%" in text


def test_the_cap_said_back_with_a_full_grant_is_no_figure_of_the_users() -> None:
    text = answer(
        "我们企业（非农业类，不在山区26县或海岛县）牵头报中央引导资金区域科技创新体系建设，想拿满每项300万的支持，总经费至少多少？",
        TODAY,
    ).answer
    assert "至少1500万元" in text


def test_a_grant_over_its_cap_says_what_the_rest_of_the_total_must_be() -> None:
    text = answer("泉州需求表研发总预算准备填1000万，财政资金那栏想填400万，可以吗？", TODAY).answer
    assert "不满足" in text and "其余各项合计至少700万元（1000万元 − 300万元）" in text


def test_a_birthday_is_no_day_the_user_acts_on() -> None:
    text = answer("一位院士1957年5月1日出生，想当浙江中央引导资金项目负责人，可以吗？", TODAY).answer
    assert "尚未开始" not in text and "70周岁" in text
    founded = answer("我们公司2020年5月8日成立，能报辽宁的揭榜挂帅需求吗？", TODAY).answer
    assert "不算晚" not in founded and "早于期限" not in founded
    closed = answer("我们上个市级揭榜项目2024年6月30日已经结题了，能报湘潭的吗？", date(2024, 8, 30)).answer
    assert "尚未开始" not in closed
