"""Sync against the sandbox: order, focus, partial failure, offline, archived projects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from orgtui.core.snapshot import PROJECT_PART_KINDS, project_part
from orgtui.core.sync import Syncer
from tests.conftest import refresh_org, refresh_project, refresh_projects

PROJECT_LIST = "/v1/organization/projects"
# The endpoint each project part starts with.
PART_ENDPOINTS = {
    "keys": "/api_keys",
    "service_accounts": "/service_accounts",
    "users": "/users",
    "rate_limits": "/rate_limits",
    "limits": "/spend_limit",
}


def _project_of(path: str) -> str | None:
    prefix = PROJECT_LIST + "/"
    if not path.startswith(prefix):
        return None
    return path[len(prefix) :].split("/", 1)[0]


async def test_refresh_all_fetches_every_part(make_session: Callable[..., Any]) -> None:
    session = make_session()
    progress: list[tuple[int, int, str]] = []
    result = await Syncer(session).refresh_all(lambda d, t, label: progress.append((d, t, label)))

    snap = session.snapshot
    assert result.ok, result.errors
    assert len(snap.projects) == 7
    assert set(result.fetched) == set(snap.all_part_ids())
    assert all(snap.is_fetched(p) and not snap.parts[p].stale for p in snap.all_part_ids())
    names = [v.project.name for v in snap.projects.values()]
    assert names[0] == "Default project" and "experiment-2025" in names
    assert snap.users and snap.org_spend_limit is not None
    # Progress only goes forward and ends complete.
    done = [d for d, _, _ in progress]
    assert done == sorted(done) and progress[-1][0] == progress[-1][1] == len(result.fetched)


async def test_archived_projects_read_as_empty(make_session: Callable[..., Any]) -> None:
    session = make_session()
    await Syncer(session).refresh_all()
    archived = [v for v in session.snapshot.projects.values() if v.archived]
    assert archived, "the demo org has an archived project"
    for view in archived:
        assert view.get("users") == [] and view.get("service_accounts") == []
        assert not session.snapshot.parts[project_part(view.id, "users")].stale
        assert view.get("api_keys") is not None  # keys are still listed, read-only


async def test_no_spend_limit_is_a_fetched_none(make_session: Callable[..., Any]) -> None:
    session = make_session()
    await Syncer(session).refresh_all()
    default = next(iter(session.snapshot.projects.values()))
    assert default.spend_limit is None
    assert session.snapshot.is_fetched(project_part(default.id, "limits"))
    assert default.spend_alerts is not None


async def test_order_is_projects_then_focused_project_then_the_rest(
    make_session: Callable[..., Any], transport: Any
) -> None:
    session = make_session()
    syncer = Syncer(session)
    await refresh_projects(syncer)
    focused = list(session.snapshot.projects)[-2]  # far down the list
    syncer.focus(focused)
    transport.requests.clear()

    await syncer.refresh_all()
    paths = transport.paths()
    assert paths[0] == PROJECT_LIST
    after_list = next(i for i, p in enumerate(paths) if p != PROJECT_LIST)
    assert all(p == PROJECT_LIST for p in paths[:after_list])
    assert PROJECT_LIST not in paths[after_list:]
    first_other = next(
        i for i, p in enumerate(paths) if i >= after_list and _project_of(p) != focused
    )
    for kind, endpoint in PART_ENDPOINTS.items():
        first = next(i for i, p in enumerate(paths) if _project_of(p) == focused and endpoint in p)
        assert after_list <= first < first_other, kind
    # Org parts come before the other projects.
    org_first = min(i for i, p in enumerate(paths) if p.startswith("/v1/organization/users"))
    other_projects = [i for i, p in enumerate(paths) if _project_of(p) not in (None, focused)]
    assert org_first < min(other_projects)


async def test_focus_can_change_while_refreshing(
    make_session: Callable[..., Any], transport: Any
) -> None:
    session = make_session()
    syncer = Syncer(session, concurrency=1)
    await refresh_projects(syncer)
    pids = list(session.snapshot.projects)
    late = pids[-1]
    transport.requests.clear()

    def on_progress(done: int, total: int, label: str) -> None:
        if done == 8:  # projects, 4 org parts, and some of the first project
            syncer.focus(late)

    await syncer.refresh_all(on_progress)
    paths = transport.paths()
    late_first = min(i for i, p in enumerate(paths) if _project_of(p) == late)
    second = min(i for i, p in enumerate(paths) if _project_of(p) == pids[1])
    assert late_first < second


async def test_one_failing_part_is_marked_and_keeps_its_data(
    make_session: Callable[..., Any], sandbox_app: Any
) -> None:
    session = make_session()
    syncer = Syncer(session)
    await syncer.refresh_all()
    pid = list(session.snapshot.projects)[1]
    before = session.snapshot
    part = project_part(pid, "rate_limits")

    faults = sandbox_app.state.sandbox.faults
    faults.error_rate = 1.0
    faults.path_filter = f"/projects/{pid}/rate_limits"
    result = await syncer.refresh_all()

    snap = session.snapshot
    assert list(result.errors) == [part]
    assert snap.stale_parts() == {part: result.errors[part]}
    assert result.errors[part].startswith("Server error")
    assert snap.projects[pid].get("rate_limits") == before.projects[pid].get("rate_limits")
    assert snap.parts[part].fetched_at == before.parts[part].fetched_at
    # The other parts of that project refreshed fine.
    assert not snap.parts[project_part(pid, "keys")].stale

    faults.error_rate = 0.0
    assert (await syncer.refresh_parts([part])).ok
    assert not session.snapshot.parts[part].stale


async def test_offline_refresh_marks_parts_and_keeps_data(
    make_session: Callable[..., Any], transport: Any, clock: Any
) -> None:
    session = make_session()
    syncer = Syncer(session)
    assert not (await syncer.refresh_all()).offline
    before = session.snapshot
    transport.offline = True
    transport.requests.clear()
    clock.advance(60)

    result = await syncer.refresh_all()
    snap = session.snapshot
    assert set(result.errors) == set(before.all_part_ids())
    assert all(err.startswith("Offline") for err in result.errors.values())
    assert result.offline  # typed: the app reads this, not the message text
    assert len(transport.requests) <= 3  # the whole refresh gave up after the first part
    assert snap.projects == before.projects and snap.users == before.users
    assert snap.oldest_fetch() == before.oldest_fetch()
    assert set(snap.stale_parts()) == set(before.all_part_ids())

    # A restart while still offline paints the cached data, still marked stale.
    restarted = make_session()
    assert restarted.snapshot.projects == before.projects
    assert set(restarted.snapshot.stale_parts()) == set(before.all_part_ids())


async def test_sandbox_change_appears_after_refresh(
    make_session: Callable[..., Any], sandbox_app: Any
) -> None:
    session = make_session()
    syncer = Syncer(session)
    await syncer.refresh_all()
    pid = list(session.snapshot.projects)[2]
    store = sandbox_app.state.sandbox.store
    store.set_fields("projects", pid, name="renamed-in-sandbox")
    store.add_user("newcomer@example.test", "Newcomer", projects=[(pid, "owner")])

    await refresh_projects(syncer)
    assert session.snapshot.projects[pid].project.name == "renamed-in-sandbox"
    await refresh_org(syncer)
    assert "newcomer@example.test" in {u.email for u in session.snapshot.users or []}
    await refresh_project(syncer, pid)
    members = session.snapshot.projects[pid].get("users") or []
    assert ("newcomer@example.test", "owner") in {(m.email, m.role) for m in members}
    # And it is what the next start paints.
    assert make_session().snapshot.projects[pid].project.name == "renamed-in-sandbox"


async def test_refresh_part_fetches_only_that_part(
    make_session: Callable[..., Any], transport: Any
) -> None:
    session = make_session()
    syncer = Syncer(session)
    await refresh_projects(syncer)
    pid = list(session.snapshot.projects)[1]
    transport.requests.clear()
    result = await syncer.refresh_parts([project_part(pid, "keys")])
    assert result.fetched == [project_part(pid, "keys")]
    assert transport.paths() == [f"{PROJECT_LIST}/{pid}/api_keys"]
    assert session.snapshot.projects[pid].get("api_keys") is not None
    assert session.snapshot.projects[pid].get("users") is None  # not fetched yet

    with pytest.raises(ValueError):
        await syncer.refresh_parts(["project:x:nonsense"])
    # A project the snapshot does not know is skipped, not an error.
    assert (await refresh_project(syncer, "proj_unknown")).skipped == [
        project_part("proj_unknown", kind) for kind in PROJECT_PART_KINDS
    ]
