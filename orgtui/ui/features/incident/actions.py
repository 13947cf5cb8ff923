"""UI handlers of the incident panel: `view.incident` (one key from anywhere) and the four ways
to contain a ranked row, each through the console's usual actions, confirmations and read-only
gate: jump to the key, rotate it (`key.rotate`), delete it (`key.delete`), or stop the project's
spend by setting its hard limit to its month-to-date spend (`limit.set`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from orgtui.core.actions import KEY, ReadOnlyRefusal
from orgtui.core.errors import ApiError
from orgtui.core.money import format_cents
from orgtui.core.services.commands_spend import SetLimit
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str, safe_text

if TYPE_CHECKING:
    from orgtui.core.incident import IncidentRow
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp


@ui_action("view.incident")
async def view_incident(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.incident.screen import IncidentScreen

    for screen in app.screen_stack:
        if isinstance(screen, IncidentScreen):
            while app.screen is not screen and len(app.screen_stack) > 1:
                app.pop_screen()
            screen.action_reload()
            return
    await app.push_screen(IncidentScreen(ctx.session or app.session))


def _say(app: OrgTuiApp, message: str, *, warn: bool = False) -> None:
    app.notify(safe_str(message, 300), severity="warning" if warn else "information", markup=False)


async def contain(app: OrgTuiApp, session: Session, row: IncidentRow, what: str) -> None:
    """Carry out `what` ("jump", "rotate", "delete", "stop") on a ranked row."""
    profile = session.profile.name
    if what == "stop":
        with app.acting_for(session):  # its confirmation names the organisation
            await stop_spend(app, session, row.project_id)
        return
    if row.scope == "kind":
        _say(app, "This row is a whole kind of usage: pick a key or a project row.", warn=True)
        return
    if row.scope == "project":
        if what != "jump":
            _say(app, "Rotate and delete act on a key: pick a key row.", warn=True)
            return
        if not app.main_screen_goto(profile, row.id):
            _say(app, "That project is no longer in the organisation.", warn=True)
        return
    from orgtui.ui.features.shell.reveal import reveal_object

    if not await reveal_object(app, profile, "api_key", row.id, row.project_id):
        _say(app, "That key is no longer in the organisation.", warn=True)
        return
    if what == "jump":
        return
    view = session.snapshot.project(row.project_id) if row.project_id else None
    key = next((k for k in (view.get("api_keys") if view else None) or () if k.id == row.id), None)
    if key is None:
        _say(app, "That key is no longer in the organisation.", warn=True)
        return
    ctx = ActionContext(scope=KEY, project_id=row.project_id, item=key, session=session)
    await app.run_registered("key.rotate" if what == "rotate" else "key.delete", ctx)


async def stop_spend(app: OrgTuiApp, session: Session, project_id: str | None) -> None:
    """Set the project's hard limit to its month-to-date spend, after saying exactly that."""
    from orgtui.ui.features.spend.alerts_watch import spend_watch
    from orgtui.ui.widgets.confirm import ConfirmScreen

    if not project_id:
        _say(app, "This row has no project: pick a key or a project row.", warn=True)
        return
    ctx = ActionContext(project_id=project_id, session=session)
    registry = app.registry_for(ctx)
    try:
        registry.ensure_allowed("limit.set")
    except ReadOnlyRefusal as refusal:
        app.notify(refusal.reason, title="Read-only", severity="warning", markup=False)
        return
    view = session.snapshot.project(project_id)
    name = (view.project.name if view else None) or project_id
    watch = spend_watch(app)
    summary = watch.summary(session.profile.name) or await watch.refresh(session)
    spent = next((p for p in summary.projects if p.id == project_id), None) if summary else None
    if spent is None:
        _say(app, "The project's month-to-date spend could not be read.", warn=True)
        return
    cents = max(1, int(spent.month_to_date_usd * 100))
    limit = view.get("spend_limit") if view else None
    before = format_cents(int(limit.threshold_amount)) if limit is not None else "no hard limit"
    body = Text("Set the monthly hard limit of project ")
    body.append_text(safe_text(name, 60, style="bold"))
    body.append(" to ")
    body.append(format_cents(cents), style="bold")
    undo = f"set it back to {before}" if limit is not None else "remove the limit (ctrl+x there)"
    body.append(
        ", its spend so far this month. The limit is reached at once, so the API rejects the"
        " project's requests from now on: this stops its spend now.\n\n"
        f"Its hard limit now: {before}. To undo: Spend (s), select the project, L, and {undo}."
    )
    if not await app.push_screen_wait(
        ConfirmScreen("Stop this project's spend", body, "Stop spend")
    ):
        return
    try:
        await registry.execute(session, SetLimit(cents=cents, project_id=project_id))
    except ReadOnlyRefusal as refusal:
        app.notify(refusal.reason, title="Read-only", severity="warning", markup=False)
        return
    except ApiError as error:
        app.notify(safe_str(error, 300), title="Stop spend", severity="error", markup=False)
        return
    _say(app, f"Hard limit of {name} set to {format_cents(cents)}: its spend is stopped.")
