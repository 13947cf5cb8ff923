"""Retry policy: Retry-After, back-off with jitter, safe methods only, creates never re-sent."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
import pytest

from orgtui.api import errors as E
from orgtui.api.throttle import backoff_delay, parse_retry_after

from .conftest import FakeServer, FakeTime, err, ok, project

SA_PATH = "/organization/projects/proj_1/service_accounts"
SA_CREATED = {
    "object": "organization.project.service_account",
    "id": "svc_acct_1",
    "name": "bot",
    "role": "member",
    "created_at": 1,
    "api_key": {
        "object": "organization.project.service_account.api_key",
        "value": "sk-proj-FAKE-minted-value-000000",
        "name": "Secret Key",
        "created_at": 1,
        "id": "key_1",
    },
}


async def _hang(request: httpx.Request) -> httpx.Response:
    await asyncio.Event().wait()  # never answers
    raise AssertionError("unreachable")


async def test_retry_after_seconds_is_honoured(
    server: FakeServer, client, fake_time: FakeTime
) -> None:
    server.on(
        "GET", "/organization/projects/p", err(429, "slow", retry_after="3"), ok(project("p"))
    )
    got = await client.get_project("p")
    assert got.id == "proj_p"
    assert fake_time.sleeps == [3.0]
    assert client.budget.rate_limited == 1 and client.budget.retries == 1


async def test_retry_after_http_date_is_honoured(
    server: FakeServer, client, fake_time: FakeTime
) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.on("GET", "/organization/projects/p", err(429, retry_after=when), ok(project("p")))
    await client.get_project("p")
    assert len(fake_time.sleeps) == 1
    assert 27 <= fake_time.sleeps[0] <= 31


async def test_429_without_retry_after_backs_off(
    server: FakeServer, client, fake_time: FakeTime
) -> None:
    server.on("GET", "/organization/projects/p", err(429), err(429), ok(project("p")))
    await client.get_project("p")
    first, second = fake_time.sleeps
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0


async def test_huge_retry_after_is_reported_not_slept(
    server: FakeServer, client, fake_time: FakeTime
) -> None:
    server.on("GET", "/organization/projects/p", err(429, retry_after="3600"))
    with pytest.raises(E.RateLimitedError) as info:
        await client.get_project("p")
    assert info.value.retry_after == 3600
    assert fake_time.sleeps == []
    assert len(server.requests) == 1


async def test_429_blocks_the_endpoint_for_concurrent_callers(
    server: FakeServer, client, fake_time: FakeTime
) -> None:
    server.on("GET", "/organization/projects/p", err(429, retry_after="5"), ok(project("p")))
    await client.get_project("p")
    await client.get_project("p")  # the block has elapsed on the fake clock: no new wait
    assert fake_time.sleeps == [5.0]


def test_backoff_is_exponential_with_bounded_jitter() -> None:
    for attempt in range(8):
        ceiling = min(30.0, 0.5 * 2**attempt)
        assert backoff_delay(attempt, rand=lambda: 0.0) == pytest.approx(ceiling / 2)
        assert backoff_delay(attempt, rand=lambda: 0.999999) == pytest.approx(ceiling, rel=1e-5)
        samples = {backoff_delay(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= s <= ceiling for s in samples)
        assert len(samples) > 1  # jitter actually varies


def test_parse_retry_after() -> None:
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-4") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("9", ms_value="250") == 0.25
    past = email.utils.formatdate(time.time() - 100, usegmt=True)
    assert parse_retry_after(past) == 0.0


async def test_get_retries_5xx_with_backoff(
    server: FakeServer, client, fake_time: FakeTime
) -> None:
    server.on("GET", "/organization/projects/p", err(500), err(503), ok(project("p")))
    await client.get_project("p")
    assert len(server.requests) == 3
    assert 0.25 <= fake_time.sleeps[0] <= 0.5 and 0.5 <= fake_time.sleeps[1] <= 1.0


async def test_get_gives_up_after_max_retries(
    server: FakeServer, make_client, fake_time: FakeTime
) -> None:
    server.on("GET", "/organization/projects/p", err(500))
    client = make_client(max_retries=3)
    with pytest.raises(E.ServerError):
        await client.get_project("p")
    assert len(server.requests) == 4
    assert len(fake_time.sleeps) == 3


async def test_get_retries_dropped_connection(server: FakeServer, client) -> None:
    server.on("GET", "/organization/projects/p", httpx.RemoteProtocolError("eof"), ok(project("p")))
    assert (await client.get_project("p")).id == "proj_p"
    assert len(server.requests) == 2


async def test_update_post_is_not_retried_on_5xx(server: FakeServer, client) -> None:
    server.on("POST", "/organization/projects/p", err(502))
    with pytest.raises(E.ServerError):
        await client.update_project("p", name="new")
    assert len(server.calls("POST")) == 1


async def test_update_post_is_not_retried_on_drop(server: FakeServer, client) -> None:
    server.on("POST", "/organization/projects/p", httpx.ReadError("reset"))
    with pytest.raises(E.OfflineError, match="connection dropped"):
        await client.update_project("p", name="new")
    assert len(server.calls("POST")) == 1


@pytest.mark.parametrize(
    ("reply", "cause"),
    [
        (httpx.ReadTimeout("slow"), E.RequestTimeoutError),
        (httpx.RemoteProtocolError("server disconnected"), E.OfflineError),
        (httpx.ReadError("reset"), E.OfflineError),
        (RuntimeError("app blew up mid-request"), E.OfflineError),
        (err(500), E.ServerError),
        (err(503), E.ServerError),
        (
            httpx.Response(200, content=b'{"object": "organization.project.serv'),
            E.MalformedResponseError,
        ),
    ],
    ids=["read-timeout", "protocol", "read-error", "app-exception", "500", "503", "truncated"],
)
async def test_create_is_never_resent(server: FakeServer, client, reply, cause) -> None:
    server.on("POST", SA_PATH, reply, ok(SA_CREATED))
    with pytest.raises(E.CreateOutcomeUnknownError) as info:
        await client.create_service_account("proj_1", "bot")
    assert len(server.calls("POST", SA_PATH)) == 1
    assert isinstance(info.value.cause, cause)
    assert info.value.method == "POST"
    assert info.value.path == "/organization/projects/{project_id}/service_accounts"
    assert "read back" in str(info.value)


async def test_create_hang_times_out_once(server: FakeServer, make_client) -> None:
    server.on("POST", "/organization/admin_api_keys", _hang)
    client = make_client(timeout=0.05)
    with pytest.raises(E.CreateOutcomeUnknownError) as info:
        await client.create_admin_key("ops")
    assert isinstance(info.value.cause, E.RequestTimeoutError)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "first", [err(429, retry_after="1"), httpx.ConnectError("refused")], ids=["429", "connect"]
)
async def test_create_is_retried_when_server_did_nothing(server: FakeServer, client, first) -> None:
    server.on("POST", SA_PATH, first, ok(SA_CREATED))
    created = await client.create_service_account("proj_1", "bot")
    assert created.api_key is not None
    assert created.api_key.value.reveal() == "sk-proj-FAKE-minted-value-000000"
    assert len(server.calls("POST", SA_PATH)) == 2


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.create_project("x"),
        lambda c: c.create_invite("a@example.com", "reader"),
        lambda c: c.create_admin_key("k"),
        lambda c: c.create_service_account_key("proj_1", "svc_1"),
        lambda c: c.create_org_spend_alert(100, ["a@example.com"]),
        lambda c: c.create_project_spend_alert("proj_1", 100, ["a@example.com"]),
        lambda c: c.add_project_user("proj_1", "member", user_id="user_1"),
    ],
    ids=["project", "invite", "admin-key", "sa-key", "org-alert", "project-alert", "project-user"],
)
async def test_every_create_reports_unknown_outcome(server: FakeServer, client, call) -> None:
    async def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    for path in (
        "/organization/projects",
        "/organization/invites",
        "/organization/admin_api_keys",
        "/organization/projects/proj_1/service_accounts/svc_1/api_keys",
        "/organization/spend_alerts",
        "/organization/projects/proj_1/spend_alerts",
        "/organization/projects/proj_1/users",
    ):
        server.on("POST", path, fail)
    with pytest.raises(E.CreateOutcomeUnknownError):
        await call(client)
    assert len(server.requests) == 1


async def test_delete_retried_then_404_counts_as_done(server: FakeServer, client) -> None:
    path = "/organization/projects/proj_1/api_keys/key_1"
    server.on("DELETE", path, httpx.ReadTimeout("slow"), err(404, "No such key"))
    deleted = await client.delete_project_api_key("proj_1", "key_1")
    assert deleted.deleted is True and deleted.id == "key_1"
    assert deleted.object == "organization.project.api_key.deleted"
    assert len(server.calls("DELETE")) == 2


async def test_delete_404_first_time_is_not_found(server: FakeServer, client) -> None:
    server.on("DELETE", "/organization/invites/inv_1", err(404, "No such invite"))
    with pytest.raises(E.NotFoundError):
        await client.delete_invite("inv_1")


async def test_delete_404_after_429_is_not_found(server: FakeServer, client) -> None:
    # a 429 means the server did nothing, so a following 404 is a real "not found"
    server.on("DELETE", "/organization/invites/inv_1", err(429, retry_after="1"), err(404, "gone"))
    with pytest.raises(E.NotFoundError):
        await client.delete_invite("inv_1")


async def test_get_hang_times_out_and_retries(server: FakeServer, make_client, fake_time) -> None:
    server.on("GET", "/organization/projects/p", _hang, ok(project("p")))
    client = make_client(timeout=0.05)
    started = time.monotonic()
    assert (await client.get_project("p")).id == "proj_p"
    assert time.monotonic() - started < 2
    assert len(server.requests) == 2


async def test_timeout_error_after_retries(server: FakeServer, make_client) -> None:
    server.on("GET", "/organization/projects/p", _hang)
    client = make_client(timeout=0.02, max_retries=1)
    with pytest.raises(E.RequestTimeoutError, match="Request timed out"):
        await client.get_project("p")
    assert len(server.requests) == 2


async def test_spend_limit_absent_is_none(server: FakeServer, client) -> None:
    server.on("GET", "/organization/spend_limit", err(404, "No spend limit"))
    server.on("GET", "/organization/projects/proj_1/spend_limit", err(404, "No spend limit"))
    assert await client.get_org_spend_limit() is None
    assert await client.get_project_spend_limit("proj_1") is None
    assert len(server.requests) == 2


async def test_get_5xx_honours_retry_after(server: FakeServer, client, fake_time: FakeTime) -> None:
    server.on("GET", "/organization/projects/p", err(503, retry_after="2"), ok(project("p")))
    await client.get_project("p")
    assert fake_time.sleeps == [2.0]
