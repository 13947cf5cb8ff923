"""Key and service-account services against the sandbox: effects there and in the snapshot."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fixtures_services import World, lose_posts_to

from orgtui.api.errors import BadRequestError
from orgtui.core.services import (
    ArchivedProjectError,
    InvalidInput,
    MintedAdminKey,
    MintedKey,
    Reconciliation,
    ServiceAccountKeyError,
)
from orgtui.core.services.admin_keys import DEFAULT_ADMIN_KEY_EXPIRY
from orgtui.core.snapshot import project_part


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


def _cache_text(w: World) -> bytes:
    from orgtui import paths

    return paths.cache_file("test").read_bytes()


async def test_key_create_mints_once_and_updates_snapshot(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    before = len(s.snapshot.project(pid).get("api_keys"))
    result = await s.registry.invoke("key.create", s, project_id=pid, name="search-ranker")
    assert isinstance(result, MintedKey)
    value = result.secret.reveal()
    assert value.startswith("sk-svcacct-") and value not in repr(result)
    assert result.service_account_name == "search-ranker" and result.role == "member"
    assert result.redacted_value.endswith(value[-4:])
    (row,) = w.live_accounts(pid, "search-ranker")
    assert row["id"] == result.service_account_id and row["role"] == "member"
    view = s.snapshot.project(pid)
    assert len(view.get("api_keys")) == before + 1
    assert any(sa.id == result.service_account_id for sa in view.get("service_accounts"))
    new_key = next(k for k in view.get("api_keys") if k.id == result.key_id)
    assert new_key.owner.service_account.id == result.service_account_id
    assert value not in repr(s.snapshot)
    assert value.encode() not in _cache_text(w)


async def test_key_create_owner_role_takes_a_follow_up_update(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-dev")
    result = await s.registry.invoke("key.create", s, project_id=pid, name="deployer", role="owner")
    assert isinstance(result, MintedKey) and result.role == "owner"
    assert w.live_accounts(pid, "deployer")[0]["role"] == "owner"
    assert w.transport.count("POST", f"/service_accounts/{result.service_account_id}") == 1


async def test_key_create_with_scopes_creates_account_only_then_mints(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-dev")
    result = await s.registry.invoke(
        "key.create", s, project_id=pid, name="responder", scopes="api.responses.write"
    )
    assert isinstance(result, MintedKey)
    assert result.scopes == ("api.responses.write",) and result.key_name == "responder"
    assert w.live_accounts(pid, "responder")[0]["role"] == "member"
    key = w.rows("SELECT * FROM api_keys WHERE id = ?", (result.key_id,))[0]
    assert json.loads(key["scopes"]) == ["api.responses.write"]
    assert len([k for k in w.live_keys(pid) if k["owner_sa_id"] == result.service_account_id]) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": ""}, "Name is empty"),
        ({"name": "bad\x1b[2Jname"}, "Name has a control character at position 4"),
        ({"name": "x" * 65}, "Name is 65 characters; the limit is 64"),
        ({"name": "ok", "role": "admin"}, "Role must be one of member, owner (got 'admin')"),
        (
            {"name": "ok", "scopes": ["api.x", "bad scope\x07"]},
            "Scope 'bad scope\\x07' is not valid",
        ),
    ],
)
async def test_key_create_bad_input(w: World, params: dict, message: str) -> None:
    s = await w.loaded()
    before = w.state()
    with pytest.raises(InvalidInput) as info:
        await s.registry.invoke("key.create", s, project_id=w.pid("search-dev"), **params)
    assert str(info.value).startswith(message)
    assert w.state() == before


async def test_key_create_in_archived_project_refused(w: World) -> None:
    s = await w.loaded()
    with pytest.raises(ArchivedProjectError, match="is archived"):
        await s.registry.invoke("key.create", s, project_id=w.pid("experiment-2025"), name="x")


async def test_mint_another_key_for_account(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    sid = w.sa_id(pid, "search-api")
    result = await s.registry.invoke(
        "service_account.mint", s, project_id=pid, service_account_id=sid, name="search-api-2"
    )
    assert isinstance(result, MintedKey) and result.service_account_name == "search-api"
    assert w.key_id(pid, "search-api-2") == result.key_id
    assert any(k.id == result.key_id for k in s.snapshot.project(pid).get("api_keys"))


async def test_delete_user_key(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    kid = w.key_id(pid, "ada-debug")
    result = await s.registry.invoke("key.delete", s, project_id=pid, key_id=kid)
    assert result.outcome == "done" and "ada-debug" in result.message
    assert all(k["id"] != kid for k in w.live_keys(pid))
    assert all(k.id != kid for k in s.snapshot.project(pid).get("api_keys"))


async def test_delete_service_account_key_is_refused_with_the_way_out(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    kid = w.key_id(pid, "search-reranker")
    before = w.state()
    with pytest.raises(ServiceAccountKeyError) as info:
        await s.registry.invoke("key.delete", s, project_id=pid, key_id=kid)
    err = info.value
    assert (
        err.service_account_name == "search-api"
        and err.suggested_action == "service_account.delete"
    )
    assert "Delete the service account instead" in str(err)
    assert w.state() == before
    assert w.transport.count("DELETE", f"/api_keys/{kid}") == 0


async def test_the_api_itself_refuses_a_service_account_key_delete(w: World) -> None:
    pid = w.pid("search-prod")
    with pytest.raises(BadRequestError):
        await w.client.delete_project_api_key(pid, w.key_id(pid, "search-reranker"))


async def test_delete_service_account_drops_its_keys(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    sid = w.sa_id(pid, "search-api")
    result = await s.registry.invoke(
        "service_account.delete", s, project_id=pid, service_account_id=sid
    )
    assert "2 key(s)" in result.message
    assert not w.live_accounts(pid, "search-api")
    assert all(k["owner_sa_id"] != sid for k in w.live_keys(pid))
    view = s.snapshot.project(pid)
    assert all(sa.id != sid for sa in view.get("service_accounts"))
    assert all(
        not k.owner.service_account or k.owner.service_account.id != sid
        for k in view.get("api_keys")
    )


async def test_service_account_role(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    sid = w.sa_id(pid, "search-indexer")
    changes: list[tuple[str, ...]] = []
    s.subscribe(lambda snap, parts: changes.append(parts))
    result = await s.registry.invoke(
        "service_account.role", s, project_id=pid, service_account_id=sid, role="owner"
    )
    assert result.outcome == "done"
    assert w.live_accounts(pid, "search-indexer")[0]["role"] == "owner"
    assert (
        next(a for a in s.snapshot.project(pid).get("service_accounts") if a.id == sid).role
        == "owner"
    )
    assert changes == [(project_part(pid, "service_accounts"),)]
    again = await s.registry.invoke(
        "service_account.role", s, project_id=pid, service_account_id=sid, role="owner"
    )
    assert again.outcome == "unchanged"


# ---------------------------------------------------------------- lost responses


async def test_lost_create_is_reconciled_without_a_duplicate(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-dev")
    w.transport.lose = lose_posts_to("/service_accounts")
    result = await s.registry.invoke("key.create", s, project_id=pid, name="lost-in-transit")
    assert isinstance(result, Reconciliation)
    assert result.outcome == "created_unconfirmed" and result.kind == "service_account"
    assert result.suggested_action == "service_account.mint"
    assert "mint a new key" in result.message
    assert w.transport.count("POST", "/service_accounts") == 1  # never re-sent
    (row,) = w.live_accounts(pid, "lost-in-transit")
    assert result.found_id == row["id"]
    assert any(a.id == row["id"] for a in s.snapshot.project(pid).get("service_accounts"))


async def test_lost_create_that_never_happened(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-dev")
    w.transport.never_arrives = lose_posts_to("/service_accounts")
    result = await s.registry.invoke("key.create", s, project_id=pid, name="never-made")
    assert isinstance(result, Reconciliation) and result.outcome == "not_created"
    assert "safe to try again" in result.message
    assert not w.live_accounts(pid, "never-made")


async def test_lost_create_and_failed_read_back_is_unknown(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-dev")
    w.transport.lose = lose_posts_to("/service_accounts")
    w.transport.fail_reads = True
    result = await s.registry.invoke("key.create", s, project_id=pid, name="who-knows")
    assert isinstance(result, Reconciliation) and result.outcome == "unknown"
    assert "Refresh and look before trying again" in result.message
    assert len(w.live_accounts(pid, "who-knows")) == 1  # it exists; the user was told to look


async def test_lost_mint_is_reconciled(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    sid = w.sa_id(pid, "search-api")
    w.transport.lose = lose_posts_to("/api_keys")
    result = await s.registry.invoke(
        "service_account.mint", s, project_id=pid, service_account_id=sid, name="lost-key"
    )
    assert isinstance(result, Reconciliation) and result.outcome == "created_unconfirmed"
    assert result.kind == "api_key" and "cannot be recovered" in result.message
    assert w.transport.count("POST", "/api_keys") == 1


# ---------------------------------------------------------------- admin keys


async def test_admin_key_create_expires_by_default(w: World) -> None:
    s = await w.loaded()
    result = await s.registry.invoke("admin_key.create", s, name="ci-admin")
    assert isinstance(result, MintedAdminKey) and result.warning is None
    assert result.expires_at == int(w.clock.now()) + DEFAULT_ADMIN_KEY_EXPIRY
    assert result.secret.reveal().startswith("sk-admin-")
    assert any(k.id == result.key_id for k in s.snapshot.admin_keys)
    row = w.rows("SELECT * FROM admin_keys WHERE id = ?", (result.key_id,))[0]
    assert row["expires_at"] == result.expires_at


async def test_admin_key_without_expiry_only_when_asked(w: World) -> None:
    s = await w.loaded()
    with pytest.raises(InvalidInput, match="never expires"):
        await s.registry.invoke("admin_key.create", s, name="x", expires_in_seconds=None)
    with pytest.raises(InvalidInput, match="between 1 second and 365 days"):
        await s.registry.invoke("admin_key.create", s, name="x", expires_in_seconds=400 * 86400)
    result = await s.registry.invoke("admin_key.create", s, name="forever", no_expiry=True)
    assert result.expires_at is None and "never expires" in result.warning


async def test_admin_key_delete_and_lost_create(w: World) -> None:
    s = await w.loaded()
    w.transport.lose = lose_posts_to("/admin_api_keys")
    result = await s.registry.invoke("admin_key.create", s, name="lost-admin")
    assert isinstance(result, Reconciliation) and result.outcome == "created_unconfirmed"
    assert result.suggested_action == "admin_key.delete"
    done = await s.registry.invoke("admin_key.delete", s, key_id=result.found_id)
    assert "lost-admin" in done.message
    assert all(k.id != result.found_id for k in s.snapshot.admin_keys)
    assert w.rows("SELECT deleted_at FROM admin_keys WHERE id = ?", (result.found_id,))[0][
        "deleted_at"
    ]
