"""Injected faults: each kind, path filtering, reproducibility, and the control routes."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from starlette.applications import Starlette

from orgtui.sandbox import Sandbox, create_app
from orgtui.sandbox.faults import ConnectionDropped, FaultConfig, endpoint_key
from tests.sandbox.conftest import Clock, assert_error, make_client


async def test_latency_with_jitter(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.faults.latency_ms = 60
    sb.faults.jitter_ms = 20
    t = time.perf_counter()
    assert (await client.get("/organization/projects")).status_code == 200
    assert time.perf_counter() - t >= 0.035


async def test_rate_limit_per_endpoint(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    sb.faults.rate_limit_rpm = 3
    for _ in range(3):
        assert (await client.get("/organization/projects")).status_code == 200
    r = await client.get("/organization/projects")
    err = assert_error(r, 429, "rate limit")
    assert err["code"] == "rate_limit_exceeded"
    assert r.headers["retry-after"] == "60"
    # Another endpoint has its own budget; query parameters do not make a new endpoint.
    assert (await client.get("/organization/users")).status_code == 200
    assert (await client.get("/organization/projects", params={"limit": 5})).status_code == 429
    clock.advance(30)
    r = await client.get("/organization/projects")
    assert r.status_code == 429 and r.headers["retry-after"] == "30"
    clock.advance(30)
    assert (await client.get("/organization/projects")).status_code == 200


def test_endpoint_key_ignores_ids() -> None:
    a = endpoint_key("GET", "/v1/organization/projects/proj_abc/api_keys/key_1")
    b = endpoint_key("GET", "/v1/organization/projects/proj_xyz/api_keys/key_2")
    assert a == b == "GET /v1/organization/projects/{id}/api_keys/{id}"
    assert endpoint_key("POST", "/v1/organization/projects") != endpoint_key(
        "GET", "/v1/organization/projects"
    )


async def test_error_rate_and_path_filter(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.faults.error_rate = 1.0
    r = await client.get("/organization/projects")
    assert r.status_code in (500, 502, 503)
    assert r.json()["error"]["type"] == "server_error"
    sb.faults.path_filter = "/api_keys"
    assert (await client.get("/organization/projects")).status_code == 200
    # Control routes are never faulted.
    sb.faults.path_filter = None
    r = await client.post("http://sandbox/_sandbox/faults", json={"error_rate": 0.0})
    assert r.status_code == 200
    assert (await client.get("/organization/projects")).status_code == 200


async def test_hang(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.faults.hang_rate = 1.0
    sb.faults.hang_seconds = 5.0
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(client.get("/organization/projects"), timeout=0.2)
    sb.faults.hang_seconds = 0.05
    assert (await client.get("/organization/projects")).status_code == 200


async def test_malformed_body(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.faults.malformed_rate = 1.0
    r = await client.get("/organization/projects")
    assert r.status_code == 200
    body = r.json()  # valid JSON, wrong shape
    assert not isinstance(body.get("data"), list)


async def test_truncated_body(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.faults.truncate_rate = 1.0
    r = await client.get("/organization/projects")
    assert r.status_code == 200
    assert r.text.startswith('{"object":"list"')
    with pytest.raises(json.JSONDecodeError):
        r.json()


async def test_dropped_connection(client: httpx.AsyncClient, sb: Sandbox) -> None:
    sb.faults.drop_rate = 1.0
    with pytest.raises(ConnectionDropped):
        await client.get("/organization/projects")
    assert issubclass(ConnectionDropped, ConnectionResetError)
    sb.faults.drop_rate = 0.0
    assert (await client.get("/organization/projects")).status_code == 200


async def test_faults_are_reproducible(clock: Clock) -> None:
    async def run() -> list[int]:
        app = create_app(clock=clock)
        app.state.sandbox.faults.error_rate = 0.5
        async with make_client(app) as c:
            return [(await c.get("/organization/users")).status_code for _ in range(20)]

    first, second = await run(), await run()
    assert first == second and 200 in first and any(s >= 500 for s in first)


async def test_faults_via_control_route(client: httpx.AsyncClient, sb: Sandbox) -> None:
    r = await client.post(
        "http://sandbox/_sandbox/faults", json={"rate_limit_rpm": 1, "path_filter": "/invites"}
    )
    assert r.status_code == 200 and sb.faults.rate_limit_rpm == 1
    assert (await client.get("/organization/invites")).status_code == 200
    assert (await client.get("/organization/invites")).status_code == 429
    assert (await client.get("/organization/users")).status_code == 200
    await client.post("http://sandbox/_sandbox/faults", json={"reset": True})
    assert (await client.get("/organization/invites")).status_code == 200


def test_fault_config_validation() -> None:
    cfg = FaultConfig()
    for bad in (
        {"error_rate": -0.1},
        {"error_rate": 1.5},
        {"rate_limit_rpm": 0},
        {"latency_ms": "fast"},
        {"path_filter": 3},
        {"bogus": 1},
        {"hang_rate": True},
    ):
        with pytest.raises(ValueError):
            cfg.update(bad)
    cfg.update({"rate_limit_rpm": None, "latency_ms": 5})
    assert cfg.latency_ms == 5


async def test_incident_route(client: httpx.AsyncClient, app: Starlette, sb: Sandbox) -> None:
    kid = sb.store.scalar("SELECT id FROM api_keys WHERE name = 'search-reranker'")
    r = await client.post(
        "http://sandbox/_sandbox/incident", json={"api_key_id": kid, "factor": 40}
    )
    assert r.status_code == 200
    assert [i["api_key_id"] for i in sb.traffic.incidents if i["end"] is None] == [kid]
    assert_error(
        await client.post(
            "http://sandbox/_sandbox/incident", json={"api_key_id": kid, "factor": "big"}
        ),
        400,
    )
    sb.set_incident(None)
    assert not [i for i in sb.traffic.incidents if i["end"] is None]
