"""One user's chat, transport-free: questions go to `knowledge.answer`, drafting to `DraftSession`.

The terminal chat uses it directly; every reply is plain text with numbered sources.
"""

from __future__ import annotations

from datetime import date

from bot.drafts import DraftStore
from bot.interview import DraftSession
from knowledge.answer import answer, render_text
from knowledge.formspec import list_forms
from knowledge.understand import Context

DRAFT_PREFIXES = ("起草", "填表", "写需求表", "我要填表", "/draft")
RESUME_WORDS = ("我的草稿", "/resume", "继续起草")


class Conversation:
    def __init__(
        self, user_id: str = "local", store: DraftStore | None = None, today: date | None = None
    ) -> None:
        self.context = Context()
        self.session = DraftSession(store or DraftStore(), user_id=user_id)
        self.today = today
        self.drafting = False

    def handle(self, text: str) -> str:
        """The reply to one message."""
        t = text.strip()
        prefix = next((p for p in DRAFT_PREFIXES if t.startswith(p)), None)
        if prefix is not None:
            self.drafting = True
            rest = t[len(prefix) :].strip(" ：:")
            if rest in {f.id for f in list_forms()}:
                return self._draft_reply(self.session.start(rest))
            return self._draft_reply(self.session.recommend(rest))
        if t in RESUME_WORDS:
            self.drafting = True
            return self._draft_reply(self.session.list_drafts())
        if self.drafting:
            return self._draft_reply(self.session.handle(t))
        return self.ask(t)

    def ask(self, question: str) -> str:
        ans = answer(question, today=self.today, context=self.context)
        self.context = Context.after(ans, self.today)  # the same follow-up rule as every front end
        return render_text(ans)

    def _draft_reply(self, reply: object) -> str:
        text = getattr(reply, "text", str(reply))
        if getattr(reply, "done", False):
            self.drafting = False
            text += "\n（已退出起草。可以继续提问，或输入“我的草稿”接着填写。）"
        document = getattr(reply, "document", None)
        if document:
            text += f"\n文件：{document}"
        return text
