"""HTTP statuses and bad bodies map to the typed errors, with the API's own message/param."""

from __future__ import annotations

import pickle

import httpx
import pytest

from orgtui.api import errors as E

from .conftest import FakeServer, err, ok, project


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, E.BadRequestError),
        (401, E.AuthenticationError),
        (403, E.PermissionDeniedError),
        (404, E.NotFoundError),
        (409, E.BadRequestError),
        (422, E.BadRequestError),
        (418, E.ApiError),
        (500, E.ServerError),
        (502, E.ServerError),
        (503, E.ServerError),
    ],
)
async def test_status_maps_to_error(
    server: FakeServer, make_client, status: int, cls: type
) -> None:
    server.on(
        "POST",
        "/organization/projects/proj_1/users/user_1",
        err(status, "Project is archived", param="role"),
    )
    client = make_client(max_retries=0)
    with pytest.raises(E.ApiError) as info:
        await client.update_project_user("proj_1", "user_1", "owner")
    e = info.value
    assert type(e) is cls
    assert e.status == status
    assert e.message == "Project is archived"
    assert e.param == "role"
    assert e.type == "invalid_request_error"
    assert e.method == "POST"
    assert e.path == "/organization/projects/{project_id}/users/{user_id}"
    assert str(e) == f"{cls.label}: Project is archived (param: role)"
    assert "\n" not in str(e)


async def test_bad_request_message_format(server: FakeServer, client) -> None:
    server.on(
        "POST", "/organization/projects/p/users/u", err(400, "Project is archived", param="role")
    )
    with pytest.raises(E.BadRequestError) as info:
        await client.update_project_user("p", "u", "owner")
    assert str(info.value) == "Bad request: Project is archived (param: role)"


async def test_rate_limited_after_retries(server: FakeServer, make_client, fake_time) -> None:
    server.on("GET", "/organization/projects/p", err(429, "slow down", retry_after="7"))
    client = make_client(max_retries=2)
    with pytest.raises(E.RateLimitedError) as info:
        await client.get_project("p")
    assert info.value.retry_after == 7
    assert info.value.status == 429
    assert "retry after 7s" in str(info.value)
    assert len(server.requests) == 3
    assert client.budget.rate_limited == 3


async def test_non_json_error_body(server: FakeServer, make_client) -> None:
    server.on(
        "GET", "/organization/projects/p", httpx.Response(502, text="<html>Bad gateway</html>")
    )
    client = make_client(max_retries=0)
    with pytest.raises(E.ServerError) as info:
        await client.get_project("p")
    assert info.value.message == "HTTP 502 Bad Gateway"
    assert "<html>" not in str(info.value)


async def test_error_envelope_with_string_error(server: FakeServer, client) -> None:
    server.on("GET", "/organization/projects/p", httpx.Response(403, json={"error": "nope"}))
    with pytest.raises(E.PermissionDeniedError, match="Permission denied: nope"):
        await client.get_project("p")


async def test_untrusted_message_is_one_line_and_capped(server: FakeServer, client) -> None:
    server.on("GET", "/organization/projects/p", err(400, "line1\nline2\x1b[31m" + "x" * 5000))
    with pytest.raises(E.BadRequestError) as info:
        await client.get_project("p")
    text = str(info.value)
    assert "\n" not in text and "\x1b" not in text
    assert len(text) < 400


@pytest.mark.parametrize(
    "body",
    [b"not json at all", b'{"id": "proj_1", "object": "organization.pro', b""],
    ids=["garbage", "truncated", "empty"],
)
async def test_malformed_body(server: FakeServer, client, body: bytes) -> None:
    server.on("GET", "/organization/projects/p", httpx.Response(200, content=body))
    with pytest.raises(E.MalformedResponseError) as info:
        await client.get_project("p")
    assert info.value.path == "/organization/projects/{project_id}"


async def test_schema_mismatch_is_malformed_and_short(server: FakeServer, client) -> None:
    huge = {
        "id": "proj_1",
        "object": "organization.project",
        "created_at": "yesterday",
        "x": "y" * 10_000,
    }
    server.on("GET", "/organization/projects/p", ok(huge))
    with pytest.raises(E.MalformedResponseError) as info:
        await client.get_project("p")
    text = str(info.value)
    assert "created_at" in text
    assert len(text) < 400
    assert info.value.__cause__ is None and info.value.__context__ is None


async def test_list_page_without_has_more_is_malformed(server: FakeServer, client) -> None:
    server.on("GET", "/organization/projects", ok({"object": "list", "data": [project(1)]}))
    with pytest.raises(E.MalformedResponseError):
        [p async for p in client.iter_projects()]


async def test_offline_when_cannot_connect(server: FakeServer, make_client) -> None:
    server.on("GET", "/organization/projects/p", httpx.ConnectError("refused"))
    client = make_client(max_retries=1)
    with pytest.raises(E.OfflineError, match="cannot connect"):
        await client.get_project("p")
    assert len(server.requests) == 2


def test_errors_pickle_and_repr() -> None:
    e = E.CreateOutcomeUnknownError(
        "may have happened", cause=E.RequestTimeoutError("slow"), status=None
    )
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is E.CreateOutcomeUnknownError
    assert str(back) == str(e)
    assert isinstance(back.cause, E.RequestTimeoutError)
    assert "CreateOutcomeUnknownError" in repr(e)
    assert E.error_for_status(599, "x").__class__ is E.ServerError
    assert E.error_for_status(429, "x", retry_after=2).retry_after == 2  # type: ignore[attr-defined]
    assert issubclass(E.OfflineError, E.ApiError) and issubclass(
        E.MalformedResponseError, E.ApiError
    )
