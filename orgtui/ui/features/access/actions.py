"""UI handlers of the groups actions: ask (form, picker, confirmation), then invoke the core
handler through the registry (read-only refuses before anything is shown), then reload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from orgtui.core.services.commands_members import (
    AddGroupMember,
    CreateGroup,
    DeleteGroup,
    GrantGroupRole,
    RemoveGroupMember,
    RenameGroup,
    RevokeGroupRole,
)
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str, safe_text

if TYPE_CHECKING:
    from orgtui.core.access import GroupAccess
    from orgtui.core.services.results import Done
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp


def _session(app: OrgTuiApp, ctx: ActionContext) -> Session:
    return ctx.session or app.session


def _after(app: OrgTuiApp, result: Done, select: str | None = None) -> None:
    from orgtui.ui.features.access.groups_screen import GroupsScreen

    if result.message:
        app.notify(safe_str(result.message, 300), markup=False)
    for screen in app.screen_stack:
        if isinstance(screen, GroupsScreen):
            screen.reload(select)


def _group(app: OrgTuiApp, ctx: ActionContext) -> GroupAccess | None:
    from orgtui.core.access import GroupAccess

    item = ctx.extra.get("group") if ctx.extra.get("group") is not None else ctx.item
    if isinstance(item, GroupAccess):
        return item
    app.notify("Select a group first.", severity="warning")
    return None


@ui_action("view.groups")
async def show_groups(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.groups_screen import GroupsScreen

    if isinstance(app.screen, GroupsScreen):
        return
    await app.push_screen(GroupsScreen(_session(app, ctx)))


@ui_action("group.create")
async def create_group(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.forms import GroupNameForm

    name = await app.push_screen_wait(GroupNameForm())
    if name is None:
        return
    result = await app.registry_for(ctx).execute(_session(app, ctx), CreateGroup(name=name))
    _after(app, result, result.obj_id)


@ui_action("group.rename")
async def rename_group(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.forms import GroupNameForm

    group = _group(app, ctx)
    if group is None:
        return
    name = await app.push_screen_wait(GroupNameForm(group.group.name))
    if name is None or name == group.group.name:
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx), RenameGroup(group_id=group.group.id, name=name)
    )
    _after(app, result, group.group.id)


@ui_action("group.delete")
async def delete_group(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.widgets.confirm import ConfirmScreen

    group = _group(app, ctx)
    if group is None:
        return
    body = Text("Delete the group ")
    body.append(safe_str(group.group.name, 60), style="bold")
    body.append(f"? Its {len(group.members)} member(s) lose every role it gives them")
    if group.org_roles:
        body.append(" (" + safe_str(", ".join(r.name for r in group.org_roles), 80) + ")")
    body.append(", in the organisation and in its projects. This cannot be undone.")
    if not await app.push_screen_wait(ConfirmScreen("Delete group", body, "Delete group")):
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx), DeleteGroup(group_id=group.group.id, name=group.group.name)
    )
    _after(app, result)


@ui_action("group.add_member")
async def add_member(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services._common import load_users
    from orgtui.ui.features.access.forms import MemberPicker

    group = _group(app, ctx)
    if group is None:
        return
    session = _session(app, ctx)
    users = await load_users(session)
    picked = await app.push_screen_wait(
        MemberPicker(group.group.name, users, {m.id for m in group.members})
    )
    if picked is None:
        return
    result = await app.registry_for(ctx).execute(
        session,
        AddGroupMember(
            group_id=group.group.id, user_id=picked.id, label=picked.name or picked.email
        ),
    )
    _after(app, result, group.group.id)


@ui_action("group_member.remove")
async def remove_member(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.records import GroupMember
    from orgtui.ui.widgets.confirm import ConfirmScreen

    group = _group(app, ctx)
    member = ctx.item
    if group is None or not isinstance(member, GroupMember):
        return
    who = member.name or member.email or member.id
    body = Text("Remove ")
    body.append(safe_str(who, 60), style="bold")
    body.append(" from ")
    body.append(safe_str(group.group.name, 60), style="bold")
    body.append("? They lose every role the group gives them, unless they hold it otherwise.")
    if not await app.push_screen_wait(ConfirmScreen("Remove from group", body, "Remove")):
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx), RemoveGroupMember(group_id=group.group.id, user_id=member.id, label=who)
    )
    _after(app, result, group.group.id)


def _role_label(role: Any) -> Text:
    label = safe_text(role.name, 50)
    label.append("  predefined" if role.predefined_role else "  custom", style="dim")
    return label


@ui_action("group.grant_role")
async def grant_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.roles import load_roles
    from orgtui.ui.features.access.forms import ChoicePicker

    group = _group(app, ctx)
    if group is None:
        return
    session = _session(app, ctx)
    held = {r.id for r in group.org_roles}
    roles = [r for r in await load_roles(session) if r.id not in held]
    if not roles:
        app.notify("The group already holds every organisation role.", severity="warning")
        return
    title = Text("Give an organisation role to ")
    title.append_text(safe_text(group.group.name, 50))
    picked = await app.push_screen_wait(
        ChoicePicker(title, [(r.id, _role_label(r)) for r in roles])
    )
    if picked is None:
        return
    result = await app.registry_for(ctx).execute(
        session, GrantGroupRole(group_id=group.group.id, role_id=picked)
    )
    _after(app, result, group.group.id)


@ui_action("group.revoke_role")
async def revoke_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.forms import ChoicePicker
    from orgtui.ui.widgets.confirm import ConfirmScreen

    group = _group(app, ctx)
    if group is None:
        return
    if not group.org_roles:
        app.notify("The group holds no organisation role.", severity="warning")
        return
    title = Text("Take an organisation role from ")
    title.append_text(safe_text(group.group.name, 50))
    picked = await app.push_screen_wait(
        ChoicePicker(title, [(r.id, _role_label(r)) for r in group.org_roles])
    )
    role = next((r for r in group.org_roles if r.id == picked), None)
    if role is None:
        return
    body = Text("Take the role ")
    body.append(safe_str(role.name, 60), style="bold")
    body.append(" from ")
    body.append(safe_str(group.group.name, 60), style="bold")
    body.append(f"? Its {len(group.members)} member(s) lose it unless they hold it otherwise.")
    if not await app.push_screen_wait(ConfirmScreen("Take role", body, "Take role")):
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx),
        RevokeGroupRole(group_id=group.group.id, role_id=role.id, label=role.name),
    )
    _after(app, result, group.group.id)


async def reveal_access(
    app: OrgTuiApp, kind: str, object_id: str, project_id: str | None = None
) -> bool:
    """Open the Groups (or Roles) screen on one group (role), from a health finding; a project
    role opens its project's roles."""
    from orgtui.ui.features.access.groups_screen import GroupsScreen
    from orgtui.ui.features.access.project_roles_screen import ProjectRolesScreen
    from orgtui.ui.features.access.roles_screen import RolesScreen

    if len(app.screen_stack) > 1:
        app.pop_screen()  # the health screen
    if kind == "role" and project_id:
        await app.push_screen(ProjectRolesScreen(app.session, project_id, select=object_id))
        return True
    screen_cls = GroupsScreen if kind == "group" else RolesScreen
    await app.push_screen(screen_cls(app.session, select=object_id))
    return True
