"""Mailboxes asked across the notices: each notice's printed ones, the scene-setting clause no part of
its own, and a notice that prints none never said to print one. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer
from knowledge.understand import split_parts

TODAY = date(2026, 11, 30)


def test_a_clause_naming_these_notices_sets_the_scene_and_asks_no_count() -> None:
    assert len(split_parts("这几份通知里，哪些印了报送或咨询邮箱，分别是什么")) == 1


def test_submission_or_consulting_mailboxes_of_every_notice() -> None:
    text = answer("这几份通知里，哪些印了报送或咨询邮箱？分别是什么？", TODAY).answer
    for mailbox in ("kj22579329@163.com", "22284742@163.com", "xtkjjcgk@163.com", "2191290347@qq.com"):
        assert mailbox in text


def test_a_notice_printing_no_mailbox_is_not_said_to_print_one_for_consulting() -> None:
    ans = answer("景德镇需求表发到哪个邮箱？", TODAY)
    assert ans.refused and "用于咨询" not in ans.answer
