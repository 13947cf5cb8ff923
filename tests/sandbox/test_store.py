"""The store's interface with the traffic engine, and its helpers for tests."""

from __future__ import annotations

import httpx

from orgtui.sandbox import Sandbox, create_app
from orgtui.sandbox.store import DORMANT_AFTER_S, redact
from tests.sandbox.conftest import Clock, project_id


def test_traffic_sources(sb: Sandbox, clock: Clock) -> None:
    sources = sb.store.traffic_sources()
    assert sources == create_app(clock=clock).state.sandbox.store.traffic_sources()
    keys = {r["id"]: r for r in sb.store.query("SELECT * FROM api_keys")}
    assert len(sources) == len(keys)
    assert {s["project_id"] for s in sources} <= set(sb.store.project_ids())
    now = sb.now()
    for s in sources:
        assert set(s) == {
            "project_id",
            "api_key_id",
            "user_id",
            "created_at",
            "deleted_at",
            "weight",
            "models",
            "active_until",
        }
        row = keys[s["api_key_id"]]
        assert s["weight"] >= 0 and isinstance(s["models"], list)
        if row["last_used_at"] is None:
            assert s["weight"] == 0
        elif now - row["last_used_at"] > DORMANT_AFTER_S:
            assert s["active_until"] == row["last_used_at"]
        if row["owner_type"] == "user":
            assert s["user_id"] == row["owner_user_id"]
        else:
            assert s["user_id"] is None
    assert any(s["deleted_at"] for s in sources)
    assert any(s["active_until"] is None and s["weight"] > 0 for s in sources)


async def test_sources_follow_mutations(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    before = len(sb.store.traffic_sources())
    sa = (
        await client.post(f"/organization/projects/{pid}/service_accounts", json={"name": "n"})
    ).json()
    after = sb.store.traffic_sources()
    assert len(after) == before + 1
    new = next(s for s in after if s["api_key_id"] == sa["api_key"]["id"])
    assert new["deleted_at"] is None and new["weight"] == 0
    await client.delete(f"/organization/projects/{pid}/service_accounts/{sa['id']}")
    gone = next(s for s in sb.store.traffic_sources() if s["api_key_id"] == sa["api_key"]["id"])
    assert gone["deleted_at"] == sb.now()
    archived = {s["project_id"]: s for s in sb.store.traffic_sources()}
    exp = project_id(sb, "experiment-2025")
    assert archived[exp]["deleted_at"] is not None


async def test_helpers(client: httpx.AsyncClient, sb: Sandbox) -> None:
    user = sb.store.add_user("eve@example.com", "Eve", role="reader")
    r = await client.get(f"/organization/users/{user['id']}")
    assert r.json()["email"] == "eve@example.com"
    pid = project_id(sb, "search-dev")
    sb.store.set_fields("projects", pid, name="renamed")
    assert (await client.get(f"/organization/projects/{pid}")).json()["name"] == "renamed"
    assert sb.store.counts()["users"] >= 25


def test_ids_and_redaction(sb: Sandbox) -> None:
    ids = sb.store.new_ids("proj_", 1000)
    assert len(set(ids)) == 1000 and all(i.startswith("proj_") and len(i) == 29 for i in ids)
    assert redact("sk-svcacct-SANDBOX-FAKE-abcdefgh") == "sk-svcacct...efgh"
    assert redact("sk-admin-xyz-1234") == "sk-admin...1234"
