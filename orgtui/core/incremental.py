"""Incremental refresh: read the audit log since the last sync and re-fetch only what changed.

A full refresh of a large organisation costs one request per part (five per project), minutes
of an Admin API budget other tools share. The audit log already says what changed: each event
type maps to the parts it invalidates (`parts_for`). A cycle reads the events since the
high-water mark (two queries: the organisation's events, and the tenant-scoped ones where spend
limits and admin keys are recorded), re-fetches those parts, and the focused project's keys
(their `last_used_at` is not in the log).

It gives way to a full refresh, with the reason, when the log cannot be trusted to be complete
(logging off, a page failed, the mark older than the retention, an unknown event type), and
every `full_every` cycles as a safety net.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import ApiError, OfflineError
from orgtui.core.snapshot import PROJECT_PART_KINDS, PROJECTS, OrgSnapshot, project_part
from orgtui.core.sync_result import ProgressCallback, SyncResult

if TYPE_CHECKING:
    from orgtui.core.sync import Syncer

__all__ = [
    "AUDIT_EVENT_TYPES",
    "OVERLAP_S",
    "RETENTION_S",
    "TENANT_EVENT_TYPES",
    "CycleNeedsFull",
    "Watermark",
    "incremental_cycle",
    "parts_for",
]

# Events reach the log a little late: read back this far before the mark, skip those applied.
OVERLAP_S = 120
# The audit log's retention; a mark older than this may have lost events (full refresh).
RETENTION_S = 30 * 86400

# Tenant-scoped events that change what the console shows (tenant_only=true queries only).
SPEND_LIMIT_EVENT = "tenant.billing.overage_limit.updated"
SPEND_ALERT_EVENT = "tenant.billing.alerts.updated"
ADMIN_KEY_EVENTS = (
    "tenant.admin_api_key.created",
    "tenant.admin_api_key.updated",
    "tenant.admin_api_key.deleted",
)
TENANT_EVENT_TYPES: tuple[str, ...] = (SPEND_LIMIT_EVENT, SPEND_ALERT_EVENT, *ADMIN_KEY_EVENTS)

# Every event type the API documents that changes nothing the console holds (logins,
# certificates, groups and roles until the console shows them, ...): known, and ignored.
_NO_PARTS = {
    "certificate.created",
    "certificate.updated",
    "certificate.deleted",
    "certificates.activated",
    "certificates.deactivated",
    "checkpoint.permission.created",
    "checkpoint.permission.deleted",
    "external_key.registered",
    "external_key.removed",
    "group.created",
    "group.updated",
    "group.deleted",
    "ip_allowlist.created",
    "ip_allowlist.updated",
    "ip_allowlist.deleted",
    "ip_allowlist.config.activated",
    "ip_allowlist.config.deactivated",
    "login.succeeded",
    "login.failed",
    "logout.succeeded",
    "logout.failed",
    "organization.updated",
    "resource.deleted",
    "tunnel.created",
    "tunnel.updated",
    "tunnel.deleted",
    "role.created",
    "role.updated",
    "role.deleted",
    "role.assignment.created",
    "role.assignment.deleted",
    "role.bound_to_resource",
    "role.unbound_from_resource",
    "scim.enabled",
    "scim.disabled",
}
_MAPPED = {
    "api_key.created",
    "api_key.updated",
    "api_key.deleted",
    "invite.sent",
    "invite.accepted",
    "invite.deleted",
    "project.created",
    "project.updated",
    "project.archived",
    "project.deleted",
    "rate_limit.updated",
    "rate_limit.deleted",
    "service_account.created",
    "service_account.updated",
    "service_account.deleted",
    "user.added",
    "user.updated",
    "user.deleted",
}
AUDIT_EVENT_TYPES: frozenset[str] = frozenset(_MAPPED | _NO_PARTS | set(TENANT_EVENT_TYPES))


@dataclass(frozen=True)
class ObjectChange:
    """One key or service account to read by id (or drop) instead of re-listing its project:
    a project with 10,000 keys costs one request for a new key, not a hundred pages."""

    kind: str  # key | service_account
    project_id: str
    object_id: str
    gone: bool = False

    @property
    def part(self) -> str:
        return project_part(self.project_id, "keys" if self.kind == "key" else "service_accounts")


class CycleNeedsFull(Exception):
    """The log cannot say everything that changed: refresh everything (the message says why)."""


@dataclass
class Watermark:
    """How far the log has been read: a time, and the events at or after `since - OVERLAP_S`
    already applied (so the overlap re-reads them without re-fetching)."""

    since: float
    applied: dict[str, int] = field(default_factory=dict)  # event id -> effective_at

    def seen(self, event_id: str) -> bool:
        return event_id in self.applied

    def advance(self, events: Iterable[Any], now: float) -> None:
        for event in events:
            self.applied[event.id] = int(event.effective_at)
            self.since = max(self.since, float(event.effective_at))
        # Nothing older than the overlap window can come back: forget it.
        floor = self.since - OVERLAP_S
        self.applied = {k: t for k, t in self.applied.items() if t >= floor}
        del now  # the mark moves with the log's own clock, never ours


def _project_of(event: Any) -> str | None:
    project = getattr(event, "project", None)
    return getattr(project, "id", None) if project is not None else None


def _resource_id(event: Any) -> str | None:
    value = event.details.get("id")
    return value if isinstance(value, str) else None


def _owner_project(snapshot: Any, field_name: str, object_id: str | None) -> str | None:
    """The project whose `field_name` list holds an object with this id."""
    if object_id is None:
        return None
    for pid, view in snapshot.projects.items():
        for item in view.get(field_name) or ():
            if getattr(item, "id", None) == object_id:
                return str(pid)
    return None


def _need_project(event: Any, pid: str | None) -> str:
    if pid is None:
        raise CycleNeedsFull(f"a {event.type} event names no project")
    return pid


def _user_parts(event: Any, snapshot: Any) -> set[str]:
    pid = _project_of(event)
    if pid is not None:  # a project membership: org users list their projects too
        return {project_part(pid, "users"), "users"}
    uid = _resource_id(event)
    parts = {"users"}
    if event.type == "user.deleted":  # removed from the org: from its projects too
        parts |= {
            project_part(p, "users")
            for p, view in snapshot.projects.items()
            if any(getattr(u, "id", None) == uid for u in (view.get("users") or ()))
        }
    return parts


def _limit_parts(event: Any, snapshot: Any) -> set[str]:
    pid = _project_of(event)
    if pid is None:
        target = _resource_id(event)
        if target is not None and target in snapshot.projects:
            pid = target
        elif event.type == SPEND_ALERT_EVENT:
            pid = _owner_project(snapshot, "spend_alerts", target)
    obj = str(event.details.get("object") or "")
    if pid is None and obj.startswith("project."):
        raise CycleNeedsFull(f"a {event.type} event names no project")
    return {project_part(pid, "limits")} if pid is not None else {"org_limits"}


def _object(snapshot: Any, kind: str, pid: str, event: Any, *, gone: bool) -> set[Any]:
    """The object itself when its project's list is loaded; else the whole part."""
    change = ObjectChange(kind, pid, _resource_id(event) or "", gone)
    if change.object_id and snapshot.is_fetched(change.part):
        return {change}
    return {change.part}


def parts_for(event: Any, snapshot: Any) -> set[Any]:
    """The parts (ids) and objects (`ObjectChange`) an audit event invalidates
    (CycleNeedsFull when that cannot be known)."""
    kind = event.type
    if kind in _NO_PARTS:
        return set()
    if kind not in AUDIT_EVENT_TYPES:
        raise CycleNeedsFull(f"unknown audit event type {kind!r}")
    pid = _project_of(event)
    if kind.startswith("project."):
        target = pid or _resource_id(event)
        parts = {PROJECTS, "users"}  # org users list their projects by name
        if kind in ("project.created", "project.archived") and target is not None:
            parts |= {project_part(target, k) for k in PROJECT_PART_KINDS}
        return parts
    if kind.startswith("api_key."):
        pid = _need_project(event, pid or _owner_project(snapshot, "api_keys", _resource_id(event)))
        return _object(snapshot, "key", pid, event, gone=kind == "api_key.deleted")
    if kind.startswith("service_account."):
        pid = pid or _owner_project(snapshot, "service_accounts", _resource_id(event))
        pid = _need_project(event, pid)
        found = _object(snapshot, "service_account", pid, event, gone=kind.endswith("deleted"))
        if kind == "service_account.created":  # its first key is not named by this event
            found.add(project_part(pid, "keys"))
        return found
    if kind.startswith("rate_limit."):
        return {project_part(_need_project(event, pid), "rate_limits")}
    if kind.startswith("invite."):
        parts = {"invites"}
        if kind == "invite.accepted":
            parts.add("users")
            invite = next((i for i in snapshot.invites or () if i.id == _resource_id(event)), None)
            for grant in getattr(invite, "projects", None) or ():
                if grant.id in snapshot.projects:
                    parts.add(project_part(grant.id, "users"))
        return parts
    if kind.startswith("user."):
        return _user_parts(event, snapshot)
    if kind in ADMIN_KEY_EVENTS:
        return {"admin_keys"}
    return _limit_parts(event, snapshot)


async def incremental_cycle(syncer: Syncer, on_progress: ProgressCallback | None) -> SyncResult:
    """One cycle of `Syncer.refresh_incremental`."""
    started, before = syncer.session.now(), syncer._requests_made()
    reason = _full_reason(syncer, started)
    parts: set[Any] = set()
    events: list[Any] = []
    if reason is None:
        try:
            parts, events = await _changed_parts(syncer)
        except CycleNeedsFull as exc:
            reason = str(exc)
        except ApiError as exc:
            reason = f"the audit log could not be read: {exc.label}"
    if reason is not None:
        result = await syncer.refresh_all(on_progress)
        result.full_reason = reason
        return result
    objects = [c for c in parts if isinstance(c, ObjectChange)]
    parts = {p for p in parts if isinstance(p, str)}
    # A new account's key has its own api_key.created event when the log has it.
    keyed = {c.project_id for c in objects if c.kind == "key" and not c.gone}
    parts -= {project_part(pid, "keys") for pid in keyed}
    focus = syncer.focused
    if focus is not None and focus in syncer.session.snapshot.projects:
        parts.add(project_part(focus, "keys"))  # last use is not in the log
    parts |= set(syncer.session.snapshot.stale_parts())  # failed last time: the log cannot say
    result = SyncResult()
    if PROJECTS in parts:  # new projects must be known before their parts are fetched
        result = await syncer.refresh_parts([PROJECTS], on_progress)
    rest = [p for p in _in_fetch_order(parts, syncer.session.snapshot) if p != PROJECTS]
    if rest:
        more = await syncer.refresh_parts(rest, on_progress)
        result.fetched += more.fetched
        result.errors.update(more.errors)
        result.offline |= more.offline
        result.skipped += more.skipped
    await _apply_objects(syncer, [c for c in objects if c.part not in parts], result)
    assert syncer.watermark is not None
    syncer.watermark.advance(events, started)
    syncer.cycles_since_full += 1
    syncer.last_incremental_at = started
    result.mode, result.requests = "incremental", syncer._requests_made() - before
    syncer.last_cycle = result
    return result


async def _apply_objects(syncer: Syncer, changes: list[ObjectChange], result: SyncResult) -> None:
    """Read each changed key or account by id and put it in (or take it out of) its list."""
    from orgtui.api.errors import NotFoundError
    from orgtui.core.services import _common as lists

    client, session = syncer.session.client, syncer.session
    final: dict[tuple[str, str, str], ObjectChange] = {}
    for change in changes:  # the last event about an object wins
        final[(change.kind, change.project_id, change.object_id)] = change
    for change in final.values():
        obj: Any = None
        if not change.gone:
            try:
                if change.kind == "key":
                    obj = await client.get_project_api_key(change.project_id, change.object_id)
                else:
                    obj = await client.get_service_account(change.project_id, change.object_id)
            except NotFoundError:
                obj = None  # deleted since: a later event says so too
            except ApiError as exc:
                result.errors[change.part] = exc.label
                result.offline |= isinstance(exc, OfflineError)
                continue
        field = "api_keys" if change.kind == "key" else "service_accounts"
        kind = "keys" if change.kind == "key" else "service_accounts"
        if obj is not None:
            lists.update_project_list(session, change.project_id, field, kind, lists.upserting(obj))
        else:
            lists.update_project_list(
                session,
                change.project_id,
                field,
                kind,
                lists.removing(change.object_id),
            )
            if change.kind == "service_account":  # its keys went with it
                lists.update_project_list(
                    session,
                    change.project_id,
                    "api_keys",
                    "keys",
                    lists.without_keys_of(change.object_id),
                )
        result.fetched.append(change.part)


def _full_reason(syncer: Syncer, now: float) -> str | None:
    if syncer.watermark is None:
        return "no full refresh yet"
    if now - syncer.watermark.since > RETENTION_S:
        return "the last sync is older than the audit log's retention"
    if syncer.cycles_since_full >= syncer.full_every:
        return f"every {syncer.full_every} cycles, a full refresh as a safety net"
    return None


async def _collect(items: Any) -> list[Any]:
    return [item async for item in items]


async def _changed_parts(syncer: Syncer) -> tuple[set[Any], list[Any]]:
    mark = syncer.watermark
    assert mark is not None
    client = syncer.session.client
    since = int(mark.since) - OVERLAP_S
    ours, tenant = await asyncio.gather(
        _collect(client.iter_audit_logs(effective_at_gte=since)),
        _collect(
            client.iter_audit_logs(
                effective_at_gte=since, event_types=list(TENANT_EVENT_TYPES), tenant_only=True
            )
        ),
    )
    fresh = [e for e in (*ours, *tenant) if not mark.seen(e.id)]
    snapshot = syncer.session.snapshot
    parts: set[Any] = set()
    for event in sorted(fresh, key=lambda e: e.effective_at):
        parts |= parts_for(event, snapshot)
    return parts, fresh


def _in_fetch_order(parts: Iterable[str], snapshot: OrgSnapshot) -> list[str]:
    """Org parts first, then by project; parts of projects no longer listed are dropped."""
    wanted = set(parts)
    return [p for p in snapshot.all_part_ids() if p in wanted]
