"""Incremental refresh against the sandbox: another admin changes the org through the sandbox's
own HTTP API, and one cycle brings each change in, as a full refresh would, for a few requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgtui.api._base import to_data
from orgtui.core.clock import FrozenClock
from orgtui.core.snapshot import project_part
from orgtui.core.sync import Syncer
from tests.core.conftest import T0, RecordingTransport, _no_sleep

Mutation = Callable[[httpx.AsyncClient, Any], Awaitable[None]]


class World:
    """A sandbox on a clock the test moves, the console's session on it, and another admin."""

    def __init__(self) -> None:
        from orgtui.sandbox import create_app

        self.clock = FrozenClock(T0)
        self.app = create_app(seed=1, clock=self.clock)
        self.store = self.app.state.sandbox.store
        self.transport = RecordingTransport(httpx.ASGITransport(app=self.app))
        self.counter = 0

    def client(self, transport: httpx.AsyncBaseTransport | None = None) -> Any:
        from orgtui.api.client import AdminClient
        from orgtui.sandbox import SANDBOX_ADMIN_KEY

        return AdminClient(
            "http://sandbox/v1",
            SANDBOX_ADMIN_KEY,
            transport=transport or self.transport,
            requests_per_minute=100_000,
            max_retries=1,
            sleep=_no_sleep,
        )

    def other_admin(self) -> httpx.AsyncClient:
        from orgtui.sandbox import SANDBOX_ADMIN_KEY

        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),
            base_url="http://sandbox/v1/organization",
            headers={"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"},
        )

    def name(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}-{self.counter}"

    def one(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        rows = self.store.query(sql, args)
        return rows[0] if rows else None


def session_on(world: World, client: Any, name: str) -> Any:
    from orgtui.config import Profile
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session

    return Session(Profile(name=name, org_name="Test Org"), client, Cache.open(name), world.clock)


@pytest.fixture
async def world() -> AsyncIterator[World]:
    yield World()


def _active_project(w: World) -> Any:
    return w.one(
        "SELECT id FROM projects WHERE archived_at IS NULL AND is_default = 0 ORDER BY seq DESC"
    )["id"]


async def _ok(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text


# ------------------------------------------------------------------ what another admin does


async def create_project(h: httpx.AsyncClient, w: World) -> None:
    await _ok(await h.post("/projects", json={"name": w.name("outside")}))


async def rename_project(h: httpx.AsyncClient, w: World) -> None:
    await _ok(await h.post(f"/projects/{_active_project(w)}", json={"name": w.name("renamed")}))


async def archive_project(h: httpx.AsyncClient, w: World) -> None:
    await _ok(await h.post(f"/projects/{_active_project(w)}/archive"))


async def create_service_account(h: httpx.AsyncClient, w: World) -> None:
    pid = _active_project(w)
    await _ok(await h.post(f"/projects/{pid}/service_accounts", json={"name": w.name("svc")}))


async def delete_service_account(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT s.id, s.project_id FROM service_accounts s JOIN projects p ON p.id = s.project_id"
        " WHERE s.deleted_at IS NULL AND p.archived_at IS NULL ORDER BY s.seq DESC"
    )
    if row is not None:
        await _ok(await h.delete(f"/projects/{row['project_id']}/service_accounts/{row['id']}"))


async def delete_user_key(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT k.id, k.project_id FROM api_keys k JOIN projects p ON p.id = k.project_id"
        " WHERE k.deleted_at IS NULL AND k.owner_type = 'user' AND p.archived_at IS NULL"
        " ORDER BY k.seq DESC"
    )
    if row is not None:
        await _ok(await h.delete(f"/projects/{row['project_id']}/api_keys/{row['id']}"))


async def add_project_member(h: httpx.AsyncClient, w: World) -> None:
    pid = _active_project(w)
    user = w.one(
        "SELECT id FROM users WHERE deleted_at IS NULL AND id NOT IN"
        " (SELECT user_id FROM project_users WHERE project_id = ?) ORDER BY seq",
        (pid,),
    )
    if user is not None:
        body = {"user_id": user["id"], "role": "member"}
        await _ok(await h.post(f"/projects/{pid}/users", json=body))


async def change_member_role(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT pu.project_id, pu.user_id, pu.role FROM project_users pu JOIN projects p"
        " ON p.id = pu.project_id WHERE p.archived_at IS NULL AND pu.role = 'member'"
        " ORDER BY pu.seq DESC"
    )
    if row is not None:
        url = f"/projects/{row['project_id']}/users/{row['user_id']}"
        await _ok(await h.post(url, json={"role": "owner"}))


async def invite(h: httpx.AsyncClient, w: World) -> None:
    email = f"{w.name('new')}@example.com"
    await _ok(await h.post("/invites", json={"email": email, "role": "reader"}))


async def delete_invite(h: httpx.AsyncClient, w: World) -> None:
    row = w.one("SELECT id FROM invites WHERE deleted_at IS NULL AND status = 'pending'")
    if row is not None:
        await _ok(await h.delete(f"/invites/{row['id']}"))


async def org_role(h: httpx.AsyncClient, w: World) -> None:
    row = w.one("SELECT id FROM users WHERE deleted_at IS NULL AND role = 'reader' ORDER BY seq")
    if row is not None:
        await _ok(await h.post(f"/users/{row['id']}", json={"role": "owner"}))


async def project_limit(h: httpx.AsyncClient, w: World) -> None:
    body = {"threshold_amount": 123_00 + w.counter, "currency": "USD", "interval": "month"}
    w.counter += 1
    await _ok(await h.post(f"/projects/{_active_project(w)}/spend_limit", json=body))


async def org_limit(h: httpx.AsyncClient, w: World) -> None:
    body = {"threshold_amount": 5_000_000 + w.counter, "currency": "USD", "interval": "month"}
    w.counter += 1
    await _ok(await h.post("/spend_limit", json=body))


async def rate_limit(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT r.id, r.project_id FROM rate_limits r JOIN projects p ON p.id = r.project_id"
        " WHERE p.archived_at IS NULL ORDER BY r.seq DESC"
    )
    w.counter += 1
    body = {"max_requests_per_1_minute": 100 + w.counter}
    await _ok(await h.post(f"/projects/{row['project_id']}/rate_limits/{row['id']}", json=body))


async def admin_key(h: httpx.AsyncClient, w: World) -> None:
    await _ok(await h.post("/admin_api_keys", json={"name": w.name("ops")}))


async def delete_admin_key(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT id FROM admin_keys WHERE deleted_at IS NULL AND name != 'orgtui sandbox console'"
        " ORDER BY seq DESC"
    )
    if row is not None:
        await _ok(await h.delete(f"/admin_api_keys/{row['id']}"))


async def remove_project_member(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT pu.project_id, pu.user_id FROM project_users pu JOIN projects p"
        " ON p.id = pu.project_id WHERE p.archived_at IS NULL AND pu.role = 'member'"
        " ORDER BY pu.seq DESC"
    )
    if row is not None:
        await _ok(await h.delete(f"/projects/{row['project_id']}/users/{row['user_id']}"))


async def delete_org_user(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT id FROM users WHERE deleted_at IS NULL AND role = 'reader' ORDER BY seq DESC"
    )
    if row is not None:
        await _ok(await h.delete(f"/users/{row['id']}"))


def _alert_body(w: World) -> dict[str, Any]:
    w.counter += 1
    return {
        "threshold_amount": 50_00 + w.counter,
        "currency": "USD",
        "interval": "month",
        "notification_channel": {"type": "email", "recipients": ["oncall@example.com"]},
    }


async def project_alert(h: httpx.AsyncClient, w: World) -> None:
    await _ok(await h.post(f"/projects/{_active_project(w)}/spend_alerts", json=_alert_body(w)))


async def change_alert(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT a.id, a.scope FROM spend_alerts a LEFT JOIN projects p ON p.id = a.scope"
        " WHERE a.deleted_at IS NULL AND p.archived_at IS NULL ORDER BY a.seq DESC"
    )
    if row is not None:
        base = "" if row["scope"] == "org" else f"/projects/{row['scope']}"
        await _ok(await h.post(f"{base}/spend_alerts/{row['id']}", json=_alert_body(w)))


async def delete_alert(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT a.id, a.scope FROM spend_alerts a LEFT JOIN projects p ON p.id = a.scope"
        " WHERE a.deleted_at IS NULL AND p.archived_at IS NULL ORDER BY a.seq DESC"
    )
    if row is not None:
        base = "" if row["scope"] == "org" else f"/projects/{row['scope']}"
        await _ok(await h.delete(f"{base}/spend_alerts/{row['id']}"))


async def remove_project_limit(h: httpx.AsyncClient, w: World) -> None:
    row = w.one(
        "SELECT l.scope FROM spend_limits l JOIN projects p ON p.id = l.scope"
        " WHERE p.archived_at IS NULL"
    )
    if row is not None:
        await _ok(await h.delete(f"/projects/{row['scope']}/spend_limit"))


MUTATIONS: dict[str, Mutation] = {
    f.__name__: f
    for f in (
        create_project,
        rename_project,
        archive_project,
        create_service_account,
        delete_service_account,
        delete_user_key,
        add_project_member,
        change_member_role,
        invite,
        delete_invite,
        org_role,
        project_limit,
        org_limit,
        rate_limit,
        admin_key,
        delete_admin_key,
        remove_project_member,
        delete_org_user,
        project_alert,
        change_alert,
        delete_alert,
        remove_project_limit,
    )
}


# ------------------------------------------------------------------ comparing with a full refresh


def _without_last_use(value: Any) -> Any:
    """Lists by id: a key read by id joins its list at the end, a re-listed one where the API
    puts it; the order is the table's to choose, not data."""
    if isinstance(value, dict):
        return {k: _without_last_use(v) for k, v in value.items() if k != "last_used_at"}
    if isinstance(value, list):
        items = [_without_last_use(v) for v in value]
        return sorted(items, key=lambda v: str(v.get("id")) if isinstance(v, dict) else str(v))
    return value


def picture(snapshot: Any) -> Any:
    """Everything a snapshot holds but fetch times and keys' last use (not in the audit log)."""
    projects = {
        pid: {
            "project": to_data(view.project),
            **{
                name: to_data(getattr(view, name))
                for name in (
                    "api_keys",
                    "service_accounts",
                    "users",
                    "rate_limits",
                    "spend_limit",
                    "spend_alerts",
                )
            },
        }
        for pid, view in snapshot.projects.items()
    }
    org = {
        name: to_data(getattr(snapshot, name))
        for name in ("users", "invites", "admin_keys", "org_spend_limit", "org_spend_alerts")
    }
    return _without_last_use({"projects": projects, "org": org})


async def full_picture(world: World) -> Any:
    async with world.client(httpx.ASGITransport(app=world.app)) as client:
        fresh = session_on(world, client, "fresh")
        try:
            result = await Syncer(fresh).refresh_all()
            assert result.ok, result.errors
            return picture(fresh.snapshot)
        finally:
            fresh.close()


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize("change", sorted(MUTATIONS))
async def test_a_change_by_another_admin_appears_after_one_cycle(world: World, change: str) -> None:
    async with world.client() as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session)
        assert (await syncer.refresh_all()).ok
        world.clock.advance(300)
        async with world.other_admin() as other:
            await MUTATIONS[change](other, world)
        world.clock.advance(60)

        result = await syncer.refresh_incremental()

        assert result.mode == "incremental" and result.full_reason is None, result.full_reason
        assert result.ok, result.errors
        assert picture(session.snapshot) == await full_picture(world)
        session.close()


async def test_a_quiet_cycle_costs_three_requests(world: World) -> None:
    async with world.client() as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session)
        await syncer.refresh_all()
        pid = next(iter(session.snapshot.projects))
        syncer.focus(pid)
        world.clock.advance(300)
        before = len(world.transport.requests)

        result = await syncer.refresh_incremental()

        made = world.transport.paths()[before:]
        assert result.mode == "incremental" and result.requests == len(made) == 3
        assert made.count("/v1/organization/audit_logs") == 2  # the org's and the tenant's
        assert result.fetched == [project_part(pid, "keys")]  # last use, where the admin looks
        session.close()


async def test_a_part_that_failed_is_read_again_by_the_next_cycle(world: World) -> None:
    """The audit log cannot say a part is out of date because our last read of it failed
    (the network dropped): the next cycle reads it again, and only it beside the usual three."""
    async with world.client() as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session)
        await syncer.refresh_all()
        focus, other = list(session.snapshot.projects)[:2]
        syncer.focus(focus)
        failed = project_part(other, "users")
        session.apply(session.snapshot.with_part_error(failed, "Offline: no route"), [failed])
        world.clock.advance(300)
        before = len(world.transport.requests)

        result = await syncer.refresh_incremental()

        assert result.mode == "incremental" and result.requests == 4
        assert sorted(result.fetched) == sorted([project_part(focus, "keys"), failed])
        assert session.snapshot.stale_parts() == {}
        assert world.transport.paths()[before:].count("/v1/organization/audit_logs") == 2
        session.close()


async def test_three_changed_projects_cost_a_handful_of_requests(world: World) -> None:
    async with world.client() as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session)
        full = await syncer.refresh_all()
        world.clock.advance(300)
        active = [v.id for v in session.snapshot.projects.values() if not v.archived][:3]
        async with world.other_admin() as other:
            for pid in active:
                await _ok(
                    await other.post(
                        f"/projects/{pid}/service_accounts", json={"name": world.name("svc")}
                    )
                )
        world.clock.advance(60)
        before = len(world.transport.requests)

        result = await syncer.refresh_incremental()

        made = world.transport.paths()[before:]
        assert result.mode == "incremental" and result.requests == len(made) <= 15
        assert result.requests * 4 < full.requests
        # The new accounts and keys are read by id: no project's key list is paged again.
        assert not any(p.endswith(("/api_keys", "/service_accounts")) for p in made), made
        assert picture(session.snapshot) == await full_picture(world)
        session.close()


async def test_an_unknown_event_type_falls_back_to_a_full_refresh(world: World) -> None:
    from orgtui.sandbox.audit import record

    async with world.client() as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session)
        await syncer.refresh_all()
        world.clock.advance(300)
        with world.store.tx():
            record(world.store, None, "brand_new.thing", None, {"id": "x"})

        result = await syncer.refresh_incremental()

        assert result.mode == "full" and "unknown audit event type" in (result.full_reason or "")
        session.close()


class AuditForbidden(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/audit_logs"):
            body = {"error": {"message": "Audit logging is not enabled.", "type": "forbidden"}}
            return httpx.Response(403, json=body, request=request)
        return await self.inner.handle_async_request(request)


async def test_audit_logging_off_falls_back_and_says_why(world: World) -> None:
    async with world.client(AuditForbidden(httpx.ASGITransport(app=world.app))) as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session)
        await syncer.refresh_all()

        result = await syncer.refresh_incremental()

        assert result.mode == "full" and "audit log could not be read" in (result.full_reason or "")
        session.close()


async def test_every_nth_cycle_is_full_and_a_first_refresh_is_full(world: World) -> None:
    async with world.client() as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session, full_every=2)
        first = await syncer.refresh_incremental()
        assert first.mode == "full" and first.full_reason == "no full refresh yet"
        modes = []
        for _ in range(3):
            world.clock.advance(60)
            modes.append((await syncer.refresh_incremental()).mode)
        assert modes == ["incremental", "incremental", "full"]
        session.close()


async def test_a_mark_older_than_the_retention_means_full(world: World) -> None:
    async with world.client() as client:
        session = session_on(world, client, "console")
        syncer = Syncer(session)
        await syncer.refresh_all()
        world.clock.advance(31 * 86400)

        result = await syncer.refresh_incremental()

        assert result.mode == "full" and "retention" in (result.full_reason or "")
        session.close()


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=0, max_size=3),
        min_size=1,
        max_size=4,
    )
)
def test_interleaved_changes_and_cycles_match_a_full_refresh(rounds: list[list[str]]) -> None:
    async def scenario() -> None:
        world = World()
        async with world.client() as client:
            session = session_on(world, client, f"prop-{id(rounds)}")
            syncer = Syncer(session, full_every=100)
            await syncer.refresh_all()
            for changes in rounds:
                world.clock.advance(45)
                async with world.other_admin() as other:
                    for change in changes:
                        await MUTATIONS[change](other, world)
                world.clock.advance(15)
                result = await syncer.refresh_incremental()
                assert result.mode == "incremental", result.full_reason
                assert picture(session.snapshot) == await full_picture(world), changes
            session.close()

    asyncio.run(scenario())
