"""Field validators: normalisation of what people type, formats, limits, and clear fix-it messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from knowledge.formspec import FieldSpec, FieldType, load_form
from knowledge.numbers import parse_numeral
from validators import validate_answers, validate_field
from validators.formats import (
    check_credit_code,
    check_email,
    check_landline,
    check_mobile,
    check_phone,
    credit_check_char,
)
from validators.normalize import clean_text, format_number, parse_amount_wan, to_halfwidth

QUANZHOU = load_form("quanzhou")
XIANGTAN = load_form("xiangtan")
LIAONING = load_form("liaoning")
JIANBING = load_form("longquan-jianbing")


def check(form_id: str, field_id: str, raw: Any) -> Any:
    form = load_form(form_id)
    return validate_field(form, form.field(field_id), raw)


# --- amounts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "wan"),
    [
        ("1200", 1200),
        ("1,200万", 1200),
        ("1，200万元", 1200),
        ("1 200万元", 1200),
        ("１２００", 1200),
        ("１，２００万", 1200),
        ("一千二百万", 1200),
        ("一千二百万元", 1200),
        ("1.2亿", 12000),
        ("1.2亿元", 12000),
        ("一点二亿", 12000),
        ("1亿2000万", 12000),
        ("两千万", 2000),
        ("3千万", 3000),
        ("3500000元", 350),
        ("12千元", 1.2),
        ("0.5", 0.5),
        ("￥300万", 300),
        ("300万元整", 300),
        (1200, 1200),
        (12.5, 12.5),
    ],
)
def test_amounts_normalise_to_wan(raw: Any, wan: float) -> None:
    res = check("quanzhou", "rd_total", raw)
    assert res.ok, res.errors
    assert res.value == pytest.approx(wan)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("很多", "not_a_number"),
        ("1.2.3", "not_a_number"),
        ("约1200万", "not_a_number"),
        ("-5", "amount_negative"),
        ("12.123456万", "amount_precision"),
        ("0.5元", "amount_precision"),
        ("99999999999", "amount_too_large"),
        (True, "wrong_type"),
        (float("nan"), "not_a_number"),
    ],
)
def test_bad_amounts_are_refused_with_a_fix(raw: Any, code: str) -> None:
    res = check("quanzhou", "rd_total", raw)
    assert not res.ok and res.errors[0].code == code
    assert "研发总预算" in res.errors[0].message or code == "wrong_type"


def test_amount_not_a_number_message_shows_examples() -> None:
    res = check("quanzhou", "rd_total", "很多")
    assert "1,200万" in res.errors[0].message and "很多" in res.errors[0].message


def test_large_amount_warns_about_the_unit() -> None:
    res = check("quanzhou", "rd_total", "350000")
    assert res.ok and res.warnings[0].code == "amount_large"
    assert "35亿元" in res.warnings[0].message


def test_net_profit_may_be_negative() -> None:
    finance = LIAONING.field("finance")
    row = {
        "year": "2021",
        "output": 1,
        "sales": "5000",
        "tax": 0,
        "net_profit": "-150",
        "rd_expense": 1,
        "debt_ratio": 50,
    }
    res = validate_field(LIAONING, finance, [row])
    assert res.ok and res.value[0]["net_profit"] == -150
    partial = validate_answers(LIAONING, {"finance": [{"year": "2021", "sales": "5000"}]})
    gap = next(p for p in partial.errors if p.field == "finance")
    assert gap.code == "required" and "第1行缺少“产值”" in gap.message


def test_chinese_numerals() -> None:
    assert parse_numeral("一千零五") == 1005
    assert parse_numeral("十五") == 15
    assert parse_numeral("二零二四") == 2024
    assert parse_numeral("一亿两千万") == 120_000_000
    assert parse_numeral("abc") is None
    assert parse_amount_wan("").error == "empty"
    assert format_number(Decimal("1200.000")) == "1200" and format_number(0.0001) == "0.0001"
    assert to_halfwidth("ＡＢ１２　") == "AB12 "


# --- codes and contacts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91110000600037341L", "91230184MA1BUFLT44", "92371000MA3MXH0E3W"])
def test_valid_credit_codes(code: str) -> None:
    assert check_credit_code(code).value == code
    assert credit_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("91110000600037341l", "91110000600037341L"),
        ("9111 0000 6000 3734 1L", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("91-110000-600037341-L", "91110000600037341L"),
    ],
)
def test_credit_codes_are_normalised(raw: str, value: str) -> None:
    assert check_credit_code(raw).value == value


def test_credit_code_letters_allowed_in_first_two_positions() -> None:
    """GB 32100-2015 allows letters in positions 1–2 (python-stdnum does not): compute a valid one."""
    first17 = "Y1110000600037341"
    code = first17 + credit_check_char(first17)
    assert check_credit_code(code).ok
    first17 = "NA110000600037341"
    assert check_credit_code(first17 + credit_check_char(first17)).ok


@pytest.mark.parametrize(
    ("raw", "code", "needle"),
    [
        ("91110000600037341X", "credit_code_checksum", "应为“L”"),
        ("9111000060003734", "credit_code_length", "您填写了16位"),
        ("91110000600037341O", "credit_code_chars", "“O”"),
        ("91AB0000600037341L", "credit_code_region", "行政区划码"),
    ],
)
def test_bad_credit_codes(raw: str, code: str, needle: str) -> None:
    res = check_credit_code(raw)
    assert res.code == code and needle in (res.message or "")


def test_credit_code_field_message_names_the_field() -> None:
    res = check("xiangtan", "credit_code", "91110000600037341X")
    assert res.errors[0].field == "credit_code" and "统一社会信用代码" in res.errors[0].message


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
    ],
)
def test_mobile(raw: str, value: str) -> None:
    assert check_mobile(raw).value == value


@pytest.mark.parametrize("raw", ["1381234567", "23812345678", "12812345678", "0595-22579329"])
def test_bad_mobile(raw: str) -> None:
    res = check_mobile(raw)
    assert res.code == "mobile_format" and "11位" in (res.message or "")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0595-22579329", "0595-22579329"),
        ("(0595)22579329", "0595-22579329"),
        ("0595 22579329", "0595-22579329"),
        ("024-23983158", "024-23983158"),
        ("010-12345678", "010-12345678"),
        ("0571-87051059转123", "0571-87051059转123"),
        ("400-123-4567", "400-123-4567"),
    ],
)
def test_landline(raw: str, value: str) -> None:
    assert check_landline(raw).value == value


def test_landline_without_area_code_says_add_it() -> None:
    res = check_landline("22579329")
    assert res.code == "landline_area_code" and "区号" in (res.message or "")
    assert check_landline("010-1234567").code == "landline_format"


def test_phone_accepts_either() -> None:
    assert check_phone("13812345678").value == "13812345678"
    assert check_phone("0731-58570302").value == "0731-58570302"
    assert check_phone("hello").code == "phone_format"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("kj22579329@163.com", "kj22579329@163.com"),
        ("KJ@Example.COM", "KJ@example.com"),
        ("a＠b。cn", "a@b.cn"),
    ],
)
def test_email(raw: str, value: str) -> None:
    assert check_email(raw).value == value


@pytest.mark.parametrize("raw", ["kj22579329", "a@b", "a@@b.com", "a b@c.com.", "a..b@c.com"])
def test_bad_email(raw: str) -> None:
    assert check_email(raw).code == "email_format"


# --- dates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2026年6月", "2026-06"),
        ("2026年6月前完成", "2026-06"),
        ("2026-06", "2026-06"),
        ("2026.6", "2026-06"),
        ("2026/06/30", "2026-06-30"),
        ("2026年6月30日", "2026-06-30"),
        ("20260630", "2026-06-30"),
        ("２０２６年６月底", "2026-06"),
        ("2026年底", "2026-12"),
    ],
)
def test_month_dates(raw: str, value: str) -> None:
    res = check("quanzhou", "deadline", raw)
    assert res.ok and res.value == value


@pytest.mark.parametrize(
    ("raw", "code"),
    [("明年", "date_format"), ("2026年13月", "date_invalid"), ("2026年2月30日", "date_invalid")],
)
def test_bad_dates(raw: str, code: str) -> None:
    assert check("quanzhou", "deadline", raw).errors[0].code == code


def test_day_precision_needs_a_day() -> None:
    f = FieldSpec(id="d", label="日期", type=FieldType.DATE, quote="x")
    assert validate_field(None, f, "2026年6月").errors[0].code == "date_needs_day"
    assert validate_field(None, f, "2026-06-30").value == "2026-06-30"


# --- choices ---------------------------------------------------------------------------------------------


def test_multi_choice_by_numbers_names_and_parts() -> None:
    assert check("quanzhou", "unit_nature", "2,3").value == ["骨干企业", "高新技术企业"]
    assert check("quanzhou", "unit_nature", "骨干企业、专精特新").value == ["骨干企业", "专精特新企业"]
    assert check("quanzhou", "unit_nature", ["专精特新企业", "2"]).value == ["骨干企业", "专精特新企业"]
    assert check("quanzhou", "unit_nature", "□骨干企业 ☑高新技术企业").value == ["骨干企业", "高新技术企业"]


def test_option_containing_separators_is_kept_whole() -> None:
    res = check("xiangtan", "domain", "高端医疗器械、生物医药、生物制造")
    assert res.value == "高端医疗器械、生物医药、生物制造"
    res = check(
        "longquan-jianbing", "directions", "集成电路、智能装备（工业机器人、数控机床、激光与增材制造装备）"
    )
    assert res.value == ["集成电路", "智能装备（工业机器人、数控机床、激光与增材制造装备）"]


def test_choice_must_be_a_printed_option() -> None:
    res = check("xiangtan", "tech_level", "世界第一")
    assert res.errors[0].code == "not_an_option"
    assert "1.国际领先" in res.errors[0].message


def test_single_choice_refuses_two() -> None:
    assert check("xiangtan", "tech_level", "国际领先、国内领先").errors[0].code == "single_choice_only"


def test_ambiguous_part_asks_for_the_full_option() -> None:
    res = check("longquan-jianbing", "directions", "材料")
    assert res.errors[0].code == "not_an_option" and "多个选项" in res.errors[0].message


def test_free_text_option_keeps_the_text() -> None:
    assert check("liaoning", "economic_nature", "其他：混合所有制").value == "其他：混合所有制"
    assert check("liaoning", "alliance", "是，辽宁省机器人产学研联盟").value == "是：辽宁省机器人产学研联盟"
    assert check("liaoning", "alliance", "否").value == "否"
    assert check("liaoning", "category", "重大").value.startswith("重大需求")
    assert check("liaoning", "tech_basis", "约30%").value == "约30%"


# --- text, names, odd input --------------------------------------------------------------------------------


def test_hard_limit_counts_and_says_how_much_to_cut() -> None:
    res = check("quanzhou", "problem_overview", "字" * 520)
    assert res.errors[0].code == "too_long"
    assert "限500字以内，您写了520字，请删减20字" in res.errors[0].message


def test_spaces_and_newlines_do_not_count() -> None:
    res = check("quanzhou", "problem_overview", "字 " * 500 + "\n\n")
    assert res.ok


def test_soft_limit_only_warns() -> None:
    res = check("longquan-jianbing", "background", "背景" * 300)
    assert res.ok and res.warnings[0].code == "too_long_soft" and "500字左右" in res.warnings[0].message


def test_hundred_kilobyte_answer_gets_a_clear_message() -> None:
    res = check("quanzhou", "problem_overview", "很长的内容" * 20_000)
    assert res.errors[0].code == "too_long" and "最多500字" in res.errors[0].message


def test_unlimited_text_has_a_cell_sized_cap() -> None:
    res = check("longquan-jianbing", "goal", "目标" * 3000)
    assert res.errors[0].code == "too_long" and "5000" in res.errors[0].message


def test_control_characters_are_removed_with_a_note() -> None:
    res = check("quanzhou", "title", "高强度\x00可降解\u200b鞋底\x07")
    assert res.value == "高强度可降解鞋底" and "控制字符" in res.notes[0]
    assert clean_text("a\r\nb\rc").text == "a\nb\nc"


@pytest.mark.parametrize("raw", ["研发总监😀", "好👍", "☀晴"])
def test_emoji_are_refused(raw: str) -> None:
    res = check("quanzhou", "contact_title", raw)
    assert res.errors[0].code == "emoji" and "表情符号" in res.errors[0].message


def test_number_where_text_belongs() -> None:
    assert check("quanzhou", "contact_name", "12345").errors[0].code == "not_a_name"
    assert check("quanzhou", "lead_unit", "12345").errors[0].code == "not_text"
    assert check("quanzhou", "problem_overview", 12345).errors[0].code == "not_text"
    short = check("quanzhou", "contact_title", "123")
    assert short.ok and short.warnings[0].code == "looks_like_number"


def test_text_where_a_number_belongs() -> None:
    assert check("xiangtan", "staff_total", "很多人").errors[0].code == "not_a_number"
    assert check("xiangtan", "staff_total", "12.5").errors[0].code == "not_an_integer"
    assert check("xiangtan", "staff_total", "三百二十人").value == 320
    assert check("xiangtan", "rd_ratio", "百分之五点二").value == pytest.approx(5.2)
    assert check("xiangtan", "rd_ratio", "150%").errors[0].code == "percent_range"


def test_company_name_brackets_become_full_width() -> None:
    res = check("quanzhou", "lead_unit", "泉州鸿运(集团)有限公司")
    assert res.value == "泉州鸿运（集团）有限公司" and res.notes


def test_person_names() -> None:
    assert check("quanzhou", "contact_name", "陈 志明").value == "陈志明"
    assert check("quanzhou", "contact_name", "阿卜杜·热合曼").ok
    assert check("quanzhou", "contact_name", "陈").errors[0].code == "name_length"


def test_postcode_pattern() -> None:
    assert check("xiangtan", "postcode", "４１１１００").value == "411100"
    assert check("xiangtan", "postcode", "4111").errors[0].code == "pattern"


def test_lists_where_text_belongs() -> None:
    assert check("quanzhou", "title", ["a", "b"]).errors[0].code == "wrong_type"


def test_empty_answers_are_empty_not_errors() -> None:
    raws: list[Any] = [None, "", "   ", [], "\x00"]
    for raw in raws:
        res = check("quanzhou", "title", raw)
        assert res.empty and res.ok


# --- rows ------------------------------------------------------------------------------------------------


def test_rows_from_text_lines() -> None:
    res = check(
        "quanzhou",
        "peers",
        "晋江恒达体育用品有限公司｜龙头企业\n石狮新材料有限公司 骨干企业、高新技术企业\n\n",
    )
    assert res.ok and len(res.value) == 2
    assert res.value[1] == {"name": "石狮新材料有限公司", "nature": ["骨干企业", "高新技术企业"]}


def test_rows_report_the_line_and_column() -> None:
    res = check("quanzhou", "peers", "甲公司｜龙头企业\n乙公司｜世界500强")
    assert res.errors[0].code == "not_an_option" and "第2行" in res.errors[0].message
    res = check("longquan-jianbing", "app_units", "甲公司｜张三")
    assert res.ok  # kept, so nothing typed is lost; the gap is reported before export:
    gaps = validate_answers(JIANBING, {"app_units": res.value}).errors
    gap = next(p for p in gaps if p.field == "app_units" and p.code == "required")
    assert "第1行缺少“联系方式”" in gap.message
    res = check("quanzhou", "peers", "甲｜乙｜丙｜丁")
    assert res.errors[0].code == "row_columns"


def test_finance_rows_keyed_by_year() -> None:
    text = "2021｜52300｜50100｜2700｜4100｜3300｜46.8\n2019年 42000 40500 2100 3200 2600 48.5"
    res = check("liaoning", "finance", text)
    assert res.ok and [r["year"] for r in res.value] == ["2019", "2021"]
    assert check("liaoning", "finance", "2018｜1｜1｜1｜1｜1｜1").errors[0].code == "row_key"
    res = check("liaoning", "finance", "1｜2｜3｜4｜5｜6\n1｜2｜3｜4｜5｜6\n1｜2｜3｜4｜5｜6")
    assert res.ok and [r["year"] for r in res.value] == ["2019", "2020", "2021"]


def test_rows_from_json_objects_by_label() -> None:
    res = check(
        "longquan-jianbing", "app_units", [{"单位": "甲公司", "联系人": "张三", "联系方式": "13812345678"}]
    )
    assert res.ok and res.value[0]["phone"] == "13812345678"
    assert check("longquan-jianbing", "app_units", [{"nope": 1}]).errors[0].code == "row_columns"


@pytest.mark.parametrize(
    "form_id", ["quanzhou", "xiangtan", "liaoning", "longquan-jianbing", "quanzhou-summary"]
)
def test_validation_is_idempotent(form_id: str) -> None:
    from tests.test_forms_spec import example_values

    form = load_form(form_id)
    values = example_values(form_id)
    for f in form.fields:
        if f.id in values:
            again = validate_field(form, f, values[f.id])
            assert again.ok and again.value == values[f.id], f.id
