"""The line a mutating dialog shows when several organisations are open: which one it changes.

    in Staging Org · staging  RO

`OrgTuiApp.run_registered` sets `app.acting_session` while a mutating action runs (only when
more than one organisation is open); dialogs yield `OrgLine()`, which shows nothing otherwise.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from orgtui.ui.text import safe_text


def acting_org_text(app: Any) -> Text | None:
    """ "in <org name> · <profile>" for the organisation a running action changes, or None."""
    if len(getattr(app, "sessions", ())) < 2:
        return None
    session = getattr(app, "acting_session", None)
    if session is None:
        return None
    name = session.snapshot.org_name or session.profile.name
    text = Text("in ")
    text.append_text(safe_text(name, 60, style="bold"))
    if session.profile.name != name:
        text.append(" · ")
        text.append_text(safe_text(session.profile.name, 30))
    if session.read_only:
        text.append("  RO", style="bold")
    return text


class OrgLine(Static):
    """Names the organisation the dialog will change; hidden when only one is open."""

    DEFAULT_CSS = """
    OrgLine { height: auto; color: $text-accent; padding: 0 1 1 1; }
    OrgLine.-none { display: none; }
    """

    def __init__(self) -> None:
        super().__init__("", classes="org-line")

    def on_mount(self) -> None:
        text = acting_org_text(self.app)
        self.set_class(text is None, "-none")
        if text is not None:
            self.update(text)
