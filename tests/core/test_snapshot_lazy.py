"""Cached project parts stay unparsed until someone asks for them, and only then.

A `ProjectView` from the cache holds a `LazyPart` per unparsed part: `count()` reads the counts
kept beside the JSON, `get()` parses, and copying a view (`dataclasses.replace`, the snapshot's
`with_*` helpers, merges) moves the part along as it is.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from types import ModuleType
from typing import Any

import pytest

from orgtui.core import snapshot as snapshot_module
from orgtui.core.cache import Cache
from orgtui.core.lazy_part import LazyPart
from orgtui.core.snapshot import OrgSnapshot, ProjectView, project_part

KEYS = 2_000


def _cached(factories: ModuleType, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    """The cached snapshot of one project with KEYS keys, and the list of parts parsed since."""
    snap = factories.make_snapshot(projects=1, keys=KEYS)
    with Cache.open("test") as cache:
        cache.save(snap)
        loaded = cache.load()
    assert loaded is not None
    parsed: list[str] = []
    import orgtui.core.cache as cache_module

    real = cache_module.parse_quietly

    def recording(part_id: str, blob: bytes) -> dict[str, Any]:
        parsed.append(part_id)
        return real(part_id, blob)

    monkeypatch.setattr(cache_module, "parse_quietly", recording)
    return loaded, parsed


def test_snapshot_module_has_no_attribute_tricks() -> None:
    """Laziness is in the types, not in attribute lookup or hand-built instances."""
    tree = ast.parse(inspect.getsource(snapshot_module))
    names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert "__getattr__" not in names and "__getattribute__" not in names
    calls = {
        ast.unparse(n.func)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute | ast.Name)
    }
    assert not calls & {"object.__new__", "object.__setattr__", "delattr", "setattr"}


def test_a_cached_part_is_counted_without_parsing(
    factories: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, parsed = _cached(factories, monkeypatch)
    view = loaded.projects["proj_0000"]
    assert view.count("api_keys") == KEYS
    assert view.count("service_accounts") == KEYS
    assert view.count("spend_alerts") == 1
    assert parsed == []
    assert isinstance(view.api_keys, LazyPart) and not view.api_keys.loaded


def test_a_cached_part_is_parsed_by_get_once(
    factories: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, parsed = _cached(factories, monkeypatch)
    view = loaded.projects["proj_0000"]
    original = factories.make_snapshot(projects=1, keys=KEYS).projects["proj_0000"]
    keys = view.get("api_keys")
    assert keys is not None and [k.id for k in keys] == [k.id for k in original.get("api_keys")]
    assert view.get("api_keys") is keys
    assert parsed == [project_part("proj_0000", "keys")]
    # The limits part owns two fields: one parse serves both.
    assert view.get("spend_limit") == original.get("spend_limit")
    assert view.get("spend_alerts") == original.get("spend_alerts")
    assert parsed == [project_part("proj_0000", "keys"), project_part("proj_0000", "limits")]
    assert isinstance(view.users, LazyPart) and not view.users.loaded


def test_replace_neither_parses_nor_loses_a_cached_part(
    factories: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, parsed = _cached(factories, monkeypatch)
    view = loaded.projects["proj_0000"]
    renamed = factories.make_project(0).model_copy(update={"name": "Renamed"})
    copy = dataclasses.replace(view, project=renamed, users=[])
    assert parsed == []
    assert copy.api_keys is view.api_keys
    assert copy.count("api_keys") == KEYS and parsed == []
    assert copy.get("users") == [] and view.count("users") == 1
    assert copy.get("api_keys") is not None and len(copy.get("api_keys") or ()) == KEYS
    assert view.get("api_keys") is copy.get("api_keys")  # one part, parsed once for both


def test_snapshot_helpers_carry_cached_parts_unparsed(
    factories: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded, parsed = _cached(factories, monkeypatch)
    pid = "proj_0000"
    changed = loaded.with_project(pid, rate_limits=[]).with_projects(
        [factories.make_project(0), factories.make_project(1)], factories.T0 + 1
    )
    # A worker's result merged part by part, and a project list merged into an empty snapshot.
    mine = loaded.with_project(pid, api_keys=[])
    merged = mine.merge_parts(
        changed, [project_part(pid, "keys"), project_part(pid, "rate_limits")]
    )
    fresh = OrgSnapshot.empty("test").merge_parts(changed, ["projects"])
    for result in (merged, fresh):
        assert result.projects[pid].count("api_keys") == KEYS
        assert result.projects[pid].get("rate_limits") == []
    assert parsed == []


def test_get_and_count_refuse_unknown_fields(factories: ModuleType) -> None:
    view = ProjectView(factories.make_project(0), api_keys=[])
    with pytest.raises(AttributeError):
        view.get("project")
    with pytest.raises(AttributeError):
        view.count("keys")
    assert view.count("api_keys") == 0 and view.count("users") is None


def test_parsing_a_big_cached_part_freezes_it_and_a_small_one_not() -> None:
    """The first read of a project's 10,000 cached keys: what it made is frozen out of later
    full collections (orgtui.perf_gc.freeze_after), which would otherwise stall scrolling."""
    import gc

    from orgtui import perf_gc
    from orgtui.core.lazy_part import LazyPart

    try:
        LazyPart(lambda: {"api_keys": [object()] * 3}).load()
        assert gc.get_freeze_count() == 0
        big = LazyPart(lambda: {"api_keys": [object() for _ in range(perf_gc.BIG_PART)]})
        assert len(big.load()["api_keys"]) == perf_gc.BIG_PART
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
