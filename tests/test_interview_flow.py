"""The interview engine end to end: every form drafted by chat, every command, restarts, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from bot.drafts import Draft, DraftError, DraftStore, user_dir_name
from bot.interview import DraftSession, InterviewReply, recommend_forms
from knowledge.formspec import form_ids, load_form
from tests.test_export_docx import cells_of, needles
from tests.test_forms_spec import chat_text, example_values

FORM_ORDER = tuple(form_ids())


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def fill_by_chat(session: DraftSession, form_id: str, values: dict[str, Any] | None = None) -> InterviewReply:
    """Answer every question the way a person would type it; skip what the example leaves empty."""
    form = load_form(form_id)
    values = example_values(form_id) if values is None else values
    reply = session.start(form_id)
    for _ in range(len(form.fields) + 5):
        if reply.mode == "summary":
            return reply
        assert reply.field_id is not None, reply.text
        f = form.field(reply.field_id)
        text = chat_text(f, values[f.id]) if f.id in values else "跳过"
        reply = session.handle(text)
        assert not [p for p in reply.problems if p.severity == "error" and p.field == f.id], reply.text
    raise AssertionError("the interview did not reach the summary")


def saved(store: DraftStore, user: str, draft_id: str) -> dict[str, Any]:
    return store.load(user, draft_id).answers


# --- every form, end to end ------------------------------------------------------------------------------


@pytest.mark.parametrize("form_id", FORM_ORDER)
def test_every_form_can_be_drafted_by_chat_and_exported(form_id: str, store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    summary = fill_by_chat(session, form_id)
    assert "没有错误了" in summary.text, summary.text
    assert session.values == example_values(form_id)
    reply = session.handle("导出")
    assert reply.document and Path(reply.document).exists() and reply.done, reply.text
    assert reply.json_document and Path(reply.json_document).exists()
    form = load_form(form_id)
    doc = Document(reply.document)
    table = doc.tables[0]
    positions = cells_of(form, session.values)
    heading = "\n".join(p.text for p in doc.paragraphs)
    for fid, value in session.values.items():
        if not form.field(fid).printed:
            continue
        where = "\n".join(table.cell(r, c).text for r, c in positions[fid]) if fid in positions else heading
        for needle in needles(form, fid, value):
            assert needle in where, (fid, needle)


def test_progress_label_limit_and_guidance(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    first = session.start("quanzhou")
    assert first.progress == "第1/20项" and first.field_id == "industry"
    assert "第1/20项 · 所属行业领域" in first.text and "九大千亿产业" in first.text
    reply = session.handle("修改 技术难题概述")
    assert reply.progress == "第10/20项"
    assert "第10/20项 · 技术难题概述（限500字）" in reply.text and "卡脖子" in reply.text
    choice = session.handle("修改 单位性质")
    assert choice.options[:2] == ["龙头企业", "骨干企业"] and choice.multiple
    optional = session.handle("修改 目前的技术指标参数")
    assert "（选填）" in optional.text and "如属于填补空白" in optional.text


def test_echo_normalised_value_and_live_character_count(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    reply = session.handle("修改 研发总预算")
    reply = session.handle("1,200万")
    assert "已记录：研发总预算 = 1200万元" in reply.text
    session.handle("修改 技术难题概述")
    reply = session.handle("现有鞋底难以降解。")
    assert "（9/500字，还可写491字）" in reply.text


def test_invalid_answer_is_reasked_with_the_rule_and_nothing_saved(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    session.handle("修改 财政资金")
    reply = session.handle("350万")
    assert reply.field_id == "fiscal_funds"
    assert "财政资金不超过300万元（泉州通知附件1），您填写了350万元" in reply.text
    assert reply.problems[0].code == "above_cap"
    assert "fiscal_funds" not in saved(store, "u1", session.draft.id)  # type: ignore[union-attr]
    reply = session.handle("300")
    assert "已记录：财政资金 = 300万元" in reply.text


def test_skip_back_and_nothing_is_lost(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    session.handle("纺织鞋服")
    reply = session.handle("跳过")
    assert "必填项，导出前需要补上" in reply.text and reply.field_id == "lead_unit"
    session.handle("泉州鸿运鞋业科技有限公司")
    reply = session.handle("返回")
    assert reply.field_id == "lead_unit" and "当前答案：泉州鸿运鞋业科技有限公司" in reply.text
    reply = session.handle("返回")
    reply = session.handle("返回")
    assert reply.field_id == "industry"
    reply = session.handle("返回")
    assert "已经是第一项了" in reply.text
    reply = session.handle("跳过")
    assert "已保留" in reply.text
    assert (
        session.values["industry"] == "纺织鞋服" and session.values["lead_unit"] == "泉州鸿运鞋业科技有限公司"
    )


def test_edit_from_summary_comes_back_with_rules_rerun(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    fill_by_chat(session, "quanzhou")
    session.handle("修改 研发总预算")
    reply = session.handle("1300")
    assert reply.mode == "summary"
    assert "研发总预算应等于" in reply.text and "相差100万元" in reply.text
    assert any(p.code == "sum_mismatch" for p in reply.problems)
    refused = session.handle("导出")
    assert refused.document is None and "暂不能导出" in refused.text
    reply = session.handle("修改 研发总预算：1200万")
    assert reply.mode == "summary" and "没有错误了" in reply.text
    assert not [p for p in reply.problems if p.severity == "error"]


def test_edit_unknown_field_leaves_the_draft_alone(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    session.handle("纺织鞋服")
    before = dict(session.values)
    reply = session.handle("修改 不存在的项目")
    assert "表中没有“不存在的项目”这一项" in reply.text and reply.field_id == "title"
    reply = session.handle("修改 999")
    assert "表中没有“999”" in reply.text
    assert session.values == before == saved(store, "u1", session.draft.id)  # type: ignore[union-attr]
    result = session.set_field("nope", "x")
    assert result.errors[0].code == "unknown_field"
    reply = session.handle("修改")
    assert "要修改哪一项" in reply.text and reply.field_id == "title" and "title" not in session.values


def test_summary_then_continue(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("jingdezhen")
    session.handle("陶瓷")
    reply = session.handle("查看")
    assert (
        reply.mode == "summary" and "1. 所属行业领域：陶瓷" in reply.text and "✗ 未填（必填）" in reply.text
    )
    assert "— 未填（选填）" in reply.text
    reply = session.handle("继续")
    assert reply.field_id == "sub_direction"


def test_cancel_then_resume_after_restart(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("xiangtan")
    session.handle("湘潭华电机电科技有限公司")
    draft_id = session.draft.id  # type: ignore[union-attr]
    reply = session.handle("取消")
    assert reply.done and draft_id in reply.text and session.draft is None
    restarted = DraftSession(DraftStore(store.root), "u1")
    assert restarted.draft is None
    reply = restarted.handle("继续")
    assert reply.field_id == "credit_code" and restarted.values["org_name"] == "湘潭华电机电科技有限公司"


def test_restart_mid_question_resumes_the_active_draft(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("longquan-association")
    session.handle("龙泉市汽车空调零部件行业协会")
    again = DraftSession(DraftStore(store.root), "u1")
    assert again.draft is not None and again.draft.state.current == "contact_name"
    reply = again.handle("吴晓峰")
    assert "已记录" in reply.text and reply.field_id == "contact_phone"


def test_to_dict_from_dict_roundtrip_without_a_store() -> None:
    session = DraftSession(None, "tg-42")
    session.start("longquan")
    session.handle("龙泉市青瓷文化创意有限公司")
    data = json.loads(json.dumps(session.to_dict(), ensure_ascii=False))
    copy = DraftSession.from_dict(data)
    assert copy.values == session.values and copy.draft.state == session.draft.state  # type: ignore[union-attr]
    assert copy.handle("叶青松").field_id == session.handle("叶青松").field_id == "contact_phone"


def test_paste_in_fills_many_fields_each_validated(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    text = (
        "需求（难题）题目：高强度可降解鞋底材料\n"
        "财政资金：350万\n"
        "研发总预算：1,200万\n"
        "技术难题概述：第一行说明。\n"
        "第二行继续说明。\n"
        "手机：138 0595 1234"
    )
    reply = session.handle(text)
    assert "已从粘贴内容填入4项" in reply.text
    assert "财政资金不超过300万元" in reply.text
    values = saved(store, "u1", session.draft.id)  # type: ignore[union-attr]
    assert values["rd_total"] == 1200 and values["contact_mobile"] == "13805951234"
    assert values["problem_overview"] == "第一行说明。\n第二行继续说明。"
    assert "fiscal_funds" not in values
    assert reply.field_id == "industry"  # the pending question is asked again


def test_hundred_kilobytes_control_characters_emoji_and_wrong_kinds(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    session.handle("纺织鞋服")
    before = dict(saved(store, "u1", session.draft.id))  # type: ignore[union-attr]
    huge = session.handle("长" * 100_000)
    assert "内容过长" in huge.text and huge.field_id == "title"
    emoji = session.handle("鞋底😀")
    assert "表情符号" in emoji.text and emoji.field_id == "title"
    assert saved(store, "u1", session.draft.id) == before  # type: ignore[union-attr]
    ctrl = session.handle("高强度\x00可降解\x1b鞋底")
    assert "控制字符" in ctrl.text and session.values["title"] == "高强度可降解鞋底"
    session.handle("修改 姓名")
    wrong = session.handle("13905951234")
    assert "应填写人名" in wrong.text
    session.handle("修改 研发总预算")
    wrong = session.handle("很多钱")
    assert "请填写金额数字" in wrong.text
    session.handle("修改 技术难题概述")
    wrong = session.handle("12345")
    assert "应填写文字说明" in wrong.text


def test_exporting_an_empty_draft_gets_a_clear_message(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    for command in ("导出", "导出草稿"):
        reply = session.handle(command)
        assert reply.document is None and "还没有填写任何内容" in reply.text
    assert session.draft is not None  # nothing lost, still drafting


def test_export_draft_labelled(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    session.handle("纺织鞋服")
    reply = session.handle("导出草稿")
    assert reply.document and "草稿" in Path(reply.document).name and not reply.done
    assert "末尾列出了" in reply.text


def test_several_drafts_per_user_and_users_are_isolated(store: DraftStore) -> None:
    alice = DraftSession(store, "alice")
    alice.start("quanzhou")
    alice.handle("纺织鞋服")
    alice.start("xiangtan")
    bob = DraftSession(store, "bob")
    bob.start("liaoning")
    assert {d.form_id for d in store.list("alice")} == {"quanzhou", "xiangtan"}
    assert [d.form_id for d in store.list("bob")] == ["liaoning"]
    with pytest.raises(DraftError):
        store.load("bob", alice.draft.id)  # type: ignore[union-attr]
    reply = bob.resume(alice.draft.id)  # type: ignore[union-attr]
    assert "没有找到" in reply.text and bob.draft is not None and bob.draft.form_id == "liaoning"
    listing = alice.handle("我的草稿")
    assert "1. " in listing.text and "2. " in listing.text
    reply = alice.handle("继续 2")
    assert alice.draft is not None and alice.draft.form_id == "quanzhou" and reply.field_id == "title"


def test_odd_user_ids_stay_inside_the_store(store: DraftStore) -> None:
    for user in ("../../etc", "用户/一", "a\x00b", "x" * 500):
        name = user_dir_name(user)
        assert "/" not in name and ".." not in name and len(name) < 70
        session = DraftSession(store, user)
        session.start("longquan")
        assert store.user_dir(user).resolve().is_relative_to(store.root.resolve())
    with pytest.raises(DraftError):
        store.load("u1", "../../../etc/passwd")


def test_writes_are_atomic_and_corrupt_files_are_kept(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("quanzhou")
    session.handle("纺织鞋服")
    folder = store.user_dir("u1")
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp")]
    broken = folder / "0123456789ab.json"
    broken.write_text("{half a draft", encoding="utf-8")
    assert [d.id for d in store.list("u1")] == [session.draft.id]  # type: ignore[union-attr]
    reply = DraftSession(store, "u1").resume("0123456789ab")
    assert "无法读取" in reply.text and broken.read_text(encoding="utf-8") == "{half a draft"


def test_tampered_values_are_refused_not_exported(store: DraftStore) -> None:
    draft = Draft(user_id="u1", form_id="quanzhou", answers={"rd_total": ["not", "a", "number"]})
    store.save(draft)
    reply = DraftSession(store, "u1").resume(draft.id)
    assert "数据格式不对" in reply.text


def test_delete_needs_confirmation(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    session.start("longquan")
    draft_id = session.draft.id  # type: ignore[union-attr]
    reply = session.handle("删除草稿")
    assert "回复“确认”删除" in reply.text
    reply = session.handle("不了")
    assert "已取消删除" in reply.text and store.list("u1")
    session.handle("删除草稿")
    reply = session.handle("确认")
    assert reply.done and draft_id in reply.text and not store.list("u1")


def test_recommend_forms_by_region_and_role() -> None:
    assert next(f.id for f in recommend_forms("我们是龙泉的行业协会")) == "longquan-association"
    assert next(f.id for f in recommend_forms("泉州科技局要汇总")) == "quanzhou-summary"
    assert [f.id for f in recommend_forms("沈阳的企业")] == ["liaoning"]
    assert [f.id for f in recommend_forms("湘潭高新区")] == ["xiangtan"]
    assert len(recommend_forms("我在火星")) == 9


def test_idle_session_recommends_then_starts(store: DraftStore) -> None:
    session = DraftSession(store, "u1")
    reply = session.handle("我是景德镇浮梁的企业")
    assert reply.options[0] == "jingdezhen" and reply.mode == "idle"
    reply = session.handle("1")
    assert (
        reply.field_id == "industry" and session.draft is not None and session.draft.form_id == "jingdezhen"
    )
    reply = session.handle("新建 longquan")
    assert session.draft is not None and session.draft.form_id == "longquan"


def test_bureau_imports_saved_drafts_into_the_summary(store: DraftStore) -> None:
    company = DraftSession(store, "bureau")
    fill_by_chat(company, "quanzhou")
    second = dict(
        example_values("quanzhou"), title="智能缝制设备视觉定位技术", rd_total=600.0, demand_funds=300.0
    )
    second["fiscal_funds"], second["self_funds"] = 200.0, 100.0
    second.pop("commitment")
    fill_by_chat(company, "quanzhou", second)
    session = DraftSession(store, "bureau")
    session.start("quanzhou-summary")
    session.handle("晋江市科学技术局")
    reply = session.handle("导入草稿")
    assert "已从2份草稿导入2项" in reply.text
    rows = session.values["items"]
    assert {r["title"] for r in rows} == {"高强度可降解运动鞋底材料制备技术", "智能缝制设备视觉定位技术"}
    assert "所属地" in session.summary().text  # 所属地 is not on the company form: still to fill
    reply = session.handle("修改 推荐的重大技术需求")
    lines = "\n".join(
        f"{r['title']}｜{r['industry']}｜{r['lead_org']}｜{r.get('peers', '')}｜{r['budget']:g}｜｜晋江市"
        for r in rows
    )
    reply = session.handle(lines)
    assert "没有错误了" in reply.text, reply.text


def test_terminal_draft_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    answers = iter(["龙泉市汽车空调零部件行业协会", "吴晓峰", "查看"])

    def fake_input(prompt: str = "") -> str:
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    code = main(["draft", "longquan-association", "--user", "term-test"])
    out = capsys.readouterr().out
    assert code == 0
    assert "第1/7项" in out and "已记录：填报单位联系人 = 吴晓峰" in out and "已暂停" in out
    drafts = DraftStore().list("term-test")
    assert drafts and drafts[0].answers["contact_name"] == "吴晓峰"
