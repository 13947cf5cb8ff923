"""Fixtures for the trust tests (faults, bad input, hostile data, secrets, terminals).

The ORGTUI_* directories already point at a private tmp tree (tests/conftest.py); here the
terminal is made stable (UTC, no NO_COLOR from the developer's shell) and every feature's
action handlers are registered, as in the running console.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

import orgtui.ui.features  # noqa: F401  (every action handler, as the running console has them)


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    time.tzset()
    yield
    time.tzset()


@pytest.fixture
def quiet_clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the copy-once dialog writes to the terminal; no native clipboard tool runs."""
    from orgtui.ui.features.keys import copy_once

    written: list[str] = []
    io = copy_once.ClipboardIO(
        writer_for=lambda app: written.append,
        env={},
        which=lambda name: None,
        use_native=False,
    )
    monkeypatch.setattr(copy_once, "clipboard_io", io)
    return written
