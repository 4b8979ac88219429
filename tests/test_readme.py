"""README stays true to the code: the two commands come first and every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_first_two_commands_are_make_run_and_make_test() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands[:2] == ["make run", "make test"]


def test_every_setting_is_in_the_configuration_table() -> None:
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`JIEBANG_([A-Z0-9_]+)`", section))
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented == set(), "document these settings in README's Configuration table"
    assert documented - fields == set(), "README documents settings that do not exist"


def test_every_setting_has_a_description() -> None:
    missing = [name for name, f in Settings.model_fields.items() if not (f.description or "").strip()]
    assert missing == []
