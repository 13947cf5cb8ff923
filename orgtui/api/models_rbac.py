"""Models of role-based access control: groups, roles, role assignments, project groups.

Field names are the spec's (`GroupResponse`, `Role`, `AssignedRoleDetails`, ...). These lists
page by an opaque `next` cursor (style B, `NextPage`), not by `first_id`/`last_id`. Where the
spec's own examples omit a field the schema requires (`group_type` on group lists,
`assignment_sources` on assignment lists), the field defaults.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from orgtui.api._base import ApiModel
from orgtui.api.models import User

__all__ = [
    "AssignedRole",
    "AssignmentSource",
    "Group",
    "GroupMember",
    "GroupRoleAssignment",
    "GroupSummary",
    "GroupUserAssignment",
    "NextPage",
    "ProjectGroup",
    "Role",
    "UserRoleAssignment",
]

T = TypeVar("T")


class NextPage(ApiModel, Generic[T]):
    """Style-B list envelope: `has_more` and an opaque `next` cursor passed back as `after`."""

    object: str = "list"
    data: list[T] = []
    has_more: bool
    next: str | None = None


class Group(ApiModel):
    """`GroupResponse` (create/retrieve/list) and `GroupResourceWithSuccess` (update)."""

    object: str | None = None  # the list and create examples carry "group"
    id: str
    name: str
    created_at: int
    is_scim_managed: bool = False
    group_type: str | None = None  # group | tenant_group


class GroupSummary(ApiModel):
    """`Group`: the group inside a role assignment (note `scim_managed`)."""

    object: str = "group"
    id: str
    name: str
    created_at: int
    scim_managed: bool = False


class GroupMember(ApiModel):
    """`GroupUser` (list-group-users) and `GroupMemberUser` (retrieve-group-user)."""

    id: str
    name: str | None = None
    email: str | None = None
    picture: str | None = None
    is_service_account: bool | None = None
    user_type: str | None = None  # user | tenant_user


class GroupUserAssignment(ApiModel):
    object: str = "group.user"
    user_id: str
    group_id: str


class Role(ApiModel):
    """A predefined or custom role; `resource_type` is `api.organization` or `api.project`."""

    object: str = "role"
    id: str
    name: str
    description: str | None = None
    permissions: list[str] = []
    resource_type: str
    predefined_role: bool = False


class AssignmentSource(ApiModel):
    principal_id: str
    principal_type: str  # user | group


class AssignedRole(ApiModel):
    """`AssignedRoleDetails`: a role as assigned to a user or group."""

    id: str
    name: str
    permissions: list[str] = []
    resource_type: str
    predefined_role: bool = False
    description: str | None = None
    created_at: int | None = None
    updated_at: int | None = None
    created_by: str | None = None
    created_by_user_obj: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    assignment_sources: list[AssignmentSource] | None = None


class GroupRoleAssignment(ApiModel):
    object: str = "group.role"
    group: GroupSummary
    role: Role


class UserRoleAssignment(ApiModel):
    object: str = "user.role"
    user: User
    role: Role


class ProjectGroup(ApiModel):
    object: str = "project.group"
    project_id: str
    group_id: str
    group_name: str
    group_type: str | None = None  # group | tenant_group
    created_at: int
