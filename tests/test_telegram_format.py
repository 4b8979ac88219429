"""HTML rendering and splitting: escaped, balanced, below Telegram's limit, nothing lost."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram_format import (
    answer_html,
    answer_messages,
    passage_html,
    split_html,
    utf16_len,
)
from bot.telegram_notices import all_key_dates, deadlines_html, key_dates, notice_card
from knowledge.corpus import get_notice, notices
from knowledge.key_dates import status_text
from knowledge.types import Answer, Citation
from tests.fake_bot_api import check_html


def visible(html: str) -> str:
    return unescape(re.sub(r"<[^<>]*>", "", html))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def make_answer(text: str, quotes: list[str]) -> Answer:
    cits = [
        Citation(n=i, notice="quanzhou", path=f"泉州 › 路径{i}", quote=q, start=0, end=len(q))
        for i, q in enumerate(quotes, 1)
    ]
    return Answer(question="q", answer=text, citations=cits, notices=["quanzhou"])


def test_answer_html_escapes_everything_and_numbers_sources() -> None:
    ans = make_answer("<script>alert(1)</script> & 资金 < 300万元[1]", ["财政资金 <不超过300万元> & 更多"])
    html = answer_html(ans)
    check_html(html)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>[1]</b>" in html and "<b>来源</b>" in html
    assert "<blockquote>财政资金 &lt;不超过300万元&gt; &amp; 更多</blockquote>" in html
    assert "泉州 › 路径1" in html


def test_long_answer_splits_below_limit_and_keeps_every_character() -> None:
    body = "\n".join(f"第{i}句：申报单位须在规定时间内提交材料[{i % 3 + 1}]。" * 3 for i in range(400))
    ans = make_answer(body, ["引用一" * 30, "引用二" * 30, "引用三 <b>" * 20])
    parts = answer_messages(ans)
    assert len(parts) > 3
    for part in parts:
        assert utf16_len(part) <= 4000
        check_html(part)
    assert squash("".join(visible(p) for p in parts)) == squash(visible(answer_html(ans)))


def test_split_reopens_tags_across_a_cut() -> None:
    html = "<blockquote>" + "长" * 9000 + "</blockquote>"
    parts = split_html(html, 4000)
    assert len(parts) == 3
    assert all(p.startswith("<blockquote>") and p.endswith("</blockquote>") for p in parts)
    for p in parts:
        check_html(p)


def test_split_prefers_line_breaks_and_never_cuts_an_entity() -> None:
    html = "\n".join("&amp;" * 10 + "行" * 30 for _ in range(200))
    parts = split_html(html, 1000)
    for p in parts:
        check_html(p)
        assert not re.search(r"&[a-z]*$", p)
    assert all(p.endswith("行") for p in parts)


def test_emoji_count_two_utf16_units() -> None:
    parts = split_html("😀" * 3000, 4000)
    assert [utf16_len(p) for p in parts] == [4000, 2000]


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet='申报截止<>&" \n资金a😀', max_size=80), max_size=120),
    limit=st.integers(60, 500),
)
def test_split_property_balanced_and_lossless(words: list[str], limit: int) -> None:
    from html import escape

    html = "".join(
        f"<b>{escape(w)}</b>\n"
        if i % 3 == 0
        else f"<blockquote>{escape(w)}</blockquote>"
        if i % 3 == 1
        else escape(w)
        for i, w in enumerate(words)
    )
    parts = split_html(html, limit)
    for part in parts:
        assert utf16_len(part) <= limit
        check_html(part)
    assert squash("".join(visible(p) for p in parts)) == squash(visible(html))


def test_passage_shows_whole_paragraph_with_the_quote_underlined() -> None:
    n = get_notice("quanzhou")
    start = n.text.index("2023年12月5日前")
    html = passage_html(n, "泉州 › 二、推荐流程 › （一）", n.text, start, start + 11)
    check_html(html)
    assert "<u>2023年12月5日前</u>" in html
    assert "龙头、骨干企业" in html and "泉科〔2023〕179号" in html


def test_status_counts_days_against_today() -> None:
    assert status_text(date(2024, 9, 14), date(2024, 9, 10)) == "还有 4 天"
    assert status_text(date(2024, 9, 14), date(2024, 9, 14)) == "就是今天"
    assert status_text(date(2024, 9, 14), date(2024, 9, 15)) == "已过（1 天前）"


def test_key_dates_are_verbatim_and_cover_every_notice() -> None:
    dates = all_key_dates()
    assert {k.notice for k in dates} == {n.id for n in notices()}
    for k in dates:
        text = get_notice(k.notice).text
        assert text[k.start : k.end] == k.quote
        assert f"{k.day.month}月{k.day.day}日" in k.quote
    xt = {(k.day, k.kind) for k in key_dates("xiangtan")}
    assert (date(2024, 9, 14), "deadline") in xt and (date(2024, 8, 26), "opens") in xt


def test_key_dates_are_the_curated_deadlines_with_their_ambiguities() -> None:
    """The cards use the same deadline facts as the answers: who acts, and what the text leaves open."""
    from knowledge.catalogue import DATED, all_facts

    curated = {(f.notice, f.date) for f in all_facts() if f.kind in DATED and f.date}
    shown = {(k.notice, k.day) for k in all_key_dates() if k.kind != "opens"}
    assert shown == curated
    on_the_day = deadlines_html(date(2024, 9, 14))
    check_html(on_the_day)
    assert "就是今天（通知写的是“…前”，未说明当天是否仍可提交" in on_the_day
    # 湘潭: the mailbox deadline 9月14日前 and the window to 9月16日 carry the notice's ambiguity
    assert "9月14日前报送" in on_the_day and "9月16日" in on_the_day
    assert "2024年3月22日17:30截止" in deadlines_html(date(2024, 3, 1))
    qz = notice_card(get_notice("quanzhou"), date(2023, 12, 6))
    assert "（推荐、初审单位）" in qz and "（申报单位）" in qz and "已过（1 天前）" in qz


@pytest.mark.parametrize("today", [date(2023, 12, 1), date(2030, 1, 1)])
def test_notice_cards_and_deadlines_parse_as_telegram_html(today: date) -> None:
    for n in notices():
        for part in split_html(notice_card(n, today)):
            check_html(part)
    html = deadlines_html(today)
    check_html(html)
    if today.year == 2023:
        assert "还有 4 天" in html  # 泉州 2023-12-05
    else:
        assert "还有" not in html and "都已过去" in html
