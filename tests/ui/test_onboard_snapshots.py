"""SVG snapshots of onboarding a service (frozen clock, seed 1): the form filled in, and the
plan before anything is sent, at 80x24 and 120x40.

Update with `pytest tests/ui/test_onboard_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from typing import Any

import pytest
from snapshot_scenes import build_app, settle

from orgtui.ui.widgets.form import LabelledInput

FILLED = {
    "app": "ledger",
    "spend": "dev=10, prod=250",
    "services": "api, worker",
    "models": "gpt-4o-mini",
}


async def open_form(pilot: Any) -> None:
    from orgtui.ui.features.onboard.screens import OnboardForm

    await settle(pilot)
    pilot.app.screen.tree.focus()
    await pilot.press("O")
    for _ in range(100):
        if isinstance(pilot.app.screen, OnboardForm):
            break
        await pilot.pause(0.02)
    form = pilot.app.screen
    for field_id, text in FILLED.items():
        form.query_one(f"#{field_id}", LabelledInput).input.value = text
    form.query_one("#app", LabelledInput).input.focus()
    await settle(pilot)


async def open_plan(pilot: Any) -> None:
    from orgtui.ui.features.onboard.screens import OnboardPlanScreen

    await open_form(pilot)
    pilot.app.screen.query_one("#submit").press()
    for _ in range(100):
        if isinstance(pilot.app.screen, OnboardPlanScreen):
            break
        await pilot.pause(0.02)
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_onboard_form(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_form)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_onboard_plan(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_plan)
