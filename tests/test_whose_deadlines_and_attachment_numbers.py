"""有哪些截止日期 / 截止日期是给谁的 lists every dated duty with whose it is; 附件几 asked beside other
questions is answered too, and 第几个附件 asks no count. Phrasings are new."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, converse

TODAY = date(2026, 11, 30)


def test_every_deadline_when_a_list_of_them_is_asked() -> None:
    text = answer("省里中央引导资金储备项目一共有哪几个截止时间？", TODAY).answer
    assert "3月22日" in text and "3月25日" in text


def test_whose_deadline_after_one_was_given() -> None:
    text = converse(["省中央引导资金储备项目几号截止申报？", "这个截止时间是针对谁的？"], today=TODAY)[
        -1
    ].answer
    assert "3月22日" in text and "3月25日" in text


def test_which_attachment_beside_a_row_question() -> None:
    text = answer("泉州的需求（难题）情况表是附件几？“产权归属”限多少字？“技术难题概述”呢？", TODAY).answer
    assert "附件1" in text


def test_which_attachment_number_is_no_count() -> None:
    ans = answer("湘潭那个项目技术需求表算第几个附件？", TODAY)
    assert not ans.refused and "数量" not in ans.answer and "附件3" in ans.answer
