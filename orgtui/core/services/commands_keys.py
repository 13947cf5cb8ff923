"""Typed commands of projects, keys, service accounts, admin keys, rotation, rate limits and
onboarding.

Each is a frozen dataclass naming its action id; `run(session)` calls the core service and
returns its typed result. The UI runs them through `ActionRegistry.execute`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from orgtui.core.commands import Command
from orgtui.core.services import admin_keys, keys, onboarding, projects, rate_limits, rotation
from orgtui.core.services.admin_keys import DEFAULT_ADMIN_KEY_EXPIRY
from orgtui.core.services.onboarding import Onboarding
from orgtui.core.services.results import Done, MintedAdminKey, MintedKey, Reconciliation

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from orgtui.core.services.onboarding import OnboardingPlan
    from orgtui.core.session import Session

__all__ = [
    "ArchiveProject",
    "CreateAdminKey",
    "CreateKey",
    "CreateProject",
    "DeleteAdminKey",
    "DeleteKey",
    "DeleteServiceAccount",
    "MintKey",
    "RenameProject",
    "RotateKey",
    "SetServiceAccountRole",
    "StartOnboarding",
    "UpdateRateLimit",
]


@dataclass(frozen=True, kw_only=True)
class CreateKey(Command[MintedKey | Reconciliation]):
    action_id: ClassVar[str] = "key.create"

    project_id: str
    name: str
    role: str = "member"
    scopes: Sequence[str] | None = None

    async def run(self, session: Session) -> MintedKey | Reconciliation:
        return await keys.create_key(
            session, project_id=self.project_id, name=self.name, role=self.role, scopes=self.scopes
        )


@dataclass(frozen=True, kw_only=True)
class MintKey(Command[MintedKey | Reconciliation]):
    action_id: ClassVar[str] = "service_account.mint"

    project_id: str
    service_account_id: str
    name: str | None = None
    scopes: Sequence[str] | None = None

    async def run(self, session: Session) -> MintedKey | Reconciliation:
        return await keys.mint_key(
            session,
            project_id=self.project_id,
            service_account_id=self.service_account_id,
            name=self.name,
            scopes=self.scopes,
        )


@dataclass(frozen=True, kw_only=True)
class DeleteKey(Command[Done]):
    action_id: ClassVar[str] = "key.delete"

    project_id: str
    key_id: str

    async def run(self, session: Session) -> Done:
        return await keys.delete_key(session, project_id=self.project_id, key_id=self.key_id)


@dataclass(frozen=True, kw_only=True)
class DeleteServiceAccount(Command[Done]):
    action_id: ClassVar[str] = "service_account.delete"

    project_id: str
    service_account_id: str

    async def run(self, session: Session) -> Done:
        return await keys.delete_service_account(
            session, project_id=self.project_id, service_account_id=self.service_account_id
        )


@dataclass(frozen=True, kw_only=True)
class SetServiceAccountRole(Command[Done]):
    action_id: ClassVar[str] = "service_account.role"

    project_id: str
    service_account_id: str
    role: str

    async def run(self, session: Session) -> Done:
        return await keys.set_service_account_role(
            session,
            project_id=self.project_id,
            service_account_id=self.service_account_id,
            role=self.role,
        )


@dataclass(frozen=True, kw_only=True)
class CreateAdminKey(Command[MintedAdminKey | Reconciliation]):
    action_id: ClassVar[str] = "admin_key.create"

    name: str
    expires_in_seconds: int | None = DEFAULT_ADMIN_KEY_EXPIRY
    no_expiry: bool = False

    async def run(self, session: Session) -> MintedAdminKey | Reconciliation:
        return await admin_keys.create_admin_key(
            session,
            name=self.name,
            expires_in_seconds=self.expires_in_seconds,
            no_expiry=self.no_expiry,
        )


@dataclass(frozen=True, kw_only=True)
class DeleteAdminKey(Command[Done]):
    action_id: ClassVar[str] = "admin_key.delete"

    key_id: str

    async def run(self, session: Session) -> Done:
        return await admin_keys.delete_admin_key(session, key_id=self.key_id)


@dataclass(frozen=True, kw_only=True)
class RotateKey(Command[MintedKey | Reconciliation | Done]):
    action_id: ClassVar[str] = "key.rotate"

    project_id: str
    key_id: str
    phase: str = "start"
    rotation_id: str | None = None
    service_account_id: str | None = None
    scopes: Sequence[str] | None = None
    force: bool = False
    delete_replacement: bool = True
    together: bool = False
    sibling_key_id: str | None = None

    async def run(self, session: Session) -> MintedKey | Reconciliation | Done:
        return await rotation.rotate_key(
            session,
            project_id=self.project_id,
            key_id=self.key_id,
            phase=self.phase,
            rotation_id=self.rotation_id,
            service_account_id=self.service_account_id,
            scopes=self.scopes,
            force=self.force,
            delete_replacement=self.delete_replacement,
            together=self.together,
            sibling_key_id=self.sibling_key_id,
        )


@dataclass(frozen=True, kw_only=True)
class CreateProject(Command[Done | Reconciliation]):
    action_id: ClassVar[str] = "project.create"

    name: str
    residency: str | None = None
    external_key_id: str | None = None

    async def run(self, session: Session) -> Done | Reconciliation:
        return await projects.create_project(
            session, name=self.name, residency=self.residency, external_key_id=self.external_key_id
        )


@dataclass(frozen=True, kw_only=True)
class RenameProject(Command[Done]):
    action_id: ClassVar[str] = "project.rename"

    project_id: str
    name: str

    async def run(self, session: Session) -> Done:
        return await projects.rename_project(session, project_id=self.project_id, name=self.name)


@dataclass(frozen=True, kw_only=True)
class ArchiveProject(Command[Done]):
    action_id: ClassVar[str] = "project.archive"

    project_id: str

    async def run(self, session: Session) -> Done:
        return await projects.archive_project(session, project_id=self.project_id)


@dataclass(frozen=True, kw_only=True)
class UpdateRateLimit(Command[Done]):
    action_id: ClassVar[str] = "rate_limit.edit"

    project_id: str
    rate_limit_id: str
    values: Mapping[str, Any]

    async def run(self, session: Session) -> Done:
        return await rate_limits.update_rate_limit(
            session,
            project_id=self.project_id,
            rate_limit_id=self.rate_limit_id,
            values=self.values,
        )


@dataclass(frozen=True, kw_only=True)
class StartOnboarding(Command[Onboarding]):
    action_id: ClassVar[str] = "service.onboard"

    plan: OnboardingPlan

    async def run(self, session: Session) -> Onboarding:
        return await onboarding.start_onboarding(session, plan=self.plan)
