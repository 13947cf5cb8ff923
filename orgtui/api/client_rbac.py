"""Role-based access control: groups and their members, org and project roles, and the role
assignments of users and groups at org and project level (the spec's 39 RBAC operations).

Every list here pages with an opaque `next` cursor (style B). Project roles and their
assignments live under `/projects/{project_id}/...` (no `/organization` prefix), while project
groups are under `/organization/projects/{project_id}/groups`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, TypeVar

from orgtui.api.models import DeletedObject
from orgtui.api.models_rbac import (
    AssignedRole,
    Group,
    GroupMember,
    GroupRoleAssignment,
    GroupUserAssignment,
    NextPage,
    ProjectGroup,
    Role,
    UserRoleAssignment,
)
from orgtui.api.paging import iter_next_items
from orgtui.api.transport import ClientBase

M = TypeVar("M")

_G = "/organization/groups"
_GID = _G + "/{group_id}"
_R = "/organization/roles"
_U = "/organization/users/{user_id}/roles"
_PG = "/organization/projects/{project_id}/groups"
_PR = "/projects/{project_id}/roles"
_PU = "/projects/{project_id}/users/{user_id}/roles"
_PGR = "/projects/{project_id}/groups/{group_id}/roles"
ORDERS = ("asc", "desc")


def role_body(
    *,
    name: str | None = None,
    permissions: Sequence[str] | None = None,
    description: str | None = None,
    create: bool = False,
) -> dict[str, Any]:
    """The body of create-role / update-role (org and project share the schemas)."""
    if isinstance(permissions, str):
        raise TypeError("permissions must be a list of strings, not a string")
    body: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise ValueError("a role needs a name")
        body["role_name"] = name
    if permissions is not None:
        body["permissions"] = [str(p) for p in permissions]
    if description is not None:
        body["description"] = description
    if create and ("role_name" not in body or "permissions" not in body):
        raise ValueError("a new role needs a name and permissions")
    if not body:
        raise ValueError("nothing to update")
    return body


def _group_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("a group needs a name")
    if len(name) > 255:
        raise ValueError("a group name is at most 255 characters")
    return name


class RbacMixin(ClientBase):
    def _iter_next(
        self,
        model: type[M],
        template: str,
        *,
        path: Mapping[str, str] | None = None,
        limit: int = 100,
        order: str | None = None,
        params: Sequence[tuple[str, Any]] = (),
    ) -> AsyncIterator[M]:
        if order is not None and order not in ORDERS:
            raise ValueError("order must be asc or desc")
        page_model = NextPage[model]  # type: ignore[valid-type]

        async def fetch(after: str | None) -> NextPage[M]:
            query: list[tuple[str, Any]] = [*params, ("limit", int(limit))]
            if order is not None:
                query.append(("order", order))
            if after is not None:
                query.append(("after", after))
            return await self._call(page_model, "GET", template, path=path, params=query)

        return iter_next_items(fetch, path=template)

    # ------------------------------------------------------------ groups

    def iter_groups(self, order: str | None = None) -> AsyncIterator[Group]:
        return self._iter_next(Group, _G, order=order)

    async def create_group(self, name: str) -> Group:
        body = {"name": _group_name(name)}
        return await self._call(Group, "POST", _G, body=body, create=True)

    async def get_group(self, gid: str) -> Group:
        return await self._call(Group, "GET", _GID, path={"group_id": gid})

    async def update_group(self, gid: str, name: str) -> Group:
        body = {"name": _group_name(name)}
        return await self._call(Group, "POST", _GID, path={"group_id": gid}, body=body)

    async def delete_group(self, gid: str) -> DeletedObject:
        return await self._delete(_GID, {"group_id": gid}, "group.deleted")

    # ------------------------------------------------------------ group members

    def iter_group_users(self, gid: str, order: str | None = None) -> AsyncIterator[GroupMember]:
        return self._iter_next(GroupMember, _GID + "/users", path={"group_id": gid}, order=order)

    async def add_group_user(self, gid: str, uid: str) -> GroupUserAssignment:
        return await self._call(
            GroupUserAssignment,
            "POST",
            _GID + "/users",
            path={"group_id": gid},
            body={"user_id": uid},
        )

    async def get_group_user(self, gid: str, uid: str) -> GroupMember:
        path = {"group_id": gid, "user_id": uid}
        return await self._call(GroupMember, "GET", _GID + "/users/{user_id}", path=path)

    async def remove_group_user(self, gid: str, uid: str) -> DeletedObject:
        path = {"group_id": gid, "user_id": uid}
        return await self._delete(
            _GID + "/users/{user_id}", path, "group.user.deleted", with_id=False
        )

    # ------------------------------------------------------------ org roles

    def iter_roles(self, order: str | None = None) -> AsyncIterator[Role]:
        return self._iter_next(Role, _R, order=order)

    async def create_role(
        self, name: str, permissions: Sequence[str], description: str | None = None
    ) -> Role:
        body = role_body(name=name, permissions=permissions, description=description, create=True)
        return await self._call(Role, "POST", _R, body=body, create=True)

    async def get_role(self, rid: str) -> Role:
        return await self._call(Role, "GET", _R + "/{role_id}", path={"role_id": rid})

    async def update_role(
        self,
        rid: str,
        *,
        name: str | None = None,
        permissions: Sequence[str] | None = None,
        description: str | None = None,
    ) -> Role:
        body = role_body(name=name, permissions=permissions, description=description)
        return await self._call(Role, "POST", _R + "/{role_id}", path={"role_id": rid}, body=body)

    async def delete_role(self, rid: str) -> DeletedObject:
        return await self._delete(_R + "/{role_id}", {"role_id": rid}, "role.deleted")

    # ------------------------------------------------------------ org role assignments

    def iter_group_roles(self, gid: str, order: str | None = None) -> AsyncIterator[AssignedRole]:
        return self._iter_next(AssignedRole, _GID + "/roles", path={"group_id": gid}, order=order)

    async def assign_group_role(self, gid: str, rid: str) -> GroupRoleAssignment:
        return await self._call(
            GroupRoleAssignment,
            "POST",
            _GID + "/roles",
            path={"group_id": gid},
            body={"role_id": rid},
        )

    async def get_group_role(self, gid: str, rid: str) -> AssignedRole:
        path = {"group_id": gid, "role_id": rid}
        return await self._call(AssignedRole, "GET", _GID + "/roles/{role_id}", path=path)

    async def unassign_group_role(self, gid: str, rid: str) -> DeletedObject:
        path = {"group_id": gid, "role_id": rid}
        return await self._delete(
            _GID + "/roles/{role_id}", path, "group.role.deleted", with_id=False
        )

    def iter_user_roles(self, uid: str, order: str | None = None) -> AsyncIterator[AssignedRole]:
        return self._iter_next(AssignedRole, _U, path={"user_id": uid}, order=order)

    async def assign_user_role(self, uid: str, rid: str) -> UserRoleAssignment:
        return await self._call(
            UserRoleAssignment, "POST", _U, path={"user_id": uid}, body={"role_id": rid}
        )

    async def get_user_role(self, uid: str, rid: str) -> AssignedRole:
        path = {"user_id": uid, "role_id": rid}
        return await self._call(AssignedRole, "GET", _U + "/{role_id}", path=path)

    async def unassign_user_role(self, uid: str, rid: str) -> DeletedObject:
        path = {"user_id": uid, "role_id": rid}
        return await self._delete(_U + "/{role_id}", path, "user.role.deleted", with_id=False)

    # ------------------------------------------------------------ project groups

    def iter_project_groups(
        self, pid: str, order: str | None = None
    ) -> AsyncIterator[ProjectGroup]:
        # this list's limit is at most 100
        return self._iter_next(ProjectGroup, _PG, path={"project_id": pid}, order=order)

    async def add_project_group(self, pid: str, gid: str, role_id: str) -> ProjectGroup:
        """`role_id` is a project role's id (not a role name, unlike adding a user)."""
        return await self._call(
            ProjectGroup,
            "POST",
            _PG,
            path={"project_id": pid},
            body={"group_id": gid, "role": role_id},
        )

    async def get_project_group(
        self, pid: str, gid: str, group_type: str | None = None
    ) -> ProjectGroup:
        params: list[tuple[str, Any]] = []
        if group_type is not None:
            if group_type not in ("group", "tenant_group"):
                raise ValueError("group_type must be group or tenant_group")
            params.append(("group_type", group_type))
        path = {"project_id": pid, "group_id": gid}
        return await self._call(ProjectGroup, "GET", _PG + "/{group_id}", path=path, params=params)

    async def remove_project_group(self, pid: str, gid: str) -> DeletedObject:
        path = {"project_id": pid, "group_id": gid}
        return await self._delete(_PG + "/{group_id}", path, "project.group.deleted", with_id=False)

    # ------------------------------------------------------------ project roles

    def iter_project_roles(self, pid: str, order: str | None = None) -> AsyncIterator[Role]:
        return self._iter_next(Role, _PR, path={"project_id": pid}, order=order)

    async def create_project_role(
        self, pid: str, name: str, permissions: Sequence[str], description: str | None = None
    ) -> Role:
        body = role_body(name=name, permissions=permissions, description=description, create=True)
        return await self._call(Role, "POST", _PR, path={"project_id": pid}, body=body, create=True)

    async def get_project_role(self, pid: str, rid: str) -> Role:
        path = {"project_id": pid, "role_id": rid}
        return await self._call(Role, "GET", _PR + "/{role_id}", path=path)

    async def update_project_role(
        self,
        pid: str,
        rid: str,
        *,
        name: str | None = None,
        permissions: Sequence[str] | None = None,
        description: str | None = None,
    ) -> Role:
        body = role_body(name=name, permissions=permissions, description=description)
        path = {"project_id": pid, "role_id": rid}
        return await self._call(Role, "POST", _PR + "/{role_id}", path=path, body=body)

    async def delete_project_role(self, pid: str, rid: str) -> DeletedObject:
        path = {"project_id": pid, "role_id": rid}
        return await self._delete(_PR + "/{role_id}", path, "role.deleted")

    # ------------------------------------------------------------ project role assignments

    def iter_project_user_roles(
        self, pid: str, uid: str, order: str | None = None
    ) -> AsyncIterator[AssignedRole]:
        path = {"project_id": pid, "user_id": uid}
        return self._iter_next(AssignedRole, _PU, path=path, order=order)

    async def assign_project_user_role(self, pid: str, uid: str, rid: str) -> UserRoleAssignment:
        path = {"project_id": pid, "user_id": uid}
        return await self._call(UserRoleAssignment, "POST", _PU, path=path, body={"role_id": rid})

    async def get_project_user_role(self, pid: str, uid: str, rid: str) -> AssignedRole:
        path = {"project_id": pid, "user_id": uid, "role_id": rid}
        return await self._call(AssignedRole, "GET", _PU + "/{role_id}", path=path)

    async def unassign_project_user_role(self, pid: str, uid: str, rid: str) -> DeletedObject:
        path = {"project_id": pid, "user_id": uid, "role_id": rid}
        return await self._delete(_PU + "/{role_id}", path, "user.role.deleted", with_id=False)

    def iter_project_group_roles(
        self, pid: str, gid: str, order: str | None = None
    ) -> AsyncIterator[AssignedRole]:
        path = {"project_id": pid, "group_id": gid}
        return self._iter_next(AssignedRole, _PGR, path=path, order=order)

    async def assign_project_group_role(self, pid: str, gid: str, rid: str) -> GroupRoleAssignment:
        path = {"project_id": pid, "group_id": gid}
        return await self._call(GroupRoleAssignment, "POST", _PGR, path=path, body={"role_id": rid})

    async def get_project_group_role(self, pid: str, gid: str, rid: str) -> AssignedRole:
        path = {"project_id": pid, "group_id": gid, "role_id": rid}
        return await self._call(AssignedRole, "GET", _PGR + "/{role_id}", path=path)

    async def unassign_project_group_role(self, pid: str, gid: str, rid: str) -> DeletedObject:
        path = {"project_id": pid, "group_id": gid, "role_id": rid}
        return await self._delete(_PGR + "/{role_id}", path, "group.role.deleted", with_id=False)
