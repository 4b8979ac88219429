"""Guided form drafting: a transport-free interview engine shared by the terminal, the CLI and Telegram.

One `DraftSession` per user. It asks one field at a time (label, printed guidance, limit, progress),
validates each answer at once, echoes the normalised value with a live character count, and keeps
every answer on disk after every change, so nothing is lost on a crash or restart.

API (all replies are `InterviewReply`; nothing here prints or reads a terminal):

    store = DraftStore()                                  # <data_dir>/drafts, keyed by user id
    session = DraftSession(store, user_id="12345")        # resumes the user's active draft, if any
    reply = session.start(form_id)                        # new draft → first question
    reply = session.handle("某某科技有限公司")              # an answer or a command
    reply = session.summary()                             # summary card: answers, missing, invalid
    result = session.set_field("fiscal_funds", "200万")   # FieldResult (programmatic answer)
    export = session.export(draft=False)                  # ExportResult (.docx + .json)
    session.resume(draft_id) / session.list_drafts() / session.recommend("我是某市的企业")
    data = session.to_dict(); session = DraftSession.from_dict(data, store)

Commands understood by `handle`: 跳过, 返回, 修改 <项目或编号>[：新内容], 查看, 取消, 导出, 导出草稿,
帮助, 我的草稿, 继续 [编号], 新建 <表>, 删除草稿, 导入草稿 (bureau summary forms). A message of
several "标签：内容" lines fills many fields at once, each validated separately.

State diagram (mode of the active draft):

    idle --start/resume--> asking --all fields visited--> summary
    asking --修改 X--> asking(X) --answer--> back where it was (summary or the previous field)
    summary --修改 X--> asking(X) --answer--> summary (cross-field rules re-run)
    any --取消--> idle (draft kept)       any --导出--> same mode, document attached
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from bot.drafts import Draft, DraftError, DraftStore, summary_rows, user_dir_name, write_failure_message
from exporters import ExportResult, export_form
from knowledge.corpus import example_notice
from knowledge.formspec import (
    CHAR_RULE,
    FieldSpec,
    FieldType,
    FormSpec,
    LimitKind,
    OptionBlank,
    UnknownFormError,
    count_chars,
    list_forms,
    load_form,
)
from knowledge.settings import get_settings
from validators import answers_model, check_values, format_value, validate_field
from validators.fields import is_empty, option_list, row_gaps
from validators.problems import FieldResult, Problem
from validators.rules import blocking, check_rule, check_rules

PREVIEW = 24
T = TypeVar("T")
NOT_RECORDED = "刚才的内容没有记录，草稿保持上次成功保存时的样子。问题解决后请重新发送刚才的内容。"
COMMANDS_HELP = (
    "可用的指令：\n"
    "· 跳过 —— 先跳过这一项（必填项导出前需补上）\n"
    "· 返回 —— 回到上一项，已填内容不会丢失\n"
    "· 修改 <项目名称或编号> —— 修改任意一项，如“修改 财政资金”或“修改 15”；也可“修改 财政资金：200万”\n"
    "· 查看 —— 查看全部答案、未填项和问题\n"
    "· 导出 —— 生成 Word 文件（须无错误）；导出草稿 —— 先生成标明“草稿”的文件\n"
    "· 我的草稿 / 继续 <编号> / 新建 <表> / 删除草稿 / 取消（暂停，草稿自动保存）\n"
    "也可以一次粘贴多行“标签：内容”，例如“财政资金：200万”，每行分别校验后填入。\n"
    f"{CHAR_RULE}"
)


_ROWS_HOW = "一条消息可填多行：各列之间用“｜”分隔，行与行之间用“；”隔开（或换行）。"
_ROW_HOW = "一条消息可填多行：行与行之间用“；”隔开（或换行）。"
_ROW_BREAK = re.compile(r"[；;]")
_COLUMN_BREAK = re.compile(r"[｜|\t]")


def split_rows(f: FieldSpec, text: str) -> str:
    """Rows typed on one line ('甲公司｜骨干企业；乙公司｜龙头企业') become one line per row.

    In a terminal or a chat, Enter sends the message, so '；' is how several rows fit in one. A line
    is split only when it is clearly several rows: a one-column field, or more '｜' columns than the
    field has with every '；' part a row of its own (a cell listing '甲；乙' stays whole).
    """
    lines: list[str] = []
    for line in text.split("\n"):
        parts = [part.strip() for part in _ROW_BREAK.split(line) if part.strip()]
        several = len(parts) > 1 and (
            len(f.columns) == 1
            or (
                len(_COLUMN_BREAK.split(line)) > len(f.columns)
                and all(_COLUMN_BREAK.search(part) for part in parts)
            )
        )
        lines.extend(parts if several else [line])
    return "\n".join(lines)


def _blank_question(blank: OptionBlank) -> str:
    """The follow-up after choosing an option with a printed blank: what to write there."""
    return (
        f"您选了“{blank.option}”，表上“{blank.printed}”还要写明{blank.label}。"
        f"请直接回复{blank.label}，例如“{blank.example}”；要改选其他选项，回复选项即可。"
    )


class InterviewReply(BaseModel):
    """What the assistant says next. Transports render `text`; the other fields help them do more."""

    text: str
    field_id: str | None = Field(None, description="the field now being asked, if any")
    options: list[str] = Field(default_factory=list, description="printed options, for buttons")
    multiple: bool = Field(False, description="several options may be chosen")
    progress: str | None = Field(None, description="e.g. 第3/21项")
    done: bool = Field(False, description="the conversation can end here (paused or exported)")
    document: str | None = Field(None, description="path of the exported .docx")
    json_document: str | None = Field(None, description="path of the exported .json")
    problems: list[Problem] = Field(default_factory=list)
    draft_id: str | None = None
    mode: str = "idle"


class DraftSaveError(Exception):
    """Writing the draft failed (full disk, read-only or unwritable data dir); the message says why,
    where and how to fix it, `after` what became of the step."""

    def __init__(self, message: str, after: str = NOT_RECORDED) -> None:
        super().__init__(message)
        self.after = after


# --- form recommendation ---------------------------------------------------------------------------


def recommend_forms(text: str) -> list[FormSpec]:
    """Forms that fit a user's description of region and role (a city's name, 企业/协会/主管部门)."""
    from knowledge.corpus import notices

    forms = list_forms()
    hits: list[str] = []
    for notice in notices():
        names = [notice.short, *notice.aliases]
        for att in notice.attachments:
            if att.subdocument is not None:
                names.extend(att.subdocument.aliases)
        if any(name and name in text for name in names):
            hits.append(notice.id)
    chosen = [f for f in forms if f.notice in hits] if hits else forms
    bureau = any(w in text for w in ("汇总", "科技局", "主管部门", "推荐单位", "县区", "区县"))
    association = any(w in text for w in ("协会", "行业主管"))

    def rank(f: FormSpec) -> int:
        if f.summary_of:
            return 0 if bureau else 3
        if "协会" in f.audience and "企业" not in f.audience:
            return 0 if association else 2
        return 1

    return sorted(chosen, key=rank)


def _form_line(i: int, f: FormSpec) -> str:
    return f"{i}. {f.name}（编号 {f.id}，{f.audience}）"


# --- the session -----------------------------------------------------------------------------------


class DraftSession:
    """One user's drafting conversation: the active draft, and the user's other drafts in the store."""

    def __init__(self, store: DraftStore | None = None, user_id: str = "local") -> None:
        self.store = store
        self.user_id = str(user_id)
        self.draft: Draft | None = None
        self.form: FormSpec | None = None
        self.recommended: list[str] = []
        self.listed: list[str] = []
        self._in_step = False  # inside a public call: a failed write is handled by the outermost one
        self._hold_writes = False  # replying after a failed write: ask again without writing again
        self._unsaved: dict[str, Draft] = {}  # drafts changed by the step under way, written at its end
        if store is not None:
            active = store.get_active(self.user_id)
            if active:
                try:
                    self._attach(store.load(self.user_id, active))
                except (DraftError, UnknownFormError):
                    with contextlib.suppress(OSError):  # a read-only data dir: the next session tries again
                        store.set_active(self.user_id, None)

    # --- serialisation ---

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to continue this conversation later (also without a store)."""
        return {
            "user_id": self.user_id,
            "draft": self.draft.model_dump(mode="json") if self.draft else None,
            "recommended": list(self.recommended),
            "listed": list(self.listed),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], store: DraftStore | None = None) -> DraftSession:
        session = cls(None, str(data.get("user_id", "local")))
        session.store = store
        if data.get("draft"):
            session._attach(Draft.model_validate(data["draft"]))
        session.recommended = [str(x) for x in data.get("recommended", [])]
        session.listed = [str(x) for x in data.get("listed", [])]
        return session

    # --- state helpers ---

    def _attach(self, draft: Draft) -> None:
        """Make a draft the active one, after checking its stored values have the right shapes."""
        form = load_form(draft.form_id)
        values = {k: v for k, v in draft.answers.items() if form.has_field(k)}
        try:
            answers_model(form.id).model_validate(values)
        except ValidationError as exc:
            where = ".".join(str(x) for x in exc.errors()[0]["loc"])
            raise DraftError(
                f"草稿 {draft.id} 中“{where}”的数据格式不对，无法继续；文件已原样保留，请联系管理员。"
            ) from exc
        draft.answers = values
        if draft.state.current is not None and not form.has_field(draft.state.current):
            draft.state.current = None
        self.draft, self.form = draft, form

    def _save(self) -> None:
        """Inside a step, only note the draft: `_flush` writes it once when the step ends, so an answer
        and the move to the next question reach the disk together or not at all (one atomic write
        per user action; a crash between two writes used to keep the answer but re-ask its field)."""
        if self.store is None or self.draft is None or self._hold_writes:
            return
        self._unsaved[self.draft.id] = self.draft
        if not self._in_step:
            self._flush()

    def _flush(self) -> None:
        """Write each draft the step changed (one atomic file each), then the active pointer if it moved."""
        store, unsaved = self.store, list(self._unsaved.values())
        self._unsaved = {}
        if store is None:
            return
        for draft in unsaved:
            self._write(partial(store.save, draft))
        active = self.draft
        moved = active is not None and any(d is active for d in unsaved)
        if active is not None and moved and store.get_active(self.user_id) != active.id:
            self._write(lambda: store.set_active(self.user_id, active.id))

    def _write(
        self, action: Callable[[], object], what: str = "草稿未能保存", after: str = NOT_RECORDED
    ) -> None:
        """Run one write to the store; an OSError (disk full, read-only, no permission) becomes a
        DraftSaveError, which the public entry points turn into a reply (see `_guarded`)."""
        if self.store is None or self._hold_writes:
            return
        try:
            action()
        except OSError as exc:
            raise DraftSaveError(write_failure_message(self.store.root, exc, what), after) from exc

    def _guarded(self, step: Callable[[], T], failed: Callable[[DraftSaveError], T]) -> T:
        """Run a public step; if a write fails, roll the session back to what is on disk and reply.

        Rolling back means reloading the draft that was active before the step from the store, so
        the session never holds answers that are not on disk: the user is told the answer was not
        recorded and asked the same question again. (Telegram rebuilds every session from disk, so
        keeping unsaved answers in memory could not work there anyway.)
        """
        if self._in_step:
            return step()
        before = self.draft.id if self.draft is not None else None
        self._in_step = True
        try:
            result = step()
            self._flush()
            return result
        except DraftSaveError as exc:
            self._unsaved = {}
            self._reload(before)
            return failed(exc)
        finally:
            self._in_step = False

    def _reload(self, draft_id: str | None) -> None:
        """The session as the store has it: the draft `draft_id` as last saved, or no draft."""
        self.draft, self.form = None, None
        if draft_id is None or self.store is None:
            return
        with contextlib.suppress(DraftError, UnknownFormError, OSError):
            self._attach(self.store.load(self.user_id, draft_id))

    def _save_failed(self, exc: DraftSaveError) -> InterviewReply:
        """Why nothing was saved and how to fix it, then the pending question again (nothing written)."""
        if self.draft is None:
            text = f"{exc}\n没有开始新的草稿。问题解决后请重新选择要起草的表。"
        else:
            text = f"{exc}\n{exc.after}"
        self._hold_writes = True
        try:
            reply = self._with_question(text)
        finally:
            self._hold_writes = False
        problem = Problem(field=reply.field_id or "draft", code="save_failed", message=str(exc))
        reply.problems = [problem, *reply.problems]
        return reply

    @property
    def values(self) -> dict[str, Any]:
        return self.draft.answers if self.draft else {}

    def _reply(self, text: str, **kw: Any) -> InterviewReply:
        mode = self.draft.state.mode if self.draft else "idle"
        return InterviewReply(
            text=text.strip(), draft_id=self.draft.id if self.draft else None, mode=mode, **kw
        )

    # --- starting, resuming, choosing ---

    def start(self, form_id: str) -> InterviewReply:
        """Start a new draft of a form and ask its first question."""
        return self._guarded(lambda: self._start(form_id), self._save_failed)

    def _start(self, form_id: str) -> InterviewReply:
        try:
            form = load_form(form_id)
        except UnknownFormError as exc:
            return self._reply(str(exc))
        draft = Draft(user_id=self.user_id, form_id=form.id)
        self._attach(draft)
        draft.state.current = form.fields[0].id
        self._save()
        required = sum(1 for f in form.fields if f.required)
        intro = (
            f"开始起草《{form.title}》（{form.name}）。共{len(form.fields)}项，其中必填{required}项；"
            f"草稿编号 {draft.id}，每答一项都会自动保存。\n"
            "随时可回复：跳过、返回、修改 <项目>、查看、导出、取消、帮助。也可一次粘贴多行“标签：内容”。"
        )
        return self._ask(form.fields[0], prefix=intro)

    def resume(self, draft_id: str) -> InterviewReply:
        return self._guarded(lambda: self._resume(draft_id), self._save_failed)

    def _resume(self, draft_id: str) -> InterviewReply:
        if self.store is None:
            return self._reply("当前没有保存草稿的位置，无法继续旧草稿。")
        try:
            draft = self.store.load(self.user_id, draft_id)
            self._attach(draft)
        except (DraftError, UnknownFormError) as exc:
            return self._reply(str(exc))
        self._save()
        prefix = f"继续草稿 {draft.id}：《{self.form.title if self.form else ''}》。"
        return self._continue(prefix)

    def recommend(self, text: str) -> InterviewReply:
        forms = recommend_forms(text)
        self.recommended = [f.id for f in forms]
        lines = "\n".join(_form_line(i, f) for i, f in enumerate(forms, 1))
        return self._reply(
            f"可以起草的需求表：\n{lines}\n请回复编号（如“1”）或表的编号（如“{forms[0].id}”）开始填写。",
            options=[f.id for f in forms],
        )

    def list_drafts(self) -> InterviewReply:
        drafts = self.store.list(self.user_id) if self.store else ([self.draft] if self.draft else [])
        if not drafts:
            return self._reply(
                f"您还没有保存的草稿。回复所在地区（如“{example_notice()[1]}”）或表的编号开始起草。"
            )
        self.listed = [d.id for d in drafts]
        lines = []
        for i, d in enumerate(drafts, 1):
            try:
                form = load_form(d.form_id)
            except UnknownFormError:
                continue
            filled = sum(1 for f in form.fields if not is_empty(d.answers.get(f.id)))
            lines.append(
                f"{i}. {form.name}《{d.title(form)}》已填{filled}/{len(form.fields)}项，更新于{d.updated_at[:16]}（{d.id}）"
            )
        return self._reply("您的草稿：\n" + "\n".join(lines) + "\n回复“继续 编号”接着填写，如“继续 1”。")

    # --- the main entry ---

    def handle(self, text: str) -> InterviewReply:
        """Answer the current question or run a command; never raises on user input.

        A draft that cannot be written (disk full, read-only data dir) is not an exception either:
        the reply says why and how to fix it, and the session stays as the draft was last saved.
        """
        return self._guarded(lambda: self._handle(text), self._save_failed)

    def _handle(self, text: str) -> InterviewReply:
        text = text if isinstance(text, str) else str(text)
        cmd = re.sub(r"\s+", " ", text.strip())[:200] if len(text) < 400 else ""
        head = cmd.split(" ", 1)[0] if cmd else ""
        if cmd in ("帮助", "help", "?", "？", "/help"):
            return self._with_question(COMMANDS_HELP)
        if cmd in ("我的草稿", "草稿列表", "草稿", "/drafts"):
            return self.list_drafts()
        if head in ("新建", "新表", "起草") or cmd.startswith(("新建", "起草")):
            target = cmd[2:].strip()
            return self._pick_form(target) if target else self.recommend("")
        if head == "继续" or cmd == "继续":
            return self._resume_command(cmd[2:].strip())
        if self.draft is None or self.form is None:
            return self._idle(cmd or text)
        state = self.draft.state
        if state.pending_delete:
            state.pending_delete = False
            if cmd in ("确认", "确认删除", "是"):
                return self._delete()
            self._save()
            return self._with_question("已取消删除，草稿保留。")
        if cmd in ("跳过", "略过", "下一项", "skip", "/skip"):
            return self._skip()
        if cmd in ("返回", "上一项", "后退", "back", "/back"):
            return self._back()
        if cmd in ("查看", "预览", "总览", "summary", "/summary"):
            if state.mode == "asking" and state.current is not None:
                state.resume_at = state.current
            return self.summary()
        if cmd in ("取消", "退出", "暂停", "cancel", "/cancel"):
            return self._pause()
        if cmd in ("导出草稿", "导出 草稿"):
            return self._export_reply(draft=True)
        if cmd in ("导出", "完成", "生成", "导出word", "export", "/export"):
            return self._export_reply(draft=False)
        if cmd in ("删除草稿", "删除"):
            state.pending_delete = True
            self._save()
            return self._reply(
                f"确定删除草稿 {self.draft.id}（{self.draft.title(self.form)}）吗？删除后无法恢复。回复“确认”删除，回复其他内容取消。"
            )
        if cmd in ("导入草稿", "导入"):
            return self._import_drafts()
        if cmd in ("修改", "改", "编辑"):
            return self._with_question(
                "请告诉我要修改哪一项，例如“修改 3”或“修改 财政资金”。回复“查看”可看到所有项目的编号。"
            )
        if head in ("修改", "改", "编辑") and len(cmd) > len(head):
            edited = self._edit(cmd[len(head) :].strip())
            if edited is not None:
                return edited
        pasted = self._paste(text)
        if pasted is not None:
            return pasted
        if state.mode == "summary" or state.current is None:
            return self._reply(
                "所有项目都已问过。回复“修改 项目名称或编号”修改某一项，“查看”看总览，“导出”生成 Word 文件。"
            )
        return self._answer(self.form.field(state.current), text)

    # --- idle: no active draft ---

    def _idle(self, text: str) -> InterviewReply:
        t = text.strip()
        if t.isdecimal() and self.recommended and 1 <= int(t) <= len(self.recommended):
            return self.start(self.recommended[int(t) - 1])
        picked = self._find_form(t)
        if picked is not None:
            return self.start(picked.id)
        return self.recommend(t)

    def _find_form(self, text: str) -> FormSpec | None:
        t = text.strip().lower()
        if not t:
            return None
        for f in list_forms():
            if t in (f.id, f.name.lower(), f.title.lower()):
                return f
        return None

    def _pick_form(self, target: str) -> InterviewReply:
        if target.isdecimal() and self.recommended and 1 <= int(target) <= len(self.recommended):
            return self.start(self.recommended[int(target) - 1])
        f = self._find_form(target)
        return self.start(f.id) if f is not None else self.recommend(target)

    def _resume_command(self, arg: str) -> InterviewReply:
        if self.store is None:
            return self._continue("") if self.draft else self._reply("没有可继续的草稿。")
        if not arg:
            if self.draft is not None:
                return self._continue("继续填写。")
            drafts = self.store.list(self.user_id)
            return self.resume(drafts[0].id) if drafts else self.list_drafts()
        if arg.isdecimal() and self.listed and 1 <= int(arg) <= len(self.listed):
            return self.resume(self.listed[int(arg) - 1])
        if arg.isdecimal():
            drafts = self.store.list(self.user_id)
            if 1 <= int(arg) <= len(drafts):
                return self.resume(drafts[int(arg) - 1].id)
        return self.resume(arg)

    def _pause(self) -> InterviewReply:
        assert self.draft is not None
        draft_id = self.draft.id
        self._save()
        store = self.store
        if store is not None:
            self._write(lambda: store.set_active(self.user_id, None))
        text = f"已暂停，草稿 {draft_id} 已保存。随时回复“继续”接着填写，或“我的草稿”查看全部草稿。"
        reply = self._reply(text, done=True)
        self.draft, self.form = None, None
        return reply

    def _delete(self) -> InterviewReply:
        assert self.draft is not None
        draft_id = self.draft.id
        store = self.store
        if store is not None:
            self._write(
                lambda: store.delete(self.user_id, draft_id),
                what="草稿未能删除",
                after="草稿仍然保留。问题解决后回复“确认”即可删除，回复其他内容则取消删除。",
            )
        self.draft, self.form = None, None
        return self._reply(f"草稿 {draft_id} 已删除。回复地区名称或表的编号可重新起草。", done=True)

    # --- asking ---

    def _progress(self, f: FieldSpec) -> str:
        assert self.form is not None
        return f"第{self.form.index_of(f.id) + 1}/{len(self.form.fields)}项"

    def _heading(self, f: FieldSpec) -> str:
        assert self.form is not None
        limit = f"（{f.limit_text}）" if f.max_chars else ""
        optional = "（选填）" if not f.required else ""
        return f"{self._progress(f)} · {self.form.display(f)}{limit}{optional}"

    def _format_hint(self, f: FieldSpec) -> str:
        if f.type == FieldType.AMOUNT_WAN:
            return "单位：万元，可写“1200”“1,200万”“1.2亿”或“3500000元”。"
        if f.type == FieldType.PERCENT:
            return "填百分数，如“5.2”或“5.2%”。"
        if f.type == FieldType.INTEGER:
            return "填整数。"
        if f.type == FieldType.DATE:
            return "填年月，如“2026年6月”。" if f.date_precision == "month" else "填日期，如“2026年6月30日”。"
        if f.type == FieldType.MULTI_CHOICE:
            return f"可多选，回复编号或名称，用逗号分隔：{option_list(f)}"
        if f.type == FieldType.SINGLE_CHOICE:
            return f"单选，回复编号或名称：{option_list(f)}"
        if f.type == FieldType.MOBILE:
            return "11位手机号。"
        if f.type == FieldType.LANDLINE:
            return "带区号的座机号码，如 0595-22579329。"
        if f.type == FieldType.PHONE:
            return "手机号或带区号的座机号码。"
        if f.type == FieldType.CREDIT_CODE:
            return "18位统一社会信用代码，见营业执照。"
        if f.type == FieldType.ROWS:
            cols = "｜".join(c.label for c in f.columns)
            extra = "；回复“导入草稿”可从已保存的草稿导入" if f.source else ""
            return f"每行一项，格式：{cols}{extra}。"
        return ""

    def _ask(self, f: FieldSpec, prefix: str = "") -> InterviewReply:
        assert self.draft is not None and self.form is not None
        self.draft.state.current = f.id
        self.draft.state.mode = "asking"
        lines = [prefix, self._heading(f)] if prefix else [self._heading(f)]
        if f.help:
            lines.append(f.help)
        if f.condition:
            lines.append(f"（{f.condition}）")
        if f.tip:
            lines.append(f"提示：{f.tip}")
        hint = self._format_hint(f)
        if hint and (not f.tip or f.type in (FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE)):
            lines.append(hint)
        if f.type == FieldType.ROWS:
            lines.append(_ROWS_HOW if len(f.columns) > 1 else _ROW_HOW)
        current = self.values.get(f.id)
        open_blanks = f.open_blanks(current)
        if open_blanks:
            lines.extend(_blank_question(b) for b in open_blanks)
        elif not is_empty(current):
            lines.append(f"当前答案：{self._preview(f, current, 60)}（直接输入新内容替换，回复“跳过”保留）")
        elif not f.required:
            lines.append("选填，不填请回复“跳过”。")
        self._save()
        return self._reply(
            "\n".join(lines),
            field_id=f.id,
            options=list(f.options),
            multiple=f.type == FieldType.MULTI_CHOICE,
            progress=self._progress(f),
        )

    def _with_question(self, text: str) -> InterviewReply:
        """A message followed by the pending question (or the summary hint)."""
        if self.draft is None or self.form is None:
            return self._reply(text)
        state = self.draft.state
        if state.mode == "asking" and state.current is not None:
            return self._ask(self.form.field(state.current), prefix=text)
        return self._reply(text + "\n回复“查看”看总览，“修改 编号”修改，“导出”生成 Word 文件。")

    def _next_field(self) -> FieldSpec | None:
        assert self.draft is not None and self.form is not None
        state = self.draft.state
        fields = self.form.fields
        start = self.form.index_of(state.current) + 1 if state.current else 0
        for f in fields[start:] + fields[:start]:
            if f.id not in state.visited and is_empty(self.values.get(f.id)):
                return f
        return None

    def _advance(self, prefix: str) -> InterviewReply:
        """After an answer or a skip: back to where an edit came from, else the next open field."""
        assert self.draft is not None and self.form is not None
        state = self.draft.state
        if state.return_to == "summary":
            state.return_to = None
            return self.summary(prefix=prefix)
        if state.return_to and self.form.has_field(state.return_to):
            target = self.form.field(state.return_to)
            state.return_to = None
            return self._ask(target, prefix=prefix)
        nxt = self._next_field()
        if nxt is None:
            return self.summary(prefix=prefix + "\n所有项目都已问过，请核对总览：")
        return self._ask(nxt, prefix=prefix)

    def _continue(self, prefix: str) -> InterviewReply:
        """Pick up where the user was: the pending question, or after the summary the next open field."""
        assert self.draft is not None and self.form is not None
        state = self.draft.state
        if state.mode == "asking" and state.current is not None:
            return self._ask(self.form.field(state.current), prefix=prefix)
        target = state.resume_at
        state.resume_at = None
        if target is None or not self.form.has_field(target):
            empty = [
                f
                for f in self.form.fields
                if is_empty(self.values.get(f.id)) or f.open_blanks(self.values.get(f.id))
            ]
            required = [f for f in empty if f.required]
            pool = required or empty
            target = pool[0].id if pool else None
        if target is None:
            return self.summary(prefix=prefix + "\n所有项目都已填写。")
        return self._ask(self.form.field(target), prefix=prefix)

    # --- answering ---

    def _check(self, f: FieldSpec, raw: Any) -> tuple[FieldResult, list[Problem]]:
        """Field checks plus the rules about this field alone (those make the question repeat)."""
        assert self.form is not None
        if f.type == FieldType.ROWS and isinstance(raw, str):
            raw = split_rows(f, raw)
        res = validate_field(self.form, f, raw)
        if res.errors or res.empty:
            return res, []
        trial = dict(self.values)
        trial[f.id] = res.value
        stops: list[Problem] = []
        for rule in self.form.rules:
            if blocking(rule, f.id):
                stops.extend(check_rule(self.form, rule, trial))
        if stops:
            res.errors.extend(stops)
            res.value = None
        gaps = row_gaps(self.form, f, res.value)
        return res, gaps + [p for p in check_rules(self.form, trial, f.id) if p not in stops]

    def set_field(self, field_id: str, value: Any) -> FieldResult:
        """Set one field programmatically (same checks as a chat answer); the draft is saved if valid.

        If the draft cannot be written, the value is not kept and the result carries a `save_failed`
        error that says why and how to fix it.
        """

        def failed(exc: DraftSaveError) -> FieldResult:
            return FieldResult(
                errors=[Problem(field=str(field_id)[:60], code="save_failed", message=str(exc))]
            )

        return self._guarded(lambda: self._set_field(field_id, value), failed)

    def _set_field(self, field_id: str, value: Any) -> FieldResult:
        if self.draft is None or self.form is None:
            return FieldResult(
                errors=[
                    Problem(
                        field=str(field_id)[:60], code="no_draft", message="还没有开始起草，请先选择一张表。"
                    )
                ]
            )
        f = self.form.find(field_id) if not self.form.has_field(field_id) else self.form.field(field_id)
        if f is None:
            return FieldResult(
                errors=[
                    Problem(
                        field=str(field_id)[:60],
                        code="unknown_field",
                        message=f"表中没有“{str(field_id)[:40]}”这一项。回复“查看”可看到所有项目及编号。",
                    )
                ]
            )
        res, _ = self._check(f, value)
        if res.ok and not res.empty:
            self.draft.answers[f.id] = res.value
            if f.id not in self.draft.state.visited:
                self.draft.state.visited.append(f.id)
            self._save()
        return res

    def _echo(self, f: FieldSpec, res: FieldResult) -> str:
        assert self.form is not None
        name = self.form.display(f)
        if f.type == FieldType.LONG_TEXT and isinstance(res.value, str):
            n = count_chars(res.value)
            count = f"（{n}/{f.max_chars}字）" if f.max_chars else f"（{n}字）"
            if f.max_chars and f.limit == LimitKind.HARD:
                count = f"（{n}/{f.max_chars}字，还可写{f.max_chars - n}字）"
            return f"已记录“{name}”{count}。"
        return f"已记录：{name} = {self._preview(f, res.value, 80)}"

    def _answer(self, f: FieldSpec, raw: str) -> InterviewReply:
        assert self.draft is not None and self.form is not None
        res, related = self._check(f, self._fill_blank(f, raw))
        if res.declined:  # “无”/“没有” for an optional number or date: leave it empty and move on
            self.draft.answers.pop(f.id, None)
            return self._skip()
        if res.empty:
            return self._ask(
                f, prefix="没有收到内容。" + ("如不填写请回复“跳过”。" if not f.required else "")
            )
        if res.errors:
            msg = "\n".join(p.message for p in res.errors)
            reply = self._ask(f, prefix=f"这一项还不能记录：\n{msg}\n请重新输入：")
            reply.problems = res.errors
            return reply
        self.draft.answers[f.id] = res.value
        if f.id not in self.draft.state.visited:
            self.draft.state.visited.append(f.id)
        self._save()
        lines = [self._echo(f, res), *res.notes]
        lines += [f"提示：{w.message}" for w in res.warnings]
        lines += [f"请注意：{p.message}" for p in related]
        if f.open_blanks(res.value):  # 是 / 其他 chosen: the printed blank after it comes next
            reply = self._ask(f, prefix="\n".join(lines))
        else:
            reply = self._advance("\n".join(lines))
        reply.problems = res.warnings + related + reply.problems
        return reply

    def _fill_blank(self, f: FieldSpec, raw: str) -> str | list[str]:
        """After '是' (or '其他') was chosen, the next reply fills its printed blank — unless it is a
        choice of its own ('否', '2', '是：某联盟'), which replaces the answer as usual."""
        current = self.values.get(f.id)
        open_blanks = f.open_blanks(current)
        text = raw.strip()
        if not open_blanks or not text:
            return raw
        as_choice = validate_field(self.form, f, text)
        if as_choice.ok and not as_choice.empty:
            return raw
        blank = open_blanks[0]
        if isinstance(current, list):
            return [f"{blank.option}：{text}" if v == blank.option else str(v) for v in current]
        return f"{blank.option}：{text}"

    def _skip(self) -> InterviewReply:
        assert self.draft is not None and self.form is not None
        state = self.draft.state
        if state.mode == "summary" or state.current is None:
            return self.summary(prefix="没有正在填写的项目。")
        f = self.form.field(state.current)
        if f.id not in state.visited:
            state.visited.append(f.id)
        if not is_empty(self.values.get(f.id)):
            note = f"已保留“{self.form.display(f)}”的原答案。"
        elif f.required:
            note = f"已先跳过“{self.form.display(f)}”。这是必填项，导出前需要补上。"
        else:
            note = f"已跳过“{self.form.display(f)}”（选填）。"
        self._save()
        return self._advance(note)

    def _back(self) -> InterviewReply:
        assert self.draft is not None and self.form is not None
        state = self.draft.state
        if state.return_to == "summary":
            state.return_to = None
            return self.summary(prefix="已返回总览，内容未改动。")
        if state.mode == "summary" or state.current is None:
            if state.resume_at and self.form.has_field(state.resume_at):
                return self._continue("回到刚才的项目：")
            return self._ask(self.form.fields[-1], prefix="回到最后一项：")
        i = self.form.index_of(state.current)
        if i == 0:
            return self._ask(self.form.fields[0], prefix="已经是第一项了。")
        return self._ask(self.form.fields[i - 1], prefix="回到上一项（已填内容都保留）：")

    def _edit(self, target: str) -> InterviewReply | None:
        assert self.draft is not None and self.form is not None
        state = self.draft.state
        f = self.form.find(target)
        value: str | None = None
        if f is None:
            m = re.match(r"^(.{1,40}?)\s*[：:=]\s*(.+)$", target, re.S)
            if m and self.form.find(m.group(1)) is not None:
                f, value = self.form.find(m.group(1)), m.group(2)
        if f is None:
            current = self.form.field(state.current) if state.current else None
            if (
                state.mode == "asking"
                and current is not None
                and current.type == FieldType.LONG_TEXT
                and len(target) > 12
            ):
                return None  # "修改工艺参数……" is an answer that happens to start with 修改
            return self._with_question(
                f"表中没有“{target[:40]}”这一项。回复“查看”可看到所有项目及编号，再用“修改 编号”修改。"
            )
        state.return_to = "summary" if state.mode == "summary" else (state.return_to or state.current)
        if state.return_to == f.id:
            state.return_to = None
        if value is not None:
            state.current = f.id
            return self._answer(f, value)
        return self._ask(f, prefix=f"修改“{self.form.display(f)}”：")

    # --- paste-in ---

    def _paste(self, text: str) -> InterviewReply | None:
        """Several '标签：内容' lines: fill each named field (each validated); None if not a paste."""
        assert self.draft is not None and self.form is not None
        single_line = "\n" not in text.strip()
        if len(text) > 60_000 or (single_line and not re.match(r"^\s*[^：:\n]{1,40}[：:]", text)):
            return None
        pairs: list[tuple[FieldSpec, list[str]]] = []
        for line in text.strip().split("\n"):
            m = re.match(r"^\s*(?:\d{1,2}[.、．]\s*)?([^：:\n]{1,40}?)\s*[：:]\s*(.*)$", line)
            f = self.form.find(m.group(1), fuzzy=False) if m else None
            if m and f is not None:
                pairs.append((f, [m.group(2)]))
            elif pairs:
                pairs[-1][1].append(line)
            else:
                return None
        if not pairs:
            return None
        current = self.draft.state.current
        if len(pairs) == 1 and pairs[0][0].id == current and self.draft.state.mode == "asking":
            return self._answer(pairs[0][0], "\n".join(pairs[0][1]).strip())
        done, failed = [], []
        for f, parts in pairs:
            res, _ = self._check(f, "\n".join(parts).strip())
            if res.empty:
                continue
            if res.errors:
                failed.append(f"✗ {self.form.display(f)}：{res.errors[0].message}")
                continue
            self.draft.answers[f.id] = res.value
            if f.id not in self.draft.state.visited:
                self.draft.state.visited.append(f.id)
            done.append(f"✓ {self.form.display(f)} = {self._preview(f, res.value, 30)}")
        self._save()
        lines = [f"已从粘贴内容填入{len(done)}项：", *done]
        if failed:
            lines += [f"{len(failed)}项未填入，请修改后重新发送：", *failed]
        cross = [p for p in check_rules(self.form, self.values) if p.field in {f.id for f, _ in pairs}]
        lines += [f"请注意：{p.message}" for p in cross]
        lines += [
            f"请注意：{b.missing_message(self.form.display(f))}"
            for f, _ in pairs
            for b in f.open_blanks(self.values.get(f.id))
        ]
        prefix = "\n".join(lines)
        state = self.draft.state
        if state.mode == "asking" and state.current and not is_empty(self.values.get(state.current)):
            return self._advance(prefix)
        return self._with_question(prefix)

    # --- summary card ---

    def _preview(self, f: FieldSpec, value: Any, n: int = PREVIEW) -> str:
        text = format_value(f, value).replace("\n", " ")
        if f.type == FieldType.LONG_TEXT:
            chars = count_chars(str(value))
            cut = text if len(text) <= n else text[:n] + "…"
            return f"{cut}（{chars}/{f.max_chars}字）" if f.max_chars else f"{cut}（{chars}字）"
        return text if len(text) <= n else text[:n] + "…"

    def summary(self, prefix: str = "") -> InterviewReply:
        """The summary card: every field with its answer or status, then cross-field problems."""
        return self._guarded(lambda: self._summary(prefix), self._save_failed)

    def _summary(self, prefix: str) -> InterviewReply:
        if self.draft is None or self.form is None:
            return self._reply(f"还没有正在起草的表。回复地区名称（如“{example_notice()[1]}”）或“我的草稿”。")
        state = self.draft.state
        state.mode, state.current = "summary", None
        report = check_values(self.form, self.values)
        lines = [prefix] if prefix else []
        lines.append(f"《{self.form.title}》总览（草稿 {self.draft.id}）：")
        shown: set[int] = set()
        for i, f in enumerate(self.form.fields, 1):
            value = self.values.get(f.id)
            mine = report.for_field(f.id)
            if is_empty(value):
                status = "✗ 未填（必填）" if f.required else "— 未填（选填）"
                line = f"{i}. {self.form.display(f)}：{status}"
            else:
                line = f"{i}. {self.form.display(f)}：{self._preview(f, value)}"
            for p in mine:
                if p.code == "required" and is_empty(value):
                    continue
                shown.add(id(p))
                line += f"\n   {'✗' if p.severity == 'error' else '⚠'} {p.message}"
            lines.append(line)
        errors = len(report.errors)
        missing = sum(1 for p in report.errors if p.code == "required" and is_empty(self.values.get(p.field)))
        lines.append(
            f"共{len(self.form.fields)}项：必填未填{missing}项，其他错误{errors - missing}项，提示{len(report.warnings)}项。"
        )
        if errors:
            lines.append(
                "回复“继续”接着填写未填项，“修改 编号”补填或修改（如“修改 3”）；全部改好后回复“导出”。"
                "也可先“导出草稿”看效果。"
            )
        else:
            lines.append("没有错误了。回复“导出”生成 Word 文件，或“修改 编号”继续修改。")
        self._save()
        return self._reply("\n".join(lines), problems=report.errors + report.warnings)

    # --- export ---

    def export(self, draft: bool = False) -> ExportResult:
        """Write the .docx and .json (a 草稿 when `draft`); refuses an invalid draft otherwise."""
        if self.draft is None or self.form is None:
            return ExportResult(ok=False, message="还没有正在起草的表，无法导出。")
        out_dir = get_settings().data_dir / "exports" / user_dir_name(self.user_id)
        return export_form(self.form, self.values, out_dir=out_dir, draft=draft, draft_id=self.draft.id)

    def _export_reply(self, draft: bool) -> InterviewReply:
        try:
            result = self.export(draft=draft)
        except OSError as exc:
            out_dir = get_settings().data_dir / "exports" / user_dir_name(self.user_id)
            raise DraftSaveError(
                write_failure_message(out_dir, exc, "文件未能导出"),
                after="草稿本身没有改动。问题解决后请重新回复“导出”。",
            ) from exc
        if not result.ok:
            reply = self._reply(result.message, problems=result.errors + result.warnings)
            return reply
        text = result.message
        if draft and result.errors:
            text += f"\n文件标明“草稿”，末尾列出了{len(result.errors)}个待解决的问题。"
        text += "\n草稿仍然保留，可继续“修改”后再次导出。"
        return self._reply(
            text,
            document=result.path,
            json_document=result.json_path,
            problems=result.errors + result.warnings,
            done=not draft,
        )

    # --- bureau summary forms ---

    def _import_drafts(self) -> InterviewReply:
        assert self.draft is not None and self.form is not None
        if not self.form.summary_of:
            return self._with_question("“导入草稿”只用于主管部门的汇总表。")
        if self.store is None:
            return self._with_question("当前没有保存草稿的位置，无法导入。请逐行填写。")
        sources = [d for d in self.store.list(self.user_id, self.form.summary_of) if d.answers]
        if not sources:
            source_name = load_form(self.form.summary_of).name
            return self._with_question(f"没有找到“{source_name}”的草稿。请先起草或导入企业的表，或逐行填写。")
        field_id, rows = summary_rows(self.form, [d.answers for d in sources])
        f = self.form.field(field_id)
        res = validate_field(self.form, f, rows)
        if res.errors:
            return self._with_question("导入的内容有问题：" + res.errors[0].message)
        self.draft.answers[field_id] = res.value
        if field_id not in self.draft.state.visited:
            self.draft.state.visited.append(field_id)
        self._save()
        names = "、".join(d.title() for d in sources)
        return self._advance(
            f"已从{len(sources)}份草稿导入{len(rows)}项：{names}。缺少的列（如所属地）请用“修改”补上。"
        )
