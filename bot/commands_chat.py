"""`jiebang chat`: the terminal chat of `make run`, over the same engine as every other front end."""

from __future__ import annotations

import argparse
from typing import Any

from bot.errors import EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("chat", help="终端对话（make run 启动的就是它）")
    p.add_argument("--today", default=None, help="今天的日期 YYYY-MM-DD（默认取系统日期，北京时间）")
    p.set_defaults(func=cmd_chat)


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.terminal import run_terminal

    run_terminal(today=args.today)
    return EXIT_OK
