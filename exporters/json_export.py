"""JSON export: a draft's answers as data, for re-import, for bureau summary tables and for archives."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from knowledge.formspec import FormSpec
from validators.fields import format_value
from validators.problems import Problem

JSON_FORMAT = "jiebang-form-answers/1"


def answers_document(
    form: FormSpec,
    values: dict[str, Any],
    *,
    draft: bool,
    problems: list[Problem],
    exported_at: datetime,
    draft_id: str | None = None,
) -> dict[str, Any]:
    """The JSON document: stored values by field id, plus labels and readable text for people."""
    return {
        "format": JSON_FORMAT,
        "form": form.id,
        "form_title": form.title,
        "notice": form.notice,
        "draft_id": draft_id,
        "draft": draft,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "answers": {f.id: values[f.id] for f in form.fields if f.id in values},
        "readable": {form.display(f): format_value(f, values[f.id]) for f in form.fields if f.id in values},
        "problems": [p.model_dump(exclude_none=True) for p in problems],
    }


def write_json(path: Path, data: dict[str, Any]) -> Path:
    """Atomic write: a temp file in the same directory, fsync, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def read_answers(path: Path) -> tuple[str | None, dict[str, Any]]:
    """(form id, answers) from an exported JSON file or a saved draft file.

    Raises ValueError with a Chinese message when the file is not one of ours.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"无法读取文件 {path}：{exc.__class__.__name__}。请确认路径正确、文件为 UTF-8 编码。"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"文件 {path} 不是有效的 JSON（第{exc.lineno}行第{exc.colno}列）。") from exc
    except RecursionError:  # thousands of nested brackets: not a file we wrote
        raise ValueError(
            f"文件 {path} 的括号嵌套层数过多，不是揭榜助手导出的草稿。请用“导出”生成的 .json 文件。"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise ValueError(f"文件 {path} 不是揭榜助手导出的草稿（缺少 answers）。请用“导出”生成的 .json 文件。")
    form_id = data.get("form") or data.get("form_id")
    return (str(form_id) if form_id else None), dict(data["answers"])
