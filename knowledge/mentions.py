"""What a question names and whether it can be searched at all: notice names (cities, provinces,
short forms, sub-documents) and the checks every entry point runs first.

Kept apart from `knowledge.retrieve` so that reading a question never imports numpy or bm25s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from knowledge.corpus import (
    UnknownNoticeError,
    example_notice,
    get_notice,
    notice_ids,
    notices,
    shipped_notice_ids,
)
from knowledge.tokenize import DATA_DIR, normalize_text

MAX_QUERY_CHARS = 2000


class QueryError(ValueError):
    """The query cannot be searched as given; the message says how to fix it."""


# （热线记录）企业问：… — how a hotline log frames a caller's question; the frame asks nothing (热线 is
# not a request for the hotline's number).
FRAMING = re.compile(
    r"^\s*(?:[（(\[【][^）)\]】]{0,12}(?:记录|来电|热线|备注|工单|留言)[^）)\]】]{0,6}[）)\]】]\s*)?"
    r"(?:(?:热线|来电|工单|通话)记录[:：]\s*)?"
    r"(?:(?:企业|来电人|来电者|用户|客户|市民|对方|群众|咨询人|某企业|来电企业)(?:来电)?(?:问|咨询|反映|提问|说)?[:：]\s*"
    r"|(?:来电|电话)?(?:咨询|提问|询问)[:：]\s*|来电[:：]\s*)?"  # 来电咨询：… / 咨询：…: the log's frame
)
# 有个县科技局打电话问：… — the call, not the caller (whose place and role the question keeps)
CALLING = re.compile(
    r"^(?:有个|有家)?([^：:，,。？?]{1,12}?)(?:打来电话|打电话|来电)(?:来)?(?:问|咨询)?(?=[:：])"
)


def strip_framing(text: str) -> str:
    """The caller's question without the log's frame around it (never the whole text)."""
    rest = CALLING.sub(r"\1", FRAMING.sub("", text, count=1), count=1)
    return rest if rest.strip() else text


def check_query(query: str) -> str:
    """Reject what no retriever can use, with a message that tells the user what to type instead."""
    cleaned = "".join(ch for ch in query if ch.isprintable() or ch in "\n\t")
    cleaned = cleaned.strip()
    if not cleaned:
        raise QueryError(f"查询内容为空。请输入要查找的内容，例如：{example_notice()[1]} 需求表 截止时间")
    if not any(ch.isalnum() for ch in cleaned):
        raise QueryError(f"查询只包含标点或符号。请输入文字，例如：{example_notice()[1]} 财政补助比例")
    return cleaned[:MAX_QUERY_CHARS]


def check_notices(ids: Iterable[str] | None) -> list[str] | None:
    if ids is None:
        return None
    known = set(notice_ids())
    out = []
    for raw in ids:
        nid = raw.strip().lower()
        if nid not in known:
            raise UnknownNoticeError(f"没有编号为“{raw}”的通知。可用的编号：{'、'.join(notice_ids())}。")
        out.append(nid)
    return out


@lru_cache(maxsize=1)
def alias_table() -> tuple[tuple[str, str], ...]:
    """(alias, notice id), longest alias first, so a district's alias wins over its city's."""
    pairs: list[tuple[str, str]] = []
    for n in notices():
        pairs += [(normalize_text(a), n.id) for a in [n.short, *n.aliases]]
        for att in n.attachments:
            if att.subdocument is not None:
                pairs += [
                    (normalize_text(a), n.id) for a in [att.subdocument.short, *att.subdocument.aliases]
                ]
    return tuple(sorted(set(pairs), key=lambda p: -len(p[0])))


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    text = (DATA_DIR / "places.txt").read_text(encoding="utf-8")
    return frozenset(
        normalize_text(w) for ln in text.splitlines() if not ln.startswith("#") for w in ln.split()
    )


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, str]:
    table: dict[str, str] = {}
    for ln in (DATA_DIR / "pinyin.txt").read_text(encoding="utf-8").splitlines():
        if ln and not ln.startswith("#"):
            sound, chars = ln.split(" ", 1)
            table.update(dict.fromkeys(chars, sound))
    return table


def _sounds(text: str) -> tuple[str, ...]:
    table = _pinyin()
    return tuple(table.get(c, c) for c in text)


def correct_names(text: str) -> str:
    """A notice's place typed with a homophone (龙全, 泉洲, 湘谭) read as the place: same sounds, at least
    one character in common, and not itself a place name (全州 is another county)."""
    out = text
    heard = _sounds(out)
    table = alias_table()  # <省名>生物 holds the short name already: not a mistyped <省名>省
    for alias, sounds in _alias_sounds():
        if alias in out:
            continue
        n = len(alias)
        for i in range(len(out) - n + 1):
            if heard[i] != sounds[0] or heard[i : i + n] != sounds:
                continue
            window = out[i : i + n]
            same = sum(a == b for a, b in zip(window, alias, strict=True))
            before, after = out[i - 1 : i], out[i + n : i + n + 1]
            bounded = (not before or before in NAME_BEFORE or not _cjk(before)) or (
                not after or after in NAME_AFTER or not _cjk(after)
            )  # 周期原则 holds 期原 inside a word: never a place typed wrong
            if (
                bounded
                and 1 <= same < n
                and window not in _place_names()
                and not any(a in window for a, _ in table)
            ):
                out = out[:i] + alias + out[i + n :]
    return out


# Characters a place name sits between in a question (我们是X的, 在X市, X那个…).
NAME_BEFORE = frozenset('是在到问对和与及跟给向去从、，,：:；;（(“"')
NAME_AFTER = frozenset('的市县区省那这揭通需呢吗啊和与及、，,？?！!：:（(”"有今去明本这次里')


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@lru_cache(maxsize=1)
def _alias_sounds() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(
        (alias, _sounds(alias))
        for alias, _ in alias_table()
        if 2 <= len(alias) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in alias)
    )


def _occurrences(text: str, alias: str) -> Iterator[int]:
    pos = text.find(alias)
    while pos >= 0:
        yield pos
        pos = text.find(alias, pos + 1)


def mentioned_notices(text: str) -> list[str]:
    """Notice ids a question names, by city, province or short form, in order of first mention.

    An extra notice's alias counts only where it is not part of a shipped notice's alias, so an extra
    notice that shares a name with a shipped one never joins a question about the shipped one.
    """
    norm = normalize_text(text)
    shipped = set(shipped_notice_ids())
    found: dict[str, int] = {}
    taken: list[tuple[int, int]] = []
    table = alias_table()
    # Longest names first, then the earliest: a city name followed by 科技局 is not a doc-number prefix.
    spots = sorted(
        (
            (p, p + len(alias), nid)
            for alias, nid in table
            if nid in shipped
            for p in _occurrences(norm, alias)
        ),
        key=lambda x: (-(x[1] - x[0]), x[0]),
    )
    placed: set[str] = set()  # found by a name with a place in it, not by an office named by level only
    for start, end, nid in spots:
        if any(s < end and start < e for s, e in taken):
            continue
        if norm[start] not in "省市县区":
            placed.add(nid)
        if (
            norm[start] in "省市"
            and start >= 2
            and all("\u4e00" <= c <= "\u9fff" for c in norm[start - 2 : start])
        ):
            continue  # <another province>省…: an office of that province, not one a notice prints
        taken.append((start, end))
        if nid not in found or start < found[nid]:
            found[nid] = start
    if placed:  # <某省>平台…省里的厅如何处理: the office of the province named, not another notice's
        found = {nid: at for nid, at in found.items() if nid in placed}
    for alias, nid in table:
        if nid in shipped:
            continue
        for pos in _occurrences(norm, alias):
            if any(s <= pos and pos + len(alias) <= e for s, e in taken):
                continue
            if nid not in found or pos < found[nid]:
                found[nid] = pos
            break
    if not found:  # 《省“尖兵”“领雁”计划重大技术攻关需求表》: a form named by its title names its notice
        for m in re.finditer(r"《([^》]{6,80})》", norm):
            for nid in _titled(m.group(1)):
                found.setdefault(nid, m.start())
    if not found:  # the same title written without 《》, its inner quotes kept or not
        bare = QUOTES.sub("", norm)
        hits = [n.id for n in notices() if any(t in bare for t in bare_titles(n.id))]
        if len(hits) == 1:
            found[hits[0]] = 0
    return sorted(found, key=lambda k: found[k])


QUOTES = re.compile(r"[“”\"'‘’《》]")
MIN_BARE_TITLE = 10  # a title this long is a name, not a phrase a question would use by chance


@lru_cache(maxsize=256)
def bare_titles(nid: str) -> tuple[str, ...]:
    n = get_notice(nid)
    titles = [a.title for a in n.attachments]
    titles += [s.title for a in n.attachments if a.subdocument for s in a.subdocument.attachments]
    bare = (QUOTES.sub("", normalize_text(t)) for t in titles)
    return tuple(t for t in bare if len(t) >= MIN_BARE_TITLE)


def _titled(title: str) -> list[str]:
    """The notices that print a document or form of this title (exactly one, or none)."""
    hits = []
    for n in notices():
        titles = [a.title for a in n.attachments]
        titles += [s.title for a in n.attachments if a.subdocument for s in a.subdocument.attachments]
        if any(
            title == normalize_text(t) or (len(title) >= 8 and title in normalize_text(t)) for t in titles
        ):
            hits.append(n.id)
    return hits if len(hits) == 1 else []
