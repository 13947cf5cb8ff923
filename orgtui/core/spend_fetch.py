"""Fetch the raw spend data: cost and usage buckets, paged, for one moment `now`.

All windows are UTC and aligned to bucket boundaries so that the same `now` always asks the
same questions (tests freeze the clock near a month boundary):

* costs: `1d` buckets grouped by `project_id` and `api_key_id`, from 30 full days before today
  (which always includes the first of the month) up to the end of today;
* usage: completions, ungrouped, `1m` buckets over the last 60 *complete* minutes and `1h`
  buckets over the last 24 *complete* hours (the running minute/hour is still filling up and
  would drag the rate down).

Costs are required (an error propagates); usage only feeds the burn rate, so a usage failure is
recorded in `SpendData.errors` and the rest of the summary still stands.
"""

from __future__ import annotations

import asyncio
import math
import sys
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from orgtui.api.errors import ApiError
from orgtui.api.models import CostLineBucket, UsageBucket

__all__ = [
    "in_trailing_window",
    "trailing_org_cost",
    "trailing_total",
    "COST_HISTORY_DAYS",
    "DAY",
    "FORECAST_DAYS",
    "TRAILING_DAYS",
    "SpendData",
    "SpendWindows",
    "Sums",
    "cost_sums",
    "fetch_costs",
    "fetch_spend_data",
    "spend_windows",
    "trailing_cost_by_project",
]

DAY = 86_400
HOUR = 3_600
MINUTE = 60
TRAILING_DAYS = 30  # the health checks compare hard limits with this many full days
FORECAST_DAYS = 7  # the forecast extrapolates the average of this many full days
# Costs are fetched this many full days back, which also covers every month-to-date (day <= 31).
COST_HISTORY_DAYS = max(TRAILING_DAYS, FORECAST_DAYS)


@dataclass(frozen=True)
class SpendWindows:
    """Every boundary (unix seconds, UTC) derived from one `now`."""

    now: float
    month_start: int
    next_month_start: int
    today_start: int
    tomorrow_start: int
    costs_start: int
    minutes_start: int
    minutes_end: int
    hours_start: int
    hours_end: int

    @property
    def days_remaining(self) -> float:
        """Days left in the month from `now`, the rest of today included (fractional)."""
        return max(0.0, (self.next_month_start - self.now) / DAY)

    @property
    def hours_elapsed_today(self) -> float:
        return max(0.0, (self.now - self.today_start) / HOUR)


def _month_bounds(now: float) -> tuple[int, int]:
    moment = datetime.fromtimestamp(now, UTC)
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if start.month == 12:
        following = start.replace(year=start.year + 1, month=1)
    else:
        following = start.replace(month=start.month + 1)
    return int(start.timestamp()), int(following.timestamp())


def spend_windows(now: float) -> SpendWindows:
    month_start, next_month_start = _month_bounds(now)
    today_start = int(now // DAY) * DAY  # unix time has no leap seconds: days are exact
    minutes_end = int(now // MINUTE) * MINUTE
    hours_end = int(now // HOUR) * HOUR
    return SpendWindows(
        now=now,
        month_start=month_start,
        next_month_start=next_month_start,
        today_start=today_start,
        tomorrow_start=today_start + DAY,
        costs_start=min(month_start, today_start - COST_HISTORY_DAYS * DAY),
        minutes_start=minutes_end - 60 * MINUTE,
        minutes_end=minutes_end,
        hours_start=hours_end - 24 * HOUR,
        hours_end=hours_end,
    )


@dataclass(frozen=True)
class SpendData:
    """Raw buckets as the API returned them (every page), plus the windows they cover."""

    windows: SpendWindows
    costs: list[CostBucket]
    usage_minutes: list[UsageBucket] | None = None
    usage_hours: list[UsageBucket] | None = None
    errors: dict[str, str] = field(default_factory=dict)


async def _collect(iterator: Any) -> list[UsageBucket]:
    return [bucket async for bucket in iterator]


@dataclass(frozen=True, slots=True)
class CostValue:
    value: float


@dataclass(frozen=True, slots=True)
class CostRow:
    """The three fields of a cost result the figures use (a full model is ~40 fields)."""

    project_id: str | None
    api_key_id: str | None
    amount: CostValue | None


@dataclass(frozen=True, slots=True)
class CostBucket:
    """One day of cost rows, stored by column: a big organisation has hundreds of thousands
    of rows a month, and three flat columns cost a few bytes a row where row objects cost
    over a hundred (and fragment the heap while pages are parsed)."""

    start_time: int
    end_time: int
    project_ids: tuple[str | None, ...]
    api_key_ids: tuple[str | None, ...]
    amounts: array[float]  # dollars; NaN where the API gave no amount

    @property
    def results(self) -> tuple[CostRow, ...]:
        """The rows as objects, built on each access (the figures read them once per fetch)."""
        return tuple(
            CostRow(project_id, api_key_id, None if math.isnan(amount) else CostValue(amount))
            for project_id, api_key_id, amount in zip(
                self.project_ids, self.api_key_ids, self.amounts, strict=True
            )
        )


def _interned(text: str | None) -> str | None:
    # The same project and key ids recur every day of the window: one string each, not one
    # per row.
    return None if text is None else sys.intern(text)


def _slim(bucket: CostLineBucket) -> CostBucket:
    rows = bucket.results
    return CostBucket(
        bucket.start_time,
        bucket.end_time,
        tuple(_interned(r.project_id) for r in rows),
        tuple(_interned(r.api_key_id) for r in rows),
        array("d", (math.nan if r.amount is None else r.amount.value for r in rows)),
    )


# Days per costs page: a big organisation has thousands of key rows a day, and a whole page
# is parsed at once, so short pages keep the peak memory of a refresh low.
COST_DAYS_PER_PAGE = 4


async def fetch_costs(
    client: Any, windows: SpendWindows, *, page_limit: int | None = None
) -> list[CostBucket]:
    """Daily cost buckets by project and key over the whole cost history window, slimmed
    to what the figures read as each page arrives."""
    return [
        _slim(bucket)
        async for bucket in client.iter_cost_lines(
            windows.costs_start,
            end_time=windows.tomorrow_start,
            group_by=["project_id", "api_key_id"],
            limit=page_limit or COST_DAYS_PER_PAGE,
        )
    ]


async def fetch_spend_data(
    client: Any,
    now: float,
    *,
    include_usage: bool = True,
    page_limit: int | None = None,
) -> SpendData:
    """Fetch everything `summarise` needs. `client` is an `AdminClient`.

    `page_limit` caps the buckets per page (tests use a small one to exercise paging).
    Raises the client's `ApiError` when the costs cannot be read.
    """
    windows = spend_windows(now)
    if not include_usage:
        return SpendData(windows, await fetch_costs(client, windows, page_limit=page_limit))
    minutes = client.iter_usage(
        "completions",
        windows.minutes_start,
        end_time=windows.minutes_end,
        bucket_width="1m",
        limit=page_limit or 60,
    )
    hours = client.iter_usage(
        "completions",
        windows.hours_start,
        end_time=windows.hours_end,
        bucket_width="1h",
        limit=page_limit or 24,
    )
    costs, by_minute, by_hour = await asyncio.gather(
        fetch_costs(client, windows, page_limit=page_limit),
        _collect(minutes),
        _collect(hours),
        return_exceptions=True,
    )
    if isinstance(costs, BaseException):
        raise costs
    errors: dict[str, str] = {}
    usage: list[list[UsageBucket] | None] = []
    for name, outcome in (("usage_minutes", by_minute), ("usage_hours", by_hour)):
        if isinstance(outcome, ApiError):
            errors[name] = str(outcome)
            usage.append(None)
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            usage.append(outcome)
    return SpendData(windows, costs, usage[0], usage[1], errors)


# ---------------------------------------------------------------- sums of the raw buckets


class Sums:
    """Cost values collected per period and per group, summed exactly with math.fsum."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str | None], list[float]] = defaultdict(list)

    def add(self, period: str, group: str | None, value: float) -> None:
        self.values[(period, group)].append(value)

    def get(self, period: str, group: str | None) -> float:
        return math.fsum(self.values.get((period, group), ()))


def in_trailing_window(start: int, now: float) -> bool:
    """Whether a day bucket starting at `start` is one of the 30 full days before today: the
    one definition of "the last 30 days' cost" (health checks, spend figures, cost graph)."""
    today_start = int(now // DAY) * DAY
    return today_start - TRAILING_DAYS * DAY <= start < today_start


def trailing_total(starts: Sequence[int], values: Sequence[float], now: float) -> float:
    """The last 30 full days' cost from day buckets (the cost graph's series)."""
    return math.fsum(v for s, v in zip(starts, values, strict=False) if in_trailing_window(s, now))


def trailing_org_cost(data: SpendData) -> float:
    """The organisation's last 30 full days' cost (the health screen's header)."""
    org, _, _, _ = cost_sums(data)
    return org.get("trailing", None)


def _periods(start: int, w: SpendWindows) -> list[str]:
    found = []
    if w.month_start <= start < w.tomorrow_start:
        found.append("month")
    if start == w.today_start:
        found.append("today")
    if in_trailing_window(start, w.now):
        found.append("trailing")
    if w.today_start - FORECAST_DAYS * DAY <= start < w.today_start:
        found.append("week")
    return found


_CostSums = tuple[Sums, Sums, Sums, dict[str, str | None]]
# The sums of the last SpendData seen (by identity): the alerts watch re-summarises the same
# costs each time limits change, and with 10,000 keys the sums take a second or more. Callers
# only read them.
_last_sums: tuple[SpendData, _CostSums] | None = None


def cost_sums(data: SpendData) -> _CostSums:
    """(org sums keyed by None, per project, per key, key id -> project id)."""
    global _last_sums
    last = _last_sums
    if last is not None and last[0] is data:
        return last[1]
    sums = _cost_sums(data)
    _last_sums = (data, sums)
    return sums


def _cost_sums(data: SpendData) -> _CostSums:
    org, projects, keys = Sums(), Sums(), Sums()
    key_project: dict[str, str | None] = {}
    for bucket in data.costs:
        periods = _periods(bucket.start_time, data.windows)
        if not periods:
            continue
        for result in bucket.results:
            value = result.amount.value if result.amount is not None else 0.0
            for period in periods:
                org.add(period, None, value)
                if result.project_id is not None:
                    projects.add(period, result.project_id, value)
                if result.api_key_id is not None:
                    keys.add(period, result.api_key_id, value)
            if result.api_key_id is not None:
                key_project.setdefault(result.api_key_id, result.project_id)
    return org, projects, keys, key_project


def trailing_cost_by_project(data: SpendData) -> dict[str, float]:
    """Cost of the 30 full days before today, per project id (for the health checks)."""
    _, projects, _, _ = cost_sums(data)
    return {
        group: projects.get("trailing", group)
        for (period, group) in projects.values
        if period == "trailing" and group is not None
    }
