"""Drafting over Telegram: the guided interview of `bot.interview` behind a persistent ConversationHandler.

The interview owns the draft and saves it on every answer (`bot.drafts.DraftStore`, one directory per
user). This module only routes: text and buttons go to `DraftSession.handle`, replies become HTML with
inline keyboards, exports go out with `send_document`. The conversation state (choosing a form,
answering, reviewing the summary) is derived from each reply and persisted with PTB persistence; the
diagram is in docs/telegram.md.

Callback data (all ≤ 64 bytes) name the draft they belong to, `d|<draft id>|<action>|…`; a button
whose draft is not the presser's active draft — an old conversation, or forged data naming somebody
else's draft — is refused without touching any draft, since drafts are only ever looked up in the
presser's own directory.
"""

from __future__ import annotations

import logging
import warnings
from html import escape
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.drafts import DraftStore
from bot.interview import DraftSession, InterviewReply
from bot.telegram_format import split_html
from bot.telegram_runtime import mark_applied, mark_inflight
from bot.telegram_workers import StepResult, run_step
from knowledge.corpus import get_notice
from knowledge.formspec import FieldType, UnknownFormError, form_ids, load_form

log = logging.getLogger("jiebang.telegram")

CHOOSING, ANSWERING, REVIEWING = "choosing", "answering", "reviewing"
END = ConversationHandler.END
Handler = BaseHandler[Update, Any, Any]
STALE = "这个按钮来自已结束或别的草稿，不能再用了。请发送 /resume 继续您当前的草稿。"
MAX_OPTIONS_MASK = 20
RESTARTED = "机器人刚刚重启，您的上一条消息可能已经记录，也可能没有。下面是草稿现在的进度，请据此继续："
NO_DRAFT = "您还没有进行中的草稿。发送 /draft 开始起草，或 /resume 继续已保存的草稿。"


def next_state(reply: InterviewReply) -> str | int:
    """The conversation state follows the interview's own mode, so the two cannot drift apart."""
    if reply.done:
        return END
    if reply.mode == "asking":
        return ANSWERING
    if reply.mode == "summary":
        return REVIEWING
    return CHOOSING if reply.options else END  # idle: a form list to pick from, or nothing pending


def reply_html(reply: InterviewReply) -> str:
    """Escaped interview text; the progress heading (第n/m项 · 项目) in bold."""
    lines = escape(reply.text, quote=False).split("\n")
    if reply.progress:
        lines = [f"<b>{line}</b>" if line.startswith(escape(reply.progress)) else line for line in lines]
    return "\n".join(lines)


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class Drafting:
    """The drafting handlers, bound to one draft store."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store

    # -- sessions ---------------------------------------------------------------------------------

    def session(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> DraftSession:
        """A read-only view of the user's own session (steps that write run in a worker): drafts are
        looked up in the directory of the sender's id only."""
        assert update.effective_user is not None
        session = DraftSession(self.store, user_id=str(update.effective_user.id))
        saved = (context.user_data or {}).get("drafting", {})
        session.recommended = [str(x) for x in saved.get("recommended", [])]
        session.listed = [str(x) for x in saved.get("listed", [])]
        return session

    async def run(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, action: str, *args: Any
    ) -> str | int:
        """Run one interview step in a worker process (it writes the draft to disk), then reply.

        The step is marked in-flight first: if the process dies before the update is finished, the
        replayed update shows where the draft stands instead of applying the answer a second time.
        """
        assert update.effective_user is not None
        if not await mark_inflight(context.application, update):
            if update.effective_chat:
                await context.bot.send_message(update.effective_chat.id, RESTARTED)
            action, args = "handle", ("继续",)
        saved = (context.user_data or {}).get("drafting", {})
        result = await run_step(
            self.store.root,
            str(update.effective_user.id),
            [str(x) for x in saved.get("recommended", [])],
            [str(x) for x in saved.get("listed", [])],
            action,
            *args,
        )
        if context.user_data is not None:
            context.user_data["drafting"] = {"recommended": result.recommended, "listed": result.listed}
        await mark_applied(context.application, update)
        if action == "start" and result.draft_id:
            stats = context.bot_data.setdefault("stats", {})
            stats["drafts"] = int(stats.get("drafts", 0)) + 1
        await self.send(update, context, result)
        return next_state(result.reply)

    # -- output -----------------------------------------------------------------------------------

    def keyboard(self, result: StepResult) -> InlineKeyboardMarkup | None:
        reply = result.reply
        form = load_form(result.form_id) if result.form_id else None
        if result.draft_id is None or form is None:
            if reply.options and all(o in form_ids() for o in reply.options):
                return InlineKeyboardMarkup(
                    [
                        [InlineKeyboardButton(_short(load_form(o).name, 40), callback_data=f"d|new|{o}")]
                        for o in reply.options
                    ]
                )
            return None
        did = result.draft_id
        if reply.mode == "asking" and reply.field_id and form.has_field(reply.field_id):
            fi = form.index_of(reply.field_id)
            f = form.field(reply.field_id)
            rows: list[list[InlineKeyboardButton]] = []
            if f.type == FieldType.SINGLE_CHOICE:
                rows += [
                    [InlineKeyboardButton(_short(o, 30), callback_data=f"d|{did}|o|{fi}|{i}")]
                    for i, o in enumerate(f.options)
                ]
            elif f.type == FieldType.MULTI_CHOICE and len(f.options) <= MAX_OPTIONS_MASK:
                rows += self.multi_rows(did, fi, f.options, 0)
            rows.append(self.nav_row(did, fi))
            return InlineKeyboardMarkup(rows)
        if reply.mode == "summary":
            buttons = [
                InlineKeyboardButton(f"✏️{i} {_short(form.display(f), 7)}", callback_data=f"d|{did}|e|{i - 1}")
                for i, f in enumerate(form.fields, 1)
            ]
            rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
            rows.append(
                [
                    InlineKeyboardButton("📄 导出", callback_data=f"d|{did}|x"),
                    InlineKeyboardButton("📝 导出草稿", callback_data=f"d|{did}|X"),
                    InlineKeyboardButton("▶️ 继续填写", callback_data=f"d|{did}|c"),
                ]
            )
            return InlineKeyboardMarkup(rows)
        return None

    @staticmethod
    def nav_row(did: str, fi: int) -> list[InlineKeyboardButton]:
        return [
            InlineKeyboardButton("⏭ 跳过", callback_data=f"d|{did}|s|{fi}"),
            InlineKeyboardButton("📋 总览", callback_data=f"d|{did}|v"),
        ]

    @staticmethod
    def multi_rows(did: str, fi: int, options: list[str], mask: int) -> list[list[InlineKeyboardButton]]:
        """Toggle buttons that carry the selection in their own data, so no state is kept server-side."""
        rows = [
            [
                InlineKeyboardButton(
                    ("✅ " if mask >> i & 1 else "▫️ ") + _short(o, 28),
                    callback_data=f"d|{did}|m|{fi}|{mask ^ (1 << i)}",
                )
            ]
            for i, o in enumerate(options)
        ]
        rows.append([InlineKeyboardButton("✔️ 选好了", callback_data=f"d|{did}|M|{fi}|{mask}")])
        return rows

    async def send(self, update: Update, context: ContextTypes.DEFAULT_TYPE, result: StepResult) -> None:
        chat = update.effective_chat
        if chat is None:
            return
        reply = result.reply
        parts = split_html(reply_html(reply)) or ["（没有内容）"]
        keyboard = self.keyboard(result)
        for i, part in enumerate(parts):
            await context.bot.send_message(
                chat.id, part, reply_markup=keyboard if i == len(parts) - 1 else None
            )
        if reply.document:
            path = Path(reply.document)
            caption = (
                "Word 文件已生成。"
                if "草稿" not in path.name
                else "草稿版 Word 文件（标明“草稿”，末尾列出待解决的问题）。"
            )
            await context.bot.send_document(
                chat.id, document=path.read_bytes(), filename=path.name, caption=caption
            )
            stats = context.bot_data.setdefault("stats", {})
            stats["exports"] = int(stats.get("exports", 0)) + 1

    # -- commands ---------------------------------------------------------------------------------

    async def draft(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """/draft [地区或表]: the form picker; with no words, suggest from the region asked about last."""
        words = " ".join(context.args or []).strip()
        if not words:
            recent = (context.user_data or {}).get("context") or []
            words = get_notice(recent[0]).short if recent else ""
        return await self.run(update, context, "handle", f"新建 {words}".strip())

    async def resume(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """/resume [编号]: the active draft, else the latest saved one, else the form picker."""
        assert update.effective_user is not None
        if not self.store.list(str(update.effective_user.id)):
            return await self.run(update, context, "handle", "新建")
        return await self.run(update, context, "handle", f"继续 {' '.join(context.args or [])}".strip())

    async def _no_draft(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        if self.session(update, context).draft is not None:
            return False
        if update.effective_message:
            await update.effective_message.reply_text(NO_DRAFT)
        return True

    async def summary(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        if await self._no_draft(update, context):
            return END
        return await self.run(update, context, "handle", "查看")

    async def edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """/edit 项目: ask that field again; /edit alone shows the summary with an edit button per field."""
        if await self._no_draft(update, context):
            return END
        target = " ".join(context.args or []).strip()
        return await self.run(update, context, "handle", f"修改 {target}" if target else "查看")

    async def export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """/export, or /export 草稿 for a file marked 草稿 while problems remain."""
        if await self._no_draft(update, context):
            return END
        draft = any("草稿" in a for a in context.args or [])
        return await self.run(update, context, "handle", "导出草稿" if draft else "导出")

    async def cancel(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        session = self.session(update, context)
        if session.draft is None:
            if update.effective_message:
                await update.effective_message.reply_text(
                    "已退出起草。随时可以直接提问，或发送 /draft 起草需求表。"
                )
            return END
        await self.run(update, context, "handle", "取消")
        return END

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        message = update.effective_message
        assert message is not None and message.text is not None
        return await self.run(update, context, "handle", message.text)

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """A sticker or photo mid-draft: say so and repeat the pending question; the draft is untouched."""
        if update.effective_message:
            await update.effective_message.reply_text("起草时我只能读文字。请用文字回答下面这一项：")
        return await self.run(update, context, "handle", "")

    # -- buttons ----------------------------------------------------------------------------------

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
        """Every drafting button. The callback query is always answered, stale or not."""
        query = update.callback_query
        assert query is not None
        parts = (query.data or "").split("|")
        if len(parts) >= 3 and parts[1] == "new":
            if parts[2] not in form_ids():
                await query.answer(STALE, show_alert=True)
                return None
            await query.answer()
            await self._clear_keyboard(query.message)
            return await self.run(update, context, "start", parts[2])
        session = self.session(update, context)
        draft, form = session.draft, session.form
        if len(parts) < 3 or draft is None or form is None or parts[1] != draft.id:
            await query.answer(STALE, show_alert=True)
            return None
        action, args = parts[2], parts[3:]
        current = (
            form.index_of(draft.state.current)
            if draft.state.mode == "asking" and draft.state.current
            else None
        )
        try:
            nums = [int(a) for a in args]
        except ValueError:
            await query.answer(STALE, show_alert=True)
            return None
        if action in ("o", "m", "M", "s") and (not nums or nums[0] != current):
            await query.answer("这个按钮属于之前的问题，请回答下面最新的这一项。", show_alert=True)
            return None
        field = form.fields[current] if current is not None else None
        if action == "o" and field is not None and len(nums) == 2 and 0 <= nums[1] < len(field.options):
            await query.answer(f"已选：{_short(field.options[nums[1]], 40)}")
            await self._clear_keyboard(query.message)
            return await self.run(update, context, "handle", field.options[nums[1]])
        if (
            action in ("m", "M")
            and field is not None
            and len(nums) == 2
            and 0 <= nums[1] < 1 << len(field.options)
        ):
            chosen = [o for i, o in enumerate(field.options) if nums[1] >> i & 1]
            if action == "m":
                await query.answer("已选：" + ("、".join(chosen) if chosen else "（无）"))
                rows = [
                    *self.multi_rows(draft.id, nums[0], field.options, nums[1]),
                    self.nav_row(draft.id, nums[0]),
                ]
                await self._set_keyboard(query.message, InlineKeyboardMarkup(rows))
                return None
            if not chosen:
                await query.answer("请至少选一项；不选请点“跳过”。", show_alert=True)
                return None
            await query.answer()
            await self._clear_keyboard(query.message)
            return await self.run(update, context, "handle", "，".join(chosen))
        simple = {"s": "跳过", "v": "查看", "x": "导出", "X": "导出草稿", "c": "继续"}
        if action in simple and (action != "s" or len(nums) == 1):
            await query.answer()
            return await self.run(update, context, "handle", simple[action])
        if action == "e" and len(nums) == 1 and 0 <= nums[0] < len(form.fields):
            await query.answer()
            return await self.run(update, context, "handle", f"修改 {nums[0] + 1}")
        await query.answer(STALE, show_alert=True)
        return None

    @staticmethod
    async def _set_keyboard(message: object, markup: InlineKeyboardMarkup | None) -> None:
        if isinstance(message, Message):
            try:
                await message.edit_reply_markup(markup)
            except TelegramError as exc:
                log.info("could not update the keyboard: %s", type(exc).__name__)

    async def _clear_keyboard(self, message: object) -> None:
        """Buttons of an answered question go away, so they cannot be pressed twice."""
        await self._set_keyboard(message, None)

    # -- wiring -----------------------------------------------------------------------------------

    def handler(self) -> ConversationHandler[Any]:
        commands: list[Handler] = [
            CommandHandler("draft", self.draft),
            CommandHandler("resume", self.resume),
            CommandHandler("summary", self.summary),
            CommandHandler("edit", self.edit),
            CommandHandler("export", self.export),
        ]
        button: Handler = CallbackQueryHandler(self.button, pattern=r"^d\|")
        text: Handler = MessageHandler(
            filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, self.text
        )
        other: Handler = MessageHandler(
            ~filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, self.not_text
        )
        cancel: Handler = CommandHandler("cancel", self.cancel)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
            return ConversationHandler(
                entry_points=[*commands, button],
                states={CHOOSING: [text, other], ANSWERING: [text, other], REVIEWING: [text, other]},
                fallbacks=[cancel, *commands, button],
                allow_reentry=True,
                name="drafting",
                persistent=True,
            )


def drafting_handlers(store: DraftStore | None = None) -> list[BaseHandler[Any, Any, Any]]:
    try:
        flow = Drafting(store or DraftStore())
    except UnknownFormError:  # pragma: no cover - forms ship with the package
        return []
    return [flow.handler()]
