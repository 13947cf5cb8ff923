"""Audit logs: every mutation writes one, and every filter of the spec works."""

from __future__ import annotations

from typing import Any

import httpx

from orgtui.sandbox import Sandbox
from tests.sandbox.conftest import Clock, get_all, project_id, user_id

ALERT = {
    "threshold_amount": 500,
    "currency": "USD",
    "interval": "month",
    "notification_channel": {"type": "email", "recipients": ["a@b.example"]},
}
LIMIT = {"threshold_amount": 500, "currency": "USD", "interval": "month"}


async def latest(client: httpx.AsyncClient, event: str = "") -> dict[str, Any]:
    """The newest event; tenant-scoped ones (`tenant.*`) come only with tenant_only."""
    params: dict[str, Any] = {"limit": 1}
    if event.startswith("tenant."):
        params["tenant_only"] = "true"
    r = await client.get("/organization/audit_logs", params=params)
    return r.json()["data"][0]


async def test_every_mutation_is_audited(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    owner = sb.store.one(
        "SELECT u.id, u.email FROM admin_keys a JOIN users u"
        " ON u.id = a.owner_user_id WHERE a.id = ?",
        (sb.admin_key_id,),
    )
    assert owner is not None
    pid = project_id(sb, "search-dev")
    donald = user_id(sb, "Donald")
    dennis = user_id(sb, "Dennis")

    steps: list[tuple[str, str, dict[str, Any] | None, str]] = [
        ("POST", "/organization/projects", {"name": "audited"}, "project.created"),
        ("POST", f"/organization/projects/{pid}", {"name": "search-dev-2"}, "project.updated"),
        (
            "POST",
            f"/organization/projects/{pid}/users",
            {"user_id": dennis, "role": "member"},
            "user.added",
        ),
        ("POST", f"/organization/projects/{pid}/users/{dennis}", {"role": "owner"}, "user.updated"),
        ("DELETE", f"/organization/projects/{pid}/users/{dennis}", None, "user.deleted"),
        (
            "POST",
            f"/organization/projects/{pid}/service_accounts",
            {"name": "a", "create_service_account_only": True},
            "service_account.created",
        ),
        (
            "POST",
            f"/organization/projects/{pid}/rate_limits/rl-o3",
            {"max_requests_per_1_minute": 10},
            "rate_limit.updated",
        ),
        ("POST", f"/organization/users/{donald}", {"role": "owner"}, "user.updated"),
        (
            "POST",
            "/organization/invites",
            {"email": "q@r.example", "role": "reader"},
            "invite.sent",
        ),
        ("POST", "/organization/admin_api_keys", {"name": "k"}, "tenant.admin_api_key.created"),
        ("POST", "/organization/spend_limit", LIMIT, "tenant.billing.overage_limit.updated"),
        (
            "POST",
            f"/organization/projects/{pid}/spend_limit",
            LIMIT,
            "tenant.billing.overage_limit.updated",
        ),
        ("DELETE", "/organization/spend_limit", None, "tenant.billing.overage_limit.updated"),
        ("POST", "/organization/spend_alerts", ALERT, "tenant.billing.alerts.updated"),
        (
            "POST",
            f"/organization/projects/{pid}/spend_alerts",
            ALERT,
            "tenant.billing.alerts.updated",
        ),
        ("DELETE", f"/organization/users/{donald}", None, "user.deleted"),
    ]
    created: dict[str, Any] = {}
    for method, path, body, event in steps:
        clock.advance(10)
        r = await client.request(method, path, json=body)
        assert r.status_code == 200, (path, r.text)
        created[event] = r.json()
        entry = await latest(client, event)
        assert entry["type"] == event, (path, entry)
        assert entry["effective_at"] == int(clock())
        assert entry["actor"] == {
            "type": "api_key",
            "api_key": {
                "id": sb.admin_key_id,
                "type": "user",
                "user": {"id": owner["id"], "email": owner["email"]},
            },
        }
        assert event in entry and isinstance(entry[event], dict)

    sa = created["service_account.created"]
    for method, path, body, event in [
        (
            "POST",
            f"/organization/projects/{pid}/service_accounts/{sa['id']}",
            {"role": "owner"},
            "service_account.updated",
        ),
        (
            "POST",
            f"/organization/projects/{pid}/service_accounts/{sa['id']}/api_keys",
            {},
            "api_key.created",
        ),
        (
            "DELETE",
            f"/organization/projects/{pid}/service_accounts/{sa['id']}",
            None,
            "service_account.deleted",
        ),
        ("DELETE", f"/organization/invites/{created['invite.sent']['id']}", None, "invite.deleted"),
        (
            "DELETE",
            f"/organization/admin_api_keys/{created['tenant.admin_api_key.created']['id']}",
            None,
            "tenant.admin_api_key.deleted",
        ),
        (
            "POST",
            f"/organization/projects/{created['project.created']['id']}/archive",
            None,
            "project.archived",
        ),
    ]:
        clock.advance(10)
        r = await client.request(method, path, json=body)
        assert r.status_code == 200, (path, r.text)
        assert (await latest(client, event))["type"] == event
    entry = await latest(client)
    assert entry["project"]["id"] == created["project.created"]["id"]
    assert entry["project.archived"] == {"id": created["project.created"]["id"]}


async def test_user_key_delete_and_sa_key_detail(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    keys = await get_all(client, f"/organization/projects/{pid}/api_keys")
    key = next(k for k in keys if k["owner"]["type"] == "user")
    await client.delete(f"/organization/projects/{pid}/api_keys/{key['id']}")
    entry = await latest(client)
    assert entry["type"] == "api_key.deleted" and entry["api_key.deleted"] == {"id": key["id"]}
    assert entry["project"] == {"id": pid, "name": "search-prod"}
    sa = (
        await client.post(
            f"/organization/projects/{pid}/service_accounts",
            json={"name": "s", "create_service_account_only": True},
        )
    ).json()
    await client.post(
        f"/organization/projects/{pid}/service_accounts/{sa['id']}/api_keys",
        json={"scopes": ["api.model.read"]},
    )
    entry = await latest(client)
    assert entry["api_key.created"]["data"] == {"scopes": ["api.model.read"]}


async def test_failed_mutations_write_nothing(client: httpx.AsyncClient, sb: Sandbox) -> None:
    before = sb.store.counts()["audit_logs"]
    pid = project_id(sb, "Default project")
    await client.post(f"/organization/projects/{pid}", json={"name": "x"})
    await client.post("/organization/projects", json={})
    assert sb.store.counts()["audit_logs"] == before


async def test_newest_first_and_paging(client: httpx.AsyncClient) -> None:
    everything = await get_all(client, "/organization/audit_logs", limit=7)
    assert len(everything) > 50
    times = [e["effective_at"] for e in everything]
    assert times == sorted(times, reverse=True)
    assert len({e["id"] for e in everything}) == len(everything)
    assert all(e["id"].startswith("audit_log-") for e in everything)
    page = (
        await client.get(
            "/organization/audit_logs", params={"before": everything[10]["id"], "limit": 3}
        )
    ).json()
    assert [e["id"] for e in page["data"]] == [e["id"] for e in everything[7:10]]


async def test_filters(client: httpx.AsyncClient, sb: Sandbox, clock: Clock) -> None:
    pid = project_id(sb, "search-prod")
    t0 = int(clock())
    r = await client.post("/organization/projects", json={"name": "filtered"})
    new_pid = r.json()["id"]
    clock.advance(100)
    await client.post(f"/organization/projects/{pid}/service_accounts", json={"name": "x"})
    await client.post("/organization/spend_limit", json=LIMIT)  # a tenant-scoped event
    everything = await get_all(client, "/organization/audit_logs", limit=100)
    tenant_events = await get_all(client, "/organization/audit_logs", limit=100, tenant_only="true")
    assert tenant_events and all(e["type"].startswith("tenant.") for e in tenant_events)
    assert not any(e["type"].startswith("tenant.") for e in everything)

    async def ids(params: dict[str, Any]) -> set[str]:
        return {e["id"] for e in await get_all(client, "/organization/audit_logs", **params)}

    def expect(pred: Any) -> set[str]:
        return {e["id"] for e in everything if pred(e)}

    assert await ids({"effective_at[gte]": t0}) == expect(lambda e: e["effective_at"] >= t0)
    assert await ids({"effective_at[gt]": t0}) == expect(lambda e: e["effective_at"] > t0)
    assert await ids({"effective_at[lt]": t0}) == expect(lambda e: e["effective_at"] < t0)
    assert await ids({"effective_at[lte]": t0, "effective_at[gte]": t0}) == expect(
        lambda e: e["effective_at"] == t0
    )
    assert await ids({"gte": t0 + 1}) == expect(lambda e: e["effective_at"] > t0)
    for form in ({"project_ids[]": [pid]}, {"project_ids": [pid]}, {"project_ids": pid}):
        got = await ids(form)
        assert got and got == expect(lambda e: e.get("project", {}).get("id") == pid)
    types = ["project.created", "service_account.created"]
    assert await ids({"event_types[]": types}) == expect(lambda e: e["type"] in types)
    assert await ids({"event_types": ",".join(types)}) == expect(lambda e: e["type"] in types)
    assert await ids({"resource_ids[]": [new_pid]}) == expect(
        lambda e: e.get(e["type"], {}).get("id") == new_pid
    )
    assert await ids({"actor_ids[]": [sb.admin_key_id]}) == expect(
        lambda e: (e["actor"] or {}).get("api_key", {}).get("id") == sb.admin_key_id
    )
    ada = sb.store.one("SELECT id, email FROM users WHERE name = 'Ada Lovelace'")
    assert ada is not None

    def by_ada(e: dict[str, Any]) -> bool:
        actor = e["actor"] or {}
        user = (actor.get("session") or actor.get("api_key") or {}).get("user") or {}
        return bool(user.get("id") == ada["id"])

    assert await ids({"actor_ids[]": [ada["id"]]}) == expect(by_ada)
    assert await ids({"actor_emails[]": [ada["email"].upper()]}) == expect(by_ada)
    combined = await ids({"event_types[]": ["project.created"], "effective_at[gte]": t0})
    assert combined == expect(lambda e: e["type"] == "project.created" and e["effective_at"] >= t0)
    tenant = await ids({"tenant_only": "true"})
    assert tenant == {e["id"] for e in tenant_events}
    # without tenant_only, asking for a tenant event type finds nothing
    assert await ids({"event_types[]": ["tenant.billing.alerts.updated"]}) == set()
    r = await client.get(
        "/organization/audit_logs",
        params={"tenant_only": "true", "event_types[]": ["project.created"]},
    )
    assert r.status_code == 400
    assert (
        await client.get("/organization/audit_logs", params={"effective_at[gte]": "yesterday"})
    ).status_code == 400
    assert (
        await client.get("/organization/audit_logs", params={"after": "audit_log-nope"})
    ).status_code == 400
