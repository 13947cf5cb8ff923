"""Project mutations: create (residency fixed at creation), rename, archive.

Projects cannot be deleted through the API, only archived, and archiving cannot be undone.
The default project cannot be modified (the API answers 400). The `Project` schema has no
"is default" flag; when the API adds one (`is_default`, kept as an extra field) it is honoured
before calling, otherwise the API's own 400 message is what the user sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from orgtui.api.errors import CreateOutcomeUnknownError
from orgtui.core.rules import default_project_refusal
from orgtui.core.services._common import (
    apply,
    display,
    mutation,
    project_of,
    refuse,
    refuse_if_archived,
)
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.reconcile import create_then_reconcile, find_created, reconcile
from orgtui.core.services.results import Done, Reconciliation
from orgtui.core.validation import validate_project_name

if TYPE_CHECKING:
    from orgtui.api.models import Project
    from orgtui.core.session import Session
    from orgtui.core.snapshot import OrgSnapshot

__all__ = [
    "RESIDENCIES",
    "Residency",
    "archive_project",
    "create_project",
    "projects_named",
    "rename_project",
]


class Residency(NamedTuple):
    code: str  # the spec's `PublicProjectResidency` value
    explanation: str


# Order as in the spec. The organisation must have access to a residency to use it.
RESIDENCIES: tuple[Residency, ...] = (
    Residency("GLOBAL", "No residency: data may be stored and processed in any region"),
    Residency("US_STORAGE_PROCESSING", "Stored at rest and processed in the United States"),
    Residency("EU_STORAGE_PROCESSING", "Stored at rest and processed in the European Union"),
    Residency("JP_STORAGE", "Stored at rest in Japan"),
    Residency("KR_STORAGE", "Stored at rest in South Korea"),
    Residency("CA_STORAGE", "Stored at rest in Canada"),
    Residency("SG_STORAGE", "Stored at rest in Singapore"),
    Residency("IN_STORAGE", "Stored at rest in India"),
    Residency("AU_STORAGE", "Stored at rest in Australia"),
    Residency("GB_STORAGE", "Stored at rest in the United Kingdom"),
    Residency("AE_STORAGE", "Stored at rest in the United Arab Emirates"),
    Residency("AE_STORAGE_PROCESSING", "Stored at rest and processed in the United Arab Emirates"),
)
_RESIDENCY_CODES = frozenset(r.code for r in RESIDENCIES)


def projects_named(snapshot: OrgSnapshot, name: str, *, except_id: str | None = None) -> list[str]:
    """Names (with "(archived)") of the projects already called `name`, ignoring case and
    surrounding space: the API allows duplicates, a user rarely means one."""
    wanted = name.strip().casefold()
    return [
        (view.project.name or view.id) + (" (archived)" if view.archived else "")
        for view in snapshot.projects.values()
        if view.id != except_id and (view.project.name or "").strip().casefold() == wanted
    ]


def _refuse_default(project: Project, action_id: str) -> None:
    refuse(default_project_refusal(action_id, project))


def _put_project(session: Session, project: Project) -> None:
    apply(session, session.snapshot.with_project(project.id, project=project), ["projects"])


@mutation("project.create")
async def create_project(
    session: Session,
    *,
    name: str,
    residency: str | None = None,
    external_key_id: str | None = None,
) -> Done | Reconciliation:
    """Create a project. `residency` (a `RESIDENCIES` code) cannot be changed afterwards."""
    value, error = validate_project_name(name)
    if error or value is None:
        raise InvalidInput(error or "Project name is empty")
    if residency is not None and residency not in _RESIDENCY_CODES:
        raise InvalidInput(f"Unknown data residency {residency!r}")
    known = set(session.snapshot.projects)
    started = session.clock.now()

    async def send() -> Project:
        return await session.client.create_project(
            value, residency=residency, external_key_id=external_key_id
        )

    async def lost(exc: CreateOutcomeUnknownError) -> Done | Reconciliation:
        async def read_back() -> Any:
            return await find_created(
                session.client.iter_projects(),
                matches=lambda p: p.name == value,
                started_at=started,
                known_ids=known,
            )

        result = await reconcile(
            exc,
            kind="project",
            name=value,
            read_back=read_back,
            found_message=lambda p: (
                f"Project {display(value)} was created ({p.id}); "
                "the response was lost, so it was confirmed by reading back"
            ),
            not_found_message=f"Project {display(value)} was not created; it is safe to try again",
        )
        if result.found is not None:
            _put_project(session, result.found)
        return result

    async def created(project: Project) -> Done | Reconciliation:
        _put_project(session, project)
        return Done(f"Created project {display(project.name, project.id)}", obj=project)

    return await create_then_reconcile(send, created=created, lost=lost)


@mutation("project.rename")
async def rename_project(session: Session, *, project_id: str, name: str) -> Done:
    value, error = validate_project_name(name)
    if error or value is None:
        raise InvalidInput(error or "Project name is empty")
    project = await project_of(session, project_id)
    refuse_if_archived(project, "renaming it")
    _refuse_default(project, "project.rename")
    if project.name == value:
        return Done(f"Project is already named {display(value)}", outcome="unchanged", obj=project)
    updated = await session.client.update_project(project_id, name=value)
    _put_project(session, updated)
    return Done(f"Renamed project to {display(updated.name, updated.id)}", obj=updated)


@mutation("project.archive")
async def archive_project(session: Session, *, project_id: str) -> Done:
    """Archive a project. It cannot be undone: the project can no longer be used or updated."""
    project = await project_of(session, project_id)
    refuse_if_archived(project, "archiving it again")
    _refuse_default(project, "project.archive")
    updated = await session.client.archive_project(project_id)
    _put_project(session, updated)
    return Done(f"Archived project {display(updated.name, updated.id)}", obj=updated)
