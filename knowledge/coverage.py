"""How completely the catalogue covers a notice, and candidate facts for what it misses.

A *marker* is a span that makes a sentence worth cataloguing: a date, an amount, a ratio, a count, a
character limit, a phone number, an e-mail address, a URL, or a normative word (须, 应, 不得, 原则上,
不超过, 不低于, 不少于, 鼓励, 优先…). A marker is covered when it lies inside a fact's quote, a
background mark, or a quote of the notice's form specs (the printed forms are catalogued there).
Coverage is covered markers / markers, per notice; the catalogue's test requires 100 %.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.catalogue import background_of, facts_of
from knowledge.corpus import get_notice

MARKERS: dict[str, re.Pattern[str]] = {
    "date": re.compile(
        r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月[上中下]旬"
        r"|\d{1,2}\s*月\s*[-—至]\s*\d{1,2}\s*月|\d{4}\s*[-—]\s*\d{4}\s*年|\d{1,2}:\d{2}"
    ),
    "amount": re.compile(r"\d+(?:\.\d+)?\s*(?:亿元|亿|万元|万|元)"),
    "ratio": re.compile(r"\d+(?:\.\d+)?\s*%"),
    "count": re.compile(
        r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:项|个|份|家|名|人次|人|周岁|天|批次|批|次|年|所)"
        r"|一式[一二两三四五六七八九十]+份"
    ),
    "limit": re.compile(r"限\s*\d+\s*字|\d+\s*字(?:以内|左右)"),
    "phone": re.compile(r"\d{3,4}-\d{7,8}|(?<!\d)1\d{10}(?!\d)|(?<![\d-])\d{8}(?![\d@])"),
    "email": re.compile(r"[\w.]+@[\w.]+\w"),
    "url": re.compile(r"https?://[\w./:-]+"),
    "normative": re.compile(
        r"须|应当|不得|原则上|不超过|不低于|不少于|不高于|鼓励|优先|必须|不能|不再|禁止|严禁|"
        r"(?<![响相供适反对效])应(?![用急届])"
    ),
}
# Marker words inside these are part of an ordinary word, not a rule or a figure.
NOT_MARKERS = ("应用", "响应", "相应", "供应", "适应", "反应", "对应", "效应")


@dataclass(frozen=True)
class Marker:
    kind: str
    start: int
    end: int
    text: str


def markers(notice_id: str) -> list[Marker]:
    """Every marker of a notice, in order; overlapping matches are merged into the longest."""
    text = get_notice(notice_id).text
    found: list[Marker] = []
    for kind, rx in MARKERS.items():
        for hit in rx.finditer(text):
            found.append(Marker(kind, hit.start(), hit.end(), hit.group(0)))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    merged: list[Marker] = []
    for marker in found:
        if merged and marker.start < merged[-1].end:
            continue
        merged.append(marker)
    return merged


def covered_spans(notice_id: str) -> list[tuple[int, int]]:
    """Spans of the notice that facts, background marks or form specs quote."""
    from knowledge.formspec import list_forms

    text = get_notice(notice_id).text
    quotes: list[str] = []
    for f in facts_of(notice_id):
        quotes += f.quotes
    quotes += [b.quote for b in background_of(notice_id)]
    for form in list_forms():
        if form.notice == notice_id:
            quotes += form_quotes(form)
    spans = []
    for q in quotes:
        pos = text.find(q)
        while pos >= 0 and q:
            spans.append((pos, pos + len(q)))
            pos = text.find(q, pos + 1)
    return spans


def form_quotes(form: object) -> list[str]:
    """Every verbatim string a form spec carries: title, labels, guidance, options, rule quotes."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            return
        if isinstance(value, list):
            for v in value:
                walk(v)
            return
        data = getattr(value, "__dict__", None)
        if not isinstance(data, dict):
            return
        for key, v in data.items():
            if key in ("quote", "help", "notice_date_quote", "limit_text") and isinstance(v, str):
                out.append(v)
            elif key == "options" and isinstance(v, list):
                out.extend(o for o in v if isinstance(o, str))
            else:
                walk(v)

    walk(form)
    return out


@dataclass
class Coverage:
    notice: str
    total: int
    covered: int
    missing: list[Marker]

    @property
    def ratio(self) -> float:
        return self.covered / self.total if self.total else 1.0


def coverage(notice_id: str) -> Coverage:
    text = get_notice(notice_id).text
    spans = covered_spans(notice_id)
    missing = []
    all_markers = [m for m in markers(notice_id) if not _ordinary_word(text, m)]
    for m in all_markers:
        if not any(s <= m.start and m.end <= e for s, e in spans):
            missing.append(m)
    return Coverage(notice_id, len(all_markers), len(all_markers) - len(missing), missing)


def _ordinary_word(text: str, m: Marker) -> bool:
    if m.kind != "normative":
        return False
    window = text[max(0, m.start - 1) : m.end + 1]
    return any(w in window for w in NOT_MARKERS)


SENTENCE_END = re.compile(r"[。；;！？\n\t]")


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or table cell) around a span: between the nearest 。；\\n or tab on each side."""
    s = start
    while s > 0 and not SENTENCE_END.match(text[s - 1]):
        s -= 1
    e = end
    while e < len(text) and not SENTENCE_END.match(text[e]):
        e += 1
    if e < len(text) and text[e] in "。；;":
        e += 1
    return s, e


KIND_GUESS = (
    ("contact", ("phone", "email")),
    ("channel", ("url",)),
    ("form_item", ("limit",)),
)


def propose(notice_id: str) -> list[dict[str, object]]:
    """Candidate facts for the uncovered sentences: kind guessed from the markers, quote verbatim."""
    text = get_notice(notice_id).text
    seen: set[tuple[int, int]] = set()
    out: list[dict[str, object]] = []
    for m in coverage(notice_id).missing:
        s, e = sentence_at(text, m.start, m.end)
        if (s, e) in seen:
            continue
        seen.add((s, e))
        sentence = text[s:e].strip()
        kinds = {x.kind for x in markers(notice_id) if s <= x.start < e}
        kind = _guess_kind(sentence, kinds)
        out.append({"kind": kind, "quote": sentence, "markers": sorted(kinds)})
    return out


def _guess_kind(sentence: str, kinds: set[str]) -> str:
    for kind, needs in KIND_GUESS:
        if kinds & set(needs):
            return kind
    if "date" in kinds:
        return "deadline" if re.search(r"前|截止", sentence) else "date"
    if "amount" in kinds or "ratio" in kinds:
        if re.search(r"不超过|最高|上限", sentence):
            return "cap"
        return "threshold" if re.search(r"不少于|不低于|超过|以上", sentence) else "rate"
    if "count" in kinds:
        return "quota" if "项" in sentence else "period"
    return "requirement"
