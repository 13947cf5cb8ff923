"""Fixtures: a demo sandbox on a frozen clock, and an httpx client talking to it in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from orgtui.sandbox import SANDBOX_ADMIN_KEY, Sandbox, create_app

FROZEN_NOW = 1_760_000_000.0  # 2025-10-09 08:53:20 UTC
AUTH = {"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"}


class Clock:
    """A frozen clock tests can move."""

    def __init__(self, t: float = FROZEN_NOW) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> Starlette:
    return create_app(clock=clock)


@pytest.fixture
def sb(app: Starlette) -> Sandbox:
    return app.state.sandbox


def make_client(app: Starlette, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sandbox/v1",
        headers=AUTH if headers is None else headers,
    )


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(app) as c:
        yield c


def project_id(sb: Sandbox, name: str) -> str:
    return str(sb.store.scalar("SELECT id FROM projects WHERE name = ?", (name,)))


def user_id(sb: Sandbox, first_name: str) -> str:
    return str(sb.store.scalar("SELECT id FROM users WHERE name LIKE ?", (first_name + " %",)))


async def get_all(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a style-A list, paging with after=last_id."""
    items: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        q = dict(params)
        if after:
            q["after"] = after
        r = await client.get(path, params=q)
        assert r.status_code == 200, r.text
        body = r.json()
        items += body["data"]
        if not body["has_more"]:
            return items
        assert body["last_id"] != after
        after = body["last_id"]


def assert_error(r: httpx.Response, status: int, contains: str = "") -> dict[str, Any]:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"}
    assert contains.lower() in err["message"].lower(), err["message"]
    return err
