"""Optional LLM phrasing over a grounded deterministic draft, behind the same checks.

The LLM sees only the numbered quotes and the draft's lines. Its reply is accepted only when every
[n] marker names a given source and every number is in a cited quote or a shown calculation;
anything else — an invented figure, an unknown source, a timeout, an HTTP error — keeps the
deterministic answer.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from knowledge.answer import Draft, grounded
from knowledge.cite import display
from knowledge.settings import Settings
from prompts import load_prompt

log = logging.getLogger(__name__)
MARKER = re.compile(r"\[(\d+)\]")


def make_llm(settings: Settings) -> Any:
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=settings.llm_model or "",
        api_base=settings.llm_base_url,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout,
        max_retries=0,
        is_chat_model=True,
        temperature=0.0,
        max_tokens=800,
        context_window=8192,
    )


def build_messages(question: str, draft: Draft) -> list[Any]:
    from llama_index.core.llms import ChatMessage, MessageRole

    sources = "\n".join(f"[{i}] {s.path}：“{display(s.quote)}”" for i, s in enumerate(draft.sources, 1))
    points = "\n".join(draft.lines)
    user = f"问题：{question}\n\n原文摘录：\n{sources}\n\n已核对的要点：\n{points}\n\n请据此作答。"
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("answer_system")),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def check_reply(reply: str, draft: Draft) -> str | None:
    """Why the reply is rejected, or None when it may be shown."""
    if not reply.strip():
        return "empty reply"
    markers = {int(m) for m in MARKER.findall(reply)}
    if not markers:
        return "no citation markers"
    if any(m < 1 or m > len(draft.sources) for m in markers):
        return f"unknown source in {sorted(markers)}"
    probe = Draft(topic=draft.topic, lines=[reply], sources=draft.sources, computed=draft.computed)
    if not grounded(probe):
        return "a number is not in the cited quotes"
    return None


def phrase(question: str, draft: Draft, settings: Settings, llm: Any | None = None) -> Draft:
    """The LLM's wording when it passes the checks, else the draft unchanged."""
    try:
        llm = llm or make_llm(settings)
        response = llm.chat(build_messages(question, draft))
        reply = str(response.message.content or "").strip()
    except Exception as exc:  # any transport failure falls back; the user still gets an answer
        log.warning("LLM phrasing failed, using the deterministic answer: %s", type(exc).__name__)
        return draft
    reason = check_reply(reply, draft)
    if reason:
        log.warning("LLM reply rejected (%s), using the deterministic answer", reason)
        return draft
    return Draft(topic=draft.topic, lines=[reply], sources=draft.sources, computed=draft.computed)
