"""Property tests: no question, context or date makes `answer()` raise, and what it returns is
well-formed — numbered citations that are verbatim, markers that point at them, known notice ids.

Questions are mostly built from the pieces real users combine (place names and their short forms,
topic words, amounts in 万/亿 and Chinese numerals, dates, full-width digits, traditional
characters) plus hostile input (control characters, HTML and Markdown, emoji, English, very long).
Budget: JIEBANG_FUZZ_EXAMPLES (60 in `make test`, 10,000 in `make fuzz`).
"""

from __future__ import annotations

import os
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.answer import answer
from knowledge.corpus import get_notice, notice_ids
from knowledge.types import Answer
from knowledge.understand import Context

EXAMPLES = int(os.environ.get("JIEBANG_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PLACES = [
    "泉州",
    "泉州市",
    "晋江",
    "湘潭",
    "湘潭那个",
    "韶山",
    "景德镇",
    "浮梁",
    "辽宁",
    "遼寧",
    "沈阳",
    "龙泉",
    "丽水",
    "浙江",
    "中央引导资金",
    "深圳",
    "北京",
    "杭州",
]
TOPICS = [
    "截止时间",
    "最晚什么时候交",
    "来得及吗",
    "能不能报",
    "申报条件",
    "财政最多给多少",
    "补助比例",
    "分几期拨付",
    "需求表怎么填",
    "限多少字",
    "报送流程",
    "纸质版几份",
    "联系电话",
    "找谁咨询",
    "邮箱",
    "比较一下",
    "有什么区别",
    "揭榜方条件",
    "实施周期",
    "知识产权归谁",
    "税率",
    "2025年度",
    "路演",
]
NUMBERS = [
    "6000万",
    "一千二百万",
    "1.2亿",
    "５００万",
    "280万元",
    "25%",
    "三点五亿",
    "0万",
    "99999999999亿",
    "3月28号",
    "2023年12月5日",
    "9月15号",
    "2月30日",
    "13月1日",
]
WEIRD = [
    "",
    " ",
    "？？",
    "\x00\x1b[31m",
    "<b>泉州</b><script>alert(1)</script>",
    "**截止**[链接](http://x)",
    "😀🎉",
    "When is the deadline?",
    "\u202e\u200b",
    "\ud7ff",
    "　",
    "\n\n",
    "高新技術企業",
]
piece = st.one_of(
    st.sampled_from(PLACES),
    st.sampled_from(TOPICS),
    st.sampled_from(NUMBERS),
    st.sampled_from(WEIRD),
    st.text(max_size=12),
    st.text(alphabet="泉州湘潭景德镇辽宁龙泉的需求表截止补助万元多少报吗？，。、0123456789", max_size=12),
)
questions = st.one_of(
    st.lists(piece, min_size=1, max_size=6).map("".join),
    st.lists(piece, min_size=1, max_size=4).map(" ".join),
    st.text(max_size=80),
)
# Up to 100 KB: answer() keeps the first 2,000 characters, and embedding those takes seconds, so
# these get their own, smaller budget.
long_questions = st.builds(
    lambda p, n: p * n, st.sampled_from(PLACES + TOPICS + WEIRD + NUMBERS), st.integers(100, 50_000)
)
contexts = st.one_of(
    st.none(),
    st.builds(
        Context,
        notices=st.lists(st.sampled_from(notice_ids()), max_size=3, unique=True),
        topic=st.one_of(st.none(), st.sampled_from(["deadline", "eligibility", "funding", "contact", "x"])),
    ),
)
days = st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
MARKER = re.compile(r"\[(\d+)\]")


def check(ans: Answer, question: str) -> None:
    assert isinstance(ans, Answer)
    assert ans.question == question
    assert ans.answer.strip(), "an answer is never empty"
    known = set(notice_ids())
    assert set(ans.notices) <= known
    assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))
    for c in ans.citations:
        assert c.notice in known
        assert get_notice(c.notice).text[c.start : c.end] == c.quote
        assert c.quote.strip()
    markers = {int(m) for m in MARKER.findall(ans.answer)}
    assert markers <= {c.n for c in ans.citations}, (ans.answer, len(ans.citations))
    if not ans.refused:
        assert ans.citations, ans.answer


@FUZZ
@given(questions, days)
def test_fuzz_answer_never_raises_and_cites_verbatim(question: str, today: date | None) -> None:
    check(answer(question, today=today), question)


@settings(max_examples=max(20, EXAMPLES // 2), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questions, contexts, days)
def test_fuzz_follow_ups_never_raise(question: str, context: Context | None, today: date | None) -> None:
    check(answer(question, today=today, context=context), question)


@settings(max_examples=max(1, EXAMPLES // 500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_questions)
def test_fuzz_long_questions_never_raise(question: str) -> None:
    check(answer(question), question)
