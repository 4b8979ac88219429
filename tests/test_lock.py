"""The lock file pins every package with hashes, covers pyproject's ranges, and is what is installed."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def _pins() -> list[tuple[str, str, str | None, list[str]]]:
    """(name, version, marker, hashes) for every requirement block of the lock file."""
    pins: list[tuple[str, str, str | None, list[str]]] = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            pins.append((m.group(1), m.group(2), m.group(3), []))
        elif line.strip().startswith("--hash=sha256:") and pins:
            pins[-1][3].append(line.strip())
    return pins


def test_every_locked_package_is_pinned_with_hashes() -> None:
    pins = _pins()
    assert len(pins) > 50
    assert all(hashes for _, _, _, hashes in pins), [n for n, _, _, h in pins if not h]
    body = [
        ln for ln in LOCK.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith((" ", "#"))
    ]
    assert len(body) == len(pins), "a requirement line without an exact == pin"


def test_lock_covers_every_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    locked = {canonicalize_name(n): v for n, v, _, _ in _pins()}
    for raw in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        req = Requirement(raw)
        name = canonicalize_name(req.name)
        assert name in locked, (
            f"{req.name} is in pyproject.toml but not in requirements.lock: run `make lock`"
        )
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"{req.name}=={locked[name]} in requirements.lock is outside {req.specifier}: run `make lock`"
        )


def test_installed_versions_are_the_locked_ones() -> None:
    """`make install` installs from the lock: every package that applies here is at its locked version."""
    wrong = []
    for name, version, marker, _ in _pins():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name}: not installed (locked {version})")
            continue
        if have != version:
            wrong.append(f"{name}: {have} installed, {version} locked")
    assert not wrong, "run `make install` (or delete .venv/.installed): " + "; ".join(wrong)
