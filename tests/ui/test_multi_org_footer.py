"""A read-only organisation's footer does not offer what would change it; a writable one
beside it does, and a mutating key pressed in the read-only one still says why it is refused."""

from __future__ import annotations

from typing import Any

from conftest import notes, settle
from test_multi_org import two_orgs

from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.org_tree import NodeRef, OrgTree


def footer(app: Any) -> list[str]:
    """The footer's items as drawn: "<key> <label>"."""
    return [f"{k.key_display} {k.description}" for k in app.screen.query_one(OrgFooter).children]


async def _select(pilot: Any, app: Any, ref: NodeRef) -> list[str]:
    tree = app.screen.query_one(OrgTree)
    tree.select_ref(ref)
    tree.focus()
    await settle(pilot)
    await pilot.pause()
    return footer(app)


async def test_a_read_only_orgs_footer_leaves_out_mutating_keys() -> None:
    app = two_orgs(staging_read_only=True)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        demo_pid = next(iter(app.sessions[0].snapshot.projects))
        staging_pid = next(iter(app.sessions[1].snapshot.projects))
        assert "N New project" in await _select(pilot, app, NodeRef("demo", "org"))
        shown = await _select(pilot, app, NodeRef("staging", "org"))
        assert "N New project" not in shown and "O Onboard" not in shown
        assert "i Invite" not in shown  # a global key: the focused org is read-only
        assert "? Help" in shown and "s Spend" in shown  # what only reads stays
        shown = await _select(pilot, app, NodeRef("staging", "project", staging_pid))
        assert "n New key" not in shown and "X Archive project" not in shown
        before = len(notes(app))
        await pilot.press("n")  # the key still answers: it says why, it does not do nothing
        await settle(pilot)
        assert any("not allowed" in n for n in notes(app)[before:])
        assert app.screen.id == "main"  # and no dialog opened
        shown = await _select(pilot, app, NodeRef("demo", "project", demo_pid))
        assert "n New key" in shown and "X Archive project" in shown
        assert "i Invite" in shown


async def test_the_incident_view_of_a_read_only_org_offers_no_containment() -> None:
    from orgtui.ui.features.incident.screen import IncidentScreen
    from tests.pilot_support import wait_for_screen, wait_until

    app = two_orgs(staging_read_only=True, demo=False)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await _select(pilot, app, NodeRef("staging", "org"))
        await pilot.press("exclamation_mark")
        screen = await wait_for_screen(pilot, IncidentScreen)
        assert screen.session is app.sessions[1]
        shown = footer(app)
        assert "r Re-read" in shown
        assert not {"o Rotate key", "d Delete key", "x Stop spend"} & set(shown)
        await pilot.press("O")  # the writable org's incident view offers them
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, IncidentScreen) and app.screen.session is app.sessions[0]
            ),
        )
        await settle(pilot)
        await pilot.pause()
        assert {"o Rotate key", "d Delete key", "x Stop spend"} <= set(footer(app))


async def test_help_in_a_read_only_org_lists_no_mutating_key_as_working_here() -> None:
    from orgtui.ui.features.shell.help_screen import HelpScreen
    from tests.pilot_support import wait_for_screen

    async def keys_here(ref: NodeRef) -> str:
        await _select(pilot, app, ref)
        await pilot.press("question_mark")
        screen = await wait_for_screen(pilot, HelpScreen)
        here = "\n".join(row[1] for row in screen._here)
        await pilot.press("escape")
        await settle(pilot)
        return here

    app = two_orgs(staging_read_only=True)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        staging_pid = next(iter(app.sessions[1].snapshot.projects))
        demo_pid = next(iter(app.sessions[0].snapshot.projects))
        here = await keys_here(NodeRef("staging", "project", staging_pid))
        assert "New key" not in here and "Archive project" not in here
        assert "Spend" in here and "Help" in here
        here = await keys_here(NodeRef("demo", "project", demo_pid))
        assert "New key" in here and "Archive project" in here
