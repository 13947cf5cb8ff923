"""The incident ranking against the in-process sandbox at a frozen moment (T0)."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from orgtui.core.incident import IncidentReport, compute_incident
from orgtui.core.incident_kinds import KINDS

T0 = 1_790_000_000.0
UNITS = {
    "completions": "requests",
    "embeddings": "requests",
    "moderations": "requests",
    "images": "images",
    "audio_speeches": "characters",
    "audio_transcriptions": "seconds",
    "vector_stores": "GB-days",
    "code_interpreter_sessions": "sessions",
}


class Queries(httpx.AsyncBaseTransport):
    """Records each request's path and query."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.seen: list[tuple[str, dict[str, list[str]]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.url.path, parse_qs(request.url.query.decode())))
        return await self.inner.handle_async_request(request)


async def _report(app: Any) -> tuple[IncidentReport, Queries]:
    from orgtui.api.client import AdminClient
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    transport = Queries(app)
    async with AdminClient(
        "http://sandbox/v1", SANDBOX_ADMIN_KEY, transport=transport, requests_per_minute=100_000
    ) as client:
        return await compute_incident(client, T0), transport


def _a_quiet_key(report: IncidentReport) -> str:
    """A key that uses completions and is not the busiest."""
    keys = [r for r in report.rows if r.scope == "key" and r.kind == "completions"]
    keys.sort(key=lambda r: r.rate_60m)
    return next(r.id for r in keys if r.rate_60m > 0)


async def test_a_quiet_org_has_every_kind_in_its_unit_and_no_spike(sandbox_app: Any) -> None:
    report, _ = await _report(sandbox_app)
    by_kind = report.usage_by_kind()
    assert [k for k in by_kind if k != "costs"] == [spec.kind for spec in KINDS]
    assert {k: v["unit"] for k, v in by_kind.items() if k != "costs"} == UNITS
    assert by_kind["completions"]["per_hour_60m"] > 0
    assert by_kind["completions"]["tokens_per_hour"] > 0
    assert by_kind["costs"]["baseline_per_hour"] > 0
    assert report.spikes(3.0) == []
    assert not report.errors


async def test_the_incident_key_comes_first_within_one_poll(sandbox_app: Any) -> None:
    quiet, _ = await _report(sandbox_app)
    key = _a_quiet_key(quiet)
    sandbox_app.state.sandbox.set_incident(key, since=T0 - 15 * 60)
    report, transport = await _report(sandbox_app)
    first = report.spikes(3.0)[0]
    assert (first.scope, first.id) == ("key", key)
    assert first.ratio >= 10 and first.exact
    assert first.rate_15m is not None and first.rate_15m > first.baseline * 10
    assert first.usd_per_hour is not None and first.usd_per_hour > 0
    assert first.since is not None and T0 - 20 * 60 <= first.since <= T0 - 10 * 60
    assert first.project_id is not None
    # Grouped queries only: at most 12 requests, none filtered by a key or a project.
    assert len(transport.seen) <= 12
    for path, query in transport.seen:
        assert path.startswith("/v1/organization/usage/") or path == "/v1/organization/costs"
        assert "api_key_ids" not in query and "project_ids" not in query
        assert "group_by" in query
    hourly = {p for p, q in transport.seen if q.get("bucket_width") == ["1h"]}
    assert hourly == {f"/v1/organization/usage/{spec.kind}" for spec in KINDS}


async def test_a_kind_that_fails_is_named_and_the_rest_still_ranks(sandbox_app: Any) -> None:
    from orgtui.api.client import AdminClient
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    inner = httpx.ASGITransport(app=sandbox_app)

    class Broken(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/usage/images"):
                return httpx.Response(400, json={"error": {"message": "nope", "type": "x"}})
            return await inner.handle_async_request(request)

    async with AdminClient(
        "http://sandbox/v1", SANDBOX_ADMIN_KEY, transport=Broken(), max_retries=0
    ) as client:
        report = await compute_incident(client, T0)
    assert "images" in report.errors
    assert report.usage_by_kind()["images"]["error"]
    assert report.usage_by_kind()["completions"]["per_hour_60m"] > 0


@pytest.fixture
def sandbox_app() -> Any:
    from orgtui.sandbox import create_app

    return create_app(seed=1, clock=lambda: T0)


async def test_the_demo_uses_every_kind(tmp_path: Any) -> None:
    """The living demo organisation has a baseline in every kind, so none shows empty."""
    from orgtui.sandbox import create_app

    app = create_app(tmp_path / "demo.sqlite3", demo=True, clock=lambda: T0)
    report, _ = await _report(app)
    assert not report.errors
    for kind, figures in report.usage_by_kind().items():
        assert figures["baseline_per_hour"] > 0, kind


async def test_the_quiet_demo_has_no_spike_at_any_hour(tmp_path: Any) -> None:
    """Bursty but ordinary traffic is not an incident: 24 moments of a day, none spikes."""
    from orgtui.sandbox import create_app

    now = [T0]
    app = create_app(tmp_path / "demo.sqlite3", demo=True, clock=lambda: now[0])
    for hour in range(24):
        now[0] = T0 + hour * 3_600 + hour * 97  # a different minute of each hour
        report, _ = await _report_at(app, now[0])
        assert report.spikes(3.0) == [], (hour, report.spikes(3.0)[:1])


async def _report_at(app: Any, at: float) -> tuple[IncidentReport, Queries]:
    from orgtui.api.client import AdminClient
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    transport = Queries(app)
    async with AdminClient(
        "http://sandbox/v1", SANDBOX_ADMIN_KEY, transport=transport, requests_per_minute=100_000
    ) as client:
        return await compute_incident(client, at), transport


def _row(r60: float, r15: float, sig60: bool, sig15: bool, baseline: float = 1.0) -> Any:
    """An incident row of one kind whose rates are its ratios times `baseline`."""
    from orgtui.core.incident import IncidentRow

    return IncidentRow(
        scope="key",
        id="key_x",
        kind="completions",
        unit="requests",
        project_id="proj_x",
        rate_15m=r15 * baseline,
        rate_60m=r60 * baseline,
        baseline=baseline,
        ratio_15m=r15,
        ratio_60m=r60,
        significant_60m=sig60,
        significant_15m=sig15,
        usd_per_hour=None,
        since=None,
        exact=True,
    )


def test_the_short_window_needs_twice_the_factor() -> None:
    row = _row
    assert row(3.0, 1.0, True, False).is_spike(3.0)
    assert not row(2.0, 5.0, True, True).is_spike(3.0)  # 15 minutes at 5x: a burst
    assert row(2.0, 6.0, False, True).is_spike(3.0)
    assert not row(9.0, 9.0, False, False).is_spike(3.0)  # noise, however large the ratio
    assert row(2.0, 5.0, True, True).ratio == 5.0
    assert row(2.0, 5.0, True, False).ratio == 2.0  # a window that is noise does not count


def test_the_rate_shown_is_the_rate_of_the_window_the_ratio_comes_from() -> None:
    """The panel's "Now /h" and its ratio speak of one window, named beside the ratio: a
    60-minute row then agrees with the spend screen's "per hour, last 60 min"."""

    def row(r60: float, r15: float, sig60: bool, sig15: bool) -> Any:
        return _row(r60, r15, sig60, sig15, baseline=128.0)

    rising = row(1.8, 2.3, True, True)
    assert (rising.window, rising.rate_now) == ("15m", 2.3 * 128)
    steady = row(2.0, 5.0, True, False)  # the 15 minutes are noise: the hour speaks
    assert (steady.window, steady.rate_now) == ("60m", 2.0 * 128)
    unrefined = dataclasses.replace(steady, rate_15m=None, ratio_15m=None)
    assert (unrefined.window, unrefined.rate_now) == ("60m", 2.0 * 128)
