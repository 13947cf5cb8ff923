"""A project key's details (`enter` on a key): who it is, how it is used, and what to do.

Ids, names and dates come from the snapshot; requests today and this month are read once
(`core.key_activity`), costs come from the spend summary the console keeps. `a` opens the
audit log filtered to the key, `d` deletes it, `o` rotates it, `y` yanks its id.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from orgtui.core import actions as A
from orgtui.core.money import format_usd
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.text import relative_time, safe_str, safe_text, short_date

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp

__all__ = ["KeyDetailsScreen"]


class _Facts:
    """Label and value lines (plain Text: it wraps, and reads back as text)."""

    def __init__(self) -> None:
        self.text = Text()

    def add_row(self, label: str, value: Text) -> None:
        if self.text:
            self.text.append("\n")
        self.text.append(f"{label:<11}", style="bold")
        self.text.append_text(value)


class KeyDetailsScreen(ModalScreen[None]):
    app: OrgTuiApp

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,minus", "close", "Back", id="key_details.close"),
        Binding("a", "audit", "Audit events", id="key_details.audit"),
        Binding("d", "delete", "Delete key", id="key_details.delete"),
        Binding("o", "rotate", "Rotate key", id="key_details.rotate"),
        Binding("y", "yank", "Yank id", id="key_details.yank"),
    ]
    DEFAULT_CSS = """
    KeyDetailsScreen { align: center middle; }
    KeyDetailsScreen > #key-details { width: 84; max-width: 100%; height: auto;
        max-height: 100%; border: round $primary; background: $surface; padding: 0 1; }
    KeyDetailsScreen #key-details-title { text-style: bold; padding-bottom: 1; }
    KeyDetailsScreen #key-details-buttons { height: 3; margin-top: 1; }
    KeyDetailsScreen #key-details-buttons > Button { margin-right: 1; min-width: 8; }
    """

    def __init__(self, session: Any, project_id: str, key: Any) -> None:
        super().__init__()
        self.session = session
        self.project_id = project_id
        self.key = key
        self.requests: Any = None  # KeyRequests, or a str saying why not
        self.loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="key-details"):
            yield Static(self._title(), id="key-details-title")
            yield Static(self._facts(), id="key-details-facts")
            with Horizontal(id="key-details-buttons"):
                yield Button("Audit events (a)", id="audit")
                yield Button("Rotate (o)", id="rotate")
                yield Button("Delete (d)", id="delete", variant="error")
                yield Button("Yank id (y)", id="yank")
                yield Button("Back", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
        self._load()

    def _title(self) -> Text:
        owner = self.key.owner.service_account
        title = Text("Key ")
        if owner is not None:
            title.append_text(safe_text(owner.name or owner.id, 40))
            if self.key.name and self.key.name != owner.name:
                title.append(" · ")
                title.append_text(safe_text(self.key.name, 30))
        else:
            title.append_text(safe_text(self.key.name or self.key.id, 50))
        return title

    def _now(self) -> float:
        return float(self.session.clock.now())

    def _project_name(self) -> str:
        view = self.session.snapshot.project(self.project_id)
        name = view.project.name if view is not None else None
        return name or self.project_id

    def _money(self) -> tuple[str, str]:
        from orgtui.ui.features.spend.alerts_watch import spend_watch

        summary = spend_watch(self.app).summary(self.session.profile.name)
        if summary is None:
            return "…", "…"
        found = next((k for k in summary.keys if k.id == self.key.id), None)
        if found is None:
            return format_usd(0.0), format_usd(0.0)
        return format_usd(found.today_usd), format_usd(found.month_to_date_usd)

    def _facts(self) -> Text:
        key, now = self.key, self._now()
        grid = _Facts()
        owner = key.owner
        if owner.service_account is not None:
            who = Text("service account ")
            who.append_text(safe_text(owner.service_account.name or "", 40))
            who.append(f"  {safe_str(owner.service_account.id, 40)}", style="dim")
        elif owner.user is not None:
            who = Text("user ")
            who.append_text(safe_text(owner.user.email or owner.user.name or owner.user.id, 50))
        else:
            who = Text("—", style="dim")
        grid.add_row("Id", safe_text(key.id, 60))
        grid.add_row("Name", safe_text(key.name or "(unnamed)", 60))
        grid.add_row("Key", safe_text(key.redacted_value, 40))
        grid.add_row("Owner", who)
        grid.add_row("Project", safe_text(self._project_name(), 60))
        created = f"{short_date(key.created_at)} ({relative_time(key.created_at, now)})"
        grid.add_row("Created", Text(created))
        grid.add_row("Last used", Text(relative_time(key.last_used_at, now)))
        requests = self.requests
        if not self.loaded:
            shown = Text("reading…", style="italic")
            shown_month = Text("reading…", style="italic")
        elif isinstance(requests, str):
            shown = shown_month = Text(f"unknown ({safe_str(requests, 50)})", style="dim")
        else:
            shown, shown_month = Text(f"{requests.today:,}"), Text(f"{requests.month:,}")
        cost_today, cost_month = self._money()
        grid.add_row("Requests", Text("today ").append_text(shown).append("   this month ")
                     .append_text(shown_month))  # fmt: skip
        grid.add_row("Cost", Text(f"today {cost_today}   this month {cost_month}"))
        return grid.text

    @work(exclusive=True, group="key-details")
    async def _load(self) -> None:
        from orgtui.core.errors import ApiError
        from orgtui.core.key_activity import key_requests
        from orgtui.ui.features.spend.alerts_watch import spend_watch

        try:
            self.requests = await key_requests(self.session, self.key.id)
        except ApiError as error:
            self.requests = str(error) or type(error).__name__
        watch = spend_watch(self.app)
        if watch.summary(self.session.profile.name) is None:
            with contextlib.suppress(ApiError):
                await watch.refresh(self.session)
        self.loaded = True
        if self.is_attached:
            self.query_one("#key-details-facts", Static).update(self._facts())

    # ------------------------------------------------------------------ actions

    def _key_context(self) -> ActionContext:
        return ActionContext(
            scope=A.KEY, project_id=self.project_id, item=self.key, session=self.session
        )

    def _then(self, action_id: str) -> None:
        """Close the details and start the action on the key (its own dialogs follow)."""
        app, ctx = self.app, self._key_context()
        self.dismiss(None)
        app.start_action(action_id, ctx)

    def action_audit(self) -> None:
        self._then("view.audit")

    def action_delete(self) -> None:
        self._then("key.delete")

    def action_rotate(self) -> None:
        self._then("key.rotate")

    def action_yank(self) -> None:
        from orgtui.ui.yank import yank

        yank(self.app, self.key.id, "key id")

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        handlers = {
            "audit": self.action_audit,
            "rotate": self.action_rotate,
            "delete": self.action_delete,
            "yank": self.action_yank,
        }
        handlers.get(event.button.id or "", self.action_close)()
