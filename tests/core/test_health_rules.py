"""The health rules on hand-built snapshots: boundaries, skipped parts, ordering, exit codes."""

from __future__ import annotations

from types import ModuleType

import pytest

from orgtui.api.models import Invite, User
from orgtui.core.health import (
    Finding,
    HealthThresholds,
    ObjectRef,
    Severity,
    count_by_severity,
    exit_code,
    run_checks,
)
from orgtui.core.snapshot import OrgSnapshot, PartStatus

NOW = 1_790_000_000.0  # the core conftest's T0
DAY = 86_400


@pytest.fixture
def clean(factories: ModuleType) -> OrgSnapshot:
    """The factories' snapshot made to pass: fresh used keys, expiring admin key, owners."""
    snap = factories.make_snapshot(projects=2, keys=1)
    for pid, view in snap.projects.items():
        keys = [
            k.replace(created_at=int(NOW - DAY), last_used_at=int(NOW))
            for k in view.get("api_keys") or ()
        ]
        snap = snap.with_project(pid, api_keys=keys)
    admin = [
        k.replace(created_at=int(NOW - DAY), expires_at=int(NOW + DAY))
        for k in snap.admin_keys or ()
    ]
    return snap.with_org(admin_keys=admin, invites=[])


def ids(found: list[Finding]) -> list[str]:
    return [f.id for f in found]


def user(i: int, role: str, **kw: object) -> User:
    return User(
        id=f"user_{i}", name=f"U{i}", email=f"u{i}@example.test", role=role, added_at=1, **kw
    )


def test_clean_snapshot(clean: OrgSnapshot) -> None:
    assert run_checks(clean, {}, NOW, None) == []


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (["owner"], ["org.single_owner"]),
        (["owner", "owner"], []),  # two owners, no readers: the remedy, not a problem
        (["owner", "owner", "owner", "reader", "reader"], ["org.too_many_owners"]),
        (["owner", "owner", "owner", "reader", "reader", "reader"], []),
        (["owner", "reader", "reader"], ["org.single_owner"]),
    ],
)
def test_owner_counts(clean: OrgSnapshot, roles: list[str], expected: list[str]) -> None:
    users = [user(i, role) for i, role in enumerate(roles)]
    assert ids(run_checks(clean.with_org(users=users), {}, NOW)) == expected


def test_service_account_users_are_not_owners(clean: OrgSnapshot) -> None:
    users = [user(1, "owner"), user(2, "owner", is_service_account=True)]
    assert ids(run_checks(clean.with_org(users=users), {}, NOW)) == ["org.single_owner"]


def test_pending_invite_past_its_expiry(clean: OrgSnapshot) -> None:
    def invite(status: str, expires: float | None) -> Invite:
        return Invite(
            id=f"inv_{status}_{expires}",
            email="x@example.test",
            role="reader",
            status=status,
            created_at=1,
            expires_at=None if expires is None else int(expires),
        )

    invites = [
        invite("pending", NOW - 1),
        invite("pending", NOW + DAY),
        invite("pending", None),
        invite("accepted", NOW - DAY),
        invite("expired", None),
    ]
    found = run_checks(clean.with_org(invites=invites), {}, NOW)
    assert ids(found) == ["invite.expired"]
    assert {o.id for o in found[0].objects} == {f"inv_pending_{NOW - 1}", "inv_expired_None"}


def test_unfetched_and_failed_parts(clean: OrgSnapshot) -> None:
    snap = clean.with_org(users=None, admin_keys=None)
    snap = snap.with_part_status("users", PartStatus(None)).with_part_status(
        "admin_keys", PartStatus(None, "Permission denied: no")
    )
    pid = next(iter(snap.projects))
    snap = snap.with_project(pid, spend_limit=None).with_part_status(
        f"project:{pid}:limits", PartStatus(None, "Server error")
    )
    found = run_checks(snap, {}, NOW)
    # No owner check (users unknown), no "no limit" (the limit was never read): one info.
    assert ids(found) == ["data.incomplete"]
    assert {o.id for o in found[0].objects} == {"admin_keys", f"project:{pid}:limits"}
    assert found[0].severity == Severity.INFO


def test_no_costs_skips_limit_comparisons(clean: OrgSnapshot) -> None:
    found = run_checks(clean, None, NOW)
    assert ids(found) == ["spend.unavailable"]
    assert exit_code(found) == 3  # unread costs: the check is incomplete, not clean


def test_org_limit_against_explicit_org_cost(clean: OrgSnapshot) -> None:
    # The factories' org limit is $10,000; per-project costs are tiny but the org figure rules.
    assert ids(run_checks(clean, {"proj_0000": 200.0}, NOW, trailing_30d_org_cost=20_000.0)) == [
        "limit.below_spend"
    ]


def test_far_above_uses_the_factor(clean: OrgSnapshot) -> None:
    # Project limits are $500. $100 of spend: 5x, above 2 x 2.0 = 4x; with factor 3.0 (6x) quiet.
    costs = {"proj_0000": 100.0, "proj_0001": 200.0}
    found = run_checks(clean, costs, NOW, trailing_30d_org_cost=5_000.0)
    assert [(f.id, f.objects[0].id) for f in found] == [("limit.far_above_spend", "proj_0000")]
    relaxed = HealthThresholds(limit_high_factor=3.0)
    assert run_checks(clean, costs, NOW, relaxed, trailing_30d_org_cost=5_000.0) == []


def test_order_counts_and_exit_codes(clean: OrgSnapshot) -> None:
    snap = clean.with_org(org_spend_limit=None, users=[user(1, "owner")])
    found = run_checks(snap, None, NOW)
    assert [f.severity for f in found] == [Severity.FAILURE, Severity.WARNING, Severity.INFO]
    assert count_by_severity(found) == {"failure": 1, "warning": 1, "info": 1}
    assert exit_code(found) == 3  # the info finding is spend.unavailable: incomplete
    judged = found[:2]
    assert exit_code(judged) == 2
    assert exit_code(judged[1:]) == 1
    assert exit_code([]) == 0


def test_untrusted_names_stay_on_one_line(clean: OrgSnapshot) -> None:
    pid = "proj_0000"
    view = clean.projects[pid]
    evil = view.project.replace(name="[red]x[/red]\n\x1b[2Jboom" + "A" * 500)
    snap = clean.with_project(pid, project=evil, spend_limit=None)
    (finding,) = run_checks(snap, {}, NOW)
    assert "\n" not in finding.message and "\x1b" not in finding.message
    assert len(finding.message) < 200
    assert finding.as_dict() == {
        "id": "project.no_spend_limit",
        "severity": "failure",
        "message": finding.message,
        "hint": finding.hint,
        "objects": [
            {"type": "project", "id": pid, "name": finding.objects[0].name, "project_id": pid}
        ],
    }
    assert isinstance(finding.objects[0], ObjectRef)
