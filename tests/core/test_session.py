"""Session: apply merges, persists and notifies; read-only; no secret ever reaches the cache."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from orgtui import paths
from orgtui.config import Profile
from orgtui.core.actions import ActionRegistry
from orgtui.core.cache import Cache
from orgtui.core.session import Session
from orgtui.core.snapshot import OrgSnapshot, PartStatus, project_part
from orgtui.core.sync import Syncer


def _session(**kw: Any) -> Session:
    profile = kw.pop("profile", Profile(name="test", org_name="Test Org"))
    return Session(profile, client=None, cache=Cache.open("test"), **kw)  # type: ignore[arg-type]


def test_starts_empty_then_from_cache(factories: ModuleType) -> None:
    session = _session()
    assert session.snapshot == OrgSnapshot.empty("test", "Test Org")
    snap = factories.make_snapshot(projects=2)
    session.replace_all(snap)
    session.close()

    again = _session(profile=Profile(name="test", org_name="Renamed Org"))
    assert again.snapshot.projects == snap.projects
    assert again.snapshot.org_name == "Renamed Org"  # the profile names the org
    assert again.notice is None
    again.close()


def test_apply_merges_persists_and_notifies(factories: ModuleType) -> None:
    session = _session()
    session.replace_all(factories.make_snapshot(projects=2))
    seen: list[tuple[OrgSnapshot, tuple[str, ...]]] = []
    unsubscribe = session.subscribe(lambda snap, parts: seen.append((snap, parts)))

    def broken(_snap: OrgSnapshot, _parts: tuple[str, ...]) -> None:
        raise RuntimeError("view bug")

    session.subscribe(broken)
    part = project_part("proj_0001", "keys")
    stale_base = session.snapshot
    new = stale_base.with_project("proj_0001", api_keys=[]).with_org(users=[])
    new = new.with_part_status(part, PartStatus(factories.T0 + 1))
    result = session.apply(new, [part])

    assert result is session.snapshot
    assert session.snapshot.projects["proj_0001"].get("api_keys") == []
    assert session.snapshot.users == stale_base.users  # not listed: not taken
    assert seen == [(session.snapshot, (part,))]
    # A second writer that started from the old snapshot does not undo the first.
    other = stale_base.with_org(invites=[]).with_part_status("invites", PartStatus(5.0))
    session.apply(other, ["invites"])
    assert session.snapshot.projects["proj_0001"].get("api_keys") == []
    assert session.snapshot.invites == []

    unsubscribe()
    session.update(lambda s: s.with_part_error("users", "Offline: x"), ["users"])
    assert len(seen) == 2
    loaded = session.cache.load() if session.cache else None
    assert loaded is not None
    assert loaded.projects["proj_0001"].get("api_keys") == []
    assert loaded.invites == [] and loaded.parts["users"].error == "Offline: x"
    session.close()


def test_cache_write_failure_keeps_working(factories: ModuleType) -> None:
    session = _session(snapshot=factories.make_snapshot(projects=1))
    assert session.cache is not None
    session.cache.close()  # every write now fails
    session.apply(session.snapshot.with_org(users=[]), ["users"])
    assert session.snapshot.users == []
    assert session.notice is not None and "could not be written" in session.notice


def test_read_only_sources() -> None:
    assert not _session().read_only
    ro_profile = _session(profile=Profile(name="test", read_only=True))
    assert ro_profile.read_only and ro_profile.registry.read_only
    flag = _session(read_only=True)
    assert flag.read_only and flag.registry.read_only
    registry = ActionRegistry(read_only=True)
    assert _session(registry=registry).read_only
    session = _session()
    session.read_only = True
    assert session.registry.read_only


def test_damage_notice_reaches_the_session() -> None:
    target = paths.cache_file("test")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"not a database at all" * 100)
    session = _session()
    assert session.notice is not None and session.notice.startswith("The cache was damaged")
    assert session.snapshot.projects == {}


async def test_no_secret_reaches_the_cache_from_create_responses(
    make_session: Callable[..., Any], client: Any
) -> None:
    session = make_session()
    await Syncer(session).refresh_all()
    pid = next(v.id for v in session.snapshot.projects.values() if not v.archived)

    created = await client.create_service_account(pid, "deploy-bot")
    minted = await client.create_service_account_key(pid, created.id, name="extra")
    admin = await client.create_admin_key("ci-admin")
    secrets = [
        created.api_key.value.reveal(),
        minted.value.reveal(),
        admin.value.reveal(),
    ]
    assert all(len(s) > 20 for s in secrets)

    # A careless service puts create responses straight into the snapshot.
    view = session.snapshot.projects[pid]
    snap = session.snapshot.with_project(
        pid,
        service_accounts=[*(view.get("service_accounts") or []), created],
        api_keys=[*(view.get("api_keys") or []), minted],
    )
    snap = snap.with_org(admin_keys=[*(session.snapshot.admin_keys or []), admin])
    session.apply(
        snap, [project_part(pid, "service_accounts"), project_part(pid, "keys"), "admin_keys"]
    )
    assert session.cache is not None
    assert list(session.cache.refused) == [
        project_part(pid, "keys")
    ]  # a key is not a ProjectApiKey
    reopened = Cache.open("test")
    assert reopened.load() is not None and reopened.notice is None
    reopened.close()
    # ... and then everything is refreshed and saved again.
    await Syncer(session).refresh_all()
    session.replace_all(session.snapshot)

    written = b"".join(p.read_bytes() for p in paths.cache_dir().iterdir() if p.is_file())
    assert written, "the cache wrote something"
    for secret in secrets:
        assert secret.encode() not in written
    assert any(
        acc.id == created.id for acc in session.snapshot.projects[pid].get("service_accounts") or []
    )


def test_apply_refuses_unknown_part_ids(factories: ModuleType) -> None:
    session = _session()
    with pytest.raises(ValueError):
        session.apply(factories.make_snapshot(projects=1), ["projects", "project:p:bogus"])
    assert session.snapshot.projects == {}  # nothing half-applied
    session.close()


def test_a_big_part_landing_is_frozen_out_of_later_collections(factories: ModuleType) -> None:
    """10,000 keys are ~180,000 objects that live until the next refresh: a session freezes
    them once they land (orgtui.perf_gc.freeze_after), a small change it does not."""
    import gc

    from orgtui import perf_gc

    session = _session()
    session.replace_all(factories.make_snapshot(projects=1))
    pid = next(iter(session.snapshot.projects))
    part = project_part(pid, "keys")
    try:
        small = [factories.make_key(pid, i) for i in range(3)]
        session.apply(session.snapshot.with_project(pid, api_keys=small), [part])
        assert gc.get_freeze_count() == 0
        big = [factories.make_key(pid, i) for i in range(perf_gc.BIG_PART)]
        session.apply(
            session.snapshot.with_project(pid, api_keys=big).with_part_status(
                part, PartStatus(1.0)
            ),
            [part],
        )
        assert gc.get_freeze_count() > 0
        assert session.snapshot.project(pid).count("api_keys") == perf_gc.BIG_PART  # type: ignore[union-attr]
    finally:
        gc.unfreeze()
        session.close()
