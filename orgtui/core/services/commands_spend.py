"""Typed commands of spend limits, alerts and the security controls.

Each is a frozen dataclass naming its action id; `run(session)` calls the core service and
returns its typed result. The UI runs them through `ActionRegistry.execute`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from orgtui.core.commands import Command
from orgtui.core.services import limits, security
from orgtui.core.services.results import Done, Reconciliation

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from orgtui.core.session import Session

__all__ = [
    "ActivateCertificate",
    "CreateAlert",
    "DeactivateCertificate",
    "DeleteAlert",
    "DeleteCertificate",
    "RemoveLimit",
    "RenameCertificate",
    "ResetModelPermissions",
    "SetHostedTools",
    "SetLimit",
    "SetModelPermissions",
    "SetOrgRetention",
    "SetProjectRetention",
    "UpdateAlert",
    "UploadCertificate",
]


@dataclass(frozen=True, kw_only=True)
class SetLimit(Command[Done]):
    action_id: ClassVar[str] = "limit.set"

    cents: int
    project_id: str | None = None

    async def run(self, session: Session) -> Done:
        return await limits.set_limit(session, cents=self.cents, project_id=self.project_id)


@dataclass(frozen=True, kw_only=True)
class RemoveLimit(Command[Done]):
    action_id: ClassVar[str] = "limit.remove"

    project_id: str | None = None

    async def run(self, session: Session) -> Done:
        return await limits.remove_limit(session, project_id=self.project_id)


@dataclass(frozen=True, kw_only=True)
class CreateAlert(Command[Done | Reconciliation]):
    action_id: ClassVar[str] = "alert.create"

    cents: int
    recipients: str | Sequence[str]
    project_id: str | None = None
    subject_prefix: str | None = None

    async def run(self, session: Session) -> Done | Reconciliation:
        return await limits.create_alert(
            session,
            cents=self.cents,
            recipients=self.recipients,
            project_id=self.project_id,
            subject_prefix=self.subject_prefix,
        )


@dataclass(frozen=True, kw_only=True)
class UpdateAlert(Command[Done]):
    action_id: ClassVar[str] = "alert.update"

    alert_id: str
    project_id: str | None = None
    cents: int | None = None
    recipients: str | Sequence[str] | None = None
    subject_prefix: str | None = None

    async def run(self, session: Session) -> Done:
        return await limits.update_alert(
            session,
            alert_id=self.alert_id,
            project_id=self.project_id,
            cents=self.cents,
            recipients=self.recipients,
            subject_prefix=self.subject_prefix,
        )


@dataclass(frozen=True, kw_only=True)
class DeleteAlert(Command[Done]):
    action_id: ClassVar[str] = "alert.delete"

    alert_id: str
    project_id: str | None = None

    async def run(self, session: Session) -> Done:
        return await limits.delete_alert(
            session, alert_id=self.alert_id, project_id=self.project_id
        )


@dataclass(frozen=True, kw_only=True)
class UploadCertificate(Command[Done]):
    action_id: ClassVar[str] = "certificate.upload"

    path: str
    name: str | None = None

    async def run(self, session: Session) -> Done:
        return await security.upload_certificate(session, path=self.path, name=self.name)


@dataclass(frozen=True, kw_only=True)
class RenameCertificate(Command[Done]):
    action_id: ClassVar[str] = "certificate.rename"

    certificate_id: str
    name: str

    async def run(self, session: Session) -> Done:
        return await security.rename_certificate(
            session, certificate_id=self.certificate_id, name=self.name
        )


@dataclass(frozen=True, kw_only=True)
class ActivateCertificate(Command[Done]):
    action_id: ClassVar[str] = "certificate.activate"

    certificate_id: str
    project_id: str | None = None

    async def run(self, session: Session) -> Done:
        return await security.activate_certificate(
            session, certificate_id=self.certificate_id, project_id=self.project_id
        )


@dataclass(frozen=True, kw_only=True)
class DeactivateCertificate(Command[Done]):
    action_id: ClassVar[str] = "certificate.deactivate"

    certificate_id: str
    project_id: str | None = None

    async def run(self, session: Session) -> Done:
        return await security.deactivate_certificate(
            session, certificate_id=self.certificate_id, project_id=self.project_id
        )


@dataclass(frozen=True, kw_only=True)
class DeleteCertificate(Command[Done]):
    action_id: ClassVar[str] = "certificate.delete"

    certificate_id: str
    active_anywhere: bool = False

    async def run(self, session: Session) -> Done:
        return await security.delete_certificate(
            session, certificate_id=self.certificate_id, active_anywhere=self.active_anywhere
        )


@dataclass(frozen=True, kw_only=True)
class SetOrgRetention(Command[Done]):
    action_id: ClassVar[str] = "security.org_retention"

    retention_type: str

    async def run(self, session: Session) -> Done:
        return await security.set_org_retention(session, retention_type=self.retention_type)


@dataclass(frozen=True, kw_only=True)
class SetProjectRetention(Command[Done]):
    action_id: ClassVar[str] = "security.retention"

    project_id: str
    retention_type: str

    async def run(self, session: Session) -> Done:
        return await security.set_project_retention(
            session, project_id=self.project_id, retention_type=self.retention_type
        )


@dataclass(frozen=True, kw_only=True)
class SetModelPermissions(Command[Done]):
    action_id: ClassVar[str] = "security.models"

    project_id: str
    mode: str
    model_ids: Sequence[str]

    async def run(self, session: Session) -> Done:
        return await security.set_model_permissions(
            session, project_id=self.project_id, mode=self.mode, model_ids=self.model_ids
        )


@dataclass(frozen=True, kw_only=True)
class ResetModelPermissions(Command[Done]):
    action_id: ClassVar[str] = "security.models_reset"

    project_id: str

    async def run(self, session: Session) -> Done:
        return await security.reset_model_permissions(session, project_id=self.project_id)


@dataclass(frozen=True, kw_only=True)
class SetHostedTools(Command[Done]):
    action_id: ClassVar[str] = "security.tools"

    project_id: str
    enabled: Mapping[str, bool]

    async def run(self, session: Session) -> Done:
        return await security.set_hosted_tools(
            session, project_id=self.project_id, enabled=self.enabled
        )
