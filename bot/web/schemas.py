"""Request and response models of the HTTP API: FastAPI turns them into the OpenAPI schema at
`/openapi.json` (rendered at `/docs`). Response bodies are the CLI's `--json` shapes (bot/payloads.py);
the models here document them and validate what clients send."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from knowledge.types import Citation, FollowUp

MAX_QUESTION_CHARS = 2000


class AskRequest(BaseModel):
    """A question; `conversation` is the id a previous answer returned, so a follow-up keeps its topic."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="问题（中文）")
    today: str | None = Field(None, max_length=40, description="今天的日期 YYYY-MM-DD；不填则取北京时间今天")
    conversation: str | None = Field(
        None, max_length=100, description="上一次回答返回的对话编号；不填则开始新的对话"
    )


class AskResponse(BaseModel):
    """`jiebang ask --json` plus the conversation id to send with the next question."""

    question: str
    answer: str
    refused: bool
    topic: str
    notices: list[str]
    citations: list[Citation]
    follow_up: FollowUp
    conversation: str = Field(description="对话编号：追问时原样带上")
    context_lost: bool = Field(
        False,
        description="true when the conversation id sent was unknown (expired): answered without context",
    )


class CheckRequest(BaseModel):
    """A draft's answers: keys are field ids or the labels printed on the form (as `--answers FILE`)."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(description="字段编号或表上印的名称 → 答案")


class DocxRequest(CheckRequest):
    draft: bool = Field(False, description="true：有错误也导出，文件标明“草稿”并列出问题")


class ProblemOut(BaseModel):
    field: str
    code: str
    message: str


class CheckResponse(BaseModel):
    """`jiebang draft ID --answers F --json` (path is always null: the server writes no file)."""

    ok: bool
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    path: str | None = None


class ErrorResponse(BaseModel):
    """Every error: a Chinese sentence saying what is wrong and how to fix it, and a stable code."""

    error: str
    code: str


class PassageResponse(BaseModel):
    notice: str
    heading: str = Field(description="section path of the quote")
    text: str = Field(description="the whole paragraph around the quote")
    start: int = Field(description="offset of the paragraph in the notice text")
    end: int
    quote_start: int
    quote_end: int


class HeadingOut(BaseModel):
    level: int
    title: str
    start: int
    end: int
