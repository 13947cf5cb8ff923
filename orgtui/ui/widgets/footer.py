"""The footer: `?` Help and `q` Quit first, then as many of the keys that work here as fit.

Textual's own footer lists bindings in the order the focus chain yields them and lets the rest
fall off the right edge (cut mid-word), with the command-palette key docked over the last item
("Commandst"). This one pins the two keys a user must always find, shows only whole items and
leaves the rest to `?` (every key here) and `ctrl+p` (every command).

A read-only organisation's footer does not offer what would change it (as k9s in read-only
mode): the keys of mutating actions are left out when the organisation of what they would act
on is read-only, and stay for a writable one beside it. The keys themselves keep working, so
pressing one still says why it is refused (`check_action` returning False would make them fall
through silently, None would dim them in the footer and swallow the press).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from orgtui.ui.compat import footer_bindings_ready, footer_key

PINNED = ("app.help", "app.quit")


class OrgFooter(Footer):
    """A one-line footer of whole items, `?` Help and `q` Quit always first."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True, show_command_palette=False)

    def shown_bindings(self) -> list[tuple[Binding, bool, str]]:
        """The bindings to show, pinned first, one per action, before fitting."""
        seen: set[str] = set()
        items: list[tuple[Binding, bool, str]] = []
        registries: dict[int, Any] = {}
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            if not offered(node, binding, self.app, registries):
                continue
            seen.add(binding.action)
            items.append((binding, enabled, tooltip))
        rank = {action_id: n for n, action_id in enumerate(PINNED)}
        items.sort(key=lambda item: rank.get(item[0].id or "", len(PINNED)))
        return items

    def fitted(self, width: int) -> Iterator[tuple[Binding, bool, str, str]]:
        """(binding, enabled, tooltip, key shown) for each item that fits whole in `width`."""
        used = 0
        for binding, enabled, tooltip in self.shown_bindings():
            key_display = self.app.get_key_display(binding)
            # compact: "<key> <description>" and a one-cell margin after it
            cells = len(key_display) + 1 + len(binding.description) + 1
            pinned = binding.id in PINNED
            if used + cells - 1 > width and not pinned:
                continue
            used += cells
            yield binding, enabled, tooltip, key_display

    def compose(self) -> ComposeResult:
        if not footer_bindings_ready(self):
            return
        width = self.size.width or self.app.size.width
        for binding, enabled, tooltip, key_display in self.fitted(width):
            yield footer_key(
                binding.key,
                key_display,
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or binding.tooltip,
            ).data_bind(compact=Footer.compact)

    def on_resize(self) -> None:
        if footer_bindings_ready(self):
            self.call_after_refresh(self.recompose)


def offered(node: Any, binding: Binding, app: Any, registries: dict[int, Any]) -> bool:
    """False for a mutating action whose organisation (that of the node's selection, else the
    focused one) is read-only: the footer and the help's "keys that work here" leave it out.
    `registries` caches each node's registry for one pass over the bindings."""
    if id(node) not in registries:
        registries[id(node)] = _registry_of(node, app)
    registry = registries[id(node)]
    if registry is None or not registry.read_only or not binding.id:
        return True
    # A screen's own key that carries out a registry action says which (REGISTRY_ACTIONS).
    action_id = getattr(node, "REGISTRY_ACTIONS", {}).get(binding.id, binding.id)
    try:
        return bool(registry.allowed(action_id))
    except KeyError:  # not an action of the registry (a dialog's or a screen's own key)
        return True


def _registry_of(node: Any, app: Any) -> Any:
    """The action registry of the organisation a node's bindings act on: its selection's, else
    its own session's (a screen showing one org), else the focused org's (None: no registry)."""
    context = getattr(node, "action_context", None)
    sessions: list[Any] = [getattr(node, "session", None), getattr(app, "session", None)]
    if callable(context):
        with contextlib.suppress(NotImplementedError):
            sessions.insert(0, getattr(context(), "session", None))
    return next((s.registry for s in sessions if hasattr(s, "registry")), None)
