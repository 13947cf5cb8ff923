"""Client-side pacing per endpoint, the concurrency limit, and the budget snapshot."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from orgtui.api.throttle import BudgetState, Pacer

from .conftest import FakeServer, FakeTime, err, ok, page, project


async def test_pacing_per_endpoint(server: FakeServer, make_client, fake_time: FakeTime) -> None:
    server.on("GET", "/organization/projects/p", ok(project("p")))
    server.on(
        "GET",
        "/organization/users/u",
        ok({"object": "organization.user", "id": "u", "added_at": 1}),
    )
    client = make_client(requests_per_minute=60, burst=2)
    for _ in range(5):
        await client.get_project("p")
    # burst of 2 free, then one token per second
    assert fake_time.sleeps == pytest.approx([1.0, 1.0, 1.0])
    # another endpoint has its own bucket
    await client.get_user("u")
    assert len(fake_time.sleeps) == 3


async def test_ids_share_one_endpoint_bucket(
    server: FakeServer, make_client, fake_time: FakeTime
) -> None:
    for i in range(3):
        server.on("GET", f"/organization/projects/p{i}", ok(project(i)))
    client = make_client(requests_per_minute=6, burst=1)
    for i in range(3):
        await client.get_project(f"p{i}")
    assert fake_time.sleeps == pytest.approx([10.0, 10.0])
    assert set(client.budget.remaining) == {"GET /organization/projects/{project_id}"}


async def test_concurrent_waiters_queue_fairly(make_client, server: FakeServer) -> None:
    server.on("GET", "/organization/projects/p", ok(project("p")))
    now = [0.0]
    sleeps: list[float] = []

    async def sleep(s: float) -> None:  # does not advance the clock: acquire must not spin
        sleeps.append(s)
        await asyncio.sleep(0)

    client = make_client(requests_per_minute=60, burst=1, sleep=sleep, clock=lambda: now[0])
    await asyncio.gather(*(client.get_project("p") for _ in range(4)))
    assert sorted(sleeps) == pytest.approx([1.0, 2.0, 3.0])


async def test_concurrency_limit(server: FakeServer, make_client) -> None:
    live = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal live, peak
        live += 1
        peak = max(peak, live)
        await asyncio.sleep(0.01)
        live -= 1
        return ok(project("p"))

    server.on("GET", "/organization/projects/p", slow)
    client = make_client(max_concurrency=3)
    await asyncio.gather(*(client.get_project("p") for _ in range(10)))
    assert peak == 3
    assert client.budget.in_flight == 0
    assert client.budget.requests_made == 10


async def test_budget_snapshot(server: FakeServer, make_client, fake_time: FakeTime) -> None:
    server.on(
        "GET",
        "/organization/projects",
        err(429, retry_after="4"),
        ok(page([project(1)], has_more=False)),
    )
    client = make_client(requests_per_minute=30, burst=3)
    assert client.budget == BudgetState(requests_per_minute=30, burst=3)
    [p async for p in client.iter_projects()]
    b = client.budget
    assert b.requests_made == 2 and b.rate_limited == 1 and b.retries == 1
    assert b.requests_per_minute == 30 and b.burst == 3
    assert b.waiting == () and b.waiting_count == 0
    key = "GET /organization/projects"
    assert 0 <= b.remaining[key] <= 3
    # with tokens in debt the snapshot reports how long until the next one
    for _ in range(3):
        await client._pacer.acquire(key)
    assert client.budget.wait_seconds > 0


async def test_budget_shows_waiting_endpoint(make_client, server: FakeServer) -> None:
    release = asyncio.Event()

    async def sleep(s: float) -> None:
        await release.wait()

    server.on("GET", "/organization/projects/p", ok(project("p")))
    client = make_client(requests_per_minute=60, burst=1, sleep=sleep, clock=lambda: 0.0)
    await client.get_project("p")
    task = asyncio.create_task(client.get_project("p"))
    await asyncio.sleep(0)
    assert client.budget.waiting == ("GET /organization/projects/{project_id}",)
    assert client.budget.wait_seconds == pytest.approx(2.0)  # one waiter holds the next token
    release.set()
    await task
    assert client.budget.waiting == ()


async def test_unpaced_never_sleeps() -> None:
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)

    pacer = Pacer(None, 4, clock=lambda: 0.0, sleep=sleep)
    for _ in range(50):
        await pacer.acquire("GET /x")
    assert slept == []
    pacer.block("GET /x", 2.5)
    assert await pacer.acquire("GET /x") == 2.5
