"""The web front end's application: the API router, the page and its assets, the OpenAPI schema and
its offline reader at /docs, the guard middleware, and the handlers that turn every failure into a
JSON error with a Chinese message (never a traceback)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.web.api import ApiError, Asker, error_response, router
from bot.web.conversations import AnswerCache, Conversations
from bot.web.safety import Guard, RateLimiter, SafeJSONResponse, error_body
from knowledge.settings import Settings, get_settings

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger("jiebang.web")

FIELD_NAMES = {
    "question": "问题",
    "today": "今天的日期",
    "conversation": "对话编号",
    "answers": "答案",
    "draft": "草稿标记",
    "q": "查询内容",
    "k": "返回条数",
    "notice": "通知编号",
    "start": "起点",
    "end": "终点",
    "limit": "条数",
}
BAD_JSON = (
    "请求体不是有效的 JSON。请检查引号、逗号和括号，并设置 Content-Type: application/json，"
    '例如 {"question": "需求表最晚什么时候交？"}。'
)
WHERE = {"body": "请求体中的字段", "query": "参数", "path": "地址中的", "header": "请求头"}


def validation_message(errors: list[Any]) -> tuple[int, str, str]:
    """(status, code, Chinese message) for FastAPI's validation errors: 400 for a body that is not
    JSON at all, 422 for JSON that does not fit the request model."""
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "bad_json", BAD_JSON
    parts: list[str] = []
    for e in errors[:5]:
        loc = [str(x) for x in e.get("loc", ())]
        where = WHERE.get(loc[0], "") if loc else ""
        name = loc[-1] if len(loc) > 1 else ""
        label = f"{where}“{name}”" + (f"（{FIELD_NAMES[name]}）" if name in FIELD_NAMES else "")
        ctx = e.get("ctx") or {}
        kind = str(e.get("type", ""))
        if loc == ["body"] and kind == "missing":
            parts.append('缺少请求体：请发送 JSON 对象，例如 {"question": "需求表最晚什么时候交？"}')
        elif loc == ["body"] or kind in ("model_attributes_type", "dict_type"):
            parts.append(f"{label if name else '请求体'}应是一个 JSON 对象（{{…}}）")
        elif kind == "missing":
            parts.append(f"缺少{label}")
        elif kind == "extra_forbidden":
            parts.append(f"不认识{label}，请删去它")
        elif kind == "string_too_short":
            parts.append(f"{label}不能为空")
        elif kind == "string_too_long":
            parts.append(f"{label}太长：最多 {ctx.get('max_length', '')} 个字符")
        elif kind.startswith("int_") or kind in ("greater_than_equal", "less_than_equal"):
            lo, hi = ctx.get("ge"), ctx.get("le")
            rng = f"（不小于 {lo}）" if lo is not None and hi is None else ""
            rng = f"（{lo} 到 {hi} 之间）" if lo is not None and hi is not None else rng
            rng = f"（不大于 {hi}）" if hi is not None and lo is None else rng
            parts.append(f"{label}应为整数{rng}")
        elif kind in ("string_type", "string_unicode"):
            parts.append(f"{label}应为文字")
        elif kind.startswith("bool"):
            parts.append(f"{label}应为 true 或 false")
        elif kind.startswith("list"):
            parts.append(f"{label}应为列表")
        else:
            parts.append(f"{label}的值无效")
    return 422, "invalid_request", "；".join(parts) + "。可用的接口和字段见 /docs。"


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        status, code, message = validation_message(list(exc.errors()))
        return error_body(status, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return error_body(404, "not_found", "没有这个地址。页面在 /，接口在 /api/…，全部接口见 /docs。")
        if exc.status_code == 405:
            return error_body(
                405, "method_not_allowed", f"这个地址不接受 {request.method} 请求。各接口的请求方法见 /docs。"
            )
        if exc.status_code == 400:  # FastAPI could not parse the body at all (e.g. nested too deep)
            return error_body(400, "bad_json", BAD_JSON)
        return error_body(exc.status_code, "http_error", "请求未能完成，请检查地址和参数（见 /docs）。")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        from knowledge.embedding import EmbeddingConfigError
        from knowledge.index import IndexError_
        from knowledge.settings import SettingsError

        if isinstance(exc, IndexError_ | EmbeddingConfigError | SettingsError):
            return error_body(503, "unavailable", f"检索索引暂不可用：{exc}")
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_body(
            500, "internal_error", "服务器内部出错，这次请求没有完成。请稍后重试；一再出现请告知管理员。"
        )


def docs_html(schema: dict[str, Any]) -> str:
    """The OpenAPI schema as a plain page (no CDN, no script): each endpoint, its parameters and body."""
    out = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(schema['info']['title'])} · API</title></head><body>",
        f"<h1>{escape(schema['info']['title'])} · HTTP API</h1>",
        f"<p>{escape(schema['info'].get('description', ''))}</p>",
        '<p>机器可读的 OpenAPI 描述：<a href="/openapi.json">/openapi.json</a></p>',
    ]
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            out.append(f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>")
            out.append(f"<p>{escape(op.get('summary', ''))}</p>")
            params = op.get("parameters", [])
            if params:
                out.append("<ul>")
                for p in params:
                    need = "必填" if p.get("required") else "可选"
                    desc = escape(p.get("description") or p.get("schema", {}).get("description", ""))
                    out.append(
                        f"<li><code>{escape(p['name'])}</code>（{escape(p['in'])}，{need}）{desc}</li>"
                    )
                out.append("</ul>")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body and "$ref" in body:
                out.append(f"<p>请求体：<code>{escape(body['$ref'].rsplit('/', 1)[-1])}</code></p>")
    out.append("<h2>数据结构</h2>")
    for name, model in schema.get("components", {}).get("schemas", {}).items():
        fields = ", ".join(escape(k) for k in model.get("properties", {}))
        out.append(f"<p><code>{escape(name)}</code>：{fields}</p>")
    out.append("</body></html>")
    return "\n".join(out)


def warm_up() -> None:
    """Load the index, the catalogue and one answer, so the first visitor does not wait for them."""
    from knowledge.answer import answer
    from knowledge.corpus import example_question
    from knowledge.fact_search import fact_index
    from knowledge.index import ensure_index

    try:
        ensure_index()
    except Exception:  # search reports it with the fix; answers do not need the index
        log.exception("index not ready")
    fact_index()
    answer(example_question())


def create_app(settings: Settings | None = None, *, warm: bool = False) -> FastAPI:
    """The application `jiebang serve` runs; `settings` default to the environment's."""
    settings = settings or get_settings()
    engine = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jiebang-engine")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            app.state.warming = engine.submit(warm_up)
        yield
        engine.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="揭榜助手",
        description="揭榜挂帅通知的引用式问答、截止日期、规则查询与需求表起草（与命令行 --json 相同的数据）。"
        "草稿只保存在浏览器里，服务器不保存任何草稿。",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        default_response_class=SafeJSONResponse,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.warming = None
    app.state.conversations = Conversations(settings.web_conversations)
    app.state.answers = AnswerCache()
    app.state.asker = asker = Asker(app.state.conversations, app.state.answers)
    install_handlers(app)
    app.include_router(router)

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        page = STATIC_DIR / "index.html"
        if not page.is_file():
            return HTMLResponse(
                "<!doctype html><title>揭榜助手</title><p>页面文件缺失，请重新安装。</p>", 500
            )
        return FileResponse(
            page, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"}
        )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(docs_html(app.openapi()))

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    app.add_middleware(
        Guard,
        token=settings.web_token,
        max_body=settings.web_max_body,
        limiter=RateLimiter(settings.web_rate, settings.web_burst),
        shortcuts={("POST", "/api/ask"): asker.cached},
    )
    return app
