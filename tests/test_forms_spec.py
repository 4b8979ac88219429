"""Form specs: every quote is the notice's own text, every layout tiles its grid, lookups are unambiguous.

Also home of the small helpers the other form tests import (examples, chat text for a value).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from knowledge.corpus import get_notice
from knowledge.formspec import (
    CHOICE_TYPES,
    FieldSpec,
    FieldType,
    FormSpec,
    LimitKind,
    RuleKind,
    UnknownFormError,
    cell_fields,
    count_chars,
    field_positions,
    form_ids,
    list_forms,
    load_form,
    notice_text_for,
    place,
)
from validators import resolve_keys, validate_answers

DATA = Path(__file__).parent / "data" / "forms"
# The order the forms are listed in: demand forms in the manifest's notice order (a notice's main form
# first), then the summary forms — derived from the specs and the manifest, written out here.
FORMS = [
    "quanzhou",
    "xiangtan",
    "jingdezhen",
    "liaoning",
    "longquan",
    "longquan-jianbing",
    "longquan-association",
    "quanzhou-summary",
    "jingdezhen-summary",
]


def test_forms_are_listed_in_notice_order() -> None:
    assert form_ids() == FORMS


# --- helpers used by the other form tests ------------------------------------------------------------


def example_raw(form_id: str) -> dict[str, Any]:
    """The complete valid example answers of a form, as written in tests/data/forms/<id>.json."""
    data: dict[str, Any] = json.loads((DATA / f"{form_id}.json").read_text(encoding="utf-8"))
    return data


def example_values(form_id: str) -> dict[str, Any]:
    """The example's normalised values (asserting it is valid)."""
    form = load_form(form_id)
    by_id, problems = resolve_keys(form, example_raw(form_id))
    report = validate_answers(form, by_id)
    assert not problems and report.ok, [p.message for p in problems + report.errors]
    return report.values


def chat_text(f: FieldSpec, value: Any) -> str:
    """How a person would type a stored value in the chat."""
    if f.type == FieldType.ROWS:
        lines = []
        for row in value:
            cells = [chat_text(c, row[c.id]) if c.id in row else "" for c in f.columns]
            lines.append("｜".join(cells))
        return "\n".join(lines)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# --- the specs ----------------------------------------------------------------------------------------


def test_all_nine_forms_load_in_order() -> None:
    assert form_ids() == FORMS
    assert len(list_forms()) == 9


def test_unknown_form_message_lists_ids() -> None:
    with pytest.raises(UnknownFormError) as err:
        load_form("nowhere")
    assert "quanzhou" in str(err.value) and "jiebang forms" in str(err.value)


def _texts(form: FormSpec) -> list[tuple[str, str]]:
    """Every string of a spec that must be copied verbatim from the notice."""
    out = [("form.quote", form.quote)]
    if form.notice_date_quote:
        out.append(("notice_date_quote", form.notice_date_quote))
    for f in form.fields:
        for col in [f, *f.columns]:
            out.append((f"{col.id}.quote", col.quote))
            if col.help:
                out.append((f"{col.id}.help", col.help))
            if col.condition:
                out.append((f"{col.id}.condition", col.condition))
            out.extend((f"{col.id}.option", o) for o in col.options)
            out.extend((f"{col.id}.row_key", k) for k in col.row_keys)
    for rule in form.rules:
        out.append((f"rule {rule.id}", rule.quote))
        for group, options in rule.groups.items():
            out.append((f"rule {rule.id} group", group))
            out.extend((f"rule {rule.id} option", o) for o in options)
        out.extend((f"rule {rule.id} option", o) for o in rule.options)
        out.extend((f"rule {rule.id} when", c.equals) for c in rule.when if c.equals)
    return out


@pytest.mark.parametrize("form_id", FORMS)
def test_every_quote_and_option_is_verbatim_notice_text(form_id: str) -> None:
    form = load_form(form_id)
    text = notice_text_for(form)
    missing = [(where, s) for where, s in _texts(form) if s not in text]
    assert not missing, missing


@pytest.mark.parametrize("form_id", FORMS)
def test_every_rule_carries_a_source_and_a_quote(form_id: str) -> None:
    form = load_form(form_id)
    text = notice_text_for(form)
    for rule in form.rules:
        assert rule.source and rule.quote and rule.quote in text, rule.id


def test_required_cross_field_rules_are_present() -> None:
    """The rules the issue names explicitly exist, with the numbers of the notices."""

    def rule(form_id: str, rule_id: str) -> Any:
        return next(r for r in load_form(form_id).rules if r.id == rule_id)

    assert rule("quanzhou", "fiscal_cap").value == 300
    assert rule("quanzhou", "budget_sum").kind == RuleKind.SUM
    assert rule("liaoning", "major_min").value == 1000
    assert (rule("liaoning", "key_range").value, rule("liaoning", "key_range").value2) == (400, 1000)
    assert rule("liaoning", "hitech_major_revenue").value == 5000
    assert rule("liaoning", "hitech_key_rd").value == 200
    assert rule("liaoning", "revenue_floor").value == 1000
    assert rule("xiangtan", "special_ratio_cap").ratio == 0.25
    assert rule("xiangtan", "special_cap").value == 50
    assert rule("xiangtan", "plan_sum").fields == ["rd_plan", "self_funds", "special_funds"]
    assert rule("jingdezhen", "solver_funds_min").value == 100
    assert str(rule("quanzhou", "deadline_after_notice").date) == "2023-11-17"


@pytest.mark.parametrize("form_id", FORMS)
def test_field_ids_are_ascii_snake_case_and_keys_unique(form_id: str) -> None:
    form = load_form(form_id)
    for f in form.fields:
        assert f.id.isascii() and f.id == f.id.lower()
        assert form.find(f.id) is f
        assert form.find(form.key_of(f)) is f
        assert form.find(f"{f.section}·{f.label}" if f.section else f.label) is f


def test_limits_hard_and_soft_as_printed() -> None:
    quanzhou = load_form("quanzhou")
    assert (quanzhou.field("problem_overview").max_chars, quanzhou.field("problem_overview").limit) == (
        500,
        LimitKind.HARD,
    )
    assert quanzhou.field("ip_ownership").max_chars == 150
    jianbing = load_form("longquan-jianbing")
    assert (jianbing.field("background").max_chars, jianbing.field("background").limit) == (
        500,
        LimitKind.SOFT,
    )
    assert (jianbing.field("landmark_results").max_chars, jianbing.field("landmark_results").limit) == (
        400,
        LimitKind.SOFT,
    )
    assert load_form("liaoning").field("description").max_chars == 1000


def test_printed_optional_condition_is_kept() -> None:
    f = load_form("quanzhou").field("current_indicators")
    assert not f.required
    assert f.condition == "如属于填补空白的“卡脖子”技术可不填目前的技术指标参数"


def test_character_counting_rule_is_non_whitespace() -> None:
    assert count_chars("ab c\n中 文\t。") == 6
    assert count_chars("   ") == 0


def test_liaoning_finance_table_has_the_three_printed_years() -> None:
    finance = load_form("liaoning").field("finance")
    assert finance.type == FieldType.ROWS and finance.row_keys == ["2019", "2020", "2021"]
    assert [c.label for c in finance.columns][1:] == [
        "产值",
        "销售收入",
        "上缴税收",
        "净利润",
        "研发费用",
        "资产负债率(%)",
    ]


@pytest.mark.parametrize("form_id", FORMS)
def test_layout_tiles_the_grid_and_shows_every_printed_field(form_id: str) -> None:
    form = load_form(form_id)
    nrows, cells = place(form)
    assert nrows >= 1 and cells
    shown: set[str] = set()
    for row in form.layout.rows:
        if row.repeat:
            shown.add(row.repeat)
        for cell in row.cells:
            shown.update(cell_fields(cell))
    from knowledge.formspec import PLACEHOLDER

    for line in form.layout.before + form.layout.after:
        shown.update(m.group(2) for m in PLACEHOLDER.finditer(line))
    printed = {f.id for f in form.fields if f.printed}
    assert printed <= shown, printed - shown
    assert shown <= {f.id for f in form.fields}
    # the example answers (more rows than printed) still tile
    place(form, example_values(form_id))


@pytest.mark.parametrize("form_id", FORMS)
def test_every_option_appears_in_its_printed_option_line(form_id: str) -> None:
    form = load_form(form_id)
    prints: dict[str, str] = {}
    for row in form.layout.rows:
        for cell in row.cells:
            key = cell.field or (f"{row.repeat}.{cell.col}" if cell.col else None)
            if key and cell.print:
                prints[key] = prints.get(key, "") + cell.print
    for f in form.fields:
        targets = [(f.id, f)] + [(f"{f.id}.{c.id}", c) for c in f.columns]
        for key, spec in targets:
            if spec.type in CHOICE_TYPES and key in prints:
                for option in spec.options:
                    assert option in prints[key], (key, option)


def test_attachment_numbers_match_the_manifest() -> None:
    for form in list_forms():
        notice = get_notice(form.notice)
        if form.attachment:
            assert form.attachment in notice.text
        assert form.layout.title in notice.text


def test_find_by_number_and_fuzzy_name() -> None:
    form = load_form("quanzhou")
    assert form.find("16").id == "fiscal_funds"  # type: ignore[union-attr]
    assert form.find("财政资金").id == "fiscal_funds"  # type: ignore[union-attr]
    assert form.find("难题概述").id == "problem_overview"  # type: ignore[union-attr]
    assert form.find("99") is None
    assert form.find("16", fuzzy=False) is None
    liaoning = load_form("liaoning")
    assert liaoning.find("技术领域") is None  # printed twice: needs its section
    assert liaoning.find("二、需求信息·技术领域").id == "demand_tech_field"  # type: ignore[union-attr]


@pytest.mark.parametrize("form_id", FORMS)
def test_every_example_is_complete_and_valid(form_id: str) -> None:
    form = load_form(form_id)
    values = example_values(form_id)
    missing = [f.id for f in form.fields if f.required and f.id not in values]
    assert not missing


def test_field_positions_give_each_printed_field_its_cells() -> None:
    form = load_form("quanzhou")
    cells = field_positions(form)
    assert cells["industry"] == [(0, 1)] and cells["lead_unit"] == [(2, 1)]
    assert cells["rd_total"] == cells["fiscal_funds"] == [(12, 1)]
    assert cells["peers"] == [(7, 2), (7, 4), (8, 2), (8, 4)]
    summary = load_form("quanzhou-summary")
    assert "bureau" not in field_positions(summary)  # printed above the table


# A printed option followed by a blank to fill in: "○其他：      ", "○是，名称      ○否", "□其他：____".
_PRINTED_BLANK = re.compile(r"[□○]\s?(?P<option>[^□○\s：:，,]+)(?P<lead>，名称|[：:])(?=[ \u3000_]{3,}|\s*$)")


def test_every_printed_blank_after_an_option_is_modelled() -> None:
    found: set[tuple[str, str, str]] = set()
    for form in list_forms():
        text = notice_text_for(form)
        for row in form.layout.rows:
            for cell in row.cells:
                if not (cell.print and cell.field):
                    continue
                f = form.field(cell.field)
                for m in _PRINTED_BLANK.finditer(cell.print):
                    found.add((form.id, f.id, m.group("option")))
                    blank = f.blank_for(m.group("option"))
                    assert blank is not None, (form.id, f.id, m.group("option"))
                    assert blank.printed.rstrip("_") in text and blank.printed.endswith("____")
                    assert m.group("option") in f.free_text_options
        # every modelled blank is one the form prints
        for f in form.fields:
            for blank in f.blanks:
                assert (form.id, f.id, blank.option) in found, (form.id, f.id, blank.option)
    assert found == {
        ("liaoning", "economic_nature", "其他"),
        ("liaoning", "alliance", "是"),
        ("liaoning", "plan_projects", "是"),
        ("liaoning", "platforms", "是"),
    }
