"""The fact-token cache: a hit gives exactly the tokens a fresh reading gives, any change misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import fact_search
from knowledge.catalogue import all_facts


def test_cache_hit_equals_fresh_tokens(tmp_path: Path) -> None:
    facts = all_facts()
    fresh = fact_search._fact_tokens_fresh(facts)
    assert fact_search._fact_tokens(facts, tmp_path) == fresh  # a miss: computed and written
    (written,) = (tmp_path / "cache").glob("fact-tokens-*.json")
    assert fact_search._fact_tokens(facts, tmp_path) == fresh  # a hit: read back unchanged
    assert written.exists()


def test_changed_fact_text_is_a_miss_and_replaces_the_old_file(tmp_path: Path) -> None:
    facts = all_facts()
    fact_search.save_fact_tokens(tmp_path)
    before = fact_search._token_cache_path(facts, tmp_path)
    changed = (facts[0].model_copy(update={"label": facts[0].label + "（改）"}), *facts[1:])
    after = fact_search._token_cache_path(changed, tmp_path)
    assert after != before
    fact_search._fact_tokens(changed, tmp_path)
    assert [p.name for p in (tmp_path / "cache").glob("fact-tokens-*.json")] == [after.name]


def test_corrupt_or_unwritable_cache_is_only_slower(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    facts = all_facts()
    path = fact_search._token_cache_path(facts, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('{"tokens": [["x"]], "labels"', encoding="utf-8")
    assert fact_search._fact_tokens(facts, tmp_path) == fact_search._fact_tokens_fresh(facts)
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("", encoding="utf-8")
    assert fact_search._fact_tokens(facts, blocked) == fact_search._fact_tokens_fresh(facts)
