"""Follow-ups: `jiebang ask --json --conversation -` reads a conversation per block of lines; 那X呢
keeps the topic and switches the notice, a pronoun keeps both, a new place overrides the notice."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from typing import Any

from knowledge.answer import converse

TODAY = date(2026, 11, 23)


def _conversation(lines: list[str]) -> list[dict[str, Any]]:
    res = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--conversation", "--today", "2026-11-23", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


def test_the_conversation_cli_carries_context_until_a_blank_line() -> None:
    rows = _conversation(["湘潭的财政补助最多多少？", "那景德镇呢？", "", "那景德镇呢？"])
    assert len(rows) == 3
    assert "200万" in rows[1]["answer"] and {c["notice"] for c in rows[1]["citations"]} == {"jingdezhen"}
    assert rows[1]["follow_up"]["notices"] == ["jingdezhen"]
    assert "200万" not in rows[2]["answer"]  # a new conversation: "那景德镇呢" has no topic to keep


def test_that_x_keeps_the_topic_and_switches_the_notice() -> None:
    answers = converse(["泉州的咨询电话是多少？", "那湘潭呢？"], TODAY)
    assert "58570302" in answers[1].answer and "0595" not in answers[1].answer


def test_a_pronoun_keeps_the_notice() -> None:
    answers = converse(["辽宁揭榜挂帅需求填报截止是哪天？", "这个要在哪里填？"], TODAY)
    assert "218.60.151.64" in answers[1].answer


def test_a_new_place_overrides_the_conversation() -> None:
    answers = converse(["泉州的需求表什么时候截止？", "深圳的揭榜挂帅什么时候截止？"], TODAY)
    assert answers[1].refused and "2023年12月5日" not in answers[1].answer


def test_a_follow_up_about_a_figure_keeps_the_notice() -> None:
    answers = converse(["景德镇财政怎么支持？", "榜单金额300万的话最多给多少？"], TODAY)
    assert "300万元 × 60% = 180万元" in answers[1].answer


def test_the_second_payment_keeps_the_topic_of_the_installments() -> None:
    answers = converse(["景德镇财政资金分几期拨付？", "第三笔什么时候拨？"], TODAY)
    assert "验收合格后" in answers[1].answer and "20%" in answers[1].answer
    assert not answers[1].refused


def test_that_x_may_name_the_document_printed_in_the_notice() -> None:
    answers = converse(["泉州需求表交到哪里？", "截止哪天？", "那中央引导资金储备项目呢？"], TODAY)
    assert "3月22日" in answers[2].answer and "12月5日" not in answers[2].answer


def test_these_two_questions_asks_the_last_two_of_another_notice() -> None:
    answers = converse(["景德镇的需求材料报给谁？", "要交几份？", "那辽宁这两个问题呢？"], TODAY)
    last = answers[2].answer
    assert "218.60.151.64" in last  # the first question, of the notice named now
    assert "份数" in last  # and the second: 辽宁 prints no number of copies
    assert {c.notice for c in answers[2].citations} == {"liaoning"}


def test_a_pronoun_after_a_contact_question_keeps_whom_it_was_about() -> None:
    answers = converse(["辽宁平台出问题找谁？", "他们的电话多少？"], TODAY)
    assert "024-23983158" in answers[1].answer


def test_the_last_instalment_of_a_list_amount_is_computed() -> None:
    answers = converse(["景德镇财政支持怎么拨？", "榜单金额200万的话，中期评估后拨的那笔是多少？"], TODAY)
    assert "36万" in answers[1].answer  # 200万 × 60% = 120万, × 30%


def test_a_bare_follow_up_with_a_what_if_class_answers_both() -> None:
    answers = converse(["辽宁其他领域企业营收门槛多少？", "研发投入呢？如果是高新技术领域呢？"], TODAY)
    assert "100万" in answers[1].answer and "200万" in answers[1].answer


def test_a_class_named_in_the_last_turn_carries_to_a_figures_follow_up() -> None:
    from datetime import date

    from knowledge.answer import converse

    last = converse(["辽宁填报重大需求的门槛是多少？", "我们营收7000万、研发260万呢？"], date(2026, 11, 30))[
        -1
    ]
    assert "重点需求" not in last.answer.split("来源")[0].splitlines()[0]
    assert "还差40万元" in last.answer
    again = converse(
        ["辽宁填报重大需求的门槛是多少？", "我们营收7000万、研发260万呢？", "那重点需求呢？"],
        date(2026, 11, 30),
    )[-1]
    assert "您的260万元，要求不少于200万元——满足" in again.answer
