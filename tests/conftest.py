"""Shared test fixtures: every test runs with its own config, cache, data and state dirs."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import textual.constants

# No animations in tests: a snapshot taken mid-animation (a tab underline sliding) is flaky.
# The App reads this when it is created, so every test app, snapshot or not, gets it.
textual.constants.TEXTUAL_ANIMATIONS = "none"  # type: ignore[misc]

# A fixed moment for snapshots and figures: Wednesday 2026-11-18 14:30:00 UTC.
FROZEN_NOW = 1795012200.0

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SPEC_PATH = SHARED_DIR / "openai-admin-openapi.yaml"


# In CI a skip is a failure: a missing spec, sandbox or tool must be installed by .ci/run, not
# silently pass. Locally skips are allowed and listed (-rs in addopts).
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _fail_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI, which counts as a failure: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        _fail_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if IN_CI and report.skipped:
        _fail_skip(report)


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Keep the developer's own config, cache and sandbox data out of every test."""
    root = tmp_path_factory.mktemp("orgtui-home")
    for kind in ("CONFIG", "CACHE", "DATA", "STATE"):
        path = root / kind.lower()
        path.mkdir()
        monkeypatch.setenv(f"ORGTUI_{kind}_DIR", str(path))
    for name in (
        "ORGTUI_CONFIG",
        "ORGTUI_PROFILE",
        "ORGTUI_READ_ONLY",
        "ORGTUI_THEME",
        "OPENAI_ADMIN_KEY",
        "TMUX",
        "STY",
    ):
        monkeypatch.delenv(name, raising=False)
    return root


@pytest.fixture(autouse=True)
def _collection_on() -> Iterator[None]:
    """Each test starts with cyclic garbage collection on, as a process does until the command
    line turns it off for a console's start (`orgtui.perf_gc`); a test that ran `main()` in this
    process without drawing a frame would otherwise leave it off for the tests after it."""
    gc.enable()
    yield
    gc.enable()
    gc.unfreeze()  # what a test's app froze (orgtui.perf_gc) is collectable again


@pytest.fixture(autouse=True)
def _no_live_counters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pictures hold nothing that moves with request timing: the header's live request count
    is left out (`test_header_shows_the_live_request_count` turns it back on)."""
    from orgtui.ui.app import OrgTuiApp

    monkeypatch.setattr(OrgTuiApp, "live_counters", False)


@pytest.fixture
def spec_path() -> Path:
    if not SPEC_PATH.exists():
        pytest.skip(f"the Admin API spec is not at {SPEC_PATH}")
    return SPEC_PATH


@pytest.fixture
def frozen_now() -> float:
    """The fixed moment (unix seconds) that snapshots and figures are computed at."""
    return FROZEN_NOW


# ---------------------------------------------------------------- refresh shorthands for tests
# The product refreshes through `Syncer.refresh_all` and `Syncer.refresh_parts`; these name the
# part lists the tests ask for.


async def refresh_projects(syncer: Any) -> Any:
    return await syncer.refresh_parts(["projects"])


async def refresh_org(syncer: Any) -> Any:
    from orgtui.core.snapshot import ORG_PART_FIELDS

    return await syncer.refresh_parts(list(ORG_PART_FIELDS))


async def refresh_project(syncer: Any, pid: str) -> Any:
    from orgtui.core.snapshot import PROJECT_PART_KINDS, project_part

    return await syncer.refresh_parts([project_part(pid, kind) for kind in PROJECT_PART_KINDS])
