"""`jiebang eval answers`: must_not_contain counts as a false statement, history makes a conversation,
an item's own `today` is used."""

from __future__ import annotations

from datetime import date

from knowledge.answer import converse
from knowledge.corpus import get_notice
from knowledge.evaluate import eval_answers


def _run(items: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    return eval_answers(
        items, lambda qs, d: converse(qs, d)[-1], lambda n: get_notice(n).text, date(2026, 11, 23)
    )


def test_a_forbidden_string_is_a_false_statement() -> None:
    item = {
        "id": "x",
        "category": "deadline",
        "question": "泉州的需求表什么时候截止？",
        "notice": "quanzhou",
        "must_contain": ["12月5日"],
        "must_not_contain": ["已截止"],
        "expect_refusal": False,
    }
    report = _run([item])
    assert report.false_statements == 1 and report.total == (0, 1)
    report = _run([{**item, "today": "2023-12-01"}])
    assert report.false_statements == 0 and report.total == (1, 1)


def test_history_makes_the_question_a_follow_up() -> None:
    item = {
        "id": "y",
        "category": "followup",
        "history": ["泉州的咨询电话是多少？"],
        "question": "那湘潭呢？",
        "notice": "xiangtan",
        "must_contain": ["58570302"],
        "expect_refusal": False,
    }
    assert _run([item]).total == (1, 1)
    assert _run([{**item, "history": []}]).total == (0, 1)
