"""Cross-field rules of the notices: each broken on purpose, each message specific and quoting its source."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.formspec import RuleKind, list_forms, load_form, notice_text_for
from tests.test_forms_spec import example_values
from validators import check_values, resolve_keys, validate_answers
from validators.problems import Problem


def problems_after(form_id: str, **changes: Any) -> list[Problem]:
    """Errors and warnings of the form's valid example after changing some raw answers."""
    form = load_form(form_id)
    values = dict(example_values(form_id))
    raw: dict[str, Any] = dict(values)
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    report = validate_answers(form, raw)
    return report.errors + report.warnings


def by_rule(problems: list[Problem], rule_id: str) -> Problem:
    hits = [p for p in problems if p.rule == rule_id]
    assert hits, [(p.rule, p.code, p.message) for p in problems]
    return hits[0]


@pytest.mark.parametrize("form_id", [f.id for f in list_forms()])
def test_valid_examples_break_no_rule(form_id: str) -> None:
    form = load_form(form_id)
    report = check_values(form, example_values(form_id))
    assert report.ok, [p.message for p in report.errors]
    assert not report.warnings, [p.message for p in report.warnings]


# --- 泉州 ---------------------------------------------------------------------------------------------------


def test_quanzhou_fiscal_cap_message_is_the_one_in_the_issue() -> None:
    p = by_rule(problems_after("quanzhou", fiscal_funds="350万"), "fiscal_cap")
    assert p.code == "above_cap" and p.severity == "error" and p.field == "fiscal_funds"
    assert "财政资金不超过300万元（泉州通知附件1），您填写了350万元" in p.message
    assert "300万元以内" in p.message  # says how to fix
    assert p.quote is not None and p.quote in notice_text_for(load_form("quanzhou"))


def test_quanzhou_budget_must_add_up() -> None:
    p = by_rule(problems_after("quanzhou", rd_total="1300"), "budget_sum")
    assert p.code == "sum_mismatch" and p.field == "rd_total"
    assert "700＋300＋200＝1200万元" in p.message and "1300万元" in p.message and "相差100万元" in p.message


def test_quanzhou_deadline_after_the_notice() -> None:
    p = by_rule(problems_after("quanzhou", deadline="2023年11月"), "deadline_after_notice")
    assert p.code == "date_not_after_notice" and "2023年11月17日" in p.message
    assert not [
        x for x in problems_after("quanzhou", deadline="2023年12月") if x.rule == "deadline_after_notice"
    ]


def test_quanzhou_target_total_chars() -> None:
    p = by_rule(
        problems_after("quanzhou", current_indicators="参" * 300, target_indicators="数" * 250),
        "target_total_chars",
    )
    assert p.code == "total_too_long" and "合计限500字以内" in p.message and "请删减50字" in p.message


def test_quanzhou_commitment_warning_never_blocks() -> None:
    probs = problems_after("quanzhou", commitment="800")
    p = by_rule(probs, "commitment_within_demand_funds")
    assert p.severity == "warning" and p.code == "greater_than"
    assert not [x for x in probs if x.severity == "error"]


def test_quanzhou_leader_and_backbone_warning() -> None:
    p = by_rule(problems_after("quanzhou", unit_nature="龙头企业、骨干企业"), "leader_or_backbone")
    assert p.severity == "warning" and p.code == "exclusive_options"


# --- 湘潭 ---------------------------------------------------------------------------------------------------


def test_xiangtan_special_fund_ratio_and_cap() -> None:
    probs = problems_after("xiangtan", rd_plan="180", self_funds="130", special_funds="50")
    p = by_rule(probs, "special_ratio_cap")
    assert p.code == "above_ratio" and "25%" in p.message and "45万元" in p.message and "50万元" in p.message
    probs = problems_after("xiangtan", rd_plan="400", self_funds="340", special_funds="60")
    p = by_rule(probs, "special_cap")
    assert "不超过50万元" in p.message and "60万元" in p.message


def test_xiangtan_plan_sum_and_minimum() -> None:
    p = by_rule(problems_after("xiangtan", self_funds="200"), "plan_sum")
    assert p.code == "sum_mismatch" and "自筹＋申请专项" in p.message.replace("项目投资预算·", "")
    p = by_rule(problems_after("xiangtan", rd_plan="80", self_funds="60", special_funds="20"), "plan_min")
    assert p.code == "below_floor" and "不低于100万元" in p.message and "80万元" in p.message


def test_xiangtan_staff_and_ratio_consistency() -> None:
    p = by_rule(problems_after("xiangtan", rd_staff="400"), "rd_staff_within_total")
    assert p.code == "greater_than" and p.severity == "error"
    p = by_rule(problems_after("xiangtan", rd_ratio="12"), "rd_ratio_consistent")
    assert p.severity == "warning" and "＝5%" in p.message


# --- 景德镇 --------------------------------------------------------------------------------------------------


def test_jingdezhen_list_amount_at_least_100() -> None:
    p = by_rule(problems_after("jingdezhen", solver_funds="80"), "solver_funds_min")
    assert "不低于100万元" in p.message and "80万元" in p.message and "榜单金额" in p.message
    p = by_rule(problems_after("jingdezhen", project_budget="90", solver_funds=None), "project_budget_min")
    assert p.code == "below_floor"


def test_jingdezhen_solver_funds_within_budget() -> None:
    p = by_rule(problems_after("jingdezhen", solver_funds="600"), "solver_within_budget")
    assert p.code == "greater_than" and "600万元" in p.message and "500万元" in p.message


# --- 辽宁 ---------------------------------------------------------------------------------------------------


def test_liaoning_major_needs_1000() -> None:
    p = by_rule(problems_after("liaoning", total_investment="900", solver_funds="500"), "major_min")
    assert "不低于1000万元" in p.message and "900万元" in p.message and "重点需求" in p.message


def test_liaoning_key_range_400_to_1000() -> None:
    probs = problems_after("liaoning", category="重点需求", total_investment="1200")
    p = by_rule(probs, "key_range")
    assert p.code == "out_of_range" and "不低于400万元且低于1000万元" in p.message
    probs = problems_after("liaoning", category="重点需求", total_investment="350", solver_funds="300")
    assert by_rule(probs, "key_range").code == "out_of_range"
    ok = problems_after("liaoning", category="重点需求", total_investment="400", solver_funds="300")
    assert not [p for p in ok if p.rule == "key_range"]


def _finance(sales: float, rd: float) -> list[dict[str, Any]]:
    return [
        {
            "year": "2021",
            "output": sales,
            "sales": sales,
            "tax": 1,
            "net_profit": 1,
            "rd_expense": rd,
            "debt_ratio": 40,
        }
    ]


def test_liaoning_hitech_major_thresholds() -> None:
    probs = problems_after("liaoning", finance=_finance(4000, 250))
    assert "低于要求的不少于5000万元" in by_rule(probs, "hitech_major_revenue").message
    assert "2021年" in by_rule(probs, "hitech_major_rd").message
    assert by_rule(probs, "hitech_major_rd").severity == "error"


def test_liaoning_hitech_key_thresholds() -> None:
    probs = problems_after(
        "liaoning",
        finance=_finance(1800, 150),
        category="重点需求",
        total_investment="800",
        solver_funds="300",
    )
    assert by_rule(probs, "hitech_key_revenue").code == "below_threshold"
    assert by_rule(probs, "hitech_key_rd").code == "below_threshold"
    assert not [p for p in probs if p.rule == "hitech_major_revenue"]


def test_liaoning_other_domain_floor_and_unknown_domain_warning() -> None:
    probs = problems_after("liaoning", finance=_finance(900, 80), requirement_domain="其他领域")
    assert by_rule(probs, "revenue_floor").severity == "error"
    assert by_rule(probs, "rd_floor").severity == "error"
    assert not [p for p in probs if p.rule and p.rule.startswith("hitech")]
    probs = problems_after("liaoning", finance=_finance(3000, 250), requirement_domain=None)
    assert by_rule(probs, "unknown_domain_major_revenue").severity == "warning"
    assert not [p for p in probs if p.severity == "error"]


def test_liaoning_finance_table_is_optional() -> None:
    assert not [p for p in problems_after("liaoning", finance=None) if p.severity == "error"]


def test_liaoning_deadlines() -> None:
    p = by_rule(problems_after("liaoning", solver_deadline="2023年3月"), "deadlines_after_notice")
    assert "2023年3月26日" in p.message
    p = by_rule(problems_after("liaoning", solver_deadline="2026年1月"), "solver_before_overall")
    assert p.code == "date_order" and "2026年1月" in p.message and "2025年12月" in p.message


def test_liaoning_people_counts() -> None:
    assert by_rule(problems_after("liaoning", rd_staff="500"), "rd_staff_within_total").severity == "error"
    assert by_rule(problems_after("liaoning", doctors="500"), "doctors_within_total").severity == "warning"


# --- 龙泉 ---------------------------------------------------------------------------------------------------


def test_longquan_directions_belong_to_the_area() -> None:
    p = by_rule(problems_after("longquan-jianbing", directions="人工智能、合金材料"), "directions_in_area")
    assert p.code == "option_not_in_group" and p.field == "directions"
    assert "“人工智能”不属于重点领域“新材料”" in p.message and "电子化学材料" in p.message


def test_longquan_at_least_one_problem() -> None:
    p = by_rule(
        problems_after("longquan-jianbing", science_problem=None, tech_problem=None), "problem_at_least_one"
    )
    assert p.code == "at_least_one" and "至少填写一项" in p.message


def test_longquan_five_parameters_is_a_warning() -> None:
    probs = problems_after("longquan-jianbing", params_ours="热导率≥280；密度≤9.5")
    p = by_rule(probs, "own_params_five")
    assert p.severity == "warning" and "识别到2项" in p.message


def test_longquan_three_application_units() -> None:
    probs = problems_after("longquan-jianbing", app_units="甲有限公司｜张三｜13812345678")
    p = by_rule(probs, "app_units_three")
    assert p.code == "too_few_rows" and "至少3家" in p.message and "再补充2个" in p.message


def test_quanzhou_summary_at_most_three_is_a_warning() -> None:
    row = {
        "title": "题目",
        "industry": "纺织鞋服",
        "lead_org": "泉州某公司",
        "budget": 100,
        "locality": "晋江市",
    }
    probs = problems_after("quanzhou-summary", items=[row] * 4)
    p = by_rule(probs, "at_most_three")
    assert p.severity == "warning" and "不超过3项" in p.message


def test_every_rule_kind_is_exercised_by_these_tests() -> None:
    """A new rule kind without a failing example here would go untested."""
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__])
    used_kinds = {r.kind for f in list_forms() for r in f.rules}
    for form in list_forms():
        for rule in form.rules:
            if rule.kind in used_kinds and f'"{rule.id}"' in source:
                used_kinds.discard(rule.kind)
    assert not used_kinds, used_kinds
    assert set(RuleKind) - {r.kind for f in list_forms() for r in f.rules} <= {
        RuleKind.MIN_ROWS,
        RuleKind.MAX_ROWS,
    }


def test_required_and_unknown_keys() -> None:
    form = load_form("quanzhou")
    by_id, key_problems = resolve_keys(
        form, {"财政资金": "200", "研发资金投入预测·研发总预算": "1", "nope": 1}
    )
    assert set(by_id) == {"fiscal_funds", "rd_total"}
    assert (
        key_problems[0].code == "unknown_field" and "jiebang forms show quanzhou" in key_problems[0].message
    )
    report = validate_answers(form, by_id)
    required = {p.field for p in report.errors if p.code == "required"}
    assert "industry" in required and "fiscal_funds" not in required and "peers" not in required
