"""Every operation of the spec has a client method, a sandbox route and a caller in core.

The client side runs every call of `tests/api/spec_support.CALLS` (plus the calls core makes
that the spec tests do not: `iter_cost_lines`) against a fake server that names the operation
each request hits, noting which `AdminClient` method sent it. An operation is covered by core
when one of those methods is called somewhere in `orgtui/core` (`.method(`). The sandbox side
is the set of routes the app emulates. README.md states the figure; this test checks it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from orgtui.api.client import AdminClient
from orgtui.sandbox import create_app
from tests.api.conftest import BASE_URL, SPEC_FILE, TEST_KEY
from tests.api.spec_support import CALLS, SpecServer

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not SPEC_FILE.exists(), reason="spec file not available")


def _spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_FILE.read_text())


def spec_operations(spec: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """operationId -> (METHOD, path) for every operation of the spec."""
    return {
        op["operationId"]: (method.upper(), path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


async def client_methods_by_operation(spec: dict[str, Any]) -> dict[str, set[str]]:
    """operationId -> the AdminClient methods whose requests reached it."""
    server = SpecServer(spec)
    current: list[str] = []
    hits: dict[str, set[str]] = {}

    async def handle(request: httpx.Request) -> httpx.Response:
        response = await server.handle(request)
        _, op = server.operation(request)
        hits.setdefault(op["operationId"], set()).update(current[:1])
        return response

    def traced(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):

            async def call(self: Any, *a: Any, **k: Any) -> Any:
                current.insert(0, name)
                try:
                    return await fn(self, *a, **k)
                finally:
                    current.pop(0)

            return call

        def iterate(self: Any, *a: Any, **k: Any) -> Any:
            inner = fn(self, *a, **k)

            async def gen() -> Any:
                current.insert(0, name)
                try:
                    async for item in inner:
                        yield item
                finally:
                    current.pop(0)

            return gen()

        return iterate

    class Traced(AdminClient):
        pass

    for name, fn in inspect.getmembers(AdminClient, inspect.isfunction):
        if not name.startswith("_"):
            setattr(Traced, name, traced(name, fn))
    client = Traced(
        BASE_URL,
        TEST_KEY,
        transport=httpx.MockTransport(handle),
        requests_per_minute=None,
        max_retries=0,
    )
    extra = [lambda c: _drain(c.iter_cost_lines(0, group_by=["project_id"]))]
    try:
        for call in [c for _, c, _ in CALLS] + extra:
            await call(client)
    finally:
        await client.aclose()
    assert not server.failures, server.failures
    return hits


async def _drain(it: Any) -> None:
    async for _ in it:
        pass


def core_calls() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "orgtui/core").rglob("*.py"))
    return set(re.findall(r"\.(\w+)\(", text))


def sandbox_routes() -> set[tuple[str, str]]:
    app = create_app(None, demo=False)
    return set(app.state.emulated)


def coverage_gaps(spec: dict[str, Any], by_op: dict[str, set[str]]) -> dict[str, list[str]]:
    """operationId -> what it lacks (client method, sandbox route, core caller)."""
    routes = sandbox_routes()
    called = core_calls()
    gaps: dict[str, list[str]] = {}
    for op_id, (method, path) in spec_operations(spec).items():
        missing = []
        methods = by_op.get(op_id, set())
        if not methods:
            missing.append("client method")
        if (method, _shape(path)) not in routes:
            missing.append("sandbox route")
        if not methods & called:
            missing.append("caller in core")
        if missing:
            gaps[op_id] = missing
    return gaps


async def test_every_operation_has_client_sandbox_and_core() -> None:
    spec = _spec()
    operations = spec_operations(spec)
    assert len(operations) == 119
    gaps = coverage_gaps(spec, await client_methods_by_operation(spec))
    assert gaps == {}, gaps
    covered = len(operations) - len(gaps)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"**{covered} of the spec's {len(operations)} operations**" in readme, covered


async def test_the_check_notices_a_missing_route_and_a_missing_core_caller() -> None:
    spec = _spec()
    by_op = await client_methods_by_operation(spec)
    assert by_op["getCertificate"] == {"get_certificate"}
    by_op["getCertificate"] = {"a_method_core_never_calls"}
    spec["paths"]["/organization/widgets"] = {"get": {"operationId": "list-widgets"}}
    gaps = coverage_gaps(spec, by_op)
    assert gaps["getCertificate"] == ["caller in core"]
    assert gaps["list-widgets"] == ["client method", "sandbox route", "caller in core"]
