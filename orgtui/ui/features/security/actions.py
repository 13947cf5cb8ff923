"""UI handlers of the security actions: gather the answer in a dialog, carry it out through
the registry (read-only refuses it there), say what happened, and reload the pane."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.core.errors import ApiError
from orgtui.core.records import ORG_RETENTION_TYPES, PROJECT_RETENTION_TYPES
from orgtui.core.security import RETENTION_LABELS, CertificateInfo, ProjectSecurity, models_used
from orgtui.core.services.commands_spend import (
    ActivateCertificate,
    DeactivateCertificate,
    DeleteCertificate,
    RenameCertificate,
    ResetModelPermissions,
    SetHostedTools,
    SetModelPermissions,
    SetOrgRetention,
    SetProjectRetention,
    UploadCertificate,
)
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.features.security.dialogs import (
    ORG_TARGET,
    HostedToolsScreen,
    ModelPermissionsScreen,
    RetentionScreen,
    TargetPickerScreen,
    UploadCertificateScreen,
)
from orgtui.ui.features.security.panes import TOOL_LABELS, CertificatesPane, SecurityPanel
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.commands import Command
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp


R = TypeVar("R")


def _session(app: OrgTuiApp, ctx: ActionContext) -> Session:
    return ctx.session or app.session


async def _execute(app: OrgTuiApp, ctx: ActionContext, command: Command[R]) -> R:
    return await app.registry_for(ctx).execute(_session(app, ctx), command)


def _tell(app: OrgTuiApp, message: str, *, warn: bool = False, title: str = "") -> None:
    app.notify(
        safe_str(message, 300),
        title=title,
        severity="warning" if warn else "information",
        markup=False,
        timeout=8 if warn else 5,
    )


def _reload(app: OrgTuiApp) -> None:
    for pane in app.screen.query(CertificatesPane):
        pane.reload()
    for panel in app.screen.query(SecurityPanel):
        panel.reload()


def _cert(app: OrgTuiApp, ctx: ActionContext) -> CertificateInfo | None:
    if isinstance(ctx.item, CertificateInfo):
        return ctx.item
    _tell(app, "Select a certificate first.", warn=True)
    return None


def _label(cert: CertificateInfo) -> str:
    return safe_str(cert.name or cert.id, 60)


def _project_names(session: Session, *, live_only: bool = True) -> dict[str, str]:
    return {
        pid: view.project.name or pid
        for pid, view in session.snapshot.projects.items()
        if not (live_only and view.archived)
    }


# ---------------------------------------------------------------- certificates


@ui_action("certificate.upload")
async def upload(app: OrgTuiApp, ctx: ActionContext) -> None:
    request = await app.push_screen_wait(UploadCertificateScreen())
    if request is None:
        return
    done = await _execute(app, ctx, UploadCertificate(path=request.path, name=request.name))
    _tell(app, done.message, warn=done.outcome == "unknown", title="Certificates")
    _reload(app)


@ui_action("certificate.rename")
async def rename(app: OrgTuiApp, ctx: ActionContext) -> None:
    cert = _cert(app, ctx)
    if cert is None:
        return
    from orgtui.core.validation import validate_key_name
    from orgtui.ui.widgets.form import FormScreen, LabelledInput

    current = cert.name or ""

    class RenameScreen(FormScreen[str]):
        TITLE_TEXT = "Rename certificate"
        SUBMIT_LABEL = "Rename"

        def fields(self) -> Any:
            yield LabelledInput("Name", value=current, validate=validate_key_name, id="cert-name")

        def submit(self) -> str | None:
            value, error = self.query_one("#cert-name", LabelledInput).validated()
            return None if error else value

    name = await app.push_screen_wait(RenameScreen())
    if name is None:
        return
    done = await _execute(app, ctx, RenameCertificate(certificate_id=cert.id, name=name))
    _tell(app, done.message, title="Certificates")
    _reload(app)


async def _toggle(app: OrgTuiApp, ctx: ActionContext, activate: bool) -> None:
    cert = _cert(app, ctx)
    if cert is None:
        return
    session = _session(app, ctx)
    names = _project_names(session)
    if activate:
        targets = [] if cert.org_active else [(ORG_TARGET, "The organisation (every project)")]
        targets += [(pid, name) for pid, name in names.items() if pid not in cert.project_ids]
    else:
        targets = [(ORG_TARGET, "The organisation")] if cert.org_active else []
        targets += [(pid, names.get(pid, pid)) for pid in cert.project_ids]
    verb = "Activate" if activate else "Deactivate"
    if not targets:
        _tell(
            app, f"{_label(cert)} is {'active everywhere' if activate else 'not active anywhere'}."
        )
        return
    target = await app.push_screen_wait(TargetPickerScreen(f"{verb} {_label(cert)} for…", targets))
    if target is None:
        return
    project_id = None if target == ORG_TARGET else target
    kind = ActivateCertificate if activate else DeactivateCertificate
    done = await _execute(app, ctx, kind(certificate_id=cert.id, project_id=project_id))
    _tell(app, done.message, title="Certificates")
    _reload(app)


@ui_action("certificate.activate")
async def activate(app: OrgTuiApp, ctx: ActionContext) -> None:
    await _toggle(app, ctx, True)


@ui_action("certificate.deactivate")
async def deactivate(app: OrgTuiApp, ctx: ActionContext) -> None:
    await _toggle(app, ctx, False)


@ui_action("certificate.delete")
async def delete(app: OrgTuiApp, ctx: ActionContext) -> None:
    cert = _cert(app, ctx)
    if cert is None:
        return
    if cert.active_anywhere:
        _tell(
            app,
            f"{_label(cert)} is still active: deactivate it (x) for the organisation and every "
            "project first.",
            warn=True,
        )
        return
    from orgtui.ui.features.keys.delete import typed_name
    from orgtui.ui.widgets.confirm import ConfirmScreen

    typed = typed_name(cert.name, cert.id)
    body = f"Delete certificate {_label(cert)} ({cert.id})?\nSubject: {cert.subject or 'unknown'}"
    ok = await app.push_screen_wait(
        ConfirmScreen("Delete certificate", body, "Delete", typed=typed)
    )
    if not ok:
        return
    done = await _execute(app, ctx, DeleteCertificate(certificate_id=cert.id))
    _tell(app, done.message, title="Deleted")
    _reload(app)


# ---------------------------------------------------------------- a project's controls


def _security(app: OrgTuiApp, ctx: ActionContext) -> ProjectSecurity | None:
    if isinstance(ctx.item, ProjectSecurity) and ctx.project_id:
        return ctx.item
    _tell(app, "The project's security controls are not loaded yet.", warn=True)
    return None


def _project_label(app: OrgTuiApp, ctx: ActionContext) -> str:
    view = _session(app, ctx).snapshot.project(ctx.project_id or "")
    return (view.project.name or view.project.id) if view else (ctx.project_id or "")


@ui_action("security.models")
async def models(app: OrgTuiApp, ctx: ActionContext) -> None:
    data = _security(app, ctx)
    if data is None:
        return
    try:
        used: list[str] | None = await models_used(_session(app, ctx), data.project_id)
    except ApiError:
        used = None
    screen = ModelPermissionsScreen(
        _project_label(app, ctx), data.model_mode or "deny_list", data.model_ids, used
    )
    choice = await app.push_screen_wait(screen)
    if choice is None:
        return
    done = await _execute(
        app,
        ctx,
        SetModelPermissions(
            project_id=data.project_id, mode=choice.mode, model_ids=list(choice.model_ids)
        ),
    )
    _tell(app, done.message, title="Model permissions")
    _reload(app)


@ui_action("security.models_reset")
async def models_reset(app: OrgTuiApp, ctx: ActionContext) -> None:
    data = _security(app, ctx)
    if data is None:
        return
    from orgtui.ui.widgets.confirm import ConfirmScreen

    body = (
        f"Remove the model permissions of {safe_str(_project_label(app, ctx), 60)}? "
        "Every model becomes usable again."
    )
    if not await app.push_screen_wait(ConfirmScreen("Reset model permissions", body, "Reset")):
        return
    done = await _execute(app, ctx, ResetModelPermissions(project_id=data.project_id))
    _tell(app, done.message, title="Model permissions")
    _reload(app)


@ui_action("security.tools")
async def tools(app: OrgTuiApp, ctx: ActionContext) -> None:
    data = _security(app, ctx)
    if data is None or not data.tools:
        return
    screen = HostedToolsScreen(_project_label(app, ctx), data.tools, TOOL_LABELS)
    answer = await app.push_screen_wait(screen)
    if answer is None:
        return
    changed = {tool: on for tool, on in answer.items() if data.tools.get(tool) != on}
    if not changed:
        _tell(app, "Nothing changed.")
        return
    done = await _execute(app, ctx, SetHostedTools(project_id=data.project_id, enabled=changed))
    _tell(app, done.message, title="Hosted tools")
    _reload(app)


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, RETENTION_LABELS.get(v, v)) for v in values]


@ui_action("security.retention")
async def retention(app: OrgTuiApp, ctx: ActionContext) -> None:
    data = _security(app, ctx)
    if data is None:
        return
    title = f"Data retention of {safe_str(_project_label(app, ctx), 50)}"
    screen = RetentionScreen(title, _choices(PROJECT_RETENTION_TYPES), data.retention)
    value = await app.push_screen_wait(screen)
    if value is None or value == data.retention:
        return
    done = await _execute(
        app, ctx, SetProjectRetention(project_id=data.project_id, retention_type=value)
    )
    _tell(app, done.message, title="Data retention")
    _reload(app)


@ui_action("security.org_retention")
async def org_retention(app: OrgTuiApp, ctx: ActionContext) -> None:
    data = _security(app, ctx)
    current = data.org_retention if data else None
    screen = RetentionScreen(
        "The organisation's data retention", _choices(ORG_RETENTION_TYPES), current
    )
    value = await app.push_screen_wait(screen)
    if value is None or value == current:
        return
    done = await _execute(app, ctx, SetOrgRetention(retention_type=value))
    _tell(app, done.message, title="Data retention")
    _reload(app)
