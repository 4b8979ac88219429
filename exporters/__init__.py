"""jiebang: exporters — a draft becomes the official Word table (.docx) and a JSON record.

    export_form(form, values, out_dir=..., draft=False) -> ExportResult

refuses an invalid or empty draft unless a 草稿 is asked for; a 草稿 is labelled as such and lists the
open problems. File names are safe and carry the form id and the time.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from knowledge.formspec import FormSpec
from validators import check_values
from validators.fields import is_empty
from validators.problems import Problem

__all__ = ["ExportResult", "export_form", "safe_filename"]


class ExportResult(BaseModel):
    """What an export did: the files written (or why none were), and the problems found."""

    ok: bool = Field(description="a file was written")
    draft: bool = False
    path: str | None = None
    json_path: str | None = None
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    message: str = ""


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_filename(name: str, max_len: int = 120) -> str:
    """A file name with no path separators, control characters or leading dots; never empty."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    name = re.sub(r"_+", "_", name)
    return name[:max_len] or "form"


def default_name(form: FormSpec, when: datetime, draft: bool, suffix: str) -> str:
    return safe_filename(f"{form.id}-{when:%Y%m%d-%H%M%S}{'-草稿' if draft else ''}{suffix}")


def export_form(
    form: FormSpec,
    values: dict[str, Any],
    *,
    out_dir: Path,
    out_path: Path | None = None,
    draft: bool = False,
    now: datetime | None = None,
    draft_id: str | None = None,
) -> ExportResult:
    """Check the draft, then write .docx and .json — or explain why nothing was written."""
    from exporters.docx_export import write_docx
    from exporters.json_export import answers_document, write_json

    when = now or datetime.now()
    report = check_values(form, values)
    if all(is_empty(values.get(f.id)) for f in form.fields):
        return ExportResult(
            ok=False,
            draft=draft,
            errors=report.errors,
            message="这份草稿还没有填写任何内容，无法导出。请先回答问题，或粘贴“标签：内容”格式的多行文字。",
        )
    if report.errors and not draft:
        first = "\n".join(f"· {p.message}" for p in report.errors[:5])
        more = f"\n……共{len(report.errors)}个问题" if len(report.errors) > 5 else ""
        return ExportResult(
            ok=False,
            errors=report.errors,
            warnings=report.warnings,
            message=f"还有{len(report.errors)}个问题需要解决，暂不能导出正式文件：\n{first}{more}\n"
            "修改后再导出；如需先看效果，可回复“导出草稿”（文件会标明“草稿”并列出问题）。",
        )
    if out_path is not None:
        out_path = out_path.parent / safe_filename(out_path.name)
        if out_path.suffix.lower() != ".docx":
            out_path = out_path.with_name(out_path.name + ".docx")
    else:
        out_path = out_dir / default_name(form, when, draft, ".docx")
    problems = report.errors + report.warnings
    write_docx(form, values, out_path, draft=draft, problems=problems)
    json_path = out_path.with_suffix(".json")
    write_json(
        json_path,
        answers_document(form, values, draft=draft, problems=problems, exported_at=when, draft_id=draft_id),
    )
    label = "草稿" if draft else "正式文件"
    tail = (
        f"（另有{len(report.warnings)}条提示，不影响报送）" if report.warnings and not report.errors else ""
    )
    return ExportResult(
        ok=True,
        draft=draft,
        path=str(out_path),
        json_path=str(json_path),
        errors=report.errors,
        warnings=report.warnings,
        message=f"已导出{label}：{out_path.name}{tail}",
    )
