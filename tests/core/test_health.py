"""Each health check fires on a sandbox organisation built to break it, and only that check;
every check stays quiet on an organisation built to pass them all."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from orgtui.api.client import AdminClient
from orgtui.config import Profile, Thresholds
from orgtui.core.clock import FrozenClock
from orgtui.core.health import CHECKS, Finding, run_checks
from orgtui.core.session import Session
from orgtui.core.spend import fetch_spend_data, trailing_cost_by_project
from orgtui.core.sync import Syncer
from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app

NOW = datetime(2026, 11, 18, 14, 30, tzinfo=UTC).timestamp()
DAY = 86_400
AUTH = {"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"}


async def call(app: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://raw", headers=AUTH
    ) as http:
        response = await http.request(method, f"/v1/organization{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def findings_of(app: Any, thresholds: Any = None) -> list[Finding]:
    async with AdminClient(
        "http://sandbox/v1",
        SANDBOX_ADMIN_KEY,
        transport=httpx.ASGITransport(app=app),
        requests_per_minute=100_000,
    ) as client:
        session = Session(Profile(name="health"), client, None, FrozenClock(NOW))
        result = await Syncer(session).refresh_all()
        assert result.ok, result.errors
        data = await fetch_spend_data(client, NOW, include_usage=False)
    return run_checks(session.snapshot, trailing_cost_by_project(data), NOW, thresholds)


def limit_body(cents: int) -> dict[str, Any]:
    return {"threshold_amount": cents, "currency": "USD", "interval": "month"}


# ---------------------------------------------------------------- the passing organisation


async def build_passing(app: Any) -> dict[str, str]:
    """An empty org made healthy: limits everywhere, two owners and a reader, an expiring
    admin key, a fresh used service-account key and a user key, a pending invite."""
    sb = app.state.sandbox
    store = sb.store
    pid = store.default_project_id()
    await call(app, "POST", "/spend_limit", limit_body(100_000))
    await call(app, "POST", f"/projects/{pid}/spend_limit", limit_body(50_000))
    second = store.add_user("second-owner@example.test", "Second Owner", role="owner")
    reader = store.add_user("reader@example.test", "Reader", role="reader")
    store.set_fields("admin_keys", sb.admin_key_id, expires_at=int(NOW + 30 * DAY))
    account = await call(app, "POST", f"/projects/{pid}/service_accounts", {"name": "ci-bot"})
    sa_key = account["api_key"]["id"]
    store.set_fields("api_keys", sa_key, last_used_at=int(NOW - 3600))
    user_key = "key_userOwnedFAKE01"
    store.execute(
        "INSERT INTO api_keys (id, project_id, name, redacted_value, created_at, last_used_at,"
        " owner_type, owner_user_id) VALUES (?, ?, 'reader-notebook', 'sk-proj-...FAKE', ?, ?,"
        " 'user', ?)",
        (user_key, pid, int(NOW - 5 * DAY), int(NOW - 3600), reader["id"]),
    )
    invite = await call(app, "POST", "/invites", {"email": "new@example.test", "role": "reader"})
    return {
        "pid": pid,
        "second": second["id"],
        "reader": reader["id"],
        "sa": account["id"],
        "sa_key": sa_key,
        "user_key": user_key,
        "invite": invite["id"],
        "admin_key": sb.admin_key_id,
    }


@pytest.fixture
def app() -> Any:
    return create_app(demo=False, clock=lambda: NOW)


async def test_passing_organisation_is_clean(app: Any) -> None:
    await build_passing(app)
    assert await findings_of(app) == []


async def test_archived_projects_are_not_judged(app: Any) -> None:
    await build_passing(app)
    project = await call(app, "POST", "/projects", {"name": "old-experiment"})
    account = await call(
        app, "POST", f"/projects/{project['id']}/service_accounts", {"name": "old-bot"}
    )
    app.state.sandbox.store.set_fields(
        "api_keys", account["api_key"]["id"], created_at=int(NOW - 400 * DAY)
    )
    await call(app, "POST", f"/projects/{project['id']}/archive")
    assert await findings_of(app) == []


# ---------------------------------------------------------------- one breaker per check

Breaker = Callable[[Any, dict[str, str]], Awaitable[str]]


async def no_org_limit(app: Any, ids: dict[str, str]) -> str:
    await call(app, "DELETE", "/spend_limit")
    return "org"


async def new_project_without_limit(app: Any, ids: dict[str, str]) -> str:
    return str((await call(app, "POST", "/projects", {"name": "launch-next-week"}))["id"])


async def owner_removed_from_project(app: Any, ids: dict[str, str]) -> str:
    await call(app, "DELETE", f"/projects/{ids['pid']}/users/{ids['reader']}")
    return ids["user_key"]


async def old_key(app: Any, ids: dict[str, str]) -> str:
    app.state.sandbox.store.set_fields("api_keys", ids["sa_key"], created_at=int(NOW - 91 * DAY))
    return ids["sa_key"]


async def never_used_key(app: Any, ids: dict[str, str]) -> str:
    app.state.sandbox.store.set_fields(
        "api_keys", ids["sa_key"], created_at=int(NOW - 31 * DAY), last_used_at=None
    )
    return ids["sa_key"]


async def idle_key(app: Any, ids: dict[str, str]) -> str:
    app.state.sandbox.store.set_fields(
        "api_keys",
        ids["sa_key"],
        created_at=int(NOW - 60 * DAY),
        last_used_at=int(NOW - 31 * DAY),
    )
    return ids["sa_key"]


async def admin_key_forever(app: Any, ids: dict[str, str]) -> str:
    app.state.sandbox.store.set_fields("admin_keys", ids["admin_key"], expires_at=None)
    return ids["admin_key"]


async def admin_key_old(app: Any, ids: dict[str, str]) -> str:
    app.state.sandbox.store.set_fields(
        "admin_keys", ids["admin_key"], created_at=int(NOW - 120 * DAY)
    )
    return ids["admin_key"]


async def one_owner_left(app: Any, ids: dict[str, str]) -> str:
    await call(app, "POST", f"/users/{ids['second']}", {"role": "reader"})
    owners = await call(app, "GET", "/users")
    return next(u["id"] for u in owners["data"] if u["role"] == "owner")


async def owners_everywhere(app: Any, ids: dict[str, str]) -> str:
    store = app.state.sandbox.store
    extra = [store.add_user(f"boss{i}@example.test", role="owner")["id"] for i in range(2)]
    return extra[0]  # 4 owners for 1 reader


async def invite_expired(app: Any, ids: dict[str, str]) -> str:
    app.state.sandbox.store.set_fields("invites", ids["invite"], expires_at=int(NOW - 60))
    return ids["invite"]


async def account_promoted(app: Any, ids: dict[str, str]) -> str:
    await call(
        app, "POST", f"/projects/{ids['pid']}/service_accounts/{ids['sa']}", {"role": "owner"}
    )
    return ids["sa"]


BREAKERS: dict[str, Breaker] = {
    "org.no_spend_limit": no_org_limit,
    "project.no_spend_limit": new_project_without_limit,
    "key.owner_inactive": owner_removed_from_project,
    "key.rotation_due": old_key,
    "key.never_used": never_used_key,
    "key.unused": idle_key,
    "admin_key.no_expiry": admin_key_forever,
    "admin_key.too_old": admin_key_old,
    "org.single_owner": one_owner_left,
    "org.too_many_owners": owners_everywhere,
    "invite.expired": invite_expired,
    "service_account.owner_role": account_promoted,
}


@pytest.mark.parametrize("check_id", list(BREAKERS))
async def test_check_fires_when_broken(app: Any, check_id: str) -> None:
    ids = await build_passing(app)
    culprit = await BREAKERS[check_id](app, ids)
    found = await findings_of(app)
    # old_key is also > 30 days old but was used an hour ago: only the rotation check fires.
    assert [f.id for f in found] == [check_id]
    finding = found[0]
    spec = next(spec for spec in CHECKS if spec.id == check_id)
    assert finding.severity == spec.severity and finding.hint == spec.hint
    assert culprit in {ref.id for ref in finding.objects}
    assert finding.message


async def test_thresholds_come_from_the_profile(app: Any) -> None:
    ids = await build_passing(app)
    app.state.sandbox.store.set_fields("api_keys", ids["sa_key"], created_at=int(NOW - 20 * DAY))
    assert await findings_of(app) == []
    strict = Thresholds(key_rotation_days=14)
    assert [f.id for f in await findings_of(app, strict)] == ["key.rotation_due"]


# ---------------------------------------------------------------- limits against real spend


@pytest.fixture
def demo_app() -> Any:
    return create_app(seed=1, clock=lambda: NOW)


async def test_limits_against_the_last_30_days(demo_app: Any) -> None:
    async with AdminClient(
        "http://sandbox/v1",
        SANDBOX_ADMIN_KEY,
        transport=httpx.ASGITransport(app=demo_app),
        requests_per_minute=100_000,
    ) as client:
        trailing = trailing_cost_by_project(
            await fetch_spend_data(client, NOW, include_usage=False)
        )
    busiest = max(trailing, key=lambda pid: trailing[pid])
    spent_cents = round(trailing[busiest] * 100)
    assert spent_cents > 1000

    def about(pid: str, found: list[Finding]) -> set[str]:
        return {f.id for f in found if pid in {o.id for o in f.objects}}

    await call(demo_app, "POST", f"/projects/{busiest}/spend_limit", limit_body(spent_cents // 2))
    assert about(busiest, await findings_of(demo_app)) == {"limit.below_spend"}
    await call(demo_app, "POST", f"/projects/{busiest}/spend_limit", limit_body(spent_cents * 2))
    assert about(busiest, await findings_of(demo_app)) == set()
    await call(demo_app, "POST", f"/projects/{busiest}/spend_limit", limit_body(spent_cents * 5))
    assert about(busiest, await findings_of(demo_app)) == {"limit.far_above_spend"}
    await call(demo_app, "POST", "/spend_limit", limit_body(100))
    org = [
        f for f in await findings_of(demo_app) if f.objects and f.objects[0].type == "organization"
    ]
    assert [f.id for f in org] == ["limit.below_spend"]


def test_keys_expiring_soon_when_the_api_gives_expires_at() -> None:
    from types import SimpleNamespace as NS

    from orgtui.core.health_checks import check_project_keys
    from orgtui.core.snapshot import ProjectView

    def key(kid: str, expires_at: float | None) -> Any:
        return NS(
            id=kid,
            name=kid,
            redacted_value="sk-...",
            created_at=NOW - DAY,
            last_used_at=NOW - 60,
            owner_project_access="active",
            expires_at=expires_at,
        )

    view = ProjectView(
        project=NS(id="proj_1", name="search", archived=False),
        api_keys=[key("soon", NOW + 3 * DAY), key("later", NOW + 90 * DAY), key("never", None)],
    )
    found = check_project_keys(NS(projects={"proj_1": view}), NOW, Thresholds())
    assert [(f.id, [r.id for r in f.objects]) for f in found] == [("key.expiring", ["soon"])]
    assert found[0].message == '1 key in project "search" expires within 14 days (or did)'
