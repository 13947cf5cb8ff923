"""Every screen and every modal of the console, each with the keys that open it (no tests here).

`SURFACES` is the list the layout and button tests walk: a name, the keys that open it from a
fresh start on the sandbox, and the screen class that must then be on top. A new dialog or
screen belongs here: the tests then prove it fits 80x24 and that its buttons work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from snapshot_scenes import goto_node, goto_project, press, settle, then

from tests import pilot_support

Opener = Callable[[Any], Awaitable[None]]


@dataclass(frozen=True)
class Surface:
    name: str
    open: Opener
    screen: str  # class name of the screen on top once open
    modal: bool = True


def _mint_copy_once() -> Opener:
    async def run(pilot: Any) -> None:
        await goto_project("search-dev", focus=False)(pilot)
        await pilot.press("n")
        await wait_for_screen(pilot, "KeyCreateScreen")
        field = pilot.app.screen.query_one("#name")
        field.input.value = "search-dev-harness"
        field.input.focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, "CopyOnceScreen")

    return run


async def wait_for_screen(pilot: Any, name: str) -> None:
    await pilot_support.wait_for_screen(pilot, name)
    pilot_support.freeze_cursors(pilot.app)


SURFACES: tuple[Surface, ...] = (
    # -- screens
    Surface("main", settle, "MainScreen", modal=False),
    Surface("spend", then(settle, press("s")), "SpendScreen", modal=False),
    Surface("limits", then(settle, press("s", "enter")), "LimitsScreen", modal=False),
    Surface("health", then(settle, press("h")), "HealthScreen", modal=False),
    Surface("audit", then(settle, press("a")), "AuditScreen", modal=False),
    Surface("matrix", then(settle, press("M")), "MatrixScreen", modal=False),
    # -- modals
    Surface("help", then(settle, press("question_mark")), "HelpScreen"),
    Surface("jump", then(settle, press("colon")), "JumpScreen"),
    Surface("palette", then(settle, press("ctrl+p")), "CommandPalette"),
    Surface("create_project", then(settle, press("N")), "CreateProjectForm"),
    Surface(
        "rename_project",
        then(goto_project("search-dev", focus=False), press("e")),
        "RenameProjectForm",
    ),
    Surface(
        "archive_project",
        then(goto_project("search-dev", focus=False), press("X")),
        "ConfirmScreen",
    ),
    Surface(
        "key_create", then(goto_project("search-dev", focus=False), press("n")), "KeyCreateScreen"
    ),
    Surface("copy_once", _mint_copy_once(), "CopyOnceScreen"),
    Surface("key_delete", then(goto_project("search-prod"), press("d")), "ConfirmScreen"),
    Surface("key_rotate", then(goto_project("search-prod"), press("o")), "RotationWizard"),
    Surface("account_mint", then(goto_project("search-prod", tab=2), press("n")), "MintKeyScreen"),
    Surface(
        "account_role", then(goto_project("search-prod", tab=2), press("e")), "AccountRoleScreen"
    ),
    Surface(
        "account_delete", then(goto_project("search-prod", tab=2), press("d")), "ConfirmScreen"
    ),
    Surface(
        "project_member_add",
        then(goto_project("search-prod", tab=3), press("plus")),
        "AddMemberScreen",
    ),
    Surface(
        "project_member_role", then(goto_project("search-prod", tab=3), press("e")), "RoleScreen"
    ),
    Surface(
        "project_member_remove",
        then(goto_project("search-prod", tab=3), press("d")),
        "ConfirmScreen",
    ),
    Surface("limit_set", then(goto_project("search-prod", tab=4), press("L")), "LimitForm"),
    Surface("alert_add", then(goto_project("search-prod", tab=4), press("plus")), "AlertForm"),
    Surface(
        "limit_remove", then(goto_project("search-prod", tab=4), press("ctrl+x")), "ConfirmScreen"
    ),
    Surface("alert_change", then(goto_project("search-prod", tab=4), press("e")), "AlertForm"),
    Surface("alert_delete", then(goto_project("search-prod", tab=4), press("d")), "ConfirmScreen"),
    Surface("matrix_change", then(settle, press("M", "right", "down", "e")), "RoleScreen"),
    Surface("invite", then(settle, press("i")), "InviteScreen"),
    Surface("invite_delete", goto_node("invites", "enter", "d"), "ConfirmScreen"),
    Surface("org_member_role", goto_node("members", "enter", "e"), "RoleScreen"),
    Surface("org_member_remove", goto_node("members", "enter", "d"), "ConfirmScreen"),
    Surface("admin_key_create", goto_node("admin_keys", "enter", "n"), "AdminKeyCreateScreen"),
    Surface("admin_key_delete", goto_node("admin_keys", "enter", "d"), "ConfirmScreen"),
    Surface("audit_detail", then(settle, press("a", "down", "enter")), "AuditDetailScreen"),
)

MODALS = tuple(s for s in SURFACES if s.modal)


def visible_part(app: Any, widget: Any) -> Any:
    """The part of `widget` the user can see (its region clipped by every container)."""
    from textual.errors import NoWidget

    try:
        geometry = app.screen.find_widget(widget)
    except (NoWidget, KeyError):
        return None
    return geometry.region.intersection(geometry.clip)


async def unreachable(pilot: Any) -> list[str]:
    """Focusable widgets and Buttons that cannot be seen, even once focused (which scrolls a
    scrollable container to them). Each is named with its region and what shows of it."""
    from textual.widgets import Button

    app = pilot.app
    screen = app.screen
    out: list[str] = []
    chain = list(screen.focus_chain)
    buttons = [b for b in screen.query(Button) if b.display and b.visible]
    for widget in chain + [b for b in buttons if b not in chain]:
        if widget in chain:
            widget.focus(scroll_visible=True)
            await pilot.pause()
            await pilot.pause()
        seen = visible_part(app, widget)
        region = widget.region
        whole = isinstance(widget, Button) or region.height <= 3
        if seen is None or seen.area == 0:
            out.append(f"{widget!r} at {region} is not visible")
        elif whole and seen != region:
            out.append(f"{widget!r} at {region} shows only {seen}")
        elif not app.screen.region.contains_region(seen):
            out.append(f"{widget!r} at {region} is off screen")
    return out
