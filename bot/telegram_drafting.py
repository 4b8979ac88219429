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

Delivery: each step's replies go through the outbox (`bot.telegram_runtime.deliver`), and the step
is stamped into the draft it writes, so an update replayed after a crash neither applies an answer
twice nor loses its reply. Drafting happens in private chats only: a draft holds names, phones and
e-mails, so in a group the bot asks the user to continue privately.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Coroutine
from html import escape
from pathlib import Path
from typing import Any

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
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
from bot.telegram_runtime import (
    answer_query,
    deliver,
    document_item,
    journal_of,
    message_item,
    redeliver,
)
from bot.telegram_workers import StepResult, run_step
from knowledge.corpus import get_notice
from knowledge.formspec import FieldType, UnknownFormError, form_ids, load_form

log = logging.getLogger("jiebang.telegram")

CHOOSING, ANSWERING, REVIEWING = "choosing", "answering", "reviewing"
END = ConversationHandler.END
Handler = BaseHandler[Update, Any, Any]
STALE = "这个按钮来自已结束或别的草稿，不能再用了。请发送 /resume 继续您当前的草稿。"
MAX_OPTIONS_MASK = 20
NO_DRAFT = "您还没有进行中的草稿。发送 /draft 开始起草，或 /resume 继续已保存的草稿。"
PRIVATE_ONLY = (
    "为保护个人信息（联系人、电话、邮箱等），起草需求表只在与我的私聊中进行，群里不会显示草稿内容。"
    "请点下面的按钮打开私聊，草稿会接着上次的进度继续。"
)
PRIVATE_ALERT = "起草只在私聊中进行，以免个人信息显示在群里。请打开与机器人的私聊继续。"
NEW_DRAFT_NOTE = (
    "（您正在填写的草稿 {draft} 已保存：点上面的表会另开一份新草稿；发送 /resume 回到当前草稿。）"
)
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, Any]]


def is_form_picker(reply: InterviewReply) -> bool:
    """A list of forms to start a draft from (also shown while another draft is active)."""
    return bool(reply.options) and all(o in form_ids() for o in reply.options)


def next_state(reply: InterviewReply) -> str | int:
    """The conversation state follows the interview's own mode, so the two cannot drift apart. A
    form list means choosing, even while a draft is active: a number typed next picks a form, it
    must not become the active draft's answer."""
    if reply.done:
        return END
    if is_form_picker(reply):
        return CHOOSING
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

        The step writes the draft once, stamped with the update's id; the replies are recorded in the
        outbox before they are sent. So if the process dies anywhere in between, the replayed update
        either applies the step (it had not reached the disk), or sees the stamp and shows where the
        draft stands, or sends the recorded replies again: never an answer applied twice, never no reply.
        """
        assert update.effective_user is not None
        journal = journal_of(context.application)
        saved = (context.user_data or {}).get("drafting", {})
        result = await run_step(
            self.store.root,
            str(update.effective_user.id),
            [str(x) for x in saved.get("recommended", [])],
            [str(x) for x in saved.get("listed", [])],
            action,
            *args,
            step=f"tg{update.update_id}",
            replayed=journal is not None and update.update_id in journal.replayed,
        )
        drafting = {"recommended": result.recommended, "listed": result.listed}
        if context.user_data is not None:
            context.user_data["drafting"] = drafting
        stats = context.bot_data.setdefault("stats", {})
        if action == "start" and result.draft_id and not result.replayed:
            stats["drafts"] = int(stats.get("drafts", 0)) + 1
        state = next_state(result.reply)
        meta = {"state": state, "drafting": drafting}
        await deliver(context.application, update, self.items(update, result), meta)
        if result.reply.document:
            stats["exports"] = int(stats.get("exports", 0)) + 1
        return state

    # -- output -----------------------------------------------------------------------------------

    def keyboard(self, result: StepResult) -> InlineKeyboardMarkup | None:
        reply = result.reply
        if is_form_picker(reply):
            return InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(_short(load_form(o).name, 40), callback_data=f"d|new|{o}")]
                    for o in reply.options
                ]
            )
        form = load_form(result.form_id) if result.form_id else None
        if result.draft_id is None or form is None:
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

    def items(self, update: Update, result: StepResult) -> list[dict[str, Any]]:
        """The step's replies as outbox entries: the text in parts (keyboard under the last), the .docx."""
        chat = update.effective_chat
        if chat is None:
            return []
        reply = result.reply
        html = reply_html(reply)
        if is_form_picker(reply) and result.draft_id:
            html += "\n" + escape(NEW_DRAFT_NOTE.format(draft=result.draft_id), quote=False)
        parts = split_html(html) or ["（没有内容）"]
        keyboard = self.keyboard(result)
        items = [
            message_item(chat.id, part, keyboard if i == len(parts) - 1 else None)
            for i, part in enumerate(parts)
        ]
        if reply.document:
            path = Path(reply.document)
            caption = (
                "Word 文件已生成。"
                if "草稿" not in path.name
                else "草稿版 Word 文件（标明“草稿”，末尾列出待解决的问题）。"
            )
            items.append(document_item(chat.id, path, caption))
        return items

    # -- private chats only -----------------------------------------------------------------------

    @staticmethod
    def private(update: Update) -> bool:
        chat = update.effective_chat
        return chat is None or chat.type == Chat.PRIVATE

    async def private_only(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        """In a group: nothing of the draft is shown; the user is asked to continue in a private chat."""
        query = update.callback_query
        if query is not None:
            await answer_query(context.application, query, PRIVATE_ALERT, alert=True)
            return END
        chat = update.effective_chat
        if chat is not None:
            link = f"https://t.me/{context.bot.username}?start=draft"
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("🔒 打开私聊继续起草", url=link)]])
            await context.bot.send_message(chat.id, PRIVATE_ONLY, reply_markup=markup)
        return END

    def guard(self, callback: Callback) -> Callback:
        """Every drafting handler: private chats only, and an update replayed after a crash whose
        replies were already recorded just sends them again (the draft is not touched)."""

        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Any:
            if not self.private(update):
                return await self.private_only(update, context)
            meta = await redeliver(context.application, update)
            if meta is None:
                return await callback(update, context)
            if context.user_data is not None and isinstance(meta.get("drafting"), dict):
                context.user_data["drafting"] = meta["drafting"]  # the list a typed number refers to
            return meta.get("state")

        return guarded

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

    async def choose(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """Text under a form list picks a form ("1", a form's name) or narrows the list (a region's
        name). With another draft active, it never becomes that draft's answer; "继续" goes back."""
        message = update.effective_message
        assert message is not None and message.text is not None
        text = message.text.strip()
        if self.session(update, context).draft is None or text == "继续":
            return await self.run(update, context, "handle", message.text)
        return await self.run(update, context, "handle", f"新建 {text}")

    async def deep_link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """/start draft, from the group's "continue privately" button: pick up the draft here."""
        context.args = []
        return await self.resume(update, context)

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int:
        """A sticker or photo mid-draft: say so and repeat the pending question; the draft is untouched."""
        if update.effective_message:
            await update.effective_message.reply_text("起草时我只能读文字。请用文字回答下面这一项：")
        return await self.run(update, context, "handle", "")

    # -- buttons ----------------------------------------------------------------------------------

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | int | None:
        """Every drafting button. The callback query is always answered, stale or not; whether the
        answer reaches Telegram (a press made while the bot was down is "too old" by the time it is
        handled) never decides whether the choice is applied."""
        query = update.callback_query
        assert query is not None
        app = context.application

        async def refuse(text: str) -> None:
            await answer_query(app, query, text, alert=True)

        parts = (query.data or "").split("|")
        if len(parts) >= 3 and parts[1] == "new":
            if parts[2] not in form_ids():
                await refuse(STALE)
                return None
            await answer_query(app, query)
            await self._clear_keyboard(query.message)
            return await self.run(update, context, "start", parts[2])
        session = self.session(update, context)
        draft, form = session.draft, session.form
        if len(parts) < 3 or draft is None or form is None or parts[1] != draft.id:
            await refuse(STALE)
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
            await refuse(STALE)
            return None
        if action in ("o", "m", "M", "s") and (not nums or nums[0] != current):
            await refuse("这个按钮属于之前的问题，请回答下面最新的这一项。")
            return None
        field = form.fields[current] if current is not None else None
        if action == "o" and field is not None and len(nums) == 2 and 0 <= nums[1] < len(field.options):
            await answer_query(app, query, f"已选：{_short(field.options[nums[1]], 40)}")
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
                await answer_query(app, query, "已选：" + ("、".join(chosen) if chosen else "（无）"))
                rows = [
                    *self.multi_rows(draft.id, nums[0], field.options, nums[1]),
                    self.nav_row(draft.id, nums[0]),
                ]
                await self._set_keyboard(query.message, InlineKeyboardMarkup(rows))
                return None
            if not chosen:
                await refuse("请至少选一项；不选请点“跳过”。")
                return None
            await answer_query(app, query)
            await self._clear_keyboard(query.message)
            return await self.run(update, context, "handle", "，".join(chosen))
        simple = {"s": "跳过", "v": "查看", "x": "导出", "X": "导出草稿", "c": "继续"}
        if action in simple and (action != "s" or len(nums) == 1):
            await answer_query(app, query)
            return await self.run(update, context, "handle", simple[action])
        if action == "e" and len(nums) == 1 and 0 <= nums[0] < len(form.fields):
            await answer_query(app, query)
            return await self.run(update, context, "handle", f"修改 {nums[0] + 1}")
        await refuse(STALE)
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
        g = self.guard
        commands: list[Handler] = [
            CommandHandler("draft", g(self.draft)),
            CommandHandler("resume", g(self.resume)),
            CommandHandler("summary", g(self.summary)),
            CommandHandler("edit", g(self.edit)),
            CommandHandler("export", g(self.export)),
        ]
        deep_link: Handler = CommandHandler(
            "start", g(self.deep_link), filters=filters.ChatType.PRIVATE & filters.Regex(r"^/start\s+draft$")
        )
        button: Handler = CallbackQueryHandler(g(self.button), pattern=r"^d\|")
        typed = filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
        text: Handler = MessageHandler(typed, g(self.text))
        choose: Handler = MessageHandler(typed, g(self.choose))
        other: Handler = MessageHandler(
            ~filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, g(self.not_text)
        )
        cancel: Handler = CommandHandler("cancel", g(self.cancel))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
            return ConversationHandler(
                entry_points=[*commands, deep_link, button],
                states={CHOOSING: [choose, other], ANSWERING: [text, other], REVIEWING: [text, other]},
                fallbacks=[cancel, *commands, deep_link, button],
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
