"""What the console is busy with, for whoever must wait until it is done (the tests' pilot
support, scripted demos).

`in_flight(app)` names each piece of work under way; `OrgTuiApp.idle` is an asyncio.Event the
app sets whenever that list is empty. Once someone has asked (`update_idle`), it is checked each
time the app's message queue drains and when one of its workers changes state; until then a
user's session does not pay for it. In flight are:
- every worker not yet finished, except a flow that may be asking the user while a dialog or
  screen is up over the main one (an action, a rotation's question, or any worker of a screen
  under the top one: it waits for a key, not for work);
- the top screen saying it is `working` (a wizard step, a form being sent);
- a usage graph whose new scope is still resting before its fetch (`UsageGraph.scope_pending`);
- the spend watch's check of fresh figures, while it is scheduled.
"""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen, Screen
from textual.worker import WorkerState

# Worker groups that run a flow through dialogs (`push_screen_wait`): a group with "action" in
# its name (`action:<id>`, `incident-action`), or one of these. A new flow that asks the user
# belongs here, or waiting for idle would wait for the user too.
DIALOG_FLOWS = ("resume-rotations", "rotation-ask", "close")


def asks_user(group: str) -> bool:
    """Whether a worker of this group may be waiting on a dialog it opened."""
    return "action" in group or group.startswith(DIALOG_FLOWS)


_UNFINISHED = (WorkerState.PENDING, WorkerState.RUNNING)


def in_flight(app: Any) -> list[str]:
    """What the app is doing now, one line each; empty when it is idle."""
    if not app.is_running or not app.screen_stack:
        return ["the app is not running"]
    busy: list[str] = []
    if not app.started:
        busy.append("the work after the first frame")
    top = app.screen
    over_main = isinstance(top, ModalScreen) or len(app.screen_stack) > 2
    asking = over_main and not getattr(top, "working", False)
    for worker in list(app.workers):
        if worker.state not in _UNFINISHED:
            continue
        if asking and (
            asks_user(worker.group) or (isinstance(worker.node, Screen) and worker.node is not top)
        ):
            continue
        busy.append(f"worker {worker.group!r}")
    if getattr(top, "working", False):
        busy.append(f"{type(top).__name__} working")
    if app.started:
        from orgtui.ui.features.spend.alerts_watch import spend_watch

        watch = spend_watch(app)
        if any(watch.figures(s.profile.name).check_pending for s in app.sessions):
            busy.append("the spend watch's check of fresh figures")
    for graph in top.query("UsageGraph"):
        if getattr(graph, "scope_pending", False):
            busy.append("a usage graph's new scope (resting before its fetch)")
    return busy
