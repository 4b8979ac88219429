"""Question → a structured reading: which notices, what is asked (every part), and the user's own facts.

The user's figures are bound to their labels (营收, 研发投入, 拟投入…) with units; a figure quoted from
the notice ("那个不少于5000万的门槛") is kept apart from the user's own; a negated class ("我们不属于
高新技术领域") selects the other class. All words come from `knowledge/data/vocab.yaml`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache

from knowledge.catalogue import CLASS_KEYWORDS, vocabulary
from knowledge.corpus import normalized_text, notices, shipped_notice_ids
from knowledge.mentions import mentioned_notices
from knowledge.numbers import (
    CN_CHARS,
    DateMention,
    Figure,
    cn_number,
    find_amounts,
    find_dates,
    find_percents,
    fmt_num,
    fmt_wan,
)
from knowledge.tokenize import normalize_text
from knowledge.types import Answer, FollowUp

CLAUSE = re.compile(r"[，,；;。？?！!\n]|还有(?![戏机希没])|另外|以及|同时")
PART_BREAK = re.compile(
    r"[？?！!。；;\n，,\s]+|(?:另外|还有(?![戏机希没])|再问一下|再问|顺便问|以及|同时)[，,]?"
)
# "能在X市报…吗", "可以用…名义填报…吗": asking whether one may apply, with words in between.
MAY_APPLY = re.compile(
    r"(?:能|可以|可不可以|能不能|能否|可否)[^，,。？?]{0,16}?"
    r"(?:报|申报|申请|填报|提交|参加|揭榜|提需求|提出|再交|重复交|再送|提(?!前|供|醒|高|升)[^，,。？?]{0,10}需求)"
)
# A part that starts like this continues the one before (分几次拨？每次拨多少？).
# 另外那个处室呢 / 别的联系人呢: the ones of the last answer's kind not yet given
OTHER_ONE = re.compile(
    r"^(?:那)?(?:另外|另|其他|其它|别的)(?:一个|一家|那个|那|个|的)?"
    r"(?:科室|处室|处|部门|联系人|电话|号码|单位|窗口)(?:呢|的呢|的电话呢)?[？?。]*$"
)
OTHER_BARE = re.compile(r"^(?:那)?(?:另外|另|还有)(?:一个|一家|那个|个)(?:呢)?[？?。]*$")  # after a contact


def asks_the_other(text: str) -> bool:
    """另外那个处室呢 / 另外一个呢: the ones of the last answer's kind not yet given."""
    said = normalize_text(text)
    lead = re.split(r"(?<=[？?])", said, maxsplit=1)[0]  # 另外一个科室呢？管哪类，电话多少: the lead asks it
    return any(bool(p.match(s)) for p in (OTHER_ONE, OTHER_BARE) for s in (said, lead))


SPECIFICS_OF_IT = re.compile(r"^(?:那|那么)?(?:具体|它的?具体|它的?|其)")
PERSON_BACK = re.compile(r"^(?:那|那么)?(?:他|她|它|其|这个人|那个人|这位|那位|这个科室|那个科室)")
ANAPHORIC = re.compile(
    r"^(?:每次|每期|每笔|每年|每项|每个|各期|分别|其中|那|这|它|他们|具体"
    r"|第[一二三四五六七八九十\d]{1,2}(?:笔|期|次|批|阶段)|首期|首笔|最后一(?:笔|期|次|批)|剩下的|其余的"
    r"|最后(?:那|这)|剩下(?:那|这)"
    r"|(?:要|得|需要)?达到多少|(?:要|得)?(?:是)?多少[？?。]?$)"
)
SOMEONE = re.compile(r"(?:一家|某家|某个|有家|有个|有一家|别的|其他|另一家|另外一家)[\u4e00-\u9fff]{0,3}$")
DONE_BY_THEM = re.compile(
    r"(?:那边|那里|方面)?(?:其实|早就|早已|已经|已|都)(?:有|做|研|解决|能|可以|掌握|攻克)"
)
SELF_IS = re.compile(r"(?:我们|我|本单位|我单位|咱们|我司|本校|本院)(?:是|属于|作为|就是|这个|这家)")
OTHER_PARTY = re.compile(
    r"(?:给|付给|支付给?|委托给?|替|帮|代|和|与|跟|联合|同|向|找|请|依托)[\u4e00-\u9fff]{0,4}$"
)
PROGRAMME = re.compile(r"(?:储备)?项目(?!经费|资金|预算|总|投|的?金额)")
QUESTION_WORD = re.compile(r"什么|何|哪|几|多久|多长")
# A clause that sets the scene for the next (交给区里的时候，要几份): it asks nothing by itself.
SUBORDINATE = re.compile(
    r"(?:(?<!什么)的时候|(?<!什么)(?<!啥)(?<![哪那这]个)时候|的话|(?:以后|之后|过后|(?<![最然前落])后)呢?)$"
)
COORDINATED = re.compile(r"^(?:和|或|或者|、|及|以及|与|也不|也不是|也不在)$")
TODAY_IS = re.compile(r"(?:今天|今日|现在|目前|当前)(?:是|为)?\s*$")
NEGATION = re.compile(r"(?:不属于|不是|并非|不在|不算|算不上|够不上|没有|没|无|非|不)$")
# 也没评上专精特新 / 未被认定为高新: a title the user says they were not given
NOT_AWARDED = re.compile(r"(?:没有|没|未|还没)(?:被)?(?:评上|评为|认定为?|评定为?|获评|入选|拿到|获得)$")
# A figure the question quotes from the notice, or asks about, is not the user's own figure.
QUOTED_BEFORE = re.compile(
    r"(?:不少于|不低于|不超过|超过|远超|远高于|超出|高出|至少|最多|最高|高于|低于|不到|达到|(?<![拿领])满|要求|门槛是|标准是|规定|都得|必须)\s*$"
)
QUOTED_AFTER = re.compile(
    r"^\s*(?:的)?(?:门槛|要求|标准|条件|规定|那条|这条|那个|这个|以上吗|以下吗|吗|是指|指的)"
    r"|^\s*(?:的)?(?:补助|支持|资助|财政|投入|资金|补贴)?(?:上限|下限|封顶|限额|门槛|标准)"  # 50万元补助上限
)
NOTICE_SAYS = re.compile(
    r"(?:通知|附件\d*|文件|办法|指南|方案|原文|上面|里面)[^，,。？?]{0,4}(?:说|写|讲|提到|规定|要求|都有|里有|中有)"
    r"|(?:领导|老板|同事|有人|别人|听人|听说|据说|网上|群里)[^，,。？?]{0,3}(?:说|讲|认为)"  # 领导说每年都得100万
)
ASKING = re.compile(r"(?:是不是|是否|要不要|需不需要|得不得|够不够)")
FIRST_PERSON = re.compile(
    r"我们|我司|我公司|本公司|本单位|我单位|公司|企业|我厂|我们的|咱们|去年|今年|上年|上一年"
)
FOLLOW_UP = re.compile(
    r"^(?:那|那么|那个|还有|再看看|换成|如果是|要是)?(.{0,12}?)"
    r"(?:呢|的呢|怎么样|如何|怎样|是?怎么规定的?|是?怎么写的?|有什么规定|又是怎样)?[？?。.!！]*$"
)


@dataclass
class Part:
    """One thing the question asks: its clause, the ask types found in it, metrics and topics named."""

    text: str
    asks: list[str]
    metrics: list[str]
    topics: list[str]
    attributes: list[str] = field(default_factory=list)
    context: str = ""  # words of the previous question a follow-up leans on: searched, never answered

    @property
    def primary(self) -> str | None:
        """The most specific ask of the part (分几次拨 is about instalments before it is about money)."""
        order = vocabulary().ask_priority
        ranked = sorted(self.asks, key=lambda a: order.index(a) if a in order else len(order))
        return ranked[0] if ranked else None


@dataclass
class UserFigure:
    """A figure in the question: its value, unit (万元 or %), the metric it is bound to, and whose it is."""

    value: float
    unit: str
    metric: str | None
    raw: str
    start: int
    own: bool
    of: str | None = None  # 研发投入是营收的百分之十: a share of the user's figure for this metric
    per_year: bool = False  # 每年新增税收60万: a yearly figure, against a rule over several years
    year: int | None = None  # 2025年预计再投50万: the year the figure is for
    partial: bool = False  # 执行期第一年新增税收35万: a figure for part of the period, not all of it


@dataclass
class Query:
    """A question after reading: everything the reasoning needs, nothing about transport."""

    raw: str
    text: str
    notices: list[str]
    docs: dict[str, str | None]
    parts: list[Part]
    figures: list[UserFigure]
    classes: dict[str, set[str]]
    negated: dict[str, set[str]]
    dates: list[DateMention]
    inherited_notices: bool = False
    follow_up: bool = False
    today: date | None = None
    duration: tuple[float, str] | None = None  # 计划做三年（36个月）: the project's length in years, as said
    carried: str = ""  # the clauses of the last question whose figures this one works on (这笔钱分几次拨)
    before: str = ""  # the last question, when this one leans on it (企业要填哪张表？→ 哪天前交？)
    seen: frozenset[str] = frozenset()  # 还有呢: the facts the last answer showed, not to be shown again
    seen_answer_as_usual: bool = False  # 资格审查还有什么要求: composed as usual, the seen facts left out
    after: frozenset[str] = frozenset()  # 然后呢: the facts the last answer showed, the step after them asked
    sequels: int = 0  # 然后呢 → 再然后呢: how many turns before this one asked the next step too
    memo: dict[object, object] = field(default_factory=dict, repr=False)  # scores computed for this query

    @property
    def asks(self) -> list[str]:
        return list(dict.fromkeys(a for p in self.parts for a in p.asks))

    @property
    def topic(self) -> str:
        asks = self.asks
        return asks[0] if asks else "other"

    def has(self, *words: str) -> bool:
        return any(normalize_text(w) in self.text for w in words)

    def own(self, metric: str) -> float | None:
        """The user's own figure for a metric (the last one given wins); a share of another of their
        figures (研发投入是营收的百分之十) is worked out from it."""
        found = [f for f in self.figures if f.own and f.metric == metric]
        if not found:
            return None
        last = found[-1]
        if last.of is None:
            return last.value
        base = self.own(last.of) if last.of != metric else None
        return None if base is None else base * last.value / 100

    def working(self, metric: str) -> str | None:
        """How a figure given as a share of another was worked out (营收850万元 × 10% = 85万元)."""
        found = [f for f in self.figures if f.own and f.metric == metric]
        value = self.own(metric)
        if found and "÷" in found[-1].raw:
            return found[-1].raw  # 19 ÷ 25 = 76%: a share worked out from two counts
        if not found or found[-1].of is None or value is None:
            return None
        base = self.own(found[-1].of) or 0.0
        return f"{fmt_wan(base)} × {fmt_num(found[-1].value)}% = {fmt_wan(value)}"


class Context(FollowUp):
    """What a follow-up may rely on: the previous answer's `follow_up`, and the day it was asked."""

    today: date | None = None

    @classmethod
    def after(cls, ans: Answer, today: date | None = None) -> Context:
        up = ans.follow_up
        return cls(
            notices=up.notices,
            question=up.question,
            earlier=up.earlier,
            docs=up.docs,
            shown=up.shown,
            today=today,
        )


@lru_cache(maxsize=1)
def ask_terms() -> tuple[tuple[str, str], ...]:
    """(word, ask) longest word first."""
    pairs = [(normalize_text(w), ask) for ask, spec in vocabulary().asks.items() for w in spec["words"]]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def metric_terms() -> tuple[tuple[str, str], ...]:
    pairs = [
        (normalize_text(w), name)
        for name, spec in vocabulary().metrics.items()
        for w in spec.get("words", [])
    ]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def topic_terms() -> tuple[tuple[str, str], ...]:
    pairs = [(normalize_text(w), name) for name, ws in vocabulary().topics.items() for w in ws]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def class_terms() -> tuple[tuple[str, str, str], ...]:
    """(word, dimension, value), longest word first; the actor dimension is for facts only."""
    out: list[tuple[str, str, str]] = []
    for dim, values in vocabulary().classes.items():
        if dim == "actor":
            continue
        for value, ws in values.items():
            if value in CLASS_KEYWORDS:
                continue
            out += [(normalize_text(w), dim, value) for w in ws]
    return tuple(sorted(out, key=lambda p: -len(p[0])))


_PATTERNS: dict[int, tuple[re.Pattern[str], dict[str, str]]] = {}


def find_terms(text: str, table: tuple[tuple[str, str], ...]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, name) matches of a word table in text, the longest words first
    (填哪几项 is 填 + 哪几项, not 填哪 + 几项). Tables are built once per process, so are their patterns."""
    compiled = _PATTERNS.get(id(table))
    if compiled is None:
        names: dict[str, str] = {}
        for word, name in table:
            if word:
                names.setdefault(word, name)
        words = sorted(names, key=len, reverse=True)
        alternation = "|".join(map(re.escape, words)) or "(?!)"
        compiled = (re.compile(f"(?=({alternation}))"), names)
        _PATTERNS[id(table)] = compiled
    pattern, names = compiled
    spots = sorted(
        ((m.start(), m.start() + len(m.group(1))) for m in pattern.finditer(text)),
        key=lambda s: (s[0] - s[1], s[0]),
    )
    taken: list[tuple[int, int, str]] = []
    for start, end in spots:
        if not any(s < end and start < e for s, e, _ in taken):
            taken.append((start, end, names[text[start:end]]))
    return sorted(taken)


SEAL_WHO = re.compile(
    r"(?:谁|哪类|哪个|哪家|什么单位|哪一级)[^，,？?]{0,8}(?:盖章|公章|签章)|(?:盖章|公章|签章)[^，,？?]{0,8}(?:谁|哪类|哪个单位|什么单位)"
)
SUBMIT_TO_MAILBOX = re.compile(
    r"(?<![申咨])(?:发|报送|提交|交|传|投递)(?:到|至|给|往)?[^，,？?]{0,8}?(?:哪个|什么|哪一个)?邮箱"
)
MONEY_SENT = re.compile(r"(?:钱|资金|补助|经费|款)[^，,？?]{0,4}打给")


STILL_OPEN = re.compile(
    r"(?:今天|现在|目前|眼下|此刻|这会儿)[^，,。？?]{0,12}还(?:能|可以)[^，,。？?]{0,10}(?:填报|申报|提交|报送|填|交)"
    r"|还(?:能|可以)在[^，,。？?]{0,8}(?:填报|申报|提交|报送)"
    # 现在可以交了吗 / 开始受理了没有: whether the window is open yet, a question of its dates
    r"|(?:能|可以)(?:开始)?(?:填报|申报|提交|报送|交|报)了(?:吗|没)"
    r"|开始(?:征集|申报|受理|填报|报送|接收)了(?:吗|没)"
    # 是不是到那天之前都还能申报: the day the user names against the real deadline
    r"|(?:之前|以前|前)[^，,。？?]{0,4}(?:都|还|都还)(?:能|可以)(?:申报|报|交|提交|填报|报送)"
)
DATE_SUBMIT = re.compile(r"\d{1,2}月\d{1,2}[日号](?:之前|以前|前)[^，,。？?]{0,10}(?:交|报|提交|报送|递交)")
IN_TIME = re.compile(r"来得及|赶得上|还能报|还能交|还能申报|还能提交")
NAMED_ITEM = re.compile(r"[“「『][^”」』“「『]{4,30}[”」』]")


def asks_in(text: str) -> list[str]:
    """The asks named in the text; an ask word inside a longer metric word (数量 in 研发人员数量) is
    part of what is measured, not a question."""
    text = COMPARED_YEAR.sub(lambda m: " " * len(m.group()), text)  # 跟哪一年比: a base, not a date
    bounded = bool(COUNT_BOUND.search(text))  # (不少于200项: the bound's words ask no threshold)
    text = COUNT_BOUND.sub(lambda m: " " * len(m.group()), text)
    text = WHICH_ATTACHMENT.sub(lambda m: " " * len(m.group()), text)  # 第几个附件: no count asked
    named = [m.span() for m in NAMED_ITEM.finditer(text)]
    metrics = [(s, e) for s, e, _ in find_terms(text, metric_terms())]
    found = [
        name
        for s, e, name in find_terms(text, ask_terms())
        if not any(ms <= s and e <= me and me - ms > e - s for ms, me in metrics)
        and not (name == "when" and text[e : e + 1] == "的" and not QUESTION_WORD.search(text[s:e]))
        and not (name == "contact" and MONEY_SENT.search(text, max(0, s - 6), e))
        and not (name == "contact" and any(ns < s and e < ne for ns, ne in named))
        and not (name == "count" and VAGUE_FEW.match(text, max(0, s - 1)))  # 好几家来揭: not how many
        and not (
            name == "count" and re.search(r"(?:我们|咱们|我们这)$", text[max(0, s - 3) : s])
        )  # 我们几家企业
    ]  # <city>发布的榜单 asks no date; 资金打给谁 no phone call; “技术专家咨询意见”要几位 no contact
    if "deadline" not in found and (STILL_OPEN.search(text) or DATE_SUBMIT.search(text)):
        found.insert(0, "deadline")  # 现在还能在平台上填报吗 / 11月17日之前就得交上去吗: the deadline
    if "where" not in found and SENT_WHICH_OF_TWO.search(text):
        found.append("where")  # 应报送县区科技局还是市科技局: which of the two offices it goes to
    if "count" not in found and COUNT_TOLD.search(text):
        found.append("count")  # 每个设区市都能报10项？: a count said back is the quota asked
    if "count" not in found and bounded:
        found.insert(0, "count")  # 是不是也要推荐不少于200项: a bound on a count is the quota asked
    if PRINCIPLE_ASKED.search(text):  # 按什么原则发布指南: how it is done, not when (发布 alone asks no date)
        found = [a for a in found if a != "when" or QUESTION_WORD.search(_when_words(text))] + ["process"]
    if "when" in found and _when_words(text) in BARE_WHEN and HOW_DONE.search(text):
        found = [("process" if a == "when" else a) for a in found]  # 挑完了怎么对外发布: how, not when
    if "list" not in found and WHAT_HANDED_IN.search(text):
        found.append("list")  # 要交什么？: the things handed in (交什么格式 asks the format instead)
    if "list" not in found and "threshold" in found and CONDITIONS_ASKED.search(text):
        found.append("list")  # 需要满足哪些条件 / 还要满足啥: every condition, not the one nearest
    if "eligibility" not in found and MAY_APPLY.search(text):
        found.append("eligibility")
    if "copies" in found and SEAL_WHO.search(text) and not re.search(r"几份|份数|一式|多少份", text):
        found = [a for a in found if a != "copies"] + ["who"]  # 以哪类单位盖章为准: who stamps, not copies
    mailbox = SUBMIT_TO_MAILBOX.search(text)
    if mailbox:  # 汇总表发到哪个邮箱: where to file it, not whom to ask
        asked_elsewhere = any(  # 咨询电话、报送邮箱各是啥: a phone asked beside the mailbox
            name == "contact" and (e <= mailbox.start() or s >= mailbox.end())
            for s, e, name in find_terms(text, ask_terms())
        )
        found = ["where", *(a for a in found if a not in ("contact", "where"))]
        if re.search(r"咨询[^，,？?]{0,4}邮箱", text) or asked_elsewhere:
            found.append("contact")  # 报送或咨询邮箱: the mailbox to file to, and the one to ask at
    if "period" in found and "when" in found and SPAN_ASKED.search(text) and not POINT_ASKED.search(text):
        found = [a for a in found if a != "when"]  # 实施周期是哪一段时间: the span, not the notice's dates
    if "consequence" in found and HANDLED_NEXT.search(text) and not FAULT.search(text):
        found = ["process" if a == "consequence" else a for a in found]  # 市里拿到需求会怎么处理: next steps
    return list(dict.fromkeys(found))


WHAT_HANDED_IN = re.compile(r"(?:交|提交|报送|上交)(?:哪些|些)?(?:什么|啥)(?:东西|资料)?(?=[？?，,。！!]|$)")
SENT_WHICH_OF_TWO = re.compile(
    r"(?:报送|提交|报|交|送)(?:到|至|给)?[^，,。？?还]{1,12}(?:局|厅|部门|单位|处|科|平台|系统|邮箱)还是[^，,。？?]{1,12}"
)
PRINCIPLE_ASKED = re.compile(r"(?:按|依|依据|遵循|本着)?(?:什么|啥|哪些|哪条)原则|原则是(?:什么|啥)")


HOW_DONE = re.compile(r"(?:怎么|如何|怎样|咋)[^，,。？?]{0,3}(?:发布|开放|开始|印发|发文)")
BARE_WHEN = frozenset({"开放", "开始", "发布", "印发", "发文"})  # acts that ask a date only with 哪天…


def _when_words(text: str) -> str:
    """The words of the text that ask a date (什么时候, or only 发布)."""
    return "".join(text[s:e] for s, e, name in find_terms(text, ask_terms()) if name == "when")


CONDITIONS_ASKED = re.compile(
    r"满足(?:哪些|什么|啥|些什么|哪几)|(?:哪些|什么|啥|哪几[项条个类])(?:申报)?(?:条件|要求)"
)
CONDITIONS_SAID = re.compile(
    r"(?:要|需要|还要|还得|得|须|需|必须)?满足(?:哪些|什么|啥|些什么|哪几[项条个类]?)(?:样的)?(?:申报)?(?:条件|要求)?"
)
COUNT_TOLD = re.compile(
    r"(?:能|可以|可|只能|最多)(?:报|推荐|申报|提)(?:\d+|[二三四五六七八九十两]+)\s*(?:项|个)(?!月)"
    r"|(?:再|还)(?:想|要|能|可以)?(?:报|申报|提交|填报|提)第?(?:\d+|[二三四五六七八九十两]+)\s*(?:项|个)(?!月)"
)
WHICH_ATTACHMENT = re.compile(r"附件几|哪个附件|哪一个附件|第几个附件|几号附件|附件第几|哪份附件|哪一份附件")
COUNT_BOUND = re.compile(
    r"(?:不少于|不低于|不超过|不多于|至少|最多|最少|多于|少于)(?:要|得|能)?(?:推荐|推|报|申报|提)?\s*"
    r"(?:\d+|[二三四五六七八九十两]+)\s*(?:项|个)(?![月工])"  # (<某市>至少推200项: a bound on a count)
)
YEAR_SAID = re.compile(r"(?:19|20)\d{2}\s*年度?(?!\d|\s*\d{1,2}\s*月)")
FIRST_ONE_SAID = re.compile(
    r"先(?:说|讲|列)(?!前|第|[一二两三四五六七八九十\d])[^，,。？?]{1,8}?(?:那|这)(?:条|项|个|点)"
)
PART_OF_LIST = re.compile(
    r"前[一二三四五六七八九十两\d]+[个项条种类点]|第[一二三四五六七八九十\d]+[个项条种类点]|先说|先列|先讲"
)
MORE_OF = re.compile(
    r"^(?:那)?([^，,。？?\s]{2,8}?)(?:里|方面|这块|这一块)?还有(?:什么|啥|别的|其他的?|其它的?|哪些)(?:要求|条件|规定|内容)?(?:吗|呢|没有)?[？?。!！]*$"
)
MORE_OF_AFTER = re.compile(
    r"^(?:那)?还有(?:别的|其他的?|其它的?|什么|啥)([^，,。？?\s]{2,8}?)(?:的)?(?:要求|条件|规定)(?:吗|呢|没有)?[？?。!！]*$"
)
# 找哪个科室咨询？→ 还有别的咨询电话吗: more of the same kind of thing the last question asked for
MORE_NOUN = re.compile(
    r"^(?:那)?(?:还有|有没有|还有没有)(?:别的|其他的?|其它的?|另外的?)([^，,。？?\s]{2,8}?)(?:吗|呢|没有)?[？?。!！]*$"
)
MEANS = re.compile(r"方式|途径|办法|渠道|形式")
ACKNOWLEDGED = re.compile(r"^(?:明白了?|懂了|知道了|了解了?|好的?|行|嗯+|哦+|噢|OK|ok)[，,。!！~～\s]*")
ONLY_SAID = re.compile(r"^(?:你|您)?(?:刚才|上面|前面|之前)?(?:只|就|光|才)?(?:说|讲|列|提|回答)了")
# 条件 / 门槛 / 硬杠杠: the words for an applicant's bars, one list for every check that reads them
CONDITION_TERMS = "条件|门槛|硬杠杠|杠杠|硬性要求|限制"
MORE_ASKED = re.compile(
    rf"^(?:那)?(?:还有|另外还有)(?:别的|其他的?|其它的?|什么|啥|呢|没有|吗|的)*(?:要求|内容|规定|{CONDITION_TERMS})?(?:吗|呢|没有|没)?[？?。!！]*$"
)
NOTICE_OWN = frozenset({"issue_date", "doc_number"})  # what a notice says of itself
POINTS_BACK = re.compile(
    r"[这那]么(?:高|多|低|少|长|久|严|早|晚)|一样(?:吗|么|嘛)|也(?:要|是|得)这样|同样(?:吗|么)"
)
QUOTE_ASKED = re.compile(
    r"原话|原文|原句|怎么写的|怎么说的|怎么规定的|具体表述|条文|出处"
    r"|依据是|哪一句|哪句话?|哪一条|哪条规定|为什么不行|为啥不行|凭什么"  # 为什么不行？依据是哪一句: the rule again
)
CONDITION_WORD = re.compile(CONDITION_TERMS)
COMPARED_WITH = re.compile(
    r"^(?:那|那么)?(?:和|跟|与|同)[^，,。？?]{0,16}(?:比|相比|对比|比较)|哪个(?:要求)?(?:更)?(?:高|低|早|晚|多|少|长|短|严|宽|先|大|小)"
)
JUST_BEFORE = re.compile(r"刚才|上一个|前面那个|之前那个")
THIS_AGAINST = re.compile(r"^(?:那)?(?:它|它们|这个|这边|这里|这份)[^，,。？?]{0,12}(?:和|跟|与|同|比)")
EACH_VALUE = re.compile(r"(?:分别|各自|各)是(?:什么|多少|哪些|啥)")
SPAN_ASKED = re.compile(r"(?:哪一?段|什么|哪个)(?:时间|时期)(?:段)?|时间段|时段|起止|从哪天到哪天")
POINT_ASKED = re.compile(r"什么时候|啥时候|何时|哪天|几号|截止|最晚|开始|结束")
# 市里拿到这些需求会怎么处理: what is done next with something, asked without any fault named
HANDLED_NEXT = re.compile(
    r"(?:拿到|收到|报上去|交上去|提交后|报送后|汇总后|之后|以后)[^，,。？?]{0,12}(?:怎么处理|会怎样|会怎么样|会如何)"
    r"|(?:报送|提交|交|报|推荐|汇总|收到)[^，,。？?]{0,8}(?:以后|之后|后)[，,]?(?:后续|接下来|然后)?(?:怎么|如何)处理"
)
FAULT = re.compile(r"没|不|未|逾期|超期|过期|违反|违规|失信|造假|虚假|拖|晚|迟|差|达不到|不合格|出问题")


def metrics_in(text: str) -> list[str]:
    return list(dict.fromkeys(name for _, _, name in find_metrics(text)))


def find_metrics(text: str) -> list[tuple[int, int, str]]:
    """Metric words in a question, except those naming a programme (专项资金项目、研发项目): a
    programme's name measures nothing the user asks about."""
    return [
        (s, e, m)
        for s, e, m in find_terms(text, metric_terms())
        if not PROGRAMME.match(text, e) and not (text[s:e] == "研发" and CAPACITY.match(text, e))
    ]


# 研发实力、研发团队: a capacity, not money spent on research
CAPACITY = re.compile(r"实力|能力|团队|人员|队伍|水平|条件|基础|力量")


CITED_DOC = re.compile(r"》\s*[（(]?[\u4e00-\u9fff]{0,6}$")
DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*20\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*号")
# 科技创新平台、科创平台: an innovation platform a firm runs, not the online system forms are filed on.
INNOVATION_PLATFORM = re.compile(r"(?:科创|创新|研发|中试|孵化)平台")


# 榜单到底什么时候发布: the list's release, its words apart
LIST_RELEASED = re.compile(
    r"(?:榜单|的榜)[^，,。？?；;]{0,8}(?:发布|公布|发出|出来)|(?:发布|公布)[^，,。？?；;]{0,4}榜单"
)


def topics_in(text: str) -> list[str]:
    text = INNOVATION_PLATFORM.sub(lambda m: "□" * len(m.group()), text)
    found = [name for _, _, name in find_terms(text, topic_terms())]
    if LIST_RELEASED.search(text) and "list_release" in vocabulary().topics:
        found.append("list_release")
    return list(dict.fromkeys(found))


def stated_in_fact(text: str) -> list[str]:
    """The topics a fact's words state: its topic words, and a printed document number (潭政办发〔2021〕
    14号 states a 文号 without the word; in a question the number names a document instead)."""
    found = topics_in(text)
    if prints_own_number(text) and "doc_number" in vocabulary().topics:
        found.append(
            "doc_number"
        )  # 《办法》（…〔2021〕14号）: the number of a document it cites is not its own
    return list(dict.fromkeys(found))


def prints_own_number(text: str) -> bool:
    """The text prints a document number (〔2021〕14号) that is not a cited document's."""
    return any(
        not CITED_DOC.search(text[max(0, m.start() - 12) : m.start()]) for m in DOC_NUMBER.finditer(text)
    )


def attributes_in(text: str) -> list[str]:
    return [
        a for a, ws in vocabulary().contact_attributes.items() if any(normalize_text(w) in text for w in ws)
    ]


def _merge(a: Part, b: Part) -> Part:
    asks, topics = a.asks + b.asks, a.topics + b.topics
    if a.asks and EACH_VALUE.fullmatch(b.text.strip("？?。 ")) and set(b.asks) <= {"definition"}:
        # 邮箱在哪？分别是什么: the values of what was just asked, not the meaning of a word
        asks = [x for x in asks if x != "definition"] or asks
        topics = [t for t in topics if t != "definition"]
    return Part(
        a.text + "，" + b.text,
        list(dict.fromkeys(asks)),
        list(dict.fromkeys(a.metrics + b.metrics)),
        list(dict.fromkeys(topics)),
        list(dict.fromkeys(a.attributes + b.attributes)),
    )


# <甲地>、<乙地>、<丙地>这几个: the ones just named, not a question of how many
THESE_FEW = re.compile(r"(?:这|那)(?:几|两|三|五)(?:个|家|份|地|处)(?!项|年|月|天|人)")


# 除了营收还要满足啥: what is set aside is not what is asked
EXCEPT = re.compile(r"除了[^，,。？?]{1,12}?(?:以外|之外)?(?=[，,]?(?:还|另外|其他|其它|别的))")


# <乙地>的子公司往年提过需求: the user's own unit somewhere, not a party related to a solver (unless 揭 is asked)
OWN_BRANCH = re.compile(r"(?<=的)(?:子|分)(?=公司)")
OWN_VOICE = re.compile(r"我们|我司|我公司|本集团|我们集团|集团")


def _own_branch_masked(text: str) -> str:
    if "揭" in text.replace("揭榜挂帅", "") or not OWN_VOICE.search(text):
        return text
    return OWN_BRANCH.sub("□", text)


def _part(text: str) -> Part:
    masked = _own_branch_masked(mask_names(text))
    unpointed = THESE_FEW.sub(lambda m: " " * len(m.group()), masked)
    asked = EXCEPT.sub(lambda m: " " * len(m.group()), masked)
    part = Part(text, asks_in(unpointed), metrics_in(asked), topics_in(masked), attributes_in(masked))
    if not part.asks and "doc_number" in part.topics and len(text) <= 12:
        # <某地>通知 文号 落款日期: a document's number named alone in a terse line is asked for
        part = replace(part, asks=["definition"])
    return _office_address(_money_not_call(part))


def _office_address(part: Part) -> Part:
    """科技厅在哪儿办公: where an office sits is its address, asked of the contacts (not where to submit)."""
    if "address" not in part.attributes or "where" not in part.asks or "contact" in part.asks:
        return part
    return replace(part, asks=["contact" if a == "where" else a for a in part.asks])


def _money_not_call(part: Part) -> Part:
    """补助是打到企业账上还是打给高校: money sent to someone, not a number to call."""
    masked = mask_names(part.text)
    sent = SENT_VERB.search(masked) and MONEY_WORDS.search(masked)
    if "contact" not in part.asks or not sent or CALL_WORDS.search(SENT_VERB.sub("", masked)):
        return part
    return replace(
        part,
        asks=[a for a in part.asks if a != "contact"],
        attributes=[a for a in part.attributes if a != "phones"],
    )


SENT_VERB = re.compile(r"(?:打|拨|转|付)(?:给|到|进)")
MONEY_WORDS = re.compile(r"钱|资金|经费|补助|补贴|款|资助")
CALL_WORDS = re.compile(r"电话|号码|热线|座机|手机|联系|咨询|找谁|问谁|联系人")


def mask_names(text: str) -> str:
    """The text with every notice's and sub-document's names blanked: a sub-document named after a
    fund names a document, it does not ask about money."""
    from knowledge.mentions import alias_table

    out = text
    for alias, _ in alias_table():
        if alias and alias in out:
            # <资金名>最多能申请多少: a fund's name asked about as an amount is the money, not the document
            out = re.sub(  # (最多能申请多少<资金名>: the same)
                r"(?<!多少)(?<!多少的)(?<!申请)(?<!拿到)(?<!获得)"
                + re.escape(alias)
                + r"(?!最多|最高|最少|上限|能申请|可申请|可以申请|多少|占比|比例)",
                " " * len(alias),
                out,
            )
    return out


ISSUED_AFTER = re.compile(r"(?:就|才)?(?:发的|发布的|印发的|下发的|出的|发文|落款|印发|发布|下发)")
ISSUED_BEFORE = re.compile(r"(?:发文|印发|落款|发布|下发)(?:日期|时间|日)?(?:是|为|在)?$")
DOCUMENT_WORD = re.compile(r"通知|文件|公文|指南|办法|这个文|那个文")


def _issue_date_told(text: str, start: int, end: int) -> bool:
    """The date is when the notice was issued (通知是11月17日发的, 落款日期是…), as the user tells it;
    not when they sent something (我们4月12日发的邮件)."""
    s, _ = _clause_bounds(text, start)
    before = text[s:start]
    if ISSUED_BEFORE.search(text[max(0, start - 8) : start]):
        return True
    return (
        bool(ISSUED_AFTER.match(text[end:]))
        and bool(DOCUMENT_WORD.search(before))
        and not re.search(r"我|咱", before)
    )


PRESUMED = re.compile(r"(?:是|应该是|就是)[^，,。？?]{1,20}的吧$")
A_NOT_A = re.compile(
    r"(?:在不在|算不算|属不属于|是不是在|能否|可否|能不能|可不可以|允不允许|让不让)[^，,。？?]{1,12}$"
)
YES_NO_MODAL = re.compile(r"(?:能|可以|可否|允许|需要|要|必须|得)[^，,。？?]{1,12}[吗么]$")


NOUN_LIST = re.compile(
    r"^(?P<lead>.*的)?(?P<items>[^、，的]{2,8}(?:、[^、，的]{2,8})+(?:和|及|以及|与|、)[^、，的]{2,8}?)"
    r"(?:分别|各自|各)?(?P<tail>(?:是什么|是多少|为多少|有哪些|是哪些|是怎样的|怎么规定的?|如何规定|是啥))$"
)


def _enumerated_asks(part: Part) -> list[Part]:
    """报哪个科室、纸质几份、截止日期: asks listed with 、 in the last clause, each of its own kind, are
    parts of their own (each keeps the clauses before it, which say what they are about)."""
    at = max(part.text.rfind("，"), part.text.rfind(":"))  # <某地>：截止哪天、发哪个邮箱、电话多少
    lead, last = part.text[: max(at, 0)], part.text[at + 1 :]
    listed = NOUN_LIST.match(last)
    if listed and not find_dates(part.text) and not find_amounts(part.text):
        # 财政资金的补助比例、单项上限及资助方式分别是什么: each noun asked with the shared head and tail
        head = f"{lead}，{listed['lead'] or ''}" if lead else listed["lead"] or ""
        items = [i for i in re.split(r"、|以及|和|及|与", listed["items"]) if i]
        subs = [_part(f"{head}{i}{listed['tail']}") for i in items]
        if all(set(s.asks) - {"definition"} or s.metrics or set(s.topics) - {"definition"} for s in subs):
            return subs
    pieces = [p for p in last.split("、") if p]
    if len(pieces) < 2:  # 截止日期和报送邮箱是什么: two asks of different kinds joined by 和
        pair = [p for p in re.split(r"和|以及|及", last) if p]
        if len(pair) == 2 and all(len(p) <= 14 for p in pair):
            asks = [asks_in(p) for p in pair]
            own = [_part(p) for p in pair]  # each names what it asks of (not 比例及上限为多少)
            if (
                all(asks)
                and not set(asks[0]) & set(asks[1])
                and not find_dates(part.text)
                and all(p.topics or p.metrics or set(p.asks) & {"deadline", "contact"} for p in own)
            ):
                return [_part(f"{lead}，{p}" if lead else p) for p in pair]
    if not lead and len(pieces) >= 3 and all(len(p) <= 10 for p in pieces[1:]):
        # <某地>的需求表最晚哪天交、发哪个邮箱、要不要盖章: the first ask names what the rest ask of
        asks = [asks_in(p) for p in pieces]
        distinct = not any(set(a) & set(b) for i, a in enumerate(asks) for b in asks[i + 1 :])
        if all(asks) and distinct and not find_dates(part.text) and not find_amounts(part.text):
            head = pieces[0]
            return [_part(head)] + [
                replace(_part(f"{head}，{p}"), asks=a) for p, a in zip(pieces[1:], asks[1:], strict=True)
            ]
    if (
        len(pieces) < 2
        or not lead
        or any(len(p) > 10 for p in pieces)
        or find_dates(lead)
        or find_amounts(lead)
    ):
        return [part]  # only terse asks, after a lead that sets no date or figure of its own
    asks = [asks_in(p) for p in pieces]
    if not all(asks) or any(set(a) & set(b) for i, a in enumerate(asks) for b in asks[i + 1 :]):
        return [part]
    return [_part(f"{lead}，{p}" if lead else p) for p in pieces]


def _terse_asks_apart(piece: str, following: str, spaced: bool) -> bool:
    """Terse look-ups set apart by a mere space, each asking a different thing (征集时间 咨询电话)."""
    mine, theirs = set(asks_in(piece)), set(asks_in(following))
    return spaced and bool(mine) and bool(theirs) and not mine & theirs


def _asks_apart(part: Part, last: Part) -> bool:
    """立项以后下一步是啥？第一期资金啥时候下达: a clause pointing back that asks another kind of thing
    than the part before is a part of its own."""
    own = set(part.asks) - {"definition"}  # (分别是什么: the same question again, of each)
    return bool(own) and bool(last.asks) and not own & set(last.asks) and len(part.text) > 6


def split_parts(text: str) -> list[Part]:
    """The question's parts: each clause that asks something, with the clauses before it that ask
    nothing (营收6000万，研发280万，能报吗 is one part). A clause that continues the one before
    (每次拨多少) joins it; clauses after the last ask join the last part (高校的呢)."""
    pieces: list[tuple[str, bool, bool]] = []  # (piece, after a mere space, a question mark follows)
    at, gap = 0, ""
    for m in [*PART_BREAK.finditer(text), None]:
        piece = text[at : m.start() if m else len(text)].strip(" ，,、")
        if piece:
            asked = m is None or bool(re.search(r"[？?]", m.group()))
            pieces.append((piece, bool(pieces) and not gap.strip(), asked))
        if m:
            at, gap = m.end(), m.group()
    parts: list[Part] = []
    pending: list[str] = []
    reported: set[str] = set()  # asks named only in what the user reports (报了…平台): not asked
    done_at: set[str] = set()  # topics named only in what the user says they did
    last_asked = True  # the last part's own clause asks (a question word or a question mark)
    asked_after_told = False  # the pending clauses end in a question of their own, after a clause told
    for i, (piece, spaced, marked) in enumerate(pieces):
        part = _part("，".join([*pending, piece]))
        if reported:
            own = asks_in(piece)
            part = replace(part, asks=[a for a in part.asks if a not in reported or a in own])
        said = "，".join([*pending, piece])  # 我们在X揭榜的项目，新增税收只有70万元: told, over two clauses
        told = (
            not marked
            and i < len(pieces) - 1
            and bool(TOLD.match(said) or TOLD.match(piece))  # <某地>的需求，我们已经提交了两项: told
            and not QUESTIONY.search(said)
        )
        # 几家会员企业有同一个需求，…怎么报: "a few", told, not asked
        told = told or (
            not marked
            and i < len(pieces) - 1
            and bool(INDEFINITE.search(piece))
            and not QUESTIONY.search(INDEFINITE.sub("", piece))
        )
        told = told or (
            not marked
            and not QUESTIONY.search(piece)
            and any(ASKING_START.match(p) for p, _, _ in pieces[i + 1 :])
            and not (i < len(pieces) - 1 and _terse_asks_apart(piece, *pieces[i + 1][:2]))
        )
        # 需求表是交给孙亮的吧，他电话多少: what the user takes for granted, then the question asked
        told = told or (
            i < len(pieces) - 1 and bool(PRESUMED.search(piece)) and bool(asks_in(pieces[i + 1][0]))
        )
        # 项目执行期眼看就要到了，执行期满后多久要申请验收？: a state of things told, ending in 了
        told = told or (
            not marked and i < len(pieces) - 1 and piece.endswith("了") and not QUESTIONY.search(piece)
        )
        # 企业把需求表交给县科技局，纸质的要交几份: the handing over told, the question asked of it
        told = told or (
            not marked
            and i < len(pieces) - 1
            and bool(HANDED_OVER.search(piece))
            and not QUESTIONY.search(piece)
            and set(asks_in(piece)) <= {"where", "process"}  # …交到县里的截止日: a date is asked
            and "谁" not in piece
        )
        # 那要是平台登不上呢，找谁: a case set up, then the question asked of it
        told = told or (i < len(pieces) - 1 and bool(HYPOTHETICAL.match(piece)) and piece.endswith("呢"))
        told = told or (
            not marked
            and i < len(pieces) - 1
            and not QUESTIONY.search(piece)
            and bool(OBJECT_END.search(piece))
            and bool(LEADS_PREDICATE.match(pieces[i + 1][0]))
            and not _terse_asks_apart(piece, *pieces[i + 1][:2])  # <某地>征集时间 咨询电话: two look-ups
        )
        # 预算能列间接费用吗？: a yes/no of its own on what it names, though no ask word is in it
        # (not when what follows asks nothing, or asks again of the same thing: 要去答辩吗？答辩在哪天)
        after = _part(pieces[i + 1][0]) if i + 1 < len(pieces) else None
        own_yes_no = (
            marked
            and (
                (bool(YES_NO_MODAL.search(piece)) and bool(_part(piece).topics))
                or bool(A_NOT_A.search(piece))  # <某地>在不在激励名单里
            )
            and (after is None or (bool(after.asks) and not set(after.topics) & set(_part(piece).topics)))
        )
        if not pending and _contact_purpose(piece, parts):
            continue
        if parts and not pending and LIST_ONLY.match(piece):  # …都有哪些？全部列出来: the same question
            merged = _merge(parts[-1], _part(piece))
            if "process" in parts[-1].asks:  # (…七个环节，请按顺序列出: the steps, in order)
                merged = replace(merged, asks=parts[-1].asks)
            parts[-1] = merged
            continue
        if parts and not pending and not asks_in(piece) and _switches_document(parts[-1].text, piece):
            # 这份通知落款哪天？后面附的省里那份呢: the same ask, of the document printed inside
            parts.append(replace(_part(piece), asks=parts[-1].asks, topics=parts[-1].topics))
            continue
        # (这几个通知里: the ones named, no count asked; the clause sets the scene)
        which_attachment = bool(WHICH_ATTACHMENT.search(piece))  # 情况表是附件几: asked, with no ask word
        if (
            (not _part(piece).asks and not own_yes_no and not which_attachment)
            or SUBORDINATE.search(piece)
            or told
        ):
            if parts and ANAPHORIC.match(piece) and not pending:
                parts[-1] = _merge(parts[-1], _part(piece))
            else:
                pending.append(piece)
                # 我们要是请外省高校来揭榜，他们的差旅费能…开支吗？: a question on whom the told clause named
                asked_after_told = (
                    marked
                    and len(pending) >= 2
                    and bool(ANAPHORIC.match(piece))
                    and bool(QUESTIONY.search(piece))
                )
                if told or SUBORDINATE.search(piece):  # 在系统里填报完以后: when, not what is asked
                    reported.update(asks_in(piece))
                if told and TOLD.match(piece):  # 我们已经在平台提交了两项: where it was done is not asked
                    done_at.update(topics_in(mask_names(piece)))
            continue
        if done_at:
            named_here = set(topics_in(mask_names(piece)))
            part = replace(part, topics=[t for t in part.topics if t not in done_at or t in named_here])
        lead_told = bool(pending)  # 我们要是请外省高校来揭榜，他们的差旅费…: 他们 is of the clause told
        pending, reported, done_at = [], set(), set()
        same_ask = spaced and bool(parts) and bool(set(part.asks) & set(parts[-1].asks))
        if parts and ANAPHORIC.match(piece) and not last_asked and QUESTIONY.search(piece):
            # 依托省级平台申报基地建设，每项最多支持多少: the clause before told, this one asks
            last = parts.pop()
            parts.append(replace(_merge(last, part), asks=part.asks or last.asks))
            last_asked = True
            continue
        if (
            parts
            and not _switches_document(parts[-1].text, piece)
            and (
                (
                    ANAPHORIC.match(piece)
                    and not lead_told
                    # (这个时间还来得及吗: 这 points at what the part before told, and stays with it)
                    and not (_asks_apart(part, parts[-1]) and not re.match(r"[这那它]", piece))
                )
                or piece.startswith("还是")  # 是打到企业账上，还是打给高校: one question, its alternatives
                or same_ask
                # 还想再报第三项，可以吗: the same question, yes or no (我们不想填，行不行: of the clause told)
                or (bool(BARE_YES_NO.match(piece)) and not lead_told)
                or _verdict_on_last(part, parts[-1])
                or _date_of_told_act(piece, parts[-1], last_asked)
                or _how_much_of_last(part, parts[-1])
            )
        ):
            parts[-1] = _merge(parts[-1], part)
        else:
            parts.append(part)
        last_asked = marked or bool(QUESTIONY.search(piece))
    if pending and parts and last_asked and all(_aside(p) for p in pending):
        pending = []  # 落款日期是几号？我写材料要引用一下: why the user asks, after the question
    if pending:
        rest = _part("，".join(pending))
        if reported and not QUESTIONY.search(pending[-1]):  # 有几家会员企业…，是各自报还是统一报: told
            rest = replace(
                rest, asks=[a for a in rest.asks if a not in reported or a in asks_in(pending[-1])]
            )
        short_yes_no = (
            len(pending) == 1
            and len(pending[0]) <= 8
            and (
                (pending[0].endswith("吗") and bool(YES_NO_MODAL.search(pending[0])))  # (需要准备什么: no)
                or bool(OBLIGED.search(pending[0]))  # 那栏要谁盖章？是不是必须填
            )
            and not rest.asks
            and not rest.topics
        )
        if parts and short_yes_no and parts[-1].topics:
            # 多久内要提验收申请？能提前吗: a yes/no of its own on what the part before asked about
            parts.append(
                replace(rest, asks=["eligibility"], topics=list(parts[-1].topics), context=parts[-1].text)
            )
        elif parts and not asked_after_told:
            parts[-1] = _merge(parts[-1], rest)
        else:
            parts.append(rest)
    parts = [_money_not_call(p) for p in parts]
    parts = [q for p in parts for q in _enumerated_asks(p)]
    parts = [  # 要满足什么条件: the notice's 申报条件, said in the words its rules are found by
        replace(p, text=CONDITIONS_SAID.sub("申报条件有哪些", p.text))
        if {"list", "threshold"} <= set(p.asks)
        and CONDITIONS_ASKED.search(p.text)
        and "申报条件" not in p.text
        else p
        for p in parts
    ]
    # 管理办法是哪年出的？文号是多少: a terse later part is about what the part before it named
    parts = [
        replace(p, context=parts[i - 1].text)
        if i
        and len(p.text) <= 6
        and p.topics
        and set(p.asks) <= {"definition"}
        and not p.metrics
        and not p.context
        and not A_NOT_A.search(p.text)  # 能否提前验收: a yes/no of its own, not of the part before
        else p
        for i, p in enumerate(parts)
    ]
    # 合同书什么时候签？有没有具体截止日期？: a short part naming nothing asks of the step before it
    for i, p in enumerate(parts[1:], start=1):
        before = parts[i - 1]
        # 最低得承诺多少？我们只承诺50万，够不够: whether it is enough, of what the part before asked
        enough = (
            set(p.asks) <= {"eligibility"}
            and not p.topics
            and not p.metrics
            and not p.context
            and bool(before.topics)
            and (
                (bool(p.asks) and bool(ENOUGH.search(p.text)) and "threshold" in before.asks)
                or bool(OBLIGED.search(p.text))  # “出资承诺”栏怎么写？是不是必须填: of that item
            )
        )
        if enough or (
            len(p.text) <= 12
            and not p.topics
            and not p.metrics
            and not p.context
            and before.topics
            and bool(QUESTIONY.search(before.text) or "啥" in before.text)  # 需求在平台上填，…: told
            and not re.search(r"[表书]|材料|文件", p.text)  # 汇总表几号前报: names its own document
            and (
                set(p.asks) & {"deadline", "when", "consequence"}
                or (set(p.asks) == {"process"} and len(p.text) <= 8)  # 验收多久内申请？怎么个验法
                # 要交什么格式的文件，发给谁: where the document just named goes
                or ("where" in p.asks and bool(re.search(r"表|材料|文件|文档|申报书", before.text)))
            )
        ):
            parts[i] = replace(p, topics=list(before.topics), context=before.context or before.text)
        elif (  # 榜单金额具体指什么？有无最低额度要求？: a bar asked of the amount the part before named
            len(p.text) <= 12
            and not p.topics
            and not p.metrics
            and not p.context
            and before.metrics
            and set(p.asks) & {"threshold", "cap"}
            and not re.search(r"财政|政府|补助|资助|补贴", p.text)  # 财政最多给多少: its own money
        ):
            parts[i] = replace(p, metrics=list(before.metrics), context=before.context or before.text)
    return parts or [Part(text, [], [], [], [])]


BARE_YES_NO = re.compile(
    r"^(?:这样|那样|这)?(?:可以|行|能|可|行不行|可不可以|能不能|成不成|好不好)(?:吗|么|嘛|吧)?[？?。]*$"
)
OBLIGED = re.compile(
    r"是不是必须|是否必须|必须[^，,。？?]{0,3}吗|一定要[^，,。？?]{0,3}吗|非得|可以不填|不填(?:会不会|行不行|可以吗|行吗)"
)
ENOUGH = re.compile(r"够不够|够吗|够了吗|行不行|行吗|可以吗|达标吗|达不达标")
# 我们在平台报了重大需求，如果入选…: what the user reports having done sets the scene; it asks nothing.
UNSURE = re.compile(r"(?:说不准|不确定|不知道|不清楚|拿不准|搞不清|不好说|不太清楚)[^，,。？?]{0,4}$")
INDEFINITE = re.compile(
    r"(?<![能多以少最可])几(?:家|个|项|位|名|所)[\u4e00-\u9fff]{2,8}?(?:有|都|在|想|要|准备|打算|共同|一起|牵头|联合|合作)"
    r"|(?<=我们|咱们)几(?:家|个|所)"  # 我们几家企业牵头搞了个联合体: told, not asked
)
IF_WORDS = r"(?:要是|如果|假如|万一|若是|假设)"  # what-if: one word list for every check that reads a case
WHAT_IF = re.compile(rf"{IF_WORDS}|换成|改成")
HYPOTHETICAL = re.compile(rf"^[\u4e00-\u9fff]{{0,6}}?(?:那|那么)?{IF_WORDS}")
COMPARED_YEAR = re.compile(r"(?:跟|和|与|同|比)哪一?年(?:比|相比|比较)?")
# 我想问…: what comes before it that asks nothing is the scene, however it is worded.
ASKING_START = re.compile(r"^(?:我|我们)?(?:想|就想|主要想)?(?:问|请教|咨询|了解)(?:一下|下)?")
# 好几家 / 十几个 / 几十项: an amount told, not asked.
VAGUE_FEW = re.compile(r"好几|十几|几十|几百|几千")
TOLD = re.compile(
    r"^(?:我们|我司|我公司|本公司|我单位|本单位|我们公司|咱们)(?![^，,]*(?:问|想知道|咨询|了解))"
    r"(?:[^，,]*?(?:了|已经|已)|[^？?]*?(?:只有|才|不到|没到|超过|达到)[^，,]*?\d)"
)
# 汇总表电子版，要发到哪个邮箱: a clause naming a document, then a clause without a subject that asks
# what to do with it — the first is the second's subject, not a question of its own.
OBJECT_END = re.compile(r"(?:表|版|材料|文件|附件[一二三四五六七八九十\d]*|申报书|清单|名单|证明)$")
LEADS_PREDICATE = re.compile(r"^(?:要|需要|需|应该|应当|应|该|得|能|可以|可|怎么|如何|是|交|报|发|送)")
QUESTIONY = re.compile(
    r"吗|呢|么|什么|哪|几|多少|多久|多长|怎|如何|是否|能否|可否|是不是|要不要|有没有|能不能|可不可以|会不会|请问"
)


# 至少要付多少 / 得出多少: a sum asked of a verb whose object the last question named
BARE_HOW_MUCH = re.compile(r"(?:要|得|需|需要|应|应该)?(?:付|出|给|交|拿|掏)(?:多少|几成|百分之几)[？?]?$")
LIST_ONLY = re.compile(
    r"^(?:请|麻烦)?(?:你)?(?:把它们|把这些|把)?(?:全部|都|一一|全都|逐个|挨个)?(?:给我)?(?:按顺序|依次|按先后顺序|按步骤)?(?:列出来|列一下|列举|罗列|列出)(?:一下)?(?:吧|呗|啊)?$"
)
HANDED_OVER = re.compile(
    r"把[^，,。？?]{1,14}?(?:交给|交到|报给|报到|报送给|报送到|送到|送给|提交给|提交到|寄到|发到)"
)


ASIDE = re.compile(
    r"^(?:我|我们|咱们)(?:写|做|准备|要|想|得|需要)[^，,。？?]{0,12}(?:引用|用|参考|写进|放进|备用|核对|对照)(?:一下|下)?[。.!！]*$"
)


def _without_asks(text: str) -> str:
    """2024年技术攻关需求截止哪天 → 2024年技术攻关需求: what a question was about, its ask words left out."""
    out = text
    for s, e, _ in sorted(find_terms(text, ask_terms()), reverse=True):
        out = out[:s] + out[e:]
    return out.strip("，,。？? ") or text


def _named_before(figures: list[UserFigure], context: Context | None) -> list[UserFigure]:
    """研发投入160万最多补多少？→ 那这160万里头，至少付揭榜方多少: a figure said again without its label
    is the one the last question labelled."""
    if not context or not context.question:
        return figures
    before = [f for f in bind_figures(normalize_text(context.question)) if f.own and f.metric]
    out = []
    for f in figures:
        same = [b for b in before if b.value == f.value and b.unit == f.unit]
        labelled = f.own and f.metric is None and len({b.metric for b in same}) == 1
        out.append(replace(f, metric=same[0].metric) if labelled else f)
    return out


# 电话多少？我想问问需求表怎么填 / 邮箱多少？我想把材料发给他: why the user wants the contact
CONTACT_PURPOSE = re.compile(
    r"^(?:我|我们|咱们|咱)?(?:想|要|打算|准备|好)(?:打电话|打过去|联系|问问|问一下|问一问|咨询|"
    r"把[^，,。？?]{1,12}(?:发|交|寄|送|传)(?:给|过去|到))"
)


def _contact_purpose(piece: str, parts: list[Part]) -> bool:
    """A clause after a question for a phone or mailbox that says what the user will use it for: the
    contact is what is asked (the answer says whether it is printed), not the errand."""
    return bool(parts) and "contact" in parts[-1].asks and bool(CONTACT_PURPOSE.match(piece))


def _aside(piece: str) -> bool:
    """我写材料要引用一下: a clause that tells why the user asks, with no figure or measure of its own."""
    return bool(ASIDE.match(piece)) and not bind_figures(piece) and not metrics_in(piece)


def _switches_document(before: str, piece: str) -> bool:
    """这份通知哪天落款？它后面附的省里那份通知又是哪天: the second names a document printed inside the
    notice the first names, so each is asked of its own document."""
    ids = list(shipped_notice_ids())
    if not any(mentioned_docs(piece, ids).values()) or any(mentioned_docs(before, ids).values()):
        return False
    norm = normalize_text(before)
    return any(normalize_text(a) in norm for n in notices() for a in (n.short, *n.aliases) if a)


def _verdict_on_last(part: Part, last: Part) -> bool:
    """要求研发人员占比不低于10%？我们只有6%，是不是不符合: a bare figure and a verdict asked of the
    rule the part before named, not a question of its own."""
    bare = not part.metrics and not part.topics and part.asks == ["eligibility"]
    return bare and bool(last.metrics) and bool(find_amounts(part.text) or find_percents(part.text))


MONEY_ASKS = frozenset({"funding", "share", "cap", "schedule"})
# 企业把表交到县区科技局，截止日期是几号: the clause before tells the act, this one asks its date.
DATE_OF_ACT = re.compile(r"^(?:那|这)?(?:截止|最晚|最迟|期限|几号|哪天|什么时候|啥时候|何时)")


def _date_of_told_act(piece: str, last: Part, last_asked: bool) -> bool:
    return not last_asked and set(last.asks) <= {"where"} and bool(DATE_OF_ACT.match(piece))


TIME_ASKS = frozenset({"when", "deadline"})


def _how_much_of_last(part: Part, last: Part) -> bool:
    """县里会给多少配套资金？按比例还是定额 / 什么时候论证？哪个月: the second asks the same money or
    time question of the same thing."""
    bare = not part.metrics and not part.topics and bool(part.asks) and len(part.text) <= 8
    return (
        bare
        # 截止是哪天？今天还来得及吗: a yes/no on the date just asked
        and (
            bool(last.topics)
            or (set(part.asks) <= set(last.asks) and part.text.endswith(("吗", "么")))
            or (set(part.asks) <= set(last.asks) and bool(last.metrics))  # 营收有什么门槛，要多少才行
        )
        and any(
            set(part.asks) <= family and set(last.asks) & family
            for family in (MONEY_ASKS, TIME_ASKS, frozenset({"threshold"}))
        )
        # 哪天开放？哪天几点截止: the close of what opened asks another date, not the same one again
        and not ("deadline" in part.asks and "deadline" not in last.asks and "截止" in part.text)
    )


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    starts = [m.end() for m in CLAUSE.finditer(text, 0, pos)]
    s = starts[-1] if starts else 0
    m = CLAUSE.search(text, pos)
    return s, (m.start() if m else len(text))


COUNT = rf"(\d+|[{CN_CHARS}]+)\s*(?:项|个|条|件)"


@lru_cache(maxsize=1)
def _count_patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """Per metric with `from_counts`: the patterns for the part done and the whole, compiled once
    (every reading of figures runs them)."""

    def either(ws: list[str]) -> str:
        return "|".join(sorted(map(re.escape, ws), key=len, reverse=True))

    return tuple(
        (
            metric,
            re.compile(rf"(?:{either(spec['from_counts']['done'])})\s*(?:了)?\s*{COUNT}"),
            re.compile(
                rf"(?:{either(spec['from_counts']['total'])})(?:有|列了|列有|定了|设了|写了)?\s*{COUNT}"
            ),
        )
        for metric, spec in vocabulary().metrics.items()
        if spec.get("from_counts")
    )


def _count_shares(text: str) -> list[UserFigure]:
    """A share the user gives as two counts (一共25项指标，完成了19项 → 76%), for a metric whose vocabulary
    says which words name the part done and the whole (`from_counts`)."""
    out = []
    for metric, done_of, total_of in _count_patterns():
        done, total = done_of.search(text), total_of.search(text)
        if done is None or total is None or done.start() == total.start():
            continue
        d, t = cn_number(done.group(1)), cn_number(total.group(1))
        if d is None or t is None or not 0 < d <= t:
            continue
        share = d / t * 100
        raw = f"{fmt_num(d)} ÷ {fmt_num(t)} = {fmt_num(round(share, 1))}%"
        out.append(UserFigure(round(share, 1), "%", metric, raw, done.start(), own=True))
    return out


def bind_figures(text: str) -> list[UserFigure]:
    """Each amount or percentage with the metric named nearest before it in its clause (else just after),
    and whether it is the user's own figure or one quoted from (or asked about) the notice."""
    metric_spans = find_metrics(text)
    figures: list[Figure] = [*find_amounts(text), *find_percents(text)]
    out: list[UserFigure] = []
    for fig in sorted(figures, key=lambda f: f.start):
        cs, ce = _clause_bounds(text, fig.start)
        before = [(s, e, m) for s, e, m in metric_spans if cs <= s and e <= fig.start]
        after = [(s, e, m) for s, e, m in metric_spans if fig.end <= s and e <= ce and s - fig.end <= 4]
        if len(before) >= 2 and PAREN_CLOSE.search(text[before[-1][1] : fig.start]):
            opened = max(
                text.rfind("（", cs, before[-1][0]), text.rfind("(", cs, before[-1][0])
            )  # 榜单金额（给揭榜方的攻关费）250万: the term
            if opened >= 0 and before[-2][1] <= opened:  # glossed, not the gloss
                before = before[:-1]
        metric = before[-1][2] if before else (after[0][2] if after else None)
        chosen = before[-1] if before else (after[0] if after else None)
        if (
            metric == "invest"
            and chosen is not None
            and OWN_SPEND.fullmatch(text[chosen[0] : chosen[1]])
            and any(g.metric == "invest" and g.own for g in out)
        ):
            metric = "self"  # 总预算1000万，我们企业出600万: the total named, then the user's own part of it
        if (
            metric == "invest"
            and chosen is not None
            and INVEST_VERB.fullmatch(text[chosen[0] : chosen[1]])
            and any(m == "rd" for s, e, m in metric_spans if cs <= s and e <= ce)
        ):
            metric = "rd"  # 研发只投60万、打算投八十万元研发: money spent on R&D, not a project budget
        elif (
            metric == "invest"
            and chosen is not None
            and INVEST_VERB.fullmatch(text[chosen[0] : chosen[1]])
            and any(m == "rd" for _, _, m in metric_spans)
            and not any(g.metric == "rd" for g in out)
            and not any(m == "invest" and not INVEST_VERB.fullmatch(text[s:e]) for s, e, m in metric_spans)
        ):
            metric = "rd"  # 执行期研发投入的要求，我们已经投了38万: the spending the question is about
        if (
            metric is None
            and fig.unit == "万元"
            and REQUESTED.search(text[max(cs, fig.start - 4) : fig.start])
        ):
            metric = "grant"  # 拟申请200万元: the grant asked for
        if metric is None and fig.unit == "万元" and LIST_BEFORE.search(text[cs : fig.start]):
            metric = "list_amount"  # 榜单正好200万: the amount of the list, named before it
        if metric is None and fig.unit == "万元" and LIST_AFTER.match(text[fig.end : ce]):
            metric = "list_amount"  # 挂一个80万元的榜: the amount of the list, named after it
        of = None
        if fig.unit == "%" and metric is not None:
            of, metric = _share_of(text, before, fig.start, metric)
        head = text[max(cs, fig.start - 6) : fig.start]
        tail = text[fig.end : min(ce, fig.end + 8)]
        clause = text[cs:ce]
        quoted = bool(QUOTED_BEFORE.search(head) or QUOTED_AFTER.match(tail))
        if ASKING.search(clause) and not FIRST_PERSON.search(clause):
            quoted = True
        if NOTICE_SAYS.search(text[cs : fig.start]) and not FIRST_PERSON.search(clause):
            quoted = True  # 附件4说…可以降到60%: the notice's figure, told back
        if (
            text[fig.start - 1 : fig.start] in '“"「『'
            and text[fig.end : fig.end + 1] in '”"」』'
            and fig.start
        ):
            quoted = True  # 都有“100万元”的投入要求: a printed figure in quotation marks
        if fig.unit == "%" and re.search(r"按\s*$", text[max(cs, fig.start - 2) : fig.start]):
            quoted = True  # 自筹按60%就行了吧: the rate of a rule the user names, not a share they have
        if (
            metric is None
            and not quoted
            and (
                BARE_FIGURE.match(text[cs : fig.start] + "#" + text[fig.end : ce])
                or CASE_OF_LAST.search(
                    text[cs : fig.start]
                )  # 要是榜单改成400万呢: the same figure, another case
            )
        ):
            metric, of = _same_as_before(out, fig, cs)
        yearly = bool(PER_YEAR.search(text[cs : fig.start]))
        partial = bool(PART_OF_PERIOD.search(text[cs : fig.start]))
        said_year = YEAR_OF.findall(text[cs : fig.start])
        out.append(
            UserFigure(
                fig.value,
                fig.unit,
                metric,
                fig.raw,
                fig.start,
                own=not quoted,
                of=of,
                per_year=yearly,
                year=int(said_year[-1]) if said_year else None,
                partial=partial,
            )
        )
    return out + _count_shares(text)


PAREN_CLOSE = re.compile(r"^[^（(]{0,8}[）)]\s*(?:是|为|约|共)?\s*$")
CASE_OF_LAST = re.compile(rf"{IF_WORDS}[^，,。？?]{{0,8}}(?:改成|换成|改为|变成|提到|做到|定|是|为)\s*$")
YEAR_OF = re.compile(r"(20\d\d)年(?!\d)")
LIST_BEFORE = re.compile(r"榜单?(?:正好|刚好|恰好|就)?(?:是|为|定为?|设为?|有|挂)?\s*$")
LIST_AFTER = re.compile(r"的?(?:榜|榜单)(?!金额|额|单金额)")
REQUESTED = re.compile(r"申请(?:了|到)?$")
OWN_SPEND = re.compile(r"企业出|拿出|自己拿|自己投入?|自己要投")
INVEST_VERB = re.compile(r"(?:打算|准备|计划|只|要|想)?投了?")
# 第一年、首年、头两年、上半年: a figure for part of the period (the rule may be on all of it)
PART_OF_PERIOD = re.compile(
    r"(?:第[一二三四五1-5]|首|头[一两二三]?|前[一两二三1-3])个?年|[上下]半年"
    r"|(?:期内|期间)[^，,。？?]{0,4}(?:已经|已|才|目前|至今)|(?:到目前为止|截至目前|目前为止)"
)  # 执行期内已经投了38万: what is done so far, not the period's total
PER_YEAR = re.compile(r"每年|每一年|年均|平均每年|(?<![第首头前])一年(?![内里后前])")
# 项目计划做三年、实施周期36个月、为期2年: how long the user's project runs (不是 去年 or 2024年).
DURATION = re.compile(
    r"(?:做|干|周期|实施期|执行期|期限|为期|攻关|研发|持续|需要|要(?!求)|计划|打算|预计)[^，,。？?；;\d第首头]{0,4}?"
    r"(?<![第首头近去前])(?P<n>\d{1,3}(?:\.\d)?|[一二两三四五六七八九十半]{1,3})\s*(?P<u>年|个月|个半月)(?![份度前后底初])"
)


# 每年45万，两年加起来够不够: the years the user adds their yearly figure over
SUMMED_YEARS = re.compile(
    r"(?<![第首头近去前\d])(?P<n>\d|[一二两三四五])\s*(?P<u>年|个月)(?:加起来|合计|一共|下来|总共|累计|共计)"
)


def read_duration(text: str) -> tuple[float, str] | None:
    """The length of the user's project in years, and how they said it; None when they give none."""
    m = DURATION.search(text) or SUMMED_YEARS.search(text)
    if m is None:
        return None
    n = 0.5 if m.group("n") == "半" else cn_number(m.group("n"))
    if n is None or n <= 0:
        return None
    half = 0.5 if text[m.end() : m.end() + 1] == "半" else 0.0  # 两年半
    years = n + half if m.group("u") == "年" else n / 12
    return years, m.group("n") + m.group("u") + ("半" if half else "")


# 我们只有2.5%: a clause that is nothing but the user's figure (加起来110万 or 自己再投30万 say more).
BARE_FIGURE = re.compile(
    r"^\s*(?:我们|我们的|我司|我公司|我单位|公司|企业|咱们)?"
    r"(?:只有|才|仅|仅有|就|也就|有|是|为|大概|大约|约|差不多|测算|估算|预计|预测|估计|每年|年均|新增|能|可以)*"
    r"#(?:左右|上下|多|多点|而已|吧|啊|呀)*\s*$"
)


def _same_as_before(
    earlier: list[UserFigure], fig: Figure, clause_start: int
) -> tuple[str | None, str | None]:
    """A figure with no label in its clause answers the one named just before (门槛是3%吧？我们只有2.5%):
    it measures what the nearest earlier figure of the same unit, in an earlier clause, measures."""
    for prev in reversed(earlier):
        if prev.start < clause_start and (prev.unit == "%") == (fig.unit == "%"):
            return prev.metric, prev.of
    return None, None


SHARE_LINK = re.compile(r"^(?:的|是|为|占|约为|约占|大约是|大概|大致|差不多|相当于|达到|只有|有)*$")
# 研发投入占营收（的比例）不低于3%: a share named with 占 and bounded, not 的.
SHARE_OF = re.compile(r"^\s*(?:约|大约|大概|大致|差不多|将近|接近)?占\s*$")
SHARE_BOUND = re.compile(
    r"^(?:的)?(?:比例|比重|比率|百分比)?(?:要|须|需|应|得)?"
    r"(?:不低于|不少于|不高于|不超过|不到|低于|高于|超过|达到|在|为|是|约|有|只有|才|仅)*$"
)


def _share_of(
    text: str, before: list[tuple[int, int, str]], at: int, metric: str
) -> tuple[str | None, str | None]:
    """A percentage's (whole, metric). 研发投入是营收的10%: 研发投入 worked out as a share of 营收, or the
    share the vocabulary names for the pair; 付给揭榜方50%: the payee's named share; a percentage of
    an amount with no share named binds to nothing (10% is not an amount of 万元)."""
    ratios = share_metrics()
    if metric in ratios.values():
        return None, metric
    between = text[before[-1][1] : at].strip() if before else ""
    if len(before) >= 2 and (between == "的" or SHARE_BOUND.match(between)):
        part, whole = before[-2][2], before[-1][2]
        link = text[before[-2][1] : before[-1][0]]
        if part != whole and (SHARE_LINK.match(link) if between == "的" else SHARE_OF.match(link)):
            named = ratios.get((part, whole))
            return (None, named) if named else (whole, part)
    own_share = next((name for (part, _), name in ratios.items() if part == metric), None)
    customary = vocabulary().metrics.get(metric, {}).get("share_of")
    if own_share is None and customary:  # 研发占比1.8%: the share's customary base
        return customary, metric
    return None, own_share


@lru_cache(maxsize=1)
def share_metrics() -> dict[tuple[str, str], str]:
    """(part, whole) → the share metric the vocabulary names for it (payee, rd → payee_share)."""
    return {tuple(s["ratio"]): name for name, s in vocabulary().metrics.items() if s.get("ratio")}


def _named_regions(text: str) -> list[str]:
    """The places whose notices (or documents printed in them) the text names: the province for a provincial
    document, the city for the city's own notice."""
    from knowledge.scope import region_short

    out = []
    named = mentioned_notices(text)
    docs = mentioned_docs(text, named)
    for n in notices():
        if n.id not in named:
            continue
        region = n.region_of(docs.get(n.id))
        if region:
            out.append(normalize_text(region_short(region)))
    return out


# 是不是按“其他领域”的标准: the rule asked about (想按“重大需求”报: what the user files as, a class)
RULE_NAMED = re.compile(
    r"(?:按|按照|适用|套用|参照)[“\"「]([^”\"」]{2,16})[”\"」](?!\s*(?:来|去)?(?:报|申报|填报|填|申请))"
)


@lru_cache(maxsize=1)
def _shared_suffix_heads() -> tuple[tuple[str, str, str, str], ...]:
    """(head, other word, dimension, value): 重大需求 and 重点需求 share 需求, so 重大、重点需求 says 重大需求."""
    terms = class_terms()
    out = []
    for w, dim, value in terms:
        if len(w) < 4:
            continue
        head, rest = w[:2], w[2:]
        for w2, d2, v2 in terms:
            if d2 == dim and v2 != value and w2 != w and w2.endswith(rest) and len(w2) == len(w):
                out.append((head, w2, dim, value))
    return tuple(out)


# 我是县科技局的 / 我们区科技局: the user speaks for an office that recommends, not for an applicant
BUREAU_SELF = re.compile(
    r"(?:我|我们)(?:是|这边是|单位是|这里是)?[\u4e00-\u9fff]{0,6}?(?:科技局|科技主管部门|工信局|科技和工信局|科技部门)(?:的)?"
)


def read_classes(text: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Classes the user says they belong to, and classes they say they do not (不属于高新技术领域)."""
    vocab = vocabulary()
    text = BARE_NON.sub(lambda m: m.group() + "类", text)  # 非农业、不在山区县: 非农业 denies the class
    yes: dict[str, set[str]] = {}
    no: dict[str, set[str]] = {}
    said: dict[str, set[str]] = {}  # affirmed in so many words
    negated_until = -1  # end of the last negated term: 不在山区26县和海岛县 negates both
    asked = [m.span() for m in RULE_NAMED.finditer(text)]
    bureau = BUREAU_SELF.search(text)
    for start, end, key in find_terms(text, tuple((w, f"{d}:{v}") for w, d, v in class_terms())):
        dim, value = key.split(":", 1)
        if any(s <= start and end <= e for s, e in asked):
            continue  # 是不是按“其他领域”的标准: the rule asked about, not what the user is
        if dim == "applicant" and OTHER_PARTY.search(text[max(0, start - 8) : start]):
            continue  # 付给高校, 和院所联合: another party, not the user
        if (
            dim == "applicant"
            and SOMEONE.search(text[max(0, start - 6) : start])
            and not SELF_IS.search(text[max(0, start - 12) : start])
        ):
            continue  # 其实国内一家研究所已经有成果: someone else the user tells of, not the user
        if (
            dim == "applicant"
            and DONE_BY_THEM.match(text[end : end + 10])
            and not SELF_IS.search(text[max(0, start - 6) : start])  # (我们是院所，早就有…: the user)
        ):
            continue  # 我们有个难题，其实高校已经有成熟成果: what another has done, not who the user is
        if (
            dim == "applicant"
            and bureau
            and start > bureau.end()
            and not SELF_IS.search(text[start - 6 : start])
        ):
            continue  # 我是县科技局的…都是单个企业自己的难题: the units they recommend, not the user
        if text[start] == "个" and start and re.match(r"[\d一二两三四五六七八九十百几]", text[start - 1]):
            continue  # 12个人: a head count, not an individual
        if UNSURE.search(text[max(0, start - 10) : start]):
            continue  # 说不准算不算高新技术领域: neither said nor denied — both cases are answered
        coordinated = negated_until >= 0 and bool(COORDINATED.match(text[negated_until:start]))
        if (
            coordinated
            or NEGATION.search(text[max(0, start - 3) : start])
            or NOT_AWARDED.search(text[max(0, start - 6) : start])
        ):
            negated_until = end
            no.setdefault(dim, set()).add(value)
            kept = _head_class(text[start:end], dim)
            if kept:  # 非农业企业: not of the sector, still an enterprise
                yes.setdefault(kept[0], set()).add(kept[1])
                said.setdefault(kept[0], set()).add(kept[1])
            other = vocab.classes.get(dim, {}).get("otherwise", {}).get(value)
            if other:
                yes.setdefault(dim, set()).add(other)
        else:
            negated_until = -1
            yes.setdefault(dim, set()).add(value)
            said.setdefault(dim, set()).add(value)
    for head, word, dim, value in _shared_suffix_heads():
        # 重大、重点需求: a head coordinated with a word of its dimension shares that word's ending
        if any(f"{head}{joint}{word}" in text for joint in "、和与及或") and not no.get(dim, set()) & {value}:
            yes.setdefault(dim, set()).add(value)
            said.setdefault(dim, set()).add(value)
    for dim, values in said.items():  # 不是高新技术企业，但属于高新技术领域: said and denied — both cases
        if no.get(dim, set()) & values:
            no[dim] -= values
            if not no[dim]:
                del no[dim]
    if "locality" in vocab.classes and "locality" not in yes and "locality" not in no:
        from knowledge.scope import inside, origin_elsewhere

        places = origin_elsewhere(
            text
        )  # 我们是长沙的一所高校, 注册在北京: a unit from a place no notice covers
        regions = _named_regions(text)
        if places and regions and all(any(inside(p, r) for r in regions) for p in places):
            yes["locality"] = {
                "local"
            }  # a city of the province asking its provincial notice: inside its region
        elif places:
            yes["locality"] = {"elsewhere"}
    for dim, spec in vocab.classes.items():
        implied = spec.get("implied") or {}
        cued = "word" not in implied or normalize_text(implied["word"]) in text
        if implied and cued and dim not in yes and dim not in no:
            found = {implied["values"][v] for v in yes.get(implied["from"], ()) if v in implied["values"]}
            if found:
                yes[dim] = found
    for dim, values in no.items():
        if dim in yes:
            yes[dim] -= values
            if not yes[dim]:
                del yes[dim]
    return yes, no


BARE_NON = re.compile(r"(?<=非)农业(?![类企])")


def _head_class(word: str, dim: str) -> tuple[str, str] | None:
    """农业企业 → (applicant, enterprise): the class a negated word's ending still names."""
    for w, d, v in class_terms():
        if d != dim and d == "applicant" and len(w) < len(word) and word.endswith(w):
            return d, v
    return None


# 1956年3月10日出生 / 2021年6月1日成立的公司: a day in the life of the person or unit, not an act on the notice
BORN = re.compile(
    r"(?:被|就|已经?|刚|才)?(?:出生|生日|生的|出世|成立|注册|设立|创办|创立|组建|挂牌|上市|获批|认定|评为|获评"
    r"|获得|结题|验收|立项)"
)
SUPPOSING = re.compile(r"^(?:那|那么)?(?:要是|如果|假如|假设|若)")
HOST_ITSELF = re.compile(r"本级|这份通知|这个通知|本通知|市里自己|自己的通知")
MONEY_FOLLOW = frozenset({"funding", "schedule", "cap"})
MONEY_METRICS = frozenset({"payee", "grant", "self"})


def _carried_figures(text: str, parts: list[Part], context: Context | None) -> list[tuple[UserFigure, str]]:
    """榜单定400万，财政最多给多少？→ 这个钱分几次拨: a money question that gives no figure of its own works
    on the figures the last question gave (placed after the text: nothing in it is read as theirs), each
    with its clause, passed on to the next turn."""
    if context is None or not context.question or any(f.own for f in bind_figures(text)):
        return []
    money_floor = any("threshold" in p.asks and set(p.metrics) & MONEY_METRICS for p in parts)
    if not any(MONEY_FOLLOW & set(p.asks) for p in parts) and not money_floor:
        return []  # (付给揭榜方的钱最少要多少: a floor on money, worked out on the last figures too)
    said = normalize_text(context.question)
    clauses = [(m.start(), m.group()) for m in re.finditer(r"[^，,。；;？?]+", said)]
    return [
        (
            replace(f, start=len(text) + 1),
            next((c for s, c in clauses if s <= f.start < s + len(c)), f.raw).strip("()（）"),
        )
        for f in bind_figures(said)
        if f.own
    ]


def mentioned_docs(text: str, notice_ids: list[str]) -> dict[str, str | None]:
    """For each named notice, the sub-document the question names by one of its aliases, if any, or by
    a heading printed only in it (申报科技创新基地建设: the provincial notice's direction)."""
    norm = normalize_text(text)
    docs: dict[str, str | None] = {}
    for n in notices():
        if n.id not in notice_ids:
            continue
        docs[n.id] = None
        for att in n.attachments:
            sd = att.subdocument
            names = [sd.short, *sd.aliases, f"附件{att.n}"] if sd is not None else []
            if sd is not None and any(normalize_text(a) in norm for a in names):
                docs[n.id] = sd.id
        if docs[n.id] is None:
            by_heading = {doc for heading, doc in own_headings(n.id) if heading in norm}
            if len(by_heading) == 1:
                docs[n.id] = by_heading.pop()
    return docs


# 申报流程和时间 heads every notice's procedure: only a heading naming a thing of its own tells the document
PROCEDURAL_HEADING = re.compile(r"申报|要求|流程|时间|条件|范围|管理|咨询|报送|附件")


@cache
def own_headings(notice_id: str) -> tuple[tuple[str, str], ...]:
    """(heading, sub-document) for the headings of 6+ characters printed in a sub-document and nowhere in
    the host notice's own text."""
    from knowledge.parse import heading_level, segments

    notice = next(n for n in notices() if n.id == notice_id)
    own: list[tuple[str, str]] = []
    host = ""
    for seg in segments(notice):
        top = seg.doc.split("#")[1] if "#" in seg.doc else ""
        body = notice.text[seg.start : seg.end]
        if not top or re.fullmatch(r"a\d+", top):
            host += normalize_text(body)
            continue
        for line in body.splitlines():
            found = heading_level(line.strip())
            if found is None:
                continue
            title = normalize_text(line.strip()[len(found[1]) :]).strip("：:")
            if 6 <= len(title) <= 16 and not title.endswith("。") and not PROCEDURAL_HEADING.search(title):
                own.append((title, top))
    return tuple((h, d) for h, d in own if h not in host)


VARIANT_FRAME = re.compile(r"^(?:那么|那|如果|要是|假如|换成|若)(?:是|为)?|(?:的话)?呢?[？?。.!！]*$")
POINTING = re.compile(
    r"^(?:这个|那个|这些|那些|这|那|它|它们|他们|她们|里面|其中|这块|那块|这方面|那方面|这边|那边)?的?$"
)


def _names_new(text: str) -> bool:
    """那科技创新基地建设呢: the frame holds a thing of its own (another case of the last question),
    not a word pointing back (那这个呢, 他们的呢)."""
    rest = VARIANT_FRAME.sub("", normalize_text(text)).strip()
    return len(rest) >= 2 and not POINTING.match(rest)


CONFIRMING = re.compile(r"^\s*(?:也|还|都|是不是|难道)?(?:是|要|得)?[^？?，,]{0,10}(?:吗|么|嘛|吧)[？?]*\s*$")


def _terse_ask(text: str) -> bool:
    """限多少字？/ 文号呢？: a few characters asking a property (a printed limit, a document's number) of
    nothing they name — of what the last question named."""
    body = re.sub(r"[呢吗么嘛？?。！!，,\s]", "", text)
    asks = asks_in(text)
    return (
        0 < len(body) <= 5
        and (asks == ["definition"] or (asks == ["form"] and "字" in body))
        and not _bare_attribute(text)
        and not ANAPHORIC.match(text)
        and not read_classes(text)[0]
        and not bind_figures(text)
    )


def _stands_alone(text: str) -> bool:
    """那县里报上去以后，市里拿到这些需求会怎么处理: a 那 that opens a whole question of its own (its
    own ask, its own steps named), not one that points back (那这个要交给谁)."""
    body = re.sub(r"^(?:那么|那)", "", text)
    return (
        len(body) >= 16
        and bool(asks_in(body))
        and bool(split_parts(body)[0].topics or TIME_STEP.search(body))
    )


def _asks_of_nothing(text: str) -> bool:
    """A short question that asks (最晚什么时候提出) but names no topic, metric, figure or place."""
    parts = split_parts(text)
    if len(parts) > 1:  # 交给谁？要盖章吗: short asks, the first naming nothing, of what was just asked
        return (
            len(text) <= 16
            and "呢" not in text
            and all(p.asks and not p.metrics for p in parts)
            and not parts[0].topics
            and not bind_figures(text)
            and not find_dates(text)
        )
    return (
        len(text) <= 14
        and "呢" not in text  # 应用单位呢，要列几家: it names what it asks of
        and len(parts) == 1
        and bool(parts[0].asks)
        and not parts[0].topics
        and not parts[0].metrics
        and not bind_figures(text)
        and not find_dates(text)
    )


TIME_STEP = re.compile(r"(?:报上去|交上去|提交|报送|推荐|汇总)(?:了|完)?(?:以后|之后|后)")


def _bare_attribute(text: str) -> bool:
    """电话多少？: an attribute asked of nothing named, so of what the last question was about."""
    parts = split_parts(text)
    return (
        len(text) <= 8
        and len(parts) == 1
        and bool(parts[0].attributes)
        and not parts[0].topics
        and not parts[0].metrics
        and not read_classes(text)[0]
    )


def is_topic_follow_up(text: str, named: list[str]) -> bool:
    """ "那X呢？", "X的呢": a notice and nothing else — the previous question, about it."""
    rest = normalize_text(text)
    for n in notices():
        if n.id in named:
            subs = [
                a
                for att in n.attachments
                if att.subdocument
                for a in (att.subdocument.short, *att.subdocument.aliases)
            ]
            for alias in sorted([n.short, *n.aliases, *subs], key=len, reverse=True):
                rest = rest.replace(normalize_text(alias), "")
    # 那<某地>那边呢 / 那<某文件>项目呢 / 那<某地>的通知呢
    rest = re.sub(r"(?:19|20)\d\d年度?", "", rest)  # 那<某地>2024年的呢: the year says which round
    rest = re.sub(r"那边|这边|那里|这里|那块|这块|方面|项目|通知|文件|[的市省县区呀啊吧，,\s]", "", rest)
    rest = re.sub(
        r"^(?:的)?(?:要求|规定|情况|做法|政策)(?=又|呢|怎|如何|是)", "", rest
    )  # <某地>方面的要求又是怎样的
    m = FOLLOW_UP.match(rest.strip())
    return bool(named) and m is not None and not m.group(1).strip() and not asks_in(rest)


OTHER_MEANS = re.compile(
    r"(?:别的|其他|其它|另外的?|另一种|其余的?)(?:联系方式|联系办法|联系途径|方式|途径|渠道)"
)
PHONE_WORDS = re.compile(r"(?:联系)?(?:电话|座机|手机|热线|号码)(?:号码?)?")
# 政策上的问题呢 / 财务方面的呢: the same ask, of another matter than the last question's
ANOTHER_MATTER = re.compile(
    r"^(?:那|那么)?[\u4e00-\u9fff]{2,6}?(?:上|方面|这块|这边)的?(?:问题|事情?)?呢[？?。]*$"
)
VARIANT = re.compile(
    r"^(?:那|那么|如果|要是|假如|换成|若)?.{0,30}?(?:呢|的话)[？?。.!！]*$"
    # 那如果研发再少一点呢，只有260万？: the case, then the figure that makes it
    r"|^(?:那|那么|如果|要是|假如|换成|若).{0,30}?呢[，,][^，,。？?]{0,12}\d[^，,。？?]{0,6}[？?。.!！]*$"
)


def asked_words(text: str, topics: bool = True) -> str:
    """What a question asks, without whom it is about: its ask, metric and topic words (生物医药领域的
    政策咨询找谁 → 咨询 找谁), to ask the same of another case."""
    masked = mask_names(text)
    spans = [*find_terms(masked, ask_terms()), *find_terms(masked, metric_terms())]
    named = find_terms(masked, topic_terms())
    if topics:
        spans += named
    else:  # (系统 names the matter and asks where: the matter is left behind)
        spans = [(s, e, k) for s, e, k in spans if not any(s < ne and ns < e for ns, ne, _ in named)]
    out, last = "", None
    for s, e, _ in sorted(spans):
        if last is not None and s < last:
            continue
        # words that stood together stay together (研发投入最多补多少): a space would split the ask
        gap = masked[last:s] if last is not None else ""
        out += (
            "" if last is None or (not re.search(r"[，,。？?；;\s]", gap) and len(gap) <= 2) else " "
        ) + masked[s:e]
        last = e
    return out


def _asks_more(text: str, previous: str, notices: list[str]) -> bool:
    """还有呢 / 资格审查还有什么要求: more of what the last question was about (a lead it names, the last
    question or the notice it was about names too)."""
    if MORE_ASKED.match(text):
        return True
    noun = MORE_NOUN.match(ACKNOWLEDGED.sub("", text))
    if (
        noun
        and not MEANS.search(noun.group(1))  # 还有别的联系方式吗: other means of the same office, asked anew
        and set(asks_in(noun.group(1))) & set(asks_in(normalize_text(previous)))
    ):
        return True
    m = _more_of(text)
    return m is not None and (
        m in normalize_text(previous)
        or any(m in normalized_text(n) for n in notices if n in shipped_notice_ids())
    )


def _more_of(text: str) -> str | None:
    """资格审查还有什么要求 / 明白了，那还有别的资格审查要求吗 → 资格审查: the heading more is asked of."""
    text = ACKNOWLEDGED.sub("", text)
    m = MORE_OF.match(text) or MORE_OF_AFTER.match(text)
    return m.group(1) if m else None


def _compared_notices(text: str, named: list[str], context: Context | None) -> list[str]:
    """The notices a comparing follow-up sets side by side: the last question's and the one it names
    (它和<乙地>比 / 和<乙地>的比呢), or the one asked just before (和刚才那个比)."""
    if not context or not context.notices or not (THIS_AGAINST.search(text) or COMPARED_WITH.search(text)):
        return []
    if named and not set(named) & set(context.notices):
        return [*context.notices, *named]
    if not named and JUST_BEFORE.search(text) and context.earlier:
        earlier = [n for n in mentioned_notices(context.earlier[-1]) if n not in context.notices]
        return [*context.notices, *earlier] if earlier else []
    return []


def _refigured(previous: str, text: str) -> bool:
    """要是研发投入改成250万呢: the user's figure of the last question, said again with another value."""
    before = {f.metric for f in bind_figures(previous) if f.own and f.metric}
    now = _own_figures_said_again(text)
    return bool(now) and all(f.metric in before for f in now)


def _own_figures_said_again(text: str) -> list[UserFigure]:
    """The user's figures of a what-if turn; one left unbound takes the one measure the turn names
    (研发再少一点呢，只有260万: the 260万 is the R&D said again)."""
    now = [f for f in bind_figures(text) if f.own]
    named = metrics_in(text)
    loose = [f for f in now if f.metric is None]
    if len(loose) == 1 and len(named) == 1 and not any(f.metric == named[0] for f in now):
        now = [replace(f, metric=named[0]) if f is loose[0] else f for f in now]
    return now


def _said_in_both(text: str, nid: str, current: list[str]) -> bool:
    """我们在<甲地>填了需求 → <上级厅>会补多少: a name of another notice (<上级厅>) that the notices talked
    about print too names no switch; a place or a notice's own name does."""
    from knowledge.mentions import alias_table
    from knowledge.scope import places_in

    said = [normalize_text(a) for a, n in alias_table() if n == nid and a and normalize_text(a) in text]
    return bool(said) and all(
        any(a in normalized_text(c) for c in current) and not places_in(a) for a in said
    )


def _place_swapped(previous: str, text: str) -> str:
    """<某省>项目<甲市>能推几项？→ <乙市>呢: within the same notice, the place named now takes the
    place of the one the last question named."""
    from knowledge.scope import places_in

    new = places_in(text)
    old = [p for p in places_in(previous) if p not in new and not any(p in n for n in new)]
    return previous.replace(old[0], new[0]) if len(new) == 1 and len(old) == 1 else previous


def _with_figure_replaced(previous: str, text: str) -> str | None:
    """榜单250万最多能拿多少？→ 要是榜单金额500万呢: the last question with the one figure said again
    in place of the old one, so the old case is not worked out a second time."""
    now = _own_figures_said_again(text)
    same = [f for f in bind_figures(previous) if f.own and now and f.metric == now[0].metric]
    if len(now) != 1 or len(same) != 1:
        return None
    old = same[0]
    if previous[old.start : old.start + len(old.raw)] != old.raw:
        return None
    return previous[: old.start] + now[0].raw + previous[old.start + len(old.raw) :]


# 然后呢 / 再之后呢 / 然后市里呢 / 下一步干嘛: the next step, asked of nothing else
SEQUEL_TURN = re.compile(
    r"^(?:那|那么|好的?|嗯)?[，,]?(?:再|然后|之后|接着|接下来|下一步|再往后|往后)(?:然后|之后|往后|下来|呢)?"
    r"(?:[\u4e00-\u9fff]{1,3}?(?=呢))?(?:呢|是什么|是啥|干嘛|干啥|做什么|要做什么|要干嘛|怎么办|怎么走|是哪一步)?[？?。]*$"
)
VERDICT_ASKS = frozenset({"funding", "cap", "share", "threshold", "eligibility"})


def _variant_with_new_figures(text: str, previous: str) -> bool:
    """换成重点需求呢？这个项目我们打算投600万: a case of the last question, then figures of measures it
    did not give (the old figures still hold)."""
    lead, _, rest = text.partition("?")
    if not rest or not is_variant_follow_up(lead + "?") or asks_in(rest):
        return False
    before = {f.metric for f in bind_figures(previous) if f.own}
    now = [f for f in bind_figures(rest) if f.own]
    return bool(read_classes(lead)[0]) and bool(now) and all(f.metric and f.metric not in before for f in now)


def _without_classes(text: str, named: dict[str, set[str]]) -> str:
    """The text without its words for other values of the class dimensions named now (重大需求 when
    重点需求 is named in its place)."""
    for word, dim, value in class_terms():
        if dim in named and value not in named[dim]:
            text = text.replace(word, "")
    return text


def is_variant_follow_up(text: str) -> bool:
    """ "如果是高校牵头、联合企业一起报呢": a case of the last question, asking nothing of its own."""
    return bool(VARIANT.match(text)) and not asks_in(mask_names(text).replace("报", ""))


def strip_notice_names(text: str, notice_ids: list[str], keep: frozenset[str] = frozenset()) -> str:
    """The text without the names of the given notices (those in `keep` stay)."""
    out = text
    for n in notices():
        if n.id in notice_ids:
            for alias in sorted([n.short, *n.aliases], key=len, reverse=True):
                if alias and alias not in keep:
                    out = out.replace(alias, "")
    return out


# 自筹至少要多少？如果是农业类企业呢: the question, then the same for a class of applicant named after it.
CASE_TAIL = re.compile(
    r"[，,。？?]\s*那?(?:如果|要是|假如|若|换成)(?:是|为)?(?P<case>[^，,。？?]{2,16}?)(?:的话)?(?:呢|怎么样|又如何)[？?。]*$"
)


def split_case(text: str, follow_up: bool = False) -> tuple[str, str] | None:
    """(the question without its what-if tail, the case) when the tail names a class of applicant and
    the rest asks something of its own (or leans on the previous question: 研发投入呢？要是报重大呢)."""
    m = CASE_TAIL.search(normalize_text(text))
    if m is None:
        return None
    norm = normalize_text(text)
    base, case = norm[: m.start() + 1], m.group("case")
    if (
        not (asks_in(base) or (follow_up and VARIANT.match(base) is not None))
        or not read_classes(case)[0]
        or read_classes(base)[0].keys() & read_classes(case)[0].keys()
    ):
        return None
    return base, case


EVERY_NOTICE = re.compile(
    r"(?:五|5|这五|这几|所有|全部)(?:份|个)?的?(?:“?揭榜挂帅”?)?的?(?:通知|文件|地方|城市|地市)|(?:这)?五地"
)
TWO_SUMMED = re.compile(
    r"^(?:那|那么)?(?:这|前面|刚才|上面|刚刚)?(?:说的|提到的|问的)?(?:那|这)?(?:两|2|俩)(?:个|笔|项|者|样|家|地|栏|处|格|条|段)?"
    r"(?:的)?(?:城市|地方|地市|市|通知|文件|上限|数|数字|金额)?(?:的)?"
    r"(?:(?:比下来|比一比|比较下来|对比下来|相比)[^，,。？?]{0,12}[，,。？?]?\s*)?"  # 两个比下来哪个多？差多少
    r"(?:加起来|加在一起|合计|合起来|一共|总共|共计|差多少|相差|差距|差几|高多少|多多少|少多少|谁高|哪个高"
    r"|哪个(?:财政)?(?:支持|补助|资助)?更?(?:多|高|大))"
)
SUMMARY_ASKED = re.compile(
    r"(?:前面|上面|刚才|刚刚|前|这)(?:两|2)(?:个|条|点|项|个地方|地)[^，,。？?]{0,8}?"
    r"(?:合起来|总结|汇总|一起说|归纳|对比|比较|综合|放一起|捋一下|梳理)"
    r"|(?:合起来|总结|汇总|归纳|对比|比较|综合|捋一下|梳理)[^，,。？?]{0,6}?(?:前面|上面|刚才|这)(?:两|2)"
)
TOGETHER_ASKED = re.compile(
    r"^(?:那|那么)?(?:把)?(?:这|前面|上面|刚才|刚刚)?(两|2|三|3)(?:个|家|地|份)(?:地方|城市|通知)?(?:的)?"
    r"(?:一起|都|合起来|放一起|放在一起)(?:列|说|总结|汇总|对比|比较|捋)"
)
SUMMED_UP = re.compile(
    r"^(?:那|好的?|行|嗯)?[，,]?(?:请|麻烦)?(?:你)?(?:帮我)?(?:总结|汇总|归纳|梳理|捋)一下"
)
PAIR_COMPARED = re.compile(
    r"(?:这两个|这俩|两边|两地|两个地方|两个城市|这两家|这两份|它们|两者)(?!问题)[^，,。？?]{0,16}?"
    r"(?:哪个|哪边|哪家|哪一个|哪里|谁|分别|各自|各|一样|区别|不同|相比|比较)"
    r"|^(?:那|那么)?(?:这两个|这俩|它们俩?|两者|两边)(?!问题|[的里中]|[一-龥]{0,3}问题)"  # 这两个现在还能报吗
)
BOTH_PREVIOUS = re.compile(r"(?:这|上面|前面|刚才|刚刚)?(?:两|2)个问题|这两个|这两点|这两项|这两条")


def _names_place(text: str) -> bool:
    """A place inside a covered region named in passing (<某市>要推多少项): the question names it."""
    from knowledge.scope import places

    return any(p in text for p in places())


def _turns_notices(earlier: list[str], context: Context) -> list[str]:
    """The notices earlier turns named, then the last turn's: what a summary or comparison covers."""
    return list(dict.fromkeys([*(n for q in earlier for n in mentioned_notices(q)), *context.notices]))


def understand(question: str, context: Context | None = None) -> Query:
    """Read a question, using the previous turn for what it leaves out."""
    from knowledge.scope import foreign_places_in

    text = normalize_text(question)
    named = mentioned_notices(question)
    if context and context.notices and named and not set(named) & set(context.notices):
        named = [n for n in named if not _said_in_both(text, n, context.notices)]
    inherited = False
    follow_up = False
    effective = text
    leaning = ""
    lent: list[str] = []  # topics a bare ask takes from the last question
    together = TOGETHER_ASKED.match(text)
    if (
        context
        and context.question
        and context.earlier
        and not named
        and (SUMMARY_ASKED.search(text) or together)
    ):
        # 把前面两个合起来说一下 / 这两个地方对比着总结一下 / 三个一起列一下: the last questions again,
        # each notice they were about (an earlier one may have named another)
        count = 3 if together and together.group(1) in ("三", "3") else 2
        asked_before = context.earlier[-(count - 1) :]
        named = _turns_notices(asked_before, context)
        question = "？".join(q.rstrip("？?。") for q in [*asked_before, context.question]) + "？"
        text = effective = normalize_text(question)
        context = None
    if context and context.question and context.earlier and not named and TWO_SUMMED.match(text):
        # 湖州限几项？→ 那舟山呢？→ 两个加起来一共几项: the last two questions, then their sum
        earlier_q = context.earlier[-1]
        for told in re.findall(r"[（(]([^（）()]*)[）)]", context.question):  # figures carried into both
            earlier_q = re.sub(rf"[（(]{re.escape(told)}[）)]", "", earlier_q)  # are said once
        named = _turns_notices([earlier_q], context)
        question = f"{earlier_q.rstrip('？?。')}？{context.question.rstrip('？?。')}？{question}"
        text = effective = normalize_text(question)
        context = None
    if context and context.question and context.earlier and not named and PAIR_COMPARED.search(text):
        # <甲地>哪天截止？→ <乙地>的呢？→ 这两个哪个先截止: the notices of the last two questions, side by side
        pair = _turns_notices(context.earlier[-1:], context)
        if len(pair) >= 2:
            named = pair
            context = None
    if context and context.question and not named and SUMMED_UP.match(text):
        # 填哪里？最多几项？→ 总结一下我要做什么: the talk's questions again, then what is asked now
        last = context.question
        for told in re.findall(r"[（(]([^（）()]*)[）)]", last):  # figures carried into the last turn
            if any(normalize_text(told) in normalize_text(q) for q in context.earlier[-2:]):
                last = re.sub(rf"[（(]{re.escape(told)}[）)]", "", last)  # are said once
        said_last = normalize_text(strip_notice_names(last, context.notices))
        kept = [  # an earlier turn the last one leaned on is inside it already
            q
            for q in context.earlier[-2:]
            if normalize_text(strip_notice_names(q, context.notices)) not in said_last
        ]
        asked_before = [*kept, last]
        named = _turns_notices(asked_before, context)
        question = "？".join(q.rstrip("？?。") for q in [*asked_before, question]) + "？"
        text = effective = normalize_text(question)
        context = None
    as_usual = False
    told_first: frozenset[str] = frozenset()  # 先说收入那条: the facts that answer gave
    carry_docs = False  # 也要这么高吗: the last question again, for the case told now
    more = bool(
        context
        and context.question
        and context.notices
        and not named
        and _asks_more(text, context.question, context.notices)
        and not PART_OF_LIST.search(context.question)  # 先说前三个 → 还有呢: the rest of that list
    )
    lead_asked = re.split(r"(?<=[？?])", text, maxsplit=1)[0]
    if (
        context
        and context.question
        and context.notices
        and not named
        and PART_OF_LIST.search(context.question)
        and (
            _asks_more(lead_asked, context.question, context.notices)
            or LIST_ONLY.match(lead_asked.rstrip("？?。"))
        )
    ):
        # 有哪些？先说前三个 → 还有呢: the whole list, asked again without the part asked first (前三个是
        # 哪些 → 还有呢 asks the rest, below)
        whole = normalize_text(strip_notice_names(context.question, context.notices))
        asked_first = re.split(r"(?<=[？?。])", whole)
        unlimited = "".join(c for c in asked_first if not PART_OF_LIST.search(c))
        if len(asked_first) > 1 and len(unlimited) >= 6:
            effective = unlimited
            named, inherited = list(context.notices), True
            if FIRST_ONE_SAID.search(whole):  # 先说收入那条 → 还有呢: the others, that one not again
                told_first, as_usual = frozenset(context.shown), True
            context = None
    against = _compared_notices(text, named, context)
    if against and context and context.question:
        # <甲地>每年支持几个？→ 它的实施周期和<乙地>的比，哪个长 / 和刚才<乙地>那个比，哪个早: the notice
        # of the last question against the one named (or asked just before)
        named = against
        carry_docs = True  # (the document printed inside it that the last question was about)
        own_words = metrics_in(text) or (THIS_AGAINST.search(text) and topics_in(text))
        if not own_words and len(asked_words(text)) <= 8:
            # 营收门槛多少？→ 和<乙地>的比呢，哪个高: the last question's subject, compared
            previous = normalize_text(strip_notice_names(context.question, context.notices))
            effective = previous.rstrip("？?。") + "，" + strip_notice_names(text, named)
    both = bool(context and context.question and context.earlier and BOTH_PREVIOUS.search(text))
    if both:  # 那<某市>这两个问题呢: the last two questions, about the notice named now
        question = BOTH_PREVIOUS.sub("", question)
    # 那<某地>呢？也是3年吗: the lead asks the last question again, the rest only checks its answer
    lead, *rest = re.split(r"(?<=[？?])", question, maxsplit=1)
    confirming = bool(rest) and bool(CONFIRMING.match(normalize_text(rest[0])))
    # 那<某地>呢？按什么基数算、给几成: the last question again, asked once more in other words (it names
    # nothing of its own: no place, figure, class, metric or topic)
    re_asked = False
    if rest and not confirming and context and context.question:
        said = normalize_text(rest[0])
        tail = [p for p in split_parts(said) if p.asks or p.topics or p.metrics]
        re_asked = (
            len(said) <= 14
            and bool(tail)
            and all(p.asks and not p.topics and not p.metrics for p in tail)
            and not read_classes(said)[0]
            and not bind_figures(said)
            and not mentioned_notices(said)
            and not foreign_places_in(said)
            and not _names_place(said)
        )
        confirming = re_asked
    if (
        context
        and context.question
        and (is_topic_follow_up(question, named) or (confirming and is_topic_follow_up(lead, named)))
    ):
        # "那X呢": the previous question, about the newly named notice.
        previous = normalize_text(strip_notice_names(context.question, context.notices))
        if not set(named) & set(context.notices):
            previous = YEAR_SAID.sub(
                "", previous
            )  # <甲地>2023年…？那<乙地>呢: the year was the other notice's
        elif set(named) <= set(context.notices):
            # (<乙市> may be one of the notice's own names, stripped above: swap in the words as asked)
            said_before = normalize_text(context.question)
            swapped = _place_swapped(said_before, normalize_text(question))
            previous = (
                swapped if swapped != said_before else _place_swapped(previous, normalize_text(question))
            )
        if both:
            earlier = normalize_text(strip_notice_names(context.earlier[-1], context.notices))
            previous = f"{earlier.rstrip('？?。')}？{previous}"
        lead_said = normalize_text(strip_notice_names(question, []))
        # <某地>方面的要求又是怎样的: the re-ask words ask nothing of their own beside the last question
        effective = previous if any(p.asks for p in split_parts(lead_said)) else lead_said + " " + previous
        if re_asked:  # the re-asked words join the last question, not a part of their own
            effective = f"{normalize_text(strip_notice_names(lead, []))} {previous} {normalize_text(rest[0])}"
        follow_up = True
    elif (
        named
        and context
        and context.question
        and set(named) <= set(context.notices)
        and is_variant_follow_up(strip_notice_names(text, named))
    ):
        # "若申报单位为<该市>的农业类企业呢": the same notice named again, another case of the last question.
        leaning = asked_words(normalize_text(strip_notice_names(context.question, context.notices)))
        effective = text + " " + leaning
    elif (
        named
        and context
        and context.question
        and set(named) <= set(context.notices)
        and POINTS_BACK.search(text)
        and not metrics_in(text)
    ):
        # 自筹要占多少？→ 我们是<该市>的农业企业，也要这么高吗: the last question, for the case told now
        told_now = [c for c in re.split(r"[，,。？?]", text) if c and not POINTS_BACK.search(c)]
        effective = "，".join([*told_now, normalize_text(context.question)])
        carry_docs = True
    elif (
        named
        and context
        and context.question
        and set(named) <= set(context.notices)
        and re.match(r"^(?:那|那么)", text)
        and re.search(r"(?:要不要|需不需要|用不用|得不得|能不能|可不可以|是否|[吗么])", text)
        and len(strip_notice_names(text, named)) <= 16
        and not _stands_alone(strip_notice_names(text, named))
        and not bind_figures(text)
    ):
        # 外地高校能揭榜吗？→ 那要不要配个<该地>本地的单位: a yes/no on the case the last question set
        leaning = normalize_text(strip_notice_names(context.question, context.notices))
    elif not named and context and context.notices:
        within = "".join(normalized_text(n) for n in context.notices)
        from knowledge.scope import origin_elsewhere

        # 北京的高校能来揭榜吗 / 我们是在吉林注册的企业: where the user is from, not a new place asked
        if not [p for p in foreign_places_in(text, within) if p not in origin_elsewhere(text)]:
            named, inherited = list(context.notices), True
            previous = normalize_text(strip_notice_names(context.question or "", context.notices))
            told_figures = any(f.own for f in bind_figures(previous))
            if (
                context.question
                and told_figures
                and not any(p.asks for p in split_parts(previous))
                and not QUESTIONY.search(previous)
                and set(asks_in(text)) & {"funding", "cap", "share", "threshold", "eligibility"}
                and not any(f.own for f in bind_figures(text))
                and not is_variant_follow_up(text)
            ):
                # 我们…项目总预算1,000万元。→ 那自筹至少要多少: the case just told, asked of now
                effective = previous.rstrip("。.！!") + "。" + text
            elif context.question and told_figures and _variant_with_new_figures(text, previous):
                # 能报重大需求吗？→ 换成重点需求呢？项目打算投600万: the figures told, the case named now, the
                # new figures last (each read where it is said)
                effective = _without_classes(previous, read_classes(text)[0]).rstrip("？?。") + "。" + text
            elif (
                context.question
                and told_figures
                and is_variant_follow_up(text)
                and read_classes(text)[0]
                and not any(f.own for f in bind_figures(text))
            ):
                # 营收6000万、研发250万呢？→ 那重点需求呢: the same figures, checked for the class named now
                effective = text + " " + previous
            elif context.question and _terse_ask(text):
                # 限多少字？/ 文号呢？: the last question's subject, asked this of
                effective = previous.rstrip("？?。") + "，" + text
            elif (
                context.question
                and OTHER_MEANS.search(text)
                and "phones" in attributes_in(previous)
                and not _part(text).topics
            ):
                # 咨询电话是多少？→ 还有别的联系方式吗: the same offices, every means they print
                effective = PHONE_WORDS.sub("联系方式", previous)
            elif context.question and (
                OTHER_ONE.match(text) or (asks_the_other(text) and "contact" in asks_in(previous))
            ):
                leaning = previous  # 咨询电话多少？→ 另外那个处室呢: of the same question, the others
                effective = text + " " + asked_words(previous)
            elif (
                context.question
                and QUOTE_ASKED.search(text)
                and not set(_part(text).topics) - {"purpose"}  # (依据是哪一句: the basis asked, no topic)
                and len(text) <= 20
            ):
                # 是不是…就不收？→ 通知原话是怎么说的: the last question again, its rule quoted
                effective = previous
            elif (
                context.question
                and (ANAPHORIC.match(text) or _bare_attribute(text))
                and not _stands_alone(text)
                # 营收门槛多少？→ 那需求入选了，省里给补多少钱: money asked anew, not of the threshold
                and not (set(asks_in(text)) & MONEY_ASKS and not set(asks_in(previous)) & MONEY_ASKS)
                # 需求表哪天交？→ 那这个通知本身是哪天发的: of the notice itself, not of the last subject
                and not (set(_part(text).topics) & NOTICE_OWN and not set(topics_in(previous)) & NOTICE_OWN)
                and not (
                    is_variant_follow_up(text)
                    and (any(f.own for f in bind_figures(text)) or _names_new(text))
                )
            ):
                # "他们的电话呢", "那里面…": about what the previous question was about.
                leaning = previous
            elif context.question and is_variant_follow_up(text) and _refigured(previous, text):
                # 研发投入150万，最少付多少？→ 要是改成250万呢: the last question again, the new figure last
                effective = _with_figure_replaced(previous, text) or previous.rstrip("？?。") + "，" + text
            elif context.question and is_variant_follow_up(text):
                # "如果是高校牵头呢": what the previous question asked, for another case; 政策上的问题呢
                # (after 系统有问题找谁): the same ask of another matter, the last one's left behind
                leaning = asked_words(previous, topics=not ANOTHER_MATTER.match(text))
                effective = text + " " + leaning
            elif (
                context.question
                and _asks_of_nothing(text)
                # 分几次拨？→ 周期几年 / 他家最多报几项: the notice's own period or quota, not the last topic's
                and not (set(asks_in(text)) & {"period", "count"} and not ANAPHORIC.match(text))
                # 我们营收3000万…能报吗？→ 截止了吗 / 要交什么: of the notice, not of the case told
                and not (told_figures and not set(asks_in(text)) & VERDICT_ASKS and not ANAPHORIC.match(text))
            ):
                # 如何验收？→ 最晚应当在什么时候提出: a bare ask, of what the last question was about
                leaning, lent = previous, topics_in(previous)
                if len(split_parts(text)) > 1:  # 截止哪天？→ 交给谁？要盖章吗: of its subject, not its ask
                    leaning = _without_asks(previous)
    lead_more, _, told_back = text.partition("?")
    if (
        context
        and context.question
        and context.notices
        and not mentioned_notices(question)
        and ONLY_SAID.match(told_back)
        and MORE_ASKED.match(lead_more + "?")
    ):
        # 还有呢？你只说了未结题不能申报: the last question again, whole; what follows reports the last
        # answer, never the user's own case
        effective = normalize_text(strip_notice_names(context.question, context.notices))
        named, inherited, leaning = list(context.notices), True, ""
    if more and context and context.question:
        # 还有呢 / 还有别的吗: the last question again; what its answer showed is not shown twice
        effective = normalize_text(strip_notice_names(context.question, context.notices))
        of = _more_of(text)
        noun = MORE_NOUN.match(ACKNOWLEDGED.sub("", text))
        if (
            noun and not of and not CONDITION_WORD.search(text) and not MEANS.search(noun.group(1))
        ):  # 还有别的咨询电话吗: the last question, with the kind of thing asked for
            effective = f"{effective.rstrip('？?。')}，{noun.group(1)}"
        elif of and not MORE_ASKED.match(
            text
        ):  # 资格审查还有什么要求: that heading's rules, the rest of them
            effective = f"{of}有哪些要求"
            as_usual = True
        elif CONDITION_WORD.search(text):  # 研发投入至少多少？→ 还有别的硬杠杠吗: the other conditions
            effective = "申报条件有哪些"
            as_usual = True
        named, inherited, leaning = list(context.notices), True, ""
    shipped = set(shipped_notice_ids())
    if EVERY_NOTICE.search(text):  # 五份通知中…（<甲地>按…、<乙地>按…）: every notice, some named
        named = [*shipped_notice_ids(), *(n for n in named if n not in shipped)]
    named = [n for n in named if n in shipped] + [n for n in named if n not in shipped]
    parts = [
        replace(p, asks=[a for a in p.asks if a != "period"])
        if {"deadline", "period"} <= set(p.asks) and IN_TIME.search(p.text)
        else p  # 执行期到2026年，现在报还来得及吧: the period sets the scene; the deadline is asked
        for p in split_parts(effective)
    ]
    if (
        not leaning
        and inherited
        and context
        and context.question
        and SPECIFICS_OF_IT.match(text)
        and not metrics_in(text)
        and set(topics_in(text)) <= {"collection_period"}
    ):
        # 实施周期多长？→ 那具体起止时间是哪天？现在结束了没: every part of it leans on the last question
        previous = normalize_text(strip_notice_names(context.question, context.notices))
        leaning, lent = previous, topics_in(previous)
    if leaning and (effective == text or asks_the_other(text)):
        parts = [replace(p, context=leaning, topics=p.topics or lent) for p in parts]
        if "period" in asks_in(normalize_text(leaning)):  # 实施周期多长？→ 它从哪天到哪天: that period's days
            parts = [
                replace(p, topics=[], asks=list(dict.fromkeys([*p.asks, "period"])))
                if p.topics == ["collection_period"] and ANAPHORIC.match(p.text)
                else p
                for p in parts
            ]
    if inherited and context and context.question and len(parts) > 1:
        # 他电话多少？还有平台登不上找谁: the part that points back with a pronoun leans on the last question
        asked_last = normalize_text(strip_notice_names(context.question, context.notices))
        parts = [
            replace(p, context=asked_last)
            if PERSON_BACK.match(p.text) and not p.context and not p.topics and not p.metrics
            else p
            for p in parts
        ]
    asking = re.split(r"[，,。？?；;]", text.rstrip("？?。 "))[-1]
    bare = BARE_HOW_MUCH.search(text) and not metrics_in(asking) and "funding" not in asks_in(asking)
    if inherited and context and context.question and bare:
        # 付给揭榜方有比例要求吗？→ 研发投入300万呢？至少要付多少: the payment the last question named
        # (财政最多给多少 asks the grant: no object is left out)
        named_before = [m for m in metrics_in(normalize_text(context.question)) if m not in metrics_in(text)]
        if named_before:
            parts[-1] = replace(parts[-1], metrics=[*parts[-1].metrics, *named_before])
    classes, negated = read_classes(effective)
    if inherited and context and context.question:  # <某地>重大需求门槛？→ 我们营收6000万呢: still 重大需求
        before, _ = read_classes(normalize_text(context.question))
        for dim, values in before.items():
            if dim not in classes and dim not in negated and len(values) == 1:  # 重大和重点: not one
                classes[dim] = set(values)
    dates, today = [], None
    for d in find_dates(effective):
        if TODAY_IS.search(effective[max(0, d.start - 4) : d.start]) and d.year:
            today = date(d.year, d.month, d.day)
        elif _issue_date_told(effective, d.start, d.end):
            continue  # 通知是11月17日发的: the notice's date, told; not a day the user acts on
        elif BORN.match(effective[d.end : d.end + 6]):
            continue  # 1956年3月10日出生, 2021年6月1日成立: not a day the user acts on
        else:
            dates.append(d)
    if not named:  # 申报科技创新基地建设: a heading printed in one notice's document and nowhere else
        headed = {nid for nid in shipped_notice_ids() for h, _ in own_headings(nid) if h in effective}
        named = list(headed) if len(headed) == 1 else named
    carried = _carried_figures(effective, parts, context if inherited else None)
    docs = mentioned_docs(
        effective
        if follow_up
        else question + (" " + (context.question or "") if inherited and context else ""),
        named,
    )
    if (inherited or carry_docs) and context and not any(docs.values()):  # still within the attachment
        docs.update({n: d for n, d in context.docs.items() if n in docs})
    elif (
        context
        and context.docs
        and named
        and set(named) <= set(context.notices)
        and not any(docs.values())
        and SUPPOSING.match(text)
        and not HOST_ITSELF.search(text)
    ):
        # <某市>限报几项（附件4）？→ 要是<本地>拿过督查激励呢，它能单列几项: the place named is a case within
        # the attachment talked about, not a switch back to the host notice
        docs.update({n: d for n, d in context.docs.items() if n in docs})
    # 第一步干嘛？→ 然后呢？→ 再然后呢: the step printed after the one the last answer gave
    sequel = bool(
        context
        and context.shown
        and context.notices
        and set(named) <= set(context.notices)
        and SEQUEL_TURN.match(text)
    )
    asked_before = [normalize_text(q) for q in [*context.earlier, context.question or ""]] if context else []
    return Query(
        raw=question,
        text=effective,
        notices=named,
        docs=docs,
        parts=parts,
        figures=_named_before(bind_figures(effective), context if inherited else None)
        + [f for f, _ in carried],
        carried="，".join(dict.fromkeys(clause for _, clause in carried)),
        before=(context.question or "") if context and (inherited or follow_up) else "",
        duration=read_duration(effective),
        classes=classes,
        negated=negated,
        dates=dates,
        inherited_notices=inherited,
        seen=frozenset(context.shown) if more and context else told_first,
        seen_answer_as_usual=as_usual,
        after=frozenset(context.shown) if sequel and context else frozenset(),
        sequels=sum(1 for _ in itertools.takewhile(SEQUEL_TURN.match, reversed(asked_before)))
        if sequel
        else 0,
        follow_up=follow_up,
        today=today,
    )
