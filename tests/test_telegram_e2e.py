"""End to end over real HTTP: the `jiebang telegram` process against a fake Bot API on 127.0.0.1.

One bot process serves most scenarios (distinct user ids keep them apart); the crash test and the
webhook test start their own. Each process gets its own data dir holding a copy of the search index
built once per session, so start-up takes seconds, not a minute.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.fake_bot_api import Call, FakeBotApiServer, FakeTelegram
from tests.telegram_fakes import (
    BotProcess,
    association_answers,
    data_dir_with_index,
    docx_cells,
    docx_text,
    drafting_user,
    index_dir,
    markers,
    percentile,
)

pytestmark = pytest.mark.slow
__all__ = ["index_dir"]  # a session fixture: every bot process gets a copy of one prebuilt index


@pytest.fixture(scope="module")
def live(
    index_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FakeTelegram, BotProcess]]:
    tmp = tmp_path_factory.mktemp("tg-live")
    with (
        FakeBotApiServer() as server,
        BotProcess(
            server,
            data_dir_with_index(index_dir, tmp / "data"),
            tmp / "bot.log",
            args=("--max-rate", "0", "--poll-timeout", "1", "--verbose"),
        ) as bot,
    ):
        bot.start()
        yield server.core, bot
        code = bot.stop()
        assert code == 0, bot.log()[-3000:]
        log = bot.log()
        assert server.core.token not in log and "Traceback" not in log, log[-3000:]


def ask(core: FakeTelegram, user: int, text: str, n: int = 1, timeout: float = 20.0) -> list[Call]:
    mark = core.inbox(user)
    core.send_text(user, text)
    return core.wait_chat(user, n, mark, timeout)


def test_start_question_cited_answer_and_menu(live: tuple[FakeTelegram, BotProcess]) -> None:
    core, _ = live
    commands = next(c for c in core.calls if c.method == "setMyCommands").params["commands"]
    names = [c["command"] for c in commands]
    assert names[:4] == ["start", "help", "notices", "deadlines"] and "draft" in names and "export" in names
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in c["description"]) for c in commands)

    user = 1001
    start = ask(core, user, "/start")
    assert "揭榜助手" in start[0].text and "<b>龙泉</b>" in start[0].text
    reply = ask(core, user, "泉州的需求表最晚什么时候交？")[-1]
    assert (
        reply.params["parse_mode"] == "HTML" and "<b>来源</b>" in reply.text and "<blockquote>" in reply.text
    )
    source = next(b["callback_data"] for b in reply.buttons() if b["callback_data"].startswith("src|"))
    mark, acks = core.inbox(user), len(core.sent(method="answerCallbackQuery"))
    core.press(user, reply, source)
    passage = core.wait_chat(user, 1, mark)[0]
    assert "<u>" in passage.text
    core.wait_for(lambda calls: len([c for c in calls if c.method == "answerCallbackQuery"]) > acks)


def test_full_draft_export_delivers_docx_by_multipart(live: tuple[FakeTelegram, BotProcess]) -> None:
    core, _ = live
    user = 1002
    run = drafting_user(core, user, timeout=30)
    assert run.document is not None
    cells = docx_cells(run.document)
    assert f"龙泉市第{user}号茶叶行业协会" in cells and f"139{user:08d}" in cells
    assert any(f"第{user}号黄茶加工关键技术攻关" == c for c in cells)
    doc_call = next(c for c in core.sent(user, "sendDocument"))
    name = doc_call.files["document"][0]
    assert name.startswith("longquan-association-") and name.endswith(".docx")
    file_id = core.messages[(user, doc_call.params["_message_id"])]["document"]["file_id"]
    base = core.base_url
    with urllib.request.urlopen(f"{base}/bot{core.token}/getFile?file_id={file_id}", timeout=10) as resp:
        path = json.loads(resp.read())["result"]["file_path"]
    with urllib.request.urlopen(f"{base}/file/bot{core.token}/{path}", timeout=10) as resp:
        assert resp.read() == run.document


def test_200_users_drafting_at_once_nothing_lost_or_crossed(live: tuple[FakeTelegram, BotProcess]) -> None:
    core, _ = live
    users = list(range(2_000_000, 2_000_200))
    t0 = time.monotonic()
    with ThreadPoolExecutor(len(users)) as pool:
        runs = list(pool.map(lambda u: drafting_user(core, u, timeout=90), users))
    elapsed = time.monotonic() - t0
    for run in runs:
        assert run.document is not None, run.user_id
        assert markers(docx_text(run.document)) == {run.user_id}
        for call in run.replies:
            assert call.chat_id == run.user_id
            assert markers(call.text) <= {run.user_id}, call.text
        assert len(core.by_chat[run.user_id]) == 11  # 10 messages and the document, none twice
    latencies = [x for r in runs for x in r.latencies]
    assert len(latencies) == 2000
    print(
        f"\n200 users, no pause: {elapsed:.1f} s, p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
    )


def test_server_errors_rate_limits_and_timeouts_are_survived(live: tuple[FakeTelegram, BotProcess]) -> None:
    core, bot = live
    users = list(range(3001, 3006))

    core.fail(500, 4, {"sendMessage"})
    core.fail(500, 2, {"getUpdates"})
    for u in users:
        core.send_text(u, "/help")
    for u in users:
        assert "怎么用" in core.wait_chat(u, 1, 0, timeout=30)[0].text

    core.fail(429, 3, {"sendMessage"}, retry_after=1)
    for u in users:
        core.send_text(u, "/notices")
    for u in users:
        core.wait_chat(u, 6, 0, timeout=30)

    exporter = 3010
    drafting_user(core, exporter, timeout=30)  # a finished draft, exported once
    sent_before = len(core.by_chat[exporter])
    # A slow Bot API (issue 12, item 4): every request arriving in the next 7 s hangs, and is then
    # processed even if the bot gave up on it, as Telegram would. 7 s is more than the 5 s read
    # timeout the bot used to have (its retries sent every reply twice) and well under the 30 s it
    # now waits, so nothing is sent twice: neither the messages nor the .docx.
    core.stall(7, slow=True)
    for u in users:
        core.send_text(u, "/deadlines")
    core.send_text(exporter, "/export")
    for u in users:
        core.wait_chat(u, 7, 0, timeout=40)
    core.wait_chat(exporter, 2, sent_before, timeout=40)
    time.sleep(1.5)
    for u in users:
        texts = Counter(c.text for c in core.by_chat[u])
        assert all(n == 1 for n in texts.values()), texts  # nothing sent twice
        assert len(core.by_chat[u]) == 7  # help, five cards, deadlines: nothing lost
    again = core.by_chat[exporter][sent_before:]
    assert [c.method for c in again] == ["sendMessage", "sendDocument"], [c.method for c in again]
    log = bot.log()
    assert "retrying" in log and "Traceback" not in log


def test_a_button_pressed_while_the_bot_was_down_is_applied(live: tuple[FakeTelegram, BotProcess]) -> None:
    """Issue 12, item 1, over HTTP: Telegram no longer accepts an answer to the press (400 "query is
    too old", as for a press made more than 15 s before the bot got it); the form is picked anyway
    and its first question arrives."""
    core, bot = live
    user = 3020
    picker = ask(core, user, "/draft 龙泉")[-1]
    core.callback_max_age = 0.0
    try:
        mark = core.inbox(user)
        core.press(user, picker, "d|new|longquan-association")
        first = core.wait_chat(user, 1, mark, timeout=20)[0]
    finally:
        core.callback_max_age = 15.0
    assert "第1/7项" in first.text
    assert "query is too old" in bot.log().lower()


def test_drafts_exports_and_the_state_file_are_private(live: tuple[FakeTelegram, BotProcess]) -> None:
    """Issue 12, item 6: what the bot writes holds names, phones and e-mails: files 0600, dirs 0700."""
    core, bot = live
    user = 3030
    assert drafting_user(core, user, timeout=30).document is not None
    data = bot.data_dir
    dirs = [data / "drafts", data / "exports", data / "drafts" / f"u-{user}", data / "exports" / f"u-{user}"]
    files = [*data.glob("telegram.sqlite3*"), *(data / "drafts" / f"u-{user}").iterdir()]
    files += [*(data / "exports" / f"u-{user}").iterdir()]
    assert len(files) >= 6, files
    modes = {str(p.relative_to(data)): oct(stat.S_IMODE(p.stat().st_mode)) for p in dirs + files}
    assert all(modes[str(p.relative_to(data))] == "0o700" for p in dirs), modes
    assert all(modes[str(p.relative_to(data))] == "0o600" for p in files), modes


def test_sigkill_mid_draft_then_restart_continues_with_nothing_lost(index_dir: Path, tmp_path: Path) -> None:
    answers = association_answers(4001)
    user = 4001
    with (
        FakeBotApiServer() as server,
        BotProcess(server, data_dir_with_index(index_dir, tmp_path / "data"), tmp_path / "bot.log") as bot,
    ):
        core = server.core
        bot.start()
        picker = ask(core, user, "/draft")[-1]
        mark = core.inbox(user)
        core.press(user, picker, "d|new|longquan-association")
        core.wait_chat(user, 1, mark)
        for _, value in answers[:3]:
            ask(core, user, value)
        workers = bot.children()
        bot.kill()  # idle: the last reply had arrived
        assert not alive(workers, wait=10), "drafting workers outlived the bot"

        bot.start()
        reply = ask(core, user, "/resume")[-1]
        assert "第4/7项" in reply.text

        core.send_text(user, answers[3][1])  # answer and kill at once: mid-update
        time.sleep(0.05)
        bot.kill()
        bot.start()
        mark = core.inbox(user)
        core.send_text(user, "/resume")
        core.wait_for(lambda calls: progress(core, user, mark), 20)
        settle(core, user)  # the update cut off by the kill may be replayed and answered as well
        reply = progress(core, user, mark)
        assert reply is not None
        step = int(reply.text.split("第", 1)[1].split("/", 1)[0])
        assert step in (4, 5), reply.text
        for kind, value in answers[step - 1 :]:
            if kind == "text":
                ask(core, user, value)
            else:
                offered = next(
                    (
                        (m, b["callback_data"])
                        for m in reversed(core.by_chat[user])
                        for b in m.buttons()
                        if b["text"].startswith(value[:20])
                    ),
                    None,
                )
                assert offered is not None, [c.text[:40] for c in core.by_chat[user][-6:]]
                question, data = offered
                mark = core.inbox(user)
                core.press(user, question, data)
                core.wait_chat(user, 1, mark)
        got = ask(core, user, "/export", n=2)
        document = next(c for c in got if c.method == "sendDocument").files["document"][1]
        cells = docx_cells(document)
        for kind, value in answers:
            if kind == "text":
                assert any(value == c or value in c for c in cells), value
        assert bot.stop() == 0


def test_webhook_mode_checks_the_secret_token(index_dir: Path, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tg-hook"
    with (
        FakeBotApiServer() as server,
        BotProcess(
            server,
            data_dir_with_index(index_dir, tmp_path / "data"),
            tmp_path / "bot.log",
            args=("--webhook", url, "--listen", "127.0.0.1", "--port", str(port)),
            env={"JIEBANG_TELEGRAM_WEBHOOK_SECRET": "s3cret-token"},
            ready="setWebhook",
        ) as bot,
    ):
        core = server.core
        bot.start()
        hook = next(c for c in core.calls if c.method == "setWebhook")
        assert hook.params["url"] == url and hook.params["secret_token"] == "s3cret-token"
        update = json.dumps({"update_id": 1, **core.text_update(5005, "/help")}).encode()

        def post(secret: str) -> int:
            """POST the update as Telegram would; PTB calls setWebhook just before it starts listening."""
            request = urllib.request.Request(
                url,
                data=update,
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
            )
            deadline = time.monotonic() + 15
            while True:
                try:
                    with urllib.request.urlopen(request, timeout=10) as resp:
                        return int(resp.status)
                except urllib.error.HTTPError as exc:
                    return exc.code
                except urllib.error.URLError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)

        assert post("wrong") == 403
        assert post("s3cret-token") == 200
        assert "怎么用" in core.wait_chat(5005, 1, 0, timeout=20)[0].text
        assert bot.stop() == 0


def settle(core: FakeTelegram, user: int, quiet: float = 1.5, timeout: float = 20.0) -> None:
    """Wait until no new message has reached the user for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    seen, since = len(core.by_chat.get(user, [])), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = len(core.by_chat.get(user, []))
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def progress(core: FakeTelegram, user: int, since: int) -> Any:
    """The newest message since `since` that shows the draft's progress (第n/7项), if any."""
    return next((c for c in reversed(core.by_chat.get(user, [])[since:]) if "/7项" in c.text), None)


def alive(pids: list[int], wait: float) -> list[int]:
    deadline = time.monotonic() + wait
    while True:
        left = []
        for pid in pids:
            try:
                os.kill(pid, 0)
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    left.append(pid)
            except (OSError, ProcessLookupError):
                continue
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def test_fake_server_refuses_a_wrong_token(live: tuple[FakeTelegram, BotProcess]) -> None:
    core, _ = live
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{core.base_url}/bot999:WRONG/getMe", timeout=10)
    assert info.value.code == 401
