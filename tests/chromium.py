"""Headless Debian chromium for the browser tests and the screenshot script: one set of flags, because
without the background-networking ones chromium floods this machine's closed network."""

from __future__ import annotations

import socket

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


def chromium_flags(profile: str, *extra: str) -> list[str]:
    """The flags for a fresh profile directory, plus any of the caller's."""
    return [*FLAGS, *extra, f"--user-data-dir={profile}"]


def free_port() -> int:
    """A loopback port nobody listens on, for a server started by the caller."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
