"""`summarise` and the windows on hand-made buckets: exact, small, and edge-case driven."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest

from orgtui.api._base import parse
from orgtui.api.errors import RateLimitedError
from orgtui.api.models import CostAmount, SpendLimit, UsageBucket, UsageResult
from orgtui.core.snapshot import OrgSnapshot
from orgtui.core.spend import SpendData, fetch_spend_data, spend_windows, summarise
from orgtui.core.spend_fetch import trailing_cost_by_project

DAY = 86_400
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC).timestamp()  # 10 March, noon UTC
TODAY = datetime(2026, 3, 10, tzinfo=UTC).timestamp()


def cost(value: float, pid: str | None, kid: str | None = None) -> UsageResult:
    return UsageResult(
        object="organization.costs.result",
        amount=CostAmount(value=value),
        project_id=pid,
        api_key_id=kid,
    )


def day(start: float, *results: UsageResult) -> UsageBucket:
    return UsageBucket(start_time=int(start), end_time=int(start) + DAY, results=list(results))


def limit(cents: int, status: str = "inactive") -> SpendLimit:
    return parse(
        SpendLimit,
        {
            "threshold_amount": cents,
            "enforcement": {"status": status},
            "object": "project.spend_limit",
        },
    )


@pytest.fixture
def snap(factories: ModuleType) -> OrgSnapshot:
    """Two projects (proj_0000, proj_0001) with keys key_proj_000N_0000{0,1}; limits $500."""
    return factories.make_snapshot(projects=2, keys=2)


def data(*buckets: UsageBucket, now: float = NOW) -> SpendData:
    return SpendData(spend_windows(now), list(buckets))


# ---------------------------------------------------------------- windows


@pytest.mark.parametrize(
    ("moment", "month_start", "next_month", "days_left"),
    [
        ((2026, 12, 31, 23, 59, 59), (2026, 12, 1), (2027, 1, 1), 1 / DAY),
        ((2027, 1, 1, 0, 0, 0), (2027, 1, 1), (2027, 2, 1), 31.0),
        ((2028, 2, 29, 12, 0, 0), (2028, 2, 1), (2028, 3, 1), 0.5),
    ],
)
def test_month_windows_are_utc(
    moment: tuple[int, ...],
    month_start: tuple[int, ...],
    next_month: tuple[int, ...],
    days_left: float,
) -> None:
    now = datetime(*moment, tzinfo=UTC).timestamp()
    w = spend_windows(now)
    assert w.month_start == datetime(*month_start, tzinfo=UTC).timestamp()
    assert w.next_month_start == datetime(*next_month, tzinfo=UTC).timestamp()
    assert w.days_remaining == pytest.approx(days_left)
    assert w.costs_start <= w.month_start
    assert w.minutes_end - w.minutes_start == 3600 and w.minutes_end <= now
    assert w.hours_end - w.hours_start == DAY and w.hours_end <= now


# ---------------------------------------------------------------- figures


def test_periods_and_forecast(snap: OrgSnapshot) -> None:
    d = data(
        day(TODAY - 40 * DAY, cost(1000.0, "proj_0000")),  # outside every window
        day(TODAY - 20 * DAY, cost(30.0, "proj_0000")),  # February: trailing only
        day(TODAY - 5 * DAY, cost(7.0, "proj_0000"), cost(7.0, "proj_0001")),
        day(TODAY - 1 * DAY, cost(7.0, "proj_0000")),
        day(TODAY, cost(2.5, "proj_0000", "key_proj_0000_00000"), cost(0.5, None)),
    )
    s = summarise(snap, d, NOW)
    assert s.org.month_to_date_usd == pytest.approx(7 + 7 + 7 + 2.5 + 0.5)
    assert s.org.today_usd == pytest.approx(3.0)
    assert s.org.trailing_30d_usd == pytest.approx(30 + 14 + 7)
    avg = (7 + 7 + 7) / 7
    assert s.org.forecast.avg_daily_usd == pytest.approx(avg)
    days_left = (datetime(2026, 4, 1, tzinfo=UTC).timestamp() - NOW) / DAY
    assert s.org.forecast.days_remaining == pytest.approx(days_left)
    assert s.org.forecast.forecast_usd == pytest.approx(24.0 + avg * days_left)
    first = s.projects[0]
    assert (first.id, first.month_to_date_usd, first.today_usd) == ("proj_0000", 16.5, 2.5)
    assert first.forecast.forecast_usd == pytest.approx(16.5 + 14 / 7 * days_left)
    assert trailing_cost_by_project(d) == {"proj_0000": 44.0, "proj_0001": 7.0}
    assert s.burn.usd_per_hour == pytest.approx(3.0 / 12)
    assert s.burn.last_hour is None and s.burn.last_day is None  # usage not fetched


def test_limit_status_and_alert_boundaries(snap: OrgSnapshot, factories: ModuleType) -> None:
    snap = snap.with_project(
        "proj_0000", spend_limit=limit(1_000, "enforcing"), spend_alerts=[factories.make_alert(1)]
    )  # alert at $10.00
    s = summarise(snap, data(day(TODAY, cost(10.0, "proj_0000"))), NOW)
    p = next(p for p in s.projects if p.id == "proj_0000")
    assert p.limit is not None
    assert (p.limit.threshold_cents, p.limit.percent, p.limit.headroom_usd) == (1000, 100.0, 0.0)
    assert p.limit.crossed and p.limit.enforcing and s.any_enforcing
    assert [a.crossed for a in p.alerts] == [True]  # exactly at the threshold counts
    # Whole cents decide: $9.994 is $9.99, below the $10.00 alert; $9.995 is $10.00.
    for spent, crossed in ((9.994, False), (9.995, True)):
        s = summarise(snap, data(day(TODAY, cost(spent, "proj_0000"))), NOW)
        p = next(p for p in s.projects if p.id == "proj_0000")
        assert [a.crossed for a in p.alerts] == [crossed]
        assert p.limit is not None and p.limit.headroom_usd == pytest.approx(10.0 - spent)


def test_no_limit_and_unfetched_limit(snap: OrgSnapshot) -> None:
    snap = snap.with_project("proj_0001", spend_limit=None)
    s = summarise(snap, data(), NOW)
    p = next(p for p in s.projects if p.id == "proj_0001")
    assert p.limit is None and p.limit_known
    bare = OrgSnapshot.empty("t").with_projects(
        [snap.projects["proj_0000"].project], fetched_at=NOW
    )
    s = summarise(bare, data(), NOW)
    assert not s.projects[0].limit_known and not s.org.limit_known


def test_key_names_deleted_and_unknown(snap: OrgSnapshot, factories: ModuleType) -> None:
    new_project = factories.make_project(7)
    snap = snap.with_projects([*(v.project for v in snap.projects.values()), new_project], NOW)
    d = data(
        day(
            TODAY,
            cost(3.0, "proj_0000", "key_proj_0000_00001"),  # known
            cost(2.0, "proj_0000", "key_gone"),  # project's keys fetched: deleted
            cost(1.0, "proj_0007", "key_unlisted"),  # keys of proj_0007 never fetched
            cost(0.5, "proj_vanished", "key_orphan"),  # project no longer listed
        )
    )
    s = summarise(snap, d, NOW)
    keys = {k.id: k for k in s.keys}
    assert [k.id for k in s.keys] == [
        "key_proj_0000_00001",
        "key_gone",
        "key_unlisted",
        "key_orphan",
    ]
    known = keys["key_proj_0000_00001"]
    assert (known.name, known.project_name, known.deleted) == ("key 1", "Project 0", False)
    assert known.owner_type == "service_account"
    gone = keys["key_gone"]
    assert (gone.name, gone.deleted, gone.month_to_date_usd) == ("deleted key key_gone", True, 2.0)
    unlisted = keys["key_unlisted"]
    assert (unlisted.name, unlisted.deleted) == ("key key_unlisted", False)
    orphan = keys["key_orphan"]
    assert (orphan.name, orphan.deleted, orphan.project_name) == (
        "deleted key key_orphan",
        True,
        "proj_vanished",
    )
    assert "proj_vanished" in {p.id for p in s.projects}  # its cost is not dropped either
    assert s.org.month_to_date_usd == pytest.approx(6.5)


def test_archived_projects_without_spend_are_left_out(factories: ModuleType) -> None:
    snap = factories.make_snapshot(projects=1, keys=0, archived=2)
    archived = [pid for pid, v in snap.projects.items() if v.archived]
    d = data(day(TODAY - 3 * DAY, cost(4.0, archived[0])))
    ids = [p.id for p in summarise(snap, d, NOW).projects]
    assert archived[0] in ids and archived[1] not in ids


def test_summarise_at_another_moment_rebuilds_windows(snap: OrgSnapshot) -> None:
    d = data(day(TODAY, cost(5.0, "proj_0000")))
    later = summarise(snap, d, NOW + DAY)  # tomorrow: today's bucket is yesterday's
    assert later.org.today_usd == 0.0 and later.org.month_to_date_usd == 5.0


# ---------------------------------------------------------------- fetching


class StubClient:
    """Records the calls; usage can be made to fail."""

    def __init__(self, usage_error: Exception | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.usage_error = usage_error

    async def _gen(
        self, buckets: list[UsageBucket], error: Exception | None = None
    ) -> AsyncIterator[UsageBucket]:
        if error is not None:
            raise error  # like the client: API errors surface while iterating
        for b in buckets:
            yield b

    def iter_cost_lines(self, start_time: int, **kw: Any) -> AsyncIterator[UsageBucket]:
        self.calls.append(("costs", {"start_time": start_time, **kw}))
        return self._gen([day(TODAY, cost(1.0, "proj_0000"))])

    def iter_usage(self, kind: str, start_time: int, **kw: Any) -> AsyncIterator[UsageBucket]:
        self.calls.append((kind, {"start_time": start_time, **kw}))
        return self._gen([], self.usage_error)


async def test_fetch_asks_for_aligned_windows() -> None:
    stub = StubClient()
    got = await fetch_spend_data(stub, NOW)
    calls = dict((c[1].get("bucket_width", "costs"), c[1]) for c in stub.calls)
    costs = calls["costs"]
    assert costs["start_time"] == TODAY - 30 * DAY
    assert costs["end_time"] == TODAY + DAY
    assert costs["group_by"] == ["project_id", "api_key_id"]
    assert (
        calls["1m"]["end_time"] == NOW // 60 * 60 and calls["1h"]["end_time"] == NOW // 3600 * 3600
    )
    assert got.usage_minutes == [] and got.errors == {}


async def test_usage_failure_keeps_the_costs(snap: OrgSnapshot) -> None:
    stub = StubClient(usage_error=RateLimitedError("slow down", status=429, retry_after=30))
    got = await fetch_spend_data(stub, NOW)
    assert got.usage_minutes is None and got.usage_hours is None
    assert "Rate limited" in got.errors["usage_minutes"]
    s = summarise(snap, got, NOW)
    assert s.burn.last_hour is None and s.org.today_usd == 1.0
    assert set(s.errors) == {"usage_minutes", "usage_hours"}
