"""The SQLite cache: round trip, privacy, schema versions, damage, interrupted writes, secrets."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from orgtui import paths
from orgtui.api._base import parse
from orgtui.api.models import (
    AdminApiKeyCreateResponse,
    Project,
    ProjectServiceAccountCreateResponse,
)
from orgtui.core.cache import SCHEMA_VERSION, Cache, find_secret
from orgtui.core.lazy_part import LazyPart
from orgtui.core.snapshot import OrgSnapshot, PartStatus, project_part

SECRET_SA = "sk-proj-svcacct-FAKE-0123456789abcdefghijklmnop"
SECRET_ADMIN = "sk-admin-FAKE-0123456789abcdefghijklmnopqrstu"


def cache_bytes() -> bytes:
    """Every byte the cache wrote (main file, WAL, anything else in the dir)."""
    return b"".join(p.read_bytes() for p in paths.cache_dir().iterdir() if p.is_file())


def test_round_trip_equality(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=4, keys=3, archived=1)
    snap = snap.with_part_error("invites", "Server error: boom")
    with Cache.open("test") as cache:
        assert cache.load() is None
        cache.save(snap)
        assert cache.load() == snap
    with Cache.open("test") as cache:
        loaded = cache.load()
    assert loaded == snap
    assert loaded is not None
    assert list(loaded.projects) == list(snap.projects)
    assert loaded.parts["invites"] == PartStatus(factories.T0, "Server error: boom")
    assert cache.notice is None


def test_save_parts_writes_only_those_parts(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=2)
    pid = "proj_0001"
    with Cache.open("test") as cache:
        cache.save(snap)
        changed = snap.with_project(pid, api_keys=[]).with_org(users=[])
        cache.save_parts(changed, [project_part(pid, "keys")])
        loaded = cache.load()
    assert loaded is not None
    assert loaded.projects[pid].get("api_keys") == []
    assert loaded.users == snap.users  # not listed, not written


def test_dropped_projects_leave_the_cache(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=3)
    with Cache.open("test") as cache:
        cache.save(snap)
        fewer = snap.with_projects([factories.make_project(2)], factories.T0 + 1)
        cache.save_parts(fewer, ["projects"])
        rows = cache._conn.execute(
            "SELECT DISTINCT pid FROM parts WHERE pid IS NOT NULL"
        ).fetchall()
        loaded = cache.load()
    assert rows == [("proj_0002",)]
    assert loaded is not None and list(loaded.projects) == ["proj_0002"]


def test_unfetched_limits_and_no_limit_differ(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=2)
    snap = snap.with_project("proj_0000", spend_limit=None).with_project(
        "proj_0001", spend_limit=None
    )
    snap = snap.with_part_status(project_part("proj_0001", "limits"), PartStatus(None, "Offline"))
    with Cache.open("test") as cache:
        cache.save(snap)
        loaded = cache.load()
    assert loaded is not None
    assert loaded.is_fetched(project_part("proj_0000", "limits"))
    assert not loaded.is_fetched(project_part("proj_0001", "limits"))


def test_file_is_private_whatever_the_umask(factories: ModuleType) -> None:
    old = os.umask(0)
    try:
        with Cache.open("test") as cache:
            cache.save(factories.make_snapshot(projects=1))
            files = [p for p in paths.cache_dir().iterdir() if p.is_file()]
            assert cache.path in files
            for path in files:  # the main file, and the WAL/shm files SQLite made beside it
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        os.umask(old)


def test_existing_file_with_loose_mode_is_tightened(factories: ModuleType) -> None:
    target = paths.cache_file("test")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o644)
    target.chmod(0o644)
    with Cache.open("test"):
        pass
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION + 1])
def test_other_schema_version_is_rebuilt(factories: ModuleType, version: int) -> None:
    with Cache.open("test") as cache:
        cache.save(factories.make_snapshot(projects=1))
    conn = sqlite3.connect(paths.cache_file("test"))
    conn.execute(f"PRAGMA user_version={version}")
    conn.execute("CREATE TABLE legacy (x)")
    conn.commit()
    conn.close()
    with Cache.open("test") as cache:
        assert cache.load() is None
        assert cache.notice is None
        tables = {r[0] for r in cache._conn.execute("SELECT name FROM sqlite_master")}
        assert "legacy" not in tables
        cache.save(factories.make_snapshot(projects=1))
        assert cache.load() is not None


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION])
def test_foreign_sqlite_file_is_rebuilt(version: int) -> None:
    target = paths.cache_file("test")
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(target)
    conn.execute(f"PRAGMA user_version={version}")
    conn.execute("CREATE TABLE parts (x)")
    conn.execute("CREATE TABLE meta (k, v)")
    conn.commit()
    conn.close()
    with Cache.open("test") as cache:
        assert cache.path is not None and cache.notice is None
        assert cache.load() is None


def _assert_moved_aside(cache: Cache, original: bytes) -> None:
    assert cache.notice is not None
    assert cache.notice.startswith(
        "The cache was damaged and has been rebuilt; the old file is at "
    )
    aside = Path(cache.notice.rsplit(" ", 1)[-1])
    assert aside.name.startswith(paths.cache_file("test").name + ".corrupt-")
    assert aside.read_bytes() == original


def test_garbage_file_is_moved_aside_with_notice(factories: ModuleType) -> None:
    target = paths.cache_file("test")
    target.parent.mkdir(parents=True, exist_ok=True)
    garbage = os.urandom(3000)
    target.write_bytes(garbage)
    with Cache.open("test") as cache:
        _assert_moved_aside(cache, garbage)
        assert cache.load() is None
        snap = factories.make_snapshot(projects=1)
        cache.save(snap)
        assert cache.load() == snap
    with Cache.open("test") as cache:
        assert cache.notice is None


def test_truncated_file_is_moved_aside_with_notice(factories: ModuleType) -> None:
    with Cache.open("test") as cache:
        cache.save(factories.make_snapshot(projects=60, keys=20))
    target = paths.cache_file("test")
    data = target.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    with Cache.open("test") as cache:
        assert cache.load() is None
        _assert_moved_aside(cache, data[: len(data) // 2])


def test_undecodable_row_counts_as_damage(factories: ModuleType) -> None:
    with Cache.open("test") as cache:
        cache.save(factories.make_snapshot(projects=1))
        cache._conn.execute("UPDATE parts SET data = x'7b6e6f' WHERE part_id = 'users'")
        assert cache.load() is None
        assert cache.notice is not None and "damaged" in cache.notice


def test_exception_mid_transaction_keeps_previous_state(
    factories: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = factories.make_snapshot(projects=3)
    with Cache.open("test") as cache:
        cache.save(before)
        original = Cache._write

        def write_then_fail(self: Cache, *args: object, **kw: object) -> None:
            original(self, *args, **kw)  # type: ignore[arg-type]
            raise OSError("disk on fire (test)")

        monkeypatch.setattr(Cache, "_write", write_then_fail)
        after = before.with_projects([], factories.T0 + 1).with_org(users=[])
        with pytest.raises(OSError):
            cache.save(after)
        assert cache.load() == before
    with Cache.open("test") as cache:
        assert cache.load() == before


def test_killed_process_mid_write_keeps_previous_state(factories: ModuleType) -> None:
    before = factories.make_snapshot(projects=20, keys=50)
    with Cache.open("test") as cache:
        cache.save(before)
    script = textwrap.dedent(
        """
        import os, signal
        from orgtui.core.cache import Cache

        original = Cache._write

        def write_then_die(self, *args, **kw):
            original(self, *args, **kw)
            os.kill(os.getpid(), signal.SIGKILL)  # rows written, COMMIT never reached

        Cache._write = write_then_die
        cache = Cache.open("test")
        snap = cache.load()
        emptier = snap.with_projects([], 1.0).with_org(users=[], invites=[])
        cache.save(emptier)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], env=os.environ.copy(), timeout=60)
    assert done.returncode == -signal.SIGKILL
    with Cache.open("test") as cache:
        assert cache.notice is None
        assert cache.load() == before


def test_create_responses_never_reach_the_file(factories: ModuleType) -> None:
    created_sa = parse(
        ProjectServiceAccountCreateResponse,
        {
            "id": "svc_new",
            "name": "deploy bot",
            "role": "member",
            "created_at": 1,
            "api_key": {"id": "key_new", "value": SECRET_SA, "created_at": 1, "name": "k"},
        },
    )
    created_admin = parse(
        AdminApiKeyCreateResponse,
        {
            "id": "admin_new",
            "name": "ci",
            "redacted_value": "sk-admin...tu",
            "created_at": 1,
            "value": SECRET_ADMIN,
        },
    )
    snap = factories.make_snapshot(projects=1)
    snap = snap.with_project("proj_0000", service_accounts=[created_sa])
    snap = snap.with_org(admin_keys=[created_admin])
    with Cache.open("test") as cache:
        cache.save(snap)
        loaded = cache.load()
    blob = cache_bytes()
    assert SECRET_SA.encode() not in blob and SECRET_ADMIN.encode() not in blob
    assert b"**********" not in blob  # not even the masked form: the field is not stored
    assert loaded is not None
    assert (
        type(loaded.projects["proj_0000"].get("service_accounts")[0]).__name__
        == "ProjectServiceAccount"
    )
    assert loaded.admin_keys is not None and not hasattr(loaded.admin_keys[0], "value")


def test_a_minted_value_is_refused(factories: ModuleType) -> None:
    from orgtui.core.secret import OneTimeSecret

    for value in (SECRET_SA, SECRET_ADMIN):  # as the create calls received them
        OneTimeSecret(value, label="minted here").destroy()
    # Unknown fields are not kept, so a secret can only arrive in a declared one.
    leaky = parse(Project, {"id": "proj_leak", "name": SECRET_SA, "created_at": 1})
    valued = factories.make_user(3).replace(user=None, email=f"{SECRET_ADMIN}@example.com")
    snap = factories.make_snapshot(projects=1)
    snap = snap.with_projects([*[v.project for v in snap.projects.values()], leaky], 5.0)
    snap = snap.with_org(users=[valued])
    with Cache.open("test") as cache:
        cache.save(snap)
        assert set(cache.refused) == {"projects", "users"}
        loaded = cache.load()
    assert SECRET_SA.encode() not in cache_bytes()
    assert SECRET_ADMIN.encode() not in cache_bytes()
    assert loaded is not None and loaded.users is None  # refused parts are simply not cached
    assert loaded.invites == snap.invites


def test_a_key_like_name_is_cached_like_any_name(factories: ModuleType) -> None:
    """`sk-proj-` + 20 characters is a name anyone may give a project: never a reason to drop
    the whole projects part (an offline start would show an empty organisation)."""
    name = "sk-proj-" + "AbCdEfGhIjKlMnOpQrSt1234"
    named = parse(Project, {"id": "proj_keyish", "name": name, "created_at": 1})
    snap = factories.make_snapshot(projects=2)
    snap = snap.with_projects([*[v.project for v in snap.projects.values()], named], 5.0)
    with Cache.open("test") as cache:
        cache.save(snap)
        assert cache.refused == {}
        loaded = cache.load()
    assert loaded is not None and loaded.projects["proj_keyish"].project.name == name
    assert len(loaded.projects) == 3


def test_find_secret() -> None:
    assert find_secret(b'{"redacted_value": "sk-proj-ab...cdef"}') is None
    assert find_secret(b'{"name": "task-0123456789abcdefghijklmnop"}') is None
    # A name that only looks like a key is data; a value this process minted is refused.
    assert find_secret(b'{"name": "sk-0123456789abcdefghijklmnop"}') is None
    assert find_secret(b'{"value": "x"}') is not None
    from orgtui.core.secret import OneTimeSecret

    OneTimeSecret("sk-0123456789abcdefghijklmnop", label="t").destroy()
    assert find_secret(b'{"name": "sk-0123456789abcdefghijklmnop"}') is not None
    assert find_secret(b'{"name": "x sk-0123456789abcdefghijklmnopQRS"}') is not None
    assert "0123" not in (find_secret(b'"sk-0123456789abcdefghijklmnop"') or "")


def test_unusable_location_falls_back_to_memory(factories: ModuleType) -> None:
    target = paths.cache_file("test")
    target.mkdir(parents=True)  # a directory where the file should be
    with Cache.open("test") as cache:
        assert cache.path is None
        assert cache.notice is not None and "could not be opened" in cache.notice
        snap = factories.make_snapshot(projects=1)
        cache.save(snap)
        assert cache.load() == snap


def test_profile_object_and_empty_snapshot_round_trip() -> None:
    from orgtui.config import Profile

    with Cache.open(Profile(name="acme prod")) as cache:
        assert cache.path == paths.cache_file("acme prod")
        empty = OrgSnapshot.empty("acme prod", "Acme")
        cache.save(empty)
        loaded = cache.load()
    # Nothing fetched yet is "nothing cached" only if no part was saved; the empty org parts were.
    assert loaded is not None and loaded.org_name == "Acme" and loaded.projects == {}


def test_project_parts_are_parsed_on_first_use(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=2, keys=400)
    with Cache.open("test") as cache:
        cache.save(snap)
        loaded = cache.load()
    assert loaded is not None
    view = loaded.projects["proj_0000"]
    keys, users = view.api_keys, view.users
    assert isinstance(keys, LazyPart) and not keys.loaded
    assert isinstance(users, LazyPart) and not users.loaded
    # Snapshot helpers carry unparsed parts along without parsing them.
    moved = loaded.with_project("proj_0000", users=[]).with_projects(
        [factories.make_project(1), factories.make_project(0)], factories.T0 + 1
    )
    assert moved.projects["proj_0000"].api_keys is keys and not keys.loaded
    assert moved.projects["proj_0000"].get("users") == []
    assert moved.projects["proj_0000"].get("api_keys") == snap.projects["proj_0000"].get("api_keys")
    assert keys.loaded and not users.loaded
    assert loaded == snap


def test_damaged_large_part_reads_as_not_fetched(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=1, keys=400)
    part = project_part("proj_0000", "keys")
    with Cache.open("test") as cache:
        cache.save(snap)
        cache._conn.execute(
            "UPDATE parts SET data = '{\"api_keys\": [' || zeroblob(70000) || ']}' "
            "WHERE part_id = ?",
            (part,),
        )
        loaded = cache.load()
    assert loaded is not None
    assert loaded.projects["proj_0000"].get("api_keys") is None
    assert loaded.projects["proj_0000"].get("users") == snap.projects["proj_0000"].get("users")


def test_counts_are_kept_beside_each_part(
    factories: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary counts 400 cached keys from the stored counts: no parse, no JSON scan."""
    snap = factories.make_snapshot(projects=2, keys=400)

    def no_scan(*_: object) -> int:
        raise AssertionError("counted by scanning the JSON")

    monkeypatch.setattr("orgtui.core.cache_codec.count_items", no_scan)
    with Cache.open("test") as cache:
        cache.save(snap)
        loaded = cache.load()
    assert loaded is not None
    view = loaded.projects["proj_0000"]
    assert view.count("api_keys") == 400
    assert view.count("users") == len(snap.projects["proj_0000"].get("users"))
    assert isinstance(view.api_keys, LazyPart) and not view.api_keys.loaded  # still unparsed


def test_cache_of_schema_1_is_migrated_in_place(factories: ModuleType) -> None:
    """A cache written before counts were stored keeps everything; counts still work."""
    snap = factories.make_snapshot(projects=2, keys=50)
    with Cache.open("test") as cache:
        cache.save(snap)
    conn = sqlite3.connect(paths.cache_file("test"))
    conn.executescript(
        "CREATE TABLE v1 (part_id TEXT PRIMARY KEY, pid TEXT, data BLOB NOT NULL, "
        "fetched_at REAL, error TEXT);"
        "INSERT INTO v1 SELECT part_id, pid, data, fetched_at, error FROM parts;"
        "DROP TABLE parts; ALTER TABLE v1 RENAME TO parts; PRAGMA user_version=1;"
    )
    conn.commit()
    conn.close()
    with Cache.open("test") as cache:
        loaded = cache.load()
        assert loaded == snap
        assert loaded is not None and loaded.projects["proj_0001"].count("api_keys") == 50
        version = cache._conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION
        cache.save(snap)
        stored = cache._conn.execute("SELECT COUNT(*) FROM parts WHERE counts IS NULL")
        assert stored.fetchone()[0] == 0


def _saved_then_loaded(cache: Cache, snap: OrgSnapshot) -> OrgSnapshot:
    """`snap` stored, then read back: its project parts still in the file."""
    cache.save(snap)
    loaded = cache.load()
    assert loaded is not None
    return loaded


def test_project_parts_are_read_from_the_file_on_first_use(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=2, keys=40)
    with Cache.open("test") as cache:
        loaded = _saved_then_loaded(cache, snap)
        view = loaded.projects["proj_0001"]
        assert view.count("api_keys") == 40  # from the stored counts: nothing read yet
        assert view.get("api_keys") == snap.projects["proj_0001"].get("api_keys")
        assert loaded == snap


def test_a_part_rewritten_since_the_load_reads_as_not_fetched(factories: ModuleType) -> None:
    """An old snapshot never shows another snapshot's keys as its own."""
    snap = factories.make_snapshot(projects=1, keys=40)
    pid = "proj_0000"
    with Cache.open("test") as cache:
        old = _saved_then_loaded(cache, snap)
        newer = snap.with_project(
            pid, api_keys=snap.projects[pid].get("api_keys")[:3]
        ).with_part_status(project_part(pid, "keys"), PartStatus(factories.T0 + 60, None))
        cache.save_parts(newer, [project_part(pid, "keys")])
        assert old.projects[pid].get("api_keys") is None
        again = cache.load()
        assert again is not None and len(again.projects[pid].get("api_keys") or []) == 3
    assert again.projects[pid].get("users") == snap.projects[pid].get("users")


def test_a_snapshot_outlives_its_cache(factories: ModuleType) -> None:
    """A report reads its snapshot after closing the session: big parts are still there."""
    snap = factories.make_snapshot(projects=1, keys=40)
    with Cache.open("test") as cache:
        loaded = _saved_then_loaded(cache, snap)
    assert loaded.projects["proj_0000"].get("api_keys") == snap.projects["proj_0000"].get(
        "api_keys"
    )


def test_a_part_of_a_repaired_cache_reads_as_not_fetched(factories: ModuleType) -> None:
    with Cache.open("test") as cache:
        loaded = _saved_then_loaded(cache, factories.make_snapshot(projects=1, keys=40))
        cache._repair()  # damage found later: the file is moved aside and started again
        assert cache.notice is not None
        assert loaded.projects["proj_0000"].get("api_keys") is None
