"""The organisation as last seen: an immutable snapshot made of independently fetched parts.

A *part* is the unit of fetching, caching and staleness: the project list, the org members,
the invites, the admin keys, the org limits, and five parts per project (keys, service accounts,
members, rate limits, limits). Every change produces a new `OrgSnapshot`; nothing is mutated in
place, so a screen can keep painting an old snapshot while a worker builds the next one.

`None` in a data field means "not fetched yet"; whether a part was fetched, when, and whether its
last refresh failed is in `OrgSnapshot.parts` (a `PartStatus` per part id). The project and org
spend limits are the exception to "None = not fetched": there `None` also means "no limit", so
ask `is_fetched(...)` for the difference.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

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

log = logging.getLogger(__name__)

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


_PARSING = threading.Lock()


class LazyPart:
    """The field values of one cached part, parsed on first use (large parts only).

    The cache hands these out so that a project with 10,000 keys costs nothing until it is
    shown. A part that cannot be parsed reads as "not fetched" (None) and is logged.
    """

    __slots__ = ("_count", "_counts", "_load", "_values")

    def __init__(
        self,
        load: Callable[[], Mapping[str, Any]],
        count: Callable[[str], int | None] | None = None,
    ) -> None:
        self._load: Callable[[], Mapping[str, Any]] | None = load
        self._values: Mapping[str, Any] | None = None
        # How many items a list field holds, without parsing them (None: unknown, so parse).
        self._count = count
        self._counts: dict[str, int | None] = {}

    def count(self, name: str) -> int | None:
        """`len()` of list field `name` (None when it is None), parsing only if need be."""
        if self._values is None and self._count is not None:
            if name in self._counts:
                return self._counts[name]
            with contextlib.suppress(Exception):  # unreadable: fall back to parsing
                self._counts[name] = self._count(name)
                return self._counts[name]
        value = self.get(name)
        return None if value is None else len(value)

    def get(self, name: str) -> Any:
        values = self._values
        if values is None:
            with _PARSING:  # a worker thread may ask at the same time as the screen
                if self._values is None:
                    load, self._load = self._load, None
                    try:
                        self._values = load() if load is not None else {}
                    except Exception:  # damaged row: reads as not fetched; a refresh fixes it
                        log.exception("cached part could not be parsed")
                        self._values = {}
                values = self._values
        return values.get(name)


@dataclass(frozen=True)
class ProjectView:
    """One project and what has been fetched of it (None = not fetched yet).

    Views loaded from the cache may hold some fields unparsed (see `LazyPart`): they are parsed
    on first access, transparently. Build changed views with `OrgSnapshot.with_project`, which
    keeps unparsed fields unparsed; `dataclasses.replace` works too but parses everything.
    """

    project: Project
    api_keys: list[ProjectApiKey] | None = None
    service_accounts: list[ProjectServiceAccount] | None = None
    users: list[ProjectUser] | None = None
    rate_limits: list[ProjectRateLimit] | None = None
    spend_limit: SpendLimit | None = None
    spend_alerts: list[SpendAlert] | None = None

    @classmethod
    def lazy(
        cls, project: Project, fields: Mapping[str, Any], lazy: Mapping[str, LazyPart]
    ) -> ProjectView:
        """A view whose `lazy` fields are parsed when first read."""
        view = object.__new__(cls)
        object.__setattr__(view, "project", project)
        for name in _PROJECT_DATA_FIELDS:
            if name in fields:
                object.__setattr__(view, name, fields[name])
            elif name not in lazy:
                object.__setattr__(view, name, None)
        object.__setattr__(view, "_lazy", {k: v for k, v in lazy.items() if k not in fields})
        return view

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set yet: the unparsed lazy fields.
        lazy = self.__dict__.get("_lazy")
        if lazy is not None and name in lazy:
            value = lazy[name].get(name)
            object.__setattr__(self, name, value)
            return value
        raise AttributeError(name)

    def count(self, name: str) -> int | None:
        """`len()` of list field `name` (None = not fetched), without parsing an unparsed part.

        The organisation summary shows key counts on the first frame: counting 10,000 cached
        keys costs a few milliseconds, parsing them a hundred or more.
        """
        state = self.__dict__
        if name not in state:
            lazy = state.get("_lazy")
            if lazy is not None and name in lazy:
                return lazy[name].count(name)
        value = getattr(self, name)
        return None if value is None else len(value)

    def evolve(self, **changes: Any) -> ProjectView:
        """A copy with `changes`, leaving unparsed fields unparsed."""
        state = self.__dict__
        lazy = {
            k: v for k, v in state.get("_lazy", {}).items() if k not in changes and k not in state
        }
        values = {k: v for k, v in state.items() if k != "_lazy"}
        values.update(changes)
        if not lazy:
            return ProjectView(**values)
        return ProjectView.lazy(values.pop("project"), values, lazy)

    @property
    def id(self) -> str:
        return self.project.id

    @property
    def archived(self) -> bool:
        project = self.project
        return project.archived_at is not None or project.status == "archived"


_PROJECT_VIEW_FIELDS = frozenset(f.name for f in dataclasses.fields(ProjectView))
_PROJECT_DATA_FIELDS = tuple(f.name for f in dataclasses.fields(ProjectView) if f.name != "project")
# The dataclass leaves each default (None) as a class attribute, which would shadow
# `__getattr__` for unparsed fields; `__init__` keeps its own copy of the defaults.
for _name in _PROJECT_DATA_FIELDS:
    delattr(ProjectView, _name)
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
            views[project.id] = old.evolve(project=project) if old else ProjectView(project)
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
            view = old.evolve(**fields)
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
        return {name: getattr(view, name) for name in PROJECT_PART_FIELDS[kind]}

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
                project_fields.setdefault(pid, {}).update(other.part_data(part_id) or {})
        if org_fields:
            result = replace(result, **org_fields)
        if project_fields:
            projects = dict(result.projects)
            for pid, values in project_fields.items():
                projects[pid] = projects[pid].evolve(**values)
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
                views[pid] = mine.evolve(project=theirs.project)
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
