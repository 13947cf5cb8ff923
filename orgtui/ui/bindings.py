"""Key bindings built from the action registry.

Each registry action becomes a Textual `Binding` whose id is the action id, so the config's
`[keymap]` (action id -> key) remaps it through `App.set_keymap`. A binding's action string is
`orgtui('<action id>')`: the widget that owns the scope builds the `ActionContext` and the app
dispatches it (see `dispatch.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding

from orgtui.core.actions import GLOBAL, ActionRegistry, ActionSpec

if TYPE_CHECKING:
    from orgtui.ui.dispatch import ActionContext

_TABLE = ActionRegistry()

# Shell-level aliases: DESIGN.md promises `-` as well as escape for "back" and vi keys as well
# as arrows; a keymap override of the action replaces the whole list.
_ALIASES: dict[str, str] = {"nav.back": "escape,minus"}
# Actions the App handles with Textual's own machinery rather than `orgtui(...)`.
_NATIVE_ACTIONS: dict[str, str] = {"app.palette": "command_palette"}


def action_string(action_id: str) -> str:
    return _NATIVE_ACTIONS.get(action_id, f"orgtui({action_id!r})")


def default_key(spec: ActionSpec) -> str | None:
    return _ALIASES.get(spec.id, spec.key)


def binding_for(spec: ActionSpec, *, priority: bool = False) -> Binding | None:
    key = default_key(spec)
    if not key:
        return None
    return Binding(
        key,
        action_string(spec.id),
        spec.label,
        show=spec.show_in_footer,
        priority=priority,
        tooltip=spec.description,
        id=spec.id,
    )


def scope_bindings(*scopes: str, exclude: Iterable[str] = ()) -> list[Binding]:
    """The bindings of every action in the given scopes (for a widget's BINDINGS)."""
    skip = set(exclude)
    out: list[Binding] = []
    for scope in scopes:
        for spec in _TABLE.in_scope(scope):
            if spec.id in skip:
                continue
            binding = binding_for(spec)
            if binding is not None:
                out.append(binding)
    return out


def global_bindings() -> list[Binding]:
    return scope_bindings(GLOBAL)


# Vim-style movement for the tree and tables (arrows keep working through Textual's own bindings).
VI_MOVES: list[Binding] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
]


def effective_key(spec: ActionSpec, keymap: Mapping[str, str]) -> str | None:
    """The key the user presses for an action, after keymap overrides."""
    return keymap.get(spec.id) or default_key(spec)


class ScopedActions:
    """Mixin for a widget that owns the bindings of a scope.

    The widget supplies `action_context()` (what is selected) and may override `applies()` to
    hide actions that make no sense for the current selection (e.g. rename on a non-project).
    """

    app: Any
    SCOPES: ClassVar[tuple[str, ...]] = ()

    def scopes(self) -> tuple[str, ...]:
        """The registry scopes whose actions this widget carries out."""
        return self.SCOPES

    def action_context(self) -> ActionContext:
        raise NotImplementedError

    def applies(self, action_id: str) -> bool:
        return True

    def action_orgtui(self, action_id: str) -> None:
        self.app.start_action(action_id, self.action_context())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "orgtui" and parameters:
            action_id = str(parameters[0])
            return self.app.action_available(action_id) and self.applies(action_id)
        return True
