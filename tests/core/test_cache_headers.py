"""The first frame is drawn from plain cached rows (project headers and counts); the session
swaps in the pydantic models right after it. Caches written by the msgspec codec still load."""

from __future__ import annotations

import json
import sqlite3
from types import ModuleType
from typing import Any

from orgtui import paths
from orgtui.api.models import Project, ProjectApiKey, User
from orgtui.config import Profile
from orgtui.core.cache import SCHEMA_VERSION, Cache
from orgtui.core.cache_rows import ProjectRow
from orgtui.core.clock import FrozenClock
from orgtui.core.session import Session
from orgtui.core.snapshot import OrgSnapshot, PartStatus


def _cached(snap: OrgSnapshot) -> Cache:
    cache = Cache.open("test")
    cache.save(snap)
    return cache


def test_headers_only_load_is_plain_rows_with_counts(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=3, keys=40, archived=1)
    with _cached(snap) as cache:
        first = cache.load(headers_only=True)
    assert first is not None
    rows = [view.project for view in first.projects.values()]
    assert all(type(row) is ProjectRow for row in rows)
    assert [(r.id, r.name, r.archived) for r in rows] == [
        (v.project.id, v.project.name, v.project.archived) for v in snap.projects.values()
    ]
    assert first.projects["proj_0000"].count("api_keys") == 40
    # Organisation-level parts come with the models, not with the first frame.
    assert first.users is None and "users" not in first.parts
    assert first.parts["projects"] == snap.parts["projects"]


def test_the_session_swaps_in_the_models_after_the_first_frame(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=2, keys=3)
    seen: list[tuple[str, ...]] = []
    with _cached(snap) as cache:
        session = _session(cache, factories)
        session.subscribe(lambda _snap, parts: seen.append(parts))
        assert type(session.snapshot.projects["proj_0000"].project) is ProjectRow
        session.load_models()
        assert session.snapshot == snap
        assert isinstance(session.snapshot.projects["proj_0000"].project, Project)
        assert seen and "users" in seen[0] and "projects" in seen[0]
        session.load_models()  # once only
        assert len(seen) == 1


def test_a_change_before_the_swap_loads_the_models_first(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=2, keys=3)
    with _cached(snap) as cache:
        session = _session(cache, factories)
        newer = [factories.make_user(7)]
        session.update(
            lambda s: s.with_org(users=newer).with_part_status("users", PartStatus(factories.T0)),
            ["users"],
        )
        assert [u.id for u in session.snapshot.users or []] == [newer[0].id]
        assert session.snapshot.invites == snap.invites  # the rest comes from the cache
        assert isinstance(session.snapshot.projects["proj_0001"].project, Project)
        reloaded = cache.load()
    assert reloaded is not None and reloaded.users == newer
    assert reloaded.projects.keys() == snap.projects.keys()  # the project list was not lost


def _session(cache: Cache, factories: ModuleType) -> Session:
    profile = Profile(name="test", org_name="Test Org")
    client: Any = None  # the swap makes no request
    return Session(profile, client, cache, FrozenClock(factories.T0), headers_first=True)


def test_a_schema_2_cache_written_by_the_msgspec_codec_loads(factories: ModuleType) -> None:
    """The msgspec codec left defaults out (`omit_defaults`); those rows read the same."""
    with Cache.open("test") as cache:
        assert cache.load() is None
    rows = [
        ("projects", None, {"projects": [{"id": "proj_a", "name": "Web", "created_at": 5}]}),
        ("users", None, {"users": [{"id": "user_1", "email": "a@x.test", "added_at": 1, "role": "owner"}]}),
        ("project:proj_a:keys", "proj_a", {"api_keys": [
            {"redacted_value": "sk-...abcd", "created_at": 7, "id": "key_1", "name": "ci"}]}),
    ]  # fmt: skip
    conn = sqlite3.connect(paths.cache_file("test"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    for part_id, pid, data in rows:
        counts = json.dumps({k: len(v) for k, v in data.items()})
        blob = json.dumps(data, separators=(",", ":")).encode()
        conn.execute(
            "INSERT INTO parts VALUES (?, ?, ?, NULL, ?, ?)", (part_id, pid, 100.0, counts, blob)
        )
    conn.commit()
    conn.close()
    with Cache.open("test") as cache:
        first = cache.load(headers_only=True)
        full = cache.load()
    assert first is not None and full is not None
    assert first.projects["proj_a"].project.name == "Web"
    assert first.projects["proj_a"].count("api_keys") == 1
    project = full.projects["proj_a"].project
    assert isinstance(project, Project) and project.object == "organization.project"
    key = (full.projects["proj_a"].get("api_keys") or [None])[0]
    assert isinstance(key, ProjectApiKey) and key.owner.type is None and key.name == "ci"
    assert isinstance((full.users or [None])[0], User)
