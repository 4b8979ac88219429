"""The HTTP API: each route translates a request, calls one engine function, and returns the JSON the
CLI's `--json` prints (bot/payloads.py). Engine calls run on one worker thread, as in the Telegram bot,
so the event loop keeps serving the page, cached answers and refusals meanwhile."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from bot.payloads import (
    check_draft,
    form_fields_json,
    form_summary_json,
    hit_json,
    notice_json,
)
from bot.web.conversations import AnswerCache, Cached, Conversations, EngineKey
from bot.web.safety import SafeJSONResponse, json_bytes
from bot.web.schemas import (
    AskRequest,
    AskResponse,
    CheckRequest,
    CheckResponse,
    DocxRequest,
    ErrorResponse,
    PassageResponse,
)
from knowledge.corpus import get_notice, notice_ids, notices
from knowledge.formspec import FormSpec, UnknownFormError, list_forms, load_form
from knowledge.types import Answer
from knowledge.understand import Context

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
T = TypeVar("T")

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": what}
    for code, what in (
        (400, "参数有误"),
        (401, "缺少或错误的访问口令"),
        (404, "没有这份通知或这张表"),
        (413, "请求内容过大"),
        (422, "请求内容不符合要求"),
        (429, "请求过于频繁"),
    )
}

router = APIRouter(prefix="/api", responses=ERRORS)


class ApiError(Exception):
    """A refusal the client can act on: status, a stable code, and a Chinese message with the fix."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


async def in_engine(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run an engine call on the engine's single worker thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(request.app.state.engine, partial(fn, *args))


def parse_day(raw: str | None, name: str = "today") -> date | None:
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            400, "bad_date", f"参数 {name} 的日期应写成 YYYY-MM-DD，例如 2026-11-23，而不是“{raw[:40]}”。"
        ) from None


def today_or(raw: str | None) -> date:
    from knowledge.answer import today_in_shanghai

    return parse_day(raw) or today_in_shanghai()


def known_notice(notice_id: str) -> str:
    if notice_id not in notice_ids():
        raise ApiError(
            404,
            "unknown_notice",
            f"没有编号为“{notice_id[:40]}”的通知。可用的编号：{'、'.join(notice_ids())}（见 /api/notices）。",
        )
    return notice_id


def known_form(form_id: str) -> FormSpec:
    try:
        return load_form(form_id)
    except UnknownFormError:
        ids = "、".join(f.id for f in list_forms())
        raise ApiError(
            404, "unknown_form", f"没有编号为“{form_id[:40]}”的需求表。可用的编号：{ids}（见 /api/forms）。"
        ) from None


# -- questions ------------------------------------------------------------------------------------


def run_answer(question: str, ctx: Context | None, today: date) -> Answer:
    from knowledge.answer import answer

    return answer(question, today=today, context=ctx)


class Asker:
    """`POST /api/ask` in two halves: `cached` answers from the answer cache without the engine (the
    guard middleware calls it before FastAPI's routing, so a repeated question costs microseconds),
    `answer` runs the engine for the rest. Both keep the conversation the same way."""

    def __init__(self, conversations: Conversations, cache: AnswerCache) -> None:
        self.conversations = conversations
        self.cache = cache

    def _lookup(self, body: AskRequest) -> tuple[Context | None, bool, date, EngineKey]:
        ctx = self.conversations.get(body.conversation) if body.conversation else None
        lost = body.conversation is not None and ctx is None
        today = parse_day(body.today) or (ctx.today if ctx and ctx.today else None) or today_or(None)
        return ctx, lost, today, AnswerCache.key(body.question, ctx, today)

    def _reply(self, body: AskRequest, ctx: Context | None, lost: bool, today: date, hit: Cached) -> bytes:
        ans, payload = hit
        conversation = body.conversation if ctx is not None and body.conversation else Conversations.new_id()
        self.conversations.put(conversation, Context.after(ans, today))
        tail = json_bytes({"conversation": conversation, "context_lost": lost})
        return payload[:-1] + b"," + tail[1:]

    def cached(self, raw: bytes) -> bytes | None:
        """The response body when the request is valid and its answer is cached, else None."""
        try:
            body = AskRequest.model_validate_json(raw)
            ctx, lost, today, key = self._lookup(body)
        except (ValueError, ApiError):
            return None  # the route reports it, with its message
        hit = self.cache.get(key)
        return None if hit is None else self._reply(body, ctx, lost, today, hit)

    async def answer(self, body: AskRequest, request: Request) -> bytes:
        ctx, lost, today, key = self._lookup(body)
        hit = self.cache.get(key)
        if hit is None:
            compute = partial(self.cache.compute, key, partial(run_answer, body.question, ctx, today))
            hit = await in_engine(request, compute)
        return self._reply(body, ctx, lost, today, hit)


@router.post("/ask", response_model=AskResponse, summary="提问，得到带引用的回答（可追问）")
async def ask(body: AskRequest, request: Request) -> Response:
    """The answer JSON of `jiebang ask --json`, plus the conversation id to send with a follow-up."""
    asker: Asker = request.app.state.asker
    return Response(await asker.answer(body, request), media_type="application/json")


@router.get("/search", summary="检索通知原文片段（同 jiebang search --json）")
async def search(
    request: Request,
    q: Annotated[str, Query(max_length=2000, description="检索内容")],
    k: Annotated[int | None, Query(ge=1, le=50, description="返回条数，默认 5")] = None,
    notice: Annotated[list[str] | None, Query(description="只在这些通知内检索（可重复）")] = None,
) -> dict[str, Any]:
    from knowledge.corpus import UnknownNoticeError
    from knowledge.mentions import QueryError

    def run() -> dict[str, Any]:
        from knowledge.mentions import check_notices
        from knowledge.passages import search_passages
        from knowledge.retrieve import get_searcher
        from knowledge.settings import get_settings

        settings = get_settings()
        hits = search_passages(get_searcher(settings), q, k or settings.top_k, check_notices(notice))
        return {"query": q, "hits": [hit_json(h) for h in hits]}

    try:
        return await in_engine(request, run)
    except UnknownNoticeError as exc:
        raise ApiError(400, "unknown_notice", f"{exc}（见 /api/notices）") from None
    except QueryError as exc:
        raise ApiError(400, "bad_query", str(exc)) from None


@router.get("/lookup", summary="查规则：输入关键词即得规则卡片（供咨询热线）")
async def lookup(
    request: Request,
    q: Annotated[str, Query(max_length=200, description="关键词，例如：截止 电话 补助")] = "",
    today: Annotated[str | None, Query(description="今天的日期 YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=30)] = 8,
) -> list[dict[str, Any]]:
    from knowledge.lookup import lookup as run_lookup

    return await in_engine(request, run_lookup, q, today_or(today), limit)


@router.get("/health", summary="服务状态：ready 表示索引和回答引擎已载入")
async def health(request: Request) -> dict[str, Any]:
    warming = request.app.state.warming
    return {
        "status": "ok",
        "ready": warming is None or warming.done(),
        "notices": len(notices()),
        "forms": len(list_forms()),
    }


# -- notices --------------------------------------------------------------------------------------


@router.get("/notices", summary="收录的通知（同 jiebang notices --json）")
async def list_notices() -> list[dict[str, Any]]:
    return [notice_json(n) for n in notices()]


@router.get("/notices/{notice_id}", summary="一份通知：元数据、全文与目录")
async def notice_detail(notice_id: str, request: Request) -> dict[str, Any]:
    from knowledge.reader import headings

    n = get_notice(known_notice(notice_id))
    heads = await in_engine(request, headings, n.id)
    out = notice_json(n)
    out["text"] = n.text
    out["headings"] = [{"level": h.level, "title": h.title, "start": h.start, "end": h.end} for h in heads]
    return out


@router.get("/passage", response_model=PassageResponse, summary="引文所在的整段原文")
async def passage(
    request: Request,
    notice: Annotated[str, Query(max_length=100)],
    start: Annotated[int, Query(ge=0)],
    end: Annotated[int, Query(ge=1)],
) -> dict[str, Any]:
    from knowledge.reader import SpanError, paragraph

    try:
        p = await in_engine(request, paragraph, known_notice(notice), start, end)
    except SpanError as exc:
        raise ApiError(400, "bad_span", str(exc)) from None
    return {
        "notice": p.notice,
        "heading": p.heading,
        "text": p.text,
        "start": p.start,
        "end": p.end,
        "quote_start": p.quote_start,
        "quote_end": p.quote_end,
    }


@router.get("/deadlines", summary="各通知的关键日期及其相对今天的状态")
async def deadlines(
    request: Request, today: Annotated[str | None, Query(description="今天的日期 YYYY-MM-DD")] = None
) -> list[dict[str, Any]]:
    from knowledge.key_dates import all_key_dates, key_date_json

    day = today_or(today)
    items = await in_engine(request, all_key_dates)
    return [key_date_json(k, day) for k in items]


# -- forms ----------------------------------------------------------------------------------------


@router.get("/forms", summary="可起草的需求表（同 jiebang forms --json）")
async def forms() -> list[dict[str, Any]]:
    return [form_summary_json(spec) for spec in list_forms()]


@router.get("/forms/{form_id}", summary="一张表的全部字段（同 jiebang forms show ID --json）")
async def form_fields(form_id: str, request: Request) -> list[dict[str, Any]]:
    return await in_engine(request, form_fields_json, known_form(form_id))


def _checked(form: FormSpec, answers: dict[str, Any]) -> Any:
    from validators import resolve_keys

    by_id, key_problems = resolve_keys(form, answers)
    return check_draft(form, by_id, key_problems)


@router.post(
    "/forms/{form_id}/check", response_model=CheckResponse, summary="校验答案（同 draft --answers --json）"
)
async def form_check(form_id: str, body: CheckRequest, request: Request) -> dict[str, Any]:
    form = known_form(form_id)
    checked = await in_engine(request, _checked, form, body.answers)
    result: dict[str, Any] = checked.json(None)
    return result


def _export(form: FormSpec, answers: dict[str, Any], draft: bool) -> tuple[Any, bytes | None, str]:
    """Check, then write the .docx in a temporary directory and read it back: the server keeps no file."""
    from exporters import export_form

    checked = _checked(form, answers)
    if checked.errors and not draft:
        return checked, None, ""
    with tempfile.TemporaryDirectory(prefix="jiebang-web-") as tmp:
        result = export_form(form, checked.report.values, out_dir=Path(tmp), draft=draft)
        if not result.ok or result.path is None:
            return checked, None, result.message
        path = Path(result.path)
        return checked, path.read_bytes(), path.name


@router.post(
    "/forms/{form_id}/docx",
    summary="生成 Word 文件（draft=true 时标明“草稿”）",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}, "description": "the .docx"}},
)
async def form_docx(form_id: str, body: DocxRequest, request: Request) -> Response:
    form = known_form(form_id)
    checked, data, name = await in_engine(request, _export, form, body.answers, body.draft)
    if data is None:
        message = name or (
            f"还有{len(checked.errors)}个问题需要解决，暂不能生成正式文件。"
            "请按 errors 逐项修改；如需先看效果，可用 draft=true 生成标明“草稿”的文件。"
        )
        raise ApiError(422, "draft_has_errors", message, **checked.json(None))
    ascii_name = f"{form.id}{'-draft' if body.draft else ''}.docx"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=DOCX, headers={"Content-Disposition": disposition})


def error_response(exc: ApiError) -> SafeJSONResponse:
    return SafeJSONResponse({"error": exc.message, "code": exc.code, **exc.extra}, status_code=exc.status)
