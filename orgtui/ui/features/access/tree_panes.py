"""The detail pane of the tree's Groups and Roles nodes: what is there (read when shown) and
that `enter` opens the screen where they are managed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from orgtui.ui.text import safe_text

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["AccessPane"]

INTRO = {
    "groups": (
        "Groups",
        "Who gets access through a group: its members hold the organisation roles it holds, "
        "and the project roles it holds in each project it belongs to.",
        "enter (or W) opens the Groups screen: create, rename, delete, members, roles",
    ),
    "roles": (
        "Roles",
        "The organisation's roles: owner and reader are predefined (read-only); custom roles "
        "hold a chosen set of permissions. Project roles live on each project's Groups tab (p).",
        "enter (or P) opens the Roles screen: create, edit and delete custom roles",
    ),
}


class AccessPane(VerticalScroll):
    DEFAULT_CSS = """
    AccessPane { padding: 0 1; }
    """

    def __init__(self, kind: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.session: Session | None = None
        self.names: list[str] | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="access-pane-body")

    def show(self, session: Session) -> None:
        if session is not self.session:
            self.session, self.names = session, None
        self._paint()
        self.run_worker(self._load(session), group=f"access-pane:{self.kind}", exclusive=True)

    async def _load(self, session: Session) -> None:
        from orgtui.core.errors import ApiError
        from orgtui.core.services.assignments import list_groups
        from orgtui.core.services.roles import load_roles

        try:
            found = await (list_groups(session) if self.kind == "groups" else load_roles(session))
        except ApiError as exc:
            self.error = str(exc)
        else:
            self.error, self.names = None, [item.name for item in found]
        self._paint()

    def _paint(self) -> None:
        title, intro, hint = INTRO[self.kind]
        text = Text(title, style="bold")
        text.append("\n" + intro + "\n\n")
        if self.error:
            text.append_text(safe_text(f"! could not read them: {self.error}", 300))
        elif self.names is None:
            text.append("Loading…", style="dim")
        elif not self.names:
            text.append("None yet.", style="dim")
        else:
            text.append(f"{len(self.names)}: ", style="bold")
            text.append_text(safe_text(", ".join(self.names), 600))
        text.append("\n\n" + hint, style="dim")
        self.query_one("#access-pane-body", Static).update(text)
