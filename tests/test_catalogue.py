"""The fact catalogue: complete coverage of every shipped notice, and checks that reject a fact that
drifts from its sentence or uses a name the vocabulary does not define."""

from __future__ import annotations

import pytest

from knowledge.catalogue import Fact, Kind, all_facts, check_fact, facts_of
from knowledge.corpus import get_notice, shipped_notice_ids
from knowledge.coverage import coverage, markers, propose


@pytest.mark.parametrize("notice_id", shipped_notice_ids())
def test_every_marker_of_every_notice_is_covered(notice_id: str) -> None:
    """Dates, amounts, ratios, counts, limits, phones, e-mails, URLs and normative words all sit inside
    a fact's quote, a background mark or a form spec quote (`jiebang facts coverage --missing`)."""
    report = coverage(notice_id)
    assert report.total > 20
    assert report.ratio == 1.0, [(m.kind, m.text) for m in report.missing]


def test_markers_find_what_a_rule_carries() -> None:
    found = {(m.kind, m.text) for m in markers("xiangtan")}
    assert ("ratio", "40%") in found and ("email", "xtkjjcgk@163.com") in found
    assert any(k == "normative" and t == "原则上" for k, t in found)


@pytest.mark.parametrize("notice_id", shipped_notice_ids())
def test_each_notice_names_one_office_to_ask_where_it_prints_one(notice_id: str) -> None:
    docs: dict[str | None, int] = {}
    for f in facts_of(notice_id):
        if f.kind == Kind.CONTACT and f.general:
            docs[f.doc] = docs.get(f.doc, 0) + 1
    assert docs and all(n == 1 for n in docs.values()), docs


def test_proposals_quote_uncovered_sentences_verbatim() -> None:
    """With the catalogue complete there is nothing to propose; the extractor still runs."""
    assert propose("quanzhou") == []


def _fact(**kw: object) -> Fact:
    base: dict[str, object] = {"id": "quanzhou.t", "notice": "quanzhou", "label": "测试", "questions": ["?"]}
    return Fact(**{**base, **kw})  # type: ignore[arg-type]


def test_a_quote_that_is_not_verbatim_is_rejected() -> None:
    f = _fact(kind=Kind.REQUIREMENT, quote="近五年内无不良信用记录")
    assert any("not verbatim" in p for p in check_fact(f, get_notice("quanzhou").text))


def test_a_printed_value_that_does_not_read_as_the_typed_value_is_rejected() -> None:
    f = _fact(
        kind=Kind.THRESHOLD,
        quote="上年主营业务收入超过1亿元",
        metric="revenue",
        op="gt",
        value=1000,
        unit="万元",
        printed="1亿元",
    )
    assert any("does not read as" in p for p in check_fact(f, get_notice("quanzhou").text))


def test_a_name_outside_the_vocabulary_is_rejected() -> None:
    f = _fact(
        kind=Kind.THRESHOLD,
        quote="上年主营业务收入超过1亿元",
        metric="turnover",
        op="gt",
        value=10000,
        unit="万元",
        printed="1亿元",
    )
    assert any("unknown metric" in p for p in check_fact(f, get_notice("quanzhou").text))


def test_a_date_must_be_printed_in_its_quote() -> None:
    import datetime as dt

    f = _fact(kind=Kind.DATE, quote="2023年11月17日", date=dt.date(2023, 11, 18))
    assert any("is not printed" in p for p in check_fact(f, get_notice("quanzhou").text))


def test_labels_carry_no_figures() -> None:
    with pytest.raises(ValueError, match="no figures"):
        _fact(kind=Kind.REQUIREMENT, quote="近三年内无不良信用记录", label="近3年")


def test_the_catalogue_is_large_and_typed() -> None:
    facts = [f for f in all_facts() if f.notice in shipped_notice_ids()]
    kinds = {f.kind for f in facts}
    assert len(facts) > 300
    assert {Kind.DEADLINE, Kind.THRESHOLD, Kind.RATE, Kind.SCHEDULE, Kind.QUOTA, Kind.CONTACT} <= kinds
