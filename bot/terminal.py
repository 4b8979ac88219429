"""Terminal chat: reads a line, prints the engine's reply. No logic of its own."""

from __future__ import annotations

from datetime import date

from bot.conversation import Conversation
from knowledge.corpus import example_notice, example_question
from knowledge.index import IndexError_


def banner() -> str:
    """The greeting, with examples taken from the manifest's first notice."""
    nid, short = example_notice()
    return (
        "揭榜助手（离线模式）。可以问截止时间、申报条件、资金支持、需求表填写、报送流程和联系方式，"
        f"例如：{example_question()}\n"
        f"起草需求表：输入“起草 {short}”或“起草 {nid}”；起草中输入“帮助”查看指令，“取消”暂停。\n"
        "输入“退出”或按 Ctrl-D 结束。"
    )


QUIT = {"退出", "exit", "quit", "q", "再见"}


def run_terminal(today: str | None = None) -> None:
    conversation = Conversation(today=date.fromisoformat(today) if today else None)
    print(banner())
    while True:
        try:
            line = input("\n问：").strip()
        except EOFError:
            print()
            break
        if not line:
            continue
        if line.lower() in QUIT:
            break
        try:
            reply = conversation.handle(line)
        except IndexError_ as exc:  # the index cannot be used: say why, and keep the chat (drafting works)
            reply = f"{exc}\n（暂时无法检索通知原文；起草需求表不受影响。）"
        print("答：" + reply)
