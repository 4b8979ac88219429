"""jiebang: validators — deterministic checks for the demand forms, driven by `knowledge/forms/*.yaml`.

Public API:
    validate_field(form, field, raw) -> FieldResult      one answer: normalised value, errors, warnings
    validate_answers(form, raw_by_id) -> Report          a whole draft from raw answers
    check_values(form, values) -> Report                 a whole draft from stored (normalised) values
    resolve_keys(form, data) -> (by_id, problems)        JSON keys may be ids, labels or 'section·label'
    check_rules(form, values, field_id=None)             cross-field rules quoting the notice
    answers_model(form_id) -> type[BaseModel]            a pydantic model of the stored values
"""

from __future__ import annotations

from typing import Any

from knowledge.formspec import FormSpec
from validators.fields import format_value, is_empty, row_gaps, validate_field
from validators.models import answers_model
from validators.problems import FieldResult, Problem, Report
from validators.rules import check_rules

__all__ = [
    "FieldResult",
    "Problem",
    "Report",
    "answers_model",
    "check_rules",
    "check_values",
    "format_value",
    "required_problems",
    "resolve_keys",
    "validate_answers",
    "validate_field",
]


def required_problems(form: FormSpec, values: dict[str, Any]) -> list[Problem]:
    """One `required` error per required field that is still empty, per row with empty required cells,
    and per chosen option whose printed blank (是，名称____) is still empty."""
    out = []
    for f in form.fields:
        out.extend(row_gaps(form, f, values.get(f.id)))
        for blank in f.open_blanks(values.get(f.id)):
            out.append(
                Problem(field=f.id, code="blank_missing", message=blank.missing_message(form.display(f)))
            )
        if f.required and is_empty(values.get(f.id)):
            out.append(
                Problem(
                    field=f.id,
                    code="required",
                    message=f"“{form.display(f)}”是必填项，尚未填写，请补充。",
                )
            )
    return out


def validate_answers(form: FormSpec, raw_by_id: dict[str, Any], stored: bool = False) -> Report:
    """Validate raw answers keyed by field id: per-field checks, required fields, cross-field rules.

    With `stored`, the answers are a saved draft's values (see `validate_field`).
    """
    report = Report()
    for f in form.fields:
        if f.id not in raw_by_id:
            continue
        res = validate_field(form, f, raw_by_id[f.id], stored=stored)
        report.errors.extend(res.errors)
        report.warnings.extend(res.warnings)
        if res.value is not None:
            report.values[f.id] = res.value
    failed = {p.field for p in report.errors}
    report.errors.extend(p for p in required_problems(form, report.values) if p.field not in failed)
    for p in check_rules(form, report.values):
        (report.errors if p.severity == "error" else report.warnings).append(p)
    return report


def check_values(form: FormSpec, values: dict[str, Any]) -> Report:
    """Re-check stored values (validation is idempotent, so this is validate_answers on them)."""
    return validate_answers(form, {k: v for k, v in values.items() if form.has_field(k)}, stored=True)


def resolve_keys(form: FormSpec, data: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Map JSON keys (field id, printed label, or `section·label` where a label repeats) to field ids."""
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        f = None
        if isinstance(key, str) and not key.strip().isdecimal():
            f = form.find(key)
        if f is None:
            problems.append(
                Problem(
                    field=str(key)[:60],
                    code="unknown_field",
                    message=f"表中没有“{str(key)[:60]}”这一项。请用字段编号或表上印的名称"
                    f"（运行 `jiebang forms show {form.id}` 查看）。",
                )
            )
            continue
        if f.id in out:
            problems.append(
                Problem(
                    field=f.id,
                    code="duplicate_field",
                    message=f"“{form.display(f)}”填写了两次，请只保留一处。",
                )
            )
            continue
        out[f.id] = value
    return out, problems
