"""Spend figures from the sandbox equal sums computed here from raw buckets fetched with httpx.

The expected values never reuse `orgtui.core.spend`: the windows are rebuilt from calendar dates
and the buckets are fetched with different groupings (org total ungrouped, per project, per key)
and different time ranges than the code under test asks for.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from orgtui.config import Profile
from orgtui.core.clock import FrozenClock
from orgtui.core.session import Session
from orgtui.core.spend import SpendSummary, fetch_spend_data, summarise
from orgtui.core.sync import Syncer
from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app

AUTH = {"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"}
DAY = 86_400


def ts(*parts: int) -> float:
    return datetime(*parts, tzinfo=UTC).timestamp()


# Frozen moments near month boundaries: 45 minutes into a month, 10 minutes before one ends,
# and the first morning of a year.
MOMENTS = {
    "month_start": ts(2026, 12, 1, 0, 45),
    "month_end": ts(2026, 11, 30, 23, 50),
    "new_year": ts(2027, 1, 1, 6, 0),
}


def approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-9, abs=1e-9)


@pytest.fixture(params=list(MOMENTS), ids=list(MOMENTS))
def now(request: pytest.FixtureRequest) -> float:
    return MOMENTS[request.param]


@pytest.fixture
def clock(now: float) -> FrozenClock:  # overrides the core conftest's clock
    return FrozenClock(now)


@pytest.fixture
def sandbox_app(now: float) -> Any:  # overrides the core conftest's app: our frozen moment
    return create_app(seed=1, clock=lambda: now)


# ---------------------------------------------------------------- independent helpers


async def raw_buckets(app: Any, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every bucket of a usage/costs query, paged by hand with httpx."""
    buckets: list[dict[str, Any]] = []
    query = {k: v for k, v in params.items() if v is not None}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://raw"
    ) as http:
        while True:
            response = await http.get(f"/v1/organization/{path}", params=query, headers=AUTH)
            assert response.status_code == 200, response.text
            body = response.json()
            buckets += body["data"]
            if not body["has_more"]:
                return buckets
            query["page"] = body["next_page"]


def total(buckets: list[dict[str, Any]], by: str | None = None) -> Any:
    if by is None:
        return math.fsum(r["amount"]["value"] for b in buckets for r in b["results"])
    values: dict[str, list[float]] = defaultdict(list)
    for b in buckets:
        for r in b["results"]:
            values[r[by]].append(r["amount"]["value"])
    return {k: math.fsum(v) for k, v in values.items()}


def month_bounds(now: float) -> tuple[float, float]:
    moment = datetime.fromtimestamp(now, UTC)
    start = datetime(moment.year, moment.month, 1, tzinfo=UTC)
    nxt = datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=UTC)
    return start.timestamp(), nxt.timestamp()


def midnight(now: float) -> float:
    moment = datetime.fromtimestamp(now, UTC)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC).timestamp()


async def synced(client: Any, clock: FrozenClock) -> Session:
    session = Session(Profile(name="spendtest", org_name="Spend Org"), client, None, clock)
    result = await Syncer(session).refresh_all()
    assert result.ok, result.errors
    return session


async def summary_of(client: Any, session: Session, now: float, **kw: Any) -> SpendSummary:
    data = await fetch_spend_data(client, now, **kw)
    return summarise(session.snapshot, data, now)


# ---------------------------------------------------------------- the figures


async def test_month_to_date_today_and_forecast(
    sandbox_app: Any, client: Any, clock: Any, now: float
) -> None:
    session = await synced(client, clock)
    summary = await summary_of(client, session, now)
    month_start, next_month = month_bounds(now)
    today = midnight(now)

    month = await raw_buckets(sandbox_app, "costs", start_time=int(month_start), limit=31)
    assert summary.org.month_to_date_usd == approx(total(month))
    assert summary.org.month_to_date_usd > 0
    today_buckets = await raw_buckets(sandbox_app, "costs", start_time=int(today), limit=1)
    assert summary.org.today_usd == approx(total(today_buckets))

    week = await raw_buckets(
        sandbox_app, "costs", start_time=int(today - 7 * DAY), end_time=int(today), limit=7
    )
    avg = total(week) / 7
    assert summary.org.forecast.avg_daily_usd == approx(avg)
    remaining = (next_month - now) / DAY
    assert summary.org.forecast.forecast_usd == approx(total(month) + avg * remaining)

    # Per project, from a grouping by project only.
    by_project = total(
        await raw_buckets(sandbox_app, "costs", start_time=int(month_start), group_by="project_id"),
        "project_id",
    )
    week_by_project = total(
        await raw_buckets(
            sandbox_app,
            "costs",
            start_time=int(today - 7 * DAY),
            end_time=int(today),
            group_by="project_id",
            limit=7,
        ),
        "project_id",
    )
    got = {p.id: p for p in summary.projects}
    for pid, expected in by_project.items():
        assert got[pid].month_to_date_usd == approx(expected)
        fc = expected + week_by_project.get(pid, 0.0) / 7 * remaining
        assert got[pid].forecast.forecast_usd == approx(fc)
    assert math.fsum(p.month_to_date_usd for p in summary.projects) == approx(total(month))


async def test_keys_carry_names_and_projects(
    sandbox_app: Any, client: Any, clock: Any, now: float
) -> None:
    session = await synced(client, clock)
    summary = await summary_of(client, session, now)
    month_start, _ = month_bounds(now)
    by_key = total(
        await raw_buckets(sandbox_app, "costs", start_time=int(month_start), group_by="api_key_id"),
        "api_key_id",
    )
    by_key.pop(None, None)
    assert {k.id: k.month_to_date_usd for k in summary.keys} == {
        kid: approx(v) for kid, v in by_key.items()
    }
    names = {
        key.id: (key.name, pid)
        for pid, view in session.snapshot.projects.items()
        for key in view.get("api_keys") or ()
    }
    for key in summary.keys:
        assert (key.name, key.project_id) == names[key.id]
        assert not key.deleted
        assert key.project_name == session.snapshot.projects[key.project_id].project.name
    month = summary.top_keys(5)
    assert [k.month_to_date_usd for k in month] == sorted(
        (k.month_to_date_usd for k in month), reverse=True
    )
    today = summary.top_keys(5, "today")
    assert [k.today_usd for k in today] == sorted((k.today_usd for k in today), reverse=True)


async def test_trailing_30_days_per_project(
    sandbox_app: Any, client: Any, clock: Any, now: float
) -> None:
    session = await synced(client, clock)
    summary = await summary_of(client, session, now, include_usage=False)
    today = midnight(now)
    raw = await raw_buckets(
        sandbox_app,
        "costs",
        start_time=int(today - 30 * DAY),
        end_time=int(today),
        group_by="project_id",
        limit=30,
    )
    expected = total(raw, "project_id")
    got = summary.trailing_30d_by_project()
    for pid, value in expected.items():
        assert got[pid] == approx(value)
    assert summary.org.trailing_30d_usd == approx(total(raw))


async def test_limits_and_alerts(sandbox_app: Any, client: Any, clock: Any, now: float) -> None:
    session = await synced(client, clock)
    summary = await summary_of(client, session, now, include_usage=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app), base_url="http://raw", headers=AUTH
    ) as http:
        org_limit = (await http.get("/v1/organization/spend_limit")).json()
        org_alerts = (await http.get("/v1/organization/spend_alerts")).json()["data"]
    cents = org_limit["threshold_amount"]
    limit = summary.org.limit
    assert limit is not None and limit.threshold_cents == cents
    mtd = summary.org.month_to_date_usd
    assert limit.percent == approx(mtd / (cents / 100) * 100)
    assert limit.headroom_usd == approx(cents / 100 - mtd)
    assert limit.enforcement == org_limit["enforcement"]["status"]
    assert {a.id: a.crossed for a in summary.org.alerts} == {
        a["id"]: round(mtd * 100) >= a["threshold_amount"] for a in org_alerts
    }
    limited = [p for p in summary.projects if p.limit is not None]
    assert limited, "the demo org has project limits"
    for p in limited:
        assert p.limit is not None
        assert p.limit.percent == approx(
            p.month_to_date_usd / (p.limit.threshold_cents / 100) * 100
        )


async def test_burn_rate(sandbox_app: Any, client: Any, clock: Any, now: float) -> None:
    session = await synced(client, clock)
    summary = await summary_of(client, session, now)
    minute_end = now // 60 * 60
    hour_end = now // 3600 * 3600
    minutes = await raw_buckets(
        sandbox_app,
        "usage/completions",
        start_time=int(minute_end - 3600),
        end_time=int(minute_end),
        bucket_width="1m",
        limit=60,
    )
    hours = await raw_buckets(
        sandbox_app,
        "usage/completions",
        start_time=int(hour_end - DAY),
        end_time=int(hour_end),
        bucket_width="1h",
        limit=24,
    )

    def rate(buckets: list[dict[str, Any]], span: float) -> tuple[float, float]:
        results = [r for b in buckets for r in b["results"]]
        requests = sum(r["num_model_requests"] for r in results)
        tokens = sum(r["input_tokens"] + r["output_tokens"] for r in results)
        return requests / span, tokens / span

    burn = summary.burn
    assert burn.last_hour is not None and burn.last_day is not None
    assert (burn.last_hour.requests_per_minute, burn.last_hour.tokens_per_minute) == tuple(
        map(approx, rate(minutes, 60))
    )
    assert (burn.last_day.requests_per_minute, burn.last_day.tokens_per_minute) == tuple(
        map(approx, rate(hours, 1440))
    )
    assert burn.last_day.requests_per_minute > 0
    assert burn.usd_per_hour == approx(summary.org.today_usd / ((now - midnight(now)) / 3600))
    assert len(burn.per_minute) == 60
    assert sum(p.requests for p in burn.per_minute) == round(rate(minutes, 1)[0])


# ---------------------------------------------------------------- deleted keys, paging, empty


@pytest.mark.parametrize("now", [MOMENTS["month_end"]])
async def test_deleted_key_costs_are_kept(
    sandbox_app: Any, client: Any, clock: Any, now: float
) -> None:
    session = await synced(client, clock)
    before = await summary_of(client, session, now, include_usage=False)
    owned = {
        key.id: pid
        for pid, view in session.snapshot.projects.items()
        for key in view.get("api_keys") or ()
        if key.owner.type == "user"
    }
    victim = next(k for k in before.keys if k.id in owned and k.month_to_date_usd > 0)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app), base_url="http://raw", headers=AUTH
    ) as http:
        pid = owned[victim.id]
        response = await http.delete(f"/v1/organization/projects/{pid}/api_keys/{victim.id}")
        assert response.status_code == 200, response.text
    await Syncer(session).refresh_parts([f"project:{pid}:keys"])
    assert victim.id not in {k.id for k in session.snapshot.projects[pid].get("api_keys") or ()}

    after = await summary_of(client, session, now, include_usage=False)
    gone = next(k for k in after.keys if k.id == victim.id)
    assert gone.name == f"deleted key {victim.id}"
    assert gone.deleted
    assert gone.project_id == pid
    assert gone.month_to_date_usd == approx(victim.month_to_date_usd)
    assert after.org.month_to_date_usd == approx(before.org.month_to_date_usd)
    assert victim.id in {k.id for k in after.top_keys(len(after.keys))}


@pytest.mark.parametrize("now", [MOMENTS["new_year"]])
async def test_pagination_over_many_pages(
    client: Any, clock: Any, now: float, transport: Any
) -> None:
    session = await synced(client, clock)
    whole = await summary_of(client, session, now)
    transport.requests.clear()
    paged = await summary_of(client, session, now, page_limit=2)
    cost_pages = [p for p in transport.paths() if p.endswith("/organization/costs")]
    assert len(cost_pages) >= 15  # 31 daily buckets, 2 per page
    assert len([p for p in transport.paths() if p.endswith("/usage/completions")]) >= 40
    assert paged.org.month_to_date_usd == approx(whole.org.month_to_date_usd)
    assert paged.org.forecast.forecast_usd == approx(whole.org.forecast.forecast_usd)
    assert [(k.id, approx(k.month_to_date_usd)) for k in paged.keys] == [
        (k.id, k.month_to_date_usd) for k in whole.keys
    ]
    assert paged.burn == whole.burn


@pytest.fixture
def empty_app(now: float) -> Any:
    return create_app(demo=False, clock=lambda: now)


@pytest.mark.parametrize("now", [MOMENTS["month_start"]])
async def test_empty_buckets(empty_app: Any, now: float) -> None:
    from orgtui.api.client import AdminClient

    async with AdminClient(
        "http://sandbox/v1",
        SANDBOX_ADMIN_KEY,
        transport=httpx.ASGITransport(app=empty_app),
        requests_per_minute=100_000,
    ) as client:
        session = await synced(client, FrozenClock(now))
        data = await fetch_spend_data(client, now)
    assert data.costs and all(not b.results for b in data.costs)
    summary = summarise(session.snapshot, data, now)
    assert summary.org.month_to_date_usd == 0.0
    assert summary.org.today_usd == 0.0
    assert summary.org.forecast.forecast_usd == 0.0
    assert summary.org.limit is None and summary.org.limit_known
    assert summary.keys == () and summary.top_keys() == [] and summary.top_projects() == []
    assert [p.month_to_date_usd for p in summary.projects] == [0.0]  # the default project
    assert summary.burn.last_hour is not None
    assert summary.burn.last_hour.requests_per_minute == 0.0
    assert not summary.any_enforcing
