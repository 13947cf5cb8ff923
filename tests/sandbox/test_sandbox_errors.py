"""Auth, the error envelope everywhere, and operations the sandbox does not emulate."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette

from orgtui.sandbox.spec_paths import SPEC_PATHS
from tests.sandbox.conftest import assert_error, make_client

EMULATED_PREFIXES = (
    "/organization/projects",
    "/organization/users",
    "/organization/invites",
    "/organization/admin_api_keys",
    "/organization/audit_logs",
    "/organization/spend_limit",
    "/organization/spend_alerts",
    "/organization/usage",
    "/organization/costs",
    "/organization/groups",
    "/organization/roles",
    "/organization/certificates",
    "/organization/data_retention",
    "/projects/",
)
NOT_EMULATED_SEGMENTS: tuple[str, ...] = ()


def not_emulated() -> list[tuple[str, str]]:
    ops = []
    for path, methods in SPEC_PATHS.items():
        emulated = path.startswith(EMULATED_PREFIXES) and not any(
            f"/{seg}" in path for seg in NOT_EMULATED_SEGMENTS
        )
        if not emulated:
            ops += [(m, path) for m in methods]
    return ops


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer sk-admin-wrong"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer "},
    ],
)
async def test_auth_required(app: Starlette, headers: dict[str, str]) -> None:
    async with make_client(app, headers) as c:
        for path in (
            "/organization/projects",
            "/organization/nothing",
            "/organization/usage/completions?start_time=1",
        ):
            r = await c.get(path)
            err = assert_error(r, 401)
            assert "sk-admin-wrong" not in r.text
            assert err["type"] == "invalid_request_error"
        r = await c.get("http://sandbox/_sandbox/state")
        assert_error(r, 401)


def test_every_spec_operation_is_emulated() -> None:
    # 50 admin + 11 usage/costs + 39 RBAC + 19 security operations: all 119 of the spec.
    assert not_emulated() == []
    assert sum(len(methods) for methods in SPEC_PATHS.values()) == 119


async def test_unknown_paths_and_methods(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/organization/teleport"), 404, "not emulated")
    assert_error(await client.get("/chat/completions"), 404)
    assert_error(await client.put("/organization/projects"), 405)
    assert_error(await client.delete("/organization/projects"), 405)
    assert_error(await client.patch("/organization/projects/proj_x"), 405)
    r = await client.get("http://sandbox/")
    assert_error(r, 404)
    assert r.headers["content-type"].startswith("application/json")


async def test_malformed_bodies(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/organization/projects", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(r, 400, "could not parse the json body")
    assert_error(await client.post("/organization/projects", content=b"[1, 2]"), 400, "object")
    assert_error(await client.post("/organization/projects", content=b"\xff\xfe"), 400)
    assert_error(await client.post("/organization/projects"), 400, "body is required")
    assert_error(
        await client.post("/organization/invites", json={"email": ["a@b.c"], "role": "reader"}),
        400,
        "email",
    )
    assert_error(
        await client.post(
            "/organization/invites",
            json={"email": "a@b.example", "role": "reader", "projects": "all"},
        ),
        400,
        "projects",
    )
    assert_error(
        await client.post(
            "/organization/invites",
            json={
                "email": "a@b.example",
                "role": "reader",
                "projects": [{"id": 1, "role": "member"}],
            },
        ),
        400,
    )
    assert_error(
        await client.get("/organization/projects", params={"include_archived": "maybe"}), 400
    )


async def test_control_routes(client: httpx.AsyncClient, app: Starlette) -> None:
    r = await client.get("http://sandbox/_sandbox/state")
    state = r.json()
    assert state["org_name"] == "Acme Robotics (sandbox)"
    assert state["admin_key_id"] == app.state.sandbox.admin_key_id
    assert "sk-admin" not in r.text
    assert state["counts"]["projects"] == 7 and 20 <= state["counts"]["users"] <= 30
    r = await client.post("http://sandbox/_sandbox/clock", json={"now": 1_770_000_000})
    assert r.json()["now"] == 1_770_000_000
    assert app.state.sandbox.now() == 1_770_000_000
    r = await client.post("http://sandbox/_sandbox/clock", json={"advance": 60})
    assert app.state.sandbox.now() == 1_770_000_060
    assert_error(await client.post("http://sandbox/_sandbox/clock", json={"now": "x"}), 400)
    assert_error(await client.post("http://sandbox/_sandbox/clock", json={}), 400)
    r = await client.post("http://sandbox/_sandbox/faults", json={"latency_ms": 1})
    assert r.json()["latency_ms"] == 1 and app.state.sandbox.faults.latency_ms == 1
    assert_error(await client.post("http://sandbox/_sandbox/faults", json={"nope": 1}), 400)
    assert_error(await client.post("http://sandbox/_sandbox/faults", json={"error_rate": 2}), 400)
    r = await client.post("http://sandbox/_sandbox/faults", json={"reset": True})
    assert r.json()["latency_ms"] == 0
    assert_error(await client.get("http://sandbox/_sandbox/nothing"), 404)
