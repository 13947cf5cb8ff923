"""Every dialog's every button does something when pressed by enter, by space and by a click:
the dialog closes, or what it shows changes (an error, a next step). Walks the same list of
surfaces as the layout test (`layout_harness.SURFACES`)."""

from __future__ import annotations

from typing import Any

import pytest
from layout_harness import MODALS, Surface, wait_for_screen
from snapshot_scenes import build_app, settle

from tests.pilot_support import wait_idle

METHODS = ("enter", "space", "click")


def _screen_text(app: Any) -> str:
    return app.export_screenshot()


def _buttons(app: Any) -> list[Any]:
    from textual.widgets import Button

    found = [b for b in app.screen.query(Button) if b.display and not b.disabled]
    # Cancel-like buttons first: the primary one (which may change the organisation) last.
    return sorted(found, key=lambda b: b.variant in ("primary", "error", "warning"))


async def _close_dialogs(pilot: Any, depth: int) -> None:
    app = pilot.app
    while len(app.screen_stack) > depth:
        app.screen.dismiss(None)
        await pilot.pause()
    await pilot.pause()


async def _press(pilot: Any, button: Any, method: str) -> None:
    if method == "click":
        await pilot.click(button)
    else:
        await pilot.press(method)
    await _quiet(pilot)


async def _quiet(pilot: Any) -> None:
    """No press flash (a button's `-active` look lasts 0.2 s of real time): a picture taken
    after a press differs from the one before only if the press did something. Then idle."""
    from textual.widgets import Button

    for button in pilot.app.screen.query(Button):
        button.active_effect_duration = 0
        button.remove_class("-active")
    await wait_idle(pilot)


WITH_BUTTONS = tuple(m for m in MODALS if m.name not in ("help", "jump", "palette", "audit_detail"))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("surface", WITH_BUTTONS, ids=lambda s: s.name)
async def test_every_button_does_something(surface: Surface, method: str) -> None:
    """One app per dialog and way of pressing (a button that changes the organisation can be
    pressed once per app): each button in turn, the dialog opened afresh before each press,
    cancel-like buttons first and the one that changes things last."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await surface.open(pilot)
        assert type(app.screen).__name__ == surface.screen
        depth = len(app.screen_stack)
        labels = [str(b.label) for b in _buttons(app)]
        assert labels, f"{surface.name} has no buttons"
        for n, label in enumerate(labels):
            if n:  # open it again for the next button
                await _close_dialogs(pilot, depth - 1)
                await surface.open(pilot)
                await wait_for_screen(pilot, surface.screen)
            dialog = app.screen
            button = next(b for b in _buttons(app) if str(b.label) == label)
            # Focused and under the mouse before the first picture: only the press differs.
            button.focus()
            await pilot.hover(button)
            await _quiet(pilot)
            before = _screen_text(app)
            await _press(pilot, button, method)
            if app.screen is not dialog:
                await settle(pilot)
            changed = app.screen is not dialog or _screen_text(app) != before
            assert changed, f"{surface.name}: {label!r} by {method} did nothing"
