"""The audit log: newest first, filtered by the API, paged as the cursor nears the end.

    Audit log · Acme Robotics (sandbox)                               newest first · UTC
    Event type        Actor            Project          Object           Time
    api_key.*         ada@acme…        search-prod                       7d
    Time              Event                   Actor                Object
    2026-11-18 14:25  api_key.deleted         key ops-admin        ingest  key_abc…
    51 events · more below: keep scrolling

Filters go to the API (`orgtui.core.audit_query` builds the arguments); `enter` in a filter
applies them all. Pages are fetched in a worker, one at a time; a filter change cancels the page
in flight (a generation counter drops a late answer). `enter` on a row opens the full event.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from orgtui.core.audit_query import EVENT_TYPES, Directory, FilterTexts, parse_filters
from orgtui.ui.features.audit.detail import AuditDetailScreen, actor_label, event_object, local_time
from orgtui.ui.features.audit.table import PREFETCH_ROWS, AuditTable, ItemSuggester, typeable
from orgtui.ui.messages import SnapshotChanged
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.vtable import Column, Row, VirtualTable

if TYPE_CHECKING:
    from orgtui.api.models import AuditLog
    from orgtui.core.audit_query import AuditFilters
    from orgtui.core.session import Session

__all__ = ["AuditScreen", "AuditTable", "ItemSuggester"]

PAGE_SIZE = 50
# (field, label, placeholder); the order of the filter row.
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("event", "Event type", "any, e.g. api_key.*"),
    ("actor", "Actor", "email or key"),
    ("project", "Project", "any project"),
    ("object", "Object", "id or name"),
    ("time", "Time", "e.g. 7d"),
)
COLUMNS = (
    Column("time", "Time", 16),
    Column("event", "Event", 23),
    Column("actor", "Actor", 20, priority=2),
    Column("project", "Project", 16, priority=3),
    Column("object", "Object", 16, flex=True, priority=1),
)


class AuditScreen(Screen[None]):
    app: Any

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("x", "clear_filters", "Clear filters"),
        Binding("f", "focus_filters", "Filters", show=False),
    ]
    DEFAULT_CSS = """
    AuditScreen #audit-title { height: 1; background: $panel; padding: 0 1; }
    AuditScreen #audit-filters { height: 2; margin: 1 0 0 0; padding: 0 1; }
    AuditScreen.-narrow #audit-filters { margin: 0; }
    AuditScreen.-narrow #audit-table { margin: 0; }
    AuditScreen .audit-field { width: 1fr; height: 2; margin-right: 1; }
    AuditScreen #field-event { width: 1.4fr; }
    AuditScreen #field-time { width: 0.8fr; margin-right: 0; }
    AuditScreen .audit-field > Label { color: $text-muted; text-style: bold; height: 1; }
    AuditScreen .audit-field.-invalid > Label { color: $text-error; }
    AuditScreen .audit-field > Input { height: 1; }
    AuditScreen #audit-error { height: auto; padding: 0 1; color: $text-error;
        text-style: bold; display: none; }
    AuditScreen #audit-error.-shown { display: block; }
    AuditScreen #audit-table { height: 1fr; margin-top: 1; }
    AuditScreen #audit-status { height: 1; padding: 0 1; color: $text-muted; }
    AuditScreen #audit-status.-error { color: $text-error; text-style: bold; }
    """

    def __init__(
        self, session: Session, initial: FilterTexts | None = None, *, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(id="audit")
        self.session = session
        self.page_size = page_size
        self.directory = Directory.from_snapshot(session.snapshot)
        self.texts = initial or FilterTexts()
        self.filters: AuditFilters | None = None
        self.entries: list[AuditLog] = []
        self.has_more = False
        self.fetching = False
        self.error: str | None = None
        self.pages_fetched = 0
        self._after: str | None = None
        self._generation = 0

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="audit-title")
        with Horizontal(id="audit-filters"):
            for name, label, placeholder in FIELDS:
                with Vertical(id=f"field-{name}", classes="audit-field"):
                    yield Label(label)
                    yield Input(
                        getattr(self.texts, name),
                        placeholder=placeholder,
                        suggester=self._suggester(name),
                        compact=True,
                        id=f"f-{name}",
                    )
        yield Static(id="audit-error")
        yield AuditTable(COLUMNS, empty="Loading…", id="audit-table")
        yield Static(id="audit-status")
        yield OrgFooter()

    def _suggester(self, name: str) -> Suggester | None:
        if name == "event":
            return ItemSuggester(EVENT_TYPES)
        if name == "actor":
            return ItemSuggester(typeable(self.directory.emails))
        if name == "project":
            names = sorted(self.directory.projects.values(), key=str.casefold)
            return ItemSuggester(typeable(names))
        return None

    def _title(self) -> Table:
        left = Text("Audit log", style="bold")
        left.append(" · ")
        left.append_text(safe_text(self.session.snapshot.org_name, 60))
        right = Text(f"newest first · times in {time.strftime('%Z') or 'local time'}", style="dim")
        grid = Table.grid(expand=True)
        grid.add_column(no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(left, right)
        return grid

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#audit-table", VirtualTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.apply_filters(focus_table=True)

    # ------------------------------------------------------------------ filters

    def _read_texts(self) -> FilterTexts:
        values = {name: self.query_one(f"#f-{name}", Input).value for name, _, _ in FIELDS}
        return FilterTexts(**values)

    def apply_filters(self, *, focus_table: bool = False) -> bool:
        """Read the fields, and reload from the newest event when they all parse."""
        self.texts = self._read_texts()
        filters, errors = parse_filters(self.texts, self.app.clock.now(), self.directory)
        for name, _, _ in FIELDS:
            self.query_one(f"#field-{name}").set_class(name in errors, "-invalid")
        box = self.query_one("#audit-error", Static)
        box.set_class(bool(errors), "-shown")
        if errors or filters is None:
            labels = {name: label for name, label, _ in FIELDS}
            box.update(
                Text("\n").join(
                    safe_text(f"{labels[name]}: {message}", 300) for name, message in errors.items()
                )
            )
            self.query_one(f"#f-{next(iter(errors))}", Input).focus()
            return False
        self.filters = filters
        self.reload()
        if focus_table:
            self.table.focus()
        return True

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """enter applies the filters and stays in the field: what is typed next is text, not
        a command (escape or tab goes to the list)."""
        event.stop()
        self.apply_filters()

    def action_clear_filters(self) -> None:
        for name, _, _ in FIELDS:
            self.query_one(f"#f-{name}", Input).value = ""
        self.apply_filters(focus_table=True)

    def action_focus_filters(self) -> None:
        self.query_one("#f-event", Input).focus()

    def open_filter(self) -> None:
        """`/` (nav.filter): to the filter fields."""
        self.action_focus_filters()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()
        else:
            self.dismiss(None)

    def refresh_focused(self) -> None:
        """`r` (sync.refresh): fetch again from the newest event."""
        self.reload()

    # ------------------------------------------------------------------ paging

    def reload(self) -> None:
        self._generation += 1
        self.entries = []
        self._after = None
        self.has_more = False
        self.error = None
        self.table.set_rows([])
        self._fetch_page(replace=True)

    def load_more(self) -> bool:
        """Fetch the next page unless one is on its way or there is none."""
        if self.fetching or not self.has_more or self.error:
            return False
        self._fetch_page()
        return True

    def _fetch_page(self, *, replace: bool = False) -> None:
        self.fetching = True
        self._show_status()
        generation, after = self._generation, self._after
        # New filters cancel the page in flight; the next page never cancels anything.
        self.run_worker(
            self._fetch(generation, after),
            group="audit-page",
            exclusive=replace,
            exit_on_error=False,
        )

    async def _fetch(self, generation: int, after: str | None) -> None:
        from orgtui.core.audit_query import AuditFilters

        filters = self.filters or AuditFilters()
        got = await self.session.activity.audit(filters, after, self.page_size)
        page = got.value
        if page is None:
            if generation == self._generation:
                self.fetching = False
                self.error = str(got.problem)
                self._show_status()
            return
        if generation != self._generation:  # the filters changed while this page was coming
            return
        self.fetching = False
        self.pages_fetched += 1
        known = {entry.id for entry in self.entries}
        self.entries += [entry for entry in page.data if entry.id not in known]
        self._after = page.last_id or (page.data[-1].id if page.data else None)
        self.has_more = bool(page.has_more and self._after)
        self._show_rows()
        self.call_later(self._near_end)  # after this worker has finished

    # ------------------------------------------------------------------ rows

    def _row(self, entry: AuditLog) -> Row:
        name, ident = event_object(entry, self.directory)
        thing = safe_text(name or ident or "—", 120)
        if name and ident:
            thing.append("  ").append(safe_str(ident, 60), style="dim")
        project = entry.project
        return Row(
            entry.id,
            (
                local_time(entry.effective_at),
                safe_text(entry.type, 60),
                safe_text(actor_label(entry, self.directory), 120),
                safe_text(project.name or project.id, 60) if project else Text("—", style="dim"),
                thing,
            ),
            entry,
        )

    def _show_rows(self) -> None:
        table = self.table
        table.set_rows([self._row(entry) for entry in self.entries])
        filtered = self.filters is not None and self.filters.active
        table.set_empty_message("No events match these filters" if filtered else "No events")
        self._show_status()

    def _show_status(self) -> None:
        status = self.query_one("#audit-status", Static)
        count = len(self.entries)
        text = f"{count} event{'s' * (count != 1)}"
        # The API lists tenant-scoped events only when asked for them alone (tenant_only).
        if self.filters is not None and self.filters.tenant_only:
            text += " · tenant events only"
        else:
            text += " · tenant events: filter tenant.*"
        if self.error:
            status.update(safe_text(f"! {text} · could not load: {self.error} (r to retry)", 300))
        elif self.fetching:
            status.update(Text(f"{text} · loading…" if count else "Loading…"))
        elif self.has_more:
            status.update(Text(f"{text} · more below: keep scrolling"))
        else:
            status.update(Text(f"{text} · end of the log" if count else text))
        status.set_class(bool(self.error), "-error")
        if not self.entries:
            self.table.set_empty_message(
                "Loading…"
                if self.fetching
                else ("Could not load the audit log" if self.error else self.table.empty_message)
            )

    def _near_end(self) -> None:
        """Fetch more when the cursor, or the bottom of the view, is near the last row (also
        when the first page does not fill the view)."""
        table = self.table
        last = len(table.rows) - PREFETCH_ROWS
        bottom = round(table.scroll_y) + table.scrollable_content_region.height
        if table.cursor >= last or bottom >= last:
            self.load_more()

    @on(VirtualTable.Highlighted, "#audit-table")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        self._near_end()

    @on(AuditTable.NearEnd)
    def _scrolled_near_end(self, event: AuditTable.NearEnd) -> None:
        self.load_more()

    @on(VirtualTable.Selected, "#audit-table")
    def _selected(self, event: VirtualTable.Selected) -> None:
        if event.row is not None:
            self.app.push_screen(
                AuditDetailScreen(event.row.item, self.directory, self.app.clock.now())
            )

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        if message.profile == self.session.profile.name:
            self.directory = Directory.from_snapshot(message.snapshot)
            self._show_rows()
