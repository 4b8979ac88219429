"""The `jiebang forms` / `jiebang draft` contract: output shapes, exit codes, Chinese usage errors, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from bot.cli import main
from knowledge.formspec import form_ids
from tests.test_forms_spec import DATA, example_raw

FORM_ORDER = tuple(form_ids())


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, data: Any, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_forms_lists_all(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["forms", "--json"], capsys)
    assert code == 0
    assert [f["id"] for f in json.loads(out)] == list(FORM_ORDER)
    code, out, _ = run(["forms"], capsys)
    assert code == 0 and "quanzhou" in out and "jingdezhen-summary" in out


def test_forms_show_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["forms", "show", "liaoning", "--json"], capsys)
    rows = json.loads(out)
    assert code == 0
    assert {"id", "label", "section", "type", "required", "max_chars", "options"} <= set(rows[0])
    description = next(r for r in rows if r["id"] == "description")
    assert description["max_chars"] == 1000 and description["type"] == "long_text" and description["required"]
    category = next(r for r in rows if r["id"] == "category")
    assert category["options"][0] == "重大需求（企业拟投入金额1000万元（含）以上）"
    code, out, _ = run(["forms", "show", "quanzhou"], capsys)
    assert code == 0 and "fiscal_funds" in out and "限500字" in out


def test_unknown_form_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["forms", "show", "nowhere"], ["draft", "nowhere", "--answers", "x.json"]):
        code, _, err = run(argv, capsys)
        assert code == 2 and "没有编号为“nowhere”的需求表" in err and "Traceback" not in err


@pytest.mark.parametrize("form_id", FORM_ORDER)
def test_draft_from_answers_writes_the_docx(
    form_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / f"{form_id}.docx"
    code, out, _ = run(
        ["draft", form_id, "--answers", str(DATA / f"{form_id}.json"), "--out", str(out_path), "--json"],
        capsys,
    )
    data = json.loads(out)
    assert code == 0, data
    assert data == {"ok": True, "errors": [], "warnings": [], "path": str(out_path)}
    assert Document(str(out_path)).tables


def test_labels_and_section_labels_as_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = example_raw("xiangtan")  # written with printed labels and 联系人·姓名 style keys
    assert "联系人·姓名" in raw and "org_name" not in raw
    code, out, _ = run(["draft", "xiangtan", "--answers", write(tmp_path, raw), "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["ok"] and Path(data["path"]).exists()


def test_errors_exit_1_without_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = dict(example_raw("quanzhou"), fiscal_funds="350万", nonsense="x")
    code, out, _ = run(["draft", "quanzhou", "--answers", write(tmp_path, raw), "--json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["path"] is None
    codes = {(e["field"], e["code"]) for e in data["errors"]}
    assert ("fiscal_funds", "above_cap") in codes and ("nonsense", "unknown_field") in codes
    assert all(set(e) == {"field", "code", "message"} for e in data["errors"] + data["warnings"])
    assert not list(tmp_path.glob("*.docx"))


def test_draft_flag_writes_a_labelled_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = dict(example_raw("quanzhou"), fiscal_funds="350万")
    out_path = tmp_path / "q.docx"
    code, out, _ = run(
        ["draft", "quanzhou", "--answers", write(tmp_path, raw), "--draft", "--json", "--out", str(out_path)],
        capsys,
    )
    data = json.loads(out)
    assert code == 1 and not data["ok"] and data["path"] == str(out_path) and out_path.exists()
    assert any("草稿" in p.text for p in Document(str(out_path)).paragraphs)


def test_human_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["draft", "quanzhou", "--answers", write(tmp_path, {"财政资金": "350"})], capsys)
    assert code == 1 and "财政资金不超过300万元" in out and "未生成文件" in out and "--draft" in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "不是有效的 JSON"),
        ("[1, 2]", "应是一个 JSON 对象"),
        (b"\xff\xfe\x00bad", "UTF-8"),
    ],
)
def test_bad_answers_file_is_a_usage_error(
    content: str | bytes, needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(["draft", "quanzhou", "--answers", str(path)], capsys)
    assert code == 2 and needle in err and "Traceback" not in err + out


def test_missing_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["draft", "quanzhou", "--answers", str(tmp_path / "none.json")], capsys)
    assert code == 2 and "找不到答案文件" in err


def test_empty_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["draft", "quanzhou", "--answers", write(tmp_path, {}), "--draft", "--json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["path"] is None and any(e["code"] == "required" for e in data["errors"])


def test_out_options_need_answers(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["draft", "quanzhou", "--json"], capsys)
    assert code == 2 and "--answers" in err


def test_summary_from_exported_drafts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "a.docx"
    code, _, _ = run(
        ["draft", "quanzhou", "--answers", str(DATA / "quanzhou.json"), "--out", str(first)], capsys
    )
    assert code == 0
    answers = write(tmp_path, {"主管部门": "晋江市科学技术局"}, "summary.json")
    out_path = tmp_path / "summary.docx"
    code, out, _ = run(
        [
            "draft",
            "quanzhou-summary",
            "--answers",
            answers,
            "--from",
            str(first.with_suffix(".json")),
            "--json",
            "--out",
            str(out_path),
        ],
        capsys,
    )
    data = json.loads(out)
    # 所属地 is not on the company form: the bureau must add it, so the summary is not complete yet
    assert (
        code == 1
        and [e["code"] for e in data["errors"]] == ["required"]
        and "所属地" in data["errors"][0]["message"]
    )
    code, out, _ = run(
        [
            "draft",
            "quanzhou-summary",
            "--answers",
            answers,
            "--from",
            str(first.with_suffix(".json")),
            "--draft",
            "--json",
            "--out",
            str(out_path),
        ],
        capsys,
    )
    table = Document(str(out_path)).tables[0]
    assert table.cell(1, 1).text == "高强度可降解运动鞋底材料制备技术"
    assert table.cell(1, 4).text == "晋江市恒达体育用品有限公司、石狮市新材料科技有限公司"
    assert table.cell(1, 5).text == "1200"


def test_from_needs_a_summary_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["draft", "quanzhou", "--answers", write(tmp_path, {}), "--from", "x.json"], capsys)
    assert code == 2 and "汇总表" in err


def test_option_blank_left_empty_is_an_error_that_says_how_to_fill_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = example_raw("liaoning")
    data["alliance"], data["economic_nature"] = "是", "其他"
    code, out, _ = run(["draft", "liaoning", "--answers", write(tmp_path, data), "--json"], capsys)
    result = json.loads(out)
    assert code == 1 and result["path"] is None
    blanks = {e["field"]: e["message"] for e in result["errors"] if e["code"] == "blank_missing"}
    assert set(blanks) == {"alliance", "economic_nature"}
    assert "联盟名称" in blanks["alliance"] and "“是：" in blanks["alliance"]
    assert "“其他：" in blanks["economic_nature"]
    # filled the documented way, the name is printed in place of the blank
    data["alliance"], data["economic_nature"] = "是：辽宁省智能装备产学研联盟", "其他：混合所有制"
    out_path = tmp_path / "filled.docx"
    code, out, _ = run(
        ["draft", "liaoning", "--answers", write(tmp_path, data), "--out", str(out_path), "--json"], capsys
    )
    assert code == 0, out
    text = "\n".join(c.text for row in Document(str(out_path)).tables[0].rows for c in row.cells)
    assert "●是，名称 辽宁省智能装备产学研联盟" in text and "●其他：混合所有制" in text


def test_forms_show_says_how_a_printed_blank_is_filled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["forms", "show", "liaoning", "--json"], capsys)
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    [blank] = rows["alliance"]["blanks"]
    assert blank["option"] == "是" and blank["printed"] == "是，名称____" and blank["label"] == "联盟名称"
    assert blank["answer"].startswith("是：")
    assert rows["economic_nature"]["blanks"][0]["answer"].startswith("其他：")
    assert rows["category"]["blanks"] == []
    code, out, _ = run(["forms", "show", "liaoning"], capsys)
    line = next(ln for ln in out.splitlines() if " alliance " in ln)
    assert "是，名称____" in line and "“是：" in line


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"a":' * 100_000 + "1" + "}" * 100_000,
    ],
)
def test_deeply_nested_answers_file_is_a_usage_error(
    content: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(["draft", "quanzhou", "--answers", str(path)], capsys)
    assert code == 2 and "嵌套" in err and "Traceback" not in err + out
    code, out, err = run(
        ["draft", "quanzhou-summary", "--answers", write(tmp_path, {}), "--from", str(path)], capsys
    )
    assert code == 2 and "嵌套" in err and "Traceback" not in err + out
