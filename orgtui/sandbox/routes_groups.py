"""Groups, their members, and organisation-level role assignments of groups and users."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import rbac_data as rb
from orgtui.sandbox import render
from orgtui.sandbox.audit import record
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import field_str, json_body, ok, sandbox_of

MEMBER_ADDED = "tenant.group.member.added"
MEMBER_REMOVED = "tenant.group.member.removed"


def _name(body: dict[str, Any]) -> str:
    name = field_str(body, "name", required=True, non_empty=True, max_len=255)
    assert name is not None
    return name


def assignment_event(
    store: Store,
    actor: Any,
    created: bool,
    role_id: str,
    ptype: str,
    pid_: str,
    project: dict[str, Any] | None = None,
) -> None:
    record(
        store,
        actor,
        "role.assignment.created" if created else "role.assignment.deleted",
        role_id,
        {
            "id": f"{ptype}:{pid_}:{role_id}",
            "principal_id": pid_,
            "principal_type": ptype,
            "resource_id": project["id"] if project else store.org_name(),
            "resource_type": rb.PROJECT if project else rb.ORG,
        },
        project=project,
    )


# -- groups -------------------------------------------------------------------------------------


async def list_groups(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    rows = store.query("SELECT * FROM groups ORDER BY seq")
    items = [(r["id"], rb.group(r)) for r in rows]
    return ok(rb.next_page(request, items, default_limit=100, maximum=1000))


async def create_group(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    name = _name(await json_body(request))
    gid = store.new_id("group_", 24)
    with store.tx():
        store.execute(
            "INSERT INTO groups (id, name, created_at) VALUES (?,?,?)", (gid, name, store.now())
        )
        record(store, actor, "group.created", gid, {"id": gid, "data": {"group_name": name}})
    return ok(rb.group(rb.require_group(store, gid)))


async def get_group(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    return ok(rb.group(rb.require_group(store, request.path_params["group_id"])))


async def update_group(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    gid = request.path_params["group_id"]
    name = _name(await json_body(request))
    rb.require_group(store, gid)
    with store.tx():
        store.execute("UPDATE groups SET name = ? WHERE id = ?", (name, gid))
        details = {"id": gid, "changes_requested": {"group_name": name}}
        record(store, actor, "group.updated", gid, details)
    return ok(rb.group(rb.require_group(store, gid), with_type=False))


async def delete_group(request: Request) -> JSONResponse:
    """A deleted group takes its members, its role assignments and its project access along."""
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    gid = request.path_params["group_id"]
    rb.require_group(store, gid)
    with store.tx():
        store.execute("DELETE FROM group_users WHERE group_id = ?", (gid,))
        store.execute(
            "DELETE FROM role_assignments WHERE principal_type = 'group' AND principal_id = ?",
            (gid,),
        )
        store.execute("DELETE FROM project_groups WHERE group_id = ?", (gid,))
        store.execute("DELETE FROM groups WHERE id = ?", (gid,))
        record(store, actor, "group.deleted", gid, {"id": gid})
    return ok({"object": "group.deleted", "id": gid, "deleted": True})


# -- group members ------------------------------------------------------------------------------


def _member_row(store: Store, gid: str, uid: str) -> dict[str, Any]:
    row = store.one(
        "SELECT u.* FROM group_users g JOIN users u ON u.id = g.user_id"
        " WHERE g.group_id = ? AND g.user_id = ? AND u.deleted_at IS NULL",
        (gid, uid),
    )
    if row is None:
        raise ApiProblem(
            404, f"No user '{uid}' in group '{gid}'.", param="user_id", code="not_found"
        )
    return row


async def list_group_users(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    gid = request.path_params["group_id"]
    rb.require_group(store, gid)
    rows = store.query(
        "SELECT u.id, u.name, u.email FROM group_users g JOIN users u ON u.id = g.user_id"
        " WHERE g.group_id = ? AND u.deleted_at IS NULL ORDER BY g.seq",
        (gid,),
    )
    items = [(r["id"], {"id": r["id"], "name": r["name"] or "", "email": r["email"]}) for r in rows]
    page = rb.next_page(request, items, default_limit=100, maximum=1000, default_order="desc")
    return ok(page)


async def add_group_user(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    gid = request.path_params["group_id"]
    body = await json_body(request)
    uid = field_str(body, "user_id", required=True, non_empty=True)
    assert uid is not None
    rb.require_group(store, gid)
    if store.get_user(uid) is None:
        raise bad_request(
            f"User '{uid[:80]}' is not a member of the organization.", "user_id", "user_not_in_org"
        )
    if store.scalar("SELECT 1 FROM group_users WHERE group_id = ? AND user_id = ?", (gid, uid)):
        raise bad_request(f"User '{uid}' is already in group '{gid}'.", "user_id", "already_member")
    with store.tx():
        store.execute(
            "INSERT INTO group_users (group_id, user_id, added_at) VALUES (?,?,?)",
            (gid, uid, store.now()),
        )
        record(store, actor, MEMBER_ADDED, uid, {"id": gid, "data": {"user_id": uid}})
    return ok({"object": "group.user", "user_id": uid, "group_id": gid})


async def get_group_user(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    gid, uid = request.path_params["group_id"], request.path_params["user_id"]
    rb.require_group(store, gid)
    r = _member_row(store, gid, uid)
    return ok(
        {
            "id": r["id"],
            "name": r["name"] or "",
            "email": r["email"],
            "picture": None,
            "is_service_account": False,
            "user_type": "user",
        }
    )


async def remove_group_user(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    gid, uid = request.path_params["group_id"], request.path_params["user_id"]
    rb.require_group(store, gid)
    _member_row(store, gid, uid)
    with store.tx():
        store.execute("DELETE FROM group_users WHERE group_id = ? AND user_id = ?", (gid, uid))
        record(store, actor, MEMBER_REMOVED, uid, {"id": gid, "data": {"user_id": uid}})
    return ok({"object": "group.user.deleted", "deleted": True})


# -- organisation role assignments of groups ------------------------------------------------


def _assigned_or_404(items: list[dict[str, Any]], rid: str, who: str) -> dict[str, Any]:
    for item in items:
        if item["id"] == rid:
            return item
    raise ApiProblem(
        404, f"Role '{rid}' is not assigned to {who}.", param="role_id", code="not_found"
    )


def group_roles(store: Store, gid: str, project_id: str | None) -> list[dict[str, Any]]:
    rtype = rb.PROJECT if project_id else rb.ORG
    return [
        rb.assigned(role, [("group", gid)])
        for role, _ in rb.principal_roles(store, "group", gid, rtype, project_id)
    ]


async def list_group_roles(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    gid = request.path_params["group_id"]
    rb.require_group(store, gid)
    items = [(r["id"], r) for r in group_roles(store, gid, None)]
    return ok(rb.next_page(request, items, default_limit=100, maximum=1000))


async def assign_group_role(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    gid = request.path_params["group_id"]
    body = await json_body(request)
    rid = field_str(body, "role_id", required=True, non_empty=True)
    assert rid is not None
    grp = rb.require_group(store, gid)
    role = rb.require_role(store, rid, rb.ORG, None)
    with store.tx():
        added = store.execute(
            "INSERT OR IGNORE INTO role_assignments (role_id, principal_type, principal_id,"
            " project_id, created_at) VALUES (?, 'group', ?, '', ?)",
            (rid, gid, store.now()),
        )
        if added:
            assignment_event(store, actor, True, rid, "group", gid)
    return ok(
        {"object": "group.role", "group": rb.group_summary(grp), "role": rb.public_role(role)}
    )


async def get_group_role(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    gid, rid = request.path_params["group_id"], request.path_params["role_id"]
    rb.require_group(store, gid)
    return ok(_assigned_or_404(group_roles(store, gid, None), rid, f"group '{gid}'"))


async def unassign_group_role(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    gid, rid = request.path_params["group_id"], request.path_params["role_id"]
    rb.require_group(store, gid)
    _assigned_or_404(group_roles(store, gid, None), rid, f"group '{gid}'")
    with store.tx():
        store.execute(
            "DELETE FROM role_assignments WHERE role_id = ? AND principal_type = 'group' AND"
            " principal_id = ? AND project_id = ''",
            (rid, gid),
        )
        assignment_event(store, actor, False, rid, "group", gid)
    return ok({"object": "group.role.deleted", "deleted": True})


# -- organisation role assignments of users -------------------------------------------------


async def list_user_roles(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    user = rb.require_member(store, request.path_params["user_id"])
    items = [(r["id"], r) for r in rb.effective_user_roles(store, user, None)]
    return ok(rb.next_page(request, items, default_limit=100, maximum=1000))


async def assign_user_role(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    uid = request.path_params["user_id"]
    body = await json_body(request)
    rid = field_str(body, "role_id", required=True, non_empty=True)
    assert rid is not None
    user = rb.require_member(store, uid)
    role = rb.require_role(store, rid, rb.ORG, None)
    with store.tx():
        if role["predefined_role"]:
            # the fixed org role (owner | reader) is the predefined assignment
            changed = user["role"] != role["name"]
            if changed and role["name"] == "reader" and _last_owner(store, uid):
                raise bad_request(
                    "The organization must keep at least one owner.", "role_id", "last_owner"
                )
            store.execute("UPDATE users SET role = ? WHERE id = ?", (role["name"], uid))
        else:
            changed = bool(
                store.execute(
                    "INSERT OR IGNORE INTO role_assignments (role_id, principal_type,"
                    " principal_id, project_id, created_at) VALUES (?, 'user', ?, '', ?)",
                    (rid, uid, store.now()),
                )
            )
        if changed:
            assignment_event(store, actor, True, rid, "user", uid)
    fresh = rb.require_member(store, uid)
    return ok(
        {
            "object": "user.role",
            "user": render.user(fresh),
            "role": rb.public_role(role),
        }
    )


def _last_owner(store: Store, uid: str) -> bool:
    others = store.scalar(
        "SELECT count(*) FROM users WHERE role = 'owner' AND deleted_at IS NULL AND id != ?",
        (uid,),
    )
    return int(others) == 0


async def get_user_role(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    uid, rid = request.path_params["user_id"], request.path_params["role_id"]
    user = rb.require_member(store, uid)
    return ok(_assigned_or_404(rb.effective_user_roles(store, user, None), rid, f"user '{uid}'"))


async def unassign_user_role(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    uid, rid = request.path_params["user_id"], request.path_params["role_id"]
    rb.require_member(store, uid)
    direct = store.scalar(
        "SELECT 1 FROM role_assignments WHERE role_id = ? AND principal_type = 'user' AND"
        " principal_id = ? AND project_id = ''",
        (rid, uid),
    )
    if rid in rb.PREDEFINED and rb.PREDEFINED[rid]["resource_type"] == rb.ORG:
        raise bad_request(
            "Every member holds one predefined organization role; assign the other one instead.",
            "role_id",
            "predefined_role",
        )
    if not direct:
        raise ApiProblem(
            404, f"Role '{rid}' is not assigned to user '{uid}'.", param="role_id", code="not_found"
        )
    with store.tx():
        store.execute(
            "DELETE FROM role_assignments WHERE role_id = ? AND principal_type = 'user' AND"
            " principal_id = ? AND project_id = ''",
            (rid, uid),
        )
        assignment_event(store, actor, False, rid, "user", uid)
    return ok({"object": "user.role.deleted", "deleted": True})


G = "/organization/groups"
GID = G + "/{group_id}"
UR = "/organization/users/{user_id}/roles"
routes = [
    Route(G, list_groups, methods=["GET"]),
    Route(G, create_group, methods=["POST"]),
    Route(GID, get_group, methods=["GET"]),
    Route(GID, update_group, methods=["POST"]),
    Route(GID, delete_group, methods=["DELETE"]),
    Route(GID + "/users", list_group_users, methods=["GET"]),
    Route(GID + "/users", add_group_user, methods=["POST"]),
    Route(GID + "/users/{user_id}", get_group_user, methods=["GET"]),
    Route(GID + "/users/{user_id}", remove_group_user, methods=["DELETE"]),
    Route(GID + "/roles", list_group_roles, methods=["GET"]),
    Route(GID + "/roles", assign_group_role, methods=["POST"]),
    Route(GID + "/roles/{role_id}", get_group_role, methods=["GET"]),
    Route(GID + "/roles/{role_id}", unassign_group_role, methods=["DELETE"]),
    Route(UR, list_user_roles, methods=["GET"]),
    Route(UR, assign_user_role, methods=["POST"]),
    Route(UR + "/{role_id}", get_user_role, methods=["GET"]),
    Route(UR + "/{role_id}", unassign_user_role, methods=["DELETE"]),
]
