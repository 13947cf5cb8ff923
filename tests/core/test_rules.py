"""Each precondition is stated once (core.rules): precheck refuses it before any dialog, and
the service refuses it again, in the same words, when it is called directly."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fixtures_services import World

from orgtui.core.actions import ReadOnlyRefusal
from orgtui.core.rules import DEFAULT_PROJECT_WHY, Refusal, precheck
from orgtui.core.services import (
    ArchivedProjectError,
    DefaultProjectError,
    LastOwnerError,
)
from orgtui.core.services.keys import delete_key
from orgtui.core.services.limits import set_limit
from orgtui.core.services.members import remove_org_member, set_org_role
from orgtui.core.services.projects import rename_project


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


@pytest.fixture
async def empty() -> AsyncIterator[World]:
    world = World(demo=False)
    yield world
    world.close()


async def test_read_only_refused_by_precheck_and_by_the_service(w: World) -> None:
    s = await w.loaded(read_only=True)
    pid = w.pid("search-prod")
    key_id = w.live_keys(pid)[0]["id"]
    refusal = precheck(s, "key.delete", project=s.snapshot.project(pid).project)
    assert refusal == Refusal(
        "key.delete", "read_only", "Delete key is not allowed: read-only mode."
    )
    assert refusal.title == "Read-only"
    assert precheck(s, "view.spend") is None  # looking is allowed
    before = w.state()
    with pytest.raises(ReadOnlyRefusal):
        await delete_key(s, project_id=pid, key_id=key_id)  # the service, called directly
    assert w.state() == before


async def test_archived_refused_by_precheck_and_by_the_service(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("experiment-2025")
    project = s.snapshot.project(pid).project
    refusal = precheck(s, "limit.set", project=project)
    assert refusal is not None and refusal.rule == "archived"
    assert refusal.reason == (
        "Project experiment-2025 is archived: archived projects cannot be used or updated, "
        "so setting its limit is not possible"
    )
    before = w.state()
    with pytest.raises(ArchivedProjectError) as info:
        await set_limit(s, cents=100, project_id=pid)
    assert str(info.value) == refusal.reason
    assert w.state() == before
    live = s.snapshot.project(w.pid("search-prod")).project
    assert precheck(s, "limit.set", project=live) is None


async def test_last_owner_refused_by_precheck_and_by_the_service(empty: World) -> None:
    s = await empty.loaded()
    (owner,) = [u for u in s.snapshot.users if u.role == "owner"]
    for action, call in (
        ("org_member.role", set_org_role(s, user_id=owner.id, role="reader")),
        ("org_member.remove", remove_org_member(s, user_id=owner.id)),
    ):
        refusal = precheck(s, action, user=owner)
        assert refusal is not None and refusal.rule == "last_owner", action
        assert "is the organisation's only owner" in refusal.reason
        before = empty.state()
        with pytest.raises(LastOwnerError) as info:
            await call
        assert str(info.value) == refusal.reason
        assert empty.state() == before


async def test_last_owner_not_refused_while_another_owner_remains(w: World) -> None:
    s = await w.loaded()
    owners = [u for u in s.snapshot.users if u.role == "owner" and not u.is_service_account]
    assert len(owners) > 1
    assert precheck(s, "org_member.remove", user=owners[0]) is None


async def test_default_project_refused_by_precheck_and_by_the_service(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("Default project")
    view = s.snapshot.project(pid)
    flagged = view.project.model_copy(update={"is_default": True})
    refusal = precheck(s, "project.rename", project=flagged)
    assert refusal == Refusal("project.rename", "default_project", DEFAULT_PROJECT_WHY)
    assert precheck(s, "project.rename", project=view.project) is None  # no flag: the API says
    # The service asks the same rule about the project it holds.
    s.apply(s.snapshot.with_project(pid, project=flagged), ["projects"])
    before = w.state()
    with pytest.raises(DefaultProjectError, match="default project cannot be renamed"):
        await rename_project(s, project_id=pid, name="Main")
    assert w.state() == before


def test_precheck_needs_no_session_data_for_read_only() -> None:
    from orgtui.core.actions import ActionRegistry
    from orgtui.core.rules import read_only_refusal

    registry = ActionRegistry(read_only=True, read_only_reason="the profile is read-only")
    refusal = read_only_refusal(registry, "project.archive")
    assert refusal is not None and refusal.reason.endswith("the profile is read-only.")
    assert read_only_refusal(ActionRegistry(), "project.archive") is None
    assert registry.allowed("view.audit") and not registry.allowed("project.archive")
