"""`knowledge`, `validators`, `prompts`, `exporters` are also PyPI names: make sure ours are imported."""

import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["bot", "knowledge", "prompts", "validators", "exporters"])
def test_top_level_package_is_this_projects(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().parent == ROOT / name
