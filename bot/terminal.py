"""Terminal chat: reads a line, prints the engine's cited answer. No logic of its own."""

from __future__ import annotations

from datetime import date

from knowledge.answer import answer, render_text
from knowledge.understand import Context

BANNER = (
    "揭榜助手（离线模式）。可以问截止时间、申报条件、资金支持、需求表填写、报送流程和联系方式，"
    "例如：泉州的需求表最晚什么时候交？\n输入“退出”或按 Ctrl-D 结束。"
)
QUIT = {"退出", "exit", "quit", "q", "再见"}


def reply(question: str, context: Context, today: date | None) -> str:
    """One turn: the answer text and its numbered sources; remembers the notices for follow-ups."""
    ans = answer(question, today=today, context=context)
    if not ans.refused and ans.notices:
        context.notices = (
            ans.notices[:1] if len(ans.notices) > 1 and ans.topic != "comparison" else ans.notices
        )
    return render_text(ans)


def run_terminal(today: str | None = None) -> None:
    day = date.fromisoformat(today) if today else None
    context = Context()
    print(BANNER)
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
        print("答：" + reply(line, context, day))
