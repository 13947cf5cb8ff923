"""UI handlers of the member actions: organisation members, invites, project members, matrix.

Each handler gathers what the action needs (a dialog), then calls the core service through
the registry (`registry.invoke`, the read-only gate), and reports the service's own sentence.
The service applies the result to the session, so the tree, tables and cache follow at once.
Refusals that need no dialog (last owner, archived project) are core's rules, asked by
`dispatch.run_registered` before the handler runs (`core.rules.precheck`); an accepted invite
is refused here before any dialog opens. The dispatch shows an API failure's own text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.core.services.commands_members import (
    AddProjectMember,
    ChangeInviteRole,
    ChangeMatrix,
    CreateInvites,
    DeleteInvite,
    RemoveMatrix,
    RemoveOrgMember,
    RemoveProjectMember,
    SetOrgRole,
    SetProjectRole,
)
from orgtui.core.services.errors import (
    AcceptedInviteError,
    InvalidInput,
)
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from orgtui.core.commands import Command
    from orgtui.core.services.results import InviteReport, Result
    from orgtui.core.session import Session
    from orgtui.core.snapshot import ProjectView
    from orgtui.ui.app import OrgTuiApp

__all__ = ["invite_flow", "report_invites"]


R = TypeVar("R")


def _session(app: OrgTuiApp, ctx: ActionContext) -> Session:
    return ctx.session or app.session


async def _execute(app: OrgTuiApp, ctx: ActionContext, command: Command[R]) -> R:
    session = _session(app, ctx)
    return await session.registry.execute(session, command)


def _done(app: OrgTuiApp, result: Result, title: str) -> None:
    unchanged = result.outcome not in ("done", "created")
    app.notify(
        safe_str(result.message, 300),
        title=title,
        markup=False,
        severity="warning" if unchanged else "information",
    )


def _need(item: Any, what: str) -> Any:
    if item is None:
        raise InvalidInput(f"Select {what} first")
    return item


def _view(session: Session, project_id: str | None) -> ProjectView:
    view = session.snapshot.project(project_id) if project_id else None
    if view is None:
        raise InvalidInput("Select a project first")
    return view


# ---------------------------------------------------------------- organisation members


@ui_action("org_member.role")
async def change_org_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.org_members import org_role_screen

    user = _need(ctx.item, "a member")  # the last owner was refused before (core.rules)
    users = _session(app, ctx).snapshot.users
    role = await app.push_screen(org_role_screen(user, users), wait_for_dismiss=True)
    if role:
        result = await _execute(app, ctx, SetOrgRole(user_id=user.id, role=role))
        _done(app, result, "Change role")


@ui_action("org_member.remove")
async def remove_org_member(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.org_members import remove_org_member_screen

    user = _need(ctx.item, "a member")  # the last owner was refused before (core.rules)
    session = _session(app, ctx)
    screen = remove_org_member_screen(user, session.snapshot)
    if await app.push_screen(screen, wait_for_dismiss=True):
        result = await _execute(app, ctx, RemoveOrgMember(user_id=user.id))
        _done(app, result, "Remove member")


# ---------------------------------------------------------------- invites


def report_invites(app: OrgTuiApp, report: InviteReport) -> None:
    """One line per email: what happened to it, in the service's (and the API's) words."""
    lines = [safe_str(outcome.message, 200) for outcome in report.outcomes]
    severities: dict[str, SeverityLevel] = {"done": "information", "partial": "warning"}
    severity = severities.get(report.outcome, "error")
    title = f"Invites: {len(report.sent)} of {len(report.outcomes)} sent"
    app.notify(
        "\n".join(lines) or "Nothing to send",
        title=title,
        severity=severity,
        markup=False,
        timeout=12 if severity != "information" else 6,
    )


async def invite_flow(
    app: OrgTuiApp,
    ctx: ActionContext,
    *,
    emails: str = "",
    grants: Mapping[str, str] | None = None,
) -> None:
    """The invite form, then the invites (also the "invite instead" of add-member)."""
    from orgtui.ui.features.members.invite_form import InviteScreen

    session = _session(app, ctx)
    form = InviteScreen(lambda: session.snapshot, emails=emails, grants=grants)
    request = await app.push_screen(form, wait_for_dismiss=True)
    if request is None:
        return
    report = await session.registry.execute(
        session, CreateInvites(emails=request.emails, role=request.role, projects=request.projects)
    )
    report_invites(app, report)


@ui_action("invite.create")
async def create_invite(app: OrgTuiApp, ctx: ActionContext) -> None:
    await invite_flow(
        app, ctx, emails=str(ctx.extra.get("emails", "")), grants=ctx.extra.get("grants")
    )


@ui_action("invite.delete")
async def delete_invite(app: OrgTuiApp, ctx: ActionContext) -> None:
    from rich.text import Text

    from orgtui.ui.text import relative_time, safe_text
    from orgtui.ui.widgets.confirm import ConfirmScreen

    invite = _need(ctx.item, "an invite")
    email = safe_str(invite.email, 80)
    if invite.status == "accepted":
        raise AcceptedInviteError(
            f"The invite to {email} was accepted, and an accepted invite cannot be deleted: "
            "they are a member now; remove the member instead"
        )
    body = Text("Delete the invite to ")
    body.append_text(safe_text(invite.email, 80, style="bold"))
    body.append(f" ({invite.role})?\n\n")
    if invite.status == "pending":
        when = relative_time(invite.expires_at, app.clock.now(), never="never")
        body.append(f"Pending; it expires {when}. The link in their email stops working.")
    else:
        body.append(f"It is {invite.status}: deleting it only tidies the list.")
    confirm = ConfirmScreen("Delete invite", body, "Delete invite")
    if await app.push_screen(confirm, wait_for_dismiss=True):
        result = await _execute(app, ctx, DeleteInvite(invite_id=invite.id))
        _done(app, result, "Delete invite")


@ui_action("invite.role")
async def change_invite_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.invites import INVITE_ROLES
    from orgtui.ui.features.members.org_members import ORG_ROLE_HELP, RoleScreen
    from orgtui.ui.text import safe_text

    invite = _need(ctx.item, "an invite")
    if invite.status == "accepted":
        raise AcceptedInviteError(
            f"The invite to {safe_str(invite.email, 80)} was accepted: they are a member now; "
            "change the member's role instead"
        )
    screen = RoleScreen(
        "Invite again with another role",
        safe_text(invite.email, 80, style="bold"),
        INVITE_ROLES,
        current=invite.role,
        help=ORG_ROLE_HELP,
        note="An invite cannot be edited: this deletes it and sends a new one (a new email).",
        apply_label="Invite again",
    )
    role = await app.push_screen(screen, wait_for_dismiss=True)
    if role:
        result = await _execute(app, ctx, ChangeInviteRole(invite_id=invite.id, role=role))
        _done(app, result, "Change role")


# ---------------------------------------------------------------- project members


@ui_action("project_member.add")
async def add_project_member(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.project_members import AddMemberScreen

    session = _session(app, ctx)
    view = _view(session, ctx.project_id)
    picker = AddMemberScreen(view.project, session.snapshot.users, view.get("users") or ())
    request = await app.push_screen(picker, wait_for_dismiss=True)
    if request is None:
        return
    if request.invite:
        await invite_flow(app, ctx, emails=request.email or "", grants={view.id: request.role})
        return
    result = await _execute(
        app,
        ctx,
        AddProjectMember(
            project_id=view.id, role=request.role, user_id=request.user_id, email=request.email
        ),
    )
    _done(app, result, "Add member")
    if result.outcome == "not_a_member" and request.email:
        # The API cannot add them: offer the invite, already filled in.
        await invite_flow(app, ctx, emails=request.email, grants={view.id: request.role})


@ui_action("project_member.role")
async def change_project_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.org_members import PROJECT_ROLE_HELP, RoleScreen, member_label

    member = _need(ctx.item, "a member")
    view = _view(_session(app, ctx), ctx.project_id)
    screen = RoleScreen(
        f"Role in {safe_str(view.project.name or view.id, 50)}",
        member_label(member),
        ("member", "owner"),
        current=member.role,
        help=PROJECT_ROLE_HELP,
    )
    role = await app.push_screen(screen, wait_for_dismiss=True)
    if role:
        result = await _execute(
            app, ctx, SetProjectRole(project_id=view.id, user_id=member.id, role=role)
        )
        _done(app, result, "Change role")


@ui_action("project_member.remove")
async def remove_project_member(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.project_members import remove_project_member_screen

    member = _need(ctx.item, "a member")
    view = _view(_session(app, ctx), ctx.project_id)
    if await app.push_screen(
        remove_project_member_screen(view.project, member), wait_for_dismiss=True
    ):
        result = await _execute(
            app, ctx, RemoveProjectMember(project_id=view.id, user_id=member.id)
        )
        _done(app, result, "Remove member")


# ---------------------------------------------------------------- access matrix


def _matrix_cell(app: OrgTuiApp, ctx: ActionContext) -> tuple[Any, ProjectView]:
    user = _need(ctx.item, "a cell")
    session = _session(app, ctx)
    view = _view(session, ctx.project_id)
    if view.get("users") is None:
        raise InvalidInput(
            f"The members of {safe_str(view.project.name or view.id, 60)} are still loading"
        )
    return user, view


@ui_action("matrix.change")
async def change_membership(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.org_members import PROJECT_ROLE_HELP, RoleScreen, member_label

    user, view = _matrix_cell(app, ctx)
    current = next((m.role for m in view.get("users") or () if m.id == user.id), None)
    name = safe_str(view.project.name or view.id, 50)
    screen = RoleScreen(
        f"Role in {name}" if current else f"Add to {name}",
        member_label(user),
        ("member", "owner"),
        current=current,
        help=PROJECT_ROLE_HELP,
        apply_label="Change role" if current else "Add member",
    )
    role = await app.push_screen(screen, wait_for_dismiss=True)
    if role:
        result = await _execute(
            app, ctx, ChangeMatrix(project_id=view.id, user_id=user.id, role=role)
        )
        _done(app, result, "Access matrix")


@ui_action("matrix.remove")
async def remove_membership(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.project_members import remove_project_member_screen

    user, view = _matrix_cell(app, ctx)
    member = next((m for m in view.get("users") or () if m.id == user.id), None)
    if member is None:
        name = safe_str(user.name or user.email or user.id, 60)
        raise InvalidInput(
            f"{name} is not in {safe_str(view.project.name or view.id, 60)}: nothing to remove"
        )
    if await app.push_screen(
        remove_project_member_screen(view.project, member), wait_for_dismiss=True
    ):
        result = await _execute(app, ctx, RemoveMatrix(project_id=view.id, user_id=user.id))
        _done(app, result, "Access matrix")


@ui_action("view.matrix")
async def show_matrix(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.members.matrix import MatrixScreen

    if isinstance(app.screen, MatrixScreen):
        return
    await app.push_screen(MatrixScreen(_session(app, ctx)))
