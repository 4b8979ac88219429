"""Drafting that loses nothing (issue 12, items 7, 8, 10): what people really type is read as they mean it.

Yuan amounts (￥/¥/RMB/元) are converted to 万元, an amount implausible for its field is an error,
大写 amounts, Chinese-numeral dates, hyphenated extensions and 无 for an optional answer are accepted,
and a percentage written as 0.8 is asked back instead of silently becoming 0.8 %.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from bot.cli import main
from bot.drafts import DraftStore
from bot.interview import DraftSession
from knowledge.formspec import FieldSpec, FieldType, load_form
from knowledge.numbers import cn_number, parse_numeral
from tests.test_forms_spec import example_raw
from validators import check_values, validate_answers, validate_field
from validators.formats import check_landline, check_phone


def check(form_id: str, field_id: str, raw: Any) -> Any:
    form = load_form(form_id)
    return validate_field(form, form.field(field_id), raw)


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(argv)
    out, _ = capsys.readouterr()
    return code, json.loads(out)


def write(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def all_text(path: str) -> str:
    doc = Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# --- item 7: ¥ / 元 / RMB mean yuan; implausible amounts are errors ------------------------------------


@pytest.mark.parametrize(
    ("raw", "wan"),
    [
        ("￥3,000,000.00", 300),
        ("¥3000000", 300),
        ("￥３，０００，０００", 300),
        ("RMB 3,000,000", 300),
        ("rmb3000000.00", 300),
        ("CNY 3,000,000", 300),
        ("人民币3000000", 300),
        ("人民币 3,000,000.00 元", 300),
        ("人民币：3000000元", 300),
        ("3,000,000.00元", 300),
        ("3000000元人民币", 300),
        ("3000000 元整", 300),
        ("300万元人民币", 300),
        ("300万人民币", 300),
        ("RMB 300万", 300),
        ("￥300万", 300),
        ("¥300万元", 300),
        ("3百万", 300),
        ("3百万元", 300),
        ("1.2亿", 12000),
        ("１．２亿元", 12000),
        ("50000块", 5),
        ("3万块钱", 3),
        ("两万五", 2.5),
        ("两万五千元", 2.5),
        ("1万5", 1.5),
    ],
)
def test_yuan_amounts_are_converted_to_wan(raw: str, wan: float) -> None:
    res = check("quanzhou", "rd_total", raw)
    assert res.ok, res.errors
    assert res.value == pytest.approx(wan)
    assert not [w for w in res.warnings if w.code == "amount_large"]


def test_a_small_yuan_amount_is_kept_but_pointed_out() -> None:
    res = check("quanzhou", "rd_total", "￥300")
    assert res.ok and res.value == pytest.approx(0.03)
    assert res.warnings[0].code == "amount_small" and "300万" in res.warnings[0].message


@pytest.mark.parametrize("raw", ["3000000", "3,000,000.00", "300亿", "1000001"])
def test_an_amount_implausible_for_a_demand_is_an_error(raw: str) -> None:
    res = check("quanzhou", "rd_total", raw)
    assert not res.ok and res.errors[0].code == "amount_implausible"
    message = res.errors[0].message
    assert "研发总预算" in message and "100亿元" in message and "万元" in message


def test_implausible_message_says_how_to_write_yuan() -> None:
    message = check("jingdezhen", "project_budget", "3000000").errors[0].message
    assert "“300”" in message and "“3000000元”" in message


def test_a_demand_of_exactly_100_yi_is_still_accepted_with_a_warning() -> None:
    res = check("quanzhou", "rd_total", "100亿")
    assert res.ok and res.value == 1_000_000 and res.warnings[0].code == "amount_large"


def test_company_figures_may_be_large() -> None:
    """A large company's sales are not a demand: 300亿 is only worth a second look."""
    res = check("xiangtan", "sales_total", "3000000")
    assert res.ok and res.warnings[0].code == "amount_large"


def test_implausible_amount_in_a_summary_row() -> None:
    res = check(
        "quanzhou-summary",
        "items",
        [{"title": "甲", "industry": "纺织", "lead_org": "乙公司", "budget": "3000000", "locality": "丙"}],
    )
    assert res.errors and res.errors[0].code == "amount_implausible" and "第1行" in res.errors[0].message


def test_cli_yuan_amount_is_exported_as_wan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = dict(example_raw("jingdezhen"), project_budget="￥3,000,000.00", solver_funds="RMB 2,000,000")
    out = tmp_path / "j.docx"
    code, data = run_cli(
        ["draft", "jingdezhen", "--answers", write(tmp_path, raw), "--out", str(out), "--json"], capsys
    )
    assert code == 0 and data["ok"] and data["warnings"] == [], data
    text = all_text(str(out))
    assert "300" in text and "3000000" not in text


def test_cli_refuses_an_implausible_amount(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = dict(example_raw("jingdezhen"), project_budget="3000000")
    out = tmp_path / "j.docx"
    code, data = run_cli(
        ["draft", "jingdezhen", "--answers", write(tmp_path, raw), "--out", str(out), "--json"], capsys
    )
    assert code == 1 and not data["ok"] and data["path"] is None
    assert ("project_budget", "amount_implausible") in {(e["field"], e["code"]) for e in data["errors"]}
    assert not out.exists()


def test_stored_implausible_amount_is_caught_before_export() -> None:
    form = load_form("jingdezhen")
    report = check_values(form, {"project_budget": 3_000_000.0})
    assert [p.code for p in report.errors if p.field == "project_budget"] == ["amount_implausible"]


# --- item 8: 大写, Chinese-numeral dates, extensions, 无 ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "wan"),
    [
        ("叁佰万元", 300),
        ("壹仟贰佰万", 1200),
        ("壹佰万元整", 100),
        ("人民币叁佰万元整", 300),
        ("人民币壹佰万圆整", 100),
        ("叁佰伍拾万元", 350),
        ("壹亿贰仟万元", 12000),
        ("贰拾万元", 20),
        ("伍万元", 5),
        ("壹仟贰佰", 1200),
        ("一千二百萬", 1200),
    ],
)
def test_daxie_amounts(raw: str, wan: float) -> None:
    res = check("quanzhou", "rd_total", raw)
    assert res.ok, res.errors
    assert res.value == pytest.approx(wan)


def test_colloquial_numerals_are_read_the_same_in_answers_and_forms() -> None:
    """One parser: 两万五 is 25000 both for the question-answering engine and for the form."""
    assert cn_number("两万五") == 25000 and parse_numeral("两万五") == 25000
    assert cn_number("叁佰伍拾") == 350 and cn_number("三百五") == 350
    assert cn_number("二〇二五") == 2025 and cn_number("一千零五") == 1005
    assert parse_numeral("1亿2000万") == 120_000_000 and parse_numeral("一点五亿") == 150_000_000
    assert parse_numeral("12.5") == pytest.approx(12.5) and parse_numeral("百分之五") is None


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("二〇二五年十二月", "2025-12"),
        ("二〇二五年12月", "2025-12"),
        ("2025年十二月", "2025-12"),
        ("二零二六年六月底", "2026-06"),
        ("二〇二六年六月前完成", "2026-06"),
        ("贰零贰陆年陆月", "2026-06"),
        ("２０２６年元月", "2026-01"),
    ],
)
def test_dates_in_chinese_numerals(raw: str, value: str) -> None:
    res = check("quanzhou", "deadline", raw)
    assert res.ok, res.errors
    assert res.value == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2025年十二月三十一日", "2025-12-31"),
        ("二〇二五年十二月三十一日", "2025-12-31"),
        ("二〇二五年12月31号", "2025-12-31"),
        ("2026年二月二十八日", "2026-02-28"),
    ],
)
def test_day_dates_in_chinese_numerals(raw: str, value: str) -> None:
    f = FieldSpec(id="d", label="日期", type=FieldType.DATE, quote="x")
    assert validate_field(None, f, raw).value == value


def test_chinese_numeral_date_that_does_not_exist_is_still_refused() -> None:
    f = FieldSpec(id="d", label="日期", type=FieldType.DATE, quote="x")
    assert validate_field(None, f, "二〇二六年二月三十日").errors[0].code == "date_invalid"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0731-58226688-801", "0731-58226688转801"),
        ("0731－58226688－801", "0731-58226688转801"),
        ("0731-58226688 -801", "0731-58226688转801"),
        ("(0731)58226688-801", "0731-58226688转801"),
        ("0731-58226688转801", "0731-58226688转801"),
        ("0731-58226688 转 801", "0731-58226688转801"),
        ("0731-58226688分机801", "0731-58226688转801"),
        ("0731-58226688（分机801）", "0731-58226688转801"),
        ("0731-58226688 ext.801", "0731-58226688转801"),
        ("010-12345678-8001", "010-12345678转8001"),
        ("0595-2257-9329", "0595-22579329"),
        ("0595-22579329", "0595-22579329"),
    ],
)
def test_landline_extension_after_a_hyphen(raw: str, value: str) -> None:
    assert check_landline(raw).value == value
    assert check_phone(raw).value == value


def test_landline_extension_through_the_form() -> None:
    assert check("quanzhou", "contact_phone", "0731-58226688-801").value == "0731-58226688转801"
    assert check("xiangtan", "legal_rep_phone", "0731-58226688-801").value == "0731-58226688转801"


def test_refused_landline_says_which_forms_are_accepted() -> None:
    message = check_landline("12-34").message or ""
    assert "0595-22579329" in message and "转" in message


@pytest.mark.parametrize("raw", ["无", "没有", "暂无", "无。", "暂时没有", "不涉及", "/", "—"])
def test_none_for_an_optional_amount_leaves_it_empty(raw: str) -> None:
    res = check("quanzhou", "commitment", raw)
    assert res.ok and res.empty and res.declined and res.value is None


def test_zero_for_an_optional_amount_is_kept() -> None:
    res = check("quanzhou", "commitment", "0")
    assert res.ok and res.value == 0 and not res.empty


def test_none_for_a_required_amount_is_zero_and_said() -> None:
    res = check("xiangtan", "special_funds", "没有")
    assert res.ok and res.value == 0
    assert res.warnings[0].code == "none_as_zero" and "0万元" in res.warnings[0].message


def test_none_for_a_required_date_says_what_to_write() -> None:
    res = check("quanzhou", "deadline", "无")
    assert res.errors[0].code == "required_value" and "2026年6月" in res.errors[0].message


def test_none_in_an_optional_row_cell() -> None:
    res = check(
        "quanzhou-summary",
        "items",
        [
            {
                "title": "甲",
                "industry": "纺织",
                "lead_org": "乙公司",
                "budget": "300",
                "commitment": "无",
                "locality": "丙",
            }
        ],
    )
    assert res.ok and "commitment" not in res.value[0]


def test_cli_accepts_none_for_an_optional_amount(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = dict(example_raw("quanzhou"), commitment="无")
    out = tmp_path / "q.docx"
    code, data = run_cli(
        ["draft", "quanzhou", "--answers", write(tmp_path, raw), "--out", str(out), "--json"], capsys
    )
    assert code == 0 and data["ok"], data
    assert out.exists()


def test_interview_takes_none_for_an_optional_amount_as_skip(tmp_path: Path) -> None:
    session = DraftSession(DraftStore(tmp_path / "drafts"), "u1")
    session.start("quanzhou")
    session.handle("修改 出资承诺")
    session.handle("700")
    assert session.values["commitment"] == 700
    session.handle("修改 出资承诺")
    reply = session.handle("没有")
    assert not [p for p in reply.problems if p.severity == "error"], reply.text
    assert "没有收到内容" not in reply.text and "出资承诺" in reply.text
    assert "commitment" not in session.values


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("很多", "叁佰万元"),
        ("约三百万", "300万"),
    ],
)
def test_refused_amount_says_which_forms_are_accepted(raw: str, needle: str) -> None:
    res = check("quanzhou", "rd_total", raw)
    assert res.errors[0].code == "not_a_number" and needle in res.errors[0].message


# --- item 10: 0.8 for a percentage is asked back --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"), [("0.8", "80%"), (0.8, "80%"), ("0.468", "46.8%"), ("０．５", "50%")]
)
def test_a_fraction_for_a_percentage_is_asked_back(raw: Any, shown: str) -> None:
    res = check("xiangtan", "rd_ratio", raw)
    assert not res.ok and res.errors[0].code == "percent_ambiguous"
    message = res.errors[0].message
    assert shown in message and "还是" in message and "研发经费占年销售收入比重" in message


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0.8%", 0.8), ("０.８％", 0.8), ("百分之零点八", 0.8), ("80", 80), ("80%", 80), ("0", 0), ("1", 1)],
)
def test_explicit_percentages_are_accepted(raw: str, value: float) -> None:
    res = check("xiangtan", "rd_ratio", raw)
    assert res.ok and res.value == pytest.approx(value)


def test_fraction_in_a_finance_row_is_asked_back() -> None:
    row = {
        "year": "2021",
        "output": 1,
        "sales": 1,
        "tax": 1,
        "net_profit": 1,
        "rd_expense": 1,
        "debt_ratio": "0.468",
    }
    res = check("liaoning", "finance", [row])
    assert res.errors[0].code == "percent_ambiguous" and "第1行" in res.errors[0].message


def test_a_stored_small_percentage_stays_valid() -> None:
    """0.8 % confirmed once (typed as 0.8%) is not questioned again when the draft is re-checked."""
    form = load_form("xiangtan")
    report = check_values(form, {"rd_ratio": 0.8})
    assert not [p for p in report.errors if p.field == "rd_ratio"]


def test_cli_names_the_fix_for_a_fraction(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = example_raw("xiangtan")
    key = next(k for k in raw if k in ("rd_ratio", "研发经费占年销售收入比重"))
    raw[key] = 0.8
    code, data = run_cli(["draft", "xiangtan", "--answers", write(tmp_path, raw), "--json"], capsys)
    assert code == 1 and data["path"] is None
    error = next(e for e in data["errors"] if e["field"] == "rd_ratio")
    assert error["code"] == "percent_ambiguous" and "80%" in error["message"] and "0.8%" in error["message"]


def test_interview_asks_a_fraction_back(tmp_path: Path) -> None:
    session = DraftSession(DraftStore(tmp_path / "drafts"), "u1")
    session.start("xiangtan")
    session.handle("修改 研发经费占年销售收入比重")
    reply = session.handle("0.8")
    assert reply.field_id == "rd_ratio" and "80%" in reply.text and "0.8%" in reply.text
    assert "rd_ratio" not in session.values
    reply = session.handle("80%")
    assert session.values["rd_ratio"] == 80
    session.handle("修改 研发经费占年销售收入比重")
    session.handle("0.8%")
    assert session.values["rd_ratio"] == pytest.approx(0.8)


def test_validate_answers_reports_the_fraction_once() -> None:
    report = validate_answers(load_form("xiangtan"), {"rd_ratio": "0.8"})
    assert [p.code for p in report.errors if p.field == "rd_ratio"] == ["percent_ambiguous"]


# --- nearby variants ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "wan"), [("300w", 300), ("300W元", 300), ("300万零5千", 300.5)])
def test_more_ways_to_write_an_amount(raw: str, wan: float) -> None:
    assert check("quanzhou", "rd_total", raw).value == pytest.approx(wan)


@pytest.mark.parametrize("raw", ["-￥300万", "￥-300万", "负300万", "-3,000,000元"])
def test_a_negative_yuan_amount_where_allowed(raw: str) -> None:
    finance = load_form("liaoning").field("finance")
    row = {
        "year": "2021",
        "output": 1,
        "sales": 1,
        "tax": 1,
        "net_profit": raw,
        "rd_expense": 1,
        "debt_ratio": 5,
    }
    res = validate_field(load_form("liaoning"), finance, [row])
    assert res.ok and res.value[0]["net_profit"] == -300


@pytest.mark.parametrize(
    ("raw", "code", "needle"),
    [
        ("300万美元", "foreign_currency", "人民币"),
        ("$3,000,000", "foreign_currency", "人民币"),
        ("一两千万", "not_a_number", "确切金额"),
        ("300多万", "not_a_number", "确切金额"),
        ("300-500万", "not_a_number", "确切金额"),
    ],
)
def test_amounts_that_cannot_be_taken_as_written(raw: str, code: str, needle: str) -> None:
    error = check("quanzhou", "rd_total", raw).errors[0]
    assert error.code == code and needle in error.message and "300万元" in error.message


def test_extension_without_area_code_asks_for_the_area_code() -> None:
    res = check_landline("58226688-801")
    assert res.code == "landline_area_code" and "58226688转801" in (res.message or "")
