"""The RBAC operations (groups, roles, role assignments, project groups): their models for the
example test and the client calls for the request-matches-spec test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orgtui.api import models as M
from orgtui.api import models_rbac as R
from orgtui.api.client import AdminClient

Call = Callable[[AdminClient], Any]


async def _all(it: Any) -> list[Any]:
    return [x async for x in it]


_G = "/organization/groups/{group_id}"
_PG = "/organization/projects/{project_id}/groups"
_PR = "/projects/{project_id}/roles"
_PU = "/projects/{project_id}/users/{user_id}/roles"
_PGR = "/projects/{project_id}/groups/{group_id}/roles"

RBAC_MODELS: dict[tuple[str, str], Any] = {
    ("get", "/organization/groups"): R.NextPage[R.Group],
    ("post", "/organization/groups"): R.Group,
    ("get", _G): R.Group,
    ("post", _G): R.Group,
    ("delete", _G): M.DeletedObject,
    ("get", _G + "/users"): R.NextPage[R.GroupMember],
    ("post", _G + "/users"): R.GroupUserAssignment,
    ("get", _G + "/users/{user_id}"): R.GroupMember,
    ("delete", _G + "/users/{user_id}"): M.DeletedObject,
    ("get", _G + "/roles"): R.NextPage[R.AssignedRole],
    ("post", _G + "/roles"): R.GroupRoleAssignment,
    ("get", _G + "/roles/{role_id}"): R.AssignedRole,
    ("delete", _G + "/roles/{role_id}"): M.DeletedObject,
    ("get", "/organization/users/{user_id}/roles"): R.NextPage[R.AssignedRole],
    ("post", "/organization/users/{user_id}/roles"): R.UserRoleAssignment,
    ("get", "/organization/users/{user_id}/roles/{role_id}"): R.AssignedRole,
    ("delete", "/organization/users/{user_id}/roles/{role_id}"): M.DeletedObject,
    ("get", "/organization/roles"): R.NextPage[R.Role],
    ("post", "/organization/roles"): R.Role,
    ("get", "/organization/roles/{role_id}"): R.Role,
    ("post", "/organization/roles/{role_id}"): R.Role,
    ("delete", "/organization/roles/{role_id}"): M.DeletedObject,
    ("get", _PG): R.NextPage[R.ProjectGroup],
    ("post", _PG): R.ProjectGroup,
    ("get", _PG + "/{group_id}"): R.ProjectGroup,
    ("delete", _PG + "/{group_id}"): M.DeletedObject,
    ("get", _PR): R.NextPage[R.Role],
    ("post", _PR): R.Role,
    ("get", _PR + "/{role_id}"): R.Role,
    ("post", _PR + "/{role_id}"): R.Role,
    ("delete", _PR + "/{role_id}"): M.DeletedObject,
    ("get", _PU): R.NextPage[R.AssignedRole],
    ("post", _PU): R.UserRoleAssignment,
    ("get", _PU + "/{role_id}"): R.AssignedRole,
    ("delete", _PU + "/{role_id}"): M.DeletedObject,
    ("get", _PGR): R.NextPage[R.AssignedRole],
    ("post", _PGR): R.GroupRoleAssignment,
    ("get", _PGR + "/{role_id}"): R.AssignedRole,
    ("delete", _PGR + "/{role_id}"): M.DeletedObject,
}

_PERMS = ["api.groups.read", "api.groups.write"]

RBAC_CALLS: list[tuple[str, Call, type]] = [
    ("iter_groups", lambda c: _all(c.iter_groups(order="desc")), R.Group),
    ("create_group", lambda c: c.create_group("Support"), R.Group),
    ("get_group", lambda c: c.get_group("group_1"), R.Group),
    ("update_group", lambda c: c.update_group("group_1", "Escalations"), R.Group),
    ("delete_group", lambda c: c.delete_group("group_1"), M.DeletedObject),
    ("iter_group_users", lambda c: _all(c.iter_group_users("group_1")), R.GroupMember),
    ("add_group_user", lambda c: c.add_group_user("group_1", "user_1"), R.GroupUserAssignment),
    ("get_group_user", lambda c: c.get_group_user("group_1", "user_1"), R.GroupMember),
    ("remove_group_user", lambda c: c.remove_group_user("group_1", "user_1"), M.DeletedObject),
    ("iter_group_roles", lambda c: _all(c.iter_group_roles("group_1")), R.AssignedRole),
    (
        "assign_group_role",
        lambda c: c.assign_group_role("group_1", "role_1"),
        R.GroupRoleAssignment,
    ),
    ("get_group_role", lambda c: c.get_group_role("group_1", "role_1"), R.AssignedRole),
    ("unassign_group_role", lambda c: c.unassign_group_role("group_1", "role_1"), M.DeletedObject),
    ("iter_user_roles", lambda c: _all(c.iter_user_roles("user_1", order="asc")), R.AssignedRole),
    ("assign_user_role", lambda c: c.assign_user_role("user_1", "role_1"), R.UserRoleAssignment),
    ("get_user_role", lambda c: c.get_user_role("user_1", "role_1"), R.AssignedRole),
    ("unassign_user_role", lambda c: c.unassign_user_role("user_1", "role_1"), M.DeletedObject),
    ("iter_roles", lambda c: _all(c.iter_roles()), R.Role),
    ("create_role", lambda c: c.create_role("Group manager", _PERMS, "manages groups"), R.Role),
    ("get_role", lambda c: c.get_role("role_1"), R.Role),
    (
        "update_role",
        lambda c: c.update_role("role_1", name="n", permissions=_PERMS, description="d"),
        R.Role,
    ),
    ("delete_role", lambda c: c.delete_role("role_1"), M.DeletedObject),
    ("iter_project_groups", lambda c: _all(c.iter_project_groups("proj_1")), R.ProjectGroup),
    (
        "add_project_group",
        lambda c: c.add_project_group("proj_1", "group_1", "role_1"),
        R.ProjectGroup,
    ),
    (
        "get_project_group",
        lambda c: c.get_project_group("proj_1", "group_1", group_type="group"),
        R.ProjectGroup,
    ),
    (
        "remove_project_group",
        lambda c: c.remove_project_group("proj_1", "group_1"),
        M.DeletedObject,
    ),
    ("iter_project_roles", lambda c: _all(c.iter_project_roles("proj_1")), R.Role),
    ("create_project_role", lambda c: c.create_project_role("proj_1", "Keys", _PERMS), R.Role),
    ("get_project_role", lambda c: c.get_project_role("proj_1", "role_1"), R.Role),
    (
        "update_project_role",
        lambda c: c.update_project_role("proj_1", "role_1", permissions=[]),
        R.Role,
    ),
    ("delete_project_role", lambda c: c.delete_project_role("proj_1", "role_1"), M.DeletedObject),
    (
        "iter_project_user_roles",
        lambda c: _all(c.iter_project_user_roles("proj_1", "user_1")),
        R.AssignedRole,
    ),
    (
        "assign_project_user_role",
        lambda c: c.assign_project_user_role("proj_1", "user_1", "role_1"),
        R.UserRoleAssignment,
    ),
    (
        "get_project_user_role",
        lambda c: c.get_project_user_role("proj_1", "user_1", "role_1"),
        R.AssignedRole,
    ),
    (
        "unassign_project_user_role",
        lambda c: c.unassign_project_user_role("proj_1", "user_1", "role_1"),
        M.DeletedObject,
    ),
    (
        "iter_project_group_roles",
        lambda c: _all(c.iter_project_group_roles("proj_1", "group_1")),
        R.AssignedRole,
    ),
    (
        "assign_project_group_role",
        lambda c: c.assign_project_group_role("proj_1", "group_1", "role_1"),
        R.GroupRoleAssignment,
    ),
    (
        "get_project_group_role",
        lambda c: c.get_project_group_role("proj_1", "group_1", "role_1"),
        R.AssignedRole,
    ),
    (
        "unassign_project_group_role",
        lambda c: c.unassign_project_group_role("proj_1", "group_1", "role_1"),
        M.DeletedObject,
    ),
]
