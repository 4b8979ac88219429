"""Follow-ups and terse lines: a document's number named alone is asked; the same ask of another matter;
other means of contact; a contact question naming no one lists every office; conditions asked are
listed whole; a figure said again replaces the old one; a place within the notice takes the last one's
place; a quote asked is the last rule quoted; the rest of a list asked in part. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def last(*questions: str) -> tuple[str, bool]:
    ans = converse(list(questions), today=TODAY)[-1]
    return ans.answer, bool(ans.refused)


def test_a_documents_number_named_alone_in_a_terse_line_is_asked() -> None:
    ans = answer("泉州通知 文号 印发日期", TODAY)
    assert not ans.refused and "179号" in ans.answer and "11月17日" in ans.answer


def test_the_same_ask_of_another_matter_leaves_the_last_matter() -> None:
    text, refused = last("浙江引导资金申报系统用不了找谁？", "那政策方面的问题呢？")
    assert not refused and "0571-87054743" in text


def test_other_means_of_contact_are_the_same_offices_in_full() -> None:
    text, _ = last("泉州揭榜挂帅找哪个科室咨询，电话多少？", "有没有其他联系方式？")
    assert "kj22579329@163.com" in text and "22284742@163.com" in text


def test_a_contact_question_naming_no_one_lists_every_office() -> None:
    ans = answer("泉州的联系方式有哪些？", TODAY)
    assert "0595-22579329" in ans.answer and "0595-22284742" in ans.answer


def test_conditions_asked_are_listed_whole() -> None:
    ans = answer("湘潭发榜企业须满足什么条件？", TODAY)
    assert "未结题" in ans.answer and "40%" in ans.answer


def test_a_figure_said_again_replaces_the_old_case() -> None:
    text, _ = last("湘潭研发投入300万，最多补多少？", "要是研发投入100万呢？")
    assert "25万" in text and "300万" not in text


def test_a_place_within_the_notice_takes_the_last_ones_place() -> None:
    text, _ = last("浙江引导资金储备项目，嘉兴能推几项？", "丽水呢？")
    assert "丽水10项" in text and "嘉兴" not in text


def test_a_case_pointing_back_is_the_last_question_for_that_case() -> None:
    text, refused = last(
        "浙江引导资金项目，企业牵头的话自筹要占多少？", "我们是丽水的农业企业，也要这么高吗？"
    )
    assert not refused and "60%" in text


def test_a_quote_asked_is_the_last_rule_quoted() -> None:
    text, refused = last("泉州是不是已获立项支持的需求就不能再交了？", "通知原文怎么说的？")
    assert not refused and "不再重复提交" in text


def test_the_difference_of_the_last_two_answers() -> None:
    text, _ = last("景德镇单个项目最多资助多少？", "湘潭呢？", "两个上限相差多少？")
    assert "150万" in text


def test_the_notices_own_date_after_a_deadline() -> None:
    text, refused = last("景德镇需求表最晚几号交到市里？", "那这个通知本身哪天印发的？")
    assert not refused and "9月5日" in text.splitlines()[0]


def test_why_the_user_asks_is_not_asked() -> None:
    ans = answer("泉州通知的落款日期是哪天？我写材料要引用一下。", TODAY)
    assert not ans.refused and "11月17日" in ans.answer


def test_a_phone_asked_beside_a_mailbox() -> None:
    ans = answer("湘潭的咨询电话、报送邮箱分别是啥？", TODAY)
    assert "58570302" in ans.answer and "xtkjjcgk@163.com" in ans.answer


def test_money_asked_anew_is_not_the_last_threshold() -> None:
    text, refused = last("辽宁重大需求的营收门槛是多少？", "那要是入选了，给多少补助？")
    assert refused and "5000万" not in text


def test_other_bars_asked_after_one_are_the_conditions() -> None:
    text, _ = last("湘潭揭榜挂帅，企业研发投入门槛多少？", "还有别的门槛吗？")
    assert "未结题" in text


def test_the_rest_of_a_list_asked_in_part() -> None:
    text, refused = last("湘潭重点支持方向有哪些？先说三个", "还有呢？全部列出来")
    assert not refused and "高端装备" in text


def test_short_asks_after_a_deadline_are_of_its_subject() -> None:
    text, _ = last("湘潭揭榜挂帅需求表哪天截止？", "交给谁？要盖章吗？")
    assert "xtkjjcgk@163.com" in text


def test_a_figure_said_again_without_its_label_keeps_the_last_label() -> None:
    text, _ = last("湘潭揭榜项目研发投入240万，财政最多补多少？", "那这240万里头，付给揭榜方至少多少？")
    assert "96万" in text


def test_a_principle_asked_is_how_not_when() -> None:
    ans = answer("泉州入选的需求按啥原则发布申报指南？", TODAY)
    assert not ans.refused and "成熟一批" in ans.answer


def test_what_a_commitment_earns_is_its_priority() -> None:
    ans = answer("泉州交了出资承诺有什么好处？", TODAY)
    assert "优先" in ans.answer.splitlines()[0]


def test_who_reviews_before_a_stage_is_a_step_of_the_procedure() -> None:
    ans = answer("湘潭立项名单公示和签约大概在什么时候？公示前是谁审议的？", TODAY)
    assert "党组会" in ans.answer


def test_a_yes_no_naming_the_same_notice_again_is_of_the_last_case() -> None:
    text, _ = last("景德镇揭榜挂帅，外地大学能来揭榜吗？", "那要不要配个景德镇本地的单位？")
    assert "1家" in text


def test_a_comparison_keeps_the_document_the_last_question_was_about() -> None:
    text, _ = last("浙江中央引导资金区域科技创新体系建设每项最多支持多少？", "和湘潭揭榜项目的补助上限比呢？")
    assert "没有写明" not in text.splitlines()[0] and "300万" in text and "50万" in text


def test_a_case_told_alone_is_the_case_of_the_next_question() -> None:
    text, _ = last(
        "我们公司在辽宁，做生物医药，属于高新技术领域，去年营收4,500万，研发350万。", "那能报重大需求吗？"
    )
    assert "不符合" in text and "还差500万" in text


def test_a_sector_denied_leaves_the_enterprise_and_drops_its_case() -> None:
    ans = answer(
        "我们是宁波一家非农业企业，牵头申报中央引导资金科技创新基地建设方向，总预算2,000万元，最多能申请多少引导资金？",
        TODAY,
    )
    assert "400万" in ans.answer and "若属农业" not in ans.answer


def test_enough_asked_of_a_bar_never_set_is_not_stated() -> None:
    ans = answer("景德镇需求表有没有规定企业最低出资多少？我们准备出80万，够不够？", TODAY)
    assert ans.refused and "100万" not in ans.answer


def test_money_beyond_the_grant_is_not_the_grant_worked_out() -> None:
    ans = answer("我们在景德镇珠山区，榜单金额500万元，市财政之外，区里配套多少钱？", TODAY)
    assert ans.refused and "配套" in ans.answer.splitlines()[0] and "300万" not in ans.answer


def test_three_asked_together_are_the_last_three_questions() -> None:
    text, refused = last("湘潭 截止？", "那泉州", "辽宁呢", "三个一起列一下")
    assert not refused and all(d in text for d in ("9月14日", "12月5日", "3月26日"))


def test_a_bare_period_ask_is_the_notices_own_period() -> None:
    text, _ = last("景德镇揭榜挂帅", "榜单金额400万，分几次拨？", "周期几年")
    assert "3年" in text and "50%" not in text


def test_how_an_act_is_done_asks_no_date() -> None:
    ans = answer("泉州市里怎么发布榜单？", TODAY)
    assert not ans.refused and "成熟一批" in ans.answer
    ans = answer("湘潭的榜单怎么发布？", TODAY)
    assert "9月下旬" not in ans.answer.splitlines()[0]


def test_another_item_asked_after_what_the_user_did_is_the_quota() -> None:
    ans = answer("辽宁揭榜挂帅，我们公司已经在平台填了两项，还能再填第三项吗？", TODAY)
    first = ans.answer.splitlines()[0]
    assert "2项" in first and "平台" not in first


def test_a_bureaus_count_is_never_held_against_an_applicants_limit() -> None:
    ans = answer("我们是大连市科技局，目前收到170项需求推荐，离要求还差多少？", TODAY)
    assert "不超过2项" not in ans.answer and "不符合" not in ans.answer
    assert "还差30项" in ans.answer


def test_a_short_yes_no_after_a_question_is_its_own() -> None:
    ans = answer("景德镇项目执行期满后多长时间内要申请验收？能否提前验收？", TODAY)
    assert "1个月" in ans.answer and "提前验收" in ans.answer


def test_whether_an_item_must_be_filled_is_asked_of_that_item() -> None:
    ans = answer("泉州“出资承诺”那栏要谁盖章？是不是必须填？", TODAY)
    assert "自愿" in ans.answer


def test_who_runs_a_step_is_the_steps_rule() -> None:
    ans = answer("景德镇验收谁来组织、啥形式？", TODAY)
    assert "现场验收会" in ans.answer.splitlines()[0]


def test_a_name_both_notices_print_is_no_switch() -> None:
    text, refused = last("我们在辽宁填了重点需求，企业拟投入600万元。", "省科技厅会给我们补助多少？")
    assert refused and "辽宁" in text.splitlines()[0] and "龙泉" not in text


def test_a_place_no_quota_names_takes_the_quota_for_the_other_places() -> None:
    ans = answer("辽宁这次征集，锦州市要推荐多少项？", TODAY)
    assert "30项" in ans.answer.splitlines()[0] and "其他地区" in ans.answer.splitlines()[0]


def test_another_city_of_the_same_notice_swaps_in_the_last_question() -> None:
    text, _ = last("辽宁这次需求征集，大连市要推荐多少项？", "那营口呢？")
    assert "其他地区" in text.splitlines()[0]


def test_the_office_for_the_class_the_user_says_they_are() -> None:
    text, _ = last("我们是泉州的产业集群。", "有问题要咨询的话，我们集群该找哪个部门、打哪个电话？")
    assert "0595-22284742" in text and "0595-22579329" not in text


def test_the_last_two_answers_compared_after_a_comparing_word() -> None:
    text, _ = last(
        "湘潭揭榜挂帅，研发投入200万元的项目财政最多补多少？",
        "景德镇那边榜单金额200万元，财政最多支持多少？",
        "两个比下来哪个财政支持更多？",
    )
    assert "湘潭" in text and "景德镇" in text and "50万" in text and "120万" in text


def test_the_basis_asked_after_a_no_is_the_rule_quoted() -> None:
    text, refused = last(
        "泉州摸底，我们的难题市面上已经有成熟的方案，就是太贵，能报吗？", "为啥不行？依据是哪一句？"
    )
    assert not refused and "不列入" in text
