"""The audit log's filters, pure: time ranges, event types, and the client's filter arguments.

The UI collects five texts (event types, actor, project, object, time range) and
`parse_filters` turns them into the keyword arguments of `AdminClient.audit_log_page`, so the
API does the filtering (`event_types[]`, `actor_emails[]`/`actor_ids[]`, `project_ids[]`,
`resource_ids[]`, `effective_at[gte|lt]`); nothing is fetched to be filtered here. Each field
that does not parse gets its own one-line message, so the screen can mark that field.

Time ranges (`parse_time_range`), in the local time zone unless one is given:

* `30m`, `1h`, `24h`, `7d`, `2w`: the last N minutes/hours/days/weeks up to now;
* `today`, `yesterday`, `2026-11-01`: that whole day;
* `2026-11-01..2026-11-15`: from the start of the first day to the end of the last (both
  included); either side may be left out (`2026-11-01..` = since, `..2026-11-15` = until);
* empty: no time limit.

`Directory` holds the names the console already knows (projects, keys, accounts, users,
invites), from a snapshot: it resolves names typed into the filters to ids, and names rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from orgtui.core.audit_directory import Directory
from orgtui.core.audit_directory import quote_text as _quote

__all__ = [
    "EVENT_TYPES",
    "AuditFilters",
    "Directory",
    "FilterTexts",
    "TimeRange",
    "expand_event_types",
    "is_tenant_event",
    "parse_filters",
    "parse_time_range",
]

# Generated from the spec's `components.schemas.AuditLogEventType` enum (145 values, in the
# spec's order); the spec is not shipped, so the list lives here.
_EVENT_TYPES_TEXT = """
api_key.created api_key.updated api_key.deleted certificate.created certificate.updated
certificate.deleted certificates.activated certificates.deactivated
checkpoint.permission.created checkpoint.permission.deleted external_key.registered
external_key.removed group.created group.updated group.deleted invite.sent invite.accepted
invite.deleted ip_allowlist.created ip_allowlist.updated ip_allowlist.deleted
ip_allowlist.config.activated ip_allowlist.config.deactivated login.succeeded login.failed
logout.succeeded logout.failed organization.updated project.created project.updated
project.archived project.deleted rate_limit.updated rate_limit.deleted resource.deleted
tunnel.created tunnel.updated tunnel.deleted workload_identity_provider.created
workload_identity_provider.updated workload_identity_provider.deleted
workload_identity_provider_mapping.created workload_identity_provider_mapping.updated
workload_identity_provider_mapping.deleted role.created role.updated role.deleted
role.assignment.created role.assignment.deleted role.bound_to_resource
role.unbound_from_resource scim.enabled scim.disabled service_account.created
service_account.updated service_account.deleted user.added user.updated user.deleted
tenant.metadata.updated tenant.microsoft_entra_mapping.upserted
tenant.microsoft_entra_mapping.deleted tenant.workload_identity.provider.created
tenant.workload_identity.provider.updated tenant.workload_identity.provider.archived
tenant.workload_identity.mapping.created tenant.workload_identity.mapping.updated
tenant.workload_identity.mapping.archived tenant.workload_identity.binding.created
tenant.workload_identity.principal.provisioned tenant.workload_identity.access_token.issued
tenant.admin_api_key.created tenant.admin_api_key.updated tenant.admin_api_key.deleted
tenant.project_api_key.created tenant.chatgpt_access_token.revoked tenant.migration.completed
tenant.sso.migrated tenant.domains.migrated tenant.sso_connection.created
tenant.sso_connection.updated tenant.sso_connection.deleted tenant.sso_connection.setup.started
tenant.policy.created tenant.policy.updated tenant.policy.deleted tenant.policy.attached
tenant.policy.detached tenant.principal_authentication_policy.resolved
tenant.scim.setup.started tenant.scim.deletion.requested tenant.scim.directory.created
tenant.product_access_policy.updated tenant.resource_share_grant.created
tenant.resource_share_grant.updated tenant.resource_share_grant.accepted
tenant.resource_share_grant.declined tenant.resource_share_grant.revoked
tenant.resource_share_grant.deleted tenant.service_account.updated
tenant.service_account.deleted tenant.service_account.token.revoked
tenant.billing.overage_limit.updated tenant.billing.alerts.updated tenant.billing.info.updated
tenant.usage_limit.workspace.updated tenant.usage_limit.group.updated
tenant.usage_limit.user.updated tenant.usage_limit.increase_request.updated
tenant.usage_limit.increase_request.resolved tenant.group.created tenant.group.updated
tenant.group.deleted tenant.group.member.added tenant.group.member.removed
tenant.migration_rollout.status.updated tenant.migration_rollout.tier.updated
tenant.role.metadata.updated tenant.custom_role.created tenant.custom_role.updated
tenant.custom_role.deleted tenant.role_assignment.created tenant.role_assignment.deleted
tenant.resource_role_assignment.created tenant.resource_role_assignment.deleted
tenant.resource_access.updated tenant.resource_access.deleted
tenant.ads_account.onboarding.redemption tenant.session_policy.created
tenant.session_policy.updated tenant.session_policy.deleted tenant.session_revocation.started
tenant.third_party_app_policy.updated tenant.user.added tenant.user.updated tenant.user.removed
tenant.user.looked_up tenant.user.invited tenant.membership.revoked
tenant.api_organization_invite.upserted tenant.api_organization_invite.deleted
tenant.chatgpt_workspace_invite.upserted tenant.membership.accepted tenant.membership.declined
tenant.workspace_invite_email_settings.updated
"""
EVENT_TYPES: tuple[str, ...] = tuple(_EVENT_TYPES_TEXT.split())
_EVENT_SET = frozenset(EVENT_TYPES)
# Tenant-scoped events: the API lists them only with `tenant_only=true`, and then only them.
_TENANT_EXTRA = frozenset({"role.bound_to_resource", "role.unbound_from_resource"})
TENANT_MIX_ERROR = "Tenant events (tenant.*) are listed only on their own: filter for them alone"


def is_tenant_event(event_type: str) -> bool:
    return event_type.startswith("tenant.") or event_type in _TENANT_EXTRA


DAY = 86_400
_UNITS = {"m": 60, "min": 60, "h": 3_600, "d": DAY, "w": 7 * DAY}
_UNIT_WORDS = {"m": " min", "min": " min", "h": "h", "d": "d", "w": "w"}
_RELATIVE = re.compile(r"^(\d{1,6})\s*(min|m|h|d|w)$")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
TIME_HELP = "use 1h, 24h, 7d, a date (2026-11-01) or two (2026-11-01..2026-11-15)"
_SHOWN = 40  # how much of a typed value an error message repeats


# ---------------------------------------------------------------- time ranges


@dataclass(frozen=True)
class TimeRange:
    """`effective_at` bounds in unix seconds: `gte <= t < lt`; None = unbounded."""

    gte: int | None = None
    lt: int | None = None
    label: str = "any time"


def _today(now: float, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(now, tz).date()


def _midnight(day: date, tz: tzinfo | None) -> int:
    # A naive datetime's timestamp() is taken in local time, DST included.
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())


def _day(
    text: str, now: float, tz: tzinfo | None, what: str = "a time range"
) -> tuple[date | None, str | None]:
    word = text.casefold()
    if word == "today":
        return _today(now, tz), None
    if word == "yesterday":
        return _today(now, tz) - timedelta(days=1), None
    if not _DATE.match(text):
        return None, f"{_quote(text)} is not {what}: {TIME_HELP}"
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None, f"{_quote(text)} is not a valid date (YYYY-MM-DD)"
    # Unix seconds start in 1970; the far end keeps `day + 1` and timestamps in range.
    if not date(1970, 1, 2) <= day <= date(9998, 12, 30):
        return None, f"{_quote(text)} is out of range: use a date from 1970-01-02 to 9998-12-30"
    return day, None


def parse_time_range(
    text: str, now: float, *, tz: tzinfo | None = None
) -> tuple[TimeRange | None, str | None]:
    """`(TimeRange, None)` or `(None, message)`; `tz` None = the local time zone."""
    raw = text.strip()
    if not raw:
        return TimeRange(), None
    relative = _RELATIVE.match(raw.casefold())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        if amount == 0:
            return None, f"{_quote(raw)} is an empty range: use at least 1{unit}"
        start = max(int(now) - amount * _UNITS[unit], 0)
        return TimeRange(start, None, f"last {amount}{_UNIT_WORDS[unit]}"), None
    if ".." not in raw:
        day, error = _day(raw, now, tz)
        if day is None:
            return None, error
        start = _midnight(day, tz)
        return TimeRange(start, _midnight(day + timedelta(days=1), tz), day.isoformat()), None
    first_text, _, last_text = (part.strip() for part in raw.partition(".."))
    if ".." in last_text:
        return None, f"{_quote(raw)} has more than one “..”: {TIME_HELP}"
    if not first_text and not last_text:
        return None, f"“..” needs a date on at least one side: {TIME_HELP}"
    first = last = None
    if first_text:
        first, error = _day(first_text, now, tz, "a date")
        if first is None:
            return None, error
    if last_text:
        last, error = _day(last_text, now, tz, "a date")
        if last is None:
            return None, error
    if first is not None and last is not None and last < first:
        return None, f"The range ends ({last}) before it starts ({first})"
    gte = _midnight(first, tz) if first is not None else None
    lt = _midnight(last + timedelta(days=1), tz) if last is not None else None
    if first is not None and last is not None:
        label = f"{first} to {last}"
    elif first is not None:
        label = f"since {first}"
    else:
        label = f"until {last}"
    return TimeRange(gte, lt, label), None


# ---------------------------------------------------------------- event types


def _split(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text.strip()) if part]


def expand_event_types(text: str) -> tuple[tuple[str, ...] | None, str | None]:
    """Comma-separated event types; `project.*` (or `project*`) means every `project.` type."""
    found: list[str] = []
    for name in _split(text):
        key = name.casefold()
        if key.endswith("*"):
            prefix = key.rstrip("*")
            matches = [t for t in EVENT_TYPES if t.startswith(prefix)]
            if not matches:
                return None, f"No event type starts with {_quote(prefix)}"
            found += matches
            continue
        if key in _EVENT_SET:
            found.append(key)
            continue
        near = [t for t in EVENT_TYPES if t.startswith(key)]
        if len(near) == 1:
            hint = f"; did you mean {near[0]}?"
        elif near:
            hint = f"; {key}* means all {len(near)} of them"
        else:
            hint = " (→ completes as you type)"
        return None, f"Unknown event type {_quote(name)}{hint}"
    return tuple(dict.fromkeys(found)), None


# ---------------------------------------------------------------- all filters


@dataclass(frozen=True)
class FilterTexts:
    """What the person typed in each filter field."""

    event: str = ""
    actor: str = ""
    project: str = ""
    object: str = ""
    time: str = ""


@dataclass(frozen=True)
class AuditFilters:
    event_types: tuple[str, ...] = ()
    actor_ids: tuple[str, ...] = ()
    actor_emails: tuple[str, ...] = ()
    project_ids: tuple[str, ...] = ()
    resource_ids: tuple[str, ...] = ()
    time: TimeRange = TimeRange()

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `AdminClient.audit_log_page` (only the filters in use)."""
        out: dict[str, Any] = {}
        for name in ("event_types", "actor_ids", "actor_emails", "project_ids", "resource_ids"):
            values = getattr(self, name)
            if values:
                out[name] = list(values)
        if self.time.gte is not None:
            out["effective_at_gte"] = self.time.gte
        if self.time.lt is not None:
            out["effective_at_lt"] = self.time.lt
        if self.tenant_only:
            out["tenant_only"] = True
        return out

    @property
    def tenant_only(self) -> bool:
        """Asking for tenant-scoped events, which the API returns only with `tenant_only`."""
        return bool(self.event_types) and all(is_tenant_event(t) for t in self.event_types)

    @property
    def active(self) -> bool:
        return bool(self.client_kwargs())

    async def fetch_page(self, client: Any, *, after: str | None, limit: int) -> Any:
        """One page of the audit log with these filters (`AuditLogPage`), after an event id."""
        return await client.audit_log_page(after=after, limit=limit, **self.client_kwargs())


def parse_filters(
    texts: FilterTexts, now: float, directory: Directory, *, tz: tzinfo | None = None
) -> tuple[AuditFilters | None, dict[str, str]]:
    """`(filters, {})`, or `(None, {field: message})` naming every field that does not parse."""
    errors: dict[str, str] = {}
    events, error = expand_event_types(texts.event)
    if error:
        errors["event"] = error
    elif events and len({is_tenant_event(t) for t in events}) > 1:
        tenant = {t for t in events if is_tenant_event(t)}
        if tenant <= _TENANT_EXTRA and "*" in texts.event:
            # `role.*` also matches the two tenant-scoped role events: leave those out
            events = tuple(t for t in events if t not in tenant)
        else:
            errors["event"] = TENANT_MIX_ERROR
    actor_ids: list[str] = []
    actor_emails: list[str] = []
    for part in [p.strip() for p in texts.actor.split(",") if p.strip()]:
        actor, error = directory.resolve_actor(part)
        if actor is None:
            errors["actor"] = error or "Unknown actor"
            break
        (actor_emails if actor[0] == "email" else actor_ids).append(actor[1])
    if actor_ids and actor_emails:
        # The API ANDs the two lists: one event has one actor, so nothing would match.
        errors["actor"] = "Give emails or ids, not both"
    project_ids: tuple[str, ...] = ()
    if texts.project.strip():
        pid, error = directory.resolve_project(texts.project)
        if pid is None:
            errors["project"] = error or "Unknown project"
        else:
            project_ids = (pid,)
    resource_ids: tuple[str, ...] = ()
    if texts.object.strip():
        oid, error = directory.resolve_object(texts.object)
        if oid is None:
            errors["object"] = error or "Unknown object"
        else:
            resource_ids = (oid,)
    span, error = parse_time_range(texts.time, now, tz=tz)
    if span is None:
        errors["time"] = error or "Not a time range"
    if errors:
        return None, errors
    return AuditFilters(
        event_types=events or (),
        actor_ids=tuple(actor_ids),
        actor_emails=tuple(actor_emails),
        project_ids=project_ids,
        resource_ids=resource_ids,
        time=span or TimeRange(),
    ), {}
