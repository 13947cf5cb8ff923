"""Best-practice checks over an organisation snapshot (the Health screen and `orgtui check`).

`run_checks(snapshot, trailing_30d_cost_by_project, now, thresholds)` is pure: no I/O, no UI.
Each `Finding` names its check (`CHECKS` lists them all), a severity, a one-line message, the
objects concerned and a hint on how to fix it. Findings about many objects of one kind in one
project (old keys, say) are grouped into one finding per project.

Interpretations, written down because the seed leaves them open:

* archived projects are skipped by every check (they cannot be used or changed);
* "a hard limit far above twice the spend" fires when the limit exceeds
  `limit_high_factor` x the recommended 2 x the last 30 days' spend (so 4x with the default
  factor 2.0); projects with no spend in the last 30 days are not judged on it;
* "a key never used" fires only once the key is older than `key_unused_days` (a key created
  this morning and not deployed yet is fine);
* owners: `org.single_owner` when exactly one (human) user is an owner; `org.too_many_owners`
  when owners outnumber readers *and* there are more than two of them (two owners is the
  remedy for a single owner, so a two-person organisation with two owners passes both);
  users flagged `is_service_account` are not counted;
* a part of the snapshot that was never fetched, or that failed, skips the checks that need it
  and produces one `data.incomplete` info finding; the limit-vs-spend checks are skipped with a
  `spend.unavailable` info finding when no cost figures were given (`None`).
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from orgtui.api.errors import one_line
from orgtui.core.thresholds import Thresholds, thresholds_of

__all__ = [
    "CHECKS",
    "CheckSpec",
    "Finding",
    "HealthThresholds",
    "ObjectRef",
    "Severity",
    "count_by_severity",
    "exit_code",
    "report_dict",
    "report_text",
    "run_checks",
]


class Severity(StrEnum):
    FAILURE = "failure"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = (Severity.FAILURE, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True)
class ObjectRef:
    type: (
        str  # organization | project | api_key | admin_key | user | invite | service_account | part
    )
    id: str
    name: str | None = None
    project_id: str | None = None


@dataclass(frozen=True)
class Finding:
    id: str  # the check id, e.g. "project.no_spend_limit"
    severity: Severity
    message: str
    hint: str
    objects: tuple[ObjectRef, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The `orgtui check --json` shape of one finding (see `orgtui.reports`)."""
        return {
            "id": self.id,
            "severity": str(self.severity),
            "message": self.message,
            "hint": self.hint,
            "objects": [dataclasses.asdict(ref) for ref in self.objects],
        }


@dataclass(frozen=True)
class CheckSpec:
    id: str
    severity: Severity
    title: str
    hint: str


# The health checks read the one thresholds type (its defaults are the profile's).
HealthThresholds = Thresholds


F, W, INFO = Severity.FAILURE, Severity.WARNING, Severity.INFO
CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec(
        "org.no_spend_limit",
        F,
        "Organisation without a hard spend limit",
        "Set a hard limit at about twice the expected monthly spend (Limits tab).",
    ),
    CheckSpec(
        "project.no_spend_limit",
        F,
        "Project without a hard spend limit",
        "Set a project hard limit at about twice its expected monthly spend.",
    ),
    CheckSpec(
        "limit.below_spend",
        W,
        "Hard limit below the last 30 days' spend",
        "Raise the limit above the normal monthly spend or genuine traffic will be blocked.",
    ),
    CheckSpec(
        "limit.far_above_spend",
        INFO,
        "Hard limit far above twice the last 30 days' spend",
        "Lower the limit towards twice the monthly spend so a runaway loop is capped.",
    ),
    CheckSpec(
        "key.owner_inactive",
        F,
        "API key whose owner lost access to the project",
        "Delete the key, or give its owner access again if it is still needed.",
    ),
    CheckSpec(
        "key.seen_outside_secret_store",
        F,
        "Live key found in files or git history by `orgtui scan`",
        "Rotate it (new key, deploy, then delete the old one) and keep keys in a secret store.",
    ),
    CheckSpec(
        "key.rotation_due",
        W,
        "API key older than the rotation period",
        "Rotate: create a new key, deploy it, then delete the old one.",
    ),
    CheckSpec(
        "key.never_used",
        W,
        "API key never used",
        "Delete keys nobody uses; every live key is something to leak.",
    ),
    CheckSpec(
        "key.unused",
        W,
        "API key unused for a long time",
        "Delete the key if the service behind it is gone.",
    ),
    CheckSpec(
        "key.expiring",
        W,
        "API key expiring within 14 days",
        "Create a replacement key and deploy it before the old one expires.",
    ),
    CheckSpec(
        "admin_key.no_expiry",
        W,
        "Admin key without an expiry date",
        "Replace it with an admin key that expires (expires_in_seconds).",
    ),
    CheckSpec(
        "admin_key.too_old",
        W,
        "Admin key older than the rotation period",
        "Create a new admin key, switch your tooling to it, delete the old one.",
    ),
    CheckSpec(
        "org.single_owner",
        W,
        "Only one organisation owner",
        "Make a second trusted person owner so the organisation is never locked out.",
    ),
    CheckSpec(
        "org.too_many_owners",
        W,
        "More owners than readers",
        "Demote owners who do not manage billing or members to reader.",
    ),
    CheckSpec(
        "invite.expired",
        INFO,
        "Expired invitation still listed",
        "Delete the invitation and invite again if the person still needs access.",
    ),
    CheckSpec(
        "service_account.owner_role",
        W,
        "Service account with the owner role",
        "Give the service account the member role unless it manages the project.",
    ),
    # security controls (core/health_security.py), when `run_checks` is given their facts
    CheckSpec(
        "certificate.expired_active",
        F,
        "Active certificate that has expired",
        "Activate a valid certificate, then deactivate the expired one (Certificates).",
    ),
    CheckSpec(
        "certificate.expiring",
        W,
        "Certificate expiring within 30 days",
        "Upload the renewed certificate and activate it before this one expires.",
    ),
    CheckSpec(
        "project.prod_no_model_allow_list",
        W,
        "Production project without a model allow list",
        "Allow only the models the service uses (the project's Security tab, m).",
    ),
    CheckSpec(
        "project.retention_longer",
        W,
        "Project keeps data longer than the organisation",
        "Set the project's retention to the organisation default (Security tab, D).",
    ),
    CheckSpec(
        "security.unavailable",
        INFO,
        "Security controls could not be read",
        "Refresh; the certificate, model and retention checks were skipped.",
    ),
    # role-based access (groups, roles): run where that state is read, see health_access
    CheckSpec(
        "access.owner_level_group_role",
        W,
        "Custom role with owner-level permissions held by a large group",
        "Give the group a narrower role, or hold owner-level rights in a small group.",
    ),
    CheckSpec(
        "access.empty_group_with_roles",
        INFO,
        "Empty group that still holds roles",
        "Delete the group or unassign its roles, so a new member gains nothing by surprise.",
    ),
    CheckSpec(
        "access.direct_duplicates_group",
        INFO,
        "User holds directly a role one of their groups already gives",
        "Unassign the direct role; the group keeps the access in one place.",
    ),
    CheckSpec(
        "access.project_owners_one_group",
        W,
        "Project whose only owners come through one group",
        "Make someone a direct owner, so deleting or emptying the group cannot orphan it.",
    ),
    CheckSpec(
        "data.incomplete",
        INFO,
        "Part of the organisation could not be read",
        "Refresh; checks on the missing parts were skipped.",
    ),
    CheckSpec(
        "spend.unavailable",
        INFO,
        "Costs could not be read",
        "Refresh; limit-versus-spend checks were skipped.",
    ),
)
SPECS: dict[str, CheckSpec] = {spec.id: spec for spec in CHECKS}


def finding(check_id: str, message: str, objects: Iterable[ObjectRef] = ()) -> Finding:
    spec = SPECS[check_id]
    return Finding(check_id, spec.severity, message, spec.hint, tuple(objects))


def run_checks(
    snapshot: Any,
    trailing_30d_cost_by_project: Mapping[str, float] | None,
    now: float,
    thresholds: Any = None,
    *,
    trailing_30d_org_cost: float | None = None,
    scan: Any = None,
    security: Any = None,
) -> list[Finding]:
    """Every check over `snapshot`, most severe first (then in check order).

    `trailing_30d_cost_by_project`: dollars per project id over the 30 full days before today
    (`spend.trailing_cost_by_project`), or None when costs could not be read. The org-level
    figure defaults to the sum of its values. `thresholds`: `Profile.thresholds`,
    a `HealthThresholds`, or None for the defaults. `scan`: the last `orgtui scan` record
    (`leak_record.last_scan`), or None. `security`: a `core.security.SecurityFacts` for the
    certificate, model and retention checks (skipped when None).
    """
    from orgtui.core import health_checks as hc
    from orgtui.core.leak_record import check_scanned_keys

    limits = thresholds_of(thresholds)
    found: list[Finding] = []
    found += hc.check_data_parts(snapshot)
    found += hc.check_spend_limits(
        snapshot, trailing_30d_cost_by_project, trailing_30d_org_cost, limits
    )
    found += hc.check_project_keys(snapshot, now, limits)
    found += hc.check_admin_keys(snapshot, now, limits)
    found += hc.check_owners(snapshot)
    found += hc.check_invites(snapshot, now)
    found += hc.check_service_accounts(snapshot)
    found += check_scanned_keys(snapshot, scan)
    if security is not None:
        from orgtui.core.health_security import check_security

        found += check_security(snapshot, security, now)
    order = {spec.id: i for i, spec in enumerate(CHECKS)}
    rank = {sev: i for i, sev in enumerate(SEVERITY_ORDER)}
    return sorted(found, key=lambda f: (rank[f.severity], order[f.id]))


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {str(sev): 0 for sev in SEVERITY_ORDER}
    for item in findings:
        counts[str(item.severity)] += 1
    return counts


# Findings that say the check itself is incomplete: a result (exit 3), never mere info.
INCOMPLETE = ("data.incomplete", "spend.unavailable")
EXIT_INCOMPLETE = 3


def unreadable(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.id in INCOMPLETE]


def exit_code(findings: Iterable[Finding]) -> int:
    """0 clean (info only), 1 warnings, 2 failures, 3 parts it needs could not be read:
    the contract of `orgtui check`."""
    findings = list(findings)
    if unreadable(findings):
        return EXIT_INCOMPLETE
    counts = count_by_severity(findings)
    if counts["failure"]:
        return 2
    return 1 if counts["warning"] else 0


# ---------------------------------------------------------------- reports for scripts

_HEADINGS = {"failure": "FAILURES", "warning": "WARNINGS", "info": "INFO"}
_MARKS = {"failure": "[F]", "warning": "[W]", "info": "[i]"}
_SHOWN_OBJECTS = 5


def report_dict(org: str, findings: list[Finding]) -> dict[str, Any]:
    """The body of `orgtui check --json` (the command adds version, time and profile)."""
    return {
        "organisation": org,
        "exit_code": exit_code(findings),
        "summary": count_by_severity(findings),
        "findings": [f.as_dict() for f in findings],
    }


def report_text(org: str, findings: list[Finding], when: str, width: int = 80) -> str:
    """Findings grouped by severity as plain text no wider than `width` (untrusted names are
    flattened to one line)."""
    counts = count_by_severity(findings)
    tally = (
        f"{counts['failure']} failure{'s' if counts['failure'] != 1 else ''}, "
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}, "
        f"{counts['info']} info"
    )
    missing = unreadable(findings)
    if missing:
        parts = sum(max(len(f.objects), 1) for f in missing)
        tally = (
            f"INCOMPLETE: {parts} part{'s' if parts != 1 else ''} could not be read "
            f"(listed below); in what was read: {tally}"
        )
    lines = [f"{one_line(org, 40)} - health check at {when}", tally]
    if not findings:
        lines += ["", "No problems found."]
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ", break_on_hyphens=False)
    for severity in SEVERITY_ORDER:
        group = [f for f in findings if f.severity == severity]
        if group:
            lines += ["", _HEADINGS[str(severity)]]
        for item in group:
            lines += wrap.wrap(f"{_MARKS[str(severity)]} {item.id}: {item.message}")
            lines += wrap.wrap(f"    fix: {item.hint}")
            shown = len(item.objects) if item in missing else _SHOWN_OBJECTS  # every one
            for ref in item.objects[:shown]:
                name = f' "{one_line(ref.name, 40)}"' if ref.name else ""
                lines.append(f"    - {ref.type} {one_line(ref.id, 40)}{name}"[:width])
            if len(item.objects) > shown:
                lines.append(f"    ... and {len(item.objects) - shown} more")
    return "\n".join(lines) + "\n"
