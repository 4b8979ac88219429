"""Word export: the official table of a form, filled in, on A4, ready to print, stamp and submit.

The layout comes from the form's YAML (grid widths, merged cells, printed labels and guidance); this
module only draws it. Chinese text gets its font through `w:eastAsia` (python-docx's `font.name`
sets only the Latin fonts), every cell gets an explicit width, option lists are printed as on paper
with the chosen options ticked (☑ for □, ● for ○), and seal and date lines stay blank for stamping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from knowledge.formspec import (
    CHOICE_TYPES,
    PLACEHOLDER,
    CellSpec,
    FieldSpec,
    FieldType,
    FormSpec,
    PlacedCell,
    ordered_rows,
    place,
)
from validators.fields import choice_base, format_value, is_empty
from validators.normalize import format_number
from validators.problems import Problem

TITLE_FONT = "黑体"
LATIN_FONT = "Times New Roman"
HINT_SIZE = 9.0
CELL_MARGIN_TWIPS = 108  # left and right padding inside a cell (0.19 cm, Word's default), written out
EAST_ASIAN_LANGUAGE = "zh-CN"  # python-docx's template says en-US: LibreOffice then picks a Japanese font
BLANK = "      "  # an empty blank inside a printed sentence, left for handwriting
FILLED = {"□": "☑", "○": "●"}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def set_run_font(run: Any, east_asia: str, size: float | None = None, bold: bool = False) -> None:
    """Set Latin and East Asian fonts on a run: python-docx's font.name alone leaves Chinese in the default."""
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = bold


def _style_defaults(doc: DocumentType, body_font: str, size: float) -> None:
    style = doc.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), body_font)
    _chinese_language(doc)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.15


def _chinese_language(doc: DocumentType) -> None:
    """Mark East Asian text as Simplified Chinese in the document defaults (and every style that
    names a language), so word processors choose Chinese glyphs and line-breaking rules."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    if rpr.find(qn("w:lang")) is None:
        rpr.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), EAST_ASIAN_LANGUAGE)


def _page(doc: DocumentType, landscape: bool) -> None:
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = Cm(2.2)
    section.bottom_margin = Cm(2.0)
    section.left_margin = Cm(2.2)
    section.right_margin = Cm(2.2)


def _para(
    container: Any, text: str, font: str, size: float, bold: bool = False, align: Any = None
) -> Paragraph:
    p: Paragraph = container.add_paragraph()
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    set_run_font(run, font, size, bold)
    return p


# --- rendering values ---------------------------------------------------------------------------------


def tick(printed: str, chosen: list[str]) -> str:
    """Tick the chosen options in a printed option line: '□A □B' with A chosen → '☑A □B'.

    A free-text option ('其他：港资', '是：某联盟') also fills the blank that follows it on paper.
    """
    out = printed
    for value in chosen:
        base = choice_base(value)
        extra = value[len(base) + 1 :].strip() if value.startswith(base + "：") else ""
        pattern = re.compile(
            rf"(?P<box>[□○])(?P<sp>[ \u3000]?)(?P<opt>{re.escape(base)})"
            rf"(?P<lead>，名称[：:]?|[：:])?(?P<blank>[ _\u3000]*)"
        )
        m = pattern.search(out)
        if m is None:
            continue
        filled = FILLED[m.group("box")] + m.group("sp") + base
        if extra:
            lead = m.group("lead") or "："
            gap = "" if lead.endswith(("：", ":")) else " "
            tail = f"{lead}{gap}{extra}" + ("  " if m.group("blank") else "")
        else:
            tail = (m.group("lead") or "") + m.group("blank")
        out = out[: m.start()] + filled + tail + out[m.end() :]
    return out


def boxes(f: FieldSpec, value: Any, printed: str | None) -> str:
    chosen = value if isinstance(value, list) else [value] if isinstance(value, str) and value else []
    if printed is None:
        printed = "  ".join(f"□{o}" for o in f.options)
    return tick(printed, [str(c) for c in chosen])


def value_text(f: FieldSpec, value: Any, printed: str | None = None, unit: bool = True) -> str:
    """A stored value as printed in a cell. Amounts and percents never carry their unit (the form
    prints 万元 / % next to the blank); counts carry theirs (人) unless a printed sentence does."""
    if f.type in CHOICE_TYPES:
        return boxes(f, value, printed)
    if is_empty(value):
        return ""
    if f.type in (FieldType.AMOUNT_WAN, FieldType.PERCENT):
        return format_number(value)
    if f.type == FieldType.INTEGER and not unit:
        return format_number(value)
    return format_value(f, value)


def render_template(form: FormSpec, template: str, values: dict[str, Any]) -> str:
    """Fill `{field}`, `{field|default}` and `{box:field}` placeholders of a printed sentence."""

    def sub(m: re.Match[str]) -> str:
        is_box, fid, default = m.group(1), m.group(2), m.group(3)
        value = values.get(fid)
        if is_box:
            return "□" if is_empty(value) else "☑"
        if is_empty(value):
            return default if default is not None else BLANK
        return value_text(form.field(fid), value, unit=False)

    return PLACEHOLDER.sub(sub, template)


@dataclass
class CellContent:
    hint: str | None
    text: str
    bold: bool = False


def cell_content(form: FormSpec, pc: PlacedCell, values: dict[str, Any]) -> CellContent:
    """What one placed cell shows: printed guidance (small) and the printed or filled-in text."""
    spec: CellSpec = pc.spec
    text = ""
    if spec.text is not None:
        text = spec.text
    elif spec.index and pc.repeat_index is not None:
        text = str(pc.repeat_index + 1)
    elif spec.col is not None and pc.repeat is not None and pc.repeat_index is not None:
        f = form.field(pc.repeat)
        rows = ordered_rows(f, values.get(pc.repeat))
        row = rows[pc.repeat_index] if pc.repeat_index < len(rows) else {}
        if not row and f.key_column == spec.col and pc.repeat_index < len(f.row_keys):
            row = {spec.col: f.row_keys[pc.repeat_index]}
        text = value_text(f.column(spec.col), row.get(spec.col), spec.print)
    elif spec.field is not None:
        f = form.field(spec.field)
        value = values.get(spec.field)
        if spec.row_template is not None:
            rows = ordered_rows(f, value)
            lines = [render_template_row(spec.row_template, f, r) for r in rows]
            lines += [render_template_row(spec.row_template, f, {})] * max(0, spec.min_lines - len(lines))
            text = "\n".join(lines)
        else:
            text = value_text(f, value, spec.print)
    elif spec.template is not None:
        text = render_template(form, spec.template, values)
    return CellContent(hint=spec.hint, text=text, bold=spec.bold)


def render_template_row(template: str, f: FieldSpec, row: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        cid = m.group(2)
        value = row.get(cid)
        if is_empty(value):
            return m.group(3) if m.group(3) is not None else BLANK
        return value_text(f.column(cid), value, unit=False)

    return PLACEHOLDER.sub(sub, template)


# --- the table ----------------------------------------------------------------------------------------


def _set_cell_width(tc: Any, width_cm: float) -> None:
    tcpr = tc.get_or_add_tcPr()
    tcw = tcpr.find(qn("w:tcW"))
    if tcw is None:
        tcw = OxmlElement("w:tcW")
        tcpr.insert(0, tcw)
    tcw.set(qn("w:w"), str(int(Cm(width_cm).twips)))
    tcw.set(qn("w:type"), "dxa")


def _fix_layout(table: Any, widths: list[float]) -> None:
    """Fixed layout, grid widths, and an explicit width on every cell (merged cells: the sum)."""
    tblpr = table._tbl.tblPr
    if tblpr.find(qn("w:tblLayout")) is None:
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tblpr.append(layout)
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(int(Cm(sum(widths)).twips)))
    tblw.set(qn("w:type"), "dxa")
    _cell_margins(tblpr)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for tr in table._tbl.tr_lst:
        g = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            _set_cell_width(tc, sum(widths[g : g + span]))
            g += span


def _cell_margins(tblpr: Any) -> None:
    """Write the cell padding into the table itself, so the label widths in the form specs (checked
    against it by the tests) hold in every word processor, whatever its default."""
    mar = tblpr.find(qn("w:tblCellMar"))
    if mar is None:
        mar = OxmlElement("w:tblCellMar")
        layout = tblpr.find(qn("w:tblLayout"))
        # CT_TblPr order: … tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar, tblLook
        if layout is not None:
            layout.addnext(mar)
        else:
            tblpr.append(mar)
    for side, width in (("top", 0), ("left", CELL_MARGIN_TWIPS), ("bottom", 0), ("right", CELL_MARGIN_TWIPS)):
        el = mar.find(qn(f"w:{side}"))
        if el is None:
            el = OxmlElement(f"w:{side}")
            mar.append(el)
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")


def _fill_cell(cell: _Cell, content: CellContent, spec: CellSpec, font: str, size: float) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = cell.paragraphs[0]
    align = ALIGN.get(spec.align or "left")
    paragraphs: list[tuple[str, float]] = []
    if content.hint:
        paragraphs.append((content.hint, HINT_SIZE))
    lines = content.text.split("\n") if content.text else ([] if content.hint else [""])
    paragraphs.extend((line, size) for line in lines)
    for i, (line, sz) in enumerate(paragraphs):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = align
        run = p.add_run(line)
        set_run_font(run, font, sz, content.bold)
    if content.hint or len(content.text) > 60:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _grid_table(doc: DocumentType, nrows: int, placed: list[PlacedCell], ncols: int) -> Any:
    """The bordered table with merged cells written directly (gridSpan / vMerge), row by row.

    Building the merges up front is several times faster than python-docx's cell.merge() and gives
    the same XML Word writes: one w:tc per merged cell per row, continuation cells marked vMerge.
    """
    table = doc.add_table(rows=0, cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    by_row: list[list[tuple[int, PlacedCell, bool]]] = [[] for _ in range(nrows)]
    for pc in placed:
        for r in range(pc.row, pc.row + pc.rowspan):
            by_row[r].append((pc.col, pc, r == pc.row))
    for entries in by_row:
        tr = table._tbl.add_tr()
        for _col, pc, first in sorted(entries, key=lambda e: e[0]):
            tc = tr.add_tc()
            if pc.span > 1:
                tc.grid_span = pc.span
            if pc.rowspan > 1:
                tc.vMerge = "restart" if first else "continue"
    return table


def table_cells(table: Any, placed: list[PlacedCell]) -> list[tuple[PlacedCell, Any]]:
    """Each placed cell with the w:tc that starts it."""
    starts: dict[tuple[int, int], Any] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        g = 0
        for tc in tr.tc_lst:
            starts[(r, g)] = tc
            g += tc.grid_span
    return [(pc, starts[(pc.row, pc.col)]) for pc in placed]


def build_document(
    form: FormSpec, values: dict[str, Any], *, draft: bool = False, problems: list[Problem] | None = None
) -> DocumentType:
    """The whole Word document for a form: heading lines, the bordered table, and for a 草稿 its problems."""
    lay = form.layout
    doc = Document()
    _page(doc, lay.landscape)
    _style_defaults(doc, lay.body_font, lay.font_size)
    doc.core_properties.title = lay.title + ("（草稿）" if draft else "")
    doc.core_properties.author = "揭榜助手"
    if lay.attachment:
        _para(doc, lay.attachment, TITLE_FONT, 16)
    if draft:
        p = _para(
            doc, "草稿（尚有问题未解决，请勿直接报送）", TITLE_FONT, 14, True, WD_ALIGN_PARAGRAPH.CENTER
        )
        p.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    title = _para(doc, lay.title, TITLE_FONT, 18, False, WD_ALIGN_PARAGRAPH.CENTER)
    last = title
    if lay.subtitle:
        last = _para(doc, lay.subtitle, TITLE_FONT, 14, False, WD_ALIGN_PARAGRAPH.CENTER)
    last.paragraph_format.space_after = Pt(10)
    for line in lay.before:
        last = _para(doc, render_template(form, line, values).rstrip(), lay.body_font, 12)
        last.paragraph_format.space_after = Pt(6)

    nrows, placed = place(form, values)
    table = _grid_table(doc, nrows, placed, len(lay.widths))
    merged = [(pc, _Cell(tc, table)) for pc, tc in table_cells(table, placed)]
    for pc, cell in merged:
        _fill_cell(cell, cell_content(form, pc, values), pc.spec, lay.body_font, lay.font_size)
    _fix_layout(table, lay.widths)
    heights = _row_heights(form, values)
    for row, h in zip(table.rows, heights, strict=True):
        if h:
            row.height = Cm(h)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        # A row never breaks across pages, as on paper. cantSplit precedes trHeight in CT_TrPr.
        row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))

    for line in lay.after:
        _para(doc, render_template(form, line, values), lay.body_font, 12)
    if draft:
        _problem_list(doc, problems or [], lay.body_font)
    return doc


def _row_heights(form: FormSpec, values: dict[str, Any]) -> list[float | None]:
    from knowledge.formspec import repeat_count

    out: list[float | None] = []
    for row in form.layout.rows:
        n = repeat_count(form, row, values) if row.repeat else 1
        out.extend([row.height] * n)
    return out


def _problem_list(doc: DocumentType, problems: list[Problem], font: str) -> None:
    doc.add_paragraph()
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    _para(doc, f"草稿待解决的问题（{len(errors)}项错误，{len(warnings)}项提示）：", TITLE_FONT, 12)
    for i, p in enumerate(errors + warnings, 1):
        tag = "" if p.severity == "error" else "【提示】"
        _para(doc, f"{i}. {tag}{p.message}", font, 10.5)


def write_docx(
    form: FormSpec,
    values: dict[str, Any],
    path: Path,
    *,
    draft: bool = False,
    problems: list[Problem] | None = None,
) -> Path:
    """Write the document to `path` atomically (temp file + replace), so a crash never leaves half a file."""
    import os
    import tempfile

    doc = build_document(form, values, draft=draft, problems=problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".docx")
    os.close(fd)
    try:
        doc.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
