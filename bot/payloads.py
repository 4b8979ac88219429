"""The JSON shapes every front end prints or serves: the CLI's `--json` and the HTTP API build their
bodies here, so `jiebang ask --json` and `POST /api/ask` can never drift apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.formspec import FieldSpec, FormSpec, field_positions
from knowledge.types import Answer, Hit, Notice
from validators.problems import Problem, Report


def answer_json(ans: Answer) -> dict[str, Any]:
    """`jiebang ask --json`: the answer, its numbered citations and the follow-up context."""
    return {
        "question": ans.question,
        "answer": ans.answer,
        "refused": ans.refused,
        "topic": ans.topic,
        "notices": ans.notices,
        "citations": [c.model_dump() for c in ans.citations],
        "follow_up": ans.follow_up.model_dump(),
    }


def hit_json(hit: Hit) -> dict[str, Any]:
    """One passage of `jiebang search --json`."""
    c = hit.chunk
    return {
        "notice": c.notice,
        "path": c.path_str,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "score": hit.score,
    }


def notice_json(notice: Notice) -> dict[str, Any]:
    """One notice of `jiebang notices --json` (the manifest entry, without the text)."""
    return notice.model_dump(mode="json")


def form_summary_json(spec: FormSpec) -> dict[str, Any]:
    """One form of `jiebang forms --json`."""
    return {
        "id": spec.id,
        "name": spec.name,
        "title": spec.title,
        "attachment": spec.attachment,
        "notice": spec.notice,
        "audience": spec.audience,
        "fields": len(spec.fields),
    }


def field_row(form: FormSpec, f: FieldSpec, cells: dict[str, list[tuple[int, int]]]) -> dict[str, Any]:
    """One field as `forms show --json` prints it (the contract's keys first, then extras)."""
    row: dict[str, Any] = {
        "id": f.id,
        "label": f.label,
        "section": f.section,
        "type": f.type.value,
        "required": f.required,
        "max_chars": f.max_chars,
        "options": list(f.options),
        "key": form.key_of(f),
        "limit": f.limit.value if f.limit else None,
        "condition": f.condition,
        "unit": f.unit,
        "printed": f.printed,
        "cells": [list(rc) for rc in cells.get(f.id, [])],
        "blanks": [
            {"option": b.option, "label": b.label, "printed": b.printed, "answer": b.answer_example}
            for b in f.blanks
        ],
        "free_text_options": list(f.free_text_options),
        "help": f.help,
        "tip": f.tip,
        "min_rows": f.min_rows,
        "max_rows": f.max_rows,
        "row_keys": list(f.row_keys),
    }
    if f.columns:
        row["columns"] = [
            {
                "id": c.id,
                "label": c.label,
                "type": c.type.value,
                "options": list(c.options),
                "max_chars": c.max_chars,
                "unit": c.unit,
                "help": c.help,
            }
            for c in f.columns
        ]
    return row


def form_fields_json(form: FormSpec) -> list[dict[str, Any]]:
    """`jiebang forms show ID --json`: every field of a form in order."""
    cells = field_positions(form)
    return [field_row(form, f, cells) for f in form.fields]


@dataclass
class DraftCheck:
    """A JSON draft checked: unknown or repeated keys, then the validators' errors and warnings."""

    report: Report
    key_problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return self.key_problems + self.report.errors

    @property
    def ok(self) -> bool:
        return not self.errors

    def json(self, path: str | None = None) -> dict[str, Any]:
        """`jiebang draft ID --answers F --json`."""
        return {
            "ok": self.ok,
            "errors": [p.public() for p in self.errors],
            "warnings": [p.public() for p in self.report.warnings],
            "path": path,
        }


def check_draft(form: FormSpec, by_id: dict[str, Any], key_problems: list[Problem]) -> DraftCheck:
    """Validate answers already keyed by field id (see `validators.resolve_keys`)."""
    from validators import validate_answers

    return DraftCheck(validate_answers(form, by_id), list(key_problems))
