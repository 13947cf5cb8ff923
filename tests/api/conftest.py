"""Fixtures for the API layer: a scriptable fake server, a fake clock, the spec."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from orgtui.api.client import AdminClient

TEST_KEY = "sk-admin-TEST-FAKE-KEY-not-real-5678"
BASE_URL = "http://api.test/v1"
SHARED_DIR = Path(__file__).resolve().parents[2].parent / "shared"
SPEC_FILE = SHARED_DIR / "openai-admin-openapi.yaml"

Reply = httpx.Response | Exception | Callable[[httpx.Request], Awaitable[httpx.Response]]


def lenient_json(text: str) -> Any:
    """Parse the spec's examples, some of which carry trailing commas."""
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def ok(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=data, headers=headers)


def err(
    status: int, message: str = "boom", *, param: str | None = None, **headers: str
) -> httpx.Response:
    body = {
        "error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    }
    return httpx.Response(
        status, json=body, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


def page(
    items: list[dict[str, Any]], has_more: bool, last_id: str | None = "auto"
) -> dict[str, Any]:
    if last_id == "auto":
        last_id = items[-1]["id"] if items else None
    return {
        "object": "list",
        "data": items,
        "first_id": items[0]["id"] if items else None,
        "last_id": last_id,
        "has_more": has_more,
    }


def project(i: int | str) -> dict[str, Any]:
    return {
        "id": f"proj_{i}",
        "object": "organization.project",
        "name": f"P{i}",
        "created_at": 1711471533,
        "archived_at": None,
        "status": "active",
    }


class FakeServer:
    """Replies are scripted per (METHOD, path) as a queue; every request is recorded.

    A queued reply is an `httpx.Response`, an exception to raise (a dropped connection), or an
    async callable (to hang, or to compute a reply). The last reply of a queue repeats.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[httpx.Request] = []

    def on(self, method: str, path: str, *replies: Reply) -> FakeServer:
        self.routes.setdefault((method, "/v1" + path), []).extend(replies)
        return self

    def calls(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method)
            and (path is None or r.url.path == "/v1" + path)
        ]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        queue = self.routes.get((request.method, request.url.path))
        if not queue:
            return err(404, f"no route {request.method} {request.url.path}")
        reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            # a fresh copy each time: a Response's stream can only be read once
            return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)
        return await reply(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


class FakeTime:
    """Injected clock + sleep: sleeping advances the clock instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def make_client(server: FakeServer, fake_time: FakeTime):
    clients: list[AdminClient] = []

    def factory(**kw: Any) -> AdminClient:
        kw.setdefault("transport", server.transport)
        kw.setdefault("sleep", fake_time.sleep)
        kw.setdefault("clock", fake_time.clock)
        kw.setdefault("requests_per_minute", None)
        client = AdminClient(kw.pop("base_url", BASE_URL), kw.pop("admin_key", TEST_KEY), **kw)
        clients.append(client)
        return client

    yield factory
    for c in clients:
        await c.aclose()


@pytest.fixture
async def client(make_client) -> AdminClient:
    return make_client()


@pytest.fixture(scope="session")
def admin_spec() -> dict[str, Any]:
    if not SPEC_FILE.exists():
        pytest.skip(f"Admin API spec not found at {SPEC_FILE} (expected shared/ beside the repo)")
    import yaml

    with SPEC_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
