"""UI handlers of the roles actions (custom organisation roles); predefined ones are refused
with a message before any form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from orgtui.core.services.commands_roles import CreateRole, DeleteRole, UpdateRole
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Role
    from orgtui.core.services.results import Done
    from orgtui.ui.app import OrgTuiApp


def _after(app: OrgTuiApp, result: Done, select: str | None = None) -> None:
    from orgtui.ui.features.access.roles_screen import RolesScreen

    if result.message:
        app.notify(safe_str(result.message, 300), markup=False)
    for screen in app.screen_stack:
        if isinstance(screen, RolesScreen):
            screen.reload(select)


def _custom(app: OrgTuiApp, ctx: ActionContext) -> Role | None:
    from orgtui.core.records import Role

    role = ctx.item
    if not isinstance(role, Role):
        app.notify("Select a role first.", severity="warning")
        return None
    if role.predefined_role:
        app.notify(
            f"{safe_str(role.name, 60)} is a predefined role: it is read-only.",
            severity="warning",
            markup=False,
        )
        return None
    return role


def _vocabulary(app: OrgTuiApp) -> list[str]:
    from orgtui.core.services.roles import vocabulary
    from orgtui.ui.features.access.roles_screen import RolesScreen

    for screen in app.screen_stack:
        if isinstance(screen, RolesScreen):
            return vocabulary(screen.roles)
    return []


@ui_action("view.roles")
async def show_roles(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.roles_screen import RolesScreen

    if isinstance(app.screen, RolesScreen):
        return
    await app.push_screen(RolesScreen(ctx.session or app.session))


@ui_action("role.create")
async def create_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.access.role_form import RoleForm

    entered = await app.push_screen_wait(RoleForm(_vocabulary(app)))
    if entered is None:
        return
    result = await app.registry_for(ctx).execute(
        ctx.session or app.session,
        CreateRole(
            name=entered.name,
            permissions=list(entered.permissions),
            description=entered.description,
        ),
    )
    _after(app, result, result.obj_id)


@ui_action("role.edit")
async def edit_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.project_roles import fresh_role
    from orgtui.ui.features.access.role_form import RoleForm

    role = _custom(app, ctx)
    if role is None:
        return
    role = await fresh_role(ctx.session or app.session, role)  # the form opens on what holds now
    entered = await app.push_screen_wait(RoleForm(_vocabulary(app), role))
    if entered is None:
        return
    result = await app.registry_for(ctx).execute(
        ctx.session or app.session,
        UpdateRole(
            role=role,
            name=entered.name,
            permissions=list(entered.permissions),
            description=entered.description,
        ),
    )
    _after(app, result, role.id)


@ui_action("role.delete")
async def delete_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.widgets.confirm import ConfirmScreen

    role = _custom(app, ctx)
    if role is None:
        return
    body = Text("Delete the role ")
    body.append(safe_str(role.name, 60), style="bold")
    body.append("? Every user and group holding it loses its permissions. This cannot be undone.")
    if not await app.push_screen_wait(ConfirmScreen("Delete role", body, "Delete role")):
        return
    result = await app.registry_for(ctx).execute(ctx.session or app.session, DeleteRole(role=role))
    _after(app, result)
