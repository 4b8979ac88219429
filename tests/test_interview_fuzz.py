"""Property tests: any sequence of messages leaves the interview working, serialisable and its values valid."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.drafts import DraftStore
from bot.interview import DraftSession
from knowledge.formspec import form_ids, load_form
from validators import answers_model, validate_field

FORM_ORDER = tuple(form_ids())

EXAMPLES = int(os.environ.get("JIEBANG_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

COMMANDS = [
    "跳过",
    "返回",
    "查看",
    "取消",
    "导出",
    "导出草稿",
    "帮助",
    "我的草稿",
    "继续",
    "继续 1",
    "删除草稿",
    "确认",
    "导入草稿",
    "修改 1",
    "修改 财政资金",
    "修改 不存在",
    "修改 财政资金：200",
    "修改",
    "新建 quanzhou",
    "1",
]
messages = st.one_of(
    st.sampled_from(COMMANDS),
    st.text(max_size=40),
    st.sampled_from(
        [
            "1200万",
            "2,3",
            "是：联盟",
            "2026年6月",
            "13812345678",
            "0595-22579329",
            "a@b.cn",
            "泉州鸿运鞋业科技有限公司",
            "陈志明",
            "😀",
            "\x00",
            "财政资金：350\n研发总预算：1200",
            "长" * 600,
        ]
    ),
)


def _check(session: DraftSession) -> None:
    data = json.loads(json.dumps(session.to_dict(), ensure_ascii=False))
    if session.draft is not None and session.form is not None:
        answers_model(session.form.id).model_validate(session.values)
        for fid, value in session.values.items():
            assert validate_field(session.form, session.form.field(fid), value).ok, fid
    assert DraftSession.from_dict(data).values == session.values


@FUZZ
@given(st.sampled_from(FORM_ORDER), st.lists(messages, max_size=12))
def test_fuzz_interview_in_memory(form_id: str, inputs: list[str]) -> None:
    session = DraftSession(None, "fuzz")
    session.start(form_id)
    for text in inputs:
        reply = session.handle(text)
        assert reply.text
        _check(session)


@settings(max_examples=max(10, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FORM_ORDER), st.lists(messages, max_size=10))
def test_fuzz_interview_with_store_never_loses_answers(form_id: str, inputs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = DraftStore(Path(tmp))
        session = DraftSession(store, "fuzz")
        session.start(form_id)
        kept: dict[str, dict[str, Any]] = {}
        for text in inputs:
            session.handle(text)
            if session.draft is not None:
                kept[session.draft.id] = dict(session.values)
        for draft in store.list("fuzz"):
            load_form(draft.form_id)
            if draft.id in kept:
                assert draft.answers == kept[draft.id]
