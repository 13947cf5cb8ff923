"""The command palette (`ctrl+p`): orgtui's own commands, from the action registry.

Lists every action, each with its current key: those that work where the user is run at once;
the others say where they work (so "rotate" is found from the tree too). Plus "Go to project X"
for every project.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from orgtui.core.actions import GLOBAL, ActionSpec
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.ui.dispatch import ActionContext


Command = tuple[str, str, Callable[[], Any]]  # (text, help, callback)


class OrgCommands(Provider):
    """Registry actions available here, and jumps to projects."""

    async def startup(self) -> None:
        self._commands = self._build()

    def _scope_contexts(self) -> dict[str, tuple[Any, ActionContext]]:
        from orgtui.ui.bindings import ScopedActions

        found: dict[str, tuple[Any, ActionContext]] = {}
        focused = self.focused
        if focused is None:
            return found
        for node in focused.ancestors_with_self:
            if isinstance(node, ScopedActions):
                for scope in node.scopes():
                    found.setdefault(scope, (node, node.action_context()))
        return found

    def _build(self) -> list[Command]:
        from orgtui.ui.bindings import effective_key
        from orgtui.ui.dispatch import context_from_focus

        app: Any = self.app
        if not hasattr(app, "sessions"):
            return []
        scoped = self._scope_contexts()
        commands: list[Command] = []
        keymap = getattr(app, "keymap_overrides", {})
        for spec in app.registry.specs():
            if not spec.palette or not app.action_available(spec.id):
                continue
            if spec.scope == GLOBAL:
                ctx = context_from_focus(app)
            elif spec.scope in scoped and scoped[spec.scope][0].applies(spec.id):
                ctx = scoped[spec.scope][1]
            else:
                # Listed everywhere, so it can be found; chosen away from its list, it says
                # where it works instead of doing something to the wrong object.
                key = effective_key(spec, keymap)
                commands.append(
                    (
                        _title(spec, key, app),
                        f"{spec.description or spec.label} · in {where(spec.scope)}",
                        partial(_tell_where, app, spec, key),
                    )
                )
                continue
            key = effective_key(spec, keymap)
            commands.append(
                (
                    _title(spec, key, app),
                    spec.description or spec.label,
                    partial(app.start_action, spec.id, ctx),
                )
            )
        # The focused organisation's projects (`:` jumps across every open one).
        for session in (app.session,):
            for view in session.snapshot.projects.values():
                name = safe_str(view.project.name or view.project.id, 80)
                text = f"Go to project {name}"
                if view.archived:
                    text += " (archived)"
                commands.append(
                    (
                        text,
                        view.project.id,
                        partial(app.main_screen_goto, session.profile.name, view.project.id),
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for text, help_text, callback in self._commands:
            if not text.startswith("Go to project"):
                yield DiscoveryHit(Content(text), callback, text=text, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._commands:
            score, offsets = matcher.fuzzy_search.match(matcher.query, text)
            if score > 0:
                # Built here, literally: the palette's own highlight() parses its text as
                # markup, and a project may be named "[bold red]payments[/] prod".
                shown = Content(text)
                for offset in offsets:
                    if not text[offset].isspace():
                        shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, callback, text=text, help=escape(help_text))


def _title(spec: ActionSpec, key: str | None, app: Any) -> str:
    if not key:
        return spec.label
    shown = ", ".join(app.get_key_display_for(k) for k in key.split(","))
    return f"{spec.label} ({shown})"


def key_label(app: Any, key: str) -> Text:
    return Text(", ".join(app.get_key_display_for(k) for k in key.split(",")))


def where(scope: str) -> str:
    from orgtui.ui.features.shell.help_screen import SCOPE_TITLES

    return SCOPE_TITLES.get(scope, scope)


def _tell_where(app: Any, spec: ActionSpec, key: str | None) -> None:
    keys = ", ".join(app.get_key_display_for(k) for k in key.split(",")) if key else ""
    shown = f" (press {keys} there)" if keys else ""
    app.notify(
        f"{spec.label} works in: {where(spec.scope)}{shown}.",
        title="Not here",
        markup=False,
    )
