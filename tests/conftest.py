"""Test isolation: no network beyond loopback, a private data dir, fresh settings."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.settings import get_settings, prepare_offline_environment

prepare_offline_environment()
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return isinstance(address, str | bytes)  # AF_UNIX paths stay on this machine


class NetworkBlockedError(RuntimeError):
    pass


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise NetworkBlockedError(f"test tried to reach non-loopback address {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_loopback(address):
        raise NetworkBlockedError(f"test tried to reach non-loopback address {address!r}")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index for the whole session: building it is the slow part."""
    return tmp_path_factory.mktemp("jiebang-data")


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, shared_data_dir: Path) -> Iterator[None]:
    for var in ("JIEBANG_LLM_BASE_URL", "JIEBANG_LLM_MODEL", "JIEBANG_LLM_API_KEY", "JIEBANG_TELEGRAM_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("JIEBANG_DATA_DIR", str(shared_data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
