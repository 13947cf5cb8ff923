"""The database file survives restarts; demo data is deterministic from the seed."""

from __future__ import annotations

from pathlib import Path

from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app
from tests.sandbox.conftest import Clock, get_all, make_client


async def test_created_objects_survive_a_restart(tmp_path: Path, clock: Clock) -> None:
    db = tmp_path / "sandbox.sqlite3"
    app = create_app(db, clock=clock)
    async with make_client(app) as c:
        pid = (await c.post("/organization/projects", json={"name": "persisted"})).json()["id"]
        sa = (
            await c.post(f"/organization/projects/{pid}/service_accounts", json={"name": "svc"})
        ).json()
        before = await get_all(c, "/organization/projects")
    app.state.sandbox.store.close()

    clock.advance(3600)
    again = create_app(db, clock=clock, seed=99)  # the seed of an existing DB is kept
    async with make_client(again) as c:
        assert await get_all(c, "/organization/projects") == before
        key = (await c.get(f"/organization/projects/{pid}/api_keys/{sa['api_key']['id']}")).json()
        assert key["redacted_value"].endswith(sa["api_key"]["value"][-4:])
        fresh = (await c.post("/organization/projects", json={"name": "after restart"})).json()
        assert fresh["id"] not in {p["id"] for p in before}
        admin_keys = await get_all(c, "/organization/admin_api_keys")
        assert len(admin_keys) == 2  # the accepted key was not duplicated
        entries = await get_all(c, "/organization/audit_logs", limit=100)
        assert any(
            e["type"] == "service_account.created"
            and e["service_account.created"]["id"] == sa["id"]
            for e in entries
        )


async def test_a_new_admin_key_on_restart_is_accepted(tmp_path: Path, clock: Clock) -> None:
    db = tmp_path / "s.db"
    create_app(db, clock=clock).state.sandbox.store.close()
    other = "sk-admin-another-FAKE-key"
    app = create_app(db, clock=clock, admin_key=other)
    async with make_client(app, {"Authorization": f"Bearer {other}"}) as c:
        assert (await c.get("/organization/projects")).status_code == 200
    async with make_client(app, {"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"}) as c:
        assert (await c.get("/organization/projects")).status_code == 200


async def test_demo_is_deterministic_from_seed(clock: Clock) -> None:
    async def snapshot(seed: int) -> list[object]:
        app = create_app(clock=clock, seed=seed)
        out: list[object] = []
        async with make_client(app) as c:
            projects = await get_all(c, "/organization/projects", include_archived="true")
            out.append(projects)
            for p in projects[:3]:
                out.append(await get_all(c, f"/organization/projects/{p['id']}/api_keys"))
            out.append(await get_all(c, "/organization/users"))
            out.append(await get_all(c, "/organization/invites"))
            out.append((await c.get("/organization/audit_logs", params={"limit": 100})).json())
        return out

    assert await snapshot(1) == await snapshot(1)
    assert await snapshot(1) != await snapshot(2)


async def test_empty_organisation(clock: Clock) -> None:
    app = create_app(clock=clock, demo=False)
    async with make_client(app) as c:
        projects = await get_all(c, "/organization/projects")
        assert [p["name"] for p in projects] == ["Default project"]
        users = await get_all(c, "/organization/users")
        assert len(users) == 1 and users[0]["role"] == "owner"
        assert await get_all(c, f"/organization/projects/{projects[0]['id']}/api_keys") == []
        assert (await c.get("/organization/spend_limit")).status_code == 404
