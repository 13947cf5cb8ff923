"""The Certificates pane (an org-level tree node) and a project's Security panel (a tab).

Both read through `orgtui.core.security` in a worker (group `refresh:security...`, which the
UI tests' settle() waits for) when first shown, after each change, and on `r`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from orgtui.core import actions as A
from orgtui.core.errors import ApiError
from orgtui.core.security import (
    RETENTION_LABELS,
    CertificateOverview,
    ProjectSecurity,
    load_certificates,
    load_project_security,
)
from orgtui.ui.bindings import ScopedActions, scope_bindings
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.security.rows import (
    CERTIFICATE_COLUMNS,
    certificate_rows,
    expiry_text,
)
from orgtui.ui.text import safe_str, safe_text, short_date
from orgtui.ui.widgets.tables import ResourceTable
from orgtui.ui.widgets.vtable import Row

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp

TOOL_LABELS = {
    "file_search": "File search",
    "web_search": "Web search",
    "image_generation": "Image generation",
    "mcp": "MCP",
    "code_interpreter": "Code interpreter",
}


def retention_label(value: str | None) -> str:
    return "unknown" if value is None else RETENTION_LABELS.get(value, value)


class CertificatesTable(ResourceTable):
    SCOPE = A.CERTIFICATE
    COLUMNS = CERTIFICATE_COLUMNS
    EMPTY = "No certificates uploaded (n uploads one)"
    ROW_FREE = frozenset({"certificate.upload"})
    BINDINGS: ClassVar[list[BindingType]] = list(scope_bindings(A.CERTIFICATE))

    _pending: str | None = None

    def select_key(self, key: str) -> bool:
        """Select a certificate; asked before the list arrived, once it does."""
        if super().select_key(key):
            return True
        self._pending = key
        return not self.all_rows

    def set_rows(self, rows: Any) -> None:
        super().set_rows(rows)
        if self._pending is not None and super().select_key(self._pending):
            self._pending = None


class CertificatesPane(Vertical):
    app: OrgTuiApp

    DEFAULT_CSS = """
    CertificatesPane #cert-note { height: 1; padding: 0 1; color: $text-muted; }
    CertificatesPane #cert-note.-warn { color: $text-warning; text-style: bold; }
    CertificatesPane #cert-detail { height: auto; max-height: 6; padding: 0 1;
        border-top: solid $panel-lighten-1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.overview: CertificateOverview | None = None
        self.error: str | None = None
        self.loading = False

    def compose(self) -> ComposeResult:
        yield Static(id="cert-note")
        yield CertificatesTable(id="certificates-table")
        yield Static(id="cert-detail")

    @property
    def table(self) -> CertificatesTable:
        return self.query_one(CertificatesTable)

    def show(self, session: Session, *, fresh: bool = False) -> None:
        changed = session is not self.session
        self.session = session
        self.table.session = session
        if changed or fresh or (self.overview is None and not self.loading):
            self.reload()
        else:
            self._paint()

    def reload(self) -> None:
        if self.session is None:
            return
        self.loading = True
        self._note()
        self.run_worker(self._load(self.session), group="refresh:certificates", exclusive=True)

    async def _load(self, session: Session) -> None:
        try:
            overview = await load_certificates(session)
        except ApiError as exc:
            self.error, self.loading = str(exc), False
        else:
            self.overview, self.error, self.loading = overview, None, False
        if session is self.session:
            self._paint()

    def _projects(self) -> dict[str, str]:
        if self.session is None:
            return {}
        return {
            pid: view.project.name or pid for pid, view in self.session.snapshot.projects.items()
        }

    def _paint(self) -> None:
        now = self.app.clock.now()
        if self.overview is not None:
            self.table.set_rows(certificate_rows(self.overview.certificates, now, self._projects()))
        else:
            self.table.set_empty_message("Loading…" if self.loading else "Not loaded")
        self._note()
        self.show_detail(self.table.current)

    def _note(self) -> None:
        note = self.query_one("#cert-note", Static)
        warn = False
        if self.loading:
            text = Text("Loading certificates…")
        elif self.error is not None:
            text, warn = safe_text(f"! Could not load the certificates: {self.error}", 300), True
        elif self.overview is not None:
            now = self.app.clock.now()
            certs = self.overview.certificates
            expiring = sum(1 for c in certs if c.expiring(now) or c.expired(now))
            text = Text(f"{len(certs)} certificate{'s' * (len(certs) != 1)} (mutual TLS)")
            if expiring:
                text.append(f" · {expiring} expiring within 30 days or expired", style="bold")
                warn = True
            if self.overview.errors:
                text.append(f" · {len(self.overview.errors)} part(s) could not be read")
                warn = True
        else:
            text = Text("")
        note.set_class(warn, "-warn")
        note.update(text)

    def show_detail(self, row: Row | None) -> None:
        detail = self.query_one("#cert-detail", Static)
        cert = row.item if row is not None else None
        if cert is None:
            detail.update(Text("n uploads a PEM certificate", style="dim"))
            return
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("Subject", safe_text(cert.subject or "unknown", 200))
        valid = Text(f"{short_date(cert.valid_at)} to ")
        valid.append_text(expiry_text(cert, self.app.clock.now()))
        valid.append(f"  {cert.id}", style="dim")
        grid.add_row("Valid", valid)
        grid.add_row("SHA-256", Text(cert.fingerprint or "unknown"))
        detail.update(grid)

    def on_virtual_table_highlighted(self, event: Any) -> None:
        self.show_detail(event.row)


class SecurityPanel(ScopedActions, VerticalScroll, can_focus=True):
    """A project's model permissions, hosted tools and data retention (next to the org's)."""

    SCOPES = (A.SECURITY,)
    BINDINGS: ClassVar[list[BindingType]] = list(scope_bindings(A.SECURITY))
    DEFAULT_CSS = """
    SecurityPanel { padding: 0 1; }
    SecurityPanel:focus { background: $boost; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.project_id: str | None = None
        self.data: ProjectSecurity | None = None
        self.error: str | None = None
        self.loading = False

    def compose(self) -> ComposeResult:
        yield Static(id="security-body")

    def show(self, session: Session, project_id: str, *, fresh: bool = False) -> None:
        changed = session is not self.session or project_id != self.project_id
        self.session, self.project_id = session, project_id
        if changed:
            self.data = None
        if changed or fresh:
            self.reload()
        else:
            self._paint()

    def reload(self) -> None:
        if self.session is None or self.project_id is None:
            return
        self.loading = True
        self._paint()
        self.run_worker(
            self._load(self.session, self.project_id), group="refresh:security", exclusive=True
        )

    async def _load(self, session: Session, pid: str) -> None:
        try:
            data = await load_project_security(session, pid)
        except ApiError as exc:
            self.error, self.loading = str(exc), False
        else:
            self.error, self.loading = None, False
            if pid == self.project_id:
                self.data = data
        self._paint()
        self.refresh_bindings()

    def _paint(self) -> None:
        body = self.query_one("#security-body", Static)
        data = self.data
        if data is None:
            text = Text("Loading…" if self.loading or self.error is None else "")
            if self.error is not None:
                text = safe_text(f"! Could not load: {self.error}", 300)
            body.update(text)
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("Models", self._models(data))
        grid.add_row("Hosted tools", self._tools(data))
        project, warning, org = self._retention(data)
        grid.add_row("Retention", project)
        if warning is not None:
            grid.add_row("", warning)
        grid.add_row("Org retention", org)
        if data.errors:
            grid.add_row(
                "Not read", safe_text("; ".join(f"{k}: {v}" for k, v in data.errors.items()), 300)
            )
        hint = Text(
            "\nm models · ctrl+x every model · t tools · D retention · O org retention",
            style="dim",
        )
        body.update(Group(grid, hint))

    @staticmethod
    def _models(data: ProjectSecurity) -> Text:
        if data.model_mode is None:
            return Text("unknown", style="dim")
        if data.model_mode == "allow_list":
            text = Text("Allow list: ", style="bold")
            text.append(safe_str(", ".join(data.model_ids), 400) or "(none: every model blocked)")
            return text
        if not data.model_ids:
            return Text("Every model allowed (no allow list)", style="italic")
        text = Text("Deny list: ", style="bold")
        text.append(safe_str(", ".join(data.model_ids), 400))
        return text

    @staticmethod
    def _tools(data: ProjectSecurity) -> Any:
        if not data.tools:
            return Text("unknown", style="dim")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        cells = [
            Text(f"{'✓' if on else '✗'} {TOOL_LABELS.get(tool, tool)}", style="" if on else "dim")
            for tool, on in data.tools.items()
        ]
        half = (len(cells) + 1) // 2
        for left, right in zip(cells[:half], [*cells[half:], Text("")], strict=False):
            grid.add_row(left, right)
        return grid

    @staticmethod
    def _retention(data: ProjectSecurity) -> tuple[Text, Text | None, Text]:
        project = Text(retention_label(data.retention))
        if data.retention == "organization_default":
            project.append(f" ({retention_label(data.org_retention)})", style="dim")
        warning = None
        if data.retention_longer_than_org:
            warning = Text("! keeps data longer than the organisation", style="bold")
        return project, warning, Text(retention_label(data.org_retention))

    def action_context(self) -> ActionContext:
        return ActionContext(
            scope=A.SECURITY, project_id=self.project_id, item=self.data, session=self.session
        )

    def applies(self, action_id: str) -> bool:
        if self.session is None or self.project_id is None or self.data is None:
            return False
        view = self.session.snapshot.project(self.project_id)
        return view is not None and not view.archived
