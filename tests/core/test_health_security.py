"""The security health checks over hand-made facts: which finding fires, with which object."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from orgtui.core.health import Severity, run_checks
from orgtui.core.health_security import check_security
from orgtui.core.security import CertificateInfo, SecurityFacts
from orgtui.core.snapshot import OrgSnapshot

NOW = 1_790_000_000.0
DAY = 86_400


def cert(cid: str, days_left: float, *, org: bool = False, projects: tuple[str, ...] = ()) -> Any:
    return CertificateInfo(
        id=cid,
        name=cid.upper(),
        created_at=0,
        valid_at=0,
        expires_at=int(NOW + days_left * DAY),
        fingerprint="",
        subject="",
        org_active=org,
        project_ids=projects,
    )


def snapshot(*names: str, archived: tuple[str, ...] = ()) -> Any:
    projects = {
        f"p_{n}": SimpleNamespace(
            project=SimpleNamespace(name=n, archived=n in archived, id=f"p_{n}")
        )
        for n in names
    }
    return SimpleNamespace(projects=projects, parts={})


def ids(found: list[Any]) -> list[tuple[str, str, str]]:
    return [(f.id, str(f.severity), f.objects[0].id) for f in found]


def test_certificates_expired_while_active_fail_and_expiring_ones_warn() -> None:
    facts = SecurityFacts(
        certificates=(
            cert("c_dead", -1, projects=("p_a",)),
            cert("c_dead_off", -1),  # expired but inactive: nothing to do urgently
            cert("c_soon", 5),
            cert("c_fine", 90, org=True),
        ),
        org_retention="zero_data_retention",
        project_retention={},
        project_model_mode={},
    )
    assert ids(check_security(snapshot("a"), facts, NOW)) == [
        ("certificate.expired_active", "failure", "c_dead"),
        ("certificate.expiring", "warning", "c_soon"),
    ]


def test_prod_projects_need_an_allow_list_and_retention_no_longer_than_the_org() -> None:
    facts = SecurityFacts(
        certificates=(),
        org_retention="zero_data_retention",
        project_retention={
            "p_api-prod": "organization_default",
            "p_dev": "modified_abuse_monitoring",
            "p_old-prod": "none",
        },
        project_model_mode={
            "p_api-prod": "deny_list",
            "p_web-prod": "allow_list",
            "p_dev": "deny_list",
        },
    )
    snap = snapshot("api-prod", "web-prod", "dev", "old-prod", archived=("old-prod",))
    found = check_security(snap, facts, NOW)
    assert ids(found) == [
        ("project.prod_no_model_allow_list", "warning", "p_api-prod"),
        ("project.retention_longer", "warning", "p_dev"),
    ]
    assert found[1].objects[0].type == "project_security"


def test_unreadable_controls_are_one_info_finding_and_run_checks_orders_them() -> None:
    facts = SecurityFacts(
        certificates=(cert("c_dead", -2, org=True),),
        org_retention=None,
        project_retention={},
        project_model_mode={},
        errors={"org_retention": "Permission denied"},
    )
    found = check_security(snapshot(), facts, NOW)
    assert [(f.id, f.severity) for f in found] == [
        ("certificate.expired_active", Severity.FAILURE),
        ("security.unavailable", Severity.INFO),
    ]
    org = OrgSnapshot("test", "Org")
    with_security = run_checks(org, None, NOW, security=facts)
    assert [f for f in with_security if f.id.startswith(("certificate.", "security."))] == found
    assert not [f for f in run_checks(org, None, NOW) if f.id.startswith("certificate.")]
    assert with_security[0].id == "certificate.expired_active"  # failures first
