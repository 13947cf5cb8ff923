"""What changed: every key, project and kind of usage against its own baseline.

For each kind of usage (see `incident_kinds`) and each key, project and the kind as a whole,
the last 15 and 60 minutes are compared with a baseline: the same hours (the running one and the
one before) over the previous seven days, from hourly buckets. Rows are ranked by how far they
depart (the larger of the two windows' ratios), with the rate now, the dollars per hour now and
when the rise began. `compute_incident` makes the requests (at most 12, see `incident_fetch`)
and returns an `IncidentReport`.

A rise counts only when it is more than noise: the events behind it (requests, sessions) must
exceed the baseline's by 6 standard deviations of a Poisson count plus 5 (traffic is burstier
than Poisson: with 3, one poll in twelve of the quiet demo found a "spike"), and a window's ratio
is used only when its own rise is. Kinds that were not refined by the minute have only a
60-minute figure, estimated from the running hour and the share of the previous hour that falls
inside the window (`exact` is false).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from orgtui.core.incident_fetch import (
    HOUR,
    MINUTE,
    REFINE_KINDS,
    IncidentData,
    KindData,
    Series,
    Windows,
    fetch_hourly,
    fetch_minutes,
)
from orgtui.core.incident_kinds import KindSpec

__all__ = ["DEFAULT_SPIKE_FACTOR", "IncidentReport", "IncidentRow", "compute_incident", "rank"]

DEFAULT_SPIKE_FACTOR = 3.0
RISE_FACTOR = 2.0  # a minute (or hour) counts as part of the rise above this many times baseline
NOISE_SIGMAS = 6.0
SHORT_WINDOW_BAR = 2.0  # the 15-minute window must reach this many times the spike factor
GAUGE_FLOOR_GB = 0.001 / 24  # GB-days per hour


@dataclass(frozen=True, slots=True)
class IncidentRow:
    scope: str  # "key" | "project" | "kind"
    id: str  # the key id, project id or kind
    kind: str
    unit: str  # the rates are this unit per hour (vector stores: GB-days per hour)
    project_id: str | None
    rate_15m: float | None  # units per hour over the last 15 minutes (None: not refined)
    rate_60m: float
    baseline: float  # units per hour, same hours over the previous 7 days
    ratio_15m: float | None
    ratio_60m: float
    significant_60m: bool  # the window's rise is more than noise
    usd_per_hour: float | None  # estimate: the 7-day average $/h scaled by the 60-minute ratio
    since: int | None  # unix time the rise began (None: no rise)
    exact: bool
    tokens_per_hour: float | None = None
    significant_15m: bool = False

    @property
    def significant(self) -> bool:
        return self.significant_60m or self.significant_15m

    @property
    def ratio(self) -> float:
        """The larger ratio of the windows whose rise is more than noise (of both if neither)."""
        chosen = [
            r
            for r, sig in (
                (self.ratio_60m, self.significant_60m),
                (self.ratio_15m, self.significant_15m),
            )
            if r is not None and (sig or not self.significant)
        ]
        return max(chosen, default=0.0)

    @property
    def window(self) -> str:
        """The window `ratio` comes from, "15m" or "60m" (a tie is the steadier 60 minutes)."""
        if self.ratio_15m is not None and self.ratio_15m != self.ratio_60m:
            return "15m" if self.ratio == self.ratio_15m else "60m"
        return "60m"

    @property
    def rate_now(self) -> float:
        """Units per hour over the window the ratio comes from, so the two always agree."""
        if self.window == "15m" and self.rate_15m is not None:
            return self.rate_15m
        return self.rate_60m

    @property
    def api_key_id(self) -> str | None:
        return self.id if self.scope == "key" else None

    def is_spike(self, factor: float) -> bool:
        """The last 60 minutes at `factor` times the baseline, or the last 15 at twice that.

        Fifteen minutes is a short, bursty window: at 3x, one poll in twenty-five of the quiet
        demo organisation found a "spike" there; at 6x none did in 400."""
        if self.significant_60m and self.ratio_60m >= factor:
            return True
        return self.significant_15m and (self.ratio_15m or 0.0) >= SHORT_WINDOW_BAR * factor

    def as_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "id": self.id,
            "kind": self.kind,
            "project_id": self.project_id,
            "api_key_id": self.api_key_id,
            "unit": self.unit,
            "ratio": _r(self.ratio),
            "ratio_15m": _r(self.ratio_15m),
            "ratio_60m": _r(self.ratio_60m),
            "per_hour_15m": _r(self.rate_15m),
            "per_hour_60m": _r(self.rate_60m),
            "baseline_per_hour": _r(self.baseline),
            "tokens_per_hour": _r(self.tokens_per_hour),
            "usd_per_hour": _r(self.usd_per_hour),
            "since": self.since,
            "exact": self.exact,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass(frozen=True)
class IncidentReport:
    now: float
    rows: tuple[IncidentRow, ...]  # ranked, rising rows first
    kinds: tuple[IncidentRow, ...]  # one per kind, in KINDS order (also inside `rows`)
    errors: dict[str, str]
    usd_today: float
    usd_per_hour_today: float | None
    usd_per_hour_baseline: float | None

    def spikes(self, factor: float = DEFAULT_SPIKE_FACTOR) -> list[IncidentRow]:
        return [row for row in self.rows if row.is_spike(factor)]

    def usage_by_kind(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for row in self.kinds:
            out[row.kind] = {
                "unit": row.unit,
                "per_hour_15m": _r(row.rate_15m),
                "per_hour_60m": _r(row.rate_60m),
                "baseline_per_hour": _r(row.baseline),
                "ratio": _r(row.ratio),
                "tokens_per_hour": _r(row.tokens_per_hour),
                "exact": row.exact,
                "error": self.errors.get(row.kind),
            }
        out["costs"] = {
            "unit": "usd",
            "usd_today": _r(self.usd_today),
            "per_hour_today": _r(self.usd_per_hour_today),
            "baseline_per_hour": _r(self.usd_per_hour_baseline),
            "error": self.errors.get("costs"),
        }
        return out


# ---------------------------------------------------------------- one series against its baseline


def _baseline(series: Series, hours: list[int], spec: KindSpec) -> list[float]:
    sums = [0.0, 0.0, 0.0]
    for h in hours:
        cell = series.hours.get(h)
        if cell:
            for i in range(3):
                sums[i] += cell[i]
    return [s / len(hours) for s in sums] if hours else sums


def _recent(series: Series, w: Windows, spec: KindSpec, refined: bool) -> tuple[Any, Any]:
    """(per hour over 60 minutes, per hour over 15 minutes or None), per channel."""
    if refined:
        minutes = series.minutes or [[0.0, 0.0, 0.0]] * 60
        if spec.gauge:
            r60 = [sum(m[i] for m in minutes) / 60 for i in range(3)]
            r15 = [sum(m[i] for m in minutes[-15:]) / 15 for i in range(3)]
        else:
            r60 = [sum(m[i] for m in minutes) for i in range(3)]
            r15 = [4 * sum(m[i] for m in minutes[-15:]) for i in range(3)]
        return r60, r15
    cur = series.hours.get(w.hour, [0.0, 0.0, 0.0])
    prev = series.hours.get(w.hour - HOUR, [0.0, 0.0, 0.0])
    if spec.gauge:
        return (cur if any(cur) else prev), None
    share = max(0.0, 1.0 - (w.now - w.hour) / HOUR)  # of the previous hour inside the window
    return [cur[i] + share * prev[i] for i in range(3)], None


def _significant(
    spec: KindSpec, observed: float, expected: float, rate: float, base: float
) -> bool:
    if spec.gauge:
        return rate > base * 1.1 + GAUGE_FLOOR_GB
    return observed - expected >= NOISE_SIGMAS * math.sqrt(max(expected, 0.0)) + 5


def _floor(spec: KindSpec, base: list[float], rate: list[float]) -> float:
    """The measure the ratio divides by: the baseline, or one event an hour's worth of it."""
    if spec.gauge:
        return max(base[0], GAUGE_FLOOR_GB)
    per_event = rate[0] / rate[1] if rate[1] > 0 else 1.0
    return max(base[0], per_event, 1e-9)


def _since(series: Series, w: Windows, spec: KindSpec, refined: bool, floor: float) -> int | None:
    """The start of the run of elevated minutes (or hours) that ends now, gaps of 3 allowed."""
    per_minute = RISE_FACTOR * floor / (1 if spec.gauge else 60)
    start: int | None = None
    if refined:
        minutes = series.minutes or []
        gap = 0
        for i in range(len(minutes) - 1, -1, -1):
            if minutes[i][0] > per_minute:
                start, gap = w.minutes_start + i * MINUTE, 0
            else:
                gap += 1
                if gap > 3:
                    return start
        if start is None:
            return None
    per_hour = RISE_FACTOR * floor
    hour, gap = w.hour, 0
    while hour >= w.hours_start:
        cell = series.hours.get(hour)
        value = cell[0] if cell else 0.0
        if hour == w.hour and not spec.gauge:
            value *= HOUR / max(w.now - w.hour, MINUTE)  # the running hour, as a full hour
        if value > per_hour:
            start, gap = min(start or hour, hour), 0
        else:
            gap += 1
            if gap > 1:
                break
        hour -= HOUR
    return start


def _row(
    data: IncidentData, kd: KindData, entity: tuple[str, str], series: Series
) -> IncidentRow | None:
    spec, w = kd.spec, data.windows
    base = _baseline(series, w.baseline_hours(), spec)
    r60, r15 = _recent(series, w, spec, kd.refined)
    if not any(r60) and not any(base) and not (r15 and any(r15)):
        return None
    floor = _floor(spec, base, r60)
    ratio60 = r60[0] / floor
    sig60 = _significant(spec, r60[1], base[1], r60[0], base[0]) and ratio60 > 1
    ratio15, sig15 = None, False
    if r15 is not None:
        ratio15 = r15[0] / _floor(spec, base, r15)
        sig15 = _significant(spec, r15[1] / 4, base[1] / 4, r15[0], base[0]) and ratio15 > 1
    sig = sig60 or sig15
    scope, ident = entity
    project_id = ident if scope == "project" else kd.project_of.get(ident)
    usd: float | None = None
    if scope == "key":
        usd = data.cost_by_key.get(ident, 0.0) / (7 * 24) * ratio60
    elif scope == "project":
        usd = data.cost_by_project.get(ident, 0.0) / (7 * 24) * ratio60
    return IncidentRow(
        scope=scope,
        id=ident,
        kind=spec.kind,
        unit=spec.unit,
        project_id=project_id if scope != "kind" else None,
        rate_15m=r15[0] if r15 is not None else None,
        rate_60m=r60[0],
        baseline=base[0],
        ratio_15m=ratio15,
        ratio_60m=ratio60,
        significant_60m=sig60,
        significant_15m=sig15,
        usd_per_hour=None if data.cost_error else usd,
        since=_since(series, w, spec, kd.refined, floor) if sig else None,
        exact=kd.refined,
        tokens_per_hour=r60[2] if spec.tokens else None,
    )


_SCOPE_ORDER = {"key": 0, "project": 1, "kind": 2}


def _sort_key(row: IncidentRow) -> tuple[bool, float, int, float]:
    """Rising rows first, then by ratio; on a tie the narrowest scope (a key before its project)."""
    return (
        not row.significant,
        -round(row.ratio, 2),
        _SCOPE_ORDER[row.scope],
        -(row.usd_per_hour or 0.0),
    )


def rank(data: IncidentData) -> IncidentReport:
    rows: list[IncidentRow] = []
    kinds: list[IncidentRow] = []
    for kd in data.kinds.values():
        for entity, series in kd.series.items():
            row = _row(data, kd, entity, series)
            if row is None:
                continue
            rows.append(row)
            if entity[0] == "kind":
                kinds.append(row)
        if not kinds or kinds[-1].kind != kd.spec.kind:
            kinds.append(_empty_kind(kd))
    rows.sort(key=_sort_key)
    order = {kind: i for i, kind in enumerate(data.kinds)}
    kinds.sort(key=lambda r: order[r.kind])
    errors = {k: kd.error for k, kd in data.kinds.items() if kd.error}
    if data.cost_error:
        errors["costs"] = data.cost_error
    w = data.windows
    elapsed = (w.now - w.today) / HOUR
    return IncidentReport(
        now=w.now,
        rows=tuple(rows),
        kinds=tuple(kinds),
        errors=errors,
        usd_today=data.cost_today,
        usd_per_hour_today=data.cost_today / elapsed if elapsed > 0 else None,
        usd_per_hour_baseline=None if data.cost_error else data.cost_week / (7 * 24),
    )


def _empty_kind(kd: KindData) -> IncidentRow:
    return IncidentRow(
        scope="kind",
        id=kd.spec.kind,
        kind=kd.spec.kind,
        unit=kd.spec.unit,
        project_id=None,
        rate_15m=0.0 if kd.refined else None,
        rate_60m=0.0,
        baseline=0.0,
        ratio_15m=0.0 if kd.refined else None,
        ratio_60m=0.0,
        significant_60m=False,
        usd_per_hour=None,
        since=None,
        exact=kd.refined,
        tokens_per_hour=0.0 if kd.spec.tokens else None,
    )


def _refine_choice(data: IncidentData) -> list[str]:
    """The kinds whose most departing row departs most, rising rows first."""
    best: dict[str, tuple[bool, float, int, float]] = {}
    for row in rank(data).rows:
        best.setdefault(row.kind, _sort_key(row))
    chosen = sorted(best, key=lambda k: best[k])
    return chosen[:REFINE_KINDS]


async def compute_incident(client: Any, now: float) -> IncidentReport:
    """Fetch (at most 12 requests when each answer is one page) and rank. `client`: AdminClient."""
    data = await fetch_hourly(client, now)
    await fetch_minutes(client, data, _refine_choice(data))
    return rank(data)
