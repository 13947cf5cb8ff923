"""UI handlers of a project's access: its groups and their project roles (the Groups tab) and
its custom roles (the project roles screen). Each asks (picker, form, confirmation), then
invokes the core handler through the registry (read-only refuses before anything is shown),
then reads the tab or screen again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from orgtui.core.services.commands_roles import (
    AddProjectGroup,
    CreateProjectRole,
    DeleteProjectRole,
    GrantProjectGroupRole,
    RemoveProjectGroup,
    RevokeProjectGroupRole,
    UpdateProjectRole,
)
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str, safe_text

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Role
    from orgtui.core.services.results import Done
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.features.access.project_groups import ProjectGroup


def _session(app: OrgTuiApp, ctx: ActionContext) -> Session:
    return ctx.session or app.session


def _after(app: OrgTuiApp, result: Done, select: str | None = None) -> None:
    from orgtui.ui.features.access.project_groups import ProjectGroupsPanel
    from orgtui.ui.features.access.project_roles_screen import ProjectRolesScreen

    if result.message:
        app.notify(safe_str(result.message, 300), markup=False)
    for screen in app.screen_stack:
        for panel in screen.query(ProjectGroupsPanel):
            panel.reload(select)
        if isinstance(screen, ProjectRolesScreen):
            screen.reload(result.obj_id)


def _project(app: OrgTuiApp, ctx: ActionContext) -> str | None:
    if not ctx.project_id:
        app.notify("Select a project first.", severity="warning")
    return ctx.project_id


def _group(app: OrgTuiApp, ctx: ActionContext) -> ProjectGroup | None:
    from orgtui.ui.features.access.project_groups import ProjectGroup

    if isinstance(ctx.item, ProjectGroup):
        return ctx.item
    app.notify("Select a group first.", severity="warning")
    return None


def role_label(role: Any) -> Text:
    label = safe_text(role.name, 50)
    label.append("  predefined" if role.predefined_role else "  custom", style="dim")
    return label


async def pick_role(app: OrgTuiApp, title: Text, roles: list[Any], note: str = "") -> Any | None:
    from orgtui.ui.features.access.forms import ChoicePicker

    picked = await app.push_screen_wait(
        ChoicePicker(title, [(r.id, role_label(r)) for r in roles], note)
    )
    return next((r for r in roles if r.id == picked), None)


def _titled(text: str, name: str) -> Text:
    title = Text(text)
    title.append_text(safe_text(name, 50))
    return title


@ui_action("project_group.add")
async def add_group(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.assignments import list_groups
    from orgtui.core.services.project_roles import load_project_roles
    from orgtui.ui.features.access.forms import ChoicePicker
    from orgtui.ui.features.access.project_groups import ProjectGroupsPanel

    pid = _project(app, ctx)
    if pid is None:
        return
    session = _session(app, ctx)
    panels = list(app.screen.query(ProjectGroupsPanel))
    present = {g.id for p in panels for g in p.groups}
    groups = [g for g in await list_groups(session) if g.id not in present]
    if not groups:
        app.notify("Every group already has access to this project.", severity="warning")
        return
    picked = await app.push_screen_wait(
        ChoicePicker(
            Text("Give a group access to the project"),
            [(g.id, safe_text(g.name, 60)) for g in groups],
        )
    )
    group = next((g for g in groups if g.id == picked), None)
    if group is None:
        return
    role = await pick_role(
        app, _titled("Project role for ", group.name), await load_project_roles(session, pid)
    )
    if role is None:
        return
    result = await app.registry_for(ctx).execute(
        session, AddProjectGroup(project_id=pid, group_id=group.id, role=role, label=group.name)
    )
    _after(app, result, group.id)


@ui_action("project_group.remove")
async def remove_group(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.widgets.confirm import ConfirmScreen

    group, pid = _group(app, ctx), _project(app, ctx)
    if group is None or pid is None:
        return
    body = Text("Remove the group ")
    body.append(safe_str(group.name, 60), style="bold")
    body.append(" from the project? Its members lose ")
    body.append(safe_str(", ".join(r.name for r in group.roles) or "its access", 80), style="bold")
    body.append(" here, unless they hold it otherwise.")
    if not await app.push_screen_wait(ConfirmScreen("Remove group", body, "Remove group")):
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx), RemoveProjectGroup(project_id=pid, group_id=group.id, label=group.name)
    )
    _after(app, result)


@ui_action("project_group.grant_role")
async def grant_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.project_roles import load_project_roles

    group, pid = _group(app, ctx), _project(app, ctx)
    if group is None or pid is None:
        return
    session = _session(app, ctx)
    held = {r.id for r in group.roles}
    roles = [r for r in await load_project_roles(session, pid) if r.id not in held]
    if not roles:
        app.notify("The group already holds every role of the project.", severity="warning")
        return
    role = await pick_role(app, _titled("Give a project role to ", group.name), roles)
    if role is None:
        return
    result = await app.registry_for(ctx).execute(
        session,
        GrantProjectGroupRole(project_id=pid, group_id=group.id, role=role, label=group.name),
    )
    _after(app, result, group.id)


@ui_action("project_group.revoke_role")
async def revoke_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.widgets.confirm import ConfirmScreen

    group, pid = _group(app, ctx), _project(app, ctx)
    if group is None or pid is None:
        return
    if not group.roles:
        app.notify("The group holds no role in this project.", severity="warning")
        return
    role = await pick_role(app, _titled("Take a project role from ", group.name), list(group.roles))
    if role is None:
        return
    body = Text("Take the project role ")
    body.append(safe_str(role.name, 60), style="bold")
    body.append(" from ")
    body.append(safe_str(group.name, 60), style="bold")
    body.append("? Its members lose it here unless they hold it otherwise.")
    if not await app.push_screen_wait(ConfirmScreen("Take role", body, "Take role")):
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx),
        RevokeProjectGroupRole(project_id=pid, group_id=group.id, role=role, label=group.name),
    )
    _after(app, result, group.id)


# -- the project's custom roles -----------------------------------------------------------------


@ui_action("view.project_roles")
async def show_project_roles(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.project_roles_screen import ProjectRolesScreen

    pid = _project(app, ctx)
    if pid is not None:
        await app.push_screen(ProjectRolesScreen(_session(app, ctx), pid))


def _vocabulary(app: OrgTuiApp) -> list[str]:
    from orgtui.core.services.roles import vocabulary
    from orgtui.ui.features.access.project_roles_screen import ProjectRolesScreen

    screen = app.screen
    return vocabulary(screen.roles) if isinstance(screen, ProjectRolesScreen) else []


def _custom(app: OrgTuiApp, ctx: ActionContext) -> Role | None:
    from orgtui.ui.features.access.role_actions import _custom as custom

    return custom(app, ctx)


@ui_action("project_role.create")
async def create_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.role_form import RoleForm

    pid = _project(app, ctx)
    if pid is None:
        return
    entered = await app.push_screen_wait(RoleForm(_vocabulary(app)))
    if entered is None:
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx),
        CreateProjectRole(
            project_id=pid,
            name=entered.name,
            permissions=list(entered.permissions),
            description=entered.description,
        ),
    )
    _after(app, result)


@ui_action("project_role.edit")
async def edit_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.project_roles import fresh_role
    from orgtui.ui.features.access.role_form import RoleForm

    role, pid = _custom(app, ctx), _project(app, ctx)
    if role is None or pid is None:
        return
    session = _session(app, ctx)
    role = await fresh_role(session, role, pid)
    entered = await app.push_screen_wait(RoleForm(_vocabulary(app), role))
    if entered is None:
        return
    result = await app.registry_for(ctx).execute(
        session,
        UpdateProjectRole(
            project_id=pid,
            role=role,
            name=entered.name,
            permissions=list(entered.permissions),
            description=entered.description,
        ),
    )
    _after(app, result)


@ui_action("project_role.delete")
async def delete_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.widgets.confirm import ConfirmScreen

    role, pid = _custom(app, ctx), _project(app, ctx)
    if role is None or pid is None:
        return
    body = Text("Delete the project role ")
    body.append(safe_str(role.name, 60), style="bold")
    body.append("? Every user and group holding it in this project loses its permissions.")
    if not await app.push_screen_wait(ConfirmScreen("Delete role", body, "Delete role")):
        return
    result = await app.registry_for(ctx).execute(
        _session(app, ctx), DeleteProjectRole(project_id=pid, role=role)
    )
    _after(app, result)
