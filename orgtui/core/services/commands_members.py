"""Typed commands of organisation members, invites, project members, the matrix and groups.

Each is a frozen dataclass naming its action id; `run(session)` calls the core service and
returns its typed result. The UI runs them through `ActionRegistry.execute`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from orgtui.core.commands import Command
from orgtui.core.services import groups, invites, members
from orgtui.core.services.results import Done, InviteReport

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from orgtui.core.session import Session

__all__ = [
    "AddGroupMember",
    "AddProjectMember",
    "ChangeInviteRole",
    "ChangeMatrix",
    "CreateGroup",
    "CreateInvites",
    "DeleteGroup",
    "DeleteInvite",
    "GrantGroupRole",
    "RemoveGroupMember",
    "RemoveMatrix",
    "RemoveOrgMember",
    "RemoveProjectMember",
    "RenameGroup",
    "RevokeGroupRole",
    "SetOrgRole",
    "SetProjectRole",
]


@dataclass(frozen=True, kw_only=True)
class SetOrgRole(Command[Done]):
    action_id: ClassVar[str] = "org_member.role"

    user_id: str
    role: str

    async def run(self, session: Session) -> Done:
        return await members.set_org_role(session, user_id=self.user_id, role=self.role)


@dataclass(frozen=True, kw_only=True)
class RemoveOrgMember(Command[Done]):
    action_id: ClassVar[str] = "org_member.remove"

    user_id: str

    async def run(self, session: Session) -> Done:
        return await members.remove_org_member(session, user_id=self.user_id)


@dataclass(frozen=True, kw_only=True)
class AddProjectMember(Command[Done]):
    action_id: ClassVar[str] = "project_member.add"

    project_id: str
    role: str = "member"
    user_id: str | None = None
    email: str | None = None

    async def run(self, session: Session) -> Done:
        return await members.add_project_member(
            session,
            project_id=self.project_id,
            role=self.role,
            user_id=self.user_id,
            email=self.email,
        )


@dataclass(frozen=True, kw_only=True)
class SetProjectRole(Command[Done]):
    action_id: ClassVar[str] = "project_member.role"

    project_id: str
    user_id: str
    role: str

    async def run(self, session: Session) -> Done:
        return await members.set_project_role(
            session, project_id=self.project_id, user_id=self.user_id, role=self.role
        )


@dataclass(frozen=True, kw_only=True)
class RemoveProjectMember(Command[Done]):
    action_id: ClassVar[str] = "project_member.remove"

    project_id: str
    user_id: str

    async def run(self, session: Session) -> Done:
        return await members.remove_project_member(
            session, project_id=self.project_id, user_id=self.user_id
        )


@dataclass(frozen=True, kw_only=True)
class ChangeMatrix(Command[Done]):
    action_id: ClassVar[str] = "matrix.change"

    project_id: str
    user_id: str
    role: str

    async def run(self, session: Session) -> Done:
        return await members.change_matrix(
            session, project_id=self.project_id, user_id=self.user_id, role=self.role
        )


@dataclass(frozen=True, kw_only=True)
class RemoveMatrix(Command[Done]):
    action_id: ClassVar[str] = "matrix.remove"

    project_id: str
    user_id: str

    async def run(self, session: Session) -> Done:
        return await members.remove_matrix(
            session, project_id=self.project_id, user_id=self.user_id
        )


@dataclass(frozen=True, kw_only=True)
class CreateInvites(Command[InviteReport]):
    action_id: ClassVar[str] = "invite.create"

    emails: str | Sequence[str]
    role: str = "reader"
    projects: Sequence[Mapping[str, str]] | None = None

    async def run(self, session: Session) -> InviteReport:
        return await invites.create_invites(
            session, emails=self.emails, role=self.role, projects=self.projects
        )


@dataclass(frozen=True, kw_only=True)
class DeleteInvite(Command[Done]):
    action_id: ClassVar[str] = "invite.delete"

    invite_id: str

    async def run(self, session: Session) -> Done:
        return await invites.delete_invite(session, invite_id=self.invite_id)


@dataclass(frozen=True, kw_only=True)
class ChangeInviteRole(Command[Done]):
    action_id: ClassVar[str] = "invite.role"

    invite_id: str
    role: str

    async def run(self, session: Session) -> Done:
        return await invites.change_invite_role(session, invite_id=self.invite_id, role=self.role)


@dataclass(frozen=True, kw_only=True)
class CreateGroup(Command[Done]):
    action_id: ClassVar[str] = "group.create"

    name: str

    async def run(self, session: Session) -> Done:
        return await groups.create_group(session, name=self.name)


@dataclass(frozen=True, kw_only=True)
class RenameGroup(Command[Done]):
    action_id: ClassVar[str] = "group.rename"

    group_id: str
    name: str

    async def run(self, session: Session) -> Done:
        return await groups.rename_group(session, group_id=self.group_id, name=self.name)


@dataclass(frozen=True, kw_only=True)
class DeleteGroup(Command[Done]):
    action_id: ClassVar[str] = "group.delete"

    group_id: str
    name: str | None = None

    async def run(self, session: Session) -> Done:
        return await groups.delete_group(session, group_id=self.group_id, name=self.name)


@dataclass(frozen=True, kw_only=True)
class AddGroupMember(Command[Done]):
    action_id: ClassVar[str] = "group.add_member"

    group_id: str
    user_id: str
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await groups.add_member(
            session, group_id=self.group_id, user_id=self.user_id, label=self.label
        )


@dataclass(frozen=True, kw_only=True)
class RemoveGroupMember(Command[Done]):
    action_id: ClassVar[str] = "group_member.remove"

    group_id: str
    user_id: str
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await groups.remove_member(
            session, group_id=self.group_id, user_id=self.user_id, label=self.label
        )


@dataclass(frozen=True, kw_only=True)
class GrantGroupRole(Command[Done]):
    action_id: ClassVar[str] = "group.grant_role"

    group_id: str
    role_id: str
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await groups.grant_role(
            session, group_id=self.group_id, role_id=self.role_id, label=self.label
        )


@dataclass(frozen=True, kw_only=True)
class RevokeGroupRole(Command[Done]):
    action_id: ClassVar[str] = "group.revoke_role"

    group_id: str
    role_id: str
    label: str | None = None

    async def run(self, session: Session) -> Done:
        return await groups.revoke_role(
            session, group_id=self.group_id, role_id=self.role_id, label=self.label
        )
