"""The organisation's security controls as the console shows them: certificates (with their
fingerprint and subject, read from the PEM), data retention, a project's model and hosted-tool
permissions, and the models a project has used.

These are read when a screen asks (the Certificates node, a project's Security tab, the health
checks), not kept in the snapshot: they are few, rarely change, and cost one request each.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import ApiError

if TYPE_CHECKING:
    from orgtui.api.models_security import Certificate, ModelPermissions
    from orgtui.core.session import Session

__all__ = [
    "RETENTION_LABELS",
    "CertificateInfo",
    "CertificateOverview",
    "ProjectSecurity",
    "SecurityFacts",
    "effective_retention",
    "load_certificates",
    "load_project_security",
    "load_security_facts",
    "models_used",
    "pem_identity",
    "retention_longer",
]

DAY = 86_400
EXPIRY_WARNING_DAYS = 30
# How much each retention setting keeps, least first: zero data retention keeps nothing,
# modified abuse monitoring keeps some data for abuse checks, "none" (no control) keeps the
# standard 30 days. The enhanced variants keep what their plain variant keeps.
_RANK = {
    "zero_data_retention": 0,
    "enhanced_zero_data_retention": 0,
    "modified_abuse_monitoring": 1,
    "enhanced_modified_abuse_monitoring": 1,
    "none": 2,
}
RETENTION_LABELS = {
    "organization_default": "organisation default",
    "none": "none (standard retention)",
    "zero_data_retention": "zero data retention",
    "modified_abuse_monitoring": "modified abuse monitoring",
    "enhanced_zero_data_retention": "enhanced zero data retention",
    "enhanced_modified_abuse_monitoring": "enhanced modified abuse monitoring",
}


def effective_retention(project_type: str | None, org_type: str | None) -> str | None:
    return org_type if project_type in (None, "organization_default") else project_type


def retention_longer(project_type: str | None, org_type: str | None) -> bool:
    """Whether a project keeps data longer than its organisation asks for."""
    effective = effective_retention(project_type, org_type)
    if effective is None or org_type is None:
        return False
    return _RANK.get(effective, 2) > _RANK.get(org_type, 2)


# ---------------------------------------------------------------- certificates

_PEM = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)
# (profile, certificate id, valid_at, expires_at) -> (fingerprint, subject)
_IDENTITY: dict[tuple[object, ...], tuple[str, str]] = {}


def pem_identity(pem: str | None) -> tuple[str, str]:
    """(SHA-256 fingerprint, subject) of a PEM certificate; ("", "") when it cannot be read."""
    match = _PEM.search(pem or "")
    if match is None:
        return "", ""
    try:
        der = base64.b64decode("".join(match.group(1).split()), validate=True)
    except ValueError:
        return "", ""
    fingerprint = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    try:
        from cryptography import x509

        name = x509.load_der_x509_certificate(der).subject
        subject = ", ".join(rdn.rfc4514_string() for rdn in name.rdns)  # CN first, as issued
    except (ValueError, TypeError):
        subject = ""
    return fingerprint, subject


@dataclass(frozen=True)
class CertificateInfo:
    id: str
    name: str | None
    created_at: int
    valid_at: int | None
    expires_at: int | None
    fingerprint: str
    subject: str
    org_active: bool
    project_ids: tuple[str, ...]  # the projects it is active for

    def days_left(self, now: float) -> float | None:
        return None if self.expires_at is None else (self.expires_at - now) / DAY

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def expiring(self, now: float, days: int = EXPIRY_WARNING_DAYS) -> bool:
        left = self.days_left(now)
        return left is not None and 0 < left <= days

    @property
    def active_anywhere(self) -> bool:
        return self.org_active or bool(self.project_ids)


@dataclass(frozen=True)
class CertificateOverview:
    certificates: tuple[CertificateInfo, ...]
    errors: dict[str, str] = field(default_factory=dict)  # what could not be read, and why

    def get(self, cid: str) -> CertificateInfo | None:
        return next((c for c in self.certificates if c.id == cid), None)


def _live_projects(session: Session) -> list[str]:
    return [pid for pid, view in session.snapshot.projects.items() if not view.archived]


async def _identity(session: Session, cert: Certificate) -> tuple[str, str]:
    # An id alone is not an identity: another organisation (or sandbox) can reuse it for a
    # different certificate, so the cache key holds the profile and the validity too.
    d = cert.certificate_details
    key = (
        session.profile.name,
        cert.id,
        getattr(d, "valid_at", None),
        getattr(d, "expires_at", None),
    )
    known = _IDENTITY.get(key)
    if known is not None:
        return known
    full = await session.client.get_certificate(cert.id, include_content=True)
    found = pem_identity(full.certificate_details.content)
    if found != ("", ""):
        _IDENTITY[key] = found
    return found


async def load_certificates(session: Session) -> CertificateOverview:
    """Every certificate with its fingerprint, subject and where it is active."""
    errors: dict[str, str] = {}
    certs = [c async for c in session.client.iter_certificates()]
    active_in: dict[str, list[str]] = {c.id: [] for c in certs}
    if certs:
        for pid in _live_projects(session):
            try:
                async for pc in session.client.iter_project_certificates(pid):
                    if pc.active and pc.id in active_in:
                        active_in[pc.id].append(pid)
            except ApiError as exc:
                errors[pid] = str(exc)
    infos = []
    for c in certs:
        try:
            fingerprint, subject = await _identity(session, c)
        except ApiError as exc:
            errors[c.id] = str(exc)
            fingerprint, subject = "", ""
        d = c.certificate_details
        infos.append(
            CertificateInfo(
                id=c.id,
                name=c.name,
                created_at=c.created_at,
                valid_at=d.valid_at,
                expires_at=d.expires_at,
                fingerprint=fingerprint,
                subject=subject,
                org_active=bool(c.active),
                project_ids=tuple(active_in[c.id]),
            )
        )
    return CertificateOverview(tuple(infos), errors)


# ---------------------------------------------------------------- a project's controls


@dataclass(frozen=True)
class ProjectSecurity:
    project_id: str
    retention: str | None
    org_retention: str | None
    model_mode: str | None  # allow_list | deny_list
    model_ids: tuple[str, ...]
    tools: dict[str, bool]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def effective_retention(self) -> str | None:
        return effective_retention(self.retention, self.org_retention)

    @property
    def retention_longer_than_org(self) -> bool:
        return retention_longer(self.retention, self.org_retention)


async def _try(errors: dict[str, str], what: str, call: Any) -> Any:
    try:
        return await call
    except ApiError as exc:
        errors[what] = str(exc)
        return None


async def load_project_security(session: Session, pid: str) -> ProjectSecurity:
    client = session.client
    errors: dict[str, str] = {}
    retention = await _try(errors, "retention", client.get_project_data_retention(pid))
    org = await _try(errors, "org_retention", client.get_org_data_retention())
    models: ModelPermissions | None = await _try(
        errors, "models", client.get_model_permissions(pid)
    )
    tools = await _try(errors, "tools", client.get_hosted_tool_permissions(pid))
    return ProjectSecurity(
        project_id=pid,
        retention=retention.type if retention else None,
        org_retention=org.type if org else None,
        model_mode=models.mode if models else None,
        model_ids=tuple(models.model_ids) if models else (),
        tools=tools.enabled() if tools else {},
        errors=errors,
    )


async def models_used(session: Session, pid: str, days: int = 30) -> list[str]:
    """The models a project used in the last `days` days (completions, embeddings, images,
    audio), most used first, from the usage API."""
    start = int(session.now()) - days * DAY
    requests: dict[str, int] = {}
    for kind in ("completions", "embeddings", "images", "audio_speeches"):
        buckets = session.client.iter_usage(
            kind, start, group_by=["model"], project_ids=[pid], limit=days + 1
        )
        async for bucket in buckets:
            for result in bucket.results:
                if result.model:
                    requests[result.model] = requests.get(result.model, 0) + (
                        result.num_model_requests or 0
                    )
    return sorted(requests, key=lambda m: (-requests[m], m))


# ---------------------------------------------------------------- facts for the health checks


@dataclass(frozen=True)
class SecurityFacts:
    """What the security health checks need: certificates, the org's retention, and each live
    project's retention and model-permission mode."""

    certificates: tuple[CertificateInfo, ...]
    org_retention: str | None
    project_retention: dict[str, str]
    project_model_mode: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


async def load_security_facts(
    session: Session, project_ids: Iterable[str] | None = None
) -> SecurityFacts:
    client = session.client
    errors: dict[str, str] = {}
    overview = await _try(errors, "certificates", load_certificates(session))
    if overview is not None:
        errors.update({f"certificates:{k}": v for k, v in overview.errors.items()})
    org = await _try(errors, "org_retention", client.get_org_data_retention())
    retention: dict[str, str] = {}
    modes: dict[str, str] = {}
    for pid in project_ids if project_ids is not None else _live_projects(session):
        found = await _try(errors, f"retention:{pid}", client.get_project_data_retention(pid))
        if found is not None:
            retention[pid] = found.type
        perms = await _try(errors, f"models:{pid}", client.get_model_permissions(pid))
        if perms is not None:
            modes[pid] = perms.mode
    return SecurityFacts(
        certificates=overview.certificates if overview else (),
        org_retention=org.type if org else None,
        project_retention=retention,
        project_model_mode=modes,
        errors=errors,
    )
