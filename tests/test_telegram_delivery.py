"""Delivery under faults, at handler level (the real Application, an in-process fake Bot API).

- A crash at every point of a drafting step: the data dir is copied at each side effect (draft
  written, reply about to go out, reply gone out), exactly what a SIGKILL there would leave; a new
  bot starts on the copy and the user's next message, sent while the bot was down, arrives. Nothing
  may be applied twice or to the wrong field, and every message must get its reply.
- Buttons whose callback query can no longer be answered (pressed while the bot was down).
- A Bot API outage longer than the retries: replies are kept and sent before the next one.
- A form list shown while another draft is active; drafting in a group chat; file permissions.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram.request import RequestData

import bot.drafts
import bot.telegram_drafting
from bot.telegram_app import build_application
from bot.telegram_runtime import LOST_REPLY, recover
from bot.telegram_workers import StepResult, interview_step
from tests.fake_bot_api import Call, FakeTelegram
from tests.telegram_fakes import BotHarness, RecordingRequest, run, running_bot, settings_for

USER, GROUP = 6001, -100600
ASSOCIATION = "longquan-association"


def callbacks(calls: list[Call]) -> list[str]:
    return [b["callback_data"] for c in calls for b in c.buttons()]


def draft_json(data_dir: Path, user: int = USER) -> dict[str, Any]:
    """The user's active draft as it is on disk."""
    folder = data_dir / "drafts" / f"u-{user}"
    active = json.loads((folder / "_active.json").read_text(encoding="utf-8"))["draft_id"]
    return dict(json.loads((folder / f"{active}.json").read_text(encoding="utf-8")))


# -- crash at every point of a step -----------------------------------------------------------------


@dataclass
class CrashPoint:
    """Counts the side effects of one update and copies the data dir at the `at`-th one."""

    data_dir: Path
    copy_to: Path
    at: int
    core: FakeTelegram
    armed: bool = False
    events: list[str] = field(default_factory=list)
    crashed_at: str | None = None
    seen_before_crash: list[Call] = field(default_factory=list)

    def event(self, name: str) -> None:
        if not self.armed:
            return
        self.events.append(name)
        if len(self.events) == self.at:
            self.crashed_at = name
            shutil.copytree(self.data_dir, self.copy_to, ignore=shutil.ignore_patterns("*-shm"))
            self.seen_before_crash = list(self.core.by_chat.get(USER, []))


class HookedRequest(RecordingRequest):
    """The recording fake, telling the crash point before and after each message it delivers."""

    def __init__(self, core: FakeTelegram, point: CrashPoint | None) -> None:
        super().__init__(core)
        self.point = point

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        sends = url.rsplit("/", 1)[-1] in ("sendMessage", "sendDocument")
        if sends and self.point is not None:
            self.point.event("before send")
        result = await super().do_request(url, method, request_data)
        if sends and self.point is not None:
            self.point.event("after send")
        return result


@asynccontextmanager
async def bot_on(
    data_dir: Path, core: FakeTelegram, point: CrashPoint | None = None
) -> AsyncIterator[BotHarness]:
    app = build_application(settings_for(data_dir), request=HookedRequest(core, point), max_rate=0)
    async with app:
        await app.start()
        try:
            yield BotHarness(app, core)
        finally:
            await app.stop()


@pytest.fixture
def inline_steps(monkeypatch: pytest.MonkeyPatch) -> list[CrashPoint]:
    """Drafting steps run in this process (so the draft writes can be watched); returns the list the
    test puts its current crash point in."""
    current: list[CrashPoint] = []

    async def step_here(
        root: Path,
        user_id: str,
        recommended: list[str],
        listed: list[str],
        action: str,
        *args: Any,
        **kw: Any,
    ) -> StepResult:
        if current:
            current[0].event("step starts")
        extra = [kw["step"], kw.get("replayed", False)] if kw.get("step") is not None else []
        return await asyncio.to_thread(
            interview_step, str(root), user_id, recommended, listed, action, args, *extra
        )

    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        if current and str(dst).endswith(".json"):
            current[0].event(f"wrote {Path(dst).name[:12]}")

    monkeypatch.setattr(bot.telegram_drafting, "run_step", step_here)
    monkeypatch.setattr(bot.drafts.os, "replace", replace)
    return current


ANSWERS = ["龙泉市茶叶行业协会", "李明"]
A, B = "13957812345", "龙泉黄茶加工关键技术攻关"  # field 3 (phone), then field 4 (demand name)


async def crash_run(tmp: Path, at: int, current: list[CrashPoint], kind: str) -> dict[str, Any] | None:
    """Draft to a field, then deliver update A and "crash" at its `at`-th side effect; restart on
    the copy, replay the inbox, deliver B (sent while the bot was down). None once `at` is past the
    last side effect. `kind`: "answer" (A typed into field 3) or "start" (A is the form button)."""
    core = FakeTelegram()
    point = CrashPoint(tmp / "live", tmp / "crashed", at, core)
    current[:] = [point]
    async with bot_on(point.data_dir, core, point) as bot:
        picker = (await bot.text(USER, "/draft"))[-1]
        if kind == "answer":
            await bot.press(USER, picker, f"d|new|{ASSOCIATION}")
            for value in ANSWERS:
                await bot.text(USER, value)
        mark = len(core.by_chat.get(USER, []))
        point.armed = True
        if kind == "answer":
            await bot.text(USER, A)
        else:
            await bot.press(USER, picker, f"d|new|{ASSOCIATION}")
        point.armed = False
    if point.crashed_at is None:
        return None
    seen = point.seen_before_crash[mark:]
    restarted = FakeTelegram()
    restarted.update_ids = itertools.count(next(core.update_ids))
    restarted.message_ids = core.message_ids
    async with bot_on(point.copy_to, restarted) as bot:
        await recover(bot.app)
        await bot.app.update_queue.join()
        after_a = len(restarted.by_chat.get(USER, []))
        await bot.text(USER, B if kind == "answer" else ANSWERS[0])
    replies = restarted.by_chat.get(USER, [])
    return {
        "crashed_at": point.crashed_at,
        "events": list(point.events),
        "seen": [c.text for c in seen],
        "replayed": [c.text for c in replies[:after_a]],
        "next": [c.text for c in replies[after_a:]],
        "draft": draft_json(point.copy_to),
    }


def check_outcome(kind: str, outcome: dict[str, Any]) -> list[str]:
    """What went wrong after one crash point (empty when nothing did)."""
    before_b = outcome["seen"] + outcome["replayed"]
    answers, nxt = outcome["draft"]["answers"], outcome["next"]
    if kind == "answer":
        expected = [
            (any("第4/7项" in t for t in before_b), f"no reply with the next question: {before_b}"),
            (answers.get("contact_phone") == A, f"A not kept in its field: {answers}"),
            (answers.get("demand_name") == B, f"B not in the field after A: {answers}"),
            (bool(nxt) and "已记录" in nxt[0] and "第5/7项" in nxt[-1], f"B's reply: {nxt}"),
        ]
    else:
        expected = [
            (any("第1/7项" in t for t in before_b), f"no reply with the first question: {before_b}"),
            (answers.get("recommender") == ANSWERS[0], f"B not in field 1: {answers}"),
            (bool(nxt) and "第2/7项" in nxt[-1], f"B's reply: {nxt}"),
        ]
    writes = [e for e in outcome["events"] if e.startswith("wrote")]
    expected.append((len(writes) <= (1 if kind == "answer" else 2), f"more than one draft write: {writes}"))
    return [message for ok, message in expected if not ok]


@pytest.mark.parametrize("kind", ["answer", "start"])
def test_a_crash_at_any_point_of_a_step_loses_no_reply_and_misplaces_no_answer(
    tmp_path: Path, inline_steps: list[CrashPoint], kind: str
) -> None:
    """Issue 12, items 2 and 3: one atomic draft write per user action, and replies kept in the
    outbox until sent. At every crash point the user gets the reply to A (its confirmation and the
    next question) at least once, and B lands in the field after A."""
    outcomes, failures = [], []
    for at in range(1, 12):
        outcome = run(crash_run(tmp_path / f"crash-{at}", at, inline_steps, kind))
        if outcome is None:
            break
        outcomes.append(outcome)
        failures += [f"crash at {outcome['crashed_at']!r}: {m}" for m in check_outcome(kind, outcome)]
        shown = sum(1 for t in outcome["seen"] + outcome["replayed"] if "/7项" in t)
        print(
            f"{kind}: crash {outcome['crashed_at']:<20} replies to A before/after the restart: "
            f"{len(outcome['seen'])}/{len(outcome['replayed'])}, next question shown {shown}x"
        )
    assert not failures, "\n".join(failures)
    assert len(outcomes) >= 4  # step starts, draft written, before and after the reply


def test_answers_reach_the_disk_in_one_write_with_the_next_question(tmp_path: Path) -> None:
    """Answer and pointer move together: a draft file never holds an answer whose field is still
    the one being asked (what made the next message land in the wrong field)."""
    from bot.drafts import DraftStore
    from bot.interview import DraftSession

    store = DraftStore(tmp_path)
    session = DraftSession(store, "7")
    session.start(ASSOCIATION)
    path = store.user_dir("7")
    snapshots: list[dict[str, Any]] = []
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        if str(dst).endswith(".json") and not str(dst).endswith("_active.json"):
            snapshots.append(json.loads(Path(dst).read_text(encoding="utf-8")))

    with pytest.MonkeyPatch.context() as m:
        m.setattr(bot.drafts.os, "replace", replace)
        session.handle(ANSWERS[0])
        session.handle(ANSWERS[1])
        session.handle("修改 1")
        session.handle("龙泉市茶业协会")
    assert len(snapshots) == 4  # one write per message
    for snap in snapshots:
        current = snap["state"]["current"]
        assert current not in snap["answers"] or snap["state"].get("return_to"), snap
    assert (path / "_active.json").exists()


# -- buttons that can no longer be answered ---------------------------------------------------------


def test_buttons_pressed_while_the_bot_was_down_are_applied_though_the_query_is_too_old(
    tmp_path: Path,
) -> None:
    """Issue 12, item 1: answerCallbackQuery fails ("query is too old") for every press; the choice
    is applied anyway and the user gets the reply; a refusal that cannot be an alert is a message."""

    async def scenario() -> None:
        core = FakeTelegram()
        core.callback_max_age = 0.0  # every press is handled after Telegram stopped accepting answers
        async with running_bot(settings_for(tmp_path), core) as bot:
            picker = (await bot.text(USER, "/draft 龙泉"))[-1]
            out = await bot.press(USER, picker, f"d|new|{ASSOCIATION}")
            assert core.sent(method="answerCallbackQuery") == []  # refused by the fake (400)
            assert any("第1/7项" in c.text for c in out if c.method == "sendMessage"), [c.text for c in out]
            for value in ("甲协会", "李明", "13957812345", "某项目", "背景" * 30, "内容" * 30):
                await bot.text(USER, value)
            question = core.sent(USER, "sendMessage")[-1]
            choice = next(d for d in callbacks([question]) if "|o|" in d)
            out = await bot.press(USER, question, choice)
            assert any("已记录" in c.text for c in out), [c.text for c in out]
            assert draft_json(tmp_path)["answers"].get("plan_category")
            out = await bot.press(USER, question, choice)  # the same button again: now stale
            assert [c.method for c in out] == ["sendMessage"] and "之前的问题" in out[0].text
            out = await bot.press(USER, question, "fb|999|u")
            assert "无法评价" in out[0].text

    run(scenario())


# -- Bot API outage longer than the retries ----------------------------------------------------------


def test_replies_an_outage_kept_back_are_sent_before_the_next_one(tmp_path: Path) -> None:
    """The Bot API fails every send for longer than the retry window: nothing is dropped. The reply
    to the draft answer, the cited answer, and an apology for /help go out, in order, as soon as the
    user writes again."""

    async def scenario() -> None:
        core = FakeTelegram()
        app = build_application(
            settings_for(tmp_path), request=RecordingRequest(core), max_rate=0, retry_for=0.2
        )
        async with app:
            await app.start()
            bot = BotHarness(app, core)
            picker = (await bot.text(USER, "/draft"))[-1]
            await bot.press(USER, picker, f"d|new|{ASSOCIATION}")
            core.fail(500, 10_000, {"sendMessage", "sendDocument"})
            await bot.text(USER, "龙泉市茶叶行业协会")
            await bot.text(USER, "/help")
            mark = core.inbox(USER)
            core.faults.clear()
            out = await bot.text(USER, "李明")
            await app.stop()
        texts = [c.text for c in core.by_chat[USER][mark:]]
        assert len(texts) == 3, texts
        assert "已记录" in texts[0] and "第2/7项" in texts[0]
        assert texts[1] == LOST_REPLY
        assert "已记录" in texts[2] and "第3/7项" in texts[2]
        assert out and draft_json(tmp_path)["answers"]["contact_name"] == "李明"

    run(scenario())


# -- a form list while another draft is active ---------------------------------------------------------


def test_form_list_during_another_draft_has_buttons_and_a_number_never_answers_that_draft(
    tmp_path: Path,
) -> None:
    """Issue 12, item 5: `/draft <another region>` in the middle of a draft shows the forms as
    buttons, and a number typed under the list picks a form; it is never recorded as an answer of
    the draft that was active."""

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            picker = (await bot.text(USER, "/draft 湘潭"))[-1]
            await bot.press(USER, picker, f"d|new|{picker.buttons()[0]['callback_data'].split('|')[2]}")
            first = draft_json(tmp_path)
            await bot.text(USER, "/edit 计划研发投入")
            assert draft_json(tmp_path)["state"]["current"] == "rd_plan"
            out = await bot.text(USER, "/draft 泉州")
            data = callbacks(out)
            assert data and all(d.startswith("d|new|") for d in data), [c.text for c in out]
            assert f"草稿 {first['id']} 已保存" in out[-1].text
            out = await bot.text(USER, "9")  # out of range: the list again, nothing recorded
            assert callbacks(out) and "rd_plan" not in draft_json(tmp_path)["answers"]
            out = await bot.text(USER, "1")
            new = draft_json(tmp_path)
            assert new["id"] != first["id"] and new["form_id"] == data[0].split("|")[2]
            assert "第1/" in out[-1].text
            old = json.loads((tmp_path / "drafts" / f"u-{USER}" / f"{first['id']}.json").read_text())
            assert "rd_plan" not in old["answers"] and old["answers"] == first["answers"]

    run(scenario())


# -- privacy ---------------------------------------------------------------------------------------------


def test_drafting_in_a_group_shows_no_personal_data_and_moves_to_a_private_chat(tmp_path: Path) -> None:
    """Issue 12, item 6: /summary, /export, /resume in a group post nothing of the draft; the user is
    asked to continue in a private chat (a button opens it)."""

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            picker = (await bot.text(USER, "/draft"))[-1]
            await bot.press(USER, picker, f"d|new|{ASSOCIATION}")
            for value in ("龙泉市茶叶行业协会", "李明", "13957812345"):
                await bot.text(USER, value)
            core = bot.core
            for command in ("/summary", "/export 草稿", "/resume", "/draft", "/edit 2"):
                mark = core.inbox(GROUP)
                await bot.feed(core.text_update(USER, command, chat_id=GROUP))
                sent = core.by_chat.get(GROUP, [])[mark:]
                assert len(sent) == 1 and sent[0].method == "sendMessage", (command, [c.text for c in sent])
                assert "13957812345" not in sent[0].text and "李明" not in sent[0].text
                assert "私聊" in sent[0].text
                url = sent[0].buttons()[0]["url"]
                assert url == "https://t.me/jiebang_test_bot?start=draft"
            mark = core.mark()
            in_group = {"message_id": 1, "date": 0, "chat": core.chat(GROUP), "text": "表单列表"}
            await bot.feed(core.callback_update(USER, in_group, f"d|new|{ASSOCIATION}"))
            assert "私聊" in core.sent(method="answerCallbackQuery", since=mark)[0].params["text"]
            assert core.sent(GROUP, since=mark) == [] and core.sent(USER, "sendMessage", since=mark) == []
            out = await bot.text(USER, "/start draft")  # the button's deep link, in the private chat
            assert "第4/7项" in out[-1].text

    run(scenario())


def test_files_left_world_readable_by_an_older_version_are_made_private(tmp_path: Path) -> None:
    """Issue 12, item 6: drafts and exports become 0700 directories of 0600 files, and the SQLite
    file 0600, when the bot starts."""
    for name in ("drafts/u-1", "exports/u-1"):
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name).chmod(0o755)
        (tmp_path / name / "x.json").write_text("{}", encoding="utf-8")
        (tmp_path / name / "x.json").chmod(0o644)
    (tmp_path / "telegram.sqlite3").write_bytes(b"")
    (tmp_path / "telegram.sqlite3").chmod(0o644)

    async def scenario() -> None:
        async with running_bot(settings_for(tmp_path)) as bot:
            await bot.text(USER, "/help")

    run(scenario())
    for path in [tmp_path / "drafts", tmp_path / "exports", *tmp_path.glob("*/u-1")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in [*tmp_path.glob("*/u-1/x.json"), *tmp_path.glob("telegram.sqlite3*")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
