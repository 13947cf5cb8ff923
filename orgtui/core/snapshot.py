"""The organisation as last seen: an immutable snapshot made of independently fetched parts.

A *part* is the unit of fetching, caching and staleness: the project list, the org members,
the invites, the admin keys, the org limits, and five parts per project (keys, service accounts,
members, rate limits, limits). Every change produces a new `OrgSnapshot`; nothing is mutated in
place, so a screen can keep painting an old snapshot while a worker builds the next one.

`None` in a data field means "not fetched yet"; whether a part was fetched, when, and whether its
last refresh failed is in `OrgSnapshot.parts` (a `PartStatus` per part id). The project and org
spend limits are the exception to "None = not fetched": there `None` also means "no limit", so
ask `is_fetched(...)` for the difference. A project's data is read through `ProjectView.get`
and `ProjectView.count`: a part the cache left unparsed is parsed only by `get`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, overload

from orgtui.core.lazy_part import LazyPart

if TYPE_CHECKING:
    from orgtui.api.models import (
        AdminApiKey,
        Invite,
        Project,
        ProjectApiKey,
        ProjectRateLimit,
        ProjectServiceAccount,
        ProjectUser,
        SpendAlert,
        SpendLimit,
        User,
    )

__all__ = [
    "LazyPart",
    "ORG_PARTS",
    "ORG_PART_FIELDS",
    "PROJECT_PART_FIELDS",
    "PROJECT_PART_KINDS",
    "OrgSnapshot",
    "PartStatus",
    "ProjectView",
    "project_part",
    "split_part",
]

PROJECTS = "projects"
# Org-level parts in the order a refresh fetches them, with the OrgSnapshot fields each one owns.
ORG_PART_FIELDS: Mapping[str, tuple[str, ...]] = {
    "users": ("users",),
    "invites": ("invites",),
    "admin_keys": ("admin_keys",),
    "org_limits": ("org_spend_limit", "org_spend_alerts"),
}
ORG_PARTS: tuple[str, ...] = (PROJECTS, *ORG_PART_FIELDS)
# Per-project parts in fetch order, with the ProjectView fields each one owns.
PROJECT_PART_FIELDS: Mapping[str, tuple[str, ...]] = {
    "keys": ("api_keys",),
    "service_accounts": ("service_accounts",),
    "users": ("users",),
    "rate_limits": ("rate_limits",),
    "limits": ("spend_limit", "spend_alerts"),
}
PROJECT_PART_KINDS: tuple[str, ...] = tuple(PROJECT_PART_FIELDS)


def project_part(pid: str, kind: str) -> str:
    """The part id of one per-project part: `project:<pid>:<kind>`."""
    if kind not in PROJECT_PART_FIELDS:
        raise ValueError(f"unknown project part kind {kind!r}")
    return f"project:{pid}:{kind}"


def split_part(part_id: str) -> tuple[str | None, str]:
    """`(pid, kind)` for a project part, `(None, part_id)` for an org part; ValueError otherwise."""
    if part_id in ORG_PARTS:
        return None, part_id
    prefix, sep, rest = part_id.partition(":")
    pid, sep2, kind = rest.rpartition(":")
    if prefix == "project" and sep and sep2 and pid and kind in PROJECT_PART_FIELDS:
        return pid, kind
    raise ValueError(f"unknown part id {part_id!r}")


class PartStatus(NamedTuple):
    """When a part was last fetched successfully, and the error of its last refresh if it failed.

    A named tuple: the cache makes one per stored part at start (thousands), several times
    faster to build than a frozen dataclass."""

    fetched_at: float | None
    error: str | None = None

    @property
    def stale(self) -> bool:
        return self.error is not None


@dataclass(frozen=True, slots=True, eq=False)
class ProjectView:
    """One project and what has been fetched of it (None = not fetched yet).

    A view loaded from the cache may hold a part unparsed: each of that part's fields then
    holds its `LazyPart`. Read the data fields through `get(name)` (which parses an unparsed
    part) or `count(name)` (which does not when the cache kept the count), not as attributes.
    The fields are plain values, so `dataclasses.replace` copies an unparsed part as it is:
    it neither parses nor loses it.
    """

    project: Project
    api_keys: list[ProjectApiKey] | LazyPart | None = None
    service_accounts: list[ProjectServiceAccount] | LazyPart | None = None
    users: list[ProjectUser] | LazyPart | None = None
    rate_limits: list[ProjectRateLimit] | LazyPart | None = None
    spend_limit: SpendLimit | LazyPart | None = None
    spend_alerts: list[SpendAlert] | LazyPart | None = None

    @overload
    def get(self, name: Literal["api_keys"]) -> list[ProjectApiKey] | None: ...
    @overload
    def get(self, name: Literal["service_accounts"]) -> list[ProjectServiceAccount] | None: ...
    @overload
    def get(self, name: Literal["users"]) -> list[ProjectUser] | None: ...
    @overload
    def get(self, name: Literal["rate_limits"]) -> list[ProjectRateLimit] | None: ...
    @overload
    def get(self, name: Literal["spend_limit"]) -> SpendLimit | None: ...
    @overload
    def get(self, name: Literal["spend_alerts"]) -> list[SpendAlert] | None: ...
    @overload
    def get(self, name: str) -> Any: ...
    def get(self, name: str) -> Any:
        """The value of data field `name` (None = not fetched), parsing its part if unparsed."""
        if name not in _DATA_FIELD_SET:
            raise AttributeError(f"ProjectView has no data field {name!r}")
        value = getattr(self, name)
        return value.load().get(name) if isinstance(value, LazyPart) else value

    def count(self, name: str) -> int | None:
        """`len()` of list field `name` (None = not fetched), without parsing an unparsed part.

        The organisation summary shows key counts on the first frame: counting 10,000 cached
        keys costs a few milliseconds, parsing them a hundred or more.
        """
        if name not in _DATA_FIELD_SET:
            raise AttributeError(f"ProjectView has no data field {name!r}")
        value: Any = getattr(self, name)
        if isinstance(value, LazyPart):
            return value.count(name)
        return None if value is None else len(value)

    def __eq__(self, other: object) -> bool:
        """Same project and same data; an unparsed part is parsed to be compared (only here,
        and never when both sides hold the same `LazyPart`)."""
        if not isinstance(other, ProjectView):
            return NotImplemented
        if self.project != other.project:
            return False
        for name in _PROJECT_DATA_FIELDS:
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not theirs and self.get(name) != other.get(name):
                return False
        return True

    @property
    def id(self) -> str:
        return self.project.id

    @property
    def archived(self) -> bool:
        project = self.project
        return project.archived_at is not None or project.status == "archived"


_PROJECT_VIEW_FIELDS = frozenset(f.name for f in dataclasses.fields(ProjectView))
_PROJECT_DATA_FIELDS = tuple(f.name for f in dataclasses.fields(ProjectView) if f.name != "project")
_DATA_FIELD_SET = frozenset(_PROJECT_DATA_FIELDS)
_ORG_FIELDS = frozenset(name for names in ORG_PART_FIELDS.values() for name in names)


@dataclass(frozen=True, slots=True)
class OrgSnapshot:
    """The organisation as last seen. Treat every list in it as read-only; use the `with_*`."""

    profile: str
    org_name: str
    projects: dict[str, ProjectView] = field(default_factory=dict)  # display order
    users: list[User] | None = None
    invites: list[Invite] | None = None
    admin_keys: list[AdminApiKey] | None = None
    org_spend_limit: SpendLimit | None = None
    org_spend_alerts: list[SpendAlert] | None = None
    parts: dict[str, PartStatus] = field(default_factory=dict)

    @classmethod
    def empty(cls, profile: str, org_name: str | None = None) -> OrgSnapshot:
        return cls(profile=profile, org_name=org_name or profile)

    # ------------------------------------------------------------------ queries

    def project(self, pid: str) -> ProjectView | None:
        return self.projects.get(pid)

    def part(self, part_id: str) -> PartStatus | None:
        return self.parts.get(part_id)

    def is_fetched(self, part_id: str) -> bool:
        status = self.parts.get(part_id)
        return status is not None and status.fetched_at is not None

    def age(self, part_id: str, now: float) -> float | None:
        """Seconds since the part was last fetched successfully (None: never)."""
        status = self.parts.get(part_id)
        if status is None or status.fetched_at is None:
            return None
        return max(0.0, now - status.fetched_at)

    def oldest_fetch(self) -> float | None:
        """The earliest successful fetch time over all parts (what the header's age shows)."""
        times = [s.fetched_at for s in self.parts.values() if s.fetched_at is not None]
        return min(times) if times else None

    def stale_parts(self) -> dict[str, str]:
        """Part id -> error text of every part whose last refresh failed."""
        return {pid: s.error for pid, s in self.parts.items() if s.error is not None}

    def all_part_ids(self) -> Iterator[str]:
        """Every part this snapshot can hold, org parts first, then each project's in order."""
        yield from ORG_PARTS
        for pid in self.projects:
            for kind in PROJECT_PART_KINDS:
                yield project_part(pid, kind)

    def has_part(self, part_id: str) -> bool:
        pid, _ = split_part(part_id)
        return pid is None or pid in self.projects

    # ------------------------------------------------------------------ new snapshots

    def with_projects(self, projects: Iterable[Project], fetched_at: float | None) -> OrgSnapshot:
        """A new project list (in display order): known projects keep what was fetched of them,
        new ones start empty, and projects no longer listed disappear with their parts."""
        views: dict[str, ProjectView] = {}
        for project in projects:
            old = self.projects.get(project.id)
            views[project.id] = replace(old, project=project) if old else ProjectView(project)
        parts = {k: v for k, v in self.parts.items() if _part_kept(k, views)}
        parts[PROJECTS] = PartStatus(fetched_at)
        return replace(self, projects=views, parts=parts)

    def with_project(self, pid: str, **fields: Any) -> OrgSnapshot:
        """Replace fields of one ProjectView. A new pid needs `project=`; it is appended."""
        unknown = set(fields) - _PROJECT_VIEW_FIELDS
        if unknown:
            raise TypeError(f"unknown ProjectView fields: {', '.join(sorted(unknown))}")
        old = self.projects.get(pid)
        if old is None:
            if "project" not in fields:
                raise KeyError(f"no project {pid!r} in the snapshot")
            view = ProjectView(**fields)
        else:
            view = replace(old, **fields)
        if view.project.id != pid:
            raise ValueError(f"project id {view.project.id!r} does not match {pid!r}")
        projects = dict(self.projects)
        projects[pid] = view
        return replace(self, projects=projects)

    def without_project(self, pid: str) -> OrgSnapshot:
        projects = {k: v for k, v in self.projects.items() if k != pid}
        parts = {k: v for k, v in self.parts.items() if _part_kept(k, projects)}
        return replace(self, projects=projects, parts=parts)

    def with_org(self, **fields: Any) -> OrgSnapshot:
        """Replace org-level fields (users, invites, admin_keys, org_spend_limit, org_spend_alerts)."""
        unknown = set(fields) - _ORG_FIELDS - {"org_name"}
        if unknown:
            raise TypeError(f"unknown org fields: {', '.join(sorted(unknown))}")
        return replace(self, **fields)

    def with_part_status(self, part_id: str, status: PartStatus) -> OrgSnapshot:
        split_part(part_id)  # validates the id
        parts = dict(self.parts)
        parts[part_id] = status
        return replace(self, parts=parts)

    def with_part_error(self, part_id: str, error: str) -> OrgSnapshot:
        """Mark a part stale, keeping its data and its last successful fetch time."""
        old = self.parts.get(part_id)
        return self.with_part_status(part_id, PartStatus(old.fetched_at if old else None, error))

    # ------------------------------------------------------------------ part-level access

    def part_data(self, part_id: str) -> dict[str, Any] | None:
        """The fields a part owns, by name (None when the part's project is not in the snapshot)."""
        pid, kind = split_part(part_id)
        if pid is None:
            if kind == PROJECTS:
                return {PROJECTS: [view.project for view in self.projects.values()]}
            return {name: getattr(self, name) for name in ORG_PART_FIELDS[kind]}
        view = self.projects.get(pid)
        if view is None:
            return None
        return {name: view.get(name) for name in PROJECT_PART_FIELDS[kind]}

    def merge_parts(self, other: OrgSnapshot, part_ids: Iterable[str]) -> OrgSnapshot:
        """This snapshot with the listed parts (data and status) taken from `other`.

        This is how concurrent fetches and mutations combine: each replaces only its own parts,
        so two workers that started from different snapshots cannot undo each other's work.
        """
        ids = list(dict.fromkeys(part_ids))
        for part_id in ids:
            split_part(part_id)
        result = replace(self, org_name=other.org_name)
        if PROJECTS in ids:
            result = result._merge_project_list(other)
        project_fields: dict[str, dict[str, Any]] = {}
        org_fields: dict[str, Any] = {}
        for part_id in ids:
            if part_id == PROJECTS:
                continue
            pid, kind = split_part(part_id)
            if pid is None:
                org_fields.update(other.part_data(part_id) or {})
            elif pid in result.projects and pid in other.projects:
                # The fields as they are: a part still unparsed moves across unparsed.
                theirs = other.projects[pid]
                values = project_fields.setdefault(pid, {})
                values.update((name, getattr(theirs, name)) for name in PROJECT_PART_FIELDS[kind])
        if org_fields:
            result = replace(result, **org_fields)
        if project_fields:
            projects = dict(result.projects)
            for pid, values in project_fields.items():
                projects[pid] = replace(projects[pid], **values)
            result = replace(result, projects=projects)
        parts = dict(result.parts)
        for part_id in ids:
            status = other.parts.get(part_id)
            if not result.has_part(part_id):
                parts.pop(part_id, None)
            elif status is not None:
                parts[part_id] = status
        return replace(result, parts=parts)

    def _merge_project_list(self, other: OrgSnapshot) -> OrgSnapshot:
        views: dict[str, ProjectView] = {}
        parts = {k: v for k, v in self.parts.items()}
        for pid, theirs in other.projects.items():
            mine = self.projects.get(pid)
            if mine is not None:
                views[pid] = replace(mine, project=theirs.project)
                continue
            # A project new to us comes with whatever the other snapshot knew of it.
            views[pid] = theirs
            for kind in PROJECT_PART_KINDS:
                status = other.parts.get(project_part(pid, kind))
                if status is not None:
                    parts[project_part(pid, kind)] = status
        parts = {k: v for k, v in parts.items() if _part_kept(k, views)}
        return replace(self, projects=views, parts=parts)


def _part_kept(part_id: str, projects: Mapping[str, object]) -> bool:
    try:
        pid, _ = split_part(part_id)
    except ValueError:
        return False
    return pid is None or pid in projects
