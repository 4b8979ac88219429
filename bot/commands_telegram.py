"""`jiebang telegram`: run the Telegram bot (long polling, or a webhook server with --webhook)."""

from __future__ import annotations

import argparse
import logging
import re
import secrets
import sys
from typing import Any
from urllib.parse import urlparse

from bot.errors import EXIT_FAIL, EXIT_OK, UsageError
from knowledge.settings import get_settings

SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
NO_TOKEN = (
    "没有找到机器人令牌：请先设置环境变量 JIEBANG_TELEGRAM_TOKEN（向 @BotFather 申请），"
    "例如 export JIEBANG_TELEGRAM_TOKEN=123456:ABC…，再运行 jiebang telegram。"
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "telegram",
        help="运行 Telegram 机器人（默认长轮询；--webhook 切换为 webhook）",
        description="运行 Telegram 机器人。令牌读自 JIEBANG_TELEGRAM_TOKEN；"
        "JIEBANG_TELEGRAM_API_URL / JIEBANG_TELEGRAM_FILE_URL 可指向本地 Bot API 服务器。",
    )
    p.add_argument(
        "--webhook", metavar="URL", help="以 webhook 方式运行，URL 为 Telegram 推送更新的 https 地址"
    )
    p.add_argument("--listen", metavar="HOST", help="webhook 服务监听的地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, metavar="N", help="webhook 服务监听的端口（默认 8443）")
    p.add_argument(
        "--max-rate",
        type=float,
        default=30.0,
        metavar="N",
        help="全部聊天合计每秒最多发送的消息数（默认 30，即 Telegram 的限额；0 表示不限，仅用于本地测试服务器）",
    )
    p.add_argument("--poll-timeout", type=int, default=10, metavar="秒", help="长轮询等待时间（默认 10 秒）")
    p.add_argument(
        "--send-timeout",
        type=float,
        default=30.0,
        metavar="秒",
        help="等待 Telegram 确认一条消息的时间（默认 30 秒）；在此之内的卡顿不会造成重复消息，超过后重发，可能重复但不会丢失",
    )
    p.add_argument("--verbose", action="store_true", help="输出调试日志（令牌会被隐去）")
    p.set_defaults(func=cmd_telegram)


def check_args(args: argparse.Namespace) -> None:
    if args.webhook is None and (args.listen is not None or args.port is not None):
        raise UsageError(
            "--listen 和 --port 只用于 webhook 模式，请同时给出 --webhook https://你的域名/路径。"
        )
    if args.webhook is not None:
        url = urlparse(args.webhook)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise UsageError(
                f"--webhook 应是完整的网址，例如 https://bot.example.com/telegram，而不是 {args.webhook!r}。"
            )
    if args.port is not None and not 1 <= args.port <= 65535:
        raise UsageError("--port 应在 1 到 65535 之间。")
    if args.max_rate < 0:
        raise UsageError("--max-rate 不能是负数；0 表示不限速。")
    if not 0 <= args.poll_timeout <= 60:
        raise UsageError("--poll-timeout 应在 0 到 60 秒之间。")
    if not 0.5 <= args.send_timeout <= 300:
        raise UsageError("--send-timeout 应在 0.5 到 300 秒之间（默认 30 秒）。")


def cmd_telegram(args: argparse.Namespace) -> int:
    settings = get_settings()
    if not settings.telegram_token:
        raise UsageError(NO_TOKEN)
    check_args(args)
    secret = settings.telegram_webhook_secret
    if args.webhook and secret and not SECRET.match(secret):
        raise UsageError(
            "JIEBANG_TELEGRAM_WEBHOOK_SECRET 只能包含字母、数字、下划线和连字符，长度 1 到 256。"
        )
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram_app import run
    from bot.telegram_runtime import configure_logging

    configure_logging(settings.telegram_token, logging.DEBUG if args.verbose else logging.INFO)
    try:
        run(
            settings,
            webhook_url=args.webhook,
            listen=args.listen or "127.0.0.1",
            port=args.port or 8443,
            secret_token=(secret or secrets.token_urlsafe(32)) if args.webhook else None,
            max_rate=args.max_rate,
            poll_timeout=args.poll_timeout,
            send_timeout=args.send_timeout,
        )
    except InvalidToken:
        print(
            "机器人令牌无效：请检查 JIEBANG_TELEGRAM_TOKEN 是否与 @BotFather 给出的完全一致。",
            file=sys.stderr,
        )
        return EXIT_FAIL
    except NetworkError as exc:
        where = settings.telegram_api_url or "api.telegram.org"
        print(
            f"连不上 Telegram Bot API（{where}）：{type(exc).__name__}。请检查网络，或 JIEBANG_TELEGRAM_API_URL 是否正确。",
            file=sys.stderr,
        )
        return EXIT_FAIL
    return EXIT_OK
