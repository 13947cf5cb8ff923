"""Fixtures for the core tests: model factories, a frozen clock, a sandbox-backed session."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from orgtui.api._base import parse
from orgtui.api.models import (
    AdminApiKey,
    Invite,
    Project,
    ProjectApiKey,
    ProjectRateLimit,
    ProjectServiceAccount,
    ProjectUser,
    SpendAlert,
    SpendLimit,
    User,
)
from orgtui.core.clock import FrozenClock
from orgtui.core.snapshot import OrgSnapshot, PartStatus, project_part

T0 = 1_790_000_000.0  # fixed "now" of the core tests


# ---------------------------------------------------------------- model factories


def make_project(i: int, *, archived: bool = False) -> Project:
    return Project(
        id=f"proj_{i:04d}",
        name=f"Project {i}",
        created_at=1_700_000_000 + i,
        archived_at=1_750_000_000 if archived else None,
        status="archived" if archived else "active",
    )


def make_key(pid: str, i: int) -> ProjectApiKey:
    return parse(
        ProjectApiKey,
        {
            "id": f"key_{pid}_{i:05d}",
            "name": f"key {i}",
            "redacted_value": f"sk-proj-ab...{i:04d}",
            "created_at": 1_700_000_000 + i,
            "last_used_at": None,
            "owner": {
                "type": "service_account",
                "service_account": {"id": f"svc_{i}", "name": f"bot {i}", "role": "member"},
            },
        },
    )


def make_service_account(i: int) -> ProjectServiceAccount:
    return ProjectServiceAccount(id=f"svc_{i}", name=f"bot {i}", role="member", created_at=1)


def make_project_user(i: int) -> ProjectUser:
    return ProjectUser(
        id=f"user_{i}", name=f"User {i}", email=f"u{i}@example.test", role="member", added_at=1
    )


def make_rate_limit(i: int) -> ProjectRateLimit:
    return ProjectRateLimit(
        id=f"rl_{i}",
        model=f"gpt-test-{i}",
        max_requests_per_1_minute=100,
        max_tokens_per_1_minute=1000,
    )


def make_spend_limit(cents: int = 50_000) -> SpendLimit:
    return parse(
        SpendLimit,
        {
            "object": "project.spend_limit",
            "threshold_amount": cents,
            "currency": "USD",
            "interval": "month",
            "enforcement": {"status": "inactive"},
        },
    )


def make_alert(i: int) -> SpendAlert:
    return parse(
        SpendAlert,
        {
            "id": f"alert_{i}",
            "threshold_amount": 1000 * i,
            "notification_channel": {"type": "email", "recipients": ["ops@example.test"]},
        },
    )


def make_user(i: int) -> User:
    return User(
        id=f"user_{i}", name=f"User {i}", email=f"u{i}@example.test", role="owner", added_at=1
    )


def make_invite(i: int) -> Invite:
    return Invite(
        id=f"invite_{i}",
        email=f"new{i}@example.test",
        role="reader",
        status="pending",
        created_at=1,
    )


def make_admin_key(i: int) -> AdminApiKey:
    return parse(
        AdminApiKey,
        {
            "id": f"admin_{i}",
            "name": f"admin {i}",
            "redacted_value": "sk-admin...xyz",
            "created_at": 1,
            "owner": {"type": "user", "id": "user_1", "name": "Ada"},
        },
    )


def make_snapshot(
    projects: int = 3, keys: int = 2, *, archived: int = 0, at: float = T0
) -> OrgSnapshot:
    """A fully fetched snapshot: `projects` active projects, then `archived` archived ones."""
    snap = OrgSnapshot.empty("test", "Test Org")
    plist = [make_project(i) for i in range(projects)]
    plist += [make_project(projects + i, archived=True) for i in range(archived)]
    snap = snap.with_projects(plist, at)
    for project in plist:
        pid = project.id
        snap = snap.with_project(
            pid,
            api_keys=[make_key(pid, i) for i in range(keys)],
            service_accounts=[make_service_account(i) for i in range(keys)],
            users=[make_project_user(1)],
            rate_limits=[make_rate_limit(1)],
            spend_limit=make_spend_limit(),
            spend_alerts=[make_alert(1)],
        )
        for kind in ("keys", "service_accounts", "users", "rate_limits", "limits"):
            snap = snap.with_part_status(project_part(pid, kind), PartStatus(at))
    snap = snap.with_org(
        users=[make_user(1), make_user(2)],
        invites=[make_invite(1)],
        admin_keys=[make_admin_key(1)],
        org_spend_limit=make_spend_limit(1_000_000),
        org_spend_alerts=[make_alert(2)],
    )
    for part in ("users", "invites", "admin_keys", "org_limits"):
        snap = snap.with_part_status(part, PartStatus(at))
    return snap


# ---------------------------------------------------------------- fixtures


# Captured now: every directory's conftest is named "conftest", so sys.modules["conftest"]
# points at another one by the time a fixture runs in a full-suite session.
_THIS_MODULE = sys.modules[__name__]


@pytest.fixture
def factories() -> ModuleType:
    """This module, for its factories (test files cannot import a conftest)."""
    return _THIS_MODULE


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def snapshot() -> OrgSnapshot:
    return make_snapshot()


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps a transport: records every request, and can be switched to "offline"."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[tuple[str, str]] = []
        self.offline = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if self.offline:
            raise httpx.ConnectError("network unreachable (test)", request=request)
        return await self.inner.handle_async_request(request)

    def paths(self) -> list[str]:
        return [path for _, path in self.requests]


async def _no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture
def sandbox_app() -> Any:
    sandbox = pytest.importorskip("orgtui.sandbox")
    if not hasattr(sandbox, "create_app"):
        pytest.skip("the sandbox is not built yet")
    return sandbox.create_app(seed=1, clock=lambda: T0)


@pytest.fixture
def transport(sandbox_app: Any) -> RecordingTransport:
    return RecordingTransport(httpx.ASGITransport(app=sandbox_app))


@pytest.fixture
async def client(transport: RecordingTransport) -> AsyncIterator[Any]:
    from orgtui.api.client import AdminClient
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    async with AdminClient(
        "http://sandbox/v1",
        SANDBOX_ADMIN_KEY,
        transport=transport,
        requests_per_minute=100_000,
        max_retries=1,
        sleep=_no_sleep,
    ) as admin_client:
        yield admin_client


@pytest.fixture
def make_session(client: Any, clock: FrozenClock) -> Iterator[Callable[..., Any]]:
    """Build a Session on the sandbox client with its own cache (call again to "restart")."""
    from orgtui.config import Profile
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session

    opened: list[Any] = []

    def build(name: str = "test", **kw: Any) -> Session:
        cache = Cache.open(name)
        opened.append(cache)
        return Session(Profile(name=name, org_name="Test Org"), client, cache, clock, **kw)

    yield build
    for cache in opened:
        cache.close()
