"""Project actions: create (with data residency, fixed at creation), rename, archive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Select, Static

from orgtui.core.services.commands_keys import ArchiveProject, CreateProject, RenameProject
from orgtui.core.services.results import Done
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str
from orgtui.ui.widgets.confirm import ConfirmScreen, typeable
from orgtui.ui.widgets.form import FormScreen, LabelledInput

if TYPE_CHECKING:
    from collections.abc import Callable

    from orgtui.api.models import Project
    from orgtui.core.services.results import Reconciliation
    from orgtui.core.snapshot import OrgSnapshot
    from orgtui.ui.app import OrgTuiApp

from orgtui.core.rules import DEFAULT_PROJECT_WHY


def _validate_name(text: str) -> tuple[str | None, str | None]:
    from orgtui.core.validation import validate_project_name

    return validate_project_name(text)


class CreateProjectForm(FormScreen[tuple[str, str]]):
    """A name that an existing project already has is warned about once: Create again makes
    the second one (the API allows it)."""

    TITLE_TEXT = "New project"
    SUBMIT_LABEL = "Create"

    def __init__(self, snapshot_of: Callable[[], OrgSnapshot] | None = None) -> None:
        super().__init__()
        self._snapshot_of = snapshot_of
        self._warned_for: str | None = None

    def fields(self) -> ComposeResult:
        from orgtui.core.services.projects import RESIDENCIES

        yield LabelledInput(
            "Name", placeholder="e.g. billing-service", validate=_validate_name, id="name"
        )
        yield Static(Text("Data residency", style="bold"), classes="form-label")
        yield Select(
            [(r.code, r.code) for r in RESIDENCIES],
            value=RESIDENCIES[0].code,
            allow_blank=False,
            id="residency",
        )
        yield Static(
            Text(RESIDENCIES[0].explanation), id="residency-explained", classes="form-note"
        )
        yield Static(
            Text(
                "Fixed at creation: residency cannot be changed later, and the organisation "
                "must have access to the region."
            ),
            classes="form-note",
        )

    def on_select_changed(self, event: Select.Changed) -> None:
        from orgtui.core.services.projects import RESIDENCIES

        explained = {r.code: r.explanation for r in RESIDENCIES}.get(str(event.value), "")
        self.query_one("#residency-explained", Static).update(Text(explained))

    def submit(self) -> tuple[str, str] | None:
        name, error = self.query_one("#name", LabelledInput).validated()
        if error or name is None:
            return None
        if self._snapshot_of is not None and self._warned_for != name.strip().casefold():
            from orgtui.core.services.projects import projects_named

            same = projects_named(self._snapshot_of(), name)
            if same:
                self._warned_for = name.strip().casefold()
                self.show_error(
                    f"A project named {safe_str(same[0], 60)} already exists"
                    f"{f' ({len(same)} in all)' if len(same) > 1 else ''}: "
                    "press Create again to make another one, or change the name"
                )
                return None
        self.show_error(None)
        residency = self.query_one("#residency", Select).value
        return name, str(residency)


class RenameProjectForm(FormScreen[str]):
    TITLE_TEXT = "Rename project"
    SUBMIT_LABEL = "Rename"

    def __init__(self, current: str) -> None:
        super().__init__()
        self._current = current

    def fields(self) -> ComposeResult:
        yield LabelledInput("New name", value=self._current, validate=_validate_name, id="name")

    def submit(self) -> str | None:
        name: str | None
        name, error = self.query_one("#name", LabelledInput).validated()
        if error or name is None:
            return None
        if name == self._current:
            self.show_error("That is already its name.")
            return None
        return name


def _project(app: OrgTuiApp, ctx: ActionContext) -> Project | None:
    project = ctx.item if getattr(ctx.item, "object", "") == "organization.project" else None
    if project is None and ctx.project_id:
        view = (ctx.session or app.session).snapshot.project(ctx.project_id)
        project = view.project if view else None
    if project is None:
        app.notify("Select a project first.", severity="warning")
    return project


def _report(app: OrgTuiApp, result: Done | Reconciliation) -> None:
    ok = result.outcome in ("done", "created", "unchanged")
    app.notify(
        safe_str(result.message, 300), severity="information" if ok else "warning", markup=False
    )


def _explain_default(app: OrgTuiApp, error: Exception) -> bool:
    """Turn the API's refusal to touch the default project into the reason, in words."""
    text = f"{getattr(error, 'code', '')} {error}".lower()
    if "default" in text:
        app.notify(DEFAULT_PROJECT_WHY, title="Default project", severity="warning")
        return True
    return False


@ui_action("project.create")
async def create_project(app: OrgTuiApp, ctx: ActionContext) -> None:
    session = ctx.session or app.session
    answer = await app.push_screen_wait(CreateProjectForm(lambda: session.snapshot))
    if answer is None:
        return
    name, residency = answer
    result = await session.registry.execute(session, CreateProject(name=name, residency=residency))
    _report(app, result)
    created = result.obj if isinstance(result, Done) else result.found
    if created is not None:
        app.main_screen_goto(session.profile.name, created.id)


@ui_action("project.rename")
async def rename_project(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.errors import BadRequestError

    session = ctx.session or app.session
    project = _project(app, ctx)
    if project is None:
        return
    name = await app.push_screen_wait(RenameProjectForm(project.name or ""))
    if name is None:
        return
    try:
        result = await session.registry.execute(
            session, RenameProject(project_id=project.id, name=name)
        )
    except BadRequestError as error:
        if _explain_default(app, error):
            return
        raise
    _report(app, result)


@ui_action("project.archive")
async def archive_project(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.errors import BadRequestError

    session = ctx.session or app.session
    project = _project(app, ctx)
    if project is None:
        return
    name = project.name or project.id
    typed = name if typeable(name) else project.id
    body = Text("Archiving ")
    body.append(safe_str(name, 120), style="bold")
    body.append(
        f" ({project.id}) cannot be undone: the API has no unarchive. Its keys stop "
        "working and it can no longer be used or changed."
    )
    confirmed = await app.push_screen_wait(
        ConfirmScreen("Archive project", body, "Archive", typed=typed)
    )
    if not confirmed:
        return
    try:
        result = await session.registry.execute(session, ArchiveProject(project_id=project.id))
    except BadRequestError as error:
        if _explain_default(app, error):
            return
        raise
    _report(app, result)
