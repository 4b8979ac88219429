"""Property tests: no input, however odd, makes a validator or a rule raise; results stay consistent."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.formspec import list_forms
from knowledge.numbers import parse_numeral
from validators import check_rules, validate_answers, validate_field
from validators.formats import check_credit_code, check_email, check_landline, check_mobile
from validators.normalize import parse_amount_wan

EXAMPLES = int(os.environ.get("JIEBANG_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIELDS = [(form, f) for form in list_forms() for f in form.fields]

tricky_text = st.one_of(
    st.text(max_size=60),
    st.text(
        alphabet="0123456789０１２３４５６７８９.,，万亿元千百十一二三四五六七八九两点-％% ", max_size=20
    ),
    st.sampled_from(
        ["跳过", "1,3", "其他：", "是，", "2026年2月30日", "\x00\x01", "😀", "　", "\n\n", "-0", "1e309"]
    ),
)
json_like: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), tricky_text),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=8,
)


@FUZZ
@given(st.sampled_from(FIELDS), json_like)
def test_fuzz_validate_field_never_raises(pair: tuple[Any, Any], raw: Any) -> None:
    form, f = pair
    res = validate_field(form, f, raw)
    assert res.value is None or not res.errors
    assert not (res.empty and res.errors)
    for p in res.errors + res.warnings:
        assert p.message and p.code


@FUZZ
@given(st.sampled_from(list_forms()), st.data())
def test_fuzz_whole_form_never_raises(form: Any, data: st.DataObject) -> None:
    raw = {f.id: data.draw(json_like) for f in form.fields if data.draw(st.booleans())}
    report = validate_answers(form, raw)
    check_rules(form, report.values)
    assert all(p.field for p in report.errors)


@FUZZ
@given(tricky_text)
def test_fuzz_parsers_never_raise(text: str) -> None:
    parse_amount_wan(text)
    parse_numeral(text)
    for check in (check_credit_code, check_mobile, check_landline, check_email):
        res = check(text)
        assert (res.value is None) == (res.code is not None)
