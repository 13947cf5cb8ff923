"""Service accounts, project API keys and admin keys: secrets shown once, ownership rules."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from orgtui.sandbox import Sandbox
from tests.sandbox.conftest import Clock, assert_error, get_all, make_client, project_id


async def test_service_account_create_shows_the_key_once(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pid = project_id(sb, "search-prod")
    r = await client.post(
        f"/organization/projects/{pid}/service_accounts", json={"name": "ranking-service"}
    )
    assert r.status_code == 200, r.text
    sa = r.json()
    assert sa["object"] == "organization.project.service_account"
    assert sa["id"].startswith("svc_acct_") and sa["role"] == "member"
    key = sa["api_key"]
    assert key["object"] == "organization.project.service_account.api_key"
    assert key["value"].startswith("sk-svcacct-SANDBOX-FAKE-") and key["id"].startswith("key_")
    assert key["name"] == "Secret Key"
    # Later reads never carry the value.
    got = await client.get(f"/organization/projects/{pid}/service_accounts/{sa['id']}")
    assert "api_key" not in got.json() and key["value"] not in got.text
    listed = await client.get(f"/organization/projects/{pid}/api_keys", params={"limit": 100})
    assert key["value"] not in listed.text
    k = (await client.get(f"/organization/projects/{pid}/api_keys/{key['id']}")).json()
    assert k["redacted_value"] == "sk-svcacct..." + key["value"][-4:]
    assert k["owner"]["type"] == "service_account"
    assert k["owner"]["service_account"]["id"] == sa["id"]
    assert k["last_used_at"] is None
    # The store never holds the value.
    dump = "\n".join(sb.store.conn.iterdump())
    assert key["value"] not in dump


async def test_values_never_repeat(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-dev")
    values = set()
    for i in range(5):
        r = await client.post(
            f"/organization/projects/{pid}/service_accounts", json={"name": f"sa-{i}"}
        )
        values.add(r.json()["api_key"]["value"])
    assert len(values) == 5


async def test_service_account_only(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    r = await client.post(
        f"/organization/projects/{pid}/service_accounts",
        json={"name": "bot", "create_service_account_only": True},
    )
    assert r.json()["role"] == "none" and r.json()["api_key"] is None
    sid = r.json()["id"]
    r = await client.post(
        f"/organization/projects/{pid}/service_accounts/{sid}/api_keys",
        json={"name": "bot-key", "scopes": ["api.responses.write"]},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "organization.project.service_account.api_key"
    assert body["name"] == "bot-key" and body["value"].startswith("sk-svcacct-SANDBOX-FAKE-")
    k = (await client.get(f"/organization/projects/{pid}/api_keys/{body['id']}")).json()
    assert "value" not in k and k["name"] == "bot-key"


async def test_service_account_update_and_delete(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    base = f"/organization/projects/{pid}/service_accounts"
    sa = (await client.post(base, json={"name": "temp"})).json()
    r = await client.post(f"{base}/{sa['id']}", json={"name": "temp-2", "role": "owner"})
    assert r.json()["name"] == "temp-2" and r.json()["role"] == "owner"
    assert_error(await client.post(f"{base}/{sa['id']}", json={"role": "none"}), 400, "role")
    r = await client.delete(f"{base}/{sa['id']}")
    assert r.json() == {
        "object": "organization.project.service_account.deleted",
        "id": sa["id"],
        "deleted": True,
    }
    assert_error(await client.get(f"{base}/{sa['id']}"), 404)
    # Its key went with it.
    assert_error(
        await client.get(f"/organization/projects/{pid}/api_keys/{sa['api_key']['id']}"), 404
    )
    assert_error(await client.post(f"{base}/{sa['id']}/api_keys", json={}), 404)


async def test_archived_project_refuses_service_account_ops(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pid = project_id(sb, "experiment-2025")
    base = f"/organization/projects/{pid}/service_accounts"
    sid = sb.store.scalar("SELECT id FROM service_accounts WHERE project_id = ?", (pid,))
    assert_error(await client.get(base), 400, "archived")
    assert_error(await client.post(base, json={"name": "x"}), 400, "archived")
    assert_error(await client.get(f"{base}/{sid}"), 400, "archived")
    assert_error(await client.post(f"{base}/{sid}", json={"name": "y"}), 400, "archived")
    assert_error(await client.delete(f"{base}/{sid}"), 400, "archived")
    assert_error(await client.post(f"{base}/{sid}/api_keys", json={}), 400, "archived")


async def test_project_keys_list_filters_and_owners(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-dev")
    everything = await get_all(
        client, f"/organization/projects/{pid}/api_keys", limit=2, owner_project_access="any"
    )
    default = await get_all(client, f"/organization/projects/{pid}/api_keys")
    active = await get_all(
        client, f"/organization/projects/{pid}/api_keys", owner_project_access="active"
    )
    inactive = await get_all(
        client, f"/organization/projects/{pid}/api_keys", owner_project_access="inactive"
    )
    assert default == everything
    assert inactive and active
    assert {k["id"] for k in active} | {k["id"] for k in inactive} == {k["id"] for k in everything}
    assert {k["owner"]["type"] for k in everything} == {"user", "service_account"}
    user_key = next(k for k in everything if k["owner"]["type"] == "user")
    assert set(user_key["owner"]["user"]) == {"id", "email", "name", "created_at", "role"}
    assert_error(
        await client.get(
            f"/organization/projects/{pid}/api_keys", params={"owner_project_access": "some"}
        ),
        400,
    )


async def test_demo_keys_have_realistic_usage(client: httpx.AsyncClient, sb: Sandbox) -> None:
    now = sb.now()
    keys = []
    for p in await get_all(client, "/organization/projects"):
        keys += await get_all(client, f"/organization/projects/{p['id']}/api_keys")
    assert any(k["last_used_at"] is None for k in keys)
    assert any(k["last_used_at"] and now - k["last_used_at"] < 600 for k in keys)
    assert any(k["last_used_at"] and now - k["last_used_at"] > 60 * 86400 for k in keys)
    assert any(now - k["created_at"] > 90 * 86400 for k in keys)
    assert any(k["name"] == "production-search-service" for k in keys)


async def test_deleting_keys(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    keys = await get_all(client, f"/organization/projects/{pid}/api_keys")
    sa_key = next(k for k in keys if k["owner"]["type"] == "service_account")
    assert_error(
        await client.delete(f"/organization/projects/{pid}/api_keys/{sa_key['id']}"),
        400,
        "service account",
    )
    user_key = next(k for k in keys if k["owner"]["type"] == "user")
    r = await client.delete(f"/organization/projects/{pid}/api_keys/{user_key['id']}")
    assert r.json() == {
        "object": "organization.project.api_key.deleted",
        "id": user_key["id"],
        "deleted": True,
    }
    assert_error(await client.get(f"/organization/projects/{pid}/api_keys/{user_key['id']}"), 404)
    # A key id of another project is not found here.
    other = project_id(sb, "search-dev")
    assert_error(await client.get(f"/organization/projects/{other}/api_keys/{sa_key['id']}"), 404)


async def test_admin_keys(
    client: httpx.AsyncClient, sb: Sandbox, app: Starlette, clock: Clock
) -> None:
    keys = await get_all(client, "/organization/admin_api_keys")
    assert len(keys) == 2 and any(k["expires_at"] is None for k in keys)
    assert sb.admin_key_id in {k["id"] for k in keys}
    r = await client.post(
        "/organization/admin_api_keys", json={"name": "terraform", "expires_in_seconds": 3600}
    )
    assert r.status_code == 200, r.text
    created = r.json()
    assert created["object"] == "organization.admin_api_key"
    assert created["value"].startswith("sk-admin-SANDBOX-FAKE-")
    assert created["expires_at"] == created["created_at"] + 3600
    assert created["redacted_value"] == "sk-admin..." + created["value"][-4:]
    got = await client.get(f"/organization/admin_api_keys/{created['id']}")
    assert "value" not in got.json() and created["value"] not in got.text
    # The new key works, until it expires.
    async with make_client(app, {"Authorization": f"Bearer {created['value']}"}) as other:
        assert (await other.get("/organization/projects")).status_code == 200
        clock.advance(3601)
        assert_error(await other.get("/organization/projects"), 401, "expired")
    desc = (await client.get("/organization/admin_api_keys", params={"order": "desc"})).json()
    assert desc["data"][0]["id"] == created["id"]
    r = await client.delete(f"/organization/admin_api_keys/{created['id']}")
    assert r.json() == {
        "id": created["id"],
        "object": "organization.admin_api_key.deleted",
        "deleted": True,
    }
    assert_error(await client.get(f"/organization/admin_api_keys/{created['id']}"), 404)


async def test_admin_key_validation(client: httpx.AsyncClient) -> None:
    for bad in (
        {"name": "x", "expires_in_seconds": 0},
        {"name": "x", "expires_in_seconds": 31_536_001},
        {"name": "x", "expires_in_seconds": "soon"},
        {"expires_in_seconds": 60},
    ):
        assert_error(await client.post("/organization/admin_api_keys", json=bad), 400)
    r = await client.post(
        "/organization/admin_api_keys", json={"name": "year", "expires_in_seconds": 31_536_000}
    )
    assert r.status_code == 200 and r.json()["expires_at"] is not None
    r = await client.post("/organization/admin_api_keys", json={"name": "forever"})
    assert r.json()["expires_at"] is None


async def test_revoking_the_admin_key_in_use(client: httpx.AsyncClient, sb: Sandbox) -> None:
    assert (await client.get("/organization/projects")).status_code == 200
    sb.revoke_admin_key()
    assert_error(await client.get("/organization/projects"), 401, "incorrect api key")


async def test_deleting_own_admin_key_via_api(client: httpx.AsyncClient, sb: Sandbox) -> None:
    r = await client.delete(f"/organization/admin_api_keys/{sb.admin_key_id}")
    assert r.status_code == 200
    assert_error(await client.get("/organization/projects"), 401)


async def test_project_key_is_forbidden_on_admin_api(
    client: httpx.AsyncClient, sb: Sandbox, app: Starlette
) -> None:
    pid = project_id(sb, "search-prod")
    value = (
        await client.post(f"/organization/projects/{pid}/service_accounts", json={"name": "svc"})
    ).json()["api_key"]["value"]
    async with make_client(app, {"Authorization": f"Bearer {value}"}) as c:
        err = assert_error(await c.get("/organization/projects"), 403, "insufficient permissions")
        assert value not in err["message"]
