"""Pictures of the Certificates node and a project's Security tab at 80x24 and 120x40."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SNAPSHOT_SIZES
from security_support import open_certificates, open_security
from snapshot_scenes import build_app, settle


@pytest.mark.parametrize("size", SNAPSHOT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_certificates(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        pane = await open_certificates(pilot)
        cid = pilot.app.extra_sandbox.store.scalar(
            "SELECT id FROM certificates WHERE name = 'edge-mtls-2025'"
        )
        pane.table.select_key(cid)
        await settle(pilot)

    assert snap_compare(build_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SNAPSHOT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_project_security_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await open_security(pilot, "data-pipeline")
        await settle(pilot)

    assert snap_compare(build_app(), terminal_size=size, run_before=run_before)
