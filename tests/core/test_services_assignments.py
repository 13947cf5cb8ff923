"""Role assignments of users and groups, project groups and project roles, against the demo
sandbox: what the sandbox holds after each action, the read-back after a lost answer, the
refusals, and "what they can do, and why" for a member and a group."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fixtures_services import World

from orgtui.api.errors import NotFoundError
from orgtui.core.actions import ReadOnlyRefusal
from orgtui.core.services.errors import ArchivedProjectError, ServiceRefusal
from orgtui.core.services.project_roles import fresh_role, load_project_roles
from orgtui.core.services.settle import NotApplied
from orgtui.core.whocan import ORGANISATION, explain_group, explain_member


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


def gid(w: World, name: str) -> str:
    return str(w.sb.store.scalar("SELECT id FROM groups WHERE name = ?", (name,)))


def rid(w: World, name: str) -> str:
    return str(w.sb.store.scalar("SELECT id FROM roles WHERE name = ?", (name,)))


def lose(method: str, suffix: str, times: int = 1) -> Callable[[httpx.Request], bool]:
    left = [times]

    def pick(request: httpx.Request) -> bool:
        if request.method == method and request.url.path.endswith(suffix) and left[0]:
            left[0] -= 1
            return True
        return False

    return pick


def user_assignments(w: World, uid: str) -> set[tuple[str, str]]:
    rows = w.rows(
        "SELECT role_id, project_id FROM role_assignments WHERE principal_type = 'user'"
        " AND principal_id = ?",
        (uid,),
    )
    return {(r["role_id"], r["project_id"]) for r in rows}


async def _role(s, name: str, pid: str | None = None):  # type: ignore[no-untyped-def]
    roles = await load_project_roles(s, pid) if pid else [r async for r in s.client.iter_roles()]
    return next(r for r in roles if r.name == name)


async def test_org_role_given_and_taken_directly(w: World) -> None:
    s = await w.loaded()
    ada = w.uid("Ada")
    manager = await _role(s, "Group manager")
    done = await s.registry.invoke("user_role.assign", s, user_id=ada, role=manager, label="Ada")
    assert "Ada now holds the role Group manager" in done.message
    assert (manager.id, "") in user_assignments(w, ada)
    done = await s.registry.invoke("user_role.revoke", s, user_id=ada, role=manager, label="Ada")
    assert done.outcome == "removed"
    assert (manager.id, "") not in user_assignments(w, ada)


async def test_predefined_roles_are_the_membership_not_an_assignment(w: World) -> None:
    s = await w.loaded()
    owner = await _role(s, "owner")
    with pytest.raises(ServiceRefusal, match="Change role"):
        await s.registry.invoke("user_role.assign", s, user_id=w.uid("Ada"), role=owner)


async def test_a_lost_answer_is_settled_by_reading_the_assignment_back(w: World) -> None:
    s = await w.loaded()
    ada = w.uid("Ada")
    manager = await _role(s, "Group manager")
    w.transport.lose = lose("POST", f"/users/{ada}/roles")
    done = await s.registry.invoke("user_role.assign", s, user_id=ada, role=manager)
    assert "confirmed by reading back" in done.message
    assert w.transport.count("POST", f"/users/{ada}/roles") == 1  # never sent twice
    assert w.transport.count("GET", f"/users/{ada}/roles/{manager.id}") == 1
    # a request that never arrived: the read-back says nothing changed, trying again is safe
    w.transport.never_arrives = lose("DELETE", f"/roles/{manager.id}", times=2)  # and its retry
    with pytest.raises(NotApplied, match="trying again is safe"):
        await s.registry.invoke("user_role.revoke", s, user_id=ada, role=manager)
    assert (manager.id, "") in user_assignments(w, ada)


async def test_a_group_joins_a_project_gets_a_second_role_and_leaves(w: World) -> None:
    s = await w.loaded()
    prod, support = w.pid("search-prod"), gid(w, "Support team")
    member = await _role(s, "member", prod)
    keeper = await _role(s, "Key keeper", prod)
    done = await s.registry.invoke(
        "project_group.add", s, project_id=prod, group_id=support, role=member
    )
    assert done.message == "Added Support team to the project as member"
    await s.registry.invoke(
        "project_group.grant_role", s, project_id=prod, group_id=support, role=keeper
    )
    held = [r.name async for r in s.client.iter_project_group_roles(prod, support)]
    assert held == ["member", "Key keeper"]
    w.transport.lose = lose("DELETE", f"/roles/{keeper.id}", times=2)  # and its retry
    done = await s.registry.invoke(
        "project_group.revoke_role", s, project_id=prod, group_id=support, role=keeper
    )
    assert "confirmed by reading back" in done.message
    await s.registry.invoke(
        "project_group.remove", s, project_id=prod, group_id=support, label="Support team"
    )
    assert not w.rows("SELECT 1 FROM project_groups WHERE group_id = ?", (support,))
    assert not w.rows(
        "SELECT 1 FROM role_assignments WHERE principal_id = ? AND project_id = ?",
        (support, prod),
    )


async def test_project_custom_role_lifecycle_and_direct_assignment(w: World) -> None:
    s = await w.loaded()
    prod, ada = w.pid("search-prod"), w.uid("Ada")
    perms = ["api.organization.projects.api_keys.read"]
    done = await s.registry.invoke(
        "project_role.create", s, project_id=prod, name="Key reader", permissions=perms
    )
    role = done.obj
    assert w.rows("SELECT permissions FROM roles WHERE id = ?", (role.id,))
    await s.registry.invoke(
        "project_user_role.assign", s, project_id=prod, user_id=ada, role=role, label="Ada"
    )
    assert (role.id, prod) in user_assignments(w, ada)
    await s.registry.invoke("project_user_role.revoke", s, project_id=prod, user_id=ada, role=role)
    assert (role.id, prod) not in user_assignments(w, ada)
    again = await fresh_role(s, role, prod)
    done = await s.registry.invoke(
        "project_role.edit",
        s,
        project_id=prod,
        role=again,
        name="Key auditor",
        permissions=perms,
    )
    assert w.sb.store.scalar("SELECT name FROM roles WHERE id = ?", (role.id,)) == "Key auditor"
    await s.registry.invoke("project_role.delete", s, project_id=prod, role=done.obj)
    assert not w.rows("SELECT 1 FROM roles WHERE id = ?", (role.id,))
    with pytest.raises(ServiceRefusal, match="no longer exists"):
        await fresh_role(s, role, prod)
    predefined = await _role(s, "owner", prod)
    with pytest.raises(ServiceRefusal, match="predefined"):
        await s.registry.invoke("project_role.delete", s, project_id=prod, role=predefined)


async def test_read_only_refuses_and_archived_projects_are_refused(w: World) -> None:
    ro = await w.loaded("ro", read_only=True)
    manager = await _role(ro, "Group manager")
    with pytest.raises(ReadOnlyRefusal):
        await ro.registry.invoke("user_role.assign", ro, user_id=w.uid("Ada"), role=manager)
    s = await w.loaded()
    archived = next(p for p, v in s.snapshot.projects.items() if v.project.archived)
    with pytest.raises(ArchivedProjectError):
        await s.registry.invoke(
            "project_group.add", s, project_id=archived, group_id=gid(w, "Data team"), role=manager
        )


async def test_what_a_member_can_do_and_why(w: World) -> None:
    s = await w.loaded()
    radia = await explain_member(s, w.uid("Radia"), "Radia")
    org = {r.role: r.sources for r in radia.reasons if r.where == ORGANISATION}
    assert org["Group manager"] == ("direct", "via group Support team")
    assert radia.groups == ["Support team"]
    shafi = await explain_member(s, w.uid("Shafi"), "Shafi")
    dev = [r for r in shafi.reasons if r.where == "search-dev"]
    assert [(r.role, r.sources) for r in dev] == [("member", ("via group Data team",))]


async def test_what_a_group_gives(w: World) -> None:
    s = await w.loaded()
    search = await explain_group(s, gid(w, "Search team"))
    assert search.subject == "Search team" and len(search.groups) == 6
    assert [(r.where, r.role) for r in search.reasons] == [("search-prod", "Key keeper")]
    support = gid(w, "Support team")
    w.sb.store.execute("UPDATE groups SET name = 'Helpdesk' WHERE id = ?", (support,))
    helpdesk = await explain_group(s, support)  # the group read again, not the loaded list
    assert helpdesk.subject == "Helpdesk"
    assert [(r.where, r.role) for r in helpdesk.reasons] == [(ORGANISATION, "Group manager")]


async def test_a_removal_someone_else_made_first_says_it_was_already_gone(w: World) -> None:
    s = await w.loaded()
    support, radia = gid(w, "Support team"), w.uid("Radia")
    w.sb.store.execute(  # removed elsewhere since the list was read
        "DELETE FROM group_users WHERE group_id = ? AND user_id = ?", (support, radia)
    )
    done = await s.registry.invoke(
        "group_member.remove", s, group_id=support, user_id=radia, label="Radia"
    )
    assert done.message == "Removed Radia from the group (it was already gone)"
    assert w.transport.count("GET", f"/groups/{support}/users/{radia}") == 1  # the read-back
    with pytest.raises(NotFoundError):  # a 404 on an add is an error, not "done"
        await s.registry.invoke("group.add_member", s, group_id="group_nope", user_id=radia)
    # adding back: the answer is lost, the read-back (retrieve-group-user) confirms it
    w.transport.lose = lose("POST", f"/groups/{support}/users")
    done = await s.registry.invoke(
        "group.add_member", s, group_id=support, user_id=radia, label="Radia"
    )
    assert "confirmed by reading back" in done.message
    assert w.transport.count("POST", f"/groups/{support}/users") == 1
