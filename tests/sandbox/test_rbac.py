"""RBAC in the sandbox: predefined roles, the permission vocabulary, groups and their
assignments, effective access (direct + via groups), 404s, audit events, strict bodies."""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox.conftest import assert_error, project_id, user_id

G = "/organization/groups"
PERMS = ["api.groups.read", "api.groups.write"]
KEY_PERMS = ["api.organization.projects.api_keys.read", "api.organization.projects.api_keys.write"]


async def _post(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = await client.post(path, json=body)
    assert r.status_code == 200, r.text
    return r.json()


async def _all_next(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    after = None
    while True:
        q = {**params, **({"after": after} if after else {})}
        body = (await client.get(path, params=q)).json()
        items += body["data"]
        if not body["has_more"]:
            assert body["next"] is None
            return items
        after = body["next"]


async def test_predefined_roles_are_present_and_read_only(client: httpx.AsyncClient, sb) -> None:
    org = await _all_next(client, "/organization/roles")
    assert {(r["name"], r["predefined_role"]) for r in org} >= {("owner", True), ("reader", True)}
    assert {r["resource_type"] for r in org} == {"api.organization"}
    pid = project_id(sb, "search-prod")
    proj = await _all_next(client, f"/projects/{pid}/roles")
    assert {r["name"] for r in proj if r["predefined_role"]} == {"owner", "member"}
    owner = next(r for r in org if r["name"] == "owner")
    r = await client.post(f"/organization/roles/{owner['id']}", json={"description": "mine"})
    assert_error(r, 400, "predefined")
    assert_error(await client.delete(f"/organization/roles/{owner['id']}"), 400, "predefined")


async def test_permissions_come_from_the_vocabulary(client: httpx.AsyncClient, sb) -> None:
    bad = {"role_name": "x", "permissions": ["api.groups.read", "api.everything.admin"]}
    err = assert_error(
        await client.post("/organization/roles", json=bad), 400, "unknown permission"
    )
    assert err["param"] == "permissions"
    # a project permission is not an organisation permission
    wrong = {"role_name": "y", "permissions": KEY_PERMS}
    assert_error(await client.post("/organization/roles", json=wrong), 400, "unknown permission")
    role = await _post(client, "/organization/roles", {"role_name": "Groups", "permissions": PERMS})
    assert role["permissions"] == PERMS and role["predefined_role"] is False
    r = await client.post(f"/organization/roles/{role['id']}", json={"permissions": ["nope"]})
    assert_error(r, 400, "unknown permission")
    dup = {"role_name": "groups", "permissions": PERMS}
    assert_error(await client.post("/organization/roles", json=dup), 400, "already exists")


async def test_effective_access_is_direct_plus_groups(client: httpx.AsyncClient, sb) -> None:
    pid = project_id(sb, "search-prod")
    uid = user_id(sb, "Hedy")  # not a member of search-prod in the demo
    assert not sb.store.scalar(
        "SELECT 1 FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid)
    )
    grp = await _post(client, G, {"name": "Search team"})
    await _post(client, f"{G}/{grp['id']}/users", {"user_id": uid})
    role = await _post(client, "/organization/roles", {"role_name": "GM", "permissions": PERMS})
    await _post(client, f"{G}/{grp['id']}/roles", {"role_id": role["id"]})
    await _post(client, f"/organization/users/{uid}/roles", {"role_id": role["id"]})
    roles = await _all_next(client, f"/organization/users/{uid}/roles")
    gm = next(r for r in roles if r["id"] == role["id"])
    assert {(s["principal_type"], s["principal_id"]) for s in gm["assignment_sources"]} == {
        ("user", uid),
        ("group", grp["id"]),
    }
    assert any(r["predefined_role"] for r in roles)  # the fixed org role is there too
    # project access only through the group
    await _post(
        client,
        f"/organization/projects/{pid}/groups",
        {"group_id": grp["id"], "role": "role_project_owner"},
    )
    proj_roles = await _all_next(client, f"/projects/{pid}/users/{uid}/roles")
    assert [(r["name"], r["assignment_sources"]) for r in proj_roles] == [
        ("owner", [{"principal_id": grp["id"], "principal_type": "group"}])
    ]
    # deleting the group removes its members, assignments and project access
    assert (await client.delete(f"{G}/{grp['id']}")).json()["deleted"] is True
    assert await _all_next(client, f"/projects/{pid}/users/{uid}/roles") == []
    roles = await _all_next(client, f"/organization/users/{uid}/roles")
    gm = next(r for r in roles if r["id"] == role["id"])
    assert gm["assignment_sources"] == [{"principal_id": uid, "principal_type": "user"}]
    left = await _all_next(client, f"/organization/projects/{pid}/groups")
    assert [g["group_name"] for g in left] == ["Search team"]  # the demo's, not ours
    assert not sb.store.scalar("SELECT 1 FROM group_users WHERE group_id = ?", (grp["id"],))


async def test_deleting_a_role_unassigns_it(client: httpx.AsyncClient, sb) -> None:
    uid = user_id(sb, "Alan")
    role = await _post(client, "/organization/roles", {"role_name": "Tmp", "permissions": PERMS})
    await _post(client, f"/organization/users/{uid}/roles", {"role_id": role["id"]})
    await client.delete(f"/organization/roles/{role['id']}")
    roles = await _all_next(client, f"/organization/users/{uid}/roles")
    assert role["id"] not in {r["id"] for r in roles}
    assert_error(await client.get(f"/organization/roles/{role['id']}"), 404)


async def test_unknown_ids_are_404(client: httpx.AsyncClient, sb) -> None:
    pid = project_id(sb, "search-prod")
    uid = user_id(sb, "Alan")
    grp = await _post(client, G, {"name": "Empty"})
    gid = grp["id"]
    for method, path, body in [
        ("GET", f"{G}/group_nope", None),
        ("POST", f"{G}/group_nope", {"name": "x"}),
        ("DELETE", f"{G}/group_nope", None),
        ("GET", f"{G}/group_nope/users", None),
        ("GET", f"{G}/{gid}/users/{uid}", None),
        ("DELETE", f"{G}/{gid}/users/{uid}", None),
        ("POST", f"{G}/{gid}/roles", {"role_id": "role_nope"}),
        ("GET", f"{G}/{gid}/roles/role_org_owner", None),
        ("DELETE", f"{G}/{gid}/roles/role_org_owner", None),
        ("GET", "/organization/users/user_nope/roles", None),
        ("POST", f"/organization/users/{uid}/roles", {"role_id": "role_nope"}),
        ("POST", f"/organization/users/{uid}/roles", {"role_id": "role_project_owner"}),
        ("DELETE", f"/organization/users/{uid}/roles/role_nope", None),
        ("GET", "/organization/roles/role_nope", None),
        ("GET", "/projects/proj_nope/roles", None),
        ("GET", f"/projects/{pid}/roles/role_org_owner", None),
        ("GET", f"/organization/projects/{pid}/groups/{gid}", None),
        ("POST", f"/organization/projects/{pid}/groups", {"group_id": "g_x", "role": "role_x"}),
        ("DELETE", f"/organization/projects/{pid}/groups/{gid}", None),
        ("GET", f"/projects/{pid}/users/user_nope/roles", None),
        ("GET", f"/projects/{pid}/groups/group_nope/roles", None),
        ("DELETE", f"/projects/{pid}/groups/{gid}/roles/role_project_owner", None),
        ("DELETE", f"/projects/{pid}/users/{uid}/roles/role_project_owner", None),
    ]:
        r = await client.request(method, path, json=body)
        assert r.status_code == 404, (method, path, r.text)


async def test_every_rbac_mutation_is_audited(client: httpx.AsyncClient, sb) -> None:
    pid = project_id(sb, "search-prod")
    uid = user_id(sb, "Alan")
    seen: list[str] = []

    async def step(method: str, path: str, body: Any, event: str) -> dict[str, Any]:
        before = sb.store.counts()["audit_logs"]
        r = await client.request(method, path, json=body)
        assert r.status_code == 200, (path, r.text)
        params: dict[str, Any] = {"limit": 1}
        if event.startswith("tenant."):
            params["tenant_only"] = "true"
        entry = (await client.get("/organization/audit_logs", params=params)).json()["data"][0]
        assert entry["type"] == event, (path, entry["type"])
        assert sb.store.counts()["audit_logs"] > before
        seen.append(event)
        return r.json()

    gid = (await step("POST", G, {"name": "Audited"}, "group.created"))["id"]
    await step("POST", f"{G}/{gid}", {"name": "Audited 2"}, "group.updated")
    await step("POST", f"{G}/{gid}/users", {"user_id": uid}, "tenant.group.member.added")
    rid = (
        await step(
            "POST", "/organization/roles", {"role_name": "A", "permissions": PERMS}, "role.created"
        )
    )["id"]
    await step("POST", f"/organization/roles/{rid}", {"description": "d"}, "role.updated")
    await step("POST", f"{G}/{gid}/roles", {"role_id": rid}, "role.assignment.created")
    await step("DELETE", f"{G}/{gid}/roles/{rid}", None, "role.assignment.deleted")
    await step(
        "POST", f"/organization/users/{uid}/roles", {"role_id": rid}, "role.assignment.created"
    )
    await step("DELETE", f"/organization/users/{uid}/roles/{rid}", None, "role.assignment.deleted")
    prid = (
        await step(
            "POST",
            f"/projects/{pid}/roles",
            {"role_name": "K", "permissions": KEY_PERMS},
            "role.created",
        )
    )["id"]
    await step("POST", f"/projects/{pid}/roles/{prid}", {"role_name": "K2"}, "role.updated")
    pg = f"/organization/projects/{pid}/groups"
    await step("POST", pg, {"group_id": gid, "role": prid}, "role.assignment.created")
    await step(
        "POST",
        f"/projects/{pid}/groups/{gid}/roles",
        {"role_id": "role_project_member"},
        "role.assignment.created",
    )
    await step(
        "DELETE",
        f"/projects/{pid}/groups/{gid}/roles/role_project_member",
        None,
        "role.assignment.deleted",
    )
    await step(
        "POST", f"/projects/{pid}/users/{uid}/roles", {"role_id": prid}, "role.assignment.created"
    )
    await step(
        "DELETE", f"/projects/{pid}/users/{uid}/roles/{prid}", None, "role.assignment.deleted"
    )
    await step("DELETE", f"{pg}/{gid}", None, "role.assignment.deleted")
    await step("DELETE", f"/projects/{pid}/roles/{prid}", None, "role.deleted")
    await step("DELETE", f"{G}/{gid}/users/{uid}", None, "tenant.group.member.removed")
    await step("DELETE", f"/organization/roles/{rid}", None, "role.deleted")
    await step("DELETE", f"{G}/{gid}", None, "group.deleted")
    assert set(seen) == {
        "group.created",
        "group.updated",
        "group.deleted",
        "tenant.group.member.added",
        "tenant.group.member.removed",
        "role.created",
        "role.updated",
        "role.deleted",
        "role.assignment.created",
        "role.assignment.deleted",
    }


async def test_lists_page_by_next(client: httpx.AsyncClient) -> None:
    for i in range(5):
        await _post(client, G, {"name": f"g{i}"})
    first = (await client.get(G, params={"limit": 2})).json()
    assert first["has_more"] is True and first["next"] == first["data"][-1]["id"]
    every = await _all_next(client, G, limit=2)
    demo = ["Search team", "Support team", "Data team"]
    assert [g["name"] for g in every] == [*demo, *(f"g{i}" for i in range(5))]
    desc = await _all_next(client, G, limit=2, order="desc")
    assert [g["name"] for g in desc] == [g["name"] for g in reversed(every)]
    assert_error(await client.get(G, params={"after": "bogus"}), 400, "cursor")


async def test_unknown_body_fields_are_400_everywhere(client: httpx.AsyncClient, sb) -> None:
    pid = project_id(sb, "search-prod")
    for path, body in [
        (G, {"name": "x", "colour": "red"}),
        ("/organization/roles", {"role_name": "r", "permissions": [], "scope": "all"}),
        ("/organization/projects", {"name": "p", "owner": "me"}),
        (f"/organization/projects/{pid}/service_accounts", {"name": "s", "expires": 1}),
        ("/organization/invites", {"email": "a@b.example", "role": "reader", "note": "hi"}),
    ]:
        err = assert_error(await client.post(path, json=body), 400, "unrecognized request argument")
        assert err["param"] in body
    assert sb.store.scalar("SELECT count(*) FROM groups") == 3  # the demo's, no more


async def test_modify_user_takes_a_role_id(client: httpx.AsyncClient, sb) -> None:
    uid = user_id(sb, "Hedy")
    role = await _post(client, "/organization/roles", {"role_name": "R", "permissions": PERMS})
    await _post(client, f"/organization/users/{uid}", {"role_id": role["id"]})
    roles = {r["id"] for r in await _all_next(client, f"/organization/users/{uid}/roles")}
    assert role["id"] in roles
    user = await _post(client, f"/organization/users/{uid}", {"role_id": "role_org_owner"})
    assert user["role"] == "owner"
    r = await client.post(f"/organization/users/{uid}", json={"role_id": "role_nope"})
    assert_error(r, 404)
    r = await client.post(
        f"/organization/users/{uid}", json={"role": "reader", "role_id": "role_org_owner"}
    )
    assert_error(r, 400, "different roles")
