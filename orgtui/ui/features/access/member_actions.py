"""UI handlers of a member's own roles and of "what they can do, and why".

* `user_role.assign` / `.revoke` (org members list): a custom organisation role given to the
  member directly, or taken back (confirmed);
* `project_user_role.assign` / `.revoke` (a project's Members tab): a custom project role;
* `member.explain` / `group.explain` (`w`): the screen of everything they can do, and why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from orgtui.core.services.commands_roles import (
    AssignProjectUserRole,
    AssignUserRole,
    UnassignProjectUserRole,
    UnassignUserRole,
)
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.features.access.project_actions import pick_role
from orgtui.ui.text import safe_str, safe_text

if TYPE_CHECKING:
    from orgtui.core.commands import Command
    from orgtui.core.services.results import Done
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp


def _session(app: OrgTuiApp, ctx: ActionContext) -> Session:
    return ctx.session or app.session


def _member(app: OrgTuiApp, ctx: ActionContext) -> tuple[str, str] | None:
    """(user id, label) of the selected member (org or project member)."""
    item = ctx.item
    uid = getattr(item, "id", None)
    if not isinstance(uid, str) or not uid.startswith("user"):
        app.notify("Select a member first.", severity="warning")
        return None
    return uid, getattr(item, "name", None) or getattr(item, "email", None) or uid


def _notify(app: OrgTuiApp, result: Done) -> None:
    if result.message:
        app.notify(safe_str(result.message, 300), markup=False)


def _title(text: str, name: str) -> Text:
    title = Text(text)
    title.append_text(safe_text(name, 50))
    return title


async def _give(app: OrgTuiApp, ctx: ActionContext, project_id: str | None) -> None:
    from orgtui.core.services.assignments import direct_roles
    from orgtui.core.services.project_roles import load_project_roles
    from orgtui.core.services.roles import load_roles

    member = _member(app, ctx)
    if member is None:
        return
    uid, label = member
    session = _session(app, ctx)
    held = {r.id for r in await direct_roles(session, uid, project_id)}
    every = await (load_project_roles(session, project_id) if project_id else load_roles(session))
    roles = [r for r in every if not r.predefined_role and r.id not in held]
    where = "project" if project_id else "organisation"
    if not roles:
        app.notify(
            f"No custom {where} role left to give (create one with n on the roles screen).",
            severity="warning",
        )
        return
    note = "custom roles only; the predefined role is the membership (e changes it)"
    role = await pick_role(app, _title(f"Give a {where} role to ", label), roles, note)
    if role is None:
        return
    command: Command[Done] = (
        AssignProjectUserRole(project_id=project_id, user_id=uid, role=role, label=label)
        if project_id
        else AssignUserRole(user_id=uid, role=role, label=label)
    )
    _notify(app, await app.registry_for(ctx).execute(session, command))


async def _take(app: OrgTuiApp, ctx: ActionContext, project_id: str | None) -> None:
    from orgtui.core.services.assignments import direct_roles
    from orgtui.ui.widgets.confirm import ConfirmScreen

    member = _member(app, ctx)
    if member is None:
        return
    uid, label = member
    session = _session(app, ctx)
    roles = await direct_roles(session, uid, project_id)
    where = "project" if project_id else "organisation"
    if not roles:
        app.notify(f"{safe_str(label, 60)} holds no custom {where} role directly.", markup=False)
        return
    role = await pick_role(app, _title(f"Take a {where} role from ", label), roles)
    if role is None:
        return
    body = Text("Take the role ")
    body.append(safe_str(role.name, 60), style="bold")
    body.append(" from ")
    body.append(safe_str(label, 60), style="bold")
    body.append("? They keep it only where a group of theirs gives it.")
    if not await app.push_screen_wait(ConfirmScreen("Take role", body, "Take role")):
        return
    revoke: Command[Done] = (
        UnassignProjectUserRole(project_id=project_id, user_id=uid, role=role, label=label)
        if project_id
        else UnassignUserRole(user_id=uid, role=role, label=label)
    )
    _notify(app, await app.registry_for(ctx).execute(session, revoke))


@ui_action("user_role.assign")
async def give_org_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    await _give(app, ctx, None)


@ui_action("user_role.revoke")
async def take_org_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    await _take(app, ctx, None)


@ui_action("project_user_role.assign")
async def give_project_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    if ctx.project_id:
        await _give(app, ctx, ctx.project_id)


@ui_action("project_user_role.revoke")
async def take_project_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    if ctx.project_id:
        await _take(app, ctx, ctx.project_id)


@ui_action("member.explain")
@ui_action("project_member.explain")
@ui_action("group_member.explain")
async def explain_member(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.explain_screen import ExplainScreen

    member = _member(app, ctx)
    if member is not None:
        await app.push_screen(ExplainScreen(_session(app, ctx), "member", *member))


@ui_action("group.explain")
async def explain_group(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.actions import _group
    from orgtui.ui.features.access.explain_screen import ExplainScreen

    group = _group(app, ctx)
    if group is not None:
        screen = ExplainScreen(_session(app, ctx), "group", group.group.id, group.group.name)
        await app.push_screen(screen)
