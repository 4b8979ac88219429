"""Handler level: the real Application, every Bot API call recorded by an in-process fake.

Each test feeds updates the way getUpdates would and checks exactly what the bot sent back.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from html import escape
from pathlib import Path
from typing import Any

import pytest

from bot import telegram_app
from bot.telegram_persistence import SQLitePersistence
from bot.telegram_runtime import journal_of, replay_inbox
from bot.telegram_workers import interview_step
from knowledge.answer import answer
from knowledge.cite import display
from knowledge.settings import get_settings
from tests.fake_bot_api import Call, FakeTelegram, check_html
from tests.telegram_fakes import BotHarness, docx_cells, run, running_bot, settings_for

USER, OTHER = 5001, 5002


def html_ok(calls: list[Call]) -> None:
    for c in calls:
        if c.method in ("sendMessage", "editMessageText") and c.params.get("parse_mode") == "HTML":
            check_html(c.text)


def keyboard_of(core: FakeTelegram, call: Call) -> list[dict[str, Any]]:
    """The buttons the message sent by `call` shows now (after any edits of its keyboard)."""
    message = core.message_of(call) or {}
    return [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def callbacks(calls: list[Call]) -> list[str]:
    return [b["callback_data"] for c in calls for b in c.buttons()]


def answered(core: FakeTelegram, since: int) -> list[Call]:
    return core.sent(method="answerCallbackQuery", since=since)


# -- commands and questions -----------------------------------------------------------------------


def test_start_help_and_unknown_command(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "/start")
            assert len(out) == 1 and out[0].method == "sendMessage"
            for short in ("泉州", "湘潭", "景德镇", "辽宁", "龙泉"):
                assert f"<b>{short}</b>" in out[0].text
            out = await bot.text(USER, "/help")
            assert "/draft" in out[0].text and "/deadlines" in out[0].text
            out = await bot.text(USER, "/nosuchthing")
            assert "没有 /nosuchthing 这个命令" in out[0].text
            html_ok(bot.core.calls)

    run(scenario())


def test_question_gets_cited_html_answer_with_source_and_feedback_buttons(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "泉州的需求表最晚什么时候交？")
            msgs = [c for c in out if c.method == "sendMessage"]
            assert msgs, out
            last = msgs[-1]
            assert "<b>来源</b>" in last.text and "<blockquote>" in last.text and "<b>[1]</b>" in last.text
            assert last.params["parse_mode"] == "HTML"
            engine = answer("泉州的需求表最晚什么时候交？")
            sent = "".join(m.text for m in msgs)
            for c in engine.citations:  # the engine's answer, every source quoted verbatim (escaped)
                assert f"<b>[{c.n}]</b> {escape(c.path, quote=False)}" in sent
                assert escape(display(c.quote), quote=False) in sent
            data = callbacks([last])
            assert sum(d.startswith("src|") for d in data) == len(engine.citations)
            assert any(d.startswith("src|quanzhou|") for d in data)
            assert {d.rsplit("|", 1)[-1] for d in data if d.startswith("fb|")} == {"u", "d"}
            assert all(len(d.encode()) <= 64 for d in data)
            html_ok(out)

            mark = bot.core.mark()
            source = next(d for d in data if d.startswith("src|"))
            await bot.press(USER, last, source)
            passage = bot.core.sent(USER, "sendMessage", since=mark)
            assert len(answered(bot.core, mark)) == 1
            cited = next(c for c in engine.citations if source == f"src|{c.notice}|{c.start}|{c.end}")
            assert f"<u>{escape(cited.quote, quote=False)}</u>" in passage[0].text
            assert "泉科〔2023〕179号" in passage[0].text
            html_ok(passage)

            up = next(d for d in data if d.endswith("|u"))
            mark = bot.core.mark()
            await bot.press(USER, last, up)
            assert bot.app.bot_data["stats"]["up"] == 1
            edits = bot.core.sent(method="editMessageReplyMarkup", since=mark)
            assert edits and "已评价 👍" in json.dumps(edits[0].params, ensure_ascii=False)

            mark = bot.core.mark()
            await bot.press(OTHER, last, next(d for d in data if d.endswith("|d")))
            assert bot.app.bot_data["stats"]["down"] == 0  # someone else's answer: not counted
            assert bot.core.sent(method="answerCallbackQuery", since=mark)[0].params.get("show_alert") is True

    run(scenario())


def test_follow_up_question_inherits_the_notice(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            await bot.text(USER, "湘潭的财政补助比例是多少？")
            assert bot.app.user_data[USER]["context"]["notices"] == ["xiangtan"]
            out = await bot.text(USER, "联系人是谁？")
            assert "湘潭" in out[-1].text
            out = await bot.text(USER, "那景德镇呢？")  # the topic is kept, the notice switched
            assert "景德镇" in out[-1].text and "计划科" in out[-1].text
            out = await bot.text(USER, "深圳的揭榜挂帅什么时候截止？")  # a new place overrides it
            assert "58570302" not in out[-1].text and "深圳" in out[-1].text
            await bot.text(USER, "/cancel")
            assert "context" not in bot.app.user_data[USER]

    run(scenario())


def test_refused_question_and_admin_only_stats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIEBANG_ADMIN_IDS", f"{OTHER}")
    get_settings.cache_clear()

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            for _ in range(2):
                out = await bot.text(USER, "北京市的揭榜挂帅政策是什么？")
                assert "抱歉" in out[-1].text
            await bot.text(USER, "泉州的截止时间")
            out = await bot.text(USER, "/stats")
            assert "仅供管理员" in out[0].text and "JIEBANG_ADMIN_IDS" in out[0].text
            out = await bot.text(OTHER, "/stats")
            assert "提问：3（拒答 2）" in out[0].text
            assert "北京市的揭榜挂帅政策是什么？（2 次）" in out[0].text
            html_ok(out)

    run(scenario())


def test_notices_and_deadlines_against_today_in_shanghai(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIEBANG_TODAY", "2023-12-01")
    get_settings.cache_clear()

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            cards = await bot.text(USER, "/notices")
            assert len(cards) == 5
            quanzhou = next(c for c in cards if "泉科〔2023〕179号" in c.text)
            assert "2023年12月5日截止 · <b>还有 4 天</b>" in quanzhou.text
            jdz = next(c for c in cards if "景科字〔2022〕56号" in c.text)
            assert "已过" in jdz.text
            out = await bot.text(USER, "/deadlines")
            text = "".join(c.text for c in out)
            assert "今天是 2023年12月1日" in text and "还有 11 天" in text  # 泉州 12月12日
            html_ok(cards + out)

    run(scenario())


def test_inline_mode_offers_rule_cards_with_citations(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            mark = bot.core.mark()
            await bot.feed(bot.core.inline_update(USER, "泉州 截止"))
            calls = bot.core.sent(method="answerInlineQuery", since=mark)
            assert len(calls) == 1
            results = calls[0].params["results"]
            assert 2 <= len(results) <= 10
            titles = [r["title"] for r in results]
            assert any("截止时间" in t for t in titles) and any("联系方式" in t for t in titles)
            for r in results:
                content = r["input_message_content"]
                check_html(content["message_text"])
                assert content["parse_mode"] == "HTML"
                assert len(r["id"].encode()) <= 64
            assert all("<b>来源</b>" in r["input_message_content"]["message_text"] for r in results)
            mark = bot.core.mark()
            await bot.feed(bot.core.inline_update(USER, ""))
            assert len(bot.core.sent(method="answerInlineQuery", since=mark)[0].params["results"]) == 5

    run(scenario())


# -- bad input ------------------------------------------------------------------------------------


def test_bad_input_gets_a_clear_reply(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            for payload in (bot.core.sticker_update(USER), bot.core.photo_update(USER)):
                mark = bot.core.mark()
                await bot.feed(payload)
                out = bot.core.sent(USER, "sendMessage", since=mark)
                assert len(out) == 1 and "只能看懂文字" in out[0].text
            out = await bot.text(USER, "长" * 10_000)
            assert len(out) == 1 and "问题太长了（10000 字）" in out[0].text
            mark = bot.core.mark()
            await bot.feed(bot.core.edited_update(USER, "改过的问题"))
            assert "重新发一条" in bot.core.sent(USER, since=mark)[0].text
            out = await bot.text(USER, "   ")
            # one reply; a "typing…" action may precede it when the machine is slow (shared CI cores)
            assert len([c for c in out if c.method == "sendMessage"]) == 1
            for data in (
                "garbage",
                "src|nowhere|1|2",
                "src|quanzhou|999999|9999999",
                "fb|999|u",
                "d|ffffffffffff|o|0|0",
            ):
                mark = bot.core.mark()
                await bot.feed(bot.core.callback_update(USER, None, data))
                acks = answered(bot.core, mark)
                assert len(acks) == 1 and acks[0].params.get("show_alert") is True, data

    run(scenario())


def test_error_handler_logs_traceback_without_token_and_conversation_continues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls = {"n": 0}
    real = telegram_app.run_engine

    async def flaky(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("engine exploded while token 123:TEST was around")
        return await real(*args)

    monkeypatch.setattr(telegram_app, "run_engine", flaky)

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "泉州的截止时间")
            assert out[-1].text == telegram_app.SORRY
            out = await bot.text(USER, "泉州的截止时间")
            assert "<b>来源</b>" in out[-1].text

    with caplog.at_level(logging.ERROR, logger="jiebang.telegram"):
        run(scenario())
    record = next(r for r in caplog.records if r.exc_info)
    from bot.telegram_runtime import TokenRedactingFormatter

    text = TokenRedactingFormatter("123:TEST").format(record)
    assert "Traceback" in text and "RuntimeError" in text
    assert "123:TEST" not in text and "<token>" in text


# -- persistence ----------------------------------------------------------------------------------


def test_state_is_written_after_each_update_and_survives_a_new_process(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    core = FakeTelegram()  # one Telegram across both processes: update ids keep increasing

    async def first() -> None:
        async with running_bot(settings, core) as bot:
            await bot.text(USER, "景德镇的联系人是谁？")
            db = sqlite3.connect(tmp_path / "telegram.sqlite3")
            row = db.execute("SELECT value FROM kv WHERE kind='user' AND key=?", (str(USER),)).fetchone()
            db.close()
            assert row is not None and json.loads(row[0])["context"]["notices"] == ["jingdezhen"]
            out = await bot.text(USER, "/draft 龙泉")
            assert "d|new|longquan-association" in callbacks(out)
            await bot.press(USER, out[-1], "d|new|longquan-association")

    async def second() -> None:
        async with running_bot(settings, core) as bot:
            assert bot.app.user_data[USER]["context"]["notices"] == ["jingdezhen"]
            out = await bot.text(USER, "龙泉市茶叶行业协会")
            assert "已记录" in out[0].text and "第2/7项" in out[0].text

    run(first())
    run(second())


# -- drafting -------------------------------------------------------------------------------------

LONGQUAN_ASSOCIATION = [
    ("text", "龙泉市茶叶行业协会"),
    ("text", "李明"),
    ("text", "13957812345"),
    ("text", "龙泉黄茶加工关键技术攻关"),
    ("text", "龙泉黄茶是地方特色产业，" + "加工环节自动化程度低，品质稳定性不足，亟需攻关。" * 3),
    ("text", "研究黄茶闷黄工艺参数的在线监测与控制，" + "建立标准化加工工艺体系。" * 3),
    ("button", "公益性技术应用研究自筹类项目"),
]

QUANZHOU = [
    ("text", "智能装备（鞋服智能制造）"),
    ("text", "高端鞋服智能制造关键技术攻关"),
    ("text", "泉州鸿运鞋业科技有限公司"),
    ("multi", ["骨干企业", "高新技术企业"]),
    ("text", "王建国"),
    ("text", "技术总监"),
    ("text", "13805951234"),
    ("text", "0595-22579329"),
    ("text", "跳过"),
    ("text", "鞋面自动缝制的视觉定位精度不足，" + "柔性材料变形导致缝制偏差，影响良品率。" * 3),
    ("text", "目前定位精度约1毫米，良品率92%。"),
    ("text", "定位精度达到0.2毫米，良品率不低于98%，单线产能提高30%。"),
    ("text", "2026年6月30日"),
    ("text", "1000"),
    ("text", "500"),
    ("text", "200"),
    ("text", "300"),
    ("text", "400"),
    ("text", "知识产权归技术需求方与攻关单位共有，具体比例由合同约定。"),
    ("text", "项目实施后预计年新增产值5000万元，带动上下游企业20家以上。"),
]


async def draft_form(bot: BotHarness, user: int, form_id: str, answers: list[tuple[str, Any]]) -> list[Call]:
    """Pick the form from the /draft keyboard, answer every field (buttons for choices), /export."""
    out = await bot.text(user, "/draft")
    picker = out[-1]
    await bot.press(user, picker, f"d|new|{form_id}")
    for kind, value in answers:
        question = bot.core.sent(user, "sendMessage")[-1]
        if kind == "text":
            out = await bot.text(user, value)
        elif kind == "button":
            data = next(b["callback_data"] for b in question.buttons() if b["text"].startswith(value[:20]))
            out = await bot.press(user, question, data)
        else:
            keyboard = question.buttons()
            for option in value:
                button = next(b for b in keyboard if option in b["text"])
                await bot.press(user, question, button["callback_data"])
                keyboard = keyboard_of(bot.core, question)
            done = next(b for b in keyboard if b["text"].startswith("✔️"))
            out = await bot.press(user, question, done["callback_data"])
        replies = [c for c in out if c.method == "sendMessage"]
        assert replies and "还不能记录" not in replies[-1].text, (value, replies[-1].text if replies else out)
    mark = bot.core.mark()
    await bot.text(user, "/export")
    return bot.core.sent(user, since=mark)


def test_full_draft_longquan_association_ends_in_docx(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await draft_form(bot, USER, "longquan-association", LONGQUAN_ASSOCIATION)
            docs = [c for c in out if c.method == "sendDocument"]
            assert len(docs) == 1, [c.text for c in out]
            name, content = docs[0].files["document"]
            assert name.endswith(".docx") and "草稿" not in name
            cells = docx_cells(content)
            assert "龙泉市茶叶行业协会" in cells and "李明" in cells and "13957812345" in cells
            assert any(c == "龙泉黄茶加工关键技术攻关" for c in cells)
            assert any("☑" in c and "公益性技术应用研究自筹类项目" in c for c in cells) or any(
                "■" in c or "√" in c for c in cells if "公益性" in c
            )
            assert bot.app.bot_data["stats"]["exports"] == 1 and bot.app.bot_data["stats"]["drafts"] == 1
            html_ok(bot.core.calls)

    run(scenario())


def test_full_draft_quanzhou_with_multi_choice_validation_and_char_counts(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "/draft 泉州")
            assert "d|new|quanzhou" in callbacks(out)
            await bot.press(USER, out[-1], "d|new|quanzhou")
            await bot.text(USER, str(QUANZHOU[0][1]))
            out = await bot.text(USER, "/summary")
            summary = out[-1]
            edit_buttons = [d for d in callbacks([summary]) if "|e|" in d]
            assert len(edit_buttons) == 20 and all(len(d.encode()) <= 64 for d in callbacks([summary]))
            await bot.press(USER, summary, next(d for d in callbacks([summary]) if d.endswith("|c")))
            for _kind, value in QUANZHOU[1:6]:
                await bot.text(USER, value if isinstance(value, str) else "，".join(value))
            out = await bot.text(USER, "12345")
            assert "还不能记录" in out[-1].text and "第7/20项" in out[-1].text
            draft_id = next(d for d in callbacks(out) if d.startswith("d|")).split("|")[1]
            for _kind, value in QUANZHOU[6:9]:
                await bot.text(USER, str(value))
            out = await bot.text(USER, str(QUANZHOU[9][1]))
            assert "/500字，还可写" in out[-1].text
            for _kind, value in QUANZHOU[10:]:
                await bot.text(USER, str(value))
            out = await bot.text(USER, "/edit 单位性质")
            question = out[-1]
            for option in ("骨干企业", "高新技术企业"):
                button = next(b for b in keyboard_of(bot.core, question) if option in b["text"])
                await bot.press(USER, question, button["callback_data"])
            done = next(b for b in keyboard_of(bot.core, question) if b["text"].startswith("✔️"))
            out = await bot.press(USER, question, done["callback_data"])
            mark = bot.core.mark()
            await bot.text(USER, "/export")
            out = bot.core.sent(USER, since=mark)
            docs = [c for c in out if c.method == "sendDocument"]
            assert len(docs) == 1, [c.text for c in out]
            cells = docx_cells(docs[0].files["document"][1])
            joined = "\n".join(cells)
            for value in ("泉州鸿运鞋业科技有限公司", "王建国", "技术总监", "高端鞋服智能制造关键技术攻关"):
                assert value in cells, value
            assert "手机：13805951234" in cells and "电话：0595-22579329" in cells
            assert "□龙头企业 ☑骨干企业（☑高新技术企业、□科技小巨人企业、□专精特新企业）" in cells
            assert "研发总预算 1000 万元" in joined and "财政资金 200 万元" in joined
            assert "提供研发资金不少于 400 万元" in joined and "2026年6月30日前完成" in joined
            assert draft_id in {p.stem for p in (tmp_path / "drafts").rglob("*.json")}
            html_ok(bot.core.calls)

    run(scenario())


def test_export_refused_until_valid_unless_a_draft_is_asked_for(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "/export")
            assert "还没有进行中的草稿" in out[0].text
            out = await bot.text(USER, "/draft")
            await bot.press(USER, out[-1], "d|new|jingdezhen")
            await bot.text(USER, "陶瓷新材料")
            out = await bot.text(USER, "/export")
            assert not [c for c in out if c.method == "sendDocument"]
            assert "暂不能导出正式文件" in out[0].text and "必填项" in out[0].text
            out = await bot.text(USER, "/export 草稿")
            docs = [c for c in out if c.method == "sendDocument"]
            assert len(docs) == 1 and "草稿" in docs[0].files["document"][0]
            assert "陶瓷新材料" in docx_cells(docs[0].files["document"][1])

    run(scenario())


def test_stale_and_forged_buttons_never_touch_a_draft(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "/draft")
            await bot.press(USER, out[-1], "d|new|longquan-association")
            for _, value in LONGQUAN_ASSOCIATION[:6]:
                await bot.text(USER, value)
            question = bot.core.sent(USER, "sendMessage")[-1]
            option = next(d for d in callbacks([question]) if "|o|" in d)
            draft_id = option.split("|")[1]
            path = next((tmp_path / "drafts").rglob(f"{draft_id}.json"))
            before = path.read_bytes()

            mark = bot.core.mark()  # another user replays user 1's button data
            await bot.press(OTHER, question, option)
            assert path.read_bytes() == before
            assert answered(bot.core, mark)[0].params["show_alert"] is True
            assert not bot.core.sent(OTHER, "sendMessage", since=mark)
            assert not (tmp_path / "drafts" / f"u-{OTHER}").exists()

            out = await bot.text(USER, "/edit 1")  # now the option button is from an older question
            mark = bot.core.mark()
            await bot.press(USER, question, option)
            assert path.read_bytes() != before  # the edit moved the cursor …
            moved = path.read_bytes()
            assert "之前的问题" in answered(bot.core, mark)[0].params["text"]
            assert path.read_bytes() == moved  # … but the stale button changed nothing
            for payload in (bot.core.sticker_update(USER), bot.core.photo_update(USER)):
                mark = bot.core.mark()
                await bot.feed(payload)
                sent = bot.core.sent(USER, "sendMessage", since=mark)
                assert "只能读文字" in sent[0].text and "第1/7项" in sent[-1].text
            assert json.loads(path.read_text())["answers"] == json.loads(moved)["answers"]
            out = await bot.text(USER, "/cancel")
            assert "已暂停" in out[0].text
            out = await bot.text(USER, "泉州的截止时间")
            assert "<b>来源</b>" in out[-1].text  # back to questions after /cancel

    run(scenario())


def test_mid_draft_question_with_ask_and_resume(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "/draft")
            await bot.press(USER, out[-1], "d|new|longquan-association")
            await bot.text(USER, "龙泉市茶叶行业协会")
            out = await bot.text(USER, "/ask 龙泉的截止时间")
            assert "<b>来源</b>" in out[-1].text
            out = await bot.text(USER, "李明")
            assert "已记录" in out[0].text and "第3/7项" in out[0].text
            await bot.text(USER, "/cancel")
            out = await bot.text(USER, "/resume")
            assert "第3/7项" in out[-1].text

    run(scenario())


def test_two_users_interleaved_each_see_only_their_own_draft(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            for user in (USER, OTHER):
                out = await bot.text(user, "/draft")
                await bot.press(user, out[-1], "d|new|longquan-association")
            await bot.text(USER, "甲协会")
            await bot.text(OTHER, "乙协会")
            out_a = await bot.text(USER, "/summary")
            out_b = await bot.text(OTHER, "/summary")
            assert "甲协会" in out_a[-1].text and "乙协会" not in out_a[-1].text
            assert "乙协会" in out_b[-1].text and "甲协会" not in out_b[-1].text
            assert all(c.chat_id == USER for c in out_a) and all(c.chat_id == OTHER for c in out_b)

    run(scenario())


def test_update_received_before_a_crash_is_handled_once_after_restart(tmp_path: Path) -> None:
    """The updater had fetched (and so confirmed) an update when the process died: the inbox has it."""
    core = FakeTelegram()
    crashed = SQLitePersistence(tmp_path / "telegram.sqlite3")
    uid = next(core.update_ids)
    crashed.journal(uid, {"update_id": uid, **core.text_update(USER, "/help")})
    crashed.close()

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path), core) as bot:
            assert await replay_inbox(bot.app) == 1
            await bot.app.update_queue.join()
            assert len(core.sent(USER, "sendMessage")) == 1
            assert await replay_inbox(bot.app) == 0  # handled: gone from the inbox
            mark = core.mark()
            await bot.feed(core.text_update(USER, "/help"), update_id=uid)  # Telegram re-sends it
            assert core.sent(USER, since=mark) == []

    run(scenario())


def test_draft_step_interrupted_by_a_crash_is_not_applied_twice(tmp_path: Path) -> None:
    """The step had written the draft (stamped with the update) when the process died, before its
    reply was recorded: the replayed update is recognised, not applied to the next field, and the
    user is told it was recorded and shown the next question."""

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "/draft")
            await bot.press(USER, out[-1], "d|new|longquan-association")
            await bot.text(USER, "龙泉市茶叶行业协会")
            uid = next(bot.core.update_ids)
            interview_step(str(tmp_path / "drafts"), str(USER), [], [], "handle", ("李明",), f"tg{uid}")
            draft = next((tmp_path / "drafts").rglob("????????????.json"))
            before = json.loads(draft.read_text())
            assert before["step"] == f"tg{uid}" and before["state"]["current"] == "contact_phone"
            journal = journal_of(bot.app)
            assert journal is not None
            journal.replayed.add(uid)  # as replay_inbox marks it after a restart
            mark = bot.core.mark()
            await bot.feed(bot.core.text_update(USER, "李明"), update_id=uid)
            sent = bot.core.sent(USER, "sendMessage", since=mark)
            assert len(sent) == 1 and "已经记录，不会重复记录" in sent[0].text and "第3/7项" in sent[0].text
            assert json.loads(draft.read_text())["answers"] == before["answers"]
            out = await bot.text(USER, "13957812345")
            assert "已记录" in out[0].text and "第4/7项" in out[-1].text

    run(scenario())


def test_drafting_on_an_unwritable_drafts_dir_replies_in_chinese(tmp_path: Path) -> None:
    """A draft that cannot be written (here the drafts dir is a file) is a Chinese reply with the fix,
    not the error handler's apology; once the disk is fixed the same button starts the draft."""
    (tmp_path / "drafts").write_text("x", encoding="utf-8")

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            out = await bot.text(USER, "/draft")
            picker = out[-1]
            mark = bot.core.mark()
            await bot.press(USER, picker, "d|new|longquan-association")
            sent = bot.core.sent(USER, "sendMessage", since=mark)
            assert len(sent) == 1 and sent[0].text != telegram_app.SORRY
            assert "草稿未能保存" in sent[0].text and "JIEBANG_DATA_DIR" in sent[0].text
            assert str(tmp_path / "drafts") in sent[0].text and "没有开始新的草稿" in sent[0].text
            html_ok(sent)
            out = await bot.text(USER, "龙泉的截止时间")  # the chat goes on
            assert "<b>来源</b>" in out[-1].text
            (tmp_path / "drafts").unlink()
            out = await bot.text(USER, "/draft")
            await bot.press(USER, out[-1], "d|new|longquan-association")
            assert "第1/7项" in bot.core.sent(USER, "sendMessage")[-1].text

    run(scenario())
