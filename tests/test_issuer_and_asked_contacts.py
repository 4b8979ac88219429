"""A question naming the host notice's own issuer is about the host notice, so notes on a printed
attachment's dates stay out; an office to ask is added to a clause only when one is asked.
Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def test_host_issuer_named_keeps_the_attachments_dates_out() -> None:
    text = answer("龙泉市科技局征集的技术需求，企业最迟哪天前要交？", TODAY).answer
    assert "3月22日" not in text and "3月18日" not in text


def test_host_issuer_named_just_before_counts_for_the_follow_up() -> None:
    text = converse(["龙泉市科技局这次征集需求要填哪张表？", "哪天前交？"], today=TODAY)[-1].answer
    assert "3月22日" not in text


def test_a_count_asked_in_a_scene_clause_shows_no_office_to_ask() -> None:
    text = answer("辽宁这次需求征集，沈阳要推荐多少项？", TODAY).answer
    assert "联系" not in text and "电话" not in text
