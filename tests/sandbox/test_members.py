"""Project users, organisation users and invites."""

from __future__ import annotations

import httpx

from orgtui.sandbox import Sandbox
from tests.sandbox.conftest import Clock, assert_error, get_all, project_id, user_id


async def test_project_user_lifecycle(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "support-bot-dev")
    uid = user_id(sb, "Donald")
    base = f"/organization/projects/{pid}/users"
    r = await client.post(base, json={"user_id": uid, "role": "member"})
    assert r.status_code == 200, r.text
    pu = r.json()
    assert pu["object"] == "organization.project.user" and pu["id"] == uid
    assert pu["role"] == "member" and pu["email"].startswith("donald.")
    assert_error(await client.post(base, json={"user_id": uid, "role": "member"}), 400, "already")
    r = await client.post(f"{base}/{uid}", json={"role": "owner"})
    assert r.json()["role"] == "owner"
    assert (await client.get(f"{base}/{uid}")).json()["role"] == "owner"
    r = await client.delete(f"{base}/{uid}")
    assert r.json() == {"object": "organization.project.user.deleted", "id": uid, "deleted": True}
    assert_error(await client.get(f"{base}/{uid}"), 404)
    # by email works too
    email = sb.store.scalar("SELECT email FROM users WHERE id = ?", (uid,))
    r = await client.post(base, json={"email": email, "role": "owner"})
    assert r.status_code == 200 and r.json()["id"] == uid


async def test_project_user_errors(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    base = f"/organization/projects/{pid}/users"
    assert_error(
        await client.post(base, json={"email": "stranger@else.example", "role": "member"}),
        400,
        "not a member of the organization",
    )
    assert_error(await client.post(base, json={"user_id": "user-nobody", "role": "member"}), 400)
    assert_error(
        await client.post(base, json={"user_id": user_id(sb, "Donald"), "role": "boss"}),
        400,
        "role",
    )
    assert_error(await client.post(base, json={"role": "member"}), 400)
    assert_error(await client.post(base, json={"user_id": user_id(sb, "Donald")}), 400, "role")


async def test_removing_project_user_makes_their_keys_inactive(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pid = project_id(sb, "search-dev")
    uid = user_id(sb, "Barbara")
    keys = await get_all(
        client, f"/organization/projects/{pid}/api_keys", owner_project_access="active"
    )
    mine = [k for k in keys if k["owner"].get("user", {}).get("id") == uid]
    assert mine
    await client.delete(f"/organization/projects/{pid}/users/{uid}")
    inactive = await get_all(
        client, f"/organization/projects/{pid}/api_keys", owner_project_access="inactive"
    )
    assert {k["id"] for k in mine} <= {k["id"] for k in inactive}


async def test_archived_project_refuses_user_ops(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "experiment-2025")
    uid = user_id(sb, "Hedy")
    base = f"/organization/projects/{pid}/users"
    assert_error(await client.get(base), 400, "archived")
    assert_error(await client.post(base, json={"user_id": uid, "role": "member"}), 400, "archived")
    assert_error(await client.get(f"{base}/{uid}"), 400, "archived")
    assert_error(await client.post(f"{base}/{uid}", json={"role": "owner"}), 400, "archived")
    assert_error(await client.delete(f"{base}/{uid}"), 400, "archived")


async def test_org_users_list_filter_modify_delete(client: httpx.AsyncClient, sb: Sandbox) -> None:
    users = await get_all(client, "/organization/users", limit=5)
    assert 20 <= len(users) <= 30
    assert sum(u["role"] == "owner" for u in users) >= 2
    assert {u["role"] for u in users} == {"owner", "reader"}
    ada = next(u for u in users if u["name"] == "Ada Lovelace")
    assert ada["object"] == "organization.user" and ada["projects"]["data"]
    emails = [users[3]["email"], users[5]["email"].upper()]
    for params in ({"emails[]": emails}, {"emails": emails}, {"emails": ",".join(emails)}):
        r = await client.get("/organization/users", params=params)
        assert {u["id"] for u in r.json()["data"]} == {users[3]["id"], users[5]["id"]}
    uid = users[4]["id"]
    r = await client.post(f"/organization/users/{uid}", json={"role": "owner"})
    assert r.json()["role"] == "owner"
    assert (await client.get(f"/organization/users/{uid}")).json()["role"] == "owner"
    assert_error(await client.post(f"/organization/users/{uid}", json={"role": "admin"}), 400)
    r = await client.delete(f"/organization/users/{uid}")
    assert r.json() == {"object": "organization.user.deleted", "id": uid, "deleted": True}
    assert_error(await client.get(f"/organization/users/{uid}"), 404)
    assert uid not in {u["id"] for u in await get_all(client, "/organization/users", limit=100)}


async def test_last_owner_is_kept(client: httpx.AsyncClient, sb: Sandbox) -> None:
    owners = [
        u for u in await get_all(client, "/organization/users", limit=100) if u["role"] == "owner"
    ]
    for u in owners[1:]:
        assert (
            await client.post(f"/organization/users/{u['id']}", json={"role": "reader"})
        ).status_code == 200
    last = owners[0]["id"]
    assert_error(
        await client.post(f"/organization/users/{last}", json={"role": "reader"}), 400, "owner"
    )
    assert_error(await client.delete(f"/organization/users/{last}"), 400, "owner")


async def test_invites(client: httpx.AsyncClient, sb: Sandbox, clock: Clock) -> None:
    invites = await get_all(client, "/organization/invites")
    assert {i["status"] for i in invites} == {"pending", "accepted", "expired"}
    pid = project_id(sb, "search-dev")
    r = await client.post(
        "/organization/invites",
        json={
            "email": "new.person@acme-robotics.example",
            "role": "reader",
            "projects": [{"id": pid, "role": "member"}],
        },
    )
    assert r.status_code == 200, r.text
    inv = r.json()
    assert inv["object"] == "organization.invite" and inv["id"].startswith("invite-")
    assert inv["status"] == "pending" and inv["projects"] == [{"id": pid, "role": "member"}]
    assert inv["expires_at"] > inv["created_at"] and inv["accepted_at"] is None
    assert (await client.get(f"/organization/invites/{inv['id']}")).json() == inv
    # Omitted projects: the default project; [] means none.
    r = await client.post(
        "/organization/invites", json={"email": "b@acme-robotics.example", "role": "owner"}
    )
    assert r.json()["projects"] == [{"id": project_id(sb, "Default project"), "role": "member"}]
    r = await client.post(
        "/organization/invites",
        json={"email": "c@acme-robotics.example", "role": "reader", "projects": []},
    )
    assert r.json()["projects"] == []
    r = await client.delete(f"/organization/invites/{inv['id']}")
    assert r.json() == {"object": "organization.invite.deleted", "id": inv["id"], "deleted": True}
    assert_error(await client.get(f"/organization/invites/{inv['id']}"), 404)
    # Pending invites expire after a week.
    clock.advance(8 * 86400)
    assert (await client.get(f"/organization/invites/{r.json()['id']}")).status_code == 404
    statuses = {i["email"]: i["status"] for i in await get_all(client, "/organization/invites")}
    assert statuses["b@acme-robotics.example"] == "expired"


async def test_invite_rules(client: httpx.AsyncClient, sb: Sandbox) -> None:
    member = sb.store.scalar("SELECT email FROM users WHERE name = 'Alan Turing'")
    assert_error(
        await client.post("/organization/invites", json={"email": member, "role": "reader"}),
        400,
        "already a member",
    )
    pending = next(
        i for i in await get_all(client, "/organization/invites") if i["status"] == "pending"
    )
    assert_error(
        await client.post(
            "/organization/invites", json={"email": pending["email"], "role": "reader"}
        ),
        400,
        "pending",
    )
    archived = project_id(sb, "experiment-2025")
    assert_error(
        await client.post(
            "/organization/invites",
            json={
                "email": "x@y.example",
                "role": "reader",
                "projects": [{"id": archived, "role": "member"}],
            },
        ),
        400,
        "archived",
    )
    assert_error(
        await client.post(
            "/organization/invites", json={"email": "not-an-email", "role": "reader"}
        ),
        400,
        "email",
    )
    assert_error(
        await client.post("/organization/invites", json={"email": "z@y.example", "role": "member"}),
        400,
        "role",
    )
    accepted = next(
        i for i in await get_all(client, "/organization/invites") if i["status"] == "accepted"
    )
    assert_error(await client.delete(f"/organization/invites/{accepted['id']}"), 400, "accepted")
    # An expired invite may be re-sent and deleted.
    expired = next(
        i for i in await get_all(client, "/organization/invites") if i["status"] == "expired"
    )
    r = await client.post(
        "/organization/invites", json={"email": expired["email"], "role": "reader"}
    )
    assert r.status_code == 200
    assert (await client.delete(f"/organization/invites/{expired['id']}")).status_code == 200


async def test_accepting_an_invite_makes_a_member(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-dev")
    r = await client.post(
        "/organization/invites",
        json={
            "email": "joiner@acme-robotics.example",
            "role": "reader",
            "projects": [{"id": pid, "role": "owner"}],
        },
    )
    user = sb.store.accept_invite(r.json()["id"])
    got = (await client.get(f"/organization/invites/{r.json()['id']}")).json()
    assert got["status"] == "accepted" and got["accepted_at"]
    pu = (await client.get(f"/organization/projects/{pid}/users/{user['id']}")).json()
    assert pu["role"] == "owner"
    assert_error(await client.delete(f"/organization/invites/{r.json()['id']}"), 400)
