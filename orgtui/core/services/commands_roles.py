"""Typed commands of role assignments, custom roles and project roles.

Each is a frozen dataclass naming its action id; `run(session)` calls the core service and
returns its typed result. The UI runs them through `ActionRegistry.execute`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from orgtui.core.commands import Command
from orgtui.core.services import assignments, project_roles, roles
from orgtui.core.services.results import Done

if TYPE_CHECKING:
    from collections.abc import Sequence

    from orgtui.api.models_rbac import Role
    from orgtui.core.session import Session

__all__ = [
    "AddProjectGroup",
    "AssignProjectUserRole",
    "AssignUserRole",
    "CreateProjectRole",
    "CreateRole",
    "DeleteProjectRole",
    "DeleteRole",
    "GrantProjectGroupRole",
    "RemoveProjectGroup",
    "RevokeProjectGroupRole",
    "UnassignProjectUserRole",
    "UnassignUserRole",
    "UpdateProjectRole",
    "UpdateRole",
]


@dataclass(frozen=True, kw_only=True)
class AssignUserRole(Command[Done]):
    action_id: ClassVar[str] = "user_role.assign"

    user_id: str
    role: Any
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.assign_user_role(
            session, user_id=self.user_id, role=self.role, label=self.label
        )


@dataclass(frozen=True, kw_only=True)
class UnassignUserRole(Command[Done]):
    action_id: ClassVar[str] = "user_role.revoke"

    user_id: str
    role: Any
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.unassign_user_role(
            session, user_id=self.user_id, role=self.role, label=self.label
        )


@dataclass(frozen=True, kw_only=True)
class AssignProjectUserRole(Command[Done]):
    action_id: ClassVar[str] = "project_user_role.assign"

    project_id: str
    user_id: str
    role: Any
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.assign_project_user_role(
            session,
            project_id=self.project_id,
            user_id=self.user_id,
            role=self.role,
            label=self.label,
        )


@dataclass(frozen=True, kw_only=True)
class UnassignProjectUserRole(Command[Done]):
    action_id: ClassVar[str] = "project_user_role.revoke"

    project_id: str
    user_id: str
    role: Any
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.unassign_project_user_role(
            session,
            project_id=self.project_id,
            user_id=self.user_id,
            role=self.role,
            label=self.label,
        )


@dataclass(frozen=True, kw_only=True)
class AddProjectGroup(Command[Done]):
    action_id: ClassVar[str] = "project_group.add"

    project_id: str
    group_id: str
    role: Any
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.add_project_group(
            session,
            project_id=self.project_id,
            group_id=self.group_id,
            role=self.role,
            label=self.label,
        )


@dataclass(frozen=True, kw_only=True)
class RemoveProjectGroup(Command[Done]):
    action_id: ClassVar[str] = "project_group.remove"

    project_id: str
    group_id: str
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.remove_project_group(
            session, project_id=self.project_id, group_id=self.group_id, label=self.label
        )


@dataclass(frozen=True, kw_only=True)
class GrantProjectGroupRole(Command[Done]):
    action_id: ClassVar[str] = "project_group.grant_role"

    project_id: str
    group_id: str
    role: Any
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.grant_project_group_role(
            session,
            project_id=self.project_id,
            group_id=self.group_id,
            role=self.role,
            label=self.label,
        )


@dataclass(frozen=True, kw_only=True)
class RevokeProjectGroupRole(Command[Done]):
    action_id: ClassVar[str] = "project_group.revoke_role"

    project_id: str
    group_id: str
    role: Any
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await assignments.revoke_project_group_role(
            session,
            project_id=self.project_id,
            group_id=self.group_id,
            role=self.role,
            label=self.label,
        )


@dataclass(frozen=True, kw_only=True)
class CreateRole(Command[Done]):
    action_id: ClassVar[str] = "role.create"

    name: str
    permissions: Sequence[str]
    description: str | None = None

    async def run(self, session: Session) -> Done:
        return await roles.create_role(
            session, name=self.name, permissions=self.permissions, description=self.description
        )


@dataclass(frozen=True, kw_only=True)
class UpdateRole(Command[Done]):
    action_id: ClassVar[str] = "role.edit"

    role: Role
    name: str
    permissions: Sequence[str]
    description: str | None = None

    async def run(self, session: Session) -> Done:
        return await roles.update_role(
            session,
            role=self.role,
            name=self.name,
            permissions=self.permissions,
            description=self.description,
        )


@dataclass(frozen=True, kw_only=True)
class DeleteRole(Command[Done]):
    action_id: ClassVar[str] = "role.delete"

    role: Role

    async def run(self, session: Session) -> Done:
        return await roles.delete_role(session, role=self.role)


@dataclass(frozen=True, kw_only=True)
class CreateProjectRole(Command[Done]):
    action_id: ClassVar[str] = "project_role.create"

    project_id: str
    name: str
    permissions: Sequence[str]
    description: str | None = None

    async def run(self, session: Session) -> Done:
        return await project_roles.create_project_role(
            session,
            project_id=self.project_id,
            name=self.name,
            permissions=self.permissions,
            description=self.description,
        )


@dataclass(frozen=True, kw_only=True)
class UpdateProjectRole(Command[Done]):
    action_id: ClassVar[str] = "project_role.edit"

    project_id: str
    role: Role
    name: str
    permissions: Sequence[str]
    description: str | None = None

    async def run(self, session: Session) -> Done:
        return await project_roles.update_project_role(
            session,
            project_id=self.project_id,
            role=self.role,
            name=self.name,
            permissions=self.permissions,
            description=self.description,
        )


@dataclass(frozen=True, kw_only=True)
class DeleteProjectRole(Command[Done]):
    action_id: ClassVar[str] = "project_role.delete"

    project_id: str
    role: Role

    async def run(self, session: Session) -> Done:
        return await project_roles.delete_project_role(
            session, project_id=self.project_id, role=self.role
        )
