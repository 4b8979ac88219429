"""Structure-aware parsing: a notice file becomes documents → headings → paragraphs and table rows.

Offsets always point into the original file; extraction artefacts are skipped, never deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from knowledge.types import AttachmentInfo, Block, ChunkKind, Notice, Section

ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]")
_CN_NUM = "一二三四五六七八九十百"
HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{_CN_NUM}]+条")),
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}(?:[.．](?!\d)|、)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
]
ATTACHMENT_LIST = re.compile(r"^附件[：:]")
CONTACT = re.compile(r"(联系电话|联系人|电话|邮箱|咨询|\d{3,4}-\d{7,8}|@[\w.]+)")
LIMIT = re.compile(r"限\s*\d+\s*字|\d+字(以内|左右)")
WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """The one whitespace normalisation: every whitespace run becomes one space, ends trimmed."""
    return WS.sub(" ", text).strip()


@dataclass
class Line:
    start: int
    end: int
    raw: str

    @property
    def stripped(self) -> str:
        return self.raw.strip()


@dataclass
class Segment:
    """A contiguous document of a notice file: the main body, an attachment or a sub-document."""

    doc: str
    path: list[str]
    start: int
    end: int


def lines_of(text: str, start: int, end: int) -> Iterator[Line]:
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        yield Line(pos, stop, text[pos:stop])
        pos = stop + 1


def _find_anchor(text: str, anchor: str, start: int, end: int) -> int:
    for line in lines_of(text, start, end):
        if line.stripped == anchor:
            return line.start
    raise ValueError(f"attachment anchor {anchor!r} not found between offsets {start} and {end}")


def _attachment_label(att: AttachmentInfo) -> str:
    """As printed: a notice's lone attachment may be headed just “附件”."""
    printed = att.anchor.rstrip("：:") if att.anchor.startswith("附件") else f"附件{att.n}"
    return f"{printed} {att.title}"


def segments(notice: Notice) -> list[Segment]:
    """Split a notice file at the manifest's attachment anchors (recursively for sub-documents)."""
    out: list[Segment] = []

    def split(doc: str, path: list[str], atts: list[AttachmentInfo], start: int, end: int) -> None:
        starts: list[int] = []
        cursor = start
        for att in atts:
            pos = _find_anchor(notice.text, att.anchor, cursor, end)
            starts.append(pos)
            cursor = pos + 1
        out.append(Segment(doc, path, start, starts[0] if starts else end))
        for i, att in enumerate(atts):
            a_start, a_end = starts[i], starts[i + 1] if i + 1 < len(starts) else end
            a_path = [*path, _attachment_label(att)]
            if att.subdocument is not None:
                sub = att.subdocument
                split(f"{doc}#{sub.id}", a_path, sub.attachments, a_start, a_end)
            else:
                out.append(Segment(f"{doc}#a{att.n}", a_path, a_start, a_end))

    split(notice.id, [notice.short], notice.attachments, 0, len(notice.text))
    return out


def heading_level(line: str) -> tuple[int, str] | None:
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m:
            return level, m.group(0)
    return None


def heading_title(line: str, marker: str) -> str:
    """A short label for the path: the whole heading when short, else up to its colon, else the marker."""
    line = normalize_ws(line)
    if len(line) <= 24 and not line.endswith("。"):
        return line.rstrip("：:")
    for sep in ("：", ":"):
        idx = line.find(sep)
        if 0 < idx <= 24:
            return line[:idx]
    return marker


def _span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim whitespace and leading artefacts off [start, end); None when nothing real is left."""
    while True:
        while start < end and text[start].isspace():
            start += 1
        m = ARTEFACT.match(text, start, end)
        if not m:
            break
        start = m.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _row_label(cell: str) -> str:
    label = WS.sub("", cell)
    label = re.sub(r"[（(][^）)]*[）)]?$", "", label) or label
    return label[:20]


def _body_kind(path: list[str], text: str) -> ChunkKind:
    if any(p.startswith("第") and "条" in p[:6] for p in path):
        return ChunkKind.RULE
    if CONTACT.search(text):
        return ChunkKind.CONTACT
    return ChunkKind.BODY


def _row_kind(text: str) -> ChunkKind:
    if LIMIT.search(text) or re.search(r"[（(][^）)]{10,}[）)]", text):
        return ChunkKind.FORM_GUIDANCE
    return ChunkKind.FORM_FIELD


def parse_segment(notice: Notice, seg: Segment) -> tuple[Section, list[Block]]:
    """Walk one document's lines, keeping a heading stack; tables become one block per row."""
    text = notice.text
    root = Section(title=seg.path[-1], level=0, start=seg.start, end=seg.end, kind="document")
    blocks: list[Block] = []
    stack: list[tuple[int, Section]] = [(0, root)]
    row: list[Line] = []
    row_label = ""
    in_table = False
    prev_blank = True

    def path() -> list[str]:
        return [*seg.path[:-1], *(s.title for _, s in stack)]

    def flush_row() -> None:
        nonlocal row, row_label
        if not row:
            return
        span = _span(text, row[0].start, row[-1].end)
        row_text = normalize_ws(text[span[0] : span[1]]) if span else ""
        cells: list[str] = []
        for ln in row:
            if ln.raw.startswith("\t") or not cells:
                cells.append(ln.stripped)
            else:
                cells[-1] += ln.stripped
        if cells and cells[0]:
            row_label = _row_label(cells[0])
        if span and re.search(r"[^\d\s□○☐（）()：:、.．]", row_text):
            label = row_label or "表格"
            node = Section(title=label, level=9, start=span[0], end=span[1], kind="row")
            stack[-1][1].children.append(node)
            blocks.append(
                Block(
                    notice=notice.id,
                    doc=seg.doc,
                    path=[*path(), label],
                    kind=_row_kind(row_text),
                    start=span[0],
                    end=span[1],
                    text=row_text,
                    boundary=True,
                )
            )
        row = []

    for line in lines_of(text, seg.start, seg.end):
        s = line.stripped
        is_tab = line.raw.startswith("\t")
        if in_table and not is_tab and s and prev_blank and (heading_level(s) or s.startswith("备注")):
            flush_row()
            in_table = False
        if is_tab or in_table:
            if is_tab and not in_table:
                in_table = True
                row_label = ""
            if is_tab and prev_blank:
                flush_row()
            if s or row or is_tab:
                row.append(line)
            prev_blank = not s and not is_tab
            continue
        prev_blank = not s
        if not s:
            continue
        span = _span(text, line.start, line.end)
        if span is None:
            continue
        content = text[span[0] : span[1]]
        found = None if stack[-1][1].title == "附件" else heading_level(content)
        if ATTACHMENT_LIST.match(content):
            found = (1, "附件")
        if found:
            level, marker = found
            while stack[-1][0] >= level and len(stack) > 1:
                stack.pop()
            title = "附件" if marker == "附件" else heading_title(content, marker)
            node = Section(title=title, level=level, start=span[0], end=seg.end)
            stack[-1][1].children.append(node)
            stack.append((level, node))
        blocks.append(
            Block(
                notice=notice.id,
                doc=seg.doc,
                path=path(),
                kind=_body_kind(path(), content),
                start=span[0],
                end=span[1],
                text=normalize_ws(content),
                boundary=span[0] != line.start + (len(line.raw) - len(line.raw.lstrip())),
            )
        )
    flush_row()
    return root, blocks


def parse_notice(notice: Notice) -> tuple[Section, list[Block]]:
    """The notice's tree (documents as children of the root) and its blocks in file order."""
    root = Section(title=notice.short, level=-1, start=0, end=len(notice.text), kind="notice")
    blocks: list[Block] = []
    for seg in segments(notice):
        node, seg_blocks = parse_segment(notice, seg)
        root.children.append(node)
        blocks.extend(seg_blocks)
    return root, blocks
