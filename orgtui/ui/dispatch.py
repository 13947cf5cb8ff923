"""UI action dispatch: the one path from a key press (or palette pick) to an action.

Feature modules register a UI handler per action id::

    from orgtui.ui.dispatch import ActionContext, ui_action

    @ui_action("key.delete")
    async def delete_key(app: OrgTuiApp, ctx: ActionContext) -> None:
        ...  # ask (ConfirmScreen), then: await app.registry.execute(app.session, DeleteKey(...))

Handlers run in a worker, so they may `await app.push_screen(..., wait_for_dismiss=True)`.
`run_registered` asks core's rules (`core.rules.precheck`: read-only, archived project,
default project, last owner) *before* the handler runs, so no form is ever shown for a refused
action, and turns API errors into a notification.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from orgtui.core.actions import (
    DIALOG,
    GLOBAL,
    ORG_MEMBER,
    ActionRegistry,
    ReadOnlyRefusal,
    UnknownAction,
)
from orgtui.core.rules import Refusal, precheck
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp

log = logging.getLogger(__name__)

_TABLE = ActionRegistry()


@dataclass
class ActionContext:
    """What an action applies to: where the user is and what is selected."""

    scope: str = GLOBAL
    project_id: str | None = None
    item: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The organisation (profile) the selection belongs to; None = the app's active session.
    session: Session | None = None


UiHandler = Callable[["OrgTuiApp", ActionContext], Awaitable[None]]
_UI_HANDLERS: dict[str, UiHandler] = {}


def ui_action(action_id: str) -> Callable[[UiHandler], UiHandler]:
    """Register the UI handler of an action id from the registry table."""
    _TABLE.get(action_id)  # raises UnknownAction for a typo at import time

    def register(fn: UiHandler) -> UiHandler:
        _UI_HANDLERS[action_id] = fn
        return fn

    return register


# Set once `orgtui.ui.features.load()` has imported every handler module. Dispatch imports no
# feature (they import it): the app loads them, after its first frame or before an action runs.
_loaded = False


def mark_handlers_loaded() -> None:
    global _loaded
    _loaded = True


def handlers_loaded() -> bool:
    return _loaded


def _handlers() -> dict[str, UiHandler]:
    return _UI_HANDLERS


def ui_handler_for(action_id: str) -> UiHandler | None:
    return _handlers().get(action_id)


def has_ui_handler(action_id: str) -> bool:
    return action_id in _handlers()


def will_have_ui_handler(action_id: str) -> bool:
    """`has_ui_handler` without loading the feature modules (the footer of the first frame).

    Before they are loaded, every action of the table outside dialogs counts as handled; a test
    holds the table to that promise once they are loaded.
    """
    if _loaded:
        return action_id in _UI_HANDLERS
    return promises_ui_handler(action_id)


def promises_ui_handler(action_id: str) -> bool:
    """Whether the table says the action gets a UI handler (every one outside dialogs)."""
    try:
        return _TABLE.get(action_id).scope != DIALOG
    except UnknownAction:
        return False


@runtime_checkable
class ContextSource(Protocol):
    """A widget that knows what the user has selected in it."""

    def action_context(self) -> ActionContext: ...


def context_from_focus(app: OrgTuiApp) -> ActionContext:
    """The context of the focused widget (or its nearest ancestor that knows one)."""
    focused = app.screen.focused
    if focused is not None:
        for node in focused.ancestors_with_self:
            if isinstance(node, ContextSource):
                return node.action_context()
    screen = app.screen
    if isinstance(screen, ContextSource):
        return screen.action_context()
    return ActionContext(scope=GLOBAL)


def precheck_context(app: OrgTuiApp, action_id: str, ctx: ActionContext) -> Refusal | None:
    """Ask core's rules (`core.rules.precheck`) about the selection before any dialog opens."""
    session = ctx.session or app.session
    kind = getattr(ctx.item, "object", None)
    project = ctx.item if kind == "organization.project" else None
    if project is None and ctx.project_id:
        view = session.snapshot.project(ctx.project_id)
        project = view.project if view is not None else None
    user = ctx.item if kind == "organization.user" and ctx.scope == ORG_MEMBER else None
    return precheck(session, action_id, project=project, user=user)


async def run_registered(app: OrgTuiApp, action_id: str, ctx: ActionContext) -> bool:
    """Gate, then run the UI handler. Returns True when the handler ran to the end."""
    from orgtui.core.errors import ApiError
    from orgtui.core.services.errors import ServiceRefusal

    try:
        spec = app.registry_for(ctx).get(action_id)
    except UnknownAction:
        app.notify(f"Unknown action {action_id}", severity="error", markup=False)
        return False
    refused = precheck_context(app, action_id, ctx)
    if refused is not None:  # refused by a core rule: no dialog opens
        app.notify(
            refused.reason,
            title=refused.title or spec.label,
            severity="warning",
            markup=False,
        )
        return False
    fn = ui_handler_for(action_id)
    if fn is None:
        app.notify(f"{spec.label} is not available in this build.", markup=False)
        return False
    try:
        await fn(app, ctx)
    except ReadOnlyRefusal as refusal:  # a handler that invokes a second mutating action
        app.notify(refusal.reason, title="Read-only", severity="warning", markup=False)
        return False
    except ServiceRefusal as refusal:  # declined before any request: nothing changed
        app.notify(safe_str(refusal, 300), title=spec.label, severity="warning", markup=False)
        return False
    except ApiError as error:
        app.notify(
            safe_str(error, 300), title=spec.label, severity="error", markup=False, timeout=10
        )
        return False
    except Exception as error:  # a bug must not take the console down with it
        log.exception("action %s failed", action_id)
        app.notify(
            safe_str(f"{type(error).__name__}: {error}", 300),
            title=spec.label,
            severity="error",
            markup=False,
        )
        return False
    return True
