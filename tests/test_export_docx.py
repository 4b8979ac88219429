"""Word export: reopen every exported example and check each answer sits in the right cell of the table."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from exporters import export_form, safe_filename
from exporters.docx_export import cell_content, tick
from knowledge.formspec import CHOICE_TYPES, FieldType, FormSpec, form_ids, load_form, ordered_rows, place
from tests.test_forms_spec import example_values
from validators.fields import choice_base, format_date
from validators.normalize import format_number

FORM_ORDER = tuple(form_ids())


def export(form_id: str, tmp_path: Path, values: dict[str, Any] | None = None, draft: bool = False) -> Any:
    form = load_form(form_id)
    result = export_form(
        form,
        example_values(form_id) if values is None else values,
        out_dir=tmp_path,
        draft=draft,
        now=datetime(2024, 5, 6, 7, 8, 9),
    )
    return result


def needles(form: FormSpec, field_id: str, value: Any) -> list[str]:
    """What must appear in the field's cell, computed without the exporter."""
    f = form.field(field_id)
    if f.type in CHOICE_TYPES:
        chosen = value if isinstance(value, list) else [value]
        out = []
        for c in chosen:
            base = choice_base(c)
            extra = c[len(base) + 1 :] if c.startswith(base + "：") else ""
            out.append(base)
            if extra:
                out.append(extra)
        return out
    if f.type == FieldType.AMOUNT_WAN or f.type == FieldType.PERCENT or f.type == FieldType.INTEGER:
        return [format_number(value)]
    if f.type == FieldType.DATE:
        return [format_date(value)]
    if f.type == FieldType.ROWS:
        out = []
        for row in value:
            for c in f.columns:
                if c.id in row and c.id != f.key_column:
                    out.extend(needles_col(c, row[c.id]))
        return out
    return [line for line in str(value).split("\n") if line.strip()]


def needles_col(c: Any, value: Any) -> list[str]:
    if isinstance(value, list):
        return [choice_base(v) for v in value]
    if isinstance(value, float | int):
        return [format_number(value)]
    return [str(value)]


def cells_of(form: FormSpec, values: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """Grid positions of the cells that show each field, from the layout spec."""
    _, placed = place(form, values)
    out: dict[str, list[tuple[int, int]]] = {}
    for pc in placed:
        spec = pc.spec
        ids: list[str] = []
        if spec.field:
            ids = [spec.field]
        elif spec.template:
            from knowledge.formspec import PLACEHOLDER

            ids = [m.group(2) for m in PLACEHOLDER.finditer(spec.template)]
        elif spec.col and pc.repeat:
            ids = [pc.repeat]
        for fid in ids:
            out.setdefault(fid, []).append((pc.row, pc.col))
    return out


def ticked(text: str, option: str) -> bool:
    """A chosen option is printed with a filled box (☑ for □, ● for ○), maybe one space before it."""
    return any(f"{box}{sp}{option}" in text for box in "☑●" for sp in ("", " "))


@pytest.mark.parametrize("form_id", FORM_ORDER)
def test_every_answer_is_in_its_cell(form_id: str, tmp_path: Path) -> None:
    form = load_form(form_id)
    values = example_values(form_id)
    result = export(form_id, tmp_path)
    assert result.ok and result.path and Path(result.path).exists()
    doc = Document(result.path)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    positions = cells_of(form, values)
    heading = "\n".join(p.text for p in doc.paragraphs)
    for fid, value in values.items():
        f = form.field(fid)
        if not f.printed:
            continue
        if fid not in positions:  # printed above the table, e.g. 主管部门（单位公章）：…
            assert all(n in heading for n in needles(form, fid, value)), fid
            continue
        texts = [table.cell(r, c).text for r, c in positions[fid]]
        joined = "\n".join(texts)
        for needle in needles(form, fid, value):
            assert needle in joined, (fid, needle, texts)
        if f.type in CHOICE_TYPES:
            for chosen in value if isinstance(value, list) else [value]:
                assert ticked(joined, choice_base(chosen)), (fid, chosen)
    # every placed cell shows exactly what the layout says, at its grid position
    _, placed = place(form, values)
    for pc in placed:
        expected = cell_content(form, pc, values)
        got = table.cell(pc.row, pc.col).text
        for line in expected.text.split("\n"):
            assert line.strip() in got, (pc.row, pc.col, line)


def test_quanzhou_cells_by_coordinate(tmp_path: Path) -> None:
    """Hand-checked positions against the printed 附件1 table."""
    table = Document(export("quanzhou", tmp_path).path).tables[0]
    assert table.cell(0, 0).text == "所属行业领域"
    assert "纺织鞋服（细分领域：功能性运动面料）" in table.cell(0, 1).text
    assert table.cell(1, 1).text == "高强度可降解运动鞋底材料制备技术"
    assert table.cell(2, 1).text == table.cell(3, 1).text == "泉州鸿运鞋业科技有限公司"  # merged 2 rows
    assert table.cell(2, 4).text == "单位性质"
    nature = table.cell(3, 4).text
    assert nature == "□龙头企业 ☑骨干企业（☑高新技术企业、□科技小巨人企业、☑专精特新企业）"
    assert table.cell(4, 2).text == "陈志明" and table.cell(4, 4).text == "研发中心主任"
    assert table.cell(4, 5).text == "手机：13905951234" and table.cell(5, 5).text == "电话：0595-22579329"
    assert table.cell(6, 0).text == table.cell(8, 0).text == "有共同技术需求的同行单位"
    assert table.cell(7, 1).text == "1" and table.cell(7, 2).text == "晋江市恒达体育用品有限公司"
    assert table.cell(8, 4).text.startswith("□龙头企业 ☑骨干企业（□高新技术企业、☑科技小巨人企业")
    funding = table.cell(12, 1).text
    assert "研发总预算 1200 万元" in funding and "财政资金 300 万元（不超过300万元）" in funding
    assert "技术攻关单位自筹资金 200 万元" in funding
    assert table.cell(11, 1).text.endswith("2026年6月前完成")
    seal = table.cell(13, 1).text
    assert "不少于 700 万元" in seal and "企业名称（盖章）：" in seal and seal.rstrip().endswith("日期：")


def test_liaoning_finance_table_and_circles(tmp_path: Path) -> None:
    table = Document(export("liaoning", tmp_path).path).tables[0]
    header = [table.cell(13, c).text for c in range(8)]
    assert header == [
        "财务状况\n(万元)",
        "年份",
        "产值",
        "销售收入",
        "上缴税收",
        "净利润",
        "研发费用",
        "资产负债率\n(%)",  # the unit on its own line, as 财务状况\n(万元) beside it
    ]
    assert [table.cell(r, 1).text for r in (14, 15, 16)] == ["2019", "2020", "2021"]
    assert [table.cell(16, c).text for c in range(2, 8)] == ["52300", "50100", "2700", "4100", "3300", "46.8"]
    assert table.cell(15, 5).text == "-150"
    nature = table.cell(6, 1).text
    assert "●私营控股" in nature and "○国有控股" in nature
    assert "●是，名称 辽宁省机器人产学研联盟" in table.cell(17, 4).text
    assert "●否" in table.cell(19, 4).text
    assert table.cell(21, 1).text.startswith("●重大需求（企业拟投入金额1000万元（含）以上）")
    assert table.cell(22, 1).text == "高精度RV减速器长寿命关键技术"


def test_summary_rows_and_landscape(tmp_path: Path) -> None:
    doc = Document(export("quanzhou-summary", tmp_path).path)
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width > section.page_height
    assert any("主管部门（单位公章）：晋江市科学技术局" in p.text for p in doc.paragraphs)
    table = doc.tables[0]
    assert [table.cell(1, c).text for c in (0, 3, 5, 6)] == ["1", "泉州鸿运鞋业科技有限公司", "1200", "700"]
    assert table.cell(2, 6).text == ""  # 出资承诺 left blank when not given


def test_jingdezhen_summary_keeps_printed_rows(tmp_path: Path) -> None:
    table = Document(export("jingdezhen-summary", tmp_path).path).tables[0]
    assert len(table.rows) == 6  # header + the 5 printed rows
    assert table.cell(5, 0).text == "5" and table.cell(5, 3).text == ""


def _east_asia(run: Any) -> str | None:
    rfonts = run._element.rPr.find(qn("w:rFonts"))
    return None if rfonts is None else rfonts.get(qn("w:eastAsia"))


@pytest.mark.parametrize("form_id", ["quanzhou", "longquan", "liaoning"])
def test_a4_fonts_widths_and_unbreakable_rows(form_id: str, tmp_path: Path) -> None:
    form = load_form(form_id)
    doc = Document(export(form_id, tmp_path).path)
    section = doc.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert abs(width - Cm(21)) < Cm(0.05) and abs(height - Cm(29.7)) < Cm(0.05)
    title = next(p for p in doc.paragraphs if p.text == form.layout.title)
    assert all(_east_asia(r) == "黑体" for r in title.runs)
    if form.layout.attachment:
        assert (
            doc.paragraphs[0].text == form.layout.attachment
            and _east_asia(doc.paragraphs[0].runs[0]) == "黑体"
        )
    table = doc.tables[0]
    for tr in table._tbl.tr_lst:
        assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None
        for tc in tr.tc_lst:
            assert tc.tcPr is not None
            tcw = tc.tcPr.find(qn("w:tcW"))
            assert tcw is not None and int(tcw.get(qn("w:w"))) > 0
    runs = [r for row in table.rows for cell in row.cells for p in cell.paragraphs for r in p.runs]
    assert runs and all(_east_asia(r) == form.layout.body_font for r in runs)
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    style = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert style.get(qn("w:eastAsia")) == form.layout.body_font


def test_seal_and_date_left_blank(tmp_path: Path) -> None:
    table = Document(export("longquan", tmp_path).path).tables[0]
    last = table.rows[-1].cells[-1].text
    assert "盖 章" in last and "年   月   日" in last
    assert table.cell(0, 4).text == "龙泉市"


def test_draft_export_is_labelled_and_lists_problems(tmp_path: Path) -> None:
    values = dict(example_values("quanzhou"))
    values["fiscal_funds"] = 350.0
    del values["title"]
    refused = export("quanzhou", tmp_path, values)
    assert not refused.ok and refused.path is None and "导出草稿" in refused.message
    assert {p.code for p in refused.errors} >= {"above_cap", "required", "sum_mismatch"}
    result = export("quanzhou", tmp_path, values, draft=True)
    assert result.ok and result.draft and result.path and "草稿" in Path(result.path).name
    doc = Document(result.path)
    texts = [p.text for p in doc.paragraphs]
    assert any("草稿" in t and "请勿直接报送" in t for t in texts)
    assert any("财政资金不超过300万元（泉州通知附件1），您填写了350万元" in t for t in texts)
    assert any("需求（难题）题目" in t and "必填" in t for t in texts)


def test_empty_draft_is_refused_even_as_draft(tmp_path: Path) -> None:
    for draft in (False, True):
        result = export("quanzhou", tmp_path, {}, draft=draft)
        assert not result.ok and result.path is None and "还没有填写任何内容" in result.message
    assert not list(tmp_path.iterdir())


def test_json_export_alongside(tmp_path: Path) -> None:
    result = export("xiangtan", tmp_path)
    assert result.json_path and Path(result.json_path).exists()
    data = json.loads(Path(result.json_path).read_text(encoding="utf-8"))
    assert data["form"] == "xiangtan" and data["draft"] is False
    assert data["answers"]["special_funds"] == 50 and data["readable"]["申请专项"] == "50万元"
    assert Path(result.path).name == "xiangtan-20240506-070809.docx"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp")]


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "a/b\\c", "x\x00y\x1f.docx", "..", "   ", "报\u202e告.docx", "名" * 300]
)
def test_safe_filenames(name: str) -> None:
    safe = safe_filename(name)
    assert safe and "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert all(ord(ch) >= 32 and ch != "\u202e" for ch in safe) and len(safe) <= 120


def test_out_file_name_is_sanitised(tmp_path: Path) -> None:
    form = load_form("longquan-association")
    result = export_form(
        form, example_values(form.id), out_dir=tmp_path, out_path=tmp_path / "\x00..报告\x1f:1"
    )
    assert result.ok and result.path is not None
    path = Path(result.path)
    assert path.parent == tmp_path and path.name == "报告_1.docx" and path.exists()


def test_tick_fills_blanks_after_free_text_options() -> None:
    assert tick("○国有控股  ○其他：            ", ["其他：混合所有制"]) == "○国有控股  ●其他：混合所有制  "
    assert tick("□A □B", []) == "□A □B"
    assert tick("□ 公益性项目     □ 其他", ["其他：市校合作"]) == "□ 公益性项目     ☑ 其他：市校合作"
    assert ordered_rows(load_form("liaoning").field("finance"), [])[0] == {"year": "2019"}


def test_east_asian_language_is_chinese(tmp_path: Path) -> None:
    """Without zh-CN, LibreOffice picks a Japanese CJK font for the Chinese text."""
    doc = Document(export("jingdezhen", tmp_path).path)
    langs = doc.styles.element.findall(".//" + qn("w:lang"))
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert defaults is not None and defaults.get(qn("w:eastAsia")) == "zh-CN"
    assert langs and all(lang.get(qn("w:eastAsia")) in (None, "zh-CN") for lang in langs)
    assert "en-US" not in {lang.get(qn("w:eastAsia")) for lang in doc.element.iter(qn("w:lang"))}


SHORT_LABEL_EM = 6  # labels up to six characters wide (姓名, 职务, 重大技术需求) must not wrap


def _em(text: str) -> float:
    """Width in ems: CJK and full-width characters 1, everything else (Latin, digits, spaces) at most ½."""
    import unicodedata

    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


@pytest.mark.parametrize("form_id", FORM_ORDER)
def test_short_labels_fit_their_cells_on_one_line(form_id: str, tmp_path: Path) -> None:
    """Each printed line of a short label, at its font size, fits the cell width minus the cell margins
    (as written in the docx XML), with 1 mm to spare, so Word and LibreOffice never break it mid-word."""
    form = load_form(form_id)
    values = example_values(form_id)
    table = Document(export(form_id, tmp_path, values).path).tables[0]
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None
    side = sum(int(margins.find(qn(f"w:{s}")).get(qn("w:w"))) for s in ("left", "right"))
    _, placed = place(form, values)
    starts = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        g = 0
        for tc in tr.tc_lst:
            starts[(r, g)] = tc
            g += tc.grid_span
    too_narrow = []
    for pc in placed:
        if pc.spec.text is None:
            continue
        tc = starts[(pc.row, pc.col)]
        inner_cm = (int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) - side) / 567
        for p in tc.findall(qn("w:p")):
            for run in p.findall(qn("w:r")):
                line = "".join(t.text or "" for t in run.findall(qn("w:t")))
                size_pt = int(run.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val"))) / 2
                need_cm = _em(line) * size_pt * 2.54 / 72
                if _em(line) <= SHORT_LABEL_EM and need_cm + 0.1 > inner_cm:
                    too_narrow.append((line, round(need_cm, 2), round(inner_cm, 2)))
    assert not too_narrow, too_narrow
