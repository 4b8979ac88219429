"""Follow-ups: where the user is from keeps the notice, another notice drops the year said of the
last one, a figure said again is the last question re-asked, 它…和X比 compares both; a later stage's
deadline and a share on another topic are said to be unstated. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def last(*questions: str) -> tuple[str, bool]:
    ans = converse(list(questions), today=TODAY)[-1]
    return ans.answer, bool(ans.refused)


def test_a_place_the_user_is_from_keeps_the_notice() -> None:
    text, refused = last("湘潭的榜对揭榜方有什么要求？", "上海的科研院所可以来揭吗？")
    assert not refused and "省内外" in text
    text, refused = last("辽宁的征集对象是哪些单位？", "我们是在河北注册的公司，能报吗？")
    assert not refused and "辽宁省内注册" in text


def test_another_notice_drops_the_year_said_of_the_last() -> None:
    text, refused = last("泉州2023年的需求表最晚哪天交？", "那景德镇呢？")
    assert not refused and "9月25日" in text


def test_a_figure_said_again_re_asks_the_last_question() -> None:
    text, _ = last("湘潭的项目，我们研发投入120万，发榜方最少付揭榜方多少？", "要是研发投入改成200万呢？")
    assert "80万元" in text


def test_it_against_a_notice_named_compares_both() -> None:
    text, _ = last("湘潭项目实施周期多长？", "它和景德镇的比，哪个长？")
    assert "2年" in text and "3年" in text


def test_a_later_stages_deadline_is_said_to_be_unstated() -> None:
    ans = answer("泉州的榜发布以后，揭榜申报什么时候截止？", TODAY)
    assert ans.refused and "已截止" not in ans.answer


def test_a_share_asked_of_acceptance_is_not_the_funding_rate() -> None:
    ans = answer("湘潭揭榜挂帅项目验收，完成多少比例算合格？", TODAY)
    assert ans.refused and "25%" not in ans.answer.splitlines()[0]
