"""A follow-up naming another year of the same place asks a round no notice covers; 资格 asks the
conditions; a follow-up that reports the last answer (你只说了…) is never read as the user's own case.
Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def test_another_year_of_the_same_place_is_out_of_scope() -> None:
    ans = converse(["湘潭2024年的需求表哪天截止？", "那湘潭2025年的呢？"], today=TODAY)[-1]
    assert ans.refused and "2025" in ans.answer


def test_qualification_review_lists_every_condition() -> None:
    text = answer("湘潭揭榜挂帅的资格审查都有哪些？", TODAY).answer
    assert "未结题" in text and "100万" in text and "40%" in text


def test_what_the_last_answer_said_is_not_the_users_case() -> None:
    ans = converse(["湘潭揭榜挂帅的资格审查都有哪些？", "还有吗？你刚才只说了未结题的不能报。"], today=TODAY)[
        -1
    ]
    assert "不符合" not in ans.answer and "100万" in ans.answer
