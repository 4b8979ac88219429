"""`jiebang telegram`: the Telegram front end. Handlers are a few lines each and call the same engine
as the terminal chat (`knowledge.answer.answer`); all wiring is in `build_application`.

Per user, PTB persistence (`bot.telegram_persistence`, SQLite in the data dir) keeps the follow-up
context, the last answers (for 👍/👎) and the drafting conversation state; the drafts themselves live
in the interview's draft store, one directory per user (`bot.telegram_drafting`). Usage counters for
/stats live in bot_data. Delivery (ordering, retries, crash safety) is in `bot.telegram_runtime`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urlparse

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import telegram_workers
from bot.telegram_format import SAFE_LIMIT, answer_messages, cn_date, passage_html, split_html
from bot.telegram_http import AiohttpRequest
from bot.telegram_notices import deadlines_html, notice_card, notices_overview
from bot.telegram_persistence import SQLitePersistence, secure_data_dir
from bot.telegram_runtime import (
    JournalQueue,
    PerUserUpdateProcessor,
    RetryingRateLimiter,
    answer_query,
    deliver,
    keep_lost_reply,
    message_item,
    recover,
    redeliver,
)
from knowledge.answer import answer, today_in_shanghai
from knowledge.chunks import path_at
from knowledge.corpus import example_notice, example_question, get_notice, notice_ids, notices
from knowledge.settings import Settings, get_settings
from knowledge.types import Answer, FollowUp
from knowledge.understand import Context

log = logging.getLogger("jiebang.telegram")

ENGINE = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jiebang-engine")
MAX_QUESTION_CHARS = 1000
RECENT_ANSWERS = 50
TOP_REFUSED = 500
TYPING_AFTER = 0.3
SOURCE_DATA = re.compile(r"^src\|([a-z]+)\|(\d{1,7})\|(\d{1,7})$")
FEEDBACK_DATA = re.compile(r"^fb\|(\d{1,9})\|([ud])$")
PERSISTENCE_FILE = "telegram.sqlite3"
POOL_SIZE = 64
# Bot API calls wait this long for Telegram's answer before giving up and retrying. A send that
# timed out may still have been delivered, so its retry can duplicate the message: the timeout is
# set well above any stall seen in practice (see docs/telegram.md, "Delivery guarantees").
SEND_TIMEOUT = 30.0
UPDATES_READ_TIMEOUT = 5.0  # getUpdates is idempotent: a quick retry costs nothing

SORRY = "抱歉，处理这条消息时出了点问题，已经记录下来。请稍后再试一次，或发送 /help 查看用法。"
EXAMPLES = tuple(example_question(i) for i in range(3))
MENU = [
    BotCommand("start", "开始使用：功能介绍与收录的通知"),
    BotCommand("help", "帮助：可以问什么、怎么起草"),
    BotCommand("notices", "通知卡片：文号、日期、是否已过"),
    BotCommand("deadlines", "各通知的截止日期"),
    BotCommand("draft", "起草需求表"),
    BotCommand("resume", "继续未完成的草稿"),
    BotCommand("summary", "查看草稿摘要，逐项修改"),
    BotCommand("edit", "修改草稿中的某一项"),
    BotCommand("export", "导出 Word 文档（.docx）"),
    BotCommand("cancel", "退出当前操作（草稿会保留）"),
]


# -- engine calls ---------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _answer(
    question: str, notices: tuple[str, ...], previous: str | None, earlier: tuple[str, ...], today: date
) -> Answer:
    """The engine is deterministic for a question, the conversation so far and the day: cache it."""
    context = Context(notices=list(notices), question=previous, earlier=list(earlier), today=today)
    return answer(question, today=today, context=context)


async def run_engine(question: str, follow_up: dict[str, Any] | None, today: date) -> Answer:
    """Answers run on one worker thread, so the event loop keeps serving other users meanwhile."""
    up = FollowUp(**follow_up) if follow_up else FollowUp()
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        ENGINE, _answer, question, tuple(up.notices), up.question, tuple(up.earlier), today
    )


def stored_context(user: Any) -> dict[str, Any] | None:
    """The follow-up context kept for a user (a list of notice ids in state written before it had a question)."""
    raw = user.get("context") if user else None
    if isinstance(raw, list):
        return {"notices": [str(n) for n in raw], "question": None}
    return raw if isinstance(raw, dict) else None


def warm_up() -> None:
    """Build or load the index and run one question, so the first user does not wait for it."""
    from knowledge.index import ensure_index

    ensure_index()
    _answer(EXAMPLES[0], (), None, (), today_in_shanghai())


# -- bookkeeping ----------------------------------------------------------------------------------


def stats(context: ContextTypes.DEFAULT_TYPE) -> dict[str, Any]:
    data: dict[str, Any] = context.bot_data.setdefault("stats", {})
    for key in ("questions", "refusals", "drafts", "exports", "up", "down"):
        data.setdefault(key, 0)
    data.setdefault("refused", {})
    return data


def count(context: ContextTypes.DEFAULT_TYPE, key: str, n: int = 1) -> None:
    stats(context)[key] += n


def record_answer(context: ContextTypes.DEFAULT_TYPE, question: str, ans: Answer) -> int:
    """Count the question, remember it for feedback, and keep the most frequent refused questions."""
    user = context.user_data if context.user_data is not None else {}
    qid = int(user.get("next_qid", 1))
    user["next_qid"] = qid + 1
    recent: dict[str, Any] = user.setdefault("answers", {})
    recent[str(qid)] = {"q": question[:200], "refused": ans.refused, "fb": None}
    for old in sorted(recent, key=int)[:-RECENT_ANSWERS]:
        del recent[old]
    count(context, "questions")
    if ans.refused:
        count(context, "refusals")
        refused: dict[str, int] = stats(context)["refused"]
        key = question.strip()[:100]
        refused[key] = refused.get(key, 0) + 1
        if len(refused) > TOP_REFUSED:
            for q, _ in sorted(refused.items(), key=lambda kv: kv[1])[: len(refused) - TOP_REFUSED]:
                del refused[q]
    return qid


def answer_keyboard(ans: Answer, qid: int) -> InlineKeyboardMarkup:
    """One button per source (shows the full passage), then 👍/👎. Every callback is ≤ 64 bytes."""
    rows: list[list[InlineKeyboardButton]] = []
    buttons = [
        InlineKeyboardButton(f"📄 原文[{c.n}]", callback_data=f"src|{c.notice}|{c.start}|{c.end}")
        for c in ans.citations
    ]
    for i in range(0, len(buttons), 4):
        rows.append(buttons[i : i + 4])
    rows.append(
        [
            InlineKeyboardButton("👍 有用", callback_data=f"fb|{qid}|u"),
            InlineKeyboardButton("👎 没用", callback_data=f"fb|{qid}|d"),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def reply_parts(
    message: Message, parts: list[str], keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Send pre-split HTML parts in order; the keyboard goes under the last one."""
    for i, part in enumerate(parts):
        await message.reply_html(part, reply_markup=keyboard if i == len(parts) - 1 else None)


# -- commands -------------------------------------------------------------------------------------


def start_text() -> str:
    examples = "\n".join(f"• {escape(e)}" for e in EXAMPLES)
    return (
        "您好！我是<b>揭榜助手</b>，回答“揭榜挂帅”技术需求通知的问题，每句回答都注明出处，"
        "也能一步步帮您起草需求表并导出 Word 文档。\n\n"
        f"<b>收录的通知</b>\n{notices_overview()}\n\n"
        f"<b>直接发文字提问</b>，例如：\n{examples}\n\n"
        "/notices 通知卡片　/deadlines 截止日期　/draft 起草需求表　/help 帮助"
    )


HELP_TEXT = (
    "<b>怎么用</b>\n"
    "• 直接发文字提问，回答下方列出来源；点“📄 原文”看被引用的整段原文，点 👍/👎 告诉我是否有用。\n"
    f"• 追问时可以省略地名，例如先问“{example_notice()[1]}的截止时间”，再问“联系人是谁”。\n"
    f"• 在任何聊天里输入 @机器人用户名 加关键词（如“{example_notice()[1]} 截止”），可以把规则卡片发到当前聊天。\n\n"
    "<b>命令</b>\n"
    "/notices 每份通知的文号、日期和是否已过\n"
    "/deadlines 所有截止日期（按北京时间计算是否已过）\n"
    "/draft 起草需求表：一次问一项，可随时 /summary 查看、/edit 修改\n"
    "/resume 继续未完成的草稿　/export 导出 .docx\n"
    "/cancel 退出当前操作（草稿会保留）　/ask 问题 —— 起草途中提问\n\n"
    "本助手只依据收录的通知作答；通知没写的内容会明确告诉您，并建议咨询的部门。"
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Introduce the bot and the five notices."""
    if update.effective_message:
        await update.effective_message.reply_html(start_text())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_html(HELP_TEXT)


async def notices_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A card per notice, with its dates and whether each has passed (today in Asia/Shanghai)."""
    if update.effective_message is None:
        return
    today = today_in_shanghai()
    for n in notices():
        await reply_parts(update.effective_message, split_html(notice_card(n, today)))


async def deadlines_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await reply_parts(update.effective_message, split_html(deadlines_html(today_in_shanghai())))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Outside a draft there is nothing to stop; forget the follow-up context so the next question stands alone."""
    if context.user_data is not None:
        context.user_data.pop("context", None)
    if update.effective_message:
        await update.effective_message.reply_text(
            "当前没有进行中的操作，已清除上一轮问题的上下文。随时可以直接提问。"
        )


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admin-only usage numbers; anyone else is told it is for administrators."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if user.id not in get_settings().admin_id_set:
        await message.reply_text("这个命令仅供管理员使用。要开通，请把您的用户 ID 加入 JIEBANG_ADMIN_IDS。")
        return
    s = stats(context)
    top = sorted(s["refused"].items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    lines = [
        "<b>使用统计</b>",
        f"提问：{s['questions']}（拒答 {s['refusals']}）",
        f"起草：{s['drafts']} 份　导出：{s['exports']} 次",
        f"评价：👍 {s['up']}　👎 {s['down']}",
        f"用户：{len(context.application.user_data)}",
    ]
    if top:
        lines.append("\n<b>最常被拒答的问题</b>")
        lines.extend(f"{i}. {escape(q)}（{n} 次）" for i, (q, n) in enumerate(top, 1))
    await reply_parts(message, split_html("\n".join(lines)))


# -- questions ------------------------------------------------------------------------------------


async def _answer_with_typing(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> Answer:
    """Show “typing…” only when the engine is slow, so fast answers cost one request."""
    user = context.user_data if context.user_data is not None else {}
    task = asyncio.ensure_future(run_engine(question, stored_context(user), today_in_shanghai()))
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER)
    if not done and update.effective_chat:
        try:
            await update.effective_chat.send_action(ChatAction.TYPING)
        except TelegramError as exc:
            log.info("typing indicator failed: %s", type(exc).__name__)
    return await task


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text is a question: the cited answer, source buttons and feedback buttons."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    if await redeliver(context.application, update) is not None:
        return  # answered before a crash cut the sending short: the rest has just gone out
    await answer_question(update, context, message, message.text.strip())


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, text: str
) -> None:
    if len(text) > MAX_QUESTION_CHARS:
        await message.reply_text(
            f"问题太长了（{len(text)} 字）。请缩短到 {MAX_QUESTION_CHARS} 字以内，一次问一件事，例如：{EXAMPLES[0]}"
        )
        return
    ans = await _answer_with_typing(update, context, text)
    if context.user_data is not None:
        context.user_data["context"] = ans.follow_up.model_dump()  # the engine's follow-up context
    qid = record_answer(context, text, ans)
    parts, keyboard = answer_messages(ans), answer_keyboard(ans, qid)
    items = [
        message_item(message.chat.id, p, keyboard if i == len(parts) - 1 else None)
        for i, p in enumerate(parts)
    ]
    await deliver(context.application, update, items)  # kept until sent: a crash or outage delays it


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask 问题: ask a question in the middle of a draft without leaving it."""
    message = update.effective_message
    if message is None:
        return
    text = " ".join(context.args or []).strip()
    if not text:
        await message.reply_text(f"请把问题写在 /ask 后面，例如：/ask {EXAMPLES[0]}")
        return
    if await redeliver(context.application, update) is not None:
        return
    await answer_question(update, context, message, text)


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the whole paragraph around a cited quote. The data name a public span, so any user may ask."""
    query = update.callback_query
    if query is None:
        return
    m = SOURCE_DATA.match(query.data or "")
    if m is None or m.group(1) not in notice_ids():
        await answer_query(context.application, query, "这个按钮已失效，请重新提问。", alert=True)
        return
    nid, start, end = m.group(1), int(m.group(2)), int(m.group(3))
    notice = get_notice(nid)
    if not 0 <= start < end <= len(notice.text) or end - start > 5000:
        await answer_query(context.application, query, "这个按钮已失效，请重新提问。", alert=True)
        return
    await answer_query(context.application, query)
    html = passage_html(notice, path_at(nid, start), notice.text, start, end)
    chat_id = update.effective_chat.id if update.effective_chat else query.from_user.id
    for part in split_html(html):
        await context.bot.send_message(chat_id, part)


async def feedback_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record 👍/👎 against the user's own answer; someone else's or an expired answer changes nothing."""
    query = update.callback_query
    if query is None:
        return
    m = FEEDBACK_DATA.match(query.data or "")
    record = None
    if m is not None and context.user_data is not None:
        record = context.user_data.get("answers", {}).get(m.group(1))
    if m is None or record is None:
        await answer_query(
            context.application, query, "这条回答已过期或不是您提的问题，无法评价。", alert=True
        )
        return
    vote = "up" if m.group(2) == "u" else "down"
    if record.get("fb") == vote:
        await answer_query(context.application, query, "已经记录过您的评价，谢谢！")
        return
    if record.get("fb"):
        count(context, record["fb"], -1)
    record["fb"] = vote
    count(context, vote)
    await answer_query(
        context.application, query, "谢谢反馈！" if vote == "up" else "谢谢反馈，我们会改进这类回答。"
    )
    if query.message is not None and isinstance(query.message, Message) and query.message.reply_markup:
        rows = [list(r) for r in query.message.reply_markup.inline_keyboard[:-1]]
        rows.append(
            [InlineKeyboardButton("已评价 👍" if vote == "up" else "已评价 👎", callback_data=query.data)]
        )
        try:
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))
        except TelegramError as exc:
            log.info("could not mark feedback on the message: %s", type(exc).__name__)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons from an old conversation, or data nobody issued: say so, change nothing."""
    if update.callback_query:
        await answer_query(
            context.application,
            update.callback_query,
            "这个按钮已失效（可能来自之前的对话）。请重新发送命令。",
            alert=True,
        )


# -- inline mode ----------------------------------------------------------------------------------

INLINE_TOPICS = (
    ("截止时间", "{short}的需求表截止时间是什么时候？"),
    ("申报条件", "{short}对申报单位有什么条件？"),
    ("资金支持", "{short}的财政资金支持是多少？"),
    ("联系方式", "{short}的联系人和联系电话是什么？"),
)


def _article(title: str, ans: Answer) -> InlineQueryResultArticle:
    parts = answer_messages(ans, SAFE_LIMIT - 40)
    html = parts[0] + ("\n…（内容较长，完整回答请私聊机器人）" if len(parts) > 1 else "")
    first_line = ans.answer.splitlines()[0] if ans.answer else ""
    return InlineQueryResultArticle(
        id=hashlib.sha1(f"{title}|{ans.question}".encode()).hexdigest()[:32],
        title=title[:100],
        description=first_line[:120],
        input_message_content=InputTextMessageContent(html, parse_mode=ParseMode.HTML),
    )


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@bot <城市> 截止`: quick rule cards (deadline, conditions, funding, contact), each with citations."""
    from knowledge.mentions import mentioned_notices

    query = update.inline_query
    if query is None:
        return
    text = query.query.strip()[:200]
    today = today_in_shanghai()
    results: list[InlineQueryResultArticle] = []
    if not text:
        for n in notices():
            card = notice_card(n, today)
            results.append(
                InlineQueryResultArticle(
                    id=f"notice-{n.id}",
                    title=f"{n.short}（{n.year}年）{n.title}"[:100],
                    description=f"{n.issuer} · {cn_date(n.issue_date) if n.issue_date else '未印发文日期'}",
                    input_message_content=InputTextMessageContent(
                        split_html(card)[0], parse_mode=ParseMode.HTML
                    ),
                )
            )
        await query.answer(results, cache_time=300)
        return
    asked = []
    for nid in mentioned_notices(text)[:1]:
        short = get_notice(nid).short
        asked += [(f"{short} · {label}", q.format(short=short)) for label, q in INLINE_TOPICS]
    asked.append((text, text))
    seen: set[str] = set()
    for title, q in asked:  # topic cards first, so a duplicate keeps its descriptive title
        ans = await run_engine(q, None, today)
        if ans.refused or ans.answer in seen:
            continue
        seen.add(ans.answer)
        results.insert(0, _article(title, ans)) if q == text else results.append(_article(title, ans))
    if not results:
        ans = await run_engine(text, None, today)
        results.append(_article("没有找到相关规定", ans))
    await query.answer(results[:10], cache_time=300)


# -- bad input and errors -------------------------------------------------------------------------


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice, files: say what the bot can read."""
    if update.effective_message:
        await update.effective_message.reply_text(
            f"我只能看懂文字消息。请用文字提问，例如：{EXAMPLES[0]}；起草需求表请发送 /draft。"
        )


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(
            "修改过的消息不会重新处理。如需更正，请把内容重新发一条新消息。"
        )


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    name = escape(message.text.split()[0][:40]) if message.text.split() else "/"
    await message.reply_html(
        f"没有 {name} 这个命令。可用的命令：/start /help /notices /deadlines /draft /resume /summary "
        "/edit /export /cancel；也可以直接用文字提问。"
    )


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback (the log formatter removes the token), tell the user one friendly sentence."""
    if isinstance(context.error, NetworkError) and update is None:
        log.warning("Bot API unreachable for now (%s); retrying", type(context.error).__name__)
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    lost = isinstance(context.error, NetworkError) and not isinstance(context.error, BadRequest)
    if lost and keep_lost_reply(context.application, update):
        return  # the Bot API stayed unreachable: the apology (or the kept replies) go out later
    try:
        if update.callback_query:
            await answer_query(context.application, update.callback_query, SORRY[:190], alert=True)
        elif update.effective_chat and not update.inline_query:
            await context.bot.send_message(update.effective_chat.id, SORRY)
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", type(exc).__name__)


# -- wiring ---------------------------------------------------------------------------------------


def qa_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Commands and question handlers; drafting handlers go in front of them (see build_application)."""
    new_message = filters.UpdateType.MESSAGE
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler("notices", notices_command),
        CommandHandler("deadlines", deadlines_command),
        CommandHandler("stats", stats_command),
        CommandHandler("cancel", cancel),
        CommandHandler("ask", ask_command),
        CallbackQueryHandler(source_button, pattern=r"^src\|"),
        CallbackQueryHandler(feedback_button, pattern=r"^fb\|"),
        CallbackQueryHandler(stale_button),
        InlineQueryHandler(inline_query),
        MessageHandler(filters.COMMAND & new_message, unknown_command),
        MessageHandler(filters.TEXT & new_message, question),
        MessageHandler(filters.UpdateType.EDITED, edited),
        MessageHandler(new_message, not_text),
    ]


def file_url_for(api_url: str) -> str:
    """http://host:port/bot → http://host:port/file/bot, the Bot API's layout for file downloads."""
    head, sep, tail = api_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else api_url


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Menu in Chinese, then warm the engine before the first update arrives."""
    await application.bot.set_my_commands(MENU)
    log.info("loading the search index and warming up the engine")
    await asyncio.gather(
        asyncio.get_running_loop().run_in_executor(ENGINE, warm_up), telegram_workers.warm_up()
    )
    await recover(application)
    log.info("ready: @%s", application.bot.username)


async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    telegram_workers.shutdown()


def build_application(
    settings: Settings | None = None,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    max_rate: float = 30.0,
    retry_for: float = 60.0,
    send_timeout: float = SEND_TIMEOUT,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The whole bot. Tests pass `request` (a recording fake); by default both go over aiohttp.
    `retry_for` bounds the retries of one Bot API call; a reply still unsent after it is kept."""
    settings = settings or get_settings()
    if not settings.telegram_token:
        raise ValueError("JIEBANG_TELEGRAM_TOKEN is not set")
    processor = PerUserUpdateProcessor()
    secure_data_dir(settings.data_dir)
    persistence = SQLitePersistence(settings.data_dir / PERSISTENCE_FILE)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(
            RetryingRateLimiter(overall_max_rate=max_rate, max_wait=retry_for, read_timeout=send_timeout)
        )
        .concurrent_updates(processor)
        .persistence(persistence)
        .update_queue(JournalQueue(persistence))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_api_url:
        builder = builder.base_url(settings.telegram_api_url)
        builder = builder.base_file_url(settings.telegram_file_url or file_url_for(settings.telegram_api_url))
    elif settings.telegram_file_url:
        builder = builder.base_file_url(settings.telegram_file_url)
    request = request or AiohttpRequest(POOL_SIZE, read_timeout=send_timeout)
    builder = builder.request(request).get_updates_request(updates_request or request)
    application = builder.build()
    processor.application = application
    from bot.drafts import DraftStore
    from bot.telegram_drafting import drafting_handlers

    application.add_handlers([*drafting_handlers(DraftStore(settings.data_dir / "drafts")), *qa_handlers()])
    application.add_error_handler(error_handler)
    return application


def run(
    settings: Settings,
    *,
    webhook_url: str | None = None,
    listen: str = "127.0.0.1",
    port: int = 8443,
    secret_token: str | None = None,
    max_rate: float = 30.0,
    poll_timeout: int = 10,
    send_timeout: float = SEND_TIMEOUT,
) -> None:
    """Long polling by default; a webhook server when `webhook_url` is given. Blocks until stopped.

    Everything the bot writes (drafts, exports, the SQLite file) is readable by its own user only:
    the umask makes new files 0600 and directories 0700, in the drafting workers too."""
    os.umask(0o077)
    transport = (
        AiohttpRequest(POOL_SIZE, read_timeout=send_timeout),
        AiohttpRequest(1, read_timeout=UPDATES_READ_TIMEOUT),
    )
    application = build_application(
        settings,
        request=transport[0],
        updates_request=transport[1],
        max_rate=max_rate,
        retry_for=max(60.0, 4 * send_timeout),
        send_timeout=send_timeout,
    )
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        if webhook_url:
            application.run_webhook(
                listen=listen,
                port=port,
                url_path=urlparse(webhook_url).path.lstrip("/"),
                webhook_url=webhook_url,
                secret_token=secret_token,
                allowed_updates=Update.ALL_TYPES,
                bootstrap_retries=-1,
                close_loop=False,
            )
        else:
            application.run_polling(
                allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1, timeout=poll_timeout, close_loop=False
            )
    finally:
        # a start-up that failed (bad token, no network) skips PTB's shutdown: close the HTTP sessions
        for request in transport:
            loop.run_until_complete(request.shutdown())
        telegram_workers.shutdown()
        loop.close()
