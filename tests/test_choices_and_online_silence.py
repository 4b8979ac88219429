"""Two classes weighed against each other get a verdict each, never one 不符合 for both; a web address,
an online system, an acceptance stage or a payment schedule a notice never prints is said to be
unwritten; what happens after a form is handed in is the next steps, not a consequence. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def test_two_classes_weighed_get_a_verdict_each() -> None:
    ans = answer(
        "辽宁，我们是高新技术领域企业，去年主营收入9000万，研发投入600万，项目打算投1500万，"
        "报重大需求好还是重点需求好？",
        TODAY,
    )
    head = ans.answer.splitlines()[0]
    assert "可以报重大需求" in head and "不符合" not in head
    assert "若属重点需求" in ans.answer and "若属重大需求" in ans.answer


def test_a_web_address_never_printed_is_unwritten() -> None:
    ans = answer("湘潭那个项目申报系统的网址是多少？", TODAY)
    assert ans.refused and "没有写明网上报送的网址" in ans.answer


def test_a_printed_web_address_is_given() -> None:
    ans = answer("辽宁填报平台的网址是什么", TODAY)
    assert not ans.refused and "218.60.151.64" in ans.answer


def test_an_online_system_never_mentioned_is_unwritten() -> None:
    ans = answer("泉州的需求表能不能在网上平台直接填报？", TODAY)
    assert ans.refused and "网上填报系统" in ans.answer


def test_an_acceptance_stage_never_set_is_unwritten() -> None:
    ans = answer("湘潭的项目做完以后验收要准备哪些东西？", TODAY)
    assert ans.refused and "验收" in ans.answer.splitlines()[0]


def test_a_schedule_never_printed_is_unwritten_though_a_sum_is_given() -> None:
    ans = answer("湘潭如果补助40万，分几笔打过来？第一笔打多少？", TODAY)
    assert ans.refused and "分期" in ans.answer


def test_after_handing_in_is_the_next_steps_not_a_consequence() -> None:
    first = converse(["泉州的需求表交到县里科技局之后会怎样？"], today=TODAY)[-1]
    assert not first.refused and "后果" not in first.answer


def test_a_fault_then_会怎样_is_still_a_consequence() -> None:
    ans = answer("泉州的需求表逾期以后交会怎样？", TODAY)
    assert "后果" in ans.answer.splitlines()[0]  # the consequence asked, not the next steps


def test_each_part_reads_whose_deadline_it_asks() -> None:
    text = answer(
        "泉州：1.企业最晚哪天把需求表交到所在地科技主管部门？2.各县（市、区）汇总后最晚哪天报送市科技局？",
        TODAY,
    ).answer
    assert "2023年12月5日" in text and "2023年12月12日" in text


def test_materials_asked_after_a_verdict_get_their_own_line() -> None:
    text = answer(
        "泉州，我们是骨干企业，去年主营收入1.6亿。第一，我们能提重大技术需求吗？第二，需求表以外还得交什么材料？",
        TODAY,
    ).answer
    assert "——满足" in text and "资质材料" in text


def test_a_title_not_awarded_is_not_claimed() -> None:
    text = answer("泉州，我们是龙头企业，还没评上高新技术企业，去年营收1.2亿，能报吗？", TODAY).answer
    assert "您说的“龙头企业”" in text


def test_a_matter_never_written_beside_an_answered_part() -> None:
    ans = answer("湘潭单个项目最多补助多少？这笔钱可以拿来发工资吗？", TODAY)
    assert not ans.refused and "50万" in ans.answer and "没有关于“工资”" in ans.answer
