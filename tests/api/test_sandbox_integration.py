"""The client against the sandbox (in-process over httpx.ASGITransport): paging across pages,
creates and reads, and the sandbox's injected faults. One fake clock drives both sides."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from orgtui.api import errors as E
from orgtui.api.client import AdminClient

sandbox = pytest.importorskip("orgtui.sandbox", reason="the sandbox package is not available")

T0 = 1_760_000_000.0


class SharedTime:
    def __init__(self) -> None:
        self.now = T0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


class Recorder(httpx.AsyncBaseTransport):
    """Wraps the ASGI transport to record requests (nothing here assumes ASGI otherwise)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def shared_time() -> SharedTime:
    return SharedTime()


@pytest.fixture
async def make_sandbox_client(shared_time: SharedTime):
    made: list[AdminClient] = []

    def factory(app: Any = None, **kw: Any) -> tuple[AdminClient, Any, Recorder]:
        app = app or sandbox.create_app(clock=shared_time)
        rec = Recorder(httpx.ASGITransport(app=app))
        kw.setdefault("requests_per_minute", None)
        client = AdminClient(
            "http://sandbox/v1",
            kw.pop("admin_key", sandbox.SANDBOX_ADMIN_KEY),
            transport=rec,
            sleep=shared_time.sleep,
            clock=shared_time,
            **kw,
        )
        made.append(client)
        return client, app.state.sandbox, rec

    yield factory
    for c in made:
        await c.aclose()


@pytest.fixture
def sb_client(make_sandbox_client):
    return make_sandbox_client()


async def test_projects_page_across_several_pages(make_sandbox_client, shared_time) -> None:
    app = sandbox.create_app(clock=shared_time, scale=(230, 1, 3))
    client, sb, rec = make_sandbox_client(app)
    projects = [p async for p in client.iter_projects(include_archived=True)]
    ids = [p.id for p in projects]
    assert len(ids) == len(set(ids)) >= 230
    assert len(rec.requests) >= 3
    assert [r.url.params.get("after") for r in rec.requests][1:] == [
        ids[99],
        ids[199],
        *([ids[299]] if len(rec.requests) > 3 else []),
    ]


async def test_audit_logs_page_with_small_limit(sb_client) -> None:
    client, sb, rec = sb_client
    first = await client.audit_log_page(limit=3)
    events = [e async for e in client.iter_audit_logs(limit=3)]
    assert len(first.data) <= 3
    assert len(events) > 3, "the demo org should have a few audit events"
    assert len({e.id for e in events}) == len(events)
    assert all(r.url.params["limit"] == "3" for r in rec.requests)


async def test_usage_pages_pass_next_page_back(sb_client, shared_time) -> None:
    client, sb, rec = sb_client
    start = int(shared_time.now) // 86400 * 86400 - 9 * 86400
    buckets = [b async for b in client.iter_usage("completions", start, limit=2)]
    assert len(buckets) >= 9
    assert [b.start_time for b in buckets] == sorted(b.start_time for b in buckets)
    assert len(rec.requests) >= 5
    # each request's page is exactly the previous response's next_page
    seen_pages = [r.url.params.get("page") for r in rec.requests]
    assert seen_pages[0] is None and all(seen_pages[1:])
    costs = [b async for b in client.iter_costs(start, limit=3, group_by=["project_id"])]
    assert costs and all(r.object == "organization.costs.result" for b in costs for r in b.results)


async def test_create_read_delete_service_account(sb_client) -> None:
    client, sb, rec = sb_client
    project = [p async for p in client.iter_projects()][0]
    created = await client.create_service_account(project.id, "ci-bot")
    assert created.api_key is not None
    value = created.api_key.value.reveal()
    assert value.startswith("sk-") and value not in repr(created)
    listed = [s.id async for s in client.iter_service_accounts(project.id)]
    assert created.id in listed
    keys = [k async for k in client.iter_project_api_keys(project.id)]
    assert all(value not in k.redacted_value for k in keys)
    deleted = await client.delete_service_account(project.id, created.id)
    assert deleted.deleted
    with pytest.raises(E.NotFoundError):
        await client.get_service_account(project.id, created.id)


async def test_wrong_key_is_authentication_error(make_sandbox_client) -> None:
    client, sb, rec = make_sandbox_client(admin_key="sk-admin-WRONG-FAKE-key-000")
    with pytest.raises(E.AuthenticationError) as info:
        await client.get_org_spend_limit()
    assert "sk-admin-WRONG-FAKE-key-000" not in str(info.value)


async def test_sandbox_throttle_is_honoured(sb_client, shared_time) -> None:
    client, sb, rec = sb_client
    sb.faults.rate_limit_rpm = 2
    users = [[u async for u in client.iter_users()] for _ in range(4)]
    assert all(len(u) == len(users[0]) for u in users)
    assert client.budget.rate_limited >= 1
    assert shared_time.sleeps and all(s >= 1 for s in shared_time.sleeps)


async def test_sandbox_drop_on_create_is_not_resent(sb_client) -> None:
    client, sb, rec = sb_client
    project = [p async for p in client.iter_projects()][0]
    before = len([s async for s in client.iter_service_accounts(project.id)])
    sb.faults.drop_rate = 1.0
    sb.faults.path_filter = "/service_accounts"
    with pytest.raises(E.CreateOutcomeUnknownError) as info:
        await client.create_service_account(project.id, "maybe-bot")
    assert isinstance(info.value.cause, E.OfflineError)
    assert len([r for r in rec.requests if r.method == "POST"]) == 1
    sb.faults.reset()
    after = [s.name async for s in client.iter_service_accounts(project.id)]
    assert len(after) - before in (0, 1)  # read back and reconcile: it may exist


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"malformed_rate": 1.0}, E.MalformedResponseError),
        ({"truncate_rate": 1.0}, E.MalformedResponseError),
        ({"error_rate": 1.0}, E.ServerError),
        ({"drop_rate": 1.0}, E.OfflineError),
        ({"hang_rate": 1.0, "hang_seconds": 5.0}, E.RequestTimeoutError),
    ],
    ids=["malformed", "truncated", "5xx", "drop", "hang"],
)
async def test_sandbox_faults_map_to_errors(make_sandbox_client, fault, error) -> None:
    client, sb, rec = make_sandbox_client(timeout=0.05, max_retries=1)
    sb.faults.update(fault)
    with pytest.raises(error):
        await client.get_org_spend_limit()
    expected = 1 if error is E.MalformedResponseError else 2
    assert len(rec.requests) == expected
