"""The role-based access health checks over the demo org (groups, custom roles) and its
effective project access ("via group X")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fixtures_services import World

from orgtui.core.access import load_access, project_access
from orgtui.core.health_access import run_access_checks


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


async def _findings(w: World, session: Any, **kw: Any) -> dict[str, list[Any]]:
    snap = session.snapshot
    active = [pid for pid, v in snap.projects.items() if not v.project.archived]
    access = await load_access(w.client, active, [u.id for u in snap.users])
    out: dict[str, list[Any]] = {}
    for f in run_access_checks(access, snap, **kw):
        out.setdefault(f.id, []).append(f)
    return out


async def test_demo_groups_show_as_effective_access(w: World) -> None:
    session = await w.loaded()
    snap = session.snapshot
    dev = w.pid("search-dev")
    access = await load_access(w.client, [dev])
    assert {g.group.name for g in access.groups.values()} == {
        "Search team",
        "Support team",
        "Data team",
    }
    grants = project_access(access, dev, snap.project(dev).get("users"))
    shafi = grants[w.uid("Shafi")]
    assert [(g.role, g.via) for g in shafi] == [("member", "via group Data team")]
    ada = grants[w.uid("Ada")]
    assert [(g.role, g.via) for g in ada] == [("owner", "direct")]


async def test_demo_findings(w: World) -> None:
    session = await w.loaded()
    found = await _findings(w, session)
    (big,) = found["access.owner_level_group_role"]
    assert 'Role "Group manager" gives api.groups.write' in big.message
    assert '"Support team" (6 members)' in big.message
    assert {r.type for r in big.objects} == {"group", "role"}
    (dup,) = found["access.direct_duplicates_group"]
    assert dup.message.startswith("radia.perlman@")
    assert 'directly and through group "Support team"' in dup.message
    assert "access.empty_group_with_roles" not in found
    assert "access.project_owners_one_group" not in found
    # a larger threshold: six members are fine
    assert "access.owner_level_group_role" not in await _findings(w, session, max_group_members=6)


async def test_empty_group_and_owners_through_one_group(w: World) -> None:
    client = w.client
    dev = w.pid("search-dev")
    groups = {g.name: g async for g in client.iter_groups()}
    data = groups["Data team"]
    for member in [m async for m in client.iter_group_users(data.id)]:
        await client.remove_group_user(data.id, member.id)
    # search-dev: its direct owners leave, the Search team becomes its owner
    for uid in (w.uid("Ada"), w.uid("Barbara")):
        await client.delete_project_user(dev, uid)
    search = groups["Search team"]
    await client.assign_project_group_role(dev, search.id, "role_project_owner")
    session = await w.loaded()
    found = await _findings(w, session)
    (empty,) = found["access.empty_group_with_roles"]
    assert empty.message == 'Group "Data team" has no members but holds 1 role'
    (owners,) = found["access.project_owners_one_group"]
    assert owners.message == 'Project "search-dev" has owners only through group "Search team"'
    assert [r.type for r in owners.objects] == ["project", "group"]
