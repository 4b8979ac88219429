"""`jiebang serve`: the web page and the HTTP API on one port, loopback only unless told otherwise."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from typing import Any

from bot.errors import EXIT_FAIL, EXIT_OK, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="网页和 HTTP 接口（默认只在本机 127.0.0.1:8000 可访问）",
        description=(
            "启动网页和 HTTP 接口：浏览器打开 http://127.0.0.1:8000/ ，接口说明见 /docs。"
            "默认只监听本机；要让别的电脑访问，用 --host 0.0.0.0 并设置 JIEBANG_WEB_TOKEN。"
        ),
    )
    p.add_argument("--host", default=DEFAULT_HOST, help=f"监听地址（默认 {DEFAULT_HOST}，只有本机可访问）")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    p.add_argument("--no-warm", action="store_true", help="启动时不预先载入索引和回答引擎")
    p.set_defaults(func=cmd_serve)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so a taken port is one Chinese sentence, not uvicorn's log."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"无法监听 {host}:{port}（{exc.strerror or exc}）。端口可能已被占用，或 --host 不是本机的地址："
            f"请换一个端口（例如 --port {port + 1 if port < 65535 else 8001}），或检查 --host。"
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class ServeError(Exception):
    """The server could not start where asked; the message says what to change."""


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.web import create_app
    from knowledge.settings import get_settings

    if not 0 < args.port < 65536:
        raise UsageError(f"端口应在 1 到 65535 之间，而不是 {args.port}。")
    settings = get_settings()
    try:
        sock = bind(args.host, args.port)
    except ServeError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAIL
    if not is_loopback(args.host) and not settings.web_token:
        print(
            f"注意：正在监听 {args.host}，其他电脑也能访问，且没有设置访问口令。"
            "建议设置环境变量 JIEBANG_WEB_TOKEN 后再启动。",
            file=sys.stderr,
        )
    app = create_app(settings, warm=not args.no_warm)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"揭榜助手网页：http://{shown}:{args.port}/   接口说明：http://{shown}:{args.port}/docs", flush=True
    )
    config = uvicorn.Config(app, log_level="warning", server_header=False, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
    return EXIT_OK
