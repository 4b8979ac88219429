"""Clauses that only set the scene, steps asked one after another, sums of printed limits and rows, and
rules that decide before arithmetic. Phrasings are new: none is a gold question of any set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse
from knowledge.mentions import mentioned_notices
from knowledge.understand import understand

TODAY = date(2026, 11, 30)


def test_a_clause_naming_a_document_is_the_subject_of_the_next_clause() -> None:
    parts = understand("泉州企业的需求表纸质版，应该寄到市里哪个地址？").parts
    assert len(parts) == 1 and "where" in parts[0].asks


def test_a_clause_ending_in_after_is_when_not_what_is_asked() -> None:
    parts = understand("泉州县里汇总报上去以后呢，后面还有啥环节？").parts
    assert len(parts) == 1 and parts[0].asks == ["process"]


def test_several_is_not_how_many_and_who_decides_is_asked() -> None:
    parts = understand("景德镇要是好几家单位都来揭同一个榜，由谁确定揭榜方？").parts
    assert "count" not in {a for p in parts for a in p.asks}
    text = answer("景德镇要是好几家单位都来揭同一个榜，由谁确定揭榜方？", TODAY).answer
    assert "企业需求方为主导" in text


def test_whether_submitting_has_opened_is_a_question_of_dates() -> None:
    result = answer("湘潭那边现在可以报了吗？", date(2024, 8, 1))
    assert not result.refused and "8月26日" in result.answer and "已截止" not in result.answer


def test_an_office_named_without_a_place_belongs_to_the_place_named() -> None:
    assert mentioned_notices("辽宁省平台报完以后省科技厅还做什么") == ["liaoning"]
    assert mentioned_notices("省科技厅的储备项目什么时候截止") == ["longquan"]


def test_a_base_below_the_notices_floor_gets_no_grant_arithmetic() -> None:
    text = answer("景德镇我们打算发80万的榜，按比例财政能补多少？", TODAY).answer
    assert "100万" in text and "不满足" in text
    assert "48万" not in text  # 80万 × 60% would be a grant the rules do not allow


def test_another_actors_deadline_is_given_with_the_note_that_none_is_set_for_the_asker() -> None:
    # the development set's convention: answered with the nearest printed deadline, whose it is, and the
    # note that none is set for the enterprise (not a refusal)
    result = answer("景德镇企业自己把表交到县区科技局，截止日期是几号？", TODAY)
    assert not result.refused and "没有给企业规定" in result.answer
    assert result.answer.startswith("县区科技局向市科技局") and "9月25日" in result.answer


def test_steps_asked_in_order_get_the_chain_from_the_state_named() -> None:
    text = answer("景德镇征集表盖好章了，接下来先交给谁、谁来筛选、最后报到哪个科？", TODAY).answer
    positions = [text.find(w) for w in ("县区科技局", "初步筛选", "计划科")]
    assert -1 not in positions and positions == sorted(positions)


def test_the_next_step_brings_the_rest_of_its_sentence() -> None:
    text = answer("泉州企业把材料交给所在地科技主管部门以后，下一步是什么？", TODAY).answer
    assert "择优推荐" in text and "12月12日" in text


def test_printed_character_limits_are_summed_once_each() -> None:
    text = answer("泉州情况表所有限字数的栏目，字数合计最多多少？", TODAY).answer
    assert "1450字" in text and "共用" in text


def test_a_count_added_to_a_table_total() -> None:
    text = answer("浙江附件里设区市限项数总共多少项？再加上国资委的10项呢？", TODAY).answer
    assert "107项" in text and "117项" in text


def test_which_form_to_fill_names_its_attachment_number() -> None:
    text = answer("龙泉这次，我们是行业主管部门，要用哪张表？", TODAY).answer
    assert "附件3" in text


def test_a_form_items_printed_guidance_is_quoted_with_it() -> None:
    text = answer("龙泉企业表里“主要技术指标”和“科技成果指标”两栏分别写什么？", TODAY).answer
    assert "性能参数" in text and "核心知识产权" in text


def test_when_money_arrives_is_not_answered_with_another_date() -> None:
    result = answer("浙江那个储备项目批了以后，钱大概什么时候能拨下来？", TODAY)
    assert result.refused and "3月13日" not in result.answer.splitlines()[0]


def test_the_year_a_rise_is_measured_from_is_a_point_the_rule_may_not_settle() -> None:
    result = answer("湘潭新增税收不低于100万这一条，新增是和哪一年比？", TODAY)
    assert result.refused and "100万" in result.answer and "基数" in result.answer


def test_what_comes_before_i_want_to_ask_is_the_scene() -> None:
    parts = understand("我们是湘潭的企业，通知要求研发投入不低于100万，我想问一下这个怎么算？").parts
    assert len(parts) == 1


def test_a_when_question_gets_no_date_that_shares_only_the_asking() -> None:
    for question in ("泉州的奖励什么时候兑现？", "龙泉的需求什么时候开始对接？"):
        result = answer(question, TODAY)
        assert result.refused and "日期：" not in result.answer.splitlines()[0]
    assert "2023年11月17日" in answer("泉州通知哪天发的？", TODAY).answer


def test_equal_to_a_strict_minimum_is_said_plainly() -> None:
    text = answer("泉州，我们主营收入刚好1亿元整，够龙头企业那条吗", TODAY).answer
    assert "不满足（正好等于，未超过）" in text and "还差0" not in text


def test_several_share_rules_each_say_whose_they_are() -> None:
    lines = answer("浙江储备项目我们申请省级资金200万，自筹至少多少？", TODAY).answer.splitlines()
    worked = [ln for ln in lines if "至少" in ln and ln.startswith("若属")]
    assert len(worked) >= 2 and any("企业牵头" in ln for ln in worked)


def test_a_year_then_a_place_then_the_programme_names_a_round() -> None:
    result = answer("2019年湘潭“揭榜挂帅”技术需求征集什么时候截止？", TODAY)
    assert result.refused and "2019年度" in result.answer


def test_a_failed_chosen_class_offers_the_one_the_figures_meet() -> None:
    text = answer("我们属于高新技术领域，营收8000万、研发260万，报辽宁重大需求行不行？", TODAY).answer
    assert text.startswith("结论：按通知条件，不符合") and "可以改报重点需求" in text


def test_contacts_under_each_named_heading() -> None:
    text = answer("辽宁那边社会发展领域和新一代信息技术领域分别找哪个处？", TODAY).answer
    assert "社发处" in text and "信息处" in text and "医药处" not in text


def test_a_contact_the_question_picks_outweighs_the_last_turns() -> None:
    from knowledge.answer import converse

    last = converse(["辽宁农业领域政策咨询找谁？", "那平台登录不了找谁？"], TODAY)[-1]
    assert "024-23983158" in last.answer and "农村处" not in last.answer


def test_a_short_part_after_a_step_asks_of_that_step() -> None:
    text = answer("景德镇项目立项了，任务合同书一般啥时候签？有没有截止日期？逾期不签会怎样？", TODAY).answer
    assert "自动弃权" in text and "已截止" not in text


def test_a_step_timed_relative_to_another_is_answered_by_that_rule() -> None:
    text = answer("景德镇揭榜挂帅项目验收申请有没有截止时间？", TODAY).answer
    assert "1个月内" in text and "已截止" not in text


def test_an_explicit_deadline_question_gets_a_deadline_not_an_opening() -> None:
    text = answer("辽宁企业平台填报截止到几号？", TODAY).answer
    assert text.startswith("企业需求征集填报截止") and "3月26日" in text


def test_a_form_for_another_kind_of_unit_says_whose_it_is() -> None:
    text = answer("景德镇我们企业需要填那个汇总表吗？", TODAY).answer
    assert "各县（市）、区科技局" in text and "附件1" in text
    assert "附件3" in answer("龙泉我们是协会，该填哪个附件？", TODAY).answer


def test_which_options_an_item_offers_lists_them_all_with_a_quote() -> None:
    text = answer("龙泉尖兵领雁需求表“重点领域”能勾哪些？", TODAY).answer
    assert all(w in text for w in ("海洋科技", "农业科技", "碳达峰碳中和"))
    liaoning = answer("辽宁征集表“技术基础（企业自身承担比重）”可以选哪几个？", TODAY).answer
    assert "约30%" in liaoning and "约100%" in liaoning


def test_a_unit_registered_in_another_notices_place_is_from_elsewhere_for_this_one() -> None:
    text = answer(
        "我们是泉州注册的高新技术企业，营收8000万、研发500万，能在辽宁平台填报重大需求吗？", TODAY
    ).answer
    liaoning = text[text.find("辽宁：") :]
    assert liaoning.startswith("辽宁：结论：按通知条件，不符合") and "辽宁省内注册" in liaoning


def test_a_contact_follow_up_is_not_answered_by_the_last_turns_rule_note() -> None:
    from knowledge.answer import converse

    last = converse(
        [
            "我们是泉州的高新技术企业，营收8000万，能以骨干企业身份报吗？",
            "那换成行业协会来报，该问哪个部门？",
        ],
        TODAY,
    )[-1]
    assert "0595-22284742" in last.answer


def test_a_form_name_alone_names_its_notice() -> None:
    text = answer("尖兵领雁需求表 核心技术参数 几项以上", TODAY).answer
    assert "5项以上" in text


def test_a_figure_just_under_a_bound_is_not_shown_rounded_up_to_it() -> None:
    from knowledge.numbers import fmt_num, fmt_wan

    assert fmt_wan(299.9999) == "299.9999万元" and fmt_num(1e7) == "10000000" and fmt_wan(12000) == "1.2亿元"
    text = answer("辽宁重大需求，高新技术领域，营收6000万，研发投入2,999,999元，够吗", TODAY).answer
    assert "您的299.9999万元" in text and "不满足" in text


def test_a_ratio_no_notice_sets_is_silence_not_another_rules_verdict() -> None:
    result = answer("湘潭对研发投入占营收比例有要求吗？我们营收5000万、研发100万", TODAY)
    assert result.refused and "符合下列条件" not in result.answer


def test_which_notices_is_a_question_of_all_of_them_not_an_unknown_word() -> None:
    result = answer("哪几个通知要求盖章？", TODAY)
    assert not result.refused and "哪几个" not in result.answer.splitlines()[0]


def test_every_division_under_a_heading_is_listed_when_the_list_is_asked() -> None:
    text = answer("辽宁政策咨询分哪几块？都列出来", TODAY).answer
    assert all(w in text for w in ("高新处", "信息处", "医药处", "农村处", "社发处", "规划处"))


def test_each_gap_asked_between_the_issue_date_and_the_deadlines() -> None:
    text = answer(
        "泉州通知印发日到企业截止日相隔多少天？企业截止日到县里报市里截止日又相隔多少天？", TODAY
    ).answer
    assert "相隔18天" in text and "相隔7天" in text


def test_a_share_of_rd_is_worked_out_from_rd_read_as_the_planned_investment() -> None:
    text = answer("湘潭项目计划研发投入300万，我们付给揭榜方的钱至少多少？", TODAY).answer
    assert "120万元" in text


def test_a_relative_deadline_counted_from_the_users_date() -> None:
    text = answer("景德镇项目执行期到2024年11月30日结束，最迟哪天前要提验收申请？", TODAY).answer
    assert "2024年12月30日" in text and "1个月" in text


def test_a_place_a_notices_rules_are_keyed_by_is_not_stripped_as_the_notices_name() -> None:
    first = answer("辽宁大连市推荐数量最少多少项？", TODAY).answer.splitlines()[0]
    assert "200项" in first


def test_every_notice_when_the_question_says_all_of_them_and_names_some() -> None:
    result = answer("这五份通知的截止日期各是哪天？（泉州按企业提交口径）", TODAY)
    assert {c.notice for c in result.citations} == {
        "quanzhou",
        "xiangtan",
        "jingdezhen",
        "liaoning",
        "longquan",
    }


def test_a_what_if_follow_up_with_a_new_figure_redoes_the_sum() -> None:
    answers = converse(["景德镇榜单金额150万，财政最多补多少？", "那榜单要是400万呢？"], TODAY)
    assert "200万" in answers[1].answer.split("来源")[0] and "240万" in answers[1].answer


def test_a_conversation_stays_within_the_printed_document_it_named() -> None:
    turns = ["浙江省中央引导资金有哪些支持方向？", "成果转移转化每项最多支持多少？", "基地建设那个呢"]
    last = converse(turns, TODAY)[-1]
    assert not last.refused and "500万" in last.answer.splitlines()[0]


def test_a_note_contrasting_two_documents_only_when_the_question_could_mean_either() -> None:
    pinned = answer("龙泉企业版需求征集表最晚哪天报？", TODAY).answer
    assert "4月15日" in pinned and "3月22日" not in pinned
    open_ended = answer("龙泉揭榜挂帅需求几号截止？", TODAY).answer
    assert "4月15日" in open_ended and "3月22日" in open_ended


def test_the_close_asked_after_the_opening_is_another_date() -> None:
    text = answer("中央引导资金储备项目申报系统几号开放，几号截止", TODAY).answer
    assert "3月18日" in text and "——已截止（2024年3月22日" in text


def test_a_month_a_step_falls_in_is_not_how_long_it_lasts() -> None:
    ans = answer("湘潭的立项名单要公示多少天？", TODAY)
    assert ans.refused and "没有写明" in ans.answer and "11月中下旬" not in ans.answer.split("\n")[0]


def test_a_contact_person_asked_where_only_an_office_is_printed() -> None:
    text = answer("湘潭那边的经办人叫什么？", TODAY).answer
    assert "没有印" in text and "联系人姓名" in text and "58570302" in text


def test_a_bar_on_a_metric_asked_as_what_bars_there_are() -> None:
    ans = answer("景德镇对需求企业的营收有什么门槛？要多少？", TODAY)
    assert ans.refused and "主营业务收入方面的门槛或条件" in ans.answer and "清单" not in ans.answer


def test_a_bare_attribute_follow_up_is_about_whom_the_last_turn_named() -> None:
    last = converse(["辽宁新一代信息技术领域的政策问题问谁？", "号码多少？"], TODAY)[-1].answer
    assert "024-23983192" in last and "024-23983346" not in last


def test_a_periods_length_is_counted_both_ways_unless_the_question_says() -> None:
    ans = answer("湘潭征集期一共多少天？", TODAY)
    assert not ans.refused and "共22天" in ans.answer and "21天" in ans.answer
    said = answer("湘潭征集期一共多少天（首尾两天都算）？", TODAY).answer
    assert "共22天" in said and "21天" not in said


def test_a_gap_between_dates_the_question_names_by_their_steps() -> None:
    text = answer("辽宁企业填报截止跟第一批次推荐截止相差多少天？", TODAY).answer
    assert text.startswith("两个日期相隔54天")


def test_a_gap_that_could_join_several_shown_dates_names_every_pair() -> None:
    text = answer("泉州通知是11月17日发的，县里报市局截止离发文还有多少天？", TODAY).answer
    assert "11月17日到12月12日相隔25天" in text and "两个日期相隔18天" not in text
    assert "结论：您说的" not in text  # the notice's date, told: not a day the user acted on


def test_a_figure_the_user_quotes_from_the_notices_is_not_theirs() -> None:
    text = answer("辽宁和湘潭的文件里都有“100万元”这个投入标准，口径一样吗？", TODAY).answer
    assert "结论：" not in text and "您的100万元" not in text


def test_a_way_of_submitting_asked_of_a_document_that_prescribes_another() -> None:
    ans = answer("浙江中央引导资金储备项目的申报材料用邮件发过去可以吗？", TODAY)
    assert not ans.refused and "没有写用邮箱报送" in ans.answer and "政务服务网" in ans.answer


def test_no_countdown_to_a_window_that_closes_after_the_deadline_shown() -> None:
    text = answer("湘潭需求表最晚哪天交？还剩几天？", date(2024, 9, 11)).answer
    assert "距2024年9月14日还有3天" in text and "距2024年9月16日" not in text


def test_a_list_amount_beside_a_project_total_is_one_project() -> None:
    text = answer("景德镇项目总投入600万，其中给揭榜方的攻关费用80万，财政能补多少？", TODAY).answer
    assert "不符合要求" in text and "合计" not in text and "360万" not in text


def test_a_term_glossed_in_brackets_binds_the_figure_after_the_gloss() -> None:
    text = answer(
        "景德镇发榜，总投入500万，榜单金额（即付给揭榜方的攻关费）300万，财政最多多少？", TODAY
    ).answer
    assert "最多180万元" in text


def test_hearsay_figures_are_not_the_users_and_a_yearly_base_is_totalled_for_a_share() -> None:
    q = "湘潭项目做两年，每年研发投入60万，付给揭榜高校50万，同事说研发每年都得100万，我们够吗？"
    text = answer(q, TODAY).answer
    assert "60万元 × 2年 = 120万元" in text and "100万元 × 2年" not in text
    assert "50万元 ÷ 120万元" in text


def test_a_nameless_remainder_is_not_given_unasked() -> None:
    text = answer("湘潭研发投入200万，财政最多补多少？", TODAY).answer
    assert "最多50万元" in text and "其余最多" not in text


def test_each_row_of_an_enumeration_with_its_printed_limit() -> None:
    q = "泉州情况表里技术难题概述、预期技术目标、预期的经济社会效益这几栏各限多少字？"
    text = answer(q, TODAY).answer
    assert "技术难题概述" in text and "攻关后要求达到的技术参数" in text and "限300字以内" in text


def test_the_other_limits_when_asked_after_one() -> None:
    text = answer("湘潭需求表哪几段限500字？其他的限多少？", TODAY).answer
    assert "限500字的共2项" in text and "限300字的共3项" in text


def test_a_when_sharing_only_the_verb_is_another_things_date() -> None:
    ans = answer("龙泉的申报指南一般什么时候发布？", TODAY)
    assert ans.refused and "2024年3月14日" not in ans.answer


def test_membership_told_is_not_membership_asked() -> None:
    told = answer("中央引导资金储备项目，我们单位属于海岛县，自筹比例按多少？", TODAY)
    assert not told.refused and "60%" in told.answer and "没有列出名单" not in told.answer
    asked = answer("浙江中央引导资金里说的海岛县都包括哪些？", TODAY)
    assert asked.refused and "没有列出名单" in asked.answer


def test_a_printed_cap_named_by_the_user_is_not_their_request() -> None:
    text = answer("湘潭的50万元补助上限和景德镇的200万元上限，计算基数一样吗？", TODAY).answer
    assert "您的" not in text and "25%" in text and "榜单金额" in text


def test_a_time_within_the_user_says_against_the_rules_own() -> None:
    text = answer("景德镇项目执行期满了，验收申请两个月内提交可以吧？", TODAY).answer
    assert "1个月内" in text and "超过了这个期限" in text


def test_a_follow_up_lead_with_a_confirming_tail_asks_the_last_question_again() -> None:
    last = converse(["景德镇揭榜挂帅项目实施周期多长？", "那湘潭呢？也是3年吗？"], TODAY)[-1].answer
    assert "不超过2年" in last
    own = converse(["泉州每个县最多推荐几项？", "那辽宁呢？大连要推多少项？"], TODAY)[-1].answer
    assert "200项" in own


def test_no_split_of_a_total_when_two_figures_read_as_the_total() -> None:
    q = "泉州情况表研发总预算0.12亿，我们企业出0.06亿，攻关单位自筹0.02亿，财政资金填0.04亿，可以吗？"
    ans = answer(q, TODAY)
    assert not ans.refused and "不超过300万元" in ans.answer and "= 100万元" not in ans.answer


def test_what_the_user_takes_for_granted_is_not_asked() -> None:
    ans = answer("龙泉的需求表应该是发给孙亮的吧，他的手机号是多少？", TODAY)
    assert ans.refused and "没有印" in ans.answer and "0571" not in ans.answer


def test_when_the_money_comes_down_is_the_payment_phase() -> None:
    last = converse(["湘潭揭榜挂帅的钱是先给还是后给？", "那钱几月份能到账？签什么合同？"], TODAY)[-1].answer
    assert "11月中下旬" in last and "合同书" in last


def test_support_by_projects_is_not_duplicate_funding() -> None:
    ans = answer("龙泉征集上来的需求，以后会通过哪些类型的项目立项支持？", TODAY)
    assert not ans.refused and "中央引导资金" in ans.answer and "重复" not in ans.answer


def test_a_companys_age_asked_where_no_rule_sets_one() -> None:
    ans = answer("辽宁对企业成立年限有要求吗？要注册满几年？", TODAY)
    assert ans.refused and ans.answer.count("没有写明") == 1 and "成立年限" in ans.answer


def test_two_contact_questions_each_pick_their_own_office() -> None:
    text = answer("做生物药的企业问辽宁揭榜挂帅的政策找哪个处、哪位老师；平台登不上去又找谁？", TODAY).answer
    assert "024-23983402" in text and "024-23983158" in text and "024-23983346" not in text
    same = answer("泉州揭榜挂帅，龙头企业的技术需求该打哪个电话？邮箱也给一下。", TODAY).answer
    assert "kj22579329@163.com" in same and "22284742" not in same


def test_that_place_over_there_is_a_topic_follow_up() -> None:
    turns = ["辽宁沈阳市至少要推荐多少项？", "其他地区呢？", "那泉州那边呢？"]
    last = converse(turns, TODAY)[-1]
    assert not last.refused and "不超过3项" in last.answer


def test_the_last_instalment_named_by_its_share_is_of_the_schedule_talked_about() -> None:
    turns = ["景德镇财政资金分几次拨？", "最后那20%呢？什么时候给？"]
    assert "验收合格" in converse(turns, TODAY)[-1].answer


def test_a_call_frame_keeps_the_caller_and_drops_the_call() -> None:
    ans = answer("有个县科技局打电话问：泉州企业的需求表收上来以后，他们要跟哪个部门一起推荐？", TODAY)
    assert not ans.refused and "工信" in ans.answer


def test_published_in_batches_is_not_paid_in_instalments() -> None:
    text = answer("泉州论证后的需求是一次性全部张榜吗？", TODAY).answer
    assert "成熟一批、发布一批" in text and "分期安排" not in text


def test_what_if_figures_are_cases_never_summed() -> None:
    text = answer("景德镇榜单金额150万，财政最多给多少？要是榜单改成400万呢？", TODAY).answer
    assert "按150万元：最多90万元" in text and "按400万元：最多200万元" in text and "合计" not in text


def test_a_what_if_list_amount_with_the_first_instalment_asked() -> None:
    turns = [
        "我们在景德镇挂个200万元的榜，财政最多支持多少？",
        "那要是榜单定450万元呢？签任务书那年能先拿到多少？",
    ]
    text = converse(turns, TODAY)[-1].answer
    assert (
        "最多200万元" in text and "任务书签订当年这一笔：200万元 × 50% = 100万元" in text
    )  # (that one instalment)


def test_a_question_set_apart_outside_the_notices_leaves_the_rest_answered() -> None:
    q = "湘潭财政补助最多多少？另外2027年这一轮什么时候开始征集？"
    ans = answer(q, TODAY)
    assert not ans.refused and "50万" in ans.answer and "不涉及2027年度" in ans.answer
    whole = answer("2027年湘潭揭榜挂帅什么时候开始？补助还是最多50万吗？", TODAY)
    assert whole.refused


def test_an_a_not_a_clause_is_a_question_of_its_own() -> None:
    parts = understand("督查激励的县单列能推几个项目？龙泉在不在激励名单里？").parts
    assert len(parts) == 2 and "count" in parts[0].asks


def test_a_chain_of_short_turns_keeps_whom_it_is_about() -> None:
    turns = ["辽宁揭榜挂帅政策咨询怎么分的？", "农业领域归哪个处？", "联系人是谁？", "电话呢？"]
    last = converse(turns, TODAY)[-1].answer
    assert "024-23983401" in last and "024-23983346" not in last


def test_money_sent_to_someone_is_not_a_number_to_call() -> None:
    ans = answer("湘潭的补助经费是打到发榜企业账上，还是直接打给揭榜高校？", TODAY)
    assert ans.refused and "拨付给哪一方" in ans.answer


def test_a_programme_no_notice_covers_is_out_of_scope() -> None:
    assert answer("科技型中小企业评价入库要满足什么条件？", TODAY).refused


def test_a_part_asking_two_things_gets_each_kind_of_answer() -> None:
    text = answer("龙泉的需求征集表要交什么格式的文件，发给谁？", TODAY).answer
    assert "WORD文档和盖章扫描件" in text and "2191290347@qq.com" in text


def test_a_grant_asked_on_a_base_below_the_floor_is_not_worked_out() -> None:
    text = answer("景德镇榜单金额80万，按60%财政能给48万吧？", TODAY).answer
    assert "不符合要求" in text and "未超出" not in text


def test_a_consequence_stated_in_few_of_the_questions_words() -> None:
    text = answer("景德镇的任务合同书一直拖着没签，拖太久会怎么样？", TODAY).answer
    assert "自动弃权" in text and "没有写明达不到要求的后果" not in text


def test_a_minimum_worked_out_with_the_grant_at_its_cap() -> None:
    text = answer(
        "我们是一家制造企业（不是农业类，也不在山区26县、海岛县），想牵头报中央引导资金的科技成果转移转化项目，"
        "按上限申请的话，自筹经费至少得多少？",
        TODAY,
    ).answer
    assert "至少800万元" in text and "160万" not in text


def test_an_amount_named_as_a_list_after_it_is_the_list_amount() -> None:
    text = answer("我们想在景德镇挂一个80万元的榜，按60%算财政能给48万吧？", TODAY).answer
    assert "100万元" in text and "不满足" in text


def test_a_round_the_notice_does_not_cover_is_said_so() -> None:
    ans = answer("湘潭2026年的揭榜挂帅需求征集什么时候开始？", TODAY)
    assert ans.refused and "2026年度" in ans.answer and "2026年8月26日" not in ans.answer


def test_a_period_the_user_sets_does_not_name_a_round() -> None:
    ans = answer(
        "湘潭这边，我们打算2024到2026年投研发费用95万元，在2024-2026年对揭榜项目投入，够不够格发榜？", TODAY
    )
    assert not ans.refused


def test_the_last_row_of_a_form_is_its_printed_last_row() -> None:
    text = answer("辽宁需求征集表填到最后一行是什么？另外“交付要件”这栏能写多少字？", TODAY).answer
    assert "总体需求完成时限" in text and "需求研发总投入" in text and "限500字" in text


def test_the_last_item_before_a_signing_block_says_the_block() -> None:
    text = answer("龙泉企业填报的需求征集表最后一项是什么", TODAY).answer
    assert "测算依据说明" in text and "企业负责人" in text


def test_an_item_the_user_places_last_is_answered_as_named() -> None:
    text = answer("泉州情况表最后那栏“出资承诺”具体让填什么？", TODAY).answer
    assert "研发资金不少于" in text


def test_who_signs_the_last_row_of_the_form_talked_about() -> None:
    turns = ["龙泉这次行业协会报需求用哪张表？", "那张表里背景意义限多少字？最后一栏谁签？"]
    last = converse(turns, TODAY)[-1].answer
    assert "主管部门审核意见" in last and "企业负责人" not in last


def test_account_registration_the_notice_never_describes_is_silent() -> None:
    ans = answer("辽宁那个科技创新综合信息平台的账号怎么注册？密码忘了怎么找回？", TODAY)
    assert ans.refused and "没有写明" in ans.answer


def test_two_people_of_one_office_do_not_hide_the_office_to_ask() -> None:
    ans = answer("辽宁平台填需求的时候要不要上传营业执照扫描件？", TODAY)
    assert ans.refused and "024-23983158" in ans.answer


def test_a_group_named_by_its_count_but_never_listed_is_silent() -> None:
    ans = answer("泉州需求表上说按九大千亿产业类别填，九大千亿产业具体是哪九个？", TODAY)
    assert ans.refused and "没有逐一列出" in ans.answer


def test_a_group_the_notice_lists_is_listed() -> None:
    ans = answer("湘潭重点支持哪几大领域？", TODAY)
    assert not ans.refused and "电机电控" in ans.answer


def test_the_step_whose_time_is_asked_names_the_silence() -> None:
    text = answer(
        "景德镇县区把需求报上去以后，市科技局啥时候来调研论证？我们想提前准备一下材料", TODAY
    ).answer
    assert "论证的具体时间" in text and "另行通知" in text


def test_a_step_without_a_date_takes_the_date_of_its_stage_heading() -> None:
    text = answer("湘潭揭榜挂帅项目的立项及资金文件由哪两个部门联合下达？大致在什么时段？", TODAY).answer
    assert "市财政局" in text and "11月中下旬" in text


def test_figures_in_financial_numerals_are_said_back_in_digits() -> None:
    ans = answer(
        "泉州需求情况表，研发总预算一千万，财政资金想填叁佰伍拾万元，攻关单位自筹一百五十万。这么填行吗？",
        TODAY,
    )
    assert not ans.refused and "350万元" in ans.answer and "300万元" in ans.answer


def test_options_printed_with_tick_boxes_are_listed_whole() -> None:
    text = answer("辽宁征集表“技术基础（企业自身承担比重）”有哪几档可以选？", TODAY).answer
    assert "约30%" in text and "约100%" in text


def test_who_signs_a_form_named_with_its_items() -> None:
    text = answer(
        "龙泉企业填的需求征集表，“技术需求描述”限多少字？“经济社会指标”写几年内的效益？表上谁签意见？", TODAY
    ).answer
    assert "500字" in text and "1-3年" in text and "企业负责人" in text


def test_which_number_to_dial_and_a_priority_are_each_a_part() -> None:
    text = answer(
        "泉州这两个咨询电话我老搞混：企业的技术难题打哪个？行业协会、产业集群的打哪个？另外填了出资承诺的会不会优先？",
        TODAY,
    ).answer
    assert "0595-22579329" in text and "0595-22284742" in text and "优先考虑发榜" in text


def test_a_figure_for_the_first_year_is_not_a_yearly_figure_nor_a_failure() -> None:
    text = answer(
        "湘潭这个揭榜挂帅，项目执行期第一年我们估计新增税收35万，第二年至少要做到多少才达标？", TODAY
    ).answer
    assert "65万元" in text and "不符合" not in text and "70万元" not in text


def test_a_share_given_as_two_counts_is_worked_out_and_checked() -> None:
    text = answer("景德镇揭榜项目验收，任务书一共25项考核指标，我们完成了19项。能验收合格吗？", TODAY).answer
    assert "19 ÷ 25 = 76%" in text and "不满足" in text


def test_counts_that_meet_the_share_pass() -> None:
    text = answer("景德镇揭榜项目验收，任务书共20项指标，完成了18项，能过验收吗？", TODAY).answer
    assert "90%" in text and "不满足" not in text


def test_what_a_total_cap_leaves_the_next_project() -> None:
    text = answer(
        "本县获得了2022年度省政府科技创新督查激励，用单列名额推荐中央引导资金项目。第一个是区域科技创新体系建设，"
        "申请280万；第二个是科技创新基地建设。第二个最多还能申请多少？",
        TODAY,
    ).answer
    assert "500万元 − 280万元 = 220万元" in text


def test_a_grant_asked_to_the_top_works_out_the_minimums() -> None:
    text = answer(
        "想牵头申报中央引导资金的科技成果转移转化项目，企业牵头，想把引导资金申请到顶，总预算至少要多大？",
        TODAY,
    ).answer
    assert "1000万元" in text


def test_another_place_asked_for_the_last_two_rules() -> None:
    turns = [
        "湘潭这次揭榜挂帅项目实施周期一般多长？",
        "执行期内研发投入最少要多少？",
        "换成景德镇，这两条是怎么规定的？",
    ]
    last = converse(turns, TODAY)[-1]
    assert not last.refused and "3年" in last.answer


def test_what_is_done_next_with_something_is_a_step_not_a_consequence() -> None:
    turns = [
        "泉州这次摸底，企业的需求表和资质材料交到哪？",
        "那县里挑完报上去以后，市里拿到这些需求会怎么处理？",
    ]
    last = converse(turns, TODAY)[-1]
    assert not last.refused and "第三方" in last.answer and "后果" not in last.answer


def test_a_step_named_by_its_office_is_its_act_not_its_purpose() -> None:
    text = answer("辽宁平台上需求表提交了，省科技厅收到以后怎么处理？", TODAY).answer
    assert "专家" in text


def test_how_many_the_user_are_is_told_not_asked() -> None:
    ans = answer("我们几家湘潭企业牵头搞了个创新联合体，联合体的技术需求这次湘潭揭榜挂帅收不收？", TODAY)
    assert not ans.refused and "创新联合体" in ans.answer


def test_terse_asks_listed_after_a_lead_are_each_answered() -> None:
    text = answer("景德镇各县区科技局汇总企业需求后往市里报，报哪个科室、纸质几份、截止日期？", TODAY).answer
    assert "计划科" in text and "一式二份" in text and "9月25日" in text


def test_a_hotline_log_frame_is_not_a_contact_question() -> None:
    text = answer("来电咨询：辽宁2023年揭榜挂帅需求在哪个平台填报？进去以后从哪个模块填？", TODAY).answer
    assert "218.60.151.64" in text and "指南申报" in text


def test_the_one_division_whose_heading_is_named_is_the_office() -> None:
    turns = ["辽宁揭榜挂帅需求征集，政策咨询电话都有哪些？", "我们是做设施农业的企业，具体该找哪个处、哪位？"]
    last = converse(turns, TODAY)[-1].answer
    assert "024-23983401" in last and "024-23983402" not in last


def test_a_kind_of_enterprise_is_an_enterprise() -> None:
    text = answer(
        "我们是泉州一家科技小巨人企业，对需求表怎么写有疑问，应该咨询市里哪个科？电话多少？", TODAY
    ).answer
    assert "0595-22579329" in text and "0595-22284742" not in text


def test_a_terse_property_asked_of_the_last_subject() -> None:
    turns = ["湘潭2024年揭榜挂帅项目实施方案是依据哪个管理办法制定的？", "文号呢？"]
    assert "〔2021〕14号" in converse(turns, TODAY)[-1].answer
    turns = ["龙泉附件1尖兵领雁需求表，“预期标志性成果及水平”那栏写什么？", "限多少字？"]
    last = converse(turns, TODAY)[-1].answer
    assert "400字" in last and "没有印字数限制" not in last


def test_a_question_on_whom_a_told_clause_named_is_a_part_of_its_own() -> None:
    ans = answer(
        "湘潭这次重点支持哪几个方向？我们要是请外省高校来揭榜，他们的差旅费能从财政补助里开支吗？", TODAY
    )
    assert not ans.refused and "电机电控" in ans.answer and "差旅费" in ans.answer


def test_a_unit_of_the_users_described_in_passing_hits_no_rule_on_the_solver() -> None:
    ans = answer(
        "我们在辽宁和景德镇各有一家子公司，两地对提需求的企业分别有什么信用要求？深圳那边要求一样吗？", TODAY
    )
    text = ans.answer
    assert "近三年内无不良信用记录" in text and "可能不满足" not in text and "关联单位的规定" not in text
    assert "深圳" in text


def test_the_last_day_asks_the_deadline() -> None:
    text = answer("辽宁那个揭榜挂帅需求在平台上填，最后一天是几号来着？", TODAY).answer
    assert "2023年3月26日" in text and "没有写明" not in text


def test_a_stage_named_with_words_of_the_title_is_dated() -> None:
    text = answer(
        "湘潭揭榜挂帅今年大概是个什么节奏？啥时候发指南征需求，啥时候公示签约、拨钱？", TODAY
    ).answer
    assert "8月下旬" in text and "11月中下旬" in text


def test_a_bar_asked_of_the_amount_the_part_before_named() -> None:
    text = answer("景德镇管理办法中的“榜单金额”具体指什么？有无最低额度要求？", TODAY).answer
    assert "100万元" in text and "没有写明门槛" not in text


def test_a_period_asked_of_a_printed_item_is_its_printed_guidance() -> None:
    text = answer(
        "龙泉市2024年度科技项目技术攻关需求征集表（企业填报）中，“期望达到的目标”分为哪几项？其中经济社会指标按项目完成后多长时间测算？",
        TODAY,
    ).answer
    assert "1-3年" in text and "科技成果指标" in text and "没有写明" not in text


def test_a_place_counted_in_a_quota_table_is_answered_for_its_count() -> None:
    ans = answer("衢州限几项", TODAY)
    assert not ans.refused and "衢州10项" in ans.answer
    assert answer("衢州的揭榜挂帅需求什么时候截止？", TODAY).refused


def test_a_terse_list_minimum_is_the_list_amount() -> None:
    assert "100万元" in answer("景德镇榜单最低多少", TODAY).answer


def test_where_to_click_asks_the_steps() -> None:
    assert "新增指南" in answer("辽宁平台进去点哪个填", TODAY).answer


def test_another_place_then_the_last_question_in_other_words() -> None:
    turns = ["湘潭揭榜挂帅的财政补助是按什么比例算的？", "那景德镇呢？按什么基数算、给几成？"]
    last = converse(turns, TODAY)[-1]
    assert not last.refused and "榜单金额的60%" in last.answer and "没有写明" not in last.answer
    turns = ["泉州每个县（市、区）最多推荐几项？", "那辽宁呢？沈阳要推多少项？"]
    assert "200项" in converse(turns, TODAY)[-1].answer


def test_the_notices_own_level_is_silent_on_a_share_only_its_attachment_sets() -> None:
    ans = answer(
        "龙泉本级揭榜挂帅里那个公益性技术应用研究自筹类项目，财政是一分钱都不给吗？自筹比例有要求吗？", TODAY
    )
    assert ans.refused and "80%" not in ans.answer


def test_a_length_of_another_step_is_not_the_length_asked() -> None:
    ans = answer("景德镇揭榜挂帅项目的中期评估一般安排在第几年？评估要花多长时间？", TODAY)
    assert ans.refused and "评估的时长" in ans.answer and "3年" not in ans.answer


def test_a_share_said_with_an_approximation_is_worked_out() -> None:
    text = answer(
        "辽宁的，我们不是高新技术领域，做建材的。去年营收一千二百万，研发投入大概占营收百分之八，够报吗？",
        TODAY,
    ).answer
    assert "96万元" in text and "不符合" in text


def test_a_figure_bound_to_nothing_blocks_a_clean_verdict() -> None:
    text = answer(
        "辽宁的，我们不是高新技术领域，去年营收1200万，另外那个大概百分之八，够报吗？", TODAY
    ).answer
    assert "没能对应到" in text and "结论：按您提供的数字逐条核对，符合" not in text


def test_a_short_or_loose_row_name_among_named_rows_is_that_row() -> None:
    text = answer("泉州情况表的技术难题概述、效益那栏分别限多少字？", TODAY).answer
    assert "500字" in text and "300字" in text
    text = answer("泉州情况表：产权归属那栏限几个字？预期效益那栏呢？", TODAY).answer
    assert "150字" in text and "300字" in text


def test_which_of_two_documents_was_issued_first() -> None:
    text = answer("龙泉正文和它附件4那份省里的通知，谁先印发的？", TODAY).answer
    assert "早1天" in text and "3月13日" in text and "3月14日" in text


def test_a_short_part_naming_its_own_document_keeps_to_it() -> None:
    text = answer("泉州每个县最多推荐几项？其中共性的至少几项？汇总表几号前交到市里？", TODAY).answer
    assert "12月12日" in text


def test_a_direction_named_gets_its_own_cap_only() -> None:
    text = answer("龙泉附件4里，区域科技创新体系建设每项最多给多少？", TODAY).answer
    assert "300万" in text and "500万" not in text and "200万" not in text


def test_two_offices_asked_each_get_their_own_contact() -> None:
    text = answer("辽宁一家做社会发展领域的单位来电：平台进不去找谁？政策问题找哪个处？", TODAY).answer
    assert "024-23983158" in text and "024-23983676" in text
    assert "024-23983346" not in text and "024-23983402" not in text


def test_the_grant_at_its_cap_said_in_other_words() -> None:
    q = "高校牵头联合企业申报龙泉附件4科技成果转移转化方向，按该方向上限来申请，自筹至少多少？"
    assert "自筹经费至少200万" in answer(q, TODAY).answer


def test_a_unit_asked_gets_the_limit_per_enterprise() -> None:
    text = answer("辽宁那边一个单位最多填几项需求？", TODAY).answer
    assert "2项" in text


def test_five_notices_named_with_the_programme_between() -> None:
    assert len(understand("这五个揭榜挂帅通知各自的截止日期是哪天？").notices) == 5


def test_a_year_of_the_users_own_past_project_is_no_round_asked() -> None:
    result = answer("我们2021年承担的湘潭市级揭榜挂帅项目已经结题了，会影响今年申报吗？", TODAY)
    assert not result.refused and "未结题" in result.answer


def test_an_amount_the_form_leaves_blank_has_no_minimum() -> None:
    result = answer("泉州情况表出资承诺那栏，承诺金额有下限吗？", TODAY)
    assert result.refused and "空着" in result.answer and "自愿原则" in result.answer


def test_rules_naming_the_item_follow_its_row() -> None:
    text = answer("泉州那张情况表里的“出资承诺”一定要填吗？要盖章吗？", TODAY).answer
    assert "自愿原则" in text


def test_a_rule_on_the_solver_is_not_hit_by_the_users_own_unit() -> None:
    text = answer("我们控股的一家子公司能在景德镇提技术需求吗？", TODAY).answer
    assert "不符合" not in text
    text = answer("景德镇我们发的榜，想让我们控股的研究所来揭，行不行？", TODAY).answer
    assert "不符合" in text and "关联单位" in text


def test_research_strength_is_no_research_spending() -> None:
    assert "rd" not in understand("景德镇揭榜方要求研发实力强，具体什么标准？").parts[0].metrics


def test_a_notice_sent_out_asks_its_issue_date() -> None:
    result = converse(["湘潭的征集时间是什么时候？", "那这个通知本身是哪天发出来的？"], TODAY)[-1]
    assert result.refused and "8月26日" not in result.answer.split("\n")[0]


def test_asks_listed_after_a_colon_are_parts_of_their_own() -> None:
    parts = understand("泉州：交到哪、截止哪天、电话多少？").parts
    assert len(parts) == 3


def test_two_asks_of_different_kinds_joined_by_and() -> None:
    parts = understand("景德镇的报送截止日期和咨询电话是什么？").parts
    assert len(parts) == 2
    assert len(understand("辽宁立项后财政资助比例及上限为多少？").parts) == 1


def test_a_yuan_amount_before_a_clause_comma_is_read() -> None:
    figures = understand("湘潭项目研发投入总额¥2,400,000，财政能补多少？").figures
    assert [f.value for f in figures] == [240.0]


def test_a_class_quoted_as_what_the_user_files_as_is_theirs() -> None:
    q = "辽宁高新技术领域企业，营收6000万，研发投入320万，自己投700万，想按“重大需求”报，行吗？"
    assert understand(q).classes.get("level") == {"major"}
    assert "还差300万" in answer(q, TODAY).answer


def test_the_days_between_two_asked_dates_is_not_a_silence() -> None:
    q = "泉州通知哪天发的？企业材料最晚哪天交？两者之间有多少天？"
    text = answer(q, TODAY).answer
    assert "18天" in text and "没有写明具体时间" not in text


def test_the_rest_of_a_split_budget_above_its_cap_is_flagged() -> None:
    q = "泉州情况表研发总预算1000万，需求方出500万，攻关单位自筹100万，剩下都填财政资金，可以吗？"
    text = answer(q, TODAY).answer
    assert "400万元" in text and "不行" in text and "超出100万元" in text


def test_what_a_county_total_leaves_without_naming_the_programme() -> None:
    q = "我们县有督查激励单列名额，第一个项目申请了财政资金350万，第二个是科技成果转移转化方向，最多还能申多少？"
    text = answer(q, TODAY).answer
    assert "150万元" in text and "自筹经费至少" not in text


def test_money_put_in_so_far_is_part_of_the_period() -> None:
    q = "湘潭执行期研发投入那条，我们项目期内目前已经投了45万，还要投多少？"
    figures = understand(q).figures
    assert figures[0].metric == "rd" and figures[0].partial
    text = answer(q, TODAY).answer
    assert "55万元" in text and "不符合" not in text


def test_rows_joined_by_and_each_with_the_limit_of_their_heading() -> None:
    text = answer("景德镇征集表的预期技术目标和技术难题概述分别限多少字？", TODAY).answer
    assert "预期技术目标（限500字以内）" in text and "技术难题概述（限500" in text


def test_an_item_named_after_the_last_row_words() -> None:
    text = answer("泉州情况表技术难题概述限几个字？最后那栏预期效益呢？", TODAY).answer
    assert "500字" in text and "300字" in text


def test_the_other_office_is_the_one_not_given() -> None:
    first, other = converse(["泉州行业协会的需求找哪个科室咨询？", "另外那个处室呢？"], TODAY)
    assert "0595-22284742" in first.answer and "0595-22579329" not in first.answer
    assert "0595-22579329" in other.answer and "0595-22284742" not in other.answer


def test_a_date_put_off_is_shown_beside_the_silence() -> None:
    q = "我们县已经把景德镇的汇总表报上去了，市科技局之后哪天来调研论证？需要准备什么？"
    result = answer(q, TODAY)
    assert result.refused and "另行通知" in result.answer


def test_a_bar_asked_as_below_how_much_is_a_part_of_its_own() -> None:
    parts = understand("景德镇项目到期后多久内要提验收？另外完成任务书低于多少算不合格？").parts
    assert len(parts) == 2


def test_three_money_asks_each_answered() -> None:
    text = answer("景德镇：榜单最少多少钱，财政最多给多少，分几次拨？", TODAY).answer
    assert "100万" in text and "200万" in text and "50%" in text


def test_an_item_no_rule_sets_a_minimum_for_is_a_silence() -> None:
    result = answer("湘潭表上“研发经费占年销售收入比重”这一栏，最低得填到多少？", TODAY)
    assert result.refused and "没有规定" in result.answer
    text = answer("湘潭项目计划研发投入200万元，财政最多补多少？", TODAY).answer
    assert "50万" in text


def test_what_happens_after_failing_is_a_part_of_its_own() -> None:
    text = answer("景德镇验收时任务书完成不到多少算不合格？不合格的话怎么办？", TODAY).answer
    assert "80%" in text and "终止项目实施" in text


def test_a_rule_already_quoted_adds_no_bare_marker_line() -> None:
    text = answer("景德镇揭榜挂帅项目验收时，哪些情形算不合格？验收不合格的项目如何处理？", TODAY).answer
    assert not any(line.endswith("：[" + line.rsplit("[", 1)[-1]) for line in text.split("\n") if "[" in line)


def test_a_state_told_ending_in_le_asks_nothing() -> None:
    q = "我们是景德镇的揭榜方，执行期快到了，期满后多久内要申请验收？要是提前干完了能不能早点验？"
    parts = understand(q).parts
    assert len(parts) == 2
    text = answer(q, TODAY).answer
    assert "1个月" in text and "提前验收" in text


def test_these_few_named_is_no_count_asked() -> None:
    parts = understand("泉州、辽宁这几个，需求表分别交到哪里？").parts
    assert "count" not in {a for p in parts for a in p.asks}


def test_a_period_asked_of_a_named_item_is_its_printed_guidance() -> None:
    result = answer("龙泉企业征集表里“经济社会指标”按项目完成后多少年算？", TODAY)
    assert not result.refused and "1-3年" in result.answer


def test_the_other_one_after_a_contact_and_every_office_listed() -> None:
    _, other = converse(["泉州有两个咨询部门吧？龙头企业找哪个？", "另外一个呢？"], TODAY)
    assert "0595-22284742" in other.answer
    text = answer("辽宁各领域政策咨询电话都列一下", TODAY).answer
    assert "024-23983676" in text and "024-23983402" in text and "024-23983192" in text


def test_a_menu_said_in_other_words_is_the_platform_step() -> None:
    text = converse(["辽宁的需求在哪个平台填？", "进去以后点哪个选单？"], TODAY)[-1].answer
    assert "新增指南" in text


def test_a_summary_of_the_last_two_questions_answers_both() -> None:
    last = converse(["景德镇企业的征集表交到哪里？", "泉州的呢？", "把这两个地方的交法比较一下"], TODAY)[-1]
    assert not last.refused and "县区科技局" in last.answer and "所在地科技主管部门" in last.answer
    last = converse(["湘潭需求表几号前交？", "发到哪个邮箱？", "把上面两个合起来说一下"], TODAY)[-1]
    assert "9月14日" in last.answer and "xtkjjcgk@163.com" in last.answer


def test_another_place_with_re_ask_words_is_the_last_question_there() -> None:
    from knowledge.understand import Context

    first = answer("泉州对企业的营收有什么门槛？", TODAY)
    q = understand("辽宁方面的要求又是怎样的？", Context.after(first, TODAY))
    assert q.notices == ["liaoning"] and len(q.parts) == 1 and "revenue" in q.parts[0].metrics


def test_a_bare_ask_after_a_question_is_of_its_topic() -> None:
    last = converse(["景德镇的项目怎么验收？", "最迟什么时候要提？"], TODAY)[-1]
    assert "1个月" in last.answer and "9月25日" not in last.answer


def test_a_cap_asked_without_a_place_is_no_comparison_of_notices() -> None:
    q = "我在县科技局工作。本县这次收到7项企业需求，都是单个企业自己的技术难题。请问最多能推荐几项？推荐结构有什么要求？"
    text = answer(q, TODAY).answer
    assert "比较：" not in text


def test_a_period_asked_of_a_rule_on_the_topic_is_its_printed_years() -> None:
    last = converse(
        ["泉州对企业信用有要求吗？", "产权归属那栏限几个字？", "回到信用，是近几年没有不良记录就行吗？"],
        TODAY,
    )[-1]
    assert not last.refused and "近三年内" in last.answer


def test_money_sent_to_a_solver_from_elsewhere_is_the_payment_rule() -> None:
    text = answer("景德镇我们的榜让省外一家研究所揭了，补助直接打到他们账上吗？", TODAY).answer
    assert "转付" in text


def test_a_short_yes_no_after_a_part_asks_of_its_topic() -> None:
    parts = understand("景德镇执行期结束后多久内得申请验收？可以提前吗？").parts
    assert len(parts) == 2 and parts[1].topics == parts[0].topics
    assert "提前验收" in answer("景德镇执行期结束后多久内得申请验收？可以提前吗？", TODAY).answer
