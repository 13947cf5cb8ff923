"""OrgSnapshot: helpers return new snapshots and never change the old one."""

from __future__ import annotations

import dataclasses
from types import ModuleType

import pytest

from orgtui.core.clock import FrozenClock, SystemClock
from orgtui.core.snapshot import (
    OrgSnapshot,
    PartStatus,
    ProjectView,
    project_part,
    split_part,
)


def test_part_ids_round_trip() -> None:
    assert project_part("proj_a:b", "keys") == "project:proj_a:b:keys"
    assert split_part("project:proj_a:b:keys") == ("proj_a:b", "keys")
    assert split_part("org_limits") == (None, "org_limits")
    for bad in ("project:x:nope", "project::keys", "nope", "project:x"):
        with pytest.raises(ValueError):
            split_part(bad)
    with pytest.raises(ValueError):
        project_part("p", "nope")


def test_part_status_stale() -> None:
    assert not PartStatus(1.0).stale
    assert PartStatus(1.0, "Offline").stale
    with pytest.raises(AttributeError):  # immutable: snapshots share their statuses
        PartStatus(1.0).error = "x"  # type: ignore[misc]


def test_with_projects_keeps_known_data_and_drops_gone_projects(factories: ModuleType) -> None:
    f = factories
    snap = f.make_snapshot(projects=3)
    renamed = f.make_project(1).replace(name="Renamed")
    new = snap.with_projects([f.make_project(2), renamed, f.make_project(9)], f.T0 + 5)

    assert list(new.projects) == ["proj_0002", "proj_0001", "proj_0009"]
    assert new.projects["proj_0001"].project.name == "Renamed"
    assert new.projects["proj_0001"].get("api_keys") == snap.projects["proj_0001"].get("api_keys")
    assert new.projects["proj_0009"].get("api_keys") is None
    assert new.parts["projects"] == PartStatus(f.T0 + 5)
    assert project_part("proj_0000", "keys") not in new.parts
    assert project_part("proj_0001", "keys") in new.parts
    # The original is untouched.
    assert list(snap.projects) == ["proj_0000", "proj_0001", "proj_0002"]
    assert snap.projects["proj_0001"].project.name == "Project 1"
    assert snap.parts["projects"] == PartStatus(f.T0)


def test_with_project_org_and_status_are_copies(factories: ModuleType) -> None:
    f = factories
    snap = f.make_snapshot(projects=2)
    keys = [f.make_key("proj_0000", 42)]
    new = snap.with_project("proj_0000", api_keys=keys)
    assert new.projects["proj_0000"].get("api_keys") == keys
    assert snap.projects["proj_0000"].get("api_keys") != keys
    assert new.projects["proj_0001"] is snap.projects["proj_0001"]

    org = snap.with_org(users=[f.make_user(7)])
    assert [u.id for u in org.users or []] == ["user_7"]
    assert [u.id for u in snap.users or []] == ["user_1", "user_2"]

    marked = snap.with_part_error("users", "Offline: cannot connect")
    assert marked.parts["users"] == PartStatus(f.T0, "Offline: cannot connect")
    assert marked.users == snap.users
    assert not snap.parts["users"].stale
    assert marked.stale_parts() == {"users": "Offline: cannot connect"}

    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.org_name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        snap.with_project("proj_0000", bogus=1)
    with pytest.raises(TypeError):
        snap.with_org(projects={})
    with pytest.raises(KeyError):
        snap.with_project("proj_nope", api_keys=[])
    with pytest.raises(ValueError):
        snap.with_part_status("nonsense", PartStatus(1.0))


def test_with_project_appends_a_new_project(factories: ModuleType) -> None:
    f = factories
    snap = f.make_snapshot(projects=1)
    new = snap.with_project("proj_0005", project=f.make_project(5), api_keys=[])
    assert list(new.projects) == ["proj_0000", "proj_0005"]
    assert isinstance(new.project("proj_0005"), ProjectView)
    assert snap.project("proj_0005") is None
    with pytest.raises(ValueError):
        snap.with_project("proj_other", project=f.make_project(6))


def test_age_and_oldest_fetch(factories: ModuleType) -> None:
    f = factories
    snap = f.make_snapshot(projects=1).with_part_status("users", PartStatus(f.T0 - 100))
    assert snap.age("users", f.T0) == 100
    assert snap.age("projects", f.T0 + 3) == 3
    assert snap.oldest_fetch() == f.T0 - 100
    empty = OrgSnapshot.empty("p")
    assert empty.org_name == "p"
    assert empty.age("users", f.T0) is None
    assert empty.oldest_fetch() is None
    assert not empty.is_fetched("org_limits")


def test_merge_parts_takes_only_the_listed_parts(factories: ModuleType) -> None:
    f = factories
    base = f.make_snapshot(projects=2)
    # Two "workers" start from the same snapshot and change different parts.
    a = base.with_project("proj_0000", api_keys=[]).with_part_status(
        project_part("proj_0000", "keys"), PartStatus(f.T0 + 1)
    )
    b = base.with_org(invites=[]).with_part_status("invites", PartStatus(f.T0 + 2))
    merged = base.merge_parts(a, [project_part("proj_0000", "keys")])
    merged = merged.merge_parts(b, ["invites"])
    assert merged.projects["proj_0000"].get("api_keys") == []
    assert merged.invites == []
    assert merged.parts[project_part("proj_0000", "keys")] == PartStatus(f.T0 + 1)
    assert merged.parts["invites"] == PartStatus(f.T0 + 2)
    # Unlisted changes in `b` are ignored.
    sneaky = base.with_org(users=[])
    assert base.merge_parts(sneaky, ["invites"]).users == base.users


def test_merge_projects_part_adds_and_removes_projects(factories: ModuleType) -> None:
    f = factories
    base = f.make_snapshot(projects=2)
    other = base.with_projects([f.make_project(1), f.make_project(3)], f.T0 + 9)
    other = other.with_project("proj_0003", api_keys=[]).with_part_status(
        project_part("proj_0003", "keys"), PartStatus(f.T0 + 9)
    )
    merged = base.merge_parts(other, ["projects"])
    assert list(merged.projects) == ["proj_0001", "proj_0003"]
    assert merged.projects["proj_0001"].get("api_keys") == base.projects["proj_0001"].get(
        "api_keys"
    )
    assert merged.projects["proj_0003"].get("api_keys") == []
    assert merged.is_fetched(project_part("proj_0003", "keys"))
    assert not any(k.startswith("project:proj_0000:") for k in merged.parts)


def test_clocks() -> None:
    frozen = FrozenClock(10)
    assert frozen.now() == 10
    assert frozen.advance(5) == 15
    frozen.set(3)
    assert frozen.now() == 3 and frozen() == 3
    assert abs(SystemClock().now() - SystemClock()()) < 5
