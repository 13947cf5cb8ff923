"""RBAC lists page by `next` (style B); audit `tenant_only`; `expires_at` on keys."""

from __future__ import annotations

import json

import pytest

from orgtui.api._base import parse
from orgtui.api.errors import MalformedResponseError
from orgtui.api.models import ProjectApiKey, ProjectServiceAccountCreateResponse

from .conftest import ok


def _group(i: int) -> dict:
    return {"id": f"group_{i}", "name": f"G{i}", "created_at": 1, "is_scim_managed": False}


async def test_groups_follow_the_next_cursor(server, client) -> None:
    pages = [
        ok({"object": "list", "data": [_group(1)], "has_more": True, "next": "cur_A"}),
        ok({"object": "list", "data": [_group(2)], "has_more": False, "next": None}),
    ]
    server.on("GET", "/organization/groups", *pages)
    groups = [g async for g in client.iter_groups()]
    assert [g.id for g in groups] == ["group_1", "group_2"]
    sent = server.calls("GET", "/organization/groups")
    assert "after" not in sent[0].url.params
    assert sent[1].url.params["after"] == "cur_A"  # the opaque cursor, not the last id


async def test_a_repeated_next_cursor_is_a_malformed_response(server, client) -> None:
    page = ok({"object": "list", "data": [_group(1)], "has_more": True, "next": "same"})
    server.on("GET", "/organization/groups", page)
    with pytest.raises(MalformedResponseError, match="repeated"):
        _ = [g async for g in client.iter_groups()]
    assert len(server.calls()) == 2


async def test_bad_role_and_group_arguments_fail_before_sending(server, client) -> None:
    with pytest.raises(ValueError):
        await client.create_group("  ")
    with pytest.raises(ValueError):
        await client.update_role("role_1")
    with pytest.raises(TypeError):
        await client.create_role("r", "api.groups.read")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        client.iter_groups(order="sideways")
    assert server.requests == []


async def test_tenant_only_is_sent_only_when_asked(server, client) -> None:
    server.on(
        "GET", "/organization/audit_logs", ok({"object": "list", "data": [], "has_more": False})
    )
    await client.audit_log_page(event_types=["tenant.user.added"], tenant_only=True)
    await client.audit_log_page()
    first, second = server.calls()
    assert first.url.params["tenant_only"] == "true"
    assert "tenant_only" not in second.url.params


def test_expires_at_is_kept_on_keys_when_present() -> None:
    key = {"id": "key_1", "redacted_value": "sk-a...b", "created_at": 1, "expires_at": 99}
    assert parse(ProjectApiKey, key).expires_at == 99
    assert parse(ProjectApiKey, {**key, "expires_at": None}).expires_at is None
    created = {
        "id": "svc_1",
        "name": "bot",
        "role": "member",
        "created_at": 1,
        "api_key": {"value": "sk-svcacct-FAKE", "created_at": 1, "id": "key_2", "expires_at": 7},
    }
    account = parse(ProjectServiceAccountCreateResponse, created)
    assert account.api_key is not None and account.api_key.expires_at == 7


async def test_service_account_expiry_is_sent_only_when_given(server, client) -> None:
    body = {"id": "svc_1", "name": "bot", "role": "member", "created_at": 1, "api_key": None}
    server.on("POST", "/organization/projects/proj_1/service_accounts", ok(body))
    await client.create_service_account("proj_1", "bot", expires_in_seconds=3600)
    await client.create_service_account("proj_1", "bot")
    first, second = (json.loads(r.content) for r in server.calls())
    assert first["expires_in_seconds"] == 3600
    assert "expires_in_seconds" not in second
    with pytest.raises(ValueError):
        await client.create_service_account("proj_1", "bot", expires_in_seconds=0)
