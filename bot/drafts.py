"""Draft storage: one JSON file per draft under `<data_dir>/drafts/<user>/`, written atomically.

Users see only their own drafts: every call takes the user id, and the user's directory name is
derived from it (ids that are not plain ascii are hashed), so no id can reach another directory.
A draft file that cannot be read is reported, never deleted or overwritten silently.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from knowledge.formspec import FormSpec, load_form
from knowledge.settings import get_settings

DRAFT_ID = re.compile(r"^[0-9a-f]{12}$")
_PLAIN_USER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


class DraftState(BaseModel):
    """Where the interview stands, saved with the draft so it resumes exactly after a restart."""

    mode: Literal["asking", "summary"] = "asking"
    current: str | None = Field(None, description="field id being asked")
    return_to: str | None = Field(None, description="'summary' or a field id to go back to after an edit")
    resume_at: str | None = Field(None, description="field to continue with after looking at the summary")
    visited: list[str] = Field(default_factory=list, description="fields asked at least once")
    pending_delete: bool = False


class Draft(BaseModel):
    """One user's answers to one form, plus the interview state."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[0-9a-f]{12}$")
    user_id: str
    form_id: str
    created_at: str = Field(default_factory=now_iso)
    updated_at: str = Field(default_factory=now_iso)
    answers: dict[str, Any] = Field(default_factory=dict)
    state: DraftState = Field(default_factory=DraftState)
    step: str | None = Field(
        None,
        description="the chat message that last changed this draft (written with it, so a message "
        "replayed after a crash can tell whether it was already applied)",
    )
    version: int = 1

    def title(self, form: FormSpec | None = None) -> str:
        """A short name for lists: the demand's title if answered, else the form's name."""
        for key in ("title", "demand_name", "project_name", "release_name", "bureau", "recommender"):
            value = self.answers.get(key)
            if isinstance(value, str) and value:
                return value if len(value) <= 24 else value[:24] + "…"
        return (form or load_form(self.form_id)).name


class DraftError(Exception):
    """A draft could not be found or read; the message says what to do."""


def write_failure_message(root: Path, exc: OSError, what: str = "草稿未能保存") -> str:
    """Why a file under `root` could not be written (full disk, read-only, no permission), where, and
    how to fix it: free space, or point JIEBANG_DATA_DIR at a writable directory."""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        why, fix = "磁盘空间已满", "请清理磁盘空间"
    elif code == errno.EROFS:
        why, fix = "所在磁盘是只读的", "请把该磁盘重新挂载为可写"
    elif code in (errno.EACCES, errno.EPERM):
        why, fix = "没有写入权限", "请给运行助手的用户开放该目录的写入权限"
    else:
        why, fix = f"无法写入（{exc.strerror or exc.__class__.__name__}）", "请检查该目录是否存在且可写"
    data_dir = get_settings().data_dir
    where = f"数据目录 {data_dir}" if Path(root).is_relative_to(data_dir) else f"目录 {root}"
    return (
        f"{what}：{why}（{where}）。{fix}，或把环境变量 JIEBANG_DATA_DIR 设为一个可写的目录后重新启动助手。"
    )


def user_dir_name(user_id: str) -> str:
    """Directory name for a user id: readable for plain ids, a hash for anything else."""
    if _PLAIN_USER.match(user_id):
        return f"u-{user_id}"
    return "h-" + hashlib.sha256(user_id.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON via a temp file in the same directory, fsync, then os.replace: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class DraftStore:
    """Drafts on disk, keyed by user id. Default root: `get_settings().data_dir / "drafts"`."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else get_settings().data_dir / "drafts"

    def user_dir(self, user_id: str) -> Path:
        return self.root / user_dir_name(str(user_id))

    def _path(self, user_id: str, draft_id: str) -> Path:
        if not DRAFT_ID.match(draft_id):
            raise DraftError(f"草稿编号“{draft_id[:20]}”格式不对，应为12位字母数字。回复“我的草稿”查看编号。")
        return self.user_dir(user_id) / f"{draft_id}.json"

    def create(self, user_id: str, form_id: str) -> Draft:
        load_form(form_id)
        draft = Draft(user_id=str(user_id), form_id=form_id)
        self.save(draft)
        return draft

    def save(self, draft: Draft) -> None:
        draft.updated_at = now_iso()
        atomic_write_json(self._path(draft.user_id, draft.id), draft.model_dump(mode="json"))

    def load(self, user_id: str, draft_id: str) -> Draft:
        path = self._path(user_id, draft_id)
        if not path.exists():
            raise DraftError(f"没有找到编号为 {draft_id} 的草稿。回复“我的草稿”查看您保存的草稿。")
        try:
            draft = Draft.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, ValidationError) as exc:
            raise DraftError(
                f"草稿 {draft_id} 的文件无法读取（{exc.__class__.__name__}），文件已原样保留。请联系管理员恢复。"
            ) from exc
        if draft.user_id != str(user_id):
            raise DraftError(f"没有找到编号为 {draft_id} 的草稿。")
        return draft

    def list(self, user_id: str, form_id: str | None = None) -> list[Draft]:
        """The user's readable drafts, most recently changed first (unreadable files are skipped)."""
        folder = self.user_dir(user_id)
        if not folder.is_dir():
            return []
        out = []
        for path in folder.glob("*.json"):
            if not DRAFT_ID.match(path.stem):
                continue
            try:
                draft = Draft.model_validate_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, ValidationError):
                continue
            if draft.user_id == str(user_id) and (form_id is None or draft.form_id == form_id):
                out.append(draft)
        return sorted(out, key=lambda d: d.updated_at, reverse=True)

    def delete(self, user_id: str, draft_id: str) -> bool:
        path = self._path(user_id, draft_id)
        if not path.exists():
            return False
        path.unlink()
        if self.get_active(user_id) == draft_id:
            self.set_active(user_id, None)
        return True

    def get_active(self, user_id: str) -> str | None:
        path = self.user_dir(user_id) / "_active.json"
        try:
            value = json.loads(path.read_text(encoding="utf-8")).get("draft_id")
        except (OSError, ValueError, AttributeError):
            return None
        return value if isinstance(value, str) and DRAFT_ID.match(value) else None

    def set_active(self, user_id: str, draft_id: str | None) -> None:
        atomic_write_json(self.user_dir(user_id) / "_active.json", {"draft_id": draft_id})


def summary_rows(summary_form: FormSpec, sources: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Rows of a bureau summary table built from saved drafts of the source form.

    Returns (rows field id, rows). The mapping lives in the summary form's YAML (`source.map`);
    '@peers.name' joins the `name` column of the source's `peers` rows with 、.
    """
    for f in summary_form.fields:
        if f.source is None:
            continue
        rows = []
        for values in sources:
            row: dict[str, Any] = {}
            for col, src in f.source.map.items():
                if src.startswith("@"):
                    field_id, _, column = src[1:].partition(".")
                    items = values.get(field_id)
                    names = (
                        [str(r.get(column)) for r in items if isinstance(r, dict) and r.get(column)]
                        if isinstance(items, list)
                        else []
                    )
                    if names:
                        row[col] = "、".join(names)
                elif values.get(src) not in (None, "", []):
                    row[col] = values[src]
            if row:
                rows.append(row)
        return f.id, rows
    raise ValueError(f"{summary_form.id} has no field filled from drafts")
