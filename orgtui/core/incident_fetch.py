"""The requests behind the incident view: a bounded number, grouped, never one per key.

Stage one asks every usage kind once for hourly buckets grouped by project and key (the seven
days of baseline and the running hour, 168 buckets: one page) and the costs once (daily buckets
grouped by project and key). Stage two asks the `REFINE_KINDS` kinds that depart most for the last
60 complete minutes by the minute, which gives exact 15- and 60-minute windows and the minute a
rise began. So a poll costs at most 8 + 1 + 3 = 12 requests on any organisation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from orgtui.api.errors import ApiError
from orgtui.core.incident_kinds import KINDS, KindSpec

__all__ = [
    "BASELINE_DAYS",
    "DAY",
    "HOUR",
    "MINUTE",
    "REFINE_KINDS",
    "IncidentData",
    "Series",
    "Windows",
    "fetch_hourly",
    "fetch_minutes",
    "incident_windows",
]

MINUTE = 60
HOUR = 3_600
DAY = 86_400
BASELINE_DAYS = 7
HOURLY_BUCKETS = 168  # the most one page holds: [H - 167h, H + 1h)
REFINE_KINDS = 3

Channels = list[float]  # [measure, events, tokens]


@dataclass(frozen=True, slots=True)
class Windows:
    now: float
    hour: int  # start of the running hour
    minute: int  # end of the last complete minute
    hours_start: int
    today: int

    @property
    def minutes_start(self) -> int:
        return self.minute - 60 * MINUTE

    def baseline_hours(self) -> list[int]:
        """The running hour and the one before, on each of the previous seven days."""
        out = []
        for d in range(1, BASELINE_DAYS + 1):
            for h in (self.hour - d * DAY, self.hour - HOUR - d * DAY):
                if h >= self.hours_start:
                    out.append(h)
        return out


def incident_windows(now: float) -> Windows:
    hour = int(now // HOUR) * HOUR
    return Windows(
        now=now,
        hour=hour,
        minute=int(now // MINUTE) * MINUTE,
        hours_start=hour - (HOURLY_BUCKETS - 1) * HOUR,
        today=int(now // DAY) * DAY,
    )


@dataclass(slots=True)
class Series:
    """One key's, project's or kind's usage of one kind: hourly, and by the minute if refined."""

    hours: dict[int, Channels] = field(default_factory=dict)
    minutes: list[Channels] | None = None

    def add_hour(self, start: int, values: Channels) -> None:
        cell = self.hours.setdefault(start, [0.0, 0.0, 0.0])
        for i, v in enumerate(values):
            cell[i] += v

    def add_minute(self, index: int, values: Channels) -> None:
        if self.minutes is None:
            self.minutes = [[0.0, 0.0, 0.0] for _ in range(60)]
        cell = self.minutes[index]
        for i, v in enumerate(values):
            cell[i] += v


Entity = tuple[str, str]  # ("key" | "project" | "kind", id)


@dataclass
class KindData:
    spec: KindSpec
    series: dict[Entity, Series] = field(default_factory=dict)
    project_of: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    refined: bool = False


@dataclass
class IncidentData:
    windows: Windows
    kinds: dict[str, KindData]
    cost_by_key: dict[str, float] = field(default_factory=dict)  # 7 full days, dollars
    cost_by_project: dict[str, float] = field(default_factory=dict)
    cost_today: float = 0.0
    cost_week: float = 0.0
    cost_error: str | None = None


def _entities(kd: KindData, result: Any) -> Iterable[Entity]:
    yield ("kind", kd.spec.kind)
    if result.project_id:
        yield ("project", result.project_id)
    if result.api_key_id:
        yield ("key", result.api_key_id)
        if result.project_id:
            kd.project_of[result.api_key_id] = result.project_id


def _values(spec: KindSpec, result: Any) -> Channels:
    return [spec.value(result), spec.event_count(result), spec.token_count(result)]


async def _hourly(client: Any, kd: KindData, w: Windows) -> None:
    spec = kd.spec
    async for bucket in client.iter_usage_lines(
        spec.kind,
        w.hours_start,
        end_time=w.hour + HOUR,
        bucket_width="1h",
        group_by=list(spec.group_by),
        limit=HOURLY_BUCKETS,
    ):
        for result in bucket.results:
            values = _values(spec, result)
            for entity in _entities(kd, result):
                kd.series.setdefault(entity, Series()).add_hour(bucket.start_time, values)


async def _minutely(client: Any, kd: KindData, w: Windows) -> None:
    spec = kd.spec
    async for bucket in client.iter_usage_lines(
        spec.kind,
        w.minutes_start,
        end_time=w.minute,
        bucket_width="1m",
        group_by=list(spec.group_by),
        limit=60,
    ):
        index = (bucket.start_time - w.minutes_start) // MINUTE
        if not 0 <= index < 60:
            continue
        for result in bucket.results:
            values = _values(spec, result)
            for entity in _entities(kd, result):
                kd.series.setdefault(entity, Series()).add_minute(index, values)
    kd.refined = True


async def _costs(client: Any, data: IncidentData) -> None:
    w = data.windows
    week_start = w.today - BASELINE_DAYS * DAY
    async for bucket in client.iter_cost_lines(
        week_start,
        end_time=w.today + DAY,
        group_by=["project_id", "api_key_id"],
        limit=BASELINE_DAYS + 1,
    ):
        for line in bucket.results:
            value = line.amount.value if line.amount else 0.0
            if bucket.start_time >= w.today:
                data.cost_today += value
                continue
            data.cost_week += value
            if line.api_key_id:
                data.cost_by_key[line.api_key_id] = (
                    data.cost_by_key.get(line.api_key_id, 0.0) + value
                )
            if line.project_id:
                data.cost_by_project[line.project_id] = (
                    data.cost_by_project.get(line.project_id, 0.0) + value
                )


async def _guard(coro: Any) -> str | None:
    try:
        await coro
    except ApiError as exc:
        return str(exc)
    return None


async def fetch_hourly(client: Any, now: float) -> IncidentData:
    """Stage one: every kind's hourly buckets and the costs (one request each when one page)."""
    w = incident_windows(now)
    data = IncidentData(w, {spec.kind: KindData(spec) for spec in KINDS})
    kinds = list(data.kinds.values())
    outcomes = await asyncio.gather(
        *(_guard(_hourly(client, kd, w)) for kd in kinds), _guard(_costs(client, data))
    )
    for kd, error in zip(kinds, outcomes, strict=False):
        if error is not None:
            kd.error = error
            kd.series.clear()
    data.cost_error = outcomes[-1]
    return data


async def fetch_minutes(client: Any, data: IncidentData, kinds: Iterable[str]) -> None:
    """Stage two: the last 60 complete minutes of these kinds (errors leave them hourly)."""
    chosen = [data.kinds[k] for k in kinds if data.kinds[k].error is None]
    outcomes = await asyncio.gather(*(_guard(_minutely(client, kd, data.windows)) for kd in chosen))
    for kd, error in zip(chosen, outcomes, strict=True):
        if error is not None:
            for series in kd.series.values():
                series.minutes = None
            kd.refined = False
