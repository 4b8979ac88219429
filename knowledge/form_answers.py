"""Questions about the demand forms, answered from the form specs (knowledge/forms/*.yaml): the whole
form's printed items with limits and choices, one item's row, options, columns and years.

Which form a question means is read from the form specs' own titles and audiences (汇总表, 协会填报…),
so a new notice's forms need no code.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from knowledge.chunks import all_chunks, path_at
from knowledge.cite import MAX_QUOTE, display, fit, units
from knowledge.corpus import get_notice, normalized_text, notices
from knowledge.draft import Draft, Source, grounded
from knowledge.formspec import FormSpec, list_forms
from knowledge.mentions import QUOTES, bare_titles
from knowledge.parse import LIMIT
from knowledge.tokenize import normalize_text, shared_run, tokenize
from knowledge.understand import Query, asks_in, strip_notice_names

QUOTED = re.compile(r"[“\"《「『]([^”\"》」』]{2,30})[”\"》」』]")
FORM_KINDS = ("form_field", "form_guidance")
TITLED = re.compile(r"《[^》]{2,60}》")


def _row_quote(text: str, start: int, end: int, focus: str) -> list[tuple[int, int]]:
    """A whole table row when it fits one chat quote, else its cells."""
    if end - start <= MAX_QUOTE:
        return [(start, end)]
    return [fit(text, s, e, focus) for s, e in units(text, start, end)]


OVERVIEW_WORDS = (
    "栏目",
    "哪些项",
    "哪几项",
    "哪些内容",
    "填哪些",
    "包括哪些",
    "哪些栏",
    "哪几栏",
    "哪些列",
    "哪几列",
    "几栏",
    "几列",
    "都要填",
    "要填什么",
    "填什么内容",
    "必填",
    "写哪些",
    "要写什么",
    "写些什么",
    "填些什么",
    "填些啥",
    "写些啥",
)


@lru_cache(maxsize=64)
def _form_words(title: str, name: str, audience: str) -> frozenset[str]:
    """A form's distinctive words, tokenized once per process (every form question picks a form)."""
    return frozenset(tokenize(f"{title} {name} {audience}"))


def _pick_form(query: Query) -> FormSpec | None:
    """The form a question means: the notice's form whose title, name or audience shares the most
    distinctive words with the question (汇总表, 尖兵, 协会…); the notice's first form otherwise."""
    forms = [f for f in list_forms() if f.notice == query.notices[0]]
    if not forms:
        return None
    words = [_form_words(f.title, f.name, f.audience) for f in forms]
    common = frozenset.intersection(*words)
    q = set(tokenize(query.raw))
    # 企业版的需求表: a form whose whole audience the question names is meant over one sharing a word
    scores = [
        len((w - common) & q) + (1.5 if f.audience and normalize_text(f.audience) in query.text else 0.0)
        for w, f in zip(words, forms, strict=True)
    ]
    best = max(scores)
    return forms[scores.index(best)] if best > 0 else forms[0]


def _source_of_text(notice_id: str, quote: str) -> Source | None:
    pos = get_notice(notice_id).text.find(quote)
    if pos < 0:
        return None
    return Source(notice_id, path_at(notice_id, pos), pos, pos + len(quote))


def _header_source(notice_id: str, after: int, quotes: list[str]) -> Source | None:
    """A table's header row as printed after the form's title: first to last column when that fits a
    quote, else the first column."""
    text = get_notice(notice_id).text
    if not quotes:
        return None
    a = text.find(quotes[0], after)
    if a < 0:
        return None
    lead = re.search(r"序号\s*$", text[max(after, a - 12) : a])  # the printed 序号 column comes first
    if lead:
        a = max(after, a - 12) + lead.start()
    b = text.find(quotes[-1], a)
    end = (
        b + len(quotes[-1])
        if b >= 0 and len(re.sub(r"\s+", "", text[a : b + len(quotes[-1])])) <= 110
        else a + len(quotes[0])
    )
    return Source(notice_id, path_at(notice_id, a), a, end)


def limits_asked(query: Query) -> bool:
    """哪些栏目有字数限制: the rows of a form that print a limit are asked, not one row."""
    return query.has("字") and query.has(
        "哪些栏", "哪几栏", "各栏", "每栏", "哪几项", "哪些项", "哪几段", "哪些部分"
    )


def compose_form_overview(query: Query) -> Draft | None:
    """'What does the form ask for': every printed item of the form spec, with limits and choices."""
    # a quoted term names one item (“出资承诺”栏): rows, not the whole form; 《表名》 does not
    # (…“预期技术目标”要写什么？→ 限多少字: the item quoted just before is still the one asked of)
    quoting = any(QUOTED.search(TITLED.sub("", t)) for t in (query.raw, query.text))
    if len(query.notices) != 1 or not query.has(*OVERVIEW_WORDS) or quoting:
        return None
    if "form" not in query.asks and not query.has("表", "栏"):
        return None  # 立项程序包括哪些步骤: not a form's items
    if limits_asked(query):
        return None  # 哪几栏限多少字: each row with a printed limit, quoted (compose_form_rows)
    form = _pick_form(query)
    title = _source_of_text(form.notice, form.quote) if form is not None else None
    if form is None or title is None or _field_named(form, query) is not None:
        return None
    draft = Draft(topic="form")
    printed = [f for f in form.fields if f.printed]
    draft.lines.append(f"《{form.title}》{draft.cite(title)}共{len(printed)}项：")
    draft.computed.append(str(len(printed)))
    for i, f in enumerate(printed, 1):
        draft.computed.append(str(i))
        extra = []
        if f.limit_text:
            extra.append(f.limit_text)
        if f.options:
            extra.append("选项：" + "／".join(f.options))
        if f.columns:
            header = _header_source(form.notice, title.start, [c.quote for c in f.columns if c.quote])
            numbered = ["序号"] if header is not None and header.quote.startswith("序号") else []
            extra.append("逐行填写：" + "、".join([*numbered, *(c.label for c in f.columns)]))
        if not f.required:
            extra.append("可不填" + (f"（{f.condition}）" if f.condition else ""))
        sub = f.section and len(f.label) <= 4 and not re.match(r"[一二三四五六七八九十]+、", f.section)
        label = f"{f.section}·{f.label}" if sub else f.label
        detail = f"（{'；'.join(extra)}）" if extra else ""
        line = f"{i}. {label}{detail}"
        if any(ch.isdigit() for ch in line.split(". ", 1)[1]):
            src = _source_of_text(form.notice, f.quote)
            line = _grounded_line(draft, line, src) or f"{i}. {label}（详见表格原文）"
        elif f.columns:
            header = _header_source(form.notice, title.start, [c.quote for c in f.columns if c.quote])
            line += draft.cite(header) if header is not None else ""  # the columns, as the form prints them
        draft.lines.append(line)
    _body_content_rule(form.notice, draft)
    return draft


CONTENT_RULE = re.compile(r"(?:表|需求).{0,6}(?:须|应|要|需)(?:明确|写明|写清|说明)")


def _body_content_rule(notice_id: str, draft: Draft) -> None:
    """需求表都要填些啥: besides the form's rows, what the notice's text says the form must make clear."""
    from knowledge.catalogue import facts_of
    from knowledge.compose import source_of

    for fact in facts_of(notice_id):
        if fact.kind.value == "list" and fact.doc is None and CONTENT_RULE.search(fact.label):
            src = source_of(fact)
            draft.lines.append(f"通知正文还要求：{fact.label}——“{display(src.quote)}”{draft.cite(src)}")
            return  # (one rule: the others say the same, as in the notice's own guide)


def _grounded_line(draft: Draft, line: str, src: Source | None) -> str | None:
    """The line with its source cited, if every number in it is in that source; else None."""
    if src is None:
        return None
    probe = Draft(topic=draft.topic, lines=[line], sources=[src], computed=list(draft.computed))
    if not grounded(probe):
        return None
    return line + draft.cite(src)


def _names_a_form_part(term: str) -> bool:
    """A quoted term that can name a form, row or column; the programme's or a notice's own name cannot."""
    return not any(term in normalize_text(n.title) for n in notices())


def _bare(text: str) -> str:
    """Text without 的、punctuation and spaces, so 预期的经济、社会效益 reads as 预期经济社会效益."""
    return re.sub(r"[的、，,（）()\s]", "", text)


def _loosely_in(term: str, label: str) -> bool:
    """A quoted term names a printed row label, allowing for 的/、 and a label the table cuts short
    (“预期经济社会效益” → 预期的经济、社会效)."""
    t, lab = (_bare(s) for s in (term, label))
    if t in lab:
        return True
    need = max(4, len(t) - 2)
    return any(t[i : i + need] in lab for i in range(len(t) - need + 1))


def _titles_named(query: Query) -> list[str]:
    """Form titles written out in the question without 《》 (省“尖兵”“领雁”计划…需求表中): their quoted
    words are the title's, not items of the form."""
    bare = QUOTES.sub("", query.text)
    return [t for nid in query.notices for t in bare_titles(nid) if t in bare]


def compose_form_rows(query: Query) -> Draft | None:
    """A question about a named field or table of a form: quote the printed row(s) in full."""
    terms = [t for t in (normalize_text(t) for t in QUOTED.findall(query.raw)) if _names_a_form_part(t)]
    plain = [
        t
        for t in (normalize_text(t) for t in QUOTED.findall(TITLED.sub("", query.raw)))
        if _names_a_form_part(t)
    ]
    terms = plain or terms  # 《表名》中“重大需求”: the quoted items, not words of the form's title
    titles = _titles_named(query) or [t for nid in query.notices for t in bare_titles(nid)]
    terms = [t for t in terms if not any(QUOTES.sub("", t) in title for title in titles)]
    if not terms and "form" not in query.asks:
        return None
    scope = list(query.notices)
    rows = [c for c in all_chunks() if c.notice in scope and (c.kind.value in FORM_KINDS or len(c.path) == 2)]
    matched = []
    for c in rows:
        label = normalize_text(c.path[-1])
        title = normalize_text(c.path[1]) if len(c.path) > 1 else ""
        by_label = (
            len(label) >= 2
            and c.kind.value in FORM_KINDS
            # a quoted term ("重点需求") alone names rows by that term, not by other words of the question
            and ((label in query.text and "form" in query.asks) or any(_loosely_in(t, label) for t in terms))
        )
        by_title = any(t in title for t in terms) and len(c.path) == 3 and c.kind.value in FORM_KINDS
        if by_label or by_title:
            matched.append((0 if by_label else 1, c))
    if not matched and limits_asked(query) and (spec := _pick_form(query)) is not None:
        title = normalize_text(spec.title)
        matched = [
            (0, c) for c in rows if title in normalize_text(" ".join(c.path[1:2])) and LIMIT.search(c.text)
        ]
    if not matched:
        return None
    best = min(rank for rank, _ in matched)
    ranked = [c for rank, c in matched if rank == best]
    # two quoted items (“期望达到的目标”和“资金预算”): the rows of each, not four rows of the first
    by_term = [[c for c in ranked if _loosely_in(t, normalize_text(c.path[-1]))] for t in terms]
    by_term = [g for g in by_term if g]
    per = max(4, 8 // len(by_term)) if len(by_term) > 1 else 4
    chunks = ranked[:4]
    if len(by_term) > 1:
        chunks = []
        for c in (c for g in by_term for c in g[:per]):
            if all(c is not d for d in chunks):
                chunks.append(c)
    if query.has("字") and query.has("其他", "其余", "别的", "各栏", "哪些栏", "每栏"):
        form = {c.path[1] for c in chunks}
        chunks += [c for c in rows if c.path[1] in form and c not in chunks and LIMIT.search(c.text)][:12]
    draft = Draft(topic="form")
    for c in chunks:
        text = get_notice(c.notice).text
        quotes = []
        for s, e in _row_quote(text, c.start, c.end, query.raw):
            src = Source(c.notice, c.path_str, s, e)
            quotes.append(f"“{display(src.quote)}”{draft.cite(src)}")
        draft.lines.append(f"{get_notice(c.notice).short}·{c.path[1]}·{c.path[-1]}：{' '.join(quotes)}")
    if query.has("哪几年", "哪些年", "年份", "几年的") and len(query.notices) == 1:
        spec_form = _pick_form(query)
        f = _field_named(spec_form, query) if spec_form is not None else None
        if f is not None and f.row_keys:
            years = _span_of(chunks[0].notice, f.row_keys, chunks[0].start, chunks[0].path_str)
            line = _grounded_line(draft, "按行填写：" + "、".join(f.row_keys), years) if years else None
            if line:
                draft.lines.append(line)
    if query.has("字数", "多少字", "几个字", "字以内"):
        limited = {c.path[-1] for c in chunks if LIMIT.search(c.text)}
        for label in dict.fromkeys(c.path[-1] for c in chunks):
            if label not in limited:  # one row of several printed under the label may carry it
                draft.lines.append(f"表上“{label}”一栏没有印字数限制。")
    return draft


FIELD_SUFFIXES = ("状况", "情况")


def _field_named(form: Any, query: Query) -> Any:
    """The printed item a question names (longest label wins; 财务状况 also answers to 财务)."""
    best: tuple[int, Any] | None = None
    for f in form.fields:
        if not f.printed:
            continue
        names = {f.label, f"{f.section}{f.label}"}
        if len(f.label) >= 4 and f.label.endswith(FIELD_SUFFIXES):
            names.add(f.label[:-2])
        for n in names:
            n = normalize_text(n)
            if len(n) >= 2 and n in query.text and (best is None or len(n) > best[0]):
                best = (len(n), f)
    return best[1] if best else None


def _span_of(notice_id: str, parts: list[str], after: int, path: str = "") -> Source | None:
    """One citation covering `parts` in order after `after`, when only blanks lie between them."""
    text = get_notice(notice_id).text
    start = end = -1
    for part in parts:
        pos = text.find(part, end if end >= 0 else after)
        if pos < 0 or (end >= 0 and text[end:pos].strip(" \t\n\u3000○□☐●◯■")):  # blanks, tick boxes
            return None
        start = pos if start < 0 else start
        end = pos + len(part)
    if start < 0 or end - start > 400:
        return None
    src = _source_of_text(notice_id, text[start:end])
    if src is None:
        return None
    inside = src.path != get_notice(notice_id).short
    return Source(notice_id, src.path if inside or not path else path, start, end)


def compose_form_field(query: Query) -> Draft | None:
    """One printed item from the form spec: its label as printed, limit, choices, table columns and rows."""
    period = "period" in query.asks  # 经济社会指标按完成后多长时间算: the item's printed guidance
    if len(query.notices) != 1 or not (
        "form" in query.asks or period or query.has("选项", "哪几年", "哪些年")
    ):
        return None
    form = _pick_form(query)
    if form is None:
        return None
    f = _field_named(form, query)
    label_src = _source_of_text(form.notice, f.quote) if f is not None else None
    if f is None or label_src is None:
        return _section_named(form, query)
    # 核心技术参数、攻关成果潜在应用单位: an item the rows do not print leaves the rows to the rules
    others = (
        [g for g in _fields_named(form, query) if g is not f] if not _unmatched_terms(form, query) else []
    )
    if others:  # 攻关时限、技术先进水平和攻关成果性质各有哪些可选项: each item named, in the form's order
        return _fields_lines(form, [g for g in form.fields if g is f or g in others])
    draft = Draft(topic="form")
    where = (
        f"（{form.attachment}）"
        if form.attachment and form.attachment.startswith("附件") and form.attachment != "附件"
        else ""
    )
    head = f"《{form.title}》{where}·{f.label}：“{display(label_src.quote)}”{draft.cite(label_src)}"
    draft.lines.append(head)
    if f.options:
        line, bare = _options(form, f, label_src, draft)
        if line or bare:
            draft.lines.append(line or f"选项（共{len(f.options)}项）：" + "／".join(bare))
            draft.computed.append(str(len(f.options)))
        wished = [  # 想勾“国际领先”: an option the user names that the item does not print
            t
            for t in (normalize_text(x) for x in QUOTED.findall(query.raw))
            if t != normalize_text(f.label)
            and not _loosely_in(t, normalize_text(f.label))
            and not any(t in normalize_text(o) for o in f.options)
            and not any(QUOTES.sub("", t) in title for title in bare_titles(form.notice))
            and not any(ch.isdigit() for ch in t)
        ]
        for t in wished[:2]:
            draft.lines.append(f"表上这一项没有“{t}”这个选项。")
    if f.columns:
        draft.lines.append(
            "按列填写：" + "、".join(c.label for c in f.columns if not any(ch.isdigit() for ch in c.label))
        )
    if f.row_keys:
        rows = _span_of(form.notice, f.row_keys, label_src.start, label_src.path)
        line = _grounded_line(draft, "按行填写：" + "、".join(f.row_keys), rows) if rows else None
        if line:
            draft.lines.append(line)
    help_src = _source_of_text(form.notice, f.help) if f.help else None
    if help_src is not None and display(help_src.quote) not in head:  # 项目完成后1-3年内: quoted, cited
        draft.lines.append(f"表上的说明：“{display(help_src.quote)}”{draft.cite(help_src)}")
    elif f.help and not any(ch.isdigit() for ch in f.help):
        draft.lines.append(f"表上的说明：{f.help}")
    if not f.required:
        draft.lines.append(
            "这一项可以不填"
            + (f"：{f.condition}" if f.condition and not any(ch.isdigit() for ch in f.condition) else "")
            + "。"
        )
    return draft


LIMIT_ASKED = re.compile(r"哪[几些一]?[段栏项个部分块].{0,8}?限?(\d+)字|限(\d+)字的?(?:是)?哪")


CHARS_ASKED = re.compile(r"多少字|几个字|字数|限多少|几百字|多少个字")
OTHERS_ASKED = re.compile(r"(?:别的|其他|其余|另外|剩下)[^，,。？?]{0,6}(?:限|多少|几)")


def _printed_limit(form: Any, f: Any) -> Source | None:
    """The printed 限N字 that follows an item's own text (two items may share one)."""
    text = get_notice(form.notice).text
    at = text.find(f.quote)
    m = LIMIT.search(text, at) if at >= 0 else None
    if m is None or str(f.max_chars) not in m.group():
        return None
    end = m.end() + (2 if text.startswith("以内", m.end()) else 0)
    return Source(form.notice, path_at(form.notice, m.start()), m.start(), end)


def _section_limit(form: Any, f: Any) -> Source | None:
    """The heading an item sits under with the 限N字 printed right after it."""
    text = get_notice(form.notice).text
    at = text.find(f.section)
    if at < 0:
        return None
    m = LIMIT.search(text, at, at + len(f.section) + 12)
    if m is None or str(f.max_chars) not in m.group():
        return None
    end = (
        m.end()
        + (2 if text.startswith("以内", m.end()) else 0)
        + (1 if text.startswith("）", m.end() + 2) else 0)
    )
    return Source(form.notice, path_at(form.notice, at), at, end)


def compose_form_limits(query: Query) -> Draft | None:
    """哪几段限300字: the printed items whose limit is that number of characters, each quoted (别的限多少:
    the other limits too, each with its items)."""
    m = LIMIT_ASKED.search(query.text)
    if len(query.notices) != 1 or m is None:
        return None
    n = int(m.group(1) or m.group(2))
    form = _pick_form(query)
    if form is None:
        return None
    items = [f for f in form.fields if f.printed and f.max_chars == n]
    if not items:
        return None
    draft = Draft(topic="form")
    quotes = []
    for f in items:
        src = _source_of_text(form.notice, f.quote)
        quotes.append(f"{f.label}" + (draft.cite(src) if src is not None else ""))
    draft.computed += [str(n), str(len(items))]
    draft.lines.append(f"《{form.title}》中限{n}字的共{len(items)}项：{'；'.join(quotes)}")
    if OTHERS_ASKED.search(query.text[m.end() :]):
        others: dict[int, list[str]] = {}
        for f in form.fields:
            if f.printed and f.max_chars and f.max_chars != n:
                src = _printed_limit(form, f)
                if src is not None:
                    others.setdefault(f.max_chars, []).append(
                        f"{f.label}“{display(src.quote)}”{draft.cite(src)}"
                    )
        for k in sorted(others):
            draft.computed += [str(k), str(len(others[k]))]
            draft.lines.append(f"限{k}字的共{len(others[k])}项：{'；'.join(others[k])}")
    return draft


# <本地>需求表限多少字: the limits asked of the form as a whole, no item named
FORM_WORDS = re.compile(
    r"那张|这张|字|需求表|征集表|情况表|申报表|表格|表里|表上|表|各栏|每栏|每项|各项|哪些栏|哪几栏|的|都|是|有|吗|呢|分别|一般"
)


def compose_form_every_limit(query: Query) -> Draft | None:
    """限多少字 asked of a whole form: every printed limit, each with its item, in the form's order."""
    if len(query.notices) != 1 or not CHARS_ASKED.search(query.text) or len(query.parts) > 1:
        return None
    if re.search(r"[“「\"]|[那这该]一?[栏项格]", query.raw):
        return None  # “已有专利数量”那一栏限多少字: an item named, printed or not
    form = _pick_form(query)
    if form is None or _fields_named(form, query):
        return None
    rest = FORM_WORDS.sub("", CHARS_ASKED.sub("", strip_notice_names(query.text, query.notices)))
    if len(re.sub(r"[\W\d]", "", rest)) > 2:
        return None  # something else is named: the item composers read it
    draft = Draft(topic="form")
    lines: list[str] = []
    for f in form.fields:
        src = _printed_limit(form, f) if f.printed and f.max_chars else None
        if src is not None:
            lines.append(f"{f.label}：限{f.max_chars}字{draft.cite(src)}")
            draft.computed.append(str(f.max_chars))
    if not lines:
        return None
    draft.lines.append(f"《{form.title}》印有字数限制的共{len(lines)}项：")
    draft.lines += lines
    draft.computed.append(str(len(lines)))
    return draft


# 最后一栏是什么 (not 最后那栏“出资承诺”填什么: an item named, only placed by the user)
LAST_ASKED = re.compile(
    r"(?:最后|最末|末尾|最底下|最下面)(?:那|的)?[一1]?[栏项行格块部分]\s*(?:是|填|写|叫|为|有|印的?是|由)?(?:什么|啥|哪|谁)"
)


def compose_form_last(query: Query) -> Draft | None:
    """表上最后一栏是什么: the printed item(s) last in the form, in the order the notice prints them (a row
    of two cells gives both), with the limit printed under it when there is one."""
    m = LAST_ASKED.search(query.text)
    if len(query.notices) != 1 or m is None:
        return None
    if "表" not in query.text and "栏" not in m.group() and not any("表" in p.context for p in query.parts):
        return None  # 申报条件最后一项是什么: a list's item, not a form's
    forms = [f for f in list_forms() if f.notice == query.notices[0]]
    named = [f for f in forms if _field_named(f, query) is not None]
    form = named[0] if len(named) == 1 else _pick_form(query)  # 背景意义…最后一栏: the form printing it
    if form is None:
        return None
    text = get_notice(form.notice).text
    placed = _placed(form)
    if not placed:
        return None
    last = placed[-1][0]
    # the cells of the last row: printed after the last blank line before the last item
    row = [(f, src) for start, f, src in placed if not re.search(r"\n[ \u3000]*\n", text[start:last])]
    draft = Draft(topic="form")
    quoted, seen = [], set()
    for f, src in row:
        if src.start in seen:
            continue  # 填报单位（联系人、联系方式）: one printed cell for several items
        seen.add(src.start)
        line = f"“{display(src.quote)}”{draft.cite(src)}"
        limit = _printed_limit(form, f) if f.max_chars else None
        if limit is not None and display(limit.quote) not in line:
            line += f"，“{display(limit.quote)}”{draft.cite(limit)}"
            draft.computed.append(str(f.max_chars))
        quoted.append(line)
    labels = "、".join(dict.fromkeys(f.label for f, _ in row))
    sign = _signing_block(form.notice, max(src.end for _, src in row))
    what = "最后一个填写项" if sign else "最后一栏"
    draft.lines.append(f"《{form.title}》{what}是{labels}：{'；'.join(quoted)}")
    if sign:
        heads = [s.quote for s in sign if not re.search(r"盖\s*章|公章|签\s*字|签\s*名", s.quote)]
        name = (
            f"（{''.join(heads)}）" if len(heads) > 1 else ""
        )  # 主管部门 / 审核意见: one label on two lines
        draft.lines.append(
            f"表末是签章栏{name}：" + "".join(f"“{display(s.quote)}”{draft.cite(s)}" for s in sign)
        )
    return draft


def _placed(form: FormSpec) -> list[tuple[int, Any, Source]]:
    """The form's printed items in the order the notice prints them, each with its citation."""
    return sorted(
        (
            (src.start, f, src)
            for f in form.fields
            if f.printed and (src := _source_of_text(form.notice, f.quote)) is not None
        ),
        key=lambda t: t[0],
    )


SIGN_ASKED = re.compile(r"谁签|谁来签|签什么|谁盖章|谁的意见|签字栏|签章栏|谁出[^，,。？?]{0,4}意见|签意见")


def _add_signing(form: FormSpec, draft: Draft) -> None:
    """The form's signing block, after its last item, added to an answer about the form."""
    placed = _placed(form)
    sign = _signing_block(form.notice, max(src.end for _, _, src in placed)) if placed else []
    if sign:
        draft.lines.append("表末签章栏：" + "".join(f"“{display(s.quote)}”{draft.cite(s)}" for s in sign))


SIGNING = re.compile(r"意见|盖\s*章|公章|签\s*字|签\s*名|负责人")
SEAL_ASKED = re.compile(
    r"盖谁的?章|谁(?:来)?盖|哪个单位(?:来)?盖|由谁盖|盖什么章|盖哪个|谁的(?:公)?章|(?:哪个|什么)单位[^，,。？?]{0,4}(?:盖章|公章)"
)
SEALED = re.compile(r"公\s*章|盖\s*章|签\s*章")
ROWS_ASKED = re.compile(r"(?:哪几|哪些|几)(?:列|栏|项|部分)|填(?:哪些|什么|啥)|写哪些")


WHERE_WRITTEN = re.compile(
    r"(?:写|填|放|体现)(?:在|到)?(?:哪一?栏|哪一?项|哪一?格|哪里|哪儿|什么地方|哪个位置|哪个地方)|哪一?栏(?:里)?(?:写|填)|在哪一?栏"
)
COMMON_WORDS = re.compile(r"技术|需求|项目|企业|单位|填写|要求")


def compose_form_home(query: Query) -> Draft | None:
    """知识产权归谁，写在哪一栏: the item whose printed guidance names what the user wants to write."""
    if len(query.notices) != 1 or not WHERE_WRITTEN.search(query.text):
        return None
    form = _pick_form(query)
    if form is None or _field_named(form, query) is not None:
        return None
    asked = COMMON_WORDS.sub("□", normalize_text(query.text))
    scored = sorted(
        ((_listed_run(normalize_text(f.help or ""), asked), f) for f in form.fields if f.printed and f.help),
        key=lambda t: -t[0],
    )
    if not scored or scored[0][0] < 3 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    f = scored[0][1]
    src = _source_of_text(form.notice, f.quote)
    if src is None:
        return None
    draft = Draft(topic="form")
    draft.lines.append(f"写在《{form.title}》的“{f.label}”一栏：“{display(src.quote)}”{draft.cite(src)}")
    return draft


def _listed_run(guide: str, asked: str) -> int:
    """The longest run the question shares with one listed item of a form's guidance (时限、产权归属、
    利益分配): a word inside a longer phrase (核心知识产权（…）数量) names another thing."""
    best = 0
    for item in re.split(r"[、，,；;。（）()：:等]", guide):
        if 2 <= len(item) <= 8:
            best = max(best, shared_run(item, asked))
    return best


def compose_form_seal(query: Query) -> Draft | None:
    """汇总表要盖谁的章: the places the form prints for a seal, each quoted as printed."""
    if len(query.notices) != 1 or not SEAL_ASKED.search(query.text):
        return None
    if any(not SEAL_ASKED.search(p.text) for p in query.parts) or ROWS_ASKED.search(query.text):
        return None  # 有哪几列？盖谁的章？: the form's items answer, the seals added (_form_answer)
    return _seals(query)


def _seals(query: Query) -> Draft | None:
    form = _pick_form(query)
    if form is None or not re.search(r"表", query.text):
        return None
    seals = [f for f in form.fields if f.quote and SEALED.search(f.quote)]
    placed = _placed(form)
    sign = _signing_block(form.notice, max(src.end for _, _, src in placed)) if placed else []
    draft = Draft(topic="form")
    quoted = [(f.quote, _source_of_text(form.notice, f.quote)) for f in seals]
    quoted += [(s.quote, s) for s in sign if SEALED.search(s.quote)]
    cites = [f"“{display(q)}”{draft.cite(src)}" for q, src in quoted if src is not None]
    if not cites:
        return None
    draft.lines.append(f"《{form.title}》上印的盖章处：{'；'.join(dict.fromkeys(cites))}")
    return draft


def _signing_block(notice_id: str, after: int) -> list[Source]:
    """The lines printed after a form's last item and before the next attachment, when they are a
    place to sign or stamp (企业负责人 / 意见 / 盖 章): each line as printed, dates left out."""
    text = get_notice(notice_id).text
    m = re.search(r"\n\s*附件\s*\d", text[after:])
    tail_end = after + (m.start() if m else min(len(text) - after, 200))
    out: list[Source] = []
    pos = after
    for line in text[after:tail_end].split("\n"):
        at = text.find(line, pos)
        pos = at + len(line)
        body = line.strip()
        if not body or re.fullmatch(r"[年月日\s]+", body) or at < 0:
            continue
        start = at + line.index(body)
        out.append(Source(notice_id, path_at(notice_id, start), start, start + len(body)))
    if not any(SIGNING.search(s.quote) for s in out):
        return []
    return out[:4]


CHARS_TOTAL_ASKED = re.compile(
    r"(?:加起来|加在一起|一共|合计|总共|总计|全加)[^？?。]{0,12}(?:多少|几)(?:个)?字"
    r"|字数(?:加起来|加在一起|合计|总共|一共|总计)"
)


def compose_form_chars_total(query: Query) -> Draft | None:
    """有字数限制的栏加起来最多写多少字: each printed limit once (two items under one printed 限500字
    share it), summed."""
    if len(query.notices) != 1 or not CHARS_TOTAL_ASKED.search(query.text):
        return None
    form = _pick_form(query)
    if form is None:
        return None
    printed: dict[int, tuple[int, list[str], Source]] = {}  # offset → (number, items, quote)
    names: dict[int, set[str]] = {}  # offset → the items' labels and the row headings they sit under
    for f in form.fields:
        if not f.printed or not f.max_chars:
            continue
        src = _printed_limit(form, f)
        if src is not None:
            printed.setdefault(src.start, (f.max_chars, [], src))[1].append(f.label)
            names.setdefault(src.start, set()).update(x for x in (f.label, f.section) if x)
    if len(printed) < 2:
        return None
    draft = Draft(topic="form")
    limits = [printed[k] for k in sorted(printed)]
    asked = normalize_text(query.text)
    named = [
        printed[k]
        for k in sorted(printed)
        if any(normalize_text(i) in asked or shared_run(normalize_text(i), asked) >= 5 for i in names[k])
    ]
    head = f"《{form.title}》印有字数限制的共{len(limits)}处"
    if len(named) >= 2 and len(named) < len(limits):  # 技术难题概述和预期技术目标两栏加起来: those named
        limits = named
        head = f"《{form.title}》中您问的{len(limits)}处字数限制"
    total = sum(n for n, _, _ in limits)
    quoted = "；".join(
        f"{'、'.join(items)}{'（共用）' if len(items) > 1 else ''}“{display(src.quote)}”{draft.cite(src)}"
        for _, items, src in limits
    )
    draft.computed += [str(total), str(len(limits))]
    draft.lines.append(f"{head}，合计最多{total}字（{' + '.join(str(n) for n, _, _ in limits)}）：{quoted}")
    return draft


OPTIONS_ASKED = re.compile(
    r"勾哪|选哪|哪些选项|哪几个选项|什么选项|可以勾|能勾|可勾|可选|有哪几个选|几个选项|几个可选"
)
YES_NO = re.compile(r"吗|么|要不要|用不用|需不需要|是不是|该不该")
MUST_I_FILL = re.compile(r"(?:要|需要|得|该|用|必须)(?:不要|不用|不该)?(?:自己)?(?:填|填写|填报)")


def compose_form_whose(query: Query) -> Draft | None:
    """我们企业要填那个汇总表吗: a form the question names is for another kind of unit — whose it is,
    and the form of the same notice that is for the user's kind."""
    from knowledge.catalogue import vocabulary

    mine = query.classes.get("applicant", set())
    if len(query.notices) != 1 or not mine or not MUST_I_FILL.search(query.text):
        return None
    if "哪" in query.text or not YES_NO.search(query.text):
        return None  # 该填哪个附件: which form, answered by the attachment list
    forms = [f for f in list_forms() if f.notice == query.notices[0]]
    named = [f for f in forms if _form_named(f, forms, query)]
    if len(named) != 1:
        return None
    words = [normalize_text(w) for c in mine for w in vocabulary().classes["applicant"].get(c, [])]

    def for_me(f: FormSpec) -> bool:
        return any(w in normalize_text(f.audience) for w in words)

    asked = named[0]
    mine_forms = [f for f in forms if f is not asked and for_me(f)]
    if for_me(asked) or not mine_forms:
        return None
    draft = Draft(topic="form")
    src = _source_of_text(asked.notice, asked.quote)
    other = _source_of_text(mine_forms[0].notice, mine_forms[0].quote)
    if src is None or other is None:
        return None
    draft.lines.append(
        f"《{asked.title}》由{asked.audience}填写{draft.cite(src)}，不是您这类单位填的；"
        f"您应填《{mine_forms[0].title}》（{mine_forms[0].attachment or '见通知附件'}）{draft.cite(other)}。"
    )
    return draft


def _form_named(form: FormSpec, forms: list[FormSpec], query: Query) -> bool:
    """The question names this form by a word of its title no other form of the notice has (汇总表)."""
    others = {w for f in forms if f is not form for w in tokenize(f.title)}
    own = [w for w in tokenize(form.title) if w not in others and len(w) >= 2]
    return any(w in query.text for w in own)


def _options(form: Any, f: Any, label_src: Source, draft: Draft) -> tuple[str | None, list[str]]:
    """A choice item's options as a cited line when every number in them is printed, and the options
    without their printed numbers (1.领跑… → 领跑…) for when it is not."""
    opts = _span_of(form.notice, f.options, label_src.start, label_src.path)
    line = _grounded_line(draft, "选项：" + "／".join(f.options), opts) if opts else None
    bare = [re.sub(r"^\d+[.．、]\s*", "", o) for o in f.options]
    return line, [o for o in bare if o and not any(ch.isdigit() for ch in o)]


def _fields_named(form: Any, query: Query) -> list[Any]:
    """Every printed item whose label (4+ characters) the question names."""
    printed = [f for f in form.fields if f.printed and len(f.label) >= 4]
    named = [f for f in printed if normalize_text(f.label) in query.text]
    for t in _listed_terms(query.text):  # 技术难题概述、预期技术目标、预期经济社会效益这三栏: a row by
        named += [f for f in printed if f not in named and _term_names(t, f)]
    for t in _listed_terms(query.text, shortest=2) + _clause_terms(query.text):
        # 概述、产权归属、效益那栏 / 产权归属那栏？预期效益那栏？: among named rows, a short or loose term
        # names the one row whose label holds its characters in order
        hits = [f for f in printed if _in_order(t, normalize_text(f.label))]
        if named and len(hits) == 1 and hits[0] not in named:
            named.append(hits[0])
    if CHARS_ASKED.search(query.text) or re.search(r"限几|几字", query.text):
        # <某地>需求表 背景与意义 限几字？国内外研究现状？对揭榜方要求？: a hotline line, one row per clause
        for clause in CLAUSE_SEP.split(query.text):
            t = FORM_LEAD.sub("", TERM_TAIL.sub("", clause.strip())).rstrip("呢吗")
            hits = [f for f in printed if len(t) >= 4 and _in_order(t, normalize_text(f.label))]
            if len(hits) == 1 and hits[0] not in named:
                named.append(hits[0])
    for t in (normalize_text(t) for t in QUOTED.findall(query.raw)):
        if len(t) < 4 or any(normalize_text(f.label) == t for f in printed):
            continue  # a quoted label printed as such names that item only
        named += [f for f in printed if f not in named and _loosely_in(t, normalize_text(f.label))]
    return [f for f in printed if f in named]


LIST_SEP = re.compile(r"、|以及|和|及|与")
CLAUSE_SEP = re.compile(r"[，,。？?；;！!\s]")
TERM_TAIL = re.compile(r"(?:这|那|各|分别|等|都|要|需|限|填|怎么|是否|能|可以|有|的?[栏项部分段块格]).*$")


# <某地>征集表的预期技术目标…: the form named before the first item is not part of it
FORM_LEAD = re.compile(r"^[^、]{0,12}?表(?:的|里|中|上|里面)(?=[\u4e00-\u9fff]{2})")


def _listed_terms(text: str, shortest: int = 4) -> list[str]:
    """The items of an enumeration in the question (A、B和C这三栏…), each cut before what is asked."""
    terms: list[str] = []
    for clause in CLAUSE_SEP.split(text):
        if "、" not in clause and not JOINED.search(clause):  # 技术难题概述和预期技术目标各限几个字
            continue
        terms += [FORM_LEAD.sub("", TERM_TAIL.sub("", p.strip())) for p in LIST_SEP.split(clause)]
    return [t for t in terms if len(t) >= shortest]


CLAUSE_TERM = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:那|这)[一]?[栏项格行]")
TERM_AFTER = re.compile(
    r"(?:那|这)[一]?[栏项格行]([\u4e00-\u9fff]{2,10}?)(?:又|还|呢|限|要|填|是|[，,？?]|$)"
)
JOINED = re.compile(r"[\u4e00-\u9fff]{4}(?:和|及|以及|与)[\u4e00-\u9fff]{4}")


def _clause_terms(text: str) -> list[str]:
    """Items named one clause each (产权归属那栏？预期效益那栏？最后那栏经济社会效益又限多少字)."""
    return CLAUSE_TERM.findall(text) + TERM_AFTER.findall(text)


def _in_order(term: str, label: str) -> bool:
    """Every character of the term in the label, in order (预期效益 in 预期的经济、社会效益)."""
    at = 0
    for ch in term:
        at = label.find(ch, at) + 1
        if at == 0:
            return False
    return True


def _unmatched_terms(form: Any, query: Query) -> list[str]:
    """Items of the question's enumeration that name no printed row, loosely or by its heading (the
    form's own name, before the enumeration, is not an item)."""
    printed = [f for f in form.fields if f.printed]
    terms = [t for t in _listed_terms(query.text) if not re.search(r"表|《|附件", t)]
    return [t for t in terms if not any(_term_names(t, f) for f in printed)]


def _term_names(term: str, f: Any) -> bool:
    """An enumerated term names a printed row: its label, loosely, or part of the heading it sits under
    (预期技术目标 in 技术攻关后希望达到的预期技术目标; a heading named whole is a section, not a row)."""
    section = normalize_text(f.section or "")
    return _loosely_in(term, normalize_text(f.label)) or (
        bool(section) and term in section and not section.startswith(term)
    )


def _fields_lines(form: Any, fields: list[Any], chars: bool = False) -> Draft | None:
    """Several printed items: each quoted, with its options when it has them (and its printed character
    limit when the question asks limits)."""
    draft = Draft(topic="form")
    for f in fields[:5]:
        src = _source_of_text(form.notice, f.quote)
        if src is None:
            continue
        line = f"《{form.title}》·{f.label}：“{display(src.quote)}”{draft.cite(src)}"
        help_src = _source_of_text(form.notice, f.help) if f.help else None
        if help_src is not None:  # 经济社会指标写几年内的: the printed guidance under the item says
            line += f"；填写说明：“{display(help_src.quote)}”{draft.cite(help_src)}"
        if f.options:
            grounded_opts, bare = _options(form, f, src, draft)
            if grounded_opts or bare:  # 1年/2年 with nothing grounded: quoted above, never an empty list
                line += "；" + (grounded_opts or "选项：" + "／".join(bare))
        if f.row_keys:  # 财务状况填哪几年: the printed rows, each year
            rows = _span_of(form.notice, f.row_keys, src.start, src.path)
            row_line = _grounded_line(draft, "按行填写：" + "、".join(f.row_keys), rows) if rows else None
            if row_line:
                line += "；" + row_line
        limit = _printed_limit(form, f) if chars and f.max_chars else None
        if limit is None and chars and f.max_chars and f.section:  # 预期技术目标（限500字以内）: the
            limit = _section_limit(form, f)  # limit printed on the heading the rows sit under
        if limit is not None and display(limit.quote) not in "".join([*draft.lines, line]):
            # 各限多少字: each item's printed limit (a heading's, once)
            line += f"；字数：“{display(limit.quote)}”{draft.cite(limit)}"
            draft.computed.append(str(f.max_chars))
        draft.lines.append(line)
    return draft if draft.lines else None


def compose_form_section(query: Query) -> Draft | None:
    """资金预算要填哪几项？/ “联系人”一栏填哪些: the items printed under each heading the user names, asked
    before any other reading of its words (联系人 is not a contact asked); the signing block if asked.
    A part asking something else of the form (经济社会指标按完成后多久测算) leaves it to the rest."""
    if len(query.notices) != 1 or not ROWS_ASKED.search(query.text):
        return None
    form = _pick_form(query)
    if form is None:
        return None
    named = _sections_named(form, query, short=True)
    signing = SIGN_ASKED.search(query.text) or SEAL_ASKED.search(query.text)
    rest = query.text
    for s in named:
        rest = rest.replace(s, " ")  # “联系人”一栏: the heading's own words ask nothing
    if set(asks_in(rest)) - {"form", "list"} - ({"who"} if signing else set()):
        return None
    draft = _section_lines(form, named)
    if draft is not None and signing:
        _add_signing(form, draft)
    return draft


def _sections_named(form: Any, query: Query, short: bool = False) -> list[str]:
    """The printed headings a question names, longest first (a short one only when quoted or called a
    栏/部分, and only over several items: 联系人 alone is a person)."""
    sections = {normalize_text(f.section) for f in form.fields if f.section and f.printed}
    named = [
        s
        for s in sections
        if s in query.text
        and (
            len(s) >= 4
            or (
                short
                and re.search(
                    f"[“「『]{re.escape(s)}[”」』]|{re.escape(s)}(?:一栏|这栏|那栏|栏|部分)", query.text
                )
            )
        )
        and (
            not short
            or sum(1 for f in form.fields if f.printed and normalize_text(f.section or "") == s) >= 2
        )
    ]
    return sorted(named, key=len, reverse=True)


def _section_named(form: Any, query: Query) -> Draft | None:
    """项目投资预算填啥: a printed section of several items, each with its printed text."""
    named = _sections_named(form, query)
    return _section_lines(form, named[:1])


def _section_lines(form: Any, named: list[str]) -> Draft | None:
    """One line per heading (none inside a longer one named), each item quoted as printed."""
    kept = [s for i, s in enumerate(named) if not any(s in t for t in named[:i])]
    if not kept:
        return None
    draft = Draft(topic="form")
    for section in sorted(
        kept, key=lambda s: min(i for i, f in enumerate(form.fields) if normalize_text(f.section or "") == s)
    ):
        items = [f for f in form.fields if f.printed and f.section and normalize_text(f.section) == section]
        quotes = []
        for f in items:
            src = _source_of_text(form.notice, f.quote)
            quotes.append(f"“{display(src.quote)}”{draft.cite(src)}" if src is not None else f.label)
        draft.lines.append(f"《{form.title}》·{items[0].section}（{len(items)}项）：{'；'.join(quotes)}")
        draft.computed.append(str(len(items)))
    return draft


# Asks that a form's printed rows do not answer: a question with one of them is not a form question.
OTHER_ASKS = {
    "contact",
    "deadline",
    "when",
    "where",
    "copies",
    "funding",
    "count",
    "period",
    "eligibility",
    "who",
}


def form_answer(query: Query, today: date | None = None) -> Draft | None:
    """A cited answer from the form specs when the question is about one notice's form, else None;
    the notice's rules that name the item asked (出资承诺按自愿原则提交) follow its printed row."""
    draft = _form_answer(query)
    if draft is not None and draft.sources and len(query.notices) == 1:
        _item_rules(query, draft)
        _worked_amount(query, draft)
        _attachment_parts(query, draft, today)
        if draft.refused:  # a silence names the office to ask
            from knowledge.compose import office_line

            office_line(query.notices[0], draft, query=query)
    return draft


def _attachment_parts(query: Query, draft: Draft, today: date | None) -> None:
    """情况表是附件几？“技术难题概述”限多少字？: a part asking which attachment a form is, answered
    after the rows that answer the rest (composed on the day the question is asked)."""
    from knowledge.compose import ATTACHMENT_ASK, cited_into, compose

    if today is None or len(query.parts) < 2 or draft.refused or any("的附件" in ln for ln in draft.lines):
        return
    for part in query.parts:
        if ATTACHMENT_ASK.search(part.text):
            sub, _ = compose(replace(query, parts=[part], text=part.text, memo={}), today)
            draft.lines += [ln for ln in cited_into(draft, sub) if "的附件" in ln]
            draft.computed += sub.computed
            return


def _worked_amount(query: Query, draft: Draft) -> None:
    """计划研发投入180万，“申请专项”最多能填多少: the amount the notice's rate and cap give for the user's
    own figures, after the printed item."""
    if draft.refused or not any(f.own and f.unit == "万元" for f in query.figures):
        return
    from knowledge.compose import Outcome, cited_into, funding

    sub = Draft(topic=draft.topic)
    if funding(query, query.notices[0], sub, Outcome(), ""):
        for line in cited_into(draft, sub):
            draft.add(line)
        draft.computed += sub.computed


def _items_named(query: Query) -> list[Any]:
    """The printed items of the notice's forms whose label (3+ characters) the question writes out."""
    return [
        f
        for form in list_forms()
        if form.notice in query.notices
        for field in form.fields
        for f in (field, *field.columns)  # 资产负债率: a column of a printed table counts as an item
        if f.printed and len(_label(f)) >= 3 and _label(f) in query.text
    ]


def _label(f: Any) -> str:
    """资产负债率(%) → 资产负债率: an item's label as a user writes it, without the printed unit."""
    return re.sub(r"[(（][^)）]{1,4}[)）]$", "", normalize_text(f.label))


RULE_KINDS = frozenset({"requirement", "threshold", "cap"})


def _item_rules(query: Query, draft: Draft) -> None:
    """Rules in the notice's text (not the form's) whose quote names an item the question asks about."""
    from knowledge.catalogue import facts_of
    from knowledge.compose import source_of

    labels = {normalize_text(f.label) for f in _items_named(query)}
    if not labels:
        return
    shown = "".join(draft.lines)
    added = 0
    for fact in facts_of(query.notices[0]):
        if added >= 2 or fact.kind.value not in RULE_KINDS:
            continue
        if not any(lab in normalize_text(fact.quote) for lab in labels):
            continue
        src = source_of(fact)
        if display(src.quote) in shown:
            continue
        draft.lines.append(f"相关规定——{fact.label}：“{display(src.quote)}”{draft.cite(src)}")
        added += 1


# 不少于 万元: an amount the form leaves for the unit to write in
BLANK_AMOUNT = re.compile(r"(?:不少于|不低于|不超过|不高于|至少|最多|共计|合计)\s+(?:万元|元|万)")
LEAST_ASKED = re.compile(r"最低|至少|最少|下限|起码|多少钱|多少万|门槛")
BOUND_ASKED = re.compile(f"{LEAST_ASKED.pattern}|上限|封顶|不得超过|不能超过")
ANAPHOR = re.compile(r"这个|这一|这项|这栏|该|此项|它")


def compose_form_blank(query: Query) -> Draft | None:
    """出资承诺最低承诺多少: the item prints its amount blank, so the notice sets none — said plainly,
    with the printed row and the rules that name the item; the answer is a refusal."""
    if len(query.notices) != 1 or not LEAST_ASKED.search(query.text) or query.figures:
        return None  # (“不超过300万元”是说出资最少300万吗: a printed figure read, answered from the rules)
    for f in _items_named(query):
        printed = next((t for t in (f.help, f.quote) if t and BLANK_AMOUNT.search(t)), None)
        src = _source_of_text(query.notices[0], printed) if printed else None
        if src is None:
            continue
        return _no_minimum(query, f, src, "的最低金额：表上这一栏的金额是空着的，由填表单位自己填写。")
    return None


def _no_minimum(query: Query, f: Any, src: Source, why: str) -> Draft:
    """The notice sets no minimum for a printed item: said plainly, with the printed row; a refusal
    (the rules naming the item and the office follow, in `form_answer`)."""
    draft = Draft(topic="form")
    draft.lines.append(f"{get_notice(query.notices[0]).short}通知没有规定“{f.label}”{why}")
    draft.lines.append(f"表上印的是：“{display(src.quote)}”{draft.cite(src)}")
    draft.refused = True
    return draft


@lru_cache(maxsize=16)
def _rule_texts(notice_id: str) -> tuple[str, ...]:
    """Each rule's quote and label, bare (no 的、punctuation), to find whether one names an item."""
    from knowledge.catalogue import facts_of

    return tuple(
        _bare(normalize_text(f.quote + f.label)) for f in facts_of(notice_id) if f.kind.value in RULE_KINDS
    )


def compose_form_unset(query: Query) -> Draft | None:
    """“研发经费占年销售收入比重”最低要多少: an item the form asks to fill that no rule of the notice
    sets a minimum for — said plainly, with the printed row; the answer is a refusal."""
    if len(query.notices) != 1 or not BOUND_ASKED.search(query.text):
        return None
    printed = normalized_text(query.notices[0])
    if any(
        not fig.own and re.search(rf"(?<![\d.]){re.escape(normalize_text(fig.raw))}", printed)
        for fig in query.figures
    ):
        return None  # a printed figure read back: answered from the rules (比如要不低于3%: a guess)
    rules = _rule_texts(query.notices[0])
    quoted = [normalize_text(t) for t in QUOTED.findall(query.raw)]
    clauses = [c for c in CLAUSE_SEP.split(query.text) if c]
    # 需求表里要填X，那对这个比重有没有最低要求 / 要填X，我们是75%，有没有上限规定: the clauses
    # before a bare ask (or one saying 这个) say what it is about
    asked = [
        "".join(clauses[max(0, i - 2) : i + 1]) if ANAPHOR.search(c) or len(c) <= 10 else c
        for i, c in enumerate(clauses)
        if BOUND_ASKED.search(c) and "字" not in c  # 最多写多少字: a printed limit, not a rule
    ]
    for f in _items_named(query):
        label = _bare(_label(f))
        src = _source_of_text(query.notices[0], f.quote)
        if len(label) < 5 or src is None or any(label in r for r in rules):
            continue
        # the item asked about: quoted, or named where the bound is asked (not 我们计划研发投入180万)
        if not (LEAST_ASKED.search(query.text) and any(_label(f) in t for t in quoted)) and not (
            not any(fig.own and fig.metric for fig in query.figures) and any(_label(f) in c for c in asked)
        ):
            continue
        bound = "上限" if not LEAST_ASKED.search(query.text) else "最低要求"
        return _no_minimum(query, f, src, f"的{bound}：表上只要求如实填写这一项。")
    return None


def _form_answer(query: Query) -> Draft | None:
    if not query.notices:
        return None
    blank = compose_form_blank(query) or compose_form_unset(query)
    if blank is not None and grounded(blank):
        return blank
    whose = compose_form_whose(query)
    if whose is not None and whose.sources and grounded(whose):
        return whose  # 我们企业要填汇总表吗: whose form it is, and which is the user's
    last = compose_form_last(query)
    if last is not None and last.sources and grounded(last):
        # 最后一栏是什么，限多少字: the form's own order answers; another part about the form (另外“交付要件”
        # 这栏能写多少字) is answered on its own
        for p in query.parts:
            if LAST_ASKED.search(p.text):
                continue
            other = _form_answer(replace(query, raw=p.text, text=p.text, parts=[p], memo={}))
            if other is not None and other.sources and grounded(other):
                last = _with_quotes(last, other)
        return last
    home = compose_form_home(query) or compose_form_section(query)
    if home is not None and home.sources and grounded(home):
        return home
    if set(query.asks) & OTHER_ASKS:
        wanted = "form" in query.asks or any("period" in p.asks for p in query.parts)
        form = _pick_form(query) if wanted and len(query.notices) == 1 else None
        named = _fields_named(form, query) if form is not None else []
        many_named = "form" in query.asks and len(named) >= 2
        # 经济社会指标按项目完成后多长时间测算: a period asked of a printed item is the item's own text
        of_item = any(
            "period" in p.asks
            and any(normalize_text(f.label) in p.text and re.search(r"\d+\s*年", f.help or "") for f in named)
            for p in query.parts
        )
        if form is None or not (many_named or of_item) or _unmatched_terms(form, query):
            return None  # 攻关时限、技术先进水平…可选项: items of the form, though 时限 sounds like a period
    if "threshold" in query.asks and any(f.own for f in query.figures):
        return None  # 营收5200万…够条件吗: the user's figures against the rules, not a form item
    if sum(1 for f in query.figures if f.own and f.metric) >= 2:
        return None  # 营收8000万、研发500万，能勾“重大需求”吗: the user's case, checked against the rules
    if "form" in query.asks and len(query.notices) == 1:
        form = _pick_form(query)
        named = _fields_named(form, query) if form is not None else []
        chars = bool(CHARS_ASKED.search(query.text))
        whole = form is not None and not _unmatched_terms(form, query)  # 核心技术参数（a heading）: not rows
        several = (
            _fields_lines(form, named, chars) if form is not None and len(named) >= 2 and whole else None
        )
        if several is not None and several.sources and grounded(several):
            if form is not None and SIGN_ASKED.search(query.text):  # …表上谁签意见: the signing block too
                _add_signing(form, several)
            return several  # 攻关时限、技术先进水平和攻关成果性质: every item named, each with its options
    composers = [
        compose_form_seal,
        compose_form_chars_total,
        compose_form_limits,
        compose_form_every_limit,
        compose_form_overview,
        compose_form_rows,
        compose_form_field,
    ]
    if OPTIONS_ASKED.search(query.text):  # 重点领域可以勾哪几个: the item's options, not its printed rows
        composers.remove(compose_form_field)
        composers.insert(composers.index(compose_form_rows), compose_form_field)
    listed: Draft | None = None  # the options listed in full but not each quoted: the rows add the quotes
    for composer in composers:
        draft = composer(query)
        if draft is None or not draft.sources or not grounded(draft):
            continue
        if composer is compose_form_field and OPTIONS_ASKED.search(query.text) and not _options_whole(draft):
            listed = draft
            continue
        if listed is not None and composer is compose_form_rows:
            return _with_quotes(listed, draft)
        if composer is not compose_form_seal and SEAL_ASKED.search(query.text):
            seals = _seals(query)  # 有哪几列？表头盖谁的章？: the items, then where the form is sealed
            if seals is not None and seals.sources and grounded(seals):
                return _with_quotes(draft, seals)
        return draft
    return listed


def _with_quotes(listed: Draft, rows: Draft) -> Draft:
    """The options listed in full, then the printed rows that quote them."""
    out = Draft(topic="form")
    out.computed = [*listed.computed, *rows.computed]
    for d in (listed, rows):

        def renumber(m: re.Match[str], d: Draft = d) -> str:
            return out.cite(d.sources[int(m.group(1)) - 1])

        for line in d.lines:
            out.lines.append(re.sub(r"\[(\d+)\]", renumber, line))
    return out


def _options_whole(draft: Draft) -> bool:
    """Every option of the item is listed (none left out for a number it could not ground): else the
    printed rows, which quote them all, answer instead."""
    text = "\n".join(draft.lines)
    m = re.search(r"选项（共(\d+)项）：([^\n]*)", text)
    if m is None:
        return "选项：" in text
    listed = m.group(2).split("／")
    quoted = normalize_text("".join(s.quote for s in draft.sources))
    # listed in full, and each one quoted (not only the item's name): else the printed rows answer
    return len(listed) == int(m.group(1)) and all(normalize_text(o) in quoted for o in listed)
