"""UI handlers of the spend actions: the screen, the graph modes, limits and alerts.

The forms collect dollars and emails; the core handlers (`orgtui.core.services.limits`) are
invoked through the registry with integer cents, so read-only mode refuses them in one place.
The target scope is `ctx.project_id` (None: the organisation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from orgtui.core.money import format_cents
from orgtui.core.services.commands_spend import (
    CreateAlert,
    DeleteAlert,
    RemoveLimit,
    SetLimit,
    UpdateAlert,
)
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.services.results import Result
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.features.usage.graph import UsageGraph


def install_usage_strip() -> None:
    """Put the live graph in the main screen's usage strip (the shell's documented hook).

    Called once at start by the integration (`features.py`), not on import, so importing this
    module in a test does not change the main screen of other tests.
    """
    from orgtui.ui.features.usage.graph import UsageGraph
    from orgtui.ui.features.usage.strip import UsageStrip

    UsageStrip.content_factory = UsageGraph


def _session(app: OrgTuiApp, ctx: ActionContext) -> Session:
    return ctx.session or app.session


def _done(app: OrgTuiApp, result: Result) -> None:
    if result.message:
        app.notify(safe_str(result.message, 300), markup=False)


# ---------------------------------------------------------------- the screen and the graph


@ui_action("view.next_org")
async def next_org(app: OrgTuiApp, ctx: ActionContext) -> None:
    """`O` on the spend screen or the incident view: the same view of the next open org."""
    from orgtui.ui.features.incident.screen import IncidentScreen
    from orgtui.ui.features.spend.screen import SpendScreen

    if len(app.sessions) < 2:
        app.notify("Only one organisation is open.", markup=False)
        return
    screen = app.screen
    current = getattr(screen, "session", None) or ctx.session or app.session
    following = app.sessions[(app.sessions.index(current) + 1) % len(app.sessions)]
    app.focus_org(following.profile.name)
    if isinstance(screen, SpendScreen | IncidentScreen):
        kind = type(screen)
        await app.pop_screen()  # gone (and its id free) before the next org's view goes up
        await app.push_screen(kind(following))


@ui_action("view.spend")
async def view_spend(app: OrgTuiApp, ctx: ActionContext) -> None:
    """Back down to the spend screen when only its own limits screen (or a dialog) is above
    it; from anywhere else a spend screen goes on top, so escape returns where the user was
    (Spend -> a -> s -> escape is the audit log again, not the main screen)."""
    from textual.screen import ModalScreen

    from orgtui.ui.features.spend.limits import LimitsScreen
    from orgtui.ui.features.spend.screen import SpendScreen

    stack = app.screen_stack
    for depth in range(len(stack) - 1, -1, -1):
        screen = stack[depth]
        if isinstance(screen, SpendScreen):
            while app.screen is not screen and len(app.screen_stack) > 1:
                app.pop_screen()
            return
        if not isinstance(screen, (LimitsScreen, ModalScreen)):
            break
    await app.push_screen(SpendScreen())


def _graph(app: OrgTuiApp, ctx: ActionContext) -> UsageGraph | None:
    from orgtui.ui.features.usage.graph import UsageGraph

    graph = ctx.extra.get("graph")
    if isinstance(graph, UsageGraph):
        return graph
    return next(iter(app.screen.query(UsageGraph)), None)


@ui_action("graph.range")
async def graph_range(app: OrgTuiApp, ctx: ActionContext) -> None:
    graph = _graph(app, ctx)
    if graph is not None:
        graph.cycle_range()


@ui_action("graph.group")
async def graph_group(app: OrgTuiApp, ctx: ActionContext) -> None:
    graph = _graph(app, ctx)
    if graph is not None:
        graph.cycle_group()


@ui_action("graph.kind")
async def graph_kind(app: OrgTuiApp, ctx: ActionContext) -> None:
    graph = _graph(app, ctx)
    if graph is not None:
        graph.cycle_kind()


@ui_action("graph.pause")
async def graph_pause(app: OrgTuiApp, ctx: ActionContext) -> None:
    graph = _graph(app, ctx)
    if graph is not None:
        graph.toggle_pause()  # the caption says PAUSED: no toast over the chart


# ---------------------------------------------------------------- hard limits


async def _month_to_date(app: OrgTuiApp, session: Session, pid: str | None) -> float | None:
    """The scope's spend this month in dollars (one request if the spend was never read)."""
    from orgtui.ui.features.spend.alerts_watch import spend_watch

    watch = spend_watch(app)
    summary = watch.summary(session.profile.name)
    if summary is None:
        await watch.refresh(session)
        summary = watch.summary(session.profile.name)
    if summary is None:
        return None
    if pid is None:
        return summary.org.month_to_date_usd
    return next((p.month_to_date_usd for p in summary.projects if p.id == pid), 0.0)


async def _below_spend_confirmed(
    app: OrgTuiApp, session: Session, pid: str | None, cents: int, *, alert: bool
) -> bool:
    """A threshold at or below this month's spend acts at once: say so, and ask again."""
    from orgtui.ui.features.spend.limits import scope_name
    from orgtui.ui.widgets.confirm import ConfirmScreen

    spent = await _month_to_date(app, session, pid)
    if spent is None or cents > round(spent * 100):
        return True
    name = safe_str(scope_name(session, pid), 80)
    body = Text(f"Month to date, {name} has spent ")
    body.append(format_cents(round(spent * 100)), style="bold")
    body.append(" this month. ")
    body.append("An alert" if alert else "A hard limit", style="bold")
    body.append(" of ")
    body.append(format_cents(cents), style="bold")
    body.append(" is at or below it: ")
    if alert:
        body.append("it fires at once and emails its recipients now.", style="bold red")
    else:
        body.append(f"this blocks every request of {name} now.", style="bold red")
        body.append("\n\nDuring an incident that may be what you want. Set it anyway?")
    title = (
        "Alert at or below this month's spend"
        if alert
        else "Hard limit at or below this month's spend"
    )
    label = "Create the alert anyway" if alert else "Block it now"
    confirmed = await app.push_screen_wait(ConfirmScreen(title, body, label))
    return bool(confirmed)


@ui_action("limit.set")
async def set_limit(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.spend.alerts_watch import spend_watch
    from orgtui.ui.features.spend.limits import scope_limits, scope_name, suggestion_for
    from orgtui.ui.features.spend.limits_edit import LimitForm

    session = _session(app, ctx)
    pid = ctx.project_id
    watch = spend_watch(app)
    if watch.summary(session.profile.name) is None:
        await watch.refresh(session)  # one request: the suggestion needs the last 30 days
    limit, _, _ = scope_limits(session, pid)
    current = int(limit.threshold_amount) if limit is not None else None
    form = LimitForm(scope_name(session, pid), current, suggestion_for(app, session, pid))
    cents = await app.push_screen_wait(form)
    if cents is None or not await _below_spend_confirmed(app, session, pid, cents, alert=False):
        return
    result = await app.registry_for(ctx).execute(session, SetLimit(cents=cents, project_id=pid))
    _done(app, result)


@ui_action("limit.remove")
async def remove_limit(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.spend.limits import scope_limits, scope_name
    from orgtui.ui.widgets.confirm import ConfirmScreen

    session = _session(app, ctx)
    pid = ctx.project_id
    limit, _, _ = scope_limits(session, pid)
    name = scope_name(session, pid)
    if limit is None:
        app.notify(f"{safe_str(name, 60)} has no hard limit to remove.", markup=False)
        return
    body = Text("Remove the ")
    body.append(format_cents(limit.threshold_amount), style="bold")
    body.append(" monthly hard limit of ")
    body.append(safe_str(name, 80), style="bold")
    body.append(
        "?\n\nWithout a hard limit nothing stops a runaway key from spending; "
        "alerts only send email."
    )
    ok = await app.push_screen_wait(ConfirmScreen("Remove hard limit", body, "Remove limit"))
    if not ok:
        return
    _done(app, await app.registry_for(ctx).execute(session, RemoveLimit(project_id=pid)))


# ---------------------------------------------------------------- alerts


@ui_action("alert.create")
async def create_alert(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.spend.limits import scope_name
    from orgtui.ui.features.spend.limits_edit import AlertForm

    session = _session(app, ctx)
    pid = ctx.project_id
    entered = await app.push_screen_wait(AlertForm(scope_name(session, pid)))
    if entered is None:
        return
    if not await _below_spend_confirmed(app, session, pid, entered.cents, alert=True):
        return
    result = await app.registry_for(ctx).execute(
        session,
        CreateAlert(
            cents=entered.cents,
            recipients=list(entered.recipients),
            subject_prefix=entered.subject_prefix,
            project_id=pid,
        ),
    )
    _done(app, result)


def _alert(app: OrgTuiApp, ctx: ActionContext) -> Any:
    from orgtui.core.records import SpendAlert

    if isinstance(ctx.item, SpendAlert):
        return ctx.item
    app.notify(
        "Select an alert first (enter on a row of the spend screen lists them).", severity="warning"
    )
    return None


@ui_action("alert.update")
async def update_alert(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.spend.limits import scope_name
    from orgtui.ui.features.spend.limits_edit import AlertForm

    alert = _alert(app, ctx)
    if alert is None:
        return
    session = _session(app, ctx)
    pid = ctx.project_id
    entered = await app.push_screen_wait(AlertForm(scope_name(session, pid), alert))
    if entered is None:
        return
    if entered.cents != alert.threshold_amount and not await _below_spend_confirmed(
        app, session, pid, entered.cents, alert=True
    ):
        return
    result = await app.registry_for(ctx).execute(
        session,
        UpdateAlert(
            alert_id=alert.id,
            project_id=pid,
            cents=entered.cents,
            recipients=list(entered.recipients),
            subject_prefix=entered.subject_prefix or "",
        ),
    )
    _done(app, result)


@ui_action("alert.delete")
async def delete_alert(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.spend.limits import scope_name
    from orgtui.ui.widgets.confirm import ConfirmScreen

    alert = _alert(app, ctx)
    if alert is None:
        return
    session = _session(app, ctx)
    pid = ctx.project_id
    body = Text("Delete the ")
    body.append(format_cents(alert.threshold_amount), style="bold")
    body.append(" alert of ")
    body.append(safe_str(scope_name(session, pid), 80), style="bold")
    recipients = ", ".join(alert.notification_channel.recipients)
    body.append(f"?\n\nIt emails {safe_str(recipients, 200) or 'nobody'}.")
    ok = await app.push_screen_wait(ConfirmScreen("Delete spend alert", body, "Delete alert"))
    if ok:
        result = await app.registry_for(ctx).execute(
            session, DeleteAlert(alert_id=alert.id, project_id=pid)
        )
        _done(app, result)
