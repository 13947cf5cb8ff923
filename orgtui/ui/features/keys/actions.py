"""UI handlers of the key actions: create, mint, delete, rotate, account role, admin keys.

Each handler gathers what the core needs (a form, a typed confirmation), calls the core through
`registry.execute` with a typed command (the read-only gate and core's rules) and shows the outcome. A minted value goes
straight from the core's `OneTimeSecret` into the copy-once dialog and nowhere else: the
notifications afterwards name the key, never its value.

`resume_rotations(app)` is for the shell to call once the main screen is up: it offers to
resume key rotations that an earlier run left unfinished.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.core import actions as A
from orgtui.core.commands import Command
from orgtui.core.services.commands_keys import (
    CreateAdminKey,
    CreateKey,
    DeleteAdminKey,
    DeleteKey,
    DeleteServiceAccount,
    MintKey,
    SetServiceAccountRole,
)
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.features.keys.rotation_ops import SessionRotationOps
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.features.keys.create import KeyRequest, MintFlow

__all__ = ["resume_rotations"]

R = TypeVar("R")

# The dialogs are imported inside the handlers, not here: `features.py` imports this module
# before the first paint, and the screens (TextArea, forms, wizards) are only needed on use.


def _session(app: OrgTuiApp, ctx: ActionContext) -> Session:
    return ctx.session or app.session


def _execute(app: OrgTuiApp, ctx: ActionContext, command: Command[R]) -> Awaitable[R]:
    return app.registry_for(ctx).execute(_session(app, ctx), command)


# The mint flow (`keys.create.MintFlow`) names its steps by action id; each becomes its command.
_FLOW_COMMANDS: dict[str, type[Command[Any]]] = {
    cls.action_id: cls
    for cls in (CreateKey, MintKey, CreateAdminKey, DeleteAdminKey, DeleteServiceAccount)
}


def _run_step(app: OrgTuiApp, ctx: ActionContext, action_id: str, **params: Any) -> Awaitable[Any]:
    return _execute(app, ctx, _FLOW_COMMANDS[action_id](**params))


def _project_name(session: Session, pid: str | None) -> str | None:
    view = session.snapshot.project(pid) if pid else None
    return (view.project.name or view.project.id) if view is not None else pid


def _thresholds(session: Session) -> Any:
    return getattr(session.profile, "thresholds", None)


def _tell(app: OrgTuiApp, message: str, *, title: str = "", warn: bool = False) -> None:
    app.notify(
        safe_str(message, 300),
        title=title,
        severity="warning" if warn else "information",
        markup=False,
        timeout=8 if warn else 5,
    )


def _owner_sa_id(key: Any) -> str | None:
    account = getattr(getattr(key, "owner", None), "service_account", None)
    return getattr(account, "id", None)


def _flow(app: OrgTuiApp, ctx: ActionContext) -> MintFlow:
    from orgtui.ui.features.keys.create import MintFlow

    session = _session(app, ctx)
    if ctx.project_id:
        parts = [f"project:{ctx.project_id}:keys", f"project:{ctx.project_id}:service_accounts"]
    else:
        parts = ["admin_keys"]
    return MintFlow(
        app,
        invoke=lambda action_id, **params: _run_step(app, ctx, action_id, **params),
        project_id=ctx.project_id,
        refresh=lambda: app.refresh_scope(session, parts),
    )


def _scopes(request: KeyRequest) -> list[str] | None:
    return list(request.scopes) if request.scopes else None


@ui_action("key.create")
async def create_key(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.keys.create import KeyCreateScreen

    pid = ctx.project_id or getattr(ctx.item, "id", None)
    if not pid:
        _tell(app, "Select a project first, then press n.", warn=True)
        return
    ctx.project_id = pid
    name = _project_name(_session(app, ctx), pid)
    await _flow(app, ctx).loop(
        "key.create",
        lambda run, initial: KeyCreateScreen(name, run=run, initial=initial),
        lambda r: {"project_id": pid, "name": r.name, "role": r.role, "scopes": _scopes(r)},
    )


@ui_action("service_account.mint")
async def mint_for_account(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.keys.create import MintKeyScreen

    account, pid = ctx.item, ctx.project_id
    if account is None or not pid:
        _tell(app, "Select a service account first.", warn=True)
        return
    name = _project_name(_session(app, ctx), pid)
    today = time.strftime("%Y%m%d", time.localtime(app.clock.now()))
    await _flow(app, ctx).loop(
        "service_account.mint",
        lambda run, initial: MintKeyScreen(
            name, account.name, run=run, initial=initial, today=today
        ),
        lambda r: {
            "project_id": pid,
            "service_account_id": account.id,
            "name": r.name,
            "scopes": _scopes(r),
        },
    )


def _account_keys(session: Session, pid: str, sid: str) -> list[Any]:
    view = session.snapshot.project(pid)
    return [k for k in (view.get("api_keys") if view else None) or () if _owner_sa_id(k) == sid]


async def _delete_account(
    app: OrgTuiApp, ctx: ActionContext, account: Any, via_key: Any = None
) -> None:
    from orgtui.ui.features.keys.delete import delete_account_screen

    session = _session(app, ctx)
    pid = ctx.project_id or ""
    screen = delete_account_screen(
        account,
        _project_name(session, pid),
        _account_keys(session, pid, account.id),
        app.clock.now(),
        _thresholds(session),
        via_key=via_key,
    )
    if await app.push_screen_wait(screen):
        done = await _execute(
            app, ctx, DeleteServiceAccount(project_id=pid, service_account_id=account.id)
        )
        _tell(app, done.message, title="Deleted")


@ui_action("key.delete")
async def delete_key(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.errors import ServiceAccountKeyError
    from orgtui.ui.features.keys.delete import delete_key_screen

    session = _session(app, ctx)
    key, pid = ctx.item, ctx.project_id
    if key is None or not pid:
        _tell(app, "Select a key first.", warn=True)
        return
    if key.owner.service_account is not None:
        from orgtui.core.records import account_of_key

        await _delete_account(app, ctx, account_of_key(session.snapshot, pid, key), via_key=key)
        return
    screen = delete_key_screen(
        key, _project_name(session, pid), app.clock.now(), _thresholds(session)
    )
    if not await app.push_screen_wait(screen):
        return
    try:
        done = await _execute(app, ctx, DeleteKey(project_id=pid, key_id=key.id))
    except ServiceAccountKeyError as refusal:  # the snapshot did not know the owner
        _tell(app, str(refusal), warn=True)
        return
    _tell(app, done.message, title="Deleted")


@ui_action("service_account.delete")
async def delete_service_account(app: OrgTuiApp, ctx: ActionContext) -> None:
    if ctx.item is None or not ctx.project_id:
        _tell(app, "Select a service account first.", warn=True)
        return
    await _delete_account(app, ctx, ctx.item)


@ui_action("service_account.role")
async def change_account_role(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.keys.create import AccountRoleScreen

    account = ctx.item
    if account is None or not ctx.project_id:
        _tell(app, "Select a service account first.", warn=True)
        return
    pid = ctx.project_id

    async def run(role: str) -> Any:
        return await _execute(
            app,
            ctx,
            SetServiceAccountRole(project_id=pid, service_account_id=account.id, role=role),
        )

    done = await app.push_screen_wait(AccountRoleScreen(account.name, account.role, run=run))
    if done is not None:
        _tell(app, done.message, title="Role")


# ---------------------------------------------------------------------- rotation


async def _open_wizard(app: OrgTuiApp, ctx: ActionContext, *, key: Any, rotation: Any) -> None:
    from orgtui.ui.features.keys.rotate import RotationWizard

    session = _session(app, ctx)
    wizard = RotationWizard(
        SessionRotationOps(app, ctx, key),
        key=key,
        project_name=_project_name(session, ctx.project_id),
        rotation=rotation,
        thresholds=_thresholds(session),
    )
    await app.push_screen_wait(wizard)


@ui_action("key.rotate")
async def rotate_key(app: OrgTuiApp, ctx: ActionContext) -> None:
    key = ctx.item
    if key is None or not ctx.project_id:
        _tell(app, "Select a key first.", warn=True)
        return
    running = SessionRotationOps(app, ctx)._journal().for_key(key.id)
    await _open_wizard(app, ctx, key=key, rotation=running)


def resume_rotations(app: OrgTuiApp) -> Any:
    """Offer to resume rotations an earlier run left unfinished (call once at start-up).

    Returns the worker that asks, or None when there is nothing to resume.
    """
    from orgtui.core.services.rotation_journal import JournalError, RotationJournal

    pending: list[tuple[Session, Any]] = []
    for session in app.sessions:
        try:
            pending.extend((session, r) for r in RotationJournal(session.profile.name).pending())
        except JournalError as error:
            _tell(app, str(error), title="Rotation journal", warn=True)
    if not pending:
        return None
    return app.run_worker(
        _offer_resume(app, pending), group="resume-rotations", exit_on_error=False
    )


async def _offer_resume(app: OrgTuiApp, pending: list[tuple[Session, Any]]) -> None:
    writable = [(s, r) for s, r in pending if not s.read_only]
    if not writable:
        _tell(
            app,
            f"{len(pending)} key rotation(s) are unfinished; they can continue when "
            "the console is not read-only.",
            title="Rotation",
            warn=True,
        )
        return
    from orgtui.ui.features.keys.rotate import ResumeRotationsScreen

    rotations = [r for _, r in writable]
    orgs = (
        {r.id: s.snapshot.org_name or s.profile.name for s, r in writable}
        if len(app.sessions) > 1
        else None
    )
    choice = await app.push_screen_wait(ResumeRotationsScreen(rotations, app.clock.now(), orgs))
    for session, rotation in writable:
        if rotation.id == choice:
            ctx = ActionContext(scope=A.KEY, project_id=rotation.project_id, session=session)
            view = session.snapshot.project(rotation.project_id)
            keys = (view.get("api_keys") if view else None) or ()
            key = next((k for k in keys if k.id == rotation.old_key_id), None)
            with app.acting_for(session):  # not through run_registered: the wizard names it
                await _open_wizard(app, ctx, key=key, rotation=rotation)


# ---------------------------------------------------------------------- admin keys


@ui_action("admin_key.create")
async def create_admin_key(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.keys.admin_keys import AdminKeyCreateScreen

    ctx.project_id = None
    now = app.clock.now()
    await _flow(app, ctx).loop(
        "admin_key.create",
        lambda run, initial: AdminKeyCreateScreen(run=run, now=now, initial=initial),
        lambda r: r.params(),
    )


@ui_action("admin_key.delete")
async def delete_admin_key(app: OrgTuiApp, ctx: ActionContext) -> None:
    key = ctx.item
    if key is None:
        _tell(app, "Select an admin key first.", warn=True)
        return
    from orgtui.ui.features.keys.delete import delete_admin_key_screen

    session = _session(app, ctx)
    screen = delete_admin_key_screen(key, app.clock.now(), _thresholds(session))
    if await app.push_screen_wait(screen):
        done = await _execute(app, ctx, DeleteAdminKey(key_id=key.id))
        _tell(app, done.message, title="Deleted")
