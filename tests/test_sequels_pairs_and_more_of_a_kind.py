"""Steps asked in order (先…然后…), the notice itself beside a document inside it, a rule for every
project over a topic's own text, an instalment asked again by 呢, a form's counts while filling it, a day
the notice never printed, 卡多少 as a bar, the two notices of the last two turns side by side, and more of
the same kind of thing. Phrasings are new; none is from an eval set."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def _last(*questions: str) -> tuple[str, bool, set[str]]:
    ans = converse(list(questions), today=TODAY)[-1]
    return ans.answer, ans.refused, {c.notice for c in ans.citations}


def test_a_step_asked_after_another_is_the_next_one() -> None:
    text, refused, _ = _last("泉州这边企业的难题表先交给谁？再由谁报到市里？")
    assert not refused and "报送至市科技局" in text


def test_the_notice_itself_beside_its_attachment() -> None:
    text, _, _ = _last("龙泉后面附的省科技厅那份通知哪天发的？跟龙泉自己那份的落款是同一天吗？")
    assert "2024年3月13日" in text and "2024年3月14日" in text


def test_a_rule_for_every_project_answers_a_direction() -> None:
    text, refused, _ = _last("湘潭重点支持哪些方向？", "先进材料这个方向的项目最多补多少钱？")
    assert not refused and "50万" in text


def test_an_instalment_asked_again_by_ne() -> None:
    text, _, _ = _last("景德镇榜单金额200万，财政最多支持多少？", "中期评估通过后拨多少？验收合格后呢？")
    assert "36万" in text and "24万" in text


def test_counts_of_a_form_being_filled() -> None:
    text, refused, _ = _last(
        "我在填龙泉通知附件1那张省“尖兵”“领雁”计划重大技术攻关需求表，技术参数要写几项？应用单位写几家？"
    )
    assert not refused and "5项以上" in text and "3家以上" in text


def test_a_day_never_printed_is_said_so() -> None:
    ans = answer("辽宁的需求征集系统是几号开通的？", today=TODAY)
    assert ans.refused and "即日起" in ans.answer


def test_ka_duoshao_asks_the_bar() -> None:
    text, refused, _ = _last("泉州那个摸底，对企业有啥条件？", "那营收这块卡多少？")
    assert not refused and "1亿元" in text


def test_the_two_notices_of_the_last_two_turns() -> None:
    _, _, cited = _last("景德镇的项目实施周期多长？", "湘潭的呢？", "这两个谁的周期更长？")
    assert {"jingdezhen", "xiangtan"} <= cited


def test_more_of_the_same_kind_of_thing() -> None:
    text, _, _ = _last("泉州企业的技术需求该找哪个科室咨询？", "有没有其他咨询电话？")
    assert "0595-22284742" in text


def test_tui_is_recommending() -> None:
    text, refused, _ = _last("泉州企业的需求表先交到哪？", "那县里最多能往市里推几个？")
    assert not refused and "3项" in text


def test_what_the_applicant_must_do_is_its_steps() -> None:
    text, refused, _ = _last("湘潭征集对企业新增税收有什么要求？", "那我们企业要报的话得做哪些事？")
    assert not refused and "xtkjjcgk@163.com" in text and "加盖单位公章" in text


def test_a_summary_asks_the_talk_again_without_doubling_figures() -> None:
    text, _, _ = _last(
        "湘潭揭榜挂帅，我们研发投入打算180万。",
        "补助最多多少？",
        "好的，帮我总结一下要做什么",
    )
    assert "45万" in text and "xtkjjcgk@163.com" in text and "合计" not in text


def test_they_are_the_notices_of_the_last_two_turns() -> None:
    text, _, cited = _last("湘潭的补助比例是多少？", "景德镇的呢？", "它们单项最高各给多少？")
    assert {"xiangtan", "jingdezhen"} <= cited and "50万" in text and "200万" in text


def test_when_the_rest_is_paid_is_the_schedule() -> None:
    text, refused, _ = _last("景德镇揭榜挂帅的钱一次给完吗？", "签任务书那年给多少？", "那剩下的什么时候给？")
    assert not refused and "中期评估" in text


def test_these_two_opening_a_turn_are_the_last_two_notices() -> None:
    _, _, cited = _last("泉州需求表几号截止？", "湘潭的呢？", "这两个现在还来得及交吗？")
    assert {"quanzhou", "xiangtan"} <= cited


def test_a_pronoun_part_leans_on_the_last_question() -> None:
    text, _, _ = _last("辽宁农业领域的政策咨询找谁？", "他的电话是多少？平台用不了又找谁？")
    assert "024-23983158" in text and "农村处" in text


def test_its_dates_after_a_period_question() -> None:
    text, refused, _ = _last("中央引导资金储备项目实施周期几年？", "具体从哪天到哪天？现在已经结束了吗？")
    assert not refused and "2026年5月31日" in text


def test_that_notice_with_its_year_keeps_the_topic() -> None:
    text, _, _ = _last("泉州需求表什么时候截止？", "那湘潭2024年的呢？")
    assert "9月14日" in text


def test_tui_jian_duoshao_asks_the_quota() -> None:
    text, _, _ = _last("辽宁大连要推荐多少项？", "我们在锦州，锦州推荐多少？")
    assert "不少于30项" in text


def test_a_clause_pointing_back_that_asks_another_thing_is_a_part() -> None:
    text, refused, _ = _last("龙泉的项目立项以后下一步做什么？第一期资金什么时候下达？")
    assert not refused and "签订合同" in text.splitlines()[0] and "没有写明具体时间" in text
