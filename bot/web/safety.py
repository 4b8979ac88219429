"""What keeps `jiebang serve` safe to leave running: an optional token, a body size limit, a per-client
token-bucket rate limit, security headers, and JSON that cannot be read as HTML.

All of it is one pure ASGI middleware (no per-request task or thread), so the checks cost microseconds
and every refusal is the API's JSON error with a Chinese message and the right status code.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.responses import JSONResponse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Shortcut = Callable[[bytes], bytes | None]

COOKIE = "jiebang_token"
MAX_CLIENTS = 10_000
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_HTML_SENSITIVE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_bytes(content: Any) -> bytes:
    """Compact UTF-8 JSON whose <, > and & are escaped: the same data, but never markup if a browser
    or a proxy ever treats the body as HTML (those characters only occur inside JSON strings)."""
    text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.translate(_HTML_SENSITIVE).encode("utf-8")


class SafeJSONResponse(JSONResponse):
    """The API's response class (see `json_bytes`)."""

    def render(self, content: Any) -> bytes:
        return json_bytes(content)


def error_body(status: int, code: str, message: str, **extra: Any) -> SafeJSONResponse:
    return SafeJSONResponse({"error": message, "code": code, **extra}, status_code=status)


class RateLimiter:
    """A token bucket per client address: `burst` requests at once, then `rate` per second."""

    def __init__(self, rate: float, burst: int, max_clients: int = MAX_CLIENTS) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait before the next one will."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def presented_token(scope: Scope) -> tuple[str | None, bool]:
    """(token the request carries, whether it came in the query string)."""
    auth = _header(scope, b"authorization")
    if auth and auth[:7].lower() == "bearer ":
        return auth[7:].strip(), False
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    if query.get("token"):
        return query["token"][0], True
    cookie = _header(scope, b"cookie")
    if cookie:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(cookie)
        except Exception:  # a malformed Cookie header is the client's problem: treat it as absent
            return None, False
        if COOKIE in jar:
            return jar[COOKIE].value, False
    return None, False


class Guard:
    """Rate limit → token → body size, then the app; security headers on every response.

    `shortcuts` map (method, path) to a function of the body that returns a JSON response body, or
    None to let the app handle the request: a cached answer skips FastAPI's routing and validation.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        max_body: int,
        limiter: RateLimiter,
        secure_cookie: bool = False,
        shortcuts: dict[tuple[str, str], Shortcut] | None = None,
    ) -> None:
        self.app = app
        self.token = token or None
        self.max_body = max_body
        self.limiter = limiter
        self.secure_cookie = secure_cookie
        self.shortcuts = shortcuts or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        set_cookie: bytes | None = None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *SECURITY_HEADERS]
                if set_cookie is not None:
                    headers.append((b"set-cookie", set_cookie))
                message["headers"] = headers
            await send(message)

        client = scope.get("client")
        wait = self.limiter.take(str(client[0]) if client else "unknown")
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            response = error_body(
                429,
                "rate_limited",
                f"请求过于频繁，请在 {seconds} 秒后再试。同一地址每秒最多 {self.limiter.rate:g} 个请求。",
            )
            response.headers["Retry-After"] = str(seconds)
            await response(scope, receive, send_with_headers)
            return
        if self.token is not None:
            given, from_query = presented_token(scope)
            if given is None or not secrets.compare_digest(given.encode(), self.token.encode()):
                response = error_body(
                    401,
                    "unauthorized",
                    "需要访问口令：请用带口令的链接打开页面（/?token=口令），"
                    "或在请求头加上 Authorization: Bearer 口令。口令即服务器的 JIEBANG_WEB_TOKEN。",
                )
                response.headers["WWW-Authenticate"] = "Bearer"
                await response(scope, receive, send_with_headers)
                return
            if from_query:  # the page's own assets then load with the cookie, not the URL
                secure = "; Secure" if self.secure_cookie else ""
                set_cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict{secure}".encode()
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            body = await self._read_body(scope, receive)
            if body is None:
                response = error_body(
                    413,
                    "too_large",
                    f"请求内容过大：最多 {self.max_body // 1024} KB。请删减答案中过长的内容后重试。",
                )
                await response(scope, receive, send_with_headers)
                return
            shortcut = self.shortcuts.get((scope["method"], scope.get("path", "")))
            kind = _header(scope, b"content-type")
            json_body = kind is None or "json" in kind.lower()  # as FastAPI reads a body: else it refuses
            out = shortcut(body) if shortcut is not None and json_body else None
            if out is not None:
                start = {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"%d" % len(out)),
                    ],
                }
                await send_with_headers(start)
                await send_with_headers({"type": "http.response.body", "body": out})
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send_with_headers)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it is known to exceed the limit."""
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, original: Receive) -> Receive:
    """The body already read, then the client's own messages (a later disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
