"""Key rotation: mint a replacement account, overlap, retire the old; journal and resume."""

from __future__ import annotations

import json
import stat
from collections.abc import AsyncIterator

import pytest
from fixtures_services import T0, World, lose_posts_to

from orgtui import paths
from orgtui.core.services import MintedKey, Reconciliation, RotationError
from orgtui.core.services.rotation import (
    abandon_rotation,
    finish_rotation,
    pending_rotations,
    resume_rotation,
    rotation_status,
    start_rotation,
)
from orgtui.core.services.rotation_journal import JournalError, Rotation, RotationJournal


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


def _quiet(w: World, *key_ids: str) -> None:
    """Stop a key's synthetic traffic and date its last use two hours back."""
    for kid in key_ids:
        w.sb.store.set_fields("api_keys", kid, weight=0.0, last_used_at=int(T0) - 7200)


def _journal_text() -> str:
    return paths.journal_file("test").read_text()


async def test_service_account_rotation_completes(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    old_sid = w.sa_id(pid, "search-indexer")
    old_kid = w.key_id(pid, "search-indexer-embeddings")

    minted = await s.registry.invoke("key.rotate", s, project_id=pid, key_id=old_kid)
    assert isinstance(minted, MintedKey) and minted.rotation_id
    value = minted.secret.reveal()
    accounts = w.live_accounts(pid, "search-indexer")
    assert [a["id"] for a in accounts] == [old_sid, minted.service_account_id]

    journal = paths.journal_file("test")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    text = _journal_text()
    assert value not in text and "SANDBOX-FAKE" not in text and "sk-svcacct-" not in text
    (entry,) = json.loads(text)["rotations"]
    assert entry["step"] == "minted" and entry["new_key_id"] == minted.key_id

    (rotation,) = pending_rotations("test")
    w.clock.advance(1800)  # half an hour of traffic on the old key
    status = await rotation_status(s, rotation)
    assert status.old_requests_since_mint and status.old_requests_since_mint > 0
    assert not status.safe_to_finish and "old key" in status.blocker
    with pytest.raises(RotationError, match="Not finishing"):
        await finish_rotation(s, rotation)
    assert w.live_accounts(pid, "search-indexer")[0]["id"] == old_sid

    _quiet(w, old_kid)
    w.sb.store.set_fields("api_keys", minted.key_id, last_used_at=int(T0))
    w.clock.advance(2 * 3600)
    status = await rotation_status(s, rotation)
    assert status.safe_to_finish, status.blocker
    assert status.rotation.step == "overlap" and status.new_key_last_used_at == int(T0)

    done = await s.registry.invoke("key.rotate", s, project_id=pid, key_id=old_kid, phase="finish")
    assert "deleted the old service account search-indexer" in done.message
    assert [a["id"] for a in w.live_accounts(pid, "search-indexer")] == [minted.service_account_id]
    assert all(k["id"] != old_kid for k in w.live_keys(pid))
    view = s.snapshot.project(pid)
    assert all(a.id != old_sid for a in view.get("service_accounts"))
    assert all(k.id != old_kid for k in view.get("api_keys"))
    assert any(k.id == minted.key_id for k in view.get("api_keys"))
    assert pending_rotations("test") == []
    assert RotationJournal("test").get(minted.rotation_id).step == "done"


async def test_rotation_resumes_in_a_new_session(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    old_kid = w.key_id(pid, "search-indexer-embeddings")
    minted = await start_rotation(s, pid, None, old_kid)
    assert isinstance(minted, MintedKey)
    minted.secret.destroy()
    s.close()

    restarted = w.session("test")  # a fresh Session (as after a restart): state from the journal
    (rotation,) = pending_rotations("test")
    assert rotation.id == minted.rotation_id and rotation.step == "minted"
    with pytest.raises(RotationError, match="already in progress"):
        await start_rotation(restarted, pid, None, old_kid)
    done = await finish_rotation(restarted, rotation, force=True)
    assert done.outcome == "done"
    assert len(w.live_accounts(pid, "search-indexer")) == 1
    assert pending_rotations("test") == []


async def test_user_key_rotation_replaces_it_with_a_service_account(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    old_kid = w.key_id(pid, "legacy-search-v1")  # Alan's key, idle for months
    minted = await start_rotation(s, pid, None, old_kid)
    assert isinstance(minted, MintedKey) and minted.service_account_name == "legacy-search-v1"
    rotation = RotationJournal("test").get(minted.rotation_id)
    assert rotation.kind == "user_key" and rotation.old_service_account_id is None
    status = await rotation_status(s, rotation)
    assert status.safe_to_finish, status.blocker
    await finish_rotation(s, rotation)
    assert all(k["id"] != old_kid for k in w.live_keys(pid))
    assert len(w.live_accounts(pid, "legacy-search-v1")) == 1


async def test_abandon_deletes_the_replacement_and_keeps_the_old(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    old_kid = w.key_id(pid, "search-indexer-embeddings")
    minted = await start_rotation(s, pid, None, old_kid)
    result = await s.registry.invoke(
        "key.rotate", s, project_id=pid, key_id=old_kid, phase="abandon"
    )
    assert "replacement was deleted" in result.message
    assert [a["id"] for a in w.live_accounts(pid, "search-indexer")] != [minted.service_account_id]
    assert len(w.live_accounts(pid, "search-indexer")) == 1
    assert any(k["id"] == old_kid for k in w.live_keys(pid))
    assert pending_rotations("test") == []


async def test_rotation_with_a_lost_create_response(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    old_kid = w.key_id(pid, "search-indexer-embeddings")
    w.transport.lose = lose_posts_to("/service_accounts")
    result = await start_rotation(s, pid, None, old_kid)
    assert isinstance(result, Reconciliation) and result.outcome == "created_unconfirmed"
    assert result.rotation_id
    assert len(w.live_accounts(pid, "search-indexer")) == 2  # one new account, not two
    rotation = RotationJournal("test").get(result.rotation_id)
    assert rotation.step == "minted" and rotation.new_service_account_id == result.found_id
    assert rotation.new_key_id is None and "mint a key" in rotation.note
    status = await rotation_status(s, rotation)
    assert "no key yet" in status.blocker


async def test_rotation_interrupted_mid_create_is_settled_on_resume(w: World) -> None:
    await w.loaded()
    pid = w.pid("search-prod")
    old_sid = w.sa_id(pid, "search-indexer")
    journal = RotationJournal("test")

    def minting(old_kid: str) -> Rotation:
        return journal.put(
            Rotation.new(
                profile="test",
                kind="service_account",
                project_id=pid,
                project_name="search-prod",
                old_key_id=old_kid,
                old_key_name="k",
                old_service_account_id=old_sid,
                old_service_account_name="search-indexer",
                new_name="search-indexer",
                role="member",
                step="minting",
                started_at=T0,
                updated_at=T0,
            )
        )

    # The process died after the journal entry but before the create request went out.
    never = minting("key_a")
    settled = await resume_rotation(w.session("test"), never)
    assert settled.step == "abandoned" and "never created" in settled.note

    # The process died after the create reached the server.
    reached = minting("key_b")
    created = await w.client.create_service_account(pid, "search-indexer")
    settled = await resume_rotation(w.session("test"), reached.id)
    assert settled.step == "minted" and settled.new_service_account_id == created.id


async def test_abandoned_when_the_create_is_refused(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    old_kid = w.key_id(pid, "search-indexer-embeddings")
    w.transport.never_arrives = lose_posts_to("/service_accounts")
    result = await start_rotation(s, pid, None, old_kid)
    assert isinstance(result, Reconciliation) and result.outcome == "not_created"
    assert RotationJournal("test").get(result.rotation_id).step == "abandoned"
    assert pending_rotations("test") == []
    with pytest.raises(RotationError):
        await abandon_rotation(s, "nope")


def _entry(**changes: object) -> Rotation:
    values: dict = dict(
        profile="test",
        kind="user_key",
        project_id="proj_x",
        project_name="p",
        old_key_id="key_old",
        old_key_name="k",
        old_service_account_id=None,
        old_service_account_name=None,
        new_name="k",
        role="member",
        step="minted",
        started_at=T0,
        updated_at=T0,
    )
    values.update(changes)
    return Rotation.new(**values)


def test_journal_refuses_anything_that_looks_like_a_key() -> None:
    journal = RotationJournal("test")
    journal.put(_entry())
    with pytest.raises(JournalError, match="looks like a key value"):
        journal.put(_entry(note="sk-svcacct-SANDBOX-FAKE-abcdefghijklmnopqrstuvwxyz"))
    assert len(journal.load()) == 1


def test_damaged_journal_is_reported_not_discarded() -> None:
    path = paths.journal_file("test")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    with pytest.raises(JournalError, match="damaged"):
        pending_rotations("test")
    assert path.read_text() == "{not json"


def test_finished_rotations_are_pruned_after_six_months() -> None:
    journal = RotationJournal("test")
    old = journal.put(_entry(step="done", finished_at=T0, updated_at=T0))
    journal.put(
        _entry(old_key_id="key_new", started_at=T0 + 200 * 86400, updated_at=T0 + 200 * 86400)
    )
    assert journal.get(old.id) is None and len(journal.load()) == 1
