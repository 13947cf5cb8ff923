"""The individual health checks; `health.run_checks` runs them all (see its docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from orgtui.api.errors import one_line
from orgtui.core.figures import rotation_due, unused_too_long
from orgtui.core.health import Finding, HealthThresholds, ObjectRef, finding
from orgtui.core.money import dollars_to_cents, format_cents, format_usd

DAY = 86_400
KEY_EXPIRY_WARNING_DAYS = 14


def _name(text: str | None, fallback: str) -> str:
    """Names are untrusted API text: one line, bounded."""
    return one_line(text, 60) if text else fallback


def _project_label(view: Any) -> str:
    return f'"{_name(view.project.name, view.project.id)}"'


def _active_projects(snapshot: Any) -> Iterable[tuple[str, Any]]:
    for pid, view in snapshot.projects.items():
        if not view.project.archived:
            yield pid, view


def _fetched(snapshot: Any, part_id: str, value: Any) -> bool:
    status = (getattr(snapshot, "parts", None) or {}).get(part_id)
    if status is not None:
        return getattr(status, "fetched_at", None) is not None
    return value is not None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def check_data_parts(snapshot: Any) -> list[Finding]:
    parts = getattr(snapshot, "parts", None) or {}
    broken = [
        ObjectRef("part", part_id, one_line(status.error, 120))
        for part_id, status in parts.items()
        if getattr(status, "error", None)
    ]
    if not broken:
        return []
    return [
        finding(
            "data.incomplete",
            f"{_plural(len(broken), 'part')} of the organisation could not be read",
            broken,
        )
    ]


# ---------------------------------------------------------------- spend limits


def _limit_vs_spend(
    limit: Any, spent: float, factor: float, ref: ObjectRef, label: str
) -> list[Finding]:
    cents = int(limit.threshold_amount)
    spent_cents = dollars_to_cents(spent)
    if cents < spent_cents:
        return [
            finding(
                "limit.below_spend",
                f"{label} hard limit {format_cents(cents)} is below the last 30 days' spend "
                f"{format_usd(spent)}",
                [ref],
            )
        ]
    if spent_cents > 0 and cents > factor * 2 * spent_cents:
        return [
            finding(
                "limit.far_above_spend",
                f"{label} hard limit {format_cents(cents)} is more than {factor * 2:g}x the last "
                f"30 days' spend {format_usd(spent)}",
                [ref],
            )
        ]
    return []


def check_spend_limits(
    snapshot: Any,
    trailing: Mapping[str, float] | None,
    org_trailing: float | None,
    limits: HealthThresholds,
) -> list[Finding]:
    found: list[Finding] = []
    org_ref = ObjectRef("organization", "org", _name(getattr(snapshot, "org_name", None), "org"))
    if _fetched(snapshot, "org_limits", snapshot.org_spend_limit):
        if snapshot.org_spend_limit is None:
            found.append(
                finding("org.no_spend_limit", "The organisation has no hard spend limit", [org_ref])
            )
        elif trailing is not None:
            spent = org_trailing if org_trailing is not None else sum(trailing.values())
            found += _limit_vs_spend(
                snapshot.org_spend_limit, spent, limits.limit_high_factor, org_ref, "Organisation"
            )
    for pid, view in _active_projects(snapshot):
        if not _fetched(snapshot, f"project:{pid}:limits", view.get("spend_limit")):
            continue
        ref = ObjectRef("project", pid, _name(view.project.name, pid), pid)
        if view.get("spend_limit") is None:
            found.append(
                finding(
                    "project.no_spend_limit",
                    f"Project {_project_label(view)} has no hard spend limit",
                    [ref],
                )
            )
        elif trailing is not None:
            found += _limit_vs_spend(
                view.get("spend_limit"),
                trailing.get(pid, 0.0),
                limits.limit_high_factor,
                ref,
                f"Project {_project_label(view)}",
            )
    if trailing is None:
        found.append(
            finding(
                "spend.unavailable", "Costs could not be read: limits were not compared with spend"
            )
        )
    return found


# ---------------------------------------------------------------- keys


def _key_ref(key: Any, pid: str) -> ObjectRef:
    return ObjectRef("api_key", key.id, _name(key.name, key.redacted_value), pid)


def _grouped(
    check_id: str, view: Any, keys: list[Any], describe: Callable[[int], str]
) -> list[Finding]:
    if not keys:
        return []
    pid = view.project.id
    message = f"{_plural(len(keys), 'key')} in project {_project_label(view)} {describe(len(keys))}"
    return [finding(check_id, message, [_key_ref(k, pid) for k in keys])]


def check_project_keys(snapshot: Any, now: float, limits: HealthThresholds) -> list[Finding]:
    found: list[Finding] = []
    for _pid, view in _active_projects(snapshot):
        keys = list(view.get("api_keys") or ())
        inactive = [k for k in keys if k.owner_project_access == "inactive"]
        old = [k for k in keys if rotation_due(k.created_at, now, limits.key_rotation_days)]
        stale = [
            k
            for k in keys
            if unused_too_long(k.last_used_at, k.created_at, now, limits.key_unused_days)
        ]
        never = [k for k in stale if k.last_used_at is None]
        idle = [k for k in stale if k.last_used_at is not None]
        # `expires_at` comes only from newer API versions; a key without it never expires.
        expiring = [
            k
            for k in keys
            if getattr(k, "expires_at", None) is not None
            and k.expires_at - now < KEY_EXPIRY_WARNING_DAYS * DAY
        ]
        found += _grouped(
            "key.owner_inactive",
            view,
            inactive,
            lambda n: (
                "belong to owners who no longer have access"
                if n > 1
                else "belongs to an owner who no longer has access"
            ),
        )
        found += _grouped(
            "key.rotation_due",
            view,
            old,
            lambda n: f"{'are' if n > 1 else 'is'} older than {limits.key_rotation_days} days",
        )
        found += _grouped(
            "key.never_used",
            view,
            never,
            lambda n: (
                f"{'were' if n > 1 else 'was'} never used "
                f"(created over {limits.key_unused_days} days ago)"
            ),
        )
        found += _grouped(
            "key.unused",
            view,
            idle,
            lambda n: (
                f"{'have' if n > 1 else 'has'} not been used for {limits.key_unused_days} days"
            ),
        )
        found += _grouped(
            "key.expiring",
            view,
            expiring,
            lambda n: (
                f"expire{'' if n > 1 else 's'} within {KEY_EXPIRY_WARNING_DAYS} days (or did)"
            ),
        )
    return found


def check_admin_keys(snapshot: Any, now: float, limits: HealthThresholds) -> list[Finding]:
    keys = list(snapshot.admin_keys or ())

    def refs(items: list[Any]) -> list[ObjectRef]:
        return [ObjectRef("admin_key", k.id, _name(k.name, k.redacted_value)) for k in items]

    found: list[Finding] = []
    no_expiry = [k for k in keys if k.expires_at is None]
    old = [k for k in keys if now - k.created_at > limits.admin_key_max_age_days * DAY]
    if no_expiry:
        n = len(no_expiry)
        found.append(
            finding(
                "admin_key.no_expiry",
                f"{_plural(n, 'admin key')} never expire{'s' if n == 1 else ''}",
                refs(no_expiry),
            )
        )
    if old:
        n = len(old)
        found.append(
            finding(
                "admin_key.too_old",
                f"{_plural(n, 'admin key')} {'is' if n == 1 else 'are'} older than "
                f"{limits.admin_key_max_age_days} days",
                refs(old),
            )
        )
    return found


# ---------------------------------------------------------------- people


def check_owners(snapshot: Any) -> list[Finding]:
    if snapshot.users is None:
        return []
    people = [u for u in snapshot.users if not getattr(u, "is_service_account", False)]
    owners = [u for u in people if u.role == "owner"]
    readers = [u for u in people if u.role == "reader"]
    refs = [ObjectRef("user", u.id, _name(u.name or u.email, u.id)) for u in owners]
    if len(owners) == 1:
        return [finding("org.single_owner", "The organisation has a single owner", refs)]
    if len(owners) > 2 and len(owners) > len(readers):
        return [
            finding(
                "org.too_many_owners",
                f"{len(owners)} owners for {_plural(len(readers), 'reader')}",
                refs,
            )
        ]
    return []


def check_invites(snapshot: Any, now: float) -> list[Finding]:
    expired = [
        i
        for i in snapshot.invites or ()
        if i.status == "expired"
        or (i.status == "pending" and i.expires_at is not None and i.expires_at < now)
    ]
    if not expired:
        return []
    return [
        finding(
            "invite.expired",
            f"{_plural(len(expired), 'invitation')} expired and still listed",
            [ObjectRef("invite", i.id, _name(i.email, i.id)) for i in expired],
        )
    ]


def check_service_accounts(snapshot: Any) -> list[Finding]:
    found: list[Finding] = []
    for pid, view in _active_projects(snapshot):
        owners = [s for s in view.get("service_accounts") or () if s.role == "owner"]
        if owners:
            found.append(
                finding(
                    "service_account.owner_role",
                    f"{_plural(len(owners), 'service account')} in project {_project_label(view)} "
                    f"{'have' if len(owners) > 1 else 'has'} the owner role",
                    [ObjectRef("service_account", s.id, _name(s.name, s.id), pid) for s in owners],
                )
            )
    return found
