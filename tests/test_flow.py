"""A flow question is answered by the notice's own steps, in its order, cut where the question says
(knowledge/flow.py). Phrasings are new: none is a gold question of any set."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answer import answer
from knowledge.flow import asks_flow

TODAY = date(2026, 11, 30)


def text_of(question: str) -> str:
    return answer(question, TODAY).answer


def test_the_steps_between_two_named_steps_in_printed_order() -> None:
    text = text_of("湘潭那边现场路演过了以后，一直到钱拨下来，还要经过哪些环节？")
    positions = [text.find(w) for w in ("考察", "党组会", "合同书")]
    assert -1 not in positions and positions == sorted(positions)
    assert "征集需求阶段" not in text  # steps before the one named are not the chain


def test_a_state_reached_then_what_follows_up_to_the_goal() -> None:
    text = text_of("湘潭的发榜企业跟揭榜方已经谈好了，接下来要办哪些手续才能拿到补助？")
    for step in ("技术合同", "信息系统", "路演", "党组会", "合同书"):
        assert step in text


def test_a_named_article_lists_all_its_enumerated_steps() -> None:
    text = text_of("景德镇管理办法第九条按顺序都有哪些环节？")
    positions = [
        text.find(w)
        for w in ("需求征集", "论证遴选", "发布榜单", "揭榜申报", "揭榜评审", "合同签定", "资金拨付")
    ]
    assert -1 not in positions and positions == sorted(positions)


def test_the_whole_flow_of_a_section_from_submission_to_release() -> None:
    text = text_of("泉州这次摸底，从单位报需求一直到张榜，完整的流程是什么？")
    for step in ("12月5日", "工信部门", "12月12日", "论证", "成熟一批"):
        assert step in text


def test_one_printed_list_of_steps_is_the_answer() -> None:
    text = text_of("辽宁那个平台里面需求怎么填报，能一步一步讲讲吗？")
    assert "新增指南" in text and "初审单位" in text


@pytest.mark.parametrize(
    ("question", "flow"),
    [
        ("路演结束以后还要走哪些步骤？", True),
        ("市里收到需求以后怎么处理？", True),
        ("整个过程分几个阶段？", False),  # dated phases, not steps
        ("评审的时间安排是怎样的？", False),
        ("需求表交给谁？", False),
    ],
)
def test_what_asks_for_a_flow(question: str, flow: bool) -> None:
    assert asks_flow(question) is flow


def test_a_recommending_office_asking_its_duties_gets_every_step_of_its_own() -> None:
    text = text_of("我们是景德镇某县科技局，企业的征集表交到我们这里以后，我们需要做什么？")
    for step in ("真实性", "9月25日", "计划科", "一式二份"):
        assert step in text


def test_until_a_goal_the_chain_runs_to_the_last_step_so_named() -> None:
    text = text_of("湘潭项目路演过了，还要走哪些程序才算正式立项？")
    assert "党组会" in text and "公示" in text


def test_the_next_step_is_one_step() -> None:
    text = text_of("湘潭我们和揭榜方谈成了，技术合同也签好了，下一步在哪里申报？")
    assert "信息系统" in text
    assert "党组会" not in text  # not the rest of the flow


def test_a_part_asking_the_stages_does_not_make_the_next_part_a_stage_list() -> None:
    text = text_of("辽宁在线填报的具体操作步骤？平台网址多少？")
    assert "218.60.151.64" in text
