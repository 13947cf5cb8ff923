"""The admin key never shows up in an error, a repr, an exception chain or a log record."""

from __future__ import annotations

import logging
import pickle
from typing import Any

import httpx
import pytest

from orgtui.api import errors as E
from orgtui.api._base import Secret, parse
from orgtui.api.client import AdminClient
from orgtui.api.models import AdminApiKeyCreateResponse

from .conftest import BASE_URL, TEST_KEY, FakeServer, err, ok

SA_PATH = "/organization/projects/proj_1/service_accounts"


def _texts(exc: BaseException, depth: int = 0) -> list[str]:
    """Everything an error could leak through, following its chain."""
    out = [str(exc), repr(exc), repr(exc.args), repr(vars(exc)), repr(pickle.dumps(exc))]
    for linked in (exc.__cause__, exc.__context__, getattr(exc, "cause", None)):
        if linked is not None and depth < 5:
            assert not isinstance(linked, httpx.HTTPError), "an httpx exception is chained"
            out += _texts(linked, depth + 1)
    return out


async def _collect_errors(server: FakeServer, client: AdminClient) -> list[E.ApiError]:
    echo = f"Incorrect API key provided: {TEST_KEY}"
    server.on("GET", "/organization/projects/p401", err(401, echo, param=TEST_KEY))
    server.on("GET", "/organization/projects/p403", err(403, echo))
    server.on("GET", "/organization/projects/p429", err(429, echo, retry_after="1"))
    server.on("GET", "/organization/projects/p500", err(500, echo))
    server.on("GET", "/organization/projects/pbad", httpx.Response(200, content=TEST_KEY.encode()))
    server.on("GET", "/organization/projects/pshape", ok({"id": TEST_KEY}))
    server.on("GET", "/organization/projects/pconn", httpx.ConnectError(f"refused {TEST_KEY}"))
    server.on("GET", "/organization/projects/pdrop", httpx.ReadError(f"reset {TEST_KEY}"))
    server.on("GET", "/organization/projects/ptime", httpx.ReadTimeout(f"slow {TEST_KEY}"))
    server.on("POST", SA_PATH, httpx.RemoteProtocolError(f"eof {TEST_KEY}"))
    caught: list[E.ApiError] = []
    for pid in ("p401", "p403", "p429", "p500", "pbad", "pshape", "pconn", "pdrop", "ptime"):
        with pytest.raises(E.ApiError) as info:
            await client.get_project(pid)
        caught.append(info.value)
    with pytest.raises(E.CreateOutcomeUnknownError) as info:
        await client.create_service_account("proj_1", "bot")
    caught.append(info.value)
    return caught


async def test_key_absent_from_errors_and_logs(
    server: FakeServer, make_client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(max_retries=1)
    caught = await _collect_errors(server, client)
    assert {type(e) for e in caught} >= {
        E.AuthenticationError,
        E.PermissionDeniedError,
        E.RateLimitedError,
        E.ServerError,
        E.MalformedResponseError,
        E.OfflineError,
        E.RequestTimeoutError,
        E.CreateOutcomeUnknownError,
    }
    for e in caught:
        for text in _texts(e):
            assert TEST_KEY not in text, (type(e).__name__, text)
    # the API's echo of the key is redacted, the rest of its message kept
    assert caught[0].message == "Incorrect API key provided: [redacted]"
    assert caught[0].param == "[redacted]"
    assert caplog.records, "the client logs its requests"
    for rec in caplog.records:
        assert TEST_KEY not in rec.getMessage()
        assert TEST_KEY not in repr(rec.args)
        assert "authorization" not in rec.getMessage().lower()
    api_records = [r for r in caplog.records if r.name == "orgtui.api"]
    assert any("GET /organization/projects/{project_id}" in r.getMessage() for r in api_records)


async def test_client_repr_and_state_hide_key(make_client) -> None:
    client = make_client()
    assert repr(client) == f"AdminClient(base_url={BASE_URL!r})"
    assert str(client) == repr(client)
    assert TEST_KEY not in repr(vars(client))


@pytest.mark.parametrize("bad", ["", "sk-admin-has space", "sk-admin-new\nline"])
def test_invalid_key_rejected_without_echo(bad: str) -> None:
    with pytest.raises(ValueError) as info:
        AdminClient(BASE_URL, bad)
    assert not bad or bad not in str(info.value)


async def test_key_accepted_as_secret(server: FakeServer, make_client) -> None:
    server.on("GET", "/organization/projects/p", ok({"id": "p", "created_at": 1}))
    client = make_client(admin_key=Secret(TEST_KEY))
    await client.get_project("p")
    assert server.requests[0].headers["authorization"] == f"Bearer {TEST_KEY}"


def test_minted_values_never_in_repr() -> None:
    minted = "sk-admin-MINTED-FAKE-value-000000"
    data: dict[str, Any] = {
        "id": "key_1",
        "redacted_value": "sk-admin...000",
        "created_at": 1,
        "value": minted,
        "extra_secret": minted,  # an unexpected extra field holding a key value
    }
    key = parse(AdminApiKeyCreateResponse, data)
    for text in (repr(key), str(key), f"{key!r}", repr([key])):
        assert minted not in text
    assert key.value.reveal() == minted
    assert "sk-admin...000" in repr(key)  # redacted values stay visible


def test_unexpected_nested_and_declared_secrets_masked_in_repr() -> None:
    from orgtui.api.models import ProjectApiKey

    live = "sk-proj-LIVE-FAKE-value-0000000000"
    key = parse(
        ProjectApiKey,
        {
            "id": "key_1",
            "redacted_value": live,  # a server bug: unredacted value where a redacted one belongs
            "created_at": 1,
            "owner": {"type": "user"},
            "rotation": {"next": {"value": "plain-secret-text"}, "list": [live]},
        },
    )
    text = repr(key)
    assert live not in text and "plain-secret-text" not in text
    assert key.redacted_value == live  # data is untouched; only repr masks
