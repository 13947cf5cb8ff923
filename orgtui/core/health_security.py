"""Health checks over the security controls (`core.security.SecurityFacts`):

* `certificate.expired_active` (failure): a certificate active for the organisation or a
  project whose expiry has passed;
* `certificate.expiring` (warning): a certificate that expires within 30 days (active or not:
  a renewal takes time either way);
* `project.prod_no_model_allow_list` (warning): a live project whose name ends in `-prod`
  (or is `prod`) that does not restrict models to an allow list;
* `project.retention_longer` (warning): a project whose effective retention keeps more than
  the organisation's setting (see `core.security.retention_longer`);
* `security.unavailable` (info): part of the controls could not be read (those checks skip).

Objects: `certificate` (its id and name) and `project_security` (a project, shown on its
Security tab).
"""

from __future__ import annotations

import re
from typing import Any

from orgtui.api.errors import one_line
from orgtui.core.health import Finding, ObjectRef, finding
from orgtui.core.security import EXPIRY_WARNING_DAYS, SecurityFacts, retention_longer

PROD_NAME = re.compile(r"(^|[-_ ])prod$", re.IGNORECASE)


def _project_ref(pid: str, view: Any) -> ObjectRef:
    return ObjectRef("project_security", pid, view.project.name, project_id=pid)


def _cert_name(cert: Any) -> str:
    return one_line(cert.name, 60) if cert.name else cert.id


def check_security(snapshot: Any, facts: SecurityFacts, now: float) -> list[Finding]:
    found: list[Finding] = []
    for cert in facts.certificates:
        ref = ObjectRef("certificate", cert.id, cert.name)
        if cert.expired(now) and cert.active_anywhere:
            found.append(
                finding(
                    "certificate.expired_active",
                    f'Certificate "{_cert_name(cert)}" expired and is still active',
                    [ref],
                )
            )
        elif cert.expiring(now, EXPIRY_WARNING_DAYS):
            days = int((cert.days_left(now) or 0) + 0.999)
            found.append(
                finding(
                    "certificate.expiring",
                    f'Certificate "{_cert_name(cert)}" expires in {days} day'
                    f"{'s' if days != 1 else ''}",
                    [ref],
                )
            )
    for pid, view in snapshot.projects.items():
        if view.project.archived:
            continue
        name = one_line(view.project.name, 60) if view.project.name else pid
        mode = facts.project_model_mode.get(pid)
        if mode is not None and mode != "allow_list" and PROD_NAME.search(view.project.name or ""):
            found.append(
                finding(
                    "project.prod_no_model_allow_list",
                    f'Production project "{name}" has no model allow list',
                    [_project_ref(pid, view)],
                )
            )
        retention = facts.project_retention.get(pid)
        if retention is not None and retention_longer(retention, facts.org_retention):
            found.append(
                finding(
                    "project.retention_longer",
                    f'Project "{name}" retains data longer than the organisation '
                    f"({retention} against {facts.org_retention})",
                    [_project_ref(pid, view)],
                )
            )
    if facts.errors:
        refs = [ObjectRef("part", what, one_line(why, 120)) for what, why in facts.errors.items()]
        found.append(
            finding(
                "security.unavailable",
                f"{len(refs)} security control(s) could not be read",
                refs,
            )
        )
    return found
