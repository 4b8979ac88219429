"""Cited answers: facts stay verbatim, numbers are grounded, deadlines are dated, refusals calibrated.

Phrasings here are deliberately not the dev set's: colloquial, abbreviated, traditional, full-width.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from knowledge.answer import answer, converse
from knowledge.catalogue import Kind, all_facts
from knowledge.corpus import get_notice
from knowledge.draft import Draft, Source, grounded
from knowledge.evaluate import eval_answers, load_gold
from knowledge.numbers import cn_number, find_amounts
from knowledge.understand import Context

TODAY = date(2026, 11, 23)
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_verbatim(ans_text: str, citations: list) -> None:  # type: ignore[type-arg]
    for c in citations:
        assert get_notice(c.notice).text[c.start : c.end] == c.quote
        assert len(squash(c.quote)) <= 125, c.quote


def test_the_catalogue_loads_with_every_quote_verbatim() -> None:
    """Loading checks quotes, printed values and vocabulary; here: it holds a few hundred facts."""
    facts = all_facts()
    assert len(facts) > 300
    for f in facts:
        for q in f.quotes:
            assert q in get_notice(f.notice).text, f.id


def test_grounding_guard_rejects_an_invented_number() -> None:
    text = get_notice("xiangtan").text
    quote = "单个项目资金补助最高不超过50万元"
    s = text.index(quote)
    src = Source("xiangtan", "湘潭", s, s + len(quote))
    ok = Draft(topic="funding", lines=["最高不超过50万元[1]"], sources=[src])
    bad = Draft(topic="funding", lines=["最高不超过80万元[1]"], sources=[src])
    shown = Draft(topic="funding", lines=["200万元 × 25% = 50万元[1]"], sources=[src], computed=["200", "25"])
    assert grounded(ok) and not grounded(bad) and grounded(shown)


@pytest.mark.parametrize(
    ("question", "needles", "notice"),
    [
        ("泉州需求表几号前要交给县里科技局", ["12月5日", "已截止"], "quanzhou"),
        ("湘潭邮箱报送最晚哪天？", ["9月14日"], "xiangtan"),
        ("遼寧填報截止日期是哪天", ["3月26日"], "liaoning"),
        ("龙泉的征集表４月几号前报？", ["4月15日"], "longquan"),
        ("中央引导资金储备项目网上申报几点截止", ["17:30"], "longquan"),
    ],
)
def test_deadlines_are_quoted_and_dated(question: str, needles: list[str], notice: str) -> None:
    ans = answer(question, today=TODAY)
    assert not ans.refused
    for n in needles:
        assert squash(n) in squash(ans.answer), ans.answer
    assert notice in {c.notice for c in ans.citations}
    assert_verbatim(ans.answer, ans.citations)


def test_deadline_status_depends_on_today() -> None:
    before = answer("龙泉需求表什么时候截止", today=date(2024, 4, 1))
    after = answer("龙泉需求表什么时候截止", today=date(2024, 4, 20))
    assert "尚未截止" in before.answer and "14天" in before.answer
    assert "已截止" in after.answer and "5天" in after.answer


def test_xiangtan_conflicting_dates_are_both_told() -> None:
    ans = answer("湘潭征集到几号结束", today=TODAY)
    note = next(ln for ln in ans.answer.splitlines() if ln.startswith("注意："))
    assert "9月16日" in note and "9月14日" in note


def test_user_date_is_compared_with_the_deadline() -> None:
    ans = answer("湘潭的表我9月15号发邮箱还行吗", today=TODAY)
    assert "晚于" in ans.answer and "9月14日" in ans.answer


@pytest.mark.parametrize(
    ("question", "verdict", "needles"),
    [
        ("辽宁高新技术领域企业，营收六千万，研发两百八十万，能报重大需求吗", "不符合", ["300万"]),
        ("我们辽宁其他领域的企业，营收1.2亿、研发150万，够不够条件", "符合", ["1000万", "100万"]),
        ("辽宁的公司营收3000万研发120万能报重大需求不", "无法判断", ["高新技术领域"]),
        ("湘潭企业执行期研发投入９０万，付给揭榜方５０%，可以吗", "不符合", ["100万"]),
        ("泉州龙头企业，上年营收8000万，能报吗", "不符合", ["1亿"]),
        ("我们年营业额6000万，研发投入280万，能报辽宁高新技术领域的重大需求吗", "不符合", ["300万"]),
    ],
)
def test_eligibility_is_checked_rule_by_rule(question: str, verdict: str, needles: list[str]) -> None:
    ans = answer(question, today=TODAY)
    assert ans.answer.startswith("结论：") and verdict in ans.answer.splitlines()[0], ans.answer
    for n in needles:
        assert n in ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_funding_arithmetic_is_shown() -> None:
    ans = answer("景德镇榜单金额300万，财政最多支持多少，分几次给", today=TODAY)
    assert "300万元 × 60% = 180万元" in ans.answer
    assert "90万元" in ans.answer and "54万元" in ans.answer and "36万元" in ans.answer


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("景德镇企业征集表交几份？", "一式三份"),
        ("泉州行业协会的需求问谁", "0595-22284742"),
        ("辽宁生物医药领域政策咨询电话", "024-23983402"),
        ("湘潭的需求表“对揭榜方要求”那栏写什么，多少字", "限300字"),
        ("中央引导资金，企业牵头的话自筹要多少比例", "80%"),
        ("湘潭：发榜方付给揭榜方的钱最少占多少", "40%"),
        ("泉州一个县最多能推荐几项需求", "不超过3项"),
        ("辽宁沈阳市需要推荐多少项", "不少于200项"),
        ("中央引导资金的预算可以列间接费用吗", "不得编制间接费用"),
        ("中央引导资金，在研项目的负责人还能再报吗", "在研中央引导资金项目负责人原则上不得申报"),
        ("尖兵领雁需求表里攻关时限能选哪几个", "□3年"),
        ("景德镇执行期满以后多久要申请验收", "1个月内"),
    ],
)
def test_procedures_contacts_fields_and_funding(question: str, needle: str) -> None:
    ans = answer(question, today=TODAY)
    assert not ans.refused
    assert squash(needle) in squash(ans.answer), ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_comparison_cites_every_notice() -> None:
    ans = answer("湘潭和景德镇的财政支持上限对比一下", today=TODAY)
    assert {"xiangtan", "jingdezhen"} <= {c.notice for c in ans.citations}
    assert "50万" in ans.answer and "200万" in ans.answer


def test_follow_up_uses_the_previous_notice() -> None:
    ctx = Context(notices=["jingdezhen"])
    ans = answer("那财政资金最多给多少？", today=TODAY, context=ctx)
    assert "200万" in ans.answer and {c.notice for c in ans.citations} == {"jingdezhen"}


@pytest.mark.parametrize(
    "question",
    [
        "广州的揭榜挂帅什么时候开始申报？",
        "研发费用加计扣除比例是多少",
        "湘潭2021年度揭榜挂帅的截止时间",
        "龙泉企业能享受多少个人所得税减免？",
        "杭州的揭榜挂帅申报条件有哪些",
        "湘潭揭榜挂帅的项目成果怎么申请专利",
        "厦门的揭榜挂帅项目最多能补多少？听说泉州那边也有类似政策。",
    ],
)
def test_questions_the_notices_do_not_cover_are_refused(question: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.refused, ans.answer
    assert "泉州" in ans.answer and "湘潭" in ans.answer
    offices = {q for f in all_facts() if f.kind == Kind.CONTACT and f.general for q in f.quotes}
    assert all(c.quote in offices for c in ans.citations)  # only the office to ask, never a rule


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "🙂🙂🙂", "？？？", "x" * 100_000, "\x00\x07泉州\x1b截止", "**泉州** <script>截止</script>"],
)
def test_bad_input_gets_a_reply_not_an_exception(bad: str) -> None:
    ans = answer(bad, today=TODAY)
    assert ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_english_question_is_answered_in_chinese() -> None:
    ans = answer("When is the Quanzhou deadline?", today=TODAY)
    assert ans.refused and "中文" in ans.answer


def test_ask_cli_json_contract() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--today", "2026-11-23", "-"],
        input="景德镇财政支持怎么分期拨付\n深圳的截止时间\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert set(rows[0]) == {"question", "answer", "refused", "topic", "notices", "citations", "follow_up"}
    assert rows[0]["citations"] and set(rows[0]["citations"][0]) == {
        "n",
        "notice",
        "path",
        "quote",
        "start",
        "end",
    }
    assert rows[1]["refused"] is True


@pytest.mark.skipif(not DEV.is_file(), reason="dev set not beside the repo")
def test_dev_set_answer_bar() -> None:
    report = eval_answers(
        load_gold(DEV), lambda qs, d: converse(qs, d)[-1], lambda n: get_notice(n).text, TODAY
    )
    passed, n = report.total
    assert passed / n >= 0.95, report.failures
    assert report.false_statements == 0
    assert report.non_verbatim == 0
    assert report.refusal_fp == 0 and report.refusal_fn == 0


def test_amount_parsing() -> None:
    assert cn_number("一千二百") == 1200
    assert [f.value for f in find_amounts("营收1.2亿，研发三百万，预算500万元")] == [12000, 300, 500]


def test_deadline_day_itself_is_flagged_as_ambiguous() -> None:
    ans = answer("龙泉需求表截止到哪天", today=date(2024, 4, 15))
    assert "今天就是" in ans.answer and "未说明当天" in ans.answer


@pytest.mark.parametrize(
    ("question", "says", "cites"),
    [
        ("景德镇的项目一般做几年", "实施周期原则上为3年", "jingdezhen"),
        ("湘潭揭榜项目执行期多长时间", "实施周期一般不超过2年", "xiangtan"),
        ("省里中央引导资金的项目实施期限多久", "项目实施周期原则上为2年", "longquan"),
    ],
)
def test_implementation_period_is_quoted(question: str, says: str, cites: str) -> None:
    ans = answer(question, today=TODAY)
    assert not ans.refused and says in ans.answer
    assert ans.citations and all(c.notice == cites for c in ans.citations)
    assert "截止" not in ans.answer  # 实施期限 is a duration, not a deadline
    assert_verbatim(ans.answer, ans.citations)


@pytest.mark.parametrize(
    ("question", "notice", "office"),
    [
        ("泉州那边项目周期是几年", "quanzhou", "0595-22579329"),
        ("辽宁的揭榜挂帅攻关要做多少年", "liaoning", "024-23983439"),
    ],
)
def test_a_notice_silent_on_the_period_says_so_and_names_the_office(
    question: str, notice: str, office: str
) -> None:
    ans = answer(question, today=TODAY)
    assert ans.refused  # the conclusion is that the notice does not say it
    assert ans.answer.startswith(f"{get_notice(notice).short}通知没有写明实施周期")
    assert office in ans.answer and any(office in c.quote for c in ans.citations)
    assert_verbatim(ans.answer, ans.citations)


@pytest.mark.parametrize(
    ("question", "notice", "office"),
    [  # a rule on a metric the notice never sets: no verdict, the office of the user's field
        ("湘潭是不是要求研发费用占营业收入不低于5%？我们才3%，能报吗", "xiangtan", None),
        (
            "辽宁生物医药领域企业，听说研发人员占比要30%以上？我们只有12%，是不是不行",
            "liaoning",
            "024-23983402",
        ),
        ("申报中央引导资金项目，企业的税收有没有门槛？我们去年交税50万，够吗", "longquan", None),
    ],
)
def test_a_rule_the_notice_never_sets_gets_no_verdict(question: str, notice: str, office: str | None) -> None:
    ans = answer(question, today=TODAY)
    assert ans.refused and "结论：" not in ans.answer, ans.answer
    assert ans.answer.startswith(f"{get_notice(notice).short}通知没有写明"), ans.answer
    assert office is None or office in ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_a_yearly_figure_is_totalled_over_the_period_a_rule_counts() -> None:
    ans = answer("湘潭项目执行期新增税收要求多少？我们每年新增税收55万，够吗", today=TODAY)
    assert "55万元 × 2年 = 110万元" in ans.answer and "满足" in ans.answer
    assert "不符合" not in ans.answer.splitlines()[0]


def test_a_project_longer_than_the_period_allowed_fails_that_rule() -> None:
    ans = answer("湘潭的需求，项目打算做30个月，研发投入200万，这样行吗", today=TODAY)
    head = ans.answer.splitlines()[0]
    assert "不符合" in head and "2年" in ans.answer and "30个月" in ans.answer, ans.answer


def test_a_circumstance_told_in_other_words_still_meets_the_rule_that_bars_it() -> None:
    ans = answer("泉州的摸底，我们之前已经拿到发改委资助的同一项需求，营收3亿，能再交吗", today=TODAY)
    assert not ans.answer.splitlines()[0].startswith("结论：按您提供的数字逐条核对，符合"), ans.answer
    assert "不再重复提交" in ans.answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("辽宁揭榜挂帅填报需求要交报名费吗", "辽宁通知没有写明关于收费的规定"),
        ("景德镇项目所在县区给的配套资金是多少", "景德镇通知没有写明配套的具体金额或比例"),
        ("泉州市工信局科技与投资科的办公地址是？", "泉州通知没有印"),
        ("浙江引导资金项目的专家答辩定在哪天", "通知没有写明"),
    ],
)
def test_what_no_notice_prints_is_said_to_be_unprinted(question: str, says: str) -> None:
    ans = answer(question, today=TODAY)
    assert says in ans.answer, ans.answer
    assert "已截止" not in ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_these_two_notices_is_not_a_count_of_the_users_needs() -> None:
    ans = answer("湘潭和辽宁这两个征集，对企业研发投入的门槛分别是多少", today=TODAY)
    assert "您说的2项" not in ans.answer and "结论：" not in ans.answer
    assert "100万" in ans.answer and "300万" in ans.answer


def test_a_branch_office_from_elsewhere_may_not_raise_a_local_need() -> None:
    ans = answer(
        "我们总部在九江，在景德镇设了个分公司，不是独立法人，可以用分公司名义提交技术需求吗", today=TODAY
    )
    assert ans.answer.startswith("结论：按通知条件，不符合"), ans.answer
    assert "独立法人资格" in ans.answer


def test_the_rest_of_a_total_after_the_one_capped_part() -> None:
    ans = answer("泉州情况表研发总预算800万，财政资金最多填多少？剩下的企业自己至少出多少", today=TODAY)
    assert "500万元" in ans.answer and "300万" in ans.answer, ans.answer


def test_the_base_a_wanted_grant_needs_and_what_follows_from_it() -> None:
    ans = answer("湘潭想拿满40万补助，研发投入至少多少？付给揭榜方最少多少", today=TODAY)
    assert "160万元（40万元 ÷ 25%）" in ans.answer and "64万元" in ans.answer, ans.answer


def test_a_notice_and_the_document_printed_in_it_are_each_answered() -> None:
    ans = answer("龙泉那份通知什么时候落款的？它附的省科技厅储备项目通知又是哪天", today=TODAY)
    assert "3月14日" in ans.answer and "3月13日" in ans.answer, ans.answer


def test_a_document_number_asked_beside_a_date_is_answered() -> None:
    ans = answer("景德镇这个征集通知哪天印发的，文号是什么", today=TODAY)
    assert "景科字" in ans.answer and "已截止" not in ans.answer, ans.answer


def test_payment_to_a_named_solver_is_the_payee_share() -> None:
    ans = answer("湘潭项目研发投入200万，拟支付揭榜高校70万，支付比例够吗", today=TODAY)
    assert "70万元 ÷ 200万元 = 35%" in ans.answer and "不符合" in ans.answer.splitlines()[0], ans.answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("我们已经在辽宁平台报了重点需求，如果入选，省里财政给多少补助？", "辽宁通知没有写明财政资金"),
        ("湘潭这个通知有没有文号", "湘潭通知没有写明关于文号"),
        ("湘潭的项目中期评估安排在第几个月？", "湘潭通知没有写明关于中期评估"),
        ("泉州报上去以后什么时候组织专家论证？哪个月？", "泉州通知没有写明论证的时间"),
        ("泉州的需求表模板去哪下载？", "泉州通知没有写明关于模板"),
        ("我们在湘潭平台报需求要交押金吗", "湘潭通知没有写明关于收费"),
        ("辽宁各县区最多能推荐几项需求", "辽宁通知没有写明每个县（市、区）可以推荐几项"),
        ("景德镇的榜单什么时候对外发布", "景德镇通知没有写明"),
        ("龙泉市本级揭榜挂帅项目一般做几年", "龙泉通知没有写明实施周期"),
    ],
)
def test_silence_is_not_hidden_by_what_the_user_tells_or_adds(question: str, says: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.refused and ans.answer.startswith(says), ans.answer


@pytest.mark.parametrize(
    ("question", "needles"),
    [  # minimums and maximums worked out from the rules, the caps and what the user gives
        (
            "省属高校牵头联合企业报中央引导资金科技成果转移转化方向，总经费300万，最多申请多少省级补助",
            ["150万元"],
        ),
        (
            "高校牵头联合企业申报中央引导资金“科技成果转移转化”方向，总经费900万，最多能申请多少补助",
            ["200万元", "700万元"],
        ),
        ("景德镇榜单金额400万，财政按最高支持，剩下企业自己出，至少出多少", ["200万元", "其余至少200万元"]),
        (
            "企业牵头申报中央引导资金“区域科技创新体系建设”，想拿满每项支持上限，总预算至少多少",
            ["300万元", "1500万元", "1200万元"],
        ),
    ],
)
def test_what_the_rules_leave_for_the_users_own_money(question: str, needles: list[str]) -> None:
    ans = answer(question, today=TODAY)
    for n in needles:
        assert n in ans.answer, ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_figures_for_each_year_of_the_period_add_up() -> None:
    ans = answer(
        "湘潭：2024年项目研发投入45万，2025年打算再投六十万，执行期研发投入的要求满足吗", today=TODAY
    )
    assert "45万元 + 60万元 = 105万元" in ans.answer and "不符合" not in ans.answer.splitlines()[0], (
        ans.answer
    )


def test_a_circumstance_that_may_bar_the_need_is_not_told_as_met() -> None:
    ans = answer("泉州摸底，营收2亿的专精特新企业，这个难题市面上其实有现成的成熟技术，还能报吗", today=TODAY)
    assert ans.answer.startswith("结论：可能不符合"), ans.answer


def test_spoken_amounts_are_read() -> None:
    ans = answer("辽宁其他领域企业，去年营收0.8个亿，研发投入120万，能报吗", today=TODAY)
    assert "8000万元" in ans.answer and ans.answer.startswith("结论："), ans.answer


def test_period_comparison_names_the_notices_that_are_silent() -> None:
    ans = answer("各地揭榜挂帅项目实施周期都是多久？", today=TODAY)
    assert "3年" in ans.answer and "2年" in ans.answer and not ans.refused
    assert "泉州通知没有写明实施周期" in ans.answer and "辽宁通知没有写明实施周期" in ans.answer
    assert {c.notice for c in ans.citations} >= {"jingdezhen", "xiangtan", "longquan"}


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("泉州2026年还会征集揭榜挂帅需求吗", "0595-22579329"),
        ("湘潭2025年度的需求表什么时候交", "58570302"),
    ],
)
def test_refusing_another_year_of_a_named_notice_points_to_its_office(question: str, office: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.refused
    assert office in ans.answer and ans.citations
    assert_verbatim(ans.answer, ans.citations)


def test_refusal_for_a_notice_without_a_printed_phone_says_so() -> None:
    ans = answer("景德镇2024年的揭榜挂帅榜单金额是多少", today=TODAY)
    assert ans.refused and "景德镇通知没有印咨询电话" in ans.answer
    assert not re.search(r"\d{3,4}-\d{7,8}", ans.answer)


@pytest.mark.parametrize(
    ("question", "shown", "verdict"),
    [
        ("我们是湘潭的企业，研发投入200万，打算给高校70万，符合要求吗？", "70万元 ÷ 200万元 = 35%", "不满足"),
        ("湘潭公司研发投入150万元，其中支付给揭榜方60万元，可以吗", "60万元 ÷ 150万元 = 40%", "——满足。"),
        ("湘潭这边研发投入一百二十万，委托给高校做的部分30万，够比例吗", "30万元 ÷ 120万元 = 25%", "不满足"),
    ],
)
def test_xiangtan_payment_to_the_solver_is_checked_as_a_share_of_rd(
    question: str, shown: str, verdict: str
) -> None:
    ans = answer(question, today=TODAY)
    line = next(ln for ln in ans.answer.splitlines() if "支付揭榜方资金占研发投入的比例" in ln)
    assert shown in line and verdict in line
    assert "不少于40%" in line and "不低于项目研发投入的40%" in line
    if verdict == "不满足":
        assert ans.answer.startswith("结论：按通知条件，不符合")
    assert_verbatim(ans.answer, ans.citations)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        ("湘潭研发投入300万，能拿多少补助？", "300万元 × 25% = 75万元"),
        ("湘潭项目研发投入160万元的话财政补多少钱", "160万元 × 25% = 40万元"),
    ],
)
def test_xiangtan_funding_question_leads_with_the_calculation(question: str, first: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.topic == "funding"
    assert first in ans.answer.splitlines()[0]
    assert "结论" not in ans.answer


@pytest.mark.parametrize(
    ("question", "needle"),
    [
        ("个人可以报辽宁揭榜挂帅需求吗？", "辽宁省内注册具有独立法人资格的企业"),
        ("自然人能不能申报中央引导资金储备项目", "在浙具有独立法人资格"),
        ("我是个体户，能在湘潭报揭榜挂帅需求吗", "具有独立法人资格的重点骨干企业"),
    ],
)
def test_individuals_are_answered_with_the_legal_person_rule(question: str, needle: str) -> None:
    ans = answer(question, today=TODAY)
    assert not ans.refused and needle in ans.answer
    assert ans.answer.startswith("结论：按通知条件，不符合")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "泉州的情况表我们12月1日交给县科技局，来得及不",
            "结论：您说的12月1日早于期限2023年12月5日前，不算晚",
        ),
        ("湘潭需求表9月10号发到邮箱可以吗", "结论：您说的9月10日早于下列每一个期限，不算晚"),
        ("湘潭的需求表8月20号就交可以吗", "结论：您说的8月20日早于开始日期2024年8月26日，那时尚未开始"),
        ("龙泉需求表4月16日才发邮件还行吗", "结论：您说的4月16日晚于"),
    ],
)
def test_a_date_the_user_names_gets_a_leading_verdict(question: str, lead: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.answer.startswith(lead), ans.answer


def test_no_reassuring_verdict_when_the_date_misses_an_earlier_batch() -> None:
    """辽宁 3月20日: before the enterprise cut-off but after the first two batch cut-offs."""
    ans = answer("辽宁企业3月20日在平台上提交，赶得上吗？", today=TODAY)
    assert "不算晚" not in ans.answer
    assert "3月20日已晚于第一批次推荐截止" in ans.answer.splitlines()[0]


def test_where_to_submit_across_notices_is_not_refused() -> None:
    ans = answer("各地的揭榜挂帅需求表都交到哪里？", today=TODAY)
    assert not ans.refused
    assert {c.notice for c in ans.citations} >= {"quanzhou", "xiangtan", "jingdezhen", "longquan"}


@pytest.mark.parametrize(
    ("question", "verdict", "line"),
    [
        ("泉州专精特新企业，上年营收1.3亿，能报揭榜挂帅需求吗", "符合", "您说的“专精特新”"),
        ("我们是泉州的企业，去年营收2亿，能报吗", "暂时无法判断", "您没有说明属于哪一类"),
        ("泉州高企，主营业务收入9000万，可以报龙头企业需求吗", "不符合", "要求超过1亿元"),
    ],
)
def test_quanzhou_needs_both_revenue_and_enterprise_type(question: str, verdict: str, line: str) -> None:
    ans = answer(question, today=TODAY)
    first = ans.answer.splitlines()[0]
    assert first.startswith("结论：") and verdict in first
    assert line in ans.answer


@pytest.mark.parametrize(
    ("question", "shown", "ok"),
    [
        ("企业牵头申报中央引导资金，总投入1000万，自筹600万够吗？", "600万元 ÷ 1000万元 = 60%", False),
        (
            "中央引导资金储备项目，我们公司项目总预算800万元，自筹资金700万，符合吗",
            "700万元 ÷ 800万元 = 87.5%",
            True,
        ),
        ("海岛县企业报中央引导资金，总投入五百万，自筹三百二十万行吗", "320万元 ÷ 500万元 = 64%", True),
    ],
)
def test_zhejiang_self_funding_share_is_computed(question: str, shown: str, ok: bool) -> None:
    ans = answer(question, today=TODAY)
    lines = [ln for ln in ans.answer.splitlines() if "自筹经费比例" in ln]
    # an enterprise that did not say whether it is in a 山区/海岛 county: the 80 % case decides 不满足
    line = next((ln for ln in lines if "80%" in ln), lines[0]) if not ok else lines[0]
    assert shown in line and ("——满足。" if ok else "——不满足") in line
    assert_verbatim(ans.answer, ans.citations)


def test_a_jingdezhen_list_amount_below_the_minimum_is_flagged() -> None:
    ans = answer("景德镇那边榜单定80万行不行", today=TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合")
    assert "您的80万元，要求不少于100万元——不满足" in ans.answer and "不低于100万元" in ans.answer


@pytest.mark.parametrize(
    ("question", "form_id", "needles"),
    [
        ("景德镇的重大技术需求征集表都要填什么内容", "jingdezhen", ("技术难题概述（限500字）", "可不填")),
        ("泉州摸底汇总表包括哪些栏目", "quanzhou-summary", ("逐行填写", "资金预测（万元）")),
        ("龙泉企业那张征集表有哪些栏目要填", "longquan", ("技术需求描述（限500字）", "预计总投入")),
        ("湘潭的技术需求表需要填哪些项", "xiangtan", ("统一社会信用代码", "对揭榜方要求（限300字）")),
    ],
)
def test_form_overview_lists_every_printed_item_from_the_spec(
    question: str, form_id: str, needles: tuple[str, ...]
) -> None:
    from knowledge.formspec import load_form

    form = load_form(form_id)
    ans = answer(question, today=TODAY)
    printed = [f for f in form.fields if f.printed]
    assert ans.answer.startswith(f"《{form.title}》") and f"共{len(printed)}项" in ans.answer
    assert all(f.label in ans.answer for f in printed)
    assert all(n in ans.answer for n in needles), ans.answer
    assert grounded_numbers_only_from_quotes(ans)
    assert_verbatim(ans.answer, ans.citations)


def grounded_numbers_only_from_quotes(ans: object) -> bool:
    """Every 限N字 shown is followed by a citation whose quote holds that N."""
    text = getattr(ans, "answer", "")
    cites = {c.n: c.quote for c in getattr(ans, "citations", [])}
    for m in re.finditer(r"限(\d+)字）\[(\d+)\]", text):
        if m.group(1) not in squash(cites[int(m.group(2))]):
            return False
    return True


def test_a_row_without_a_printed_limit_says_so() -> None:
    ans = answer("辽宁征集表里“需求名称”这一栏限制多少字", today=TODAY)
    assert "表上“需求名称”一栏没有印字数限制" in ans.answer
    limited = answer("泉州情况表技术难题概述最多写多少字", today=TODAY)
    assert "没有印字数限制" not in limited.answer and "限500字以内" in limited.answer


@pytest.mark.parametrize(
    ("question", "date_part", "other_part"),
    [
        ("泉州需求表幾號截止？找誰諮詢？", "2023年12月5日", "0595-22579329"),
        ("湘潭的补助多少，截止日期是哪天", "9月14日", "不超过50万元"),
        ("龙泉需求表最晚哪天交 发到哪个邮箱", "2024年4月15日", "2191290347@qq.com"),
    ],
)
def test_a_deadline_question_with_a_second_topic_answers_both(
    question: str, date_part: str, other_part: str
) -> None:
    ans = answer(question, today=TODAY)
    assert date_part in ans.answer and other_part in ans.answer, ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_attachment_4_system_questions_reach_the_provincial_contacts() -> None:
    ans = answer("龙泉附件4的项目申报系统有问题找谁", today=TODAY)
    assert ans.answer.splitlines()[0].startswith("申报系统咨询")
    assert "0571-87051059" in ans.answer


@pytest.mark.parametrize(
    ("question", "needles"),
    [
        ("辽宁需求征集表里的财务数据要填哪几年？", ("按行填写：2019、2020、2021", "净利润")),
        ("湘潭需求表的技术类型可以选哪些", ("卡脖子技术", "行业共性技术")),
        ("遼寧徵集表裡的財務狀況要填哪些年份", ("2019、2020、2021",)),
    ],
)
def test_one_form_item_is_answered_from_its_spec(question: str, needles: tuple[str, ...]) -> None:
    ans = answer(question, today=TODAY)
    assert all(n in ans.answer for n in needles), ans.answer
    assert_verbatim(ans.answer, ans.citations)
    assert all(c.path.count("›") >= 1 for c in ans.citations)


@pytest.mark.parametrize(
    ("question", "needles"),
    [
        (
            "浙江中央引导资金，我们企业（非农业类，不在山区26县和海岛县）牵头，项目总经费600万，最少自筹多少？",
            ("480万", "120万", "80%"),
        ),
        ("农业类企业牵头报中央引导资金储备项目，总经费五百万，自筹最少要多少？", ("300万", "200万", "60%")),
        (
            "高校牵头联合企业申报中央引导资金，申请省级财政补助150万元，自筹至少多少？总经费至少多少？",
            ("150万", "300万"),
        ),
        ("我们企业牵头报中央引导资金，想拿500万的财政补助，项目总经费至少多少？", ("2500万", "2000万")),
    ],
)
def test_a_minimum_is_worked_out_from_the_figures_given(question: str, needles: tuple[str, ...]) -> None:
    ans = answer(question, today=TODAY)
    assert all(n in ans.answer for n in needles), ans.answer
    assert "× 60%" not in ans.answer or "60%" in needles  # a rule for another class is not worked out
    assert_verbatim(ans.answer, ans.citations)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("辽宁的需求征集，我们一家公司手上有三个难题，三个都能报上去吗？", "不符合"),
        ("辽宁企业报两项需求可以吗", "符合"),
    ],
)
def test_how_many_the_user_submits_is_checked_against_the_limit(question: str, verdict: str) -> None:
    ans = answer(question, today=TODAY)
    head = ans.answer.splitlines()[0]
    assert head.startswith("结论：") and verdict in head and "2项" in ans.answer, ans.answer


def test_a_rule_of_a_later_stage_gives_no_verdict_on_applying() -> None:
    ans = answer(
        "景德镇，我们厂2021年数据造假被列入联合惩戒名单了，想报2022年的技术需求，还有戏吗？", today=TODAY
    )
    assert "三年" in ans.answer and "验收" not in ans.answer, ans.answer
    assert "结论：按您提供的数字逐条核对，符合" not in ans.answer


@pytest.mark.parametrize(
    ("question", "office"),
    [
        ("湘潭 需求表 纸质版 交几份", "58570302"),
        ("泉州的需求表和资质材料交给区里科技局的时候，纸质的要准备几份？", "0595-22579329"),
        ("浙江省中央引导地方科技发展资金储备项目何时组织专家评审？", "0571-87054743"),
    ],
)
def test_a_count_or_a_date_the_notice_does_not_give_is_silence(question: str, office: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.refused and "没有写明" in ans.answer and office in ans.answer, ans.answer


def test_a_rule_on_a_metric_the_notice_does_not_set_is_silence_not_a_verdict() -> None:
    ans = answer(
        "我们是泉州一家专精特新企业，上年营收1.5亿，研发人员只有12个人。泉州对研发人员数量有没有最低要求？",
        today=TODAY,
    )
    assert ans.refused and "没有写明人员数量" in ans.answer and "主营业务收入" not in ans.answer, ans.answer
    assert not ans.answer.startswith("结论：")


def test_a_metric_named_in_passing_is_not_what_is_asked() -> None:
    ans = answer(
        "我们是泉州一家专精特新企业，去年主营业务收入9,800万元，研发实力很强，想以骨干企业身份报，条件够吗？",
        today=TODAY,
    )
    assert ans.answer.startswith("结论：按通知条件，不符合") and "1亿" in ans.answer, ans.answer


def test_how_many_options_a_form_item_has_is_a_form_question() -> None:
    ans = answer("湘潭需求表 技术水平 有几个选项", today=TODAY)
    assert not ans.refused and all(w in ans.answer for w in ("国际领先", "国内先进")), ans.answer


def test_everyone_printed_under_one_contact_heading_is_given() -> None:
    ans = answer("关于中央引导地方科技发展资金储备项目的政策问题，可向哪些人咨询？", today=TODAY)
    assert "0571-87054743" in ans.answer and "0571-87054693" in ans.answer, ans.answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("湘潭的立项名单什么时候出", "11月中下旬"),
        ("中央引导资金储备项目的立项名单大概几月份公布？", "没有写明"),
    ],
)
def test_the_date_of_a_named_step_is_that_steps_or_silence(question: str, says: str) -> None:
    ans = answer(question, today=TODAY)
    assert says in ans.answer and ans.refused == (says == "没有写明"), ans.answer


def test_a_government_office_is_told_it_may_not_apply() -> None:
    ans = answer("我们是丽水某县的农业农村局，能不能作为申报单位牵头报中央引导资金储备项目？", today=TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合") and "政府机关" in ans.answer, ans.answer


@pytest.mark.parametrize(
    "question",
    [
        "我们公司注册在北京，营收6000万研发400万，能报辽宁高新技术领域的重大需求吗",
        "我们是长沙的一家企业，研发投入200万，能报湘潭的揭榜挂帅需求吗",
        "外地企业能报泉州的需求吗",
    ],
)
def test_a_unit_from_elsewhere_is_not_told_it_qualifies_for_a_local_call(question: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合") and "本地" in ans.answer, ans.answer


def test_a_solver_from_elsewhere_gets_the_solver_rules_not_a_verdict() -> None:
    ans = answer("我们是长沙的一所高校，不在湘潭本地，能去揭湘潭2024年揭榜挂帅的榜吗？", today=TODAY)
    assert not ans.answer.startswith("结论：") and "国内高等院校" in ans.answer, ans.answer


@pytest.mark.parametrize(
    ("question", "most"),
    [
        ("湘潭揭榜挂帅项目研发投入总额１６０万元，我们想申请市财政补助４５万元，行不行？", "40万"),
        ("湘潭，我们项目执行期研发投入合计1,200,000元，想申请市财政补助35万元，可以吗？", "30万"),
    ],
)
def test_a_grant_asked_beyond_rate_times_base_is_not_approved(question: str, most: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合") and f"最多{most}" in ans.answer, ans.answer


def test_a_printed_exception_replaces_the_general_rule() -> None:
    q = "我们不是农业类企业，但在山区26县。企业牵头申报中央引导资金，总预算500万，自筹310万，自筹比例达标吗？"
    ans = answer(q, today=TODAY)
    assert ans.answer.startswith("结论：按您提供的数字逐条核对，符合") and "不少于60%" in ans.answer, (
        ans.answer
    )
    assert "不少于80%——不满足" not in ans.answer


def test_a_county_count_is_checked_against_the_county_limit() -> None:
    ans = answer("泉州：一个县准备向市科技局推荐５项重大技术需求，行不行？", today=TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合") and "不超过3项" in ans.answer, ans.answer


def test_a_share_of_another_figure_is_checked_not_read_as_a_form_question() -> None:
    q = "沈阳的企业，高新技术领域，去年主营业务收入5,200万元，研发投入占营收的5%，想在辽宁填报重大需求，够条件吗？"
    ans = answer(q, today=TODAY)
    assert ans.answer.startswith("结论：按通知条件，不符合") and "260万" in ans.answer, ans.answer


def test_a_solver_question_naming_the_published_list_is_about_solvers() -> None:
    ans = answer("我是长沙一所大学的老师，湘潭发布的揭榜挂帅榜单我们能去揭吗？", today=TODAY)
    assert not ans.refused and "国内高等院校" in ans.answer, ans.answer


def test_the_county_copies_answer_a_question_about_the_county_summary() -> None:
    ans = answer("泉州 汇总表 份数", today=TODAY)
    assert not ans.refused and "一式一份" in ans.answer


@pytest.mark.parametrize(
    "question",
    [
        "我们是长沙的一所高校，能去揭湘潭2024年揭榜挂帅的榜吗？",
        "我们公司注册在北京，在沈阳的分公司能报辽宁的需求吗？",
        "我们公司注册在吉林长春，沈阳办事处能填报辽宁2023年的需求吗？",
    ],
)
def test_where_the_user_is_from_does_not_put_the_question_out_of_scope(question: str) -> None:
    assert not answer(question, today=TODAY).refused


@pytest.mark.parametrize("question", ["揭榜挂帅是什么意思", "什么是揭榜挂帅制？", "揭榜挂帅项目指什么"])
def test_what_is_jiebang_guashuai_is_answered_from_the_text(question: str) -> None:
    ans = answer(question, today=TODAY)
    assert not ans.refused and ans.citations
    assert_verbatim(ans.answer, ans.citations)


@pytest.mark.parametrize(
    "question", ["江西省科技厅的省级揭榜挂帅项目最多补助多少", "湖南省级揭榜挂帅项目怎么申报"]
)
def test_a_province_that_issued_no_notice_is_out_of_scope(question: str) -> None:
    ans = answer(question, today=TODAY)
    assert ans.refused and "省级部门发布的通知" in ans.answer, ans.answer


def test_the_least_base_to_reach_the_cap_printed_with_the_rate() -> None:
    ans = answer("景德镇揭榜挂帅想拿到封顶额度的财政支持，榜单金额最少要多少", today=TODAY)
    assert "333.3333万元（200万元 ÷ 60%）" in ans.answer, ans.answer


def test_an_unrelated_word_in_one_part_does_not_refuse_the_part_the_notice_answers() -> None:
    ans = answer("湘潭执行期研发费用投入按什么口径算？我们用加计扣除口径的数字行不行", today=TODAY)
    assert not ans.refused and "财务审计报告口径" in ans.answer, ans.answer


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("泉州摸底汇总表是哪个附件？", "附件2是《“揭榜挂帅”重大技术需求（难题）摸底汇总表》"),
        (
            "龙泉企业自己填报的征集表是附件几",
            "附件2是《龙泉市2024年度科技项目技术攻关需求征集表（企业填报）》",
        ),
    ],
)
def test_which_attachment_a_form_is(question: str, says: str) -> None:
    ans = answer(question, today=TODAY)
    assert says in ans.answer, ans.answer


def test_a_form_item_asked_beside_a_contact_is_answered_from_the_form() -> None:
    ans = answer("湘潭需求表“项目需求内容描述”限多少字？表发到哪个邮箱？", today=TODAY)
    assert "xtkjjcgk@163.com" in ans.answer and "没有写明表格" not in ans.answer, ans.answer
    assert_verbatim(ans.answer, ans.citations)


def test_how_to_fill_in_step_by_step_gives_the_steps() -> None:
    ans = answer("辽宁平台上怎么填报需求？请一步步说", today=TODAY)
    assert "新增指南" in ans.answer and "初审单位" in ans.answer, ans.answer


def test_numbered_questions_are_each_answered() -> None:
    ans = answer(
        "景德镇：一是高校提需求时能不能推荐本地企业承接？二是去年报过需求，今年还能再填吗？", today=TODAY
    )
    assert "承接单位" in ans.answer and "继续填写" in ans.answer, ans.answer


def test_how_needs_are_screened_and_published() -> None:
    ans = answer("泉州需求报上去以后怎么筛选、怎么发榜？", today=TODAY)
    assert "成熟一批、发布一批" in ans.answer and "第三方专业机构" in ans.answer, ans.answer


def test_a_question_form_is_not_a_negation() -> None:
    ans = answer("景德镇的高校提需求，能不能建议一家本地企业做承接单位？", today=TODAY)
    assert "可能不符合" not in ans.answer and "不符合" not in ans.answer.splitlines()[0], ans.answer


def test_the_days_between_two_deadlines_come_first() -> None:
    ans = answer("辽宁第一批和第二批推荐截止相差几天？", today=TODAY)
    assert ans.answer.startswith("两个日期相隔28天（2月28日 − 1月31日）"), ans.answer


def test_a_users_case_is_checked_though_it_names_a_form_choice() -> None:
    ans = answer("辽宁其他领域企业，营收3000万、研发150万，打算投1200万，征集表能勾重大需求吗", today=TODAY)
    assert ans.answer.startswith("结论："), ans.answer
    assert "1200万元" in ans.answer and "1000万元" in ans.answer


def test_the_share_a_capped_grant_really_is() -> None:
    ans = answer("景德镇榜单金额400万，财政最多给多少？实际占榜单金额百分之几", today=TODAY)
    assert "实际占榜单金额的50%（200万元 ÷ 400万元）" in ans.answer, ans.answer


def test_missing_a_preference_costs_the_priority_not_the_right_to_apply() -> None:
    ans = answer("泉州摸底，营收1.8亿的高新技术企业，我们不提交出资承诺，还能报吗", today=TODAY)
    head = ans.answer.splitlines()[0]
    assert "不符合" not in head and "这是优先条件" in ans.answer, ans.answer


def test_a_dated_duty_is_not_answered_with_deadlines() -> None:
    ans = answer("浙江引导资金项目的实施绩效什么时候报送", today=TODAY)
    assert "当年年底" in ans.answer.splitlines()[0] and "已截止" not in ans.answer, ans.answer


@pytest.mark.parametrize(
    ("question", "needles", "never"),
    [  # wrong figures are the worst bug: each case once produced one
        (
            "湘潭研发投入200万，申请专项最多填多少？自筹至少多少",
            ["50万元", "150万元"],
            ["自筹经费至少150万元（拟投入"],
        ),
        (
            "海岛县的非农业企业牵头报中央引导资金“科技成果转移转化”，总预算700万，财政最多多少？自筹多少",
            ["200万元", "500万元"],
            ["财政资金（补助、资助、支持）最多280万元。"],
        ),
        (
            "泉州研发总预算800万，需求方提供300万，财政按上限填，攻关单位自筹至少多少",
            [],
            ["自筹经费至少500万元"],
        ),
    ],
)
def test_no_wrong_figure_from_a_partial_rule(question: str, needles: list[str], never: list[str]) -> None:
    ans = answer(question, today=TODAY)
    for n in needles:
        assert n in ans.answer, ans.answer
    for n in never:
        assert n not in ans.answer, ans.answer


def test_a_printed_exception_the_user_may_fall_under_is_a_case_not_a_failure() -> None:
    ans = answer("我们是企业牵头报中央引导资金，不是农业类企业，总预算400万，自筹240万，够吗", today=TODAY)
    assert ans.answer.startswith("结论：暂时无法判断"), ans.answer
    assert "60%" in ans.answer and "80%" in ans.answer and "若不属于" in ans.answer


def test_a_choice_field_lists_its_options_never_an_empty_list() -> None:
    ans = answer("龙泉尖兵领雁需求表“攻关水平”能选哪几档", today=TODAY)
    assert "领跑（无人区）技术" in ans.answer and "选项：\n" not in ans.answer + "\n", ans.answer


def test_a_terse_form_question_is_answered_from_the_form() -> None:
    ans = answer("湘潭需求表 国内外研究现状 写什么 限几字", today=TODAY)
    assert "300字" in ans.answer, ans.answer
