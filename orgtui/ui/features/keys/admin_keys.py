"""Admin keys: create with an expiry (90 days unless chosen otherwise), shown once.

Admin keys act on the whole organisation (every project, member and key), so the form says
so plainly, defaults to a 90-day expiry, and makes "no expiry" an explicit choice with a
warning beside it. The value goes to the same copy-once dialog as project keys; deletion uses
the typed confirmation in `keys_delete`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, RadioButton, RadioSet, Static

from orgtui.core.validation import suggest_key_name, validate_key_name
from orgtui.ui.features.keys.create import RunForm
from orgtui.ui.text import short_date
from orgtui.ui.widgets.form import LabelledInput

__all__ = [
    "ADMIN_SCOPE_NOTE",
    "EXPIRY_CHOICES",
    "AdminKeyCreateScreen",
    "AdminKeyRequest",
]

DAY = 86_400
# (label, seconds or None for no expiry); the default is 90 days, as the seed advises.
EXPIRY_CHOICES: tuple[tuple[str, int | None], ...] = (
    ("30 days", 30 * DAY),
    ("90 days", 90 * DAY),
    ("365 days", 365 * DAY),
    ("No expiry", None),
)
DEFAULT_EXPIRY = "90 days"
ADMIN_SCOPE_NOTE = (
    "Admin keys are organisation-scoped: they can change every project, member and key. "
    "They belong in admin tooling, never in application code."
)
NO_EXPIRY_WARNING = "! Never expires: it stays valid until someone deletes it."


@dataclass(frozen=True)
class AdminKeyRequest:
    name: str
    expires_in_seconds: int | None
    no_expiry: bool = False

    def params(self) -> dict[str, Any]:
        """Keyword arguments of the `admin_key.create` core handler."""
        if self.no_expiry:
            return {"name": self.name, "expires_in_seconds": None, "no_expiry": True}
        return {"name": self.name, "expires_in_seconds": self.expires_in_seconds}


class AdminKeyCreateScreen(RunForm):
    """Name and expiry. `run` receives an `AdminKeyRequest`."""

    TITLE_TEXT: ClassVar[str] = "New admin key"
    SUBMIT_LABEL: ClassVar[str] = "Create"
    DEFAULT_CSS = """
    AdminKeyCreateScreen #form-title { padding: 0 1; }
    AdminKeyCreateScreen #form-context { padding: 0 1 1 1; color: $text-muted; }
    AdminKeyCreateScreen LabelledInput { margin-bottom: 0; }
    AdminKeyCreateScreen #expiry-row { height: 1; margin: 1 0 0 0; }
    AdminKeyCreateScreen #expiry-row > Label { padding: 0 1; text-style: bold; width: 9; }
    AdminKeyCreateScreen RadioSet { layout: horizontal; width: auto; height: 1; }
    AdminKeyCreateScreen RadioSet > RadioButton { width: auto; margin-right: 1; }
    AdminKeyCreateScreen #expiry-note { padding: 0 1 0 10; height: 1; color: $text-muted; }
    AdminKeyCreateScreen #expiry-note.-never { color: $text-warning; text-style: bold; }
    AdminKeyCreateScreen #form-error { height: auto; margin-top: 1; }
    """

    def __init__(
        self,
        *,
        run: Callable[[AdminKeyRequest], Awaitable[Any]] | None = None,
        now: float | None = None,
        initial: AdminKeyRequest | None = None,
    ) -> None:
        super().__init__(run=run)
        self._now = now
        self._initial = initial

    def fields(self) -> ComposeResult:
        yield Static(Text(ADMIN_SCOPE_NOTE), id="form-context")
        yield LabelledInput(
            "Name",
            value=self._initial.name if self._initial else suggest_key_name("admin", "tooling"),
            hint="Say which tool uses it, e.g. admin-terraform",
            validate=validate_key_name,
            id="name",
        )
        chosen = DEFAULT_EXPIRY
        if self._initial is not None:
            chosen = next(
                (
                    label
                    for label, secs in EXPIRY_CHOICES
                    if secs == self._initial.expires_in_seconds
                    and (secs is not None or self._initial.no_expiry)
                ),
                DEFAULT_EXPIRY,
            )
        with Horizontal(id="expiry-row"):
            yield Label("Expires")
            with RadioSet(id="expiry", compact=True):
                for index, (label, _) in enumerate(EXPIRY_CHOICES):
                    yield RadioButton(
                        label, value=label == chosen, id=f"expiry-{index}", compact=True
                    )
        yield Static(self._note(chosen), id="expiry-note")

    def _note(self, label: str) -> str:
        seconds = dict(EXPIRY_CHOICES).get(label)
        if seconds is None:
            return NO_EXPIRY_WARNING
        if self._now is None:
            return f"Expires {label} after creation."
        return f"Expires on {short_date(self._now + seconds)}; create a new one before then."

    def expiry_label(self) -> str:
        pressed = self.query_one("#expiry", RadioSet).pressed_button
        return str(pressed.label) if pressed is not None else DEFAULT_EXPIRY

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        label = str(event.pressed.label)
        note = self.query_one("#expiry-note", Static)
        note.update(self._note(label))
        note.set_class(dict(EXPIRY_CHOICES).get(label) is None, "-never")

    def submit(self) -> AdminKeyRequest | None:
        name, error = self.query_one("#name", LabelledInput).validated()
        if error:
            self.show_error(None)
            return None
        seconds = dict(EXPIRY_CHOICES).get(self.expiry_label())
        return AdminKeyRequest(name=name, expires_in_seconds=seconds, no_expiry=seconds is None)
