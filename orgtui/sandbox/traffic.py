"""The synthetic traffic engine: how many requests each stream made in any time window.

The count of a stream is defined top-down, all in integers, so every bucketing agrees exactly:

* a day's total `D` comes from a per-stream random block (64 days per seeded `random.Random`):
  mean rate x weekday factor x a slow trend x noise, stochastically rounded;
* the day is split into hours by a cumulative integer shape `C` (working hours UTC, flatter at
  weekends, shifted per project): hour h holds `D*C[h+1]//W - D*C[h]//W`, so hours sum to `D`;
* an hour is split into minutes the same way by one of 16 minute shapes chosen by hash;
* a minute's requests arrive evenly over its seconds (`n*s//60` by second s).

`cum_in_day(stream, day, tau)` is the count from midnight to `tau` seconds in, so any window is a
difference of two such values (plus whole days) and costs O(1) per day. A bucket holding `now`
counts up to `now`; nothing exists in the future or outside a key's [created, deleted/inactive).
"""

from __future__ import annotations

import math
import random
import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from orgtui.sandbox.prices import usd
from orgtui.sandbox.usage_streams import INF, Stream, incident_stream, key_streams

DAY = 86400
HOUR = 3600
MINUTE = 60
_W = 1 << 20  # total of a day shape
_WM = 1 << 16  # total of a minute shape
_BLOCK = 64  # days per random block
_MASK = (1 << 64) - 1

_WEEKDAY = (
    0.20, 0.16, 0.14, 0.13, 0.14, 0.18, 0.30, 0.50, 0.80, 1.00, 1.10, 1.15,
    1.20, 1.30, 1.40, 1.45, 1.40, 1.25, 1.00, 0.80, 0.60, 0.45, 0.35, 0.26,
)  # fmt: skip
_WEEKEND = (
    0.35, 0.30, 0.28, 0.27, 0.27, 0.30, 0.35, 0.45, 0.60, 0.75, 0.85, 0.90,
    0.95, 1.00, 1.00, 1.00, 0.95, 0.90, 0.85, 0.75, 0.65, 0.55, 0.45, 0.40,
)  # fmt: skip
_DAY_FACTOR = (1.0, 1.04, 1.02, 0.98, 0.90, 0.38, 0.32)  # Monday first
_FLAT, _WORKDAY, _RESTDAY = 0, 1, 2
_DAY_VARIANTS = 8
MAX_INCIDENT_FACTOR = 10_000.0


def _cumulate(weights: Iterable[float], total: int) -> tuple[int, ...]:
    ws = list(weights)
    whole = sum(ws)
    out = [0]
    acc = 0.0
    for w in ws:
        acc += w
        out.append(round(total * acc / whole))
    out[-1] = total
    return tuple(out)


def _mix(x: int) -> int:
    """splitmix64 finaliser: a cheap, well-spread hash of an int."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _minute_shapes() -> tuple[tuple[int, ...], ...]:
    rng = random.Random(20240601)
    shapes = []
    for v in range(16):
        weights = [0.45 + rng.random() for _ in range(60)]
        if v % 4 == 0:  # a burst: one busy stretch in the hour
            start = rng.randrange(50)
            for m in range(start, start + 6):
                weights[m] *= 5.0
        shapes.append(_cumulate(weights, _WM))
    return tuple(shapes)


_MINUTE_SHAPES = _minute_shapes()


@lru_cache(maxsize=512)
def _day_shape(mode: int, variant: int, offset: int) -> tuple[int, ...]:
    base = {_FLAT: (1.0,) * 24, _WORKDAY: _WEEKDAY, _RESTDAY: _WEEKEND}[mode]
    rng = random.Random(mode * 1000 + variant)
    jitter = [0.8 + 0.4 * rng.random() for _ in range(24)]
    hours = [base[(h - offset) % 24] * jitter[h] for h in range(24)]
    return _cumulate(hours, _W)


@lru_cache(maxsize=1 << 16)
def _block(sid: int, mean: float, flat: bool, block: int) -> tuple[array[int], bytes]:
    """Daily totals and shape variants of 64 consecutive days of one stream."""
    rr = random.Random((sid << 20) ^ block).random
    period = 17 + sid % 45
    phase = (sid >> 7) % 6283 / 1000.0
    totals: list[int] = []
    variants = bytearray()
    for k in range(_BLOCK):
        day = block * _BLOCK + k
        u1, u2, u3 = rr(), rr(), rr()
        if flat:
            x = mean * (0.85 + 0.3 * u1)
        else:
            trend = 1.0 + 0.25 * math.sin(2 * math.pi * day / period + phase)
            x = mean * _DAY_FACTOR[(day + 3) % 7] * trend * (0.7 + 0.6 * u1)
        totals.append(int(x + u2))
        variants.append(int(u3 * _DAY_VARIANTS))
    # 4 bytes a day unless a huge weight needs more: the cache holds tens of thousands of blocks.
    code = "I" if max(totals) < 1 << 32 else "Q"
    return array(code, totals), bytes(variants)


def day_total(s: Stream, day: int) -> int:
    totals, _ = _block(s.sid, s.mean, s.flat, day // _BLOCK)
    return totals[day % _BLOCK]


def _day(s: Stream, day: int) -> tuple[int, tuple[int, ...]]:
    totals, variants = _block(s.sid, s.mean, s.flat, day // _BLOCK)
    k = day % _BLOCK
    if s.flat:
        return totals[k], _day_shape(_FLAT, variants[k], 0)
    mode = _RESTDAY if (day + 3) % 7 >= 5 else _WORKDAY
    return totals[k], _day_shape(mode, variants[k], s.offset)


def _minute_shape(s: Stream, day: int, hour: int) -> tuple[int, ...]:
    return _MINUTE_SHAPES[_mix(s.sid ^ (day * 24 + hour)) & 15]


def cum_in_day(s: Stream, day: int, tau: float) -> int:
    """Requests of `s` from the start of `day` to `tau` seconds in (0 <= tau <= 86400)."""
    total, shape = _day(s, day)
    if total == 0 or tau <= 0:
        return 0
    t = int(tau)
    h, r = divmod(t, HOUR)
    base = total * shape[h] // _W
    if r == 0:
        return base
    hour_n = total * shape[h + 1] // _W - base
    if hour_n == 0:
        return base
    m, sec = divmod(r, MINUTE)
    cm = _minute_shape(s, day, h)
    before = hour_n * cm[m] // _WM
    if sec == 0:
        return base + before
    minute_n = hour_n * cm[m + 1] // _WM - before
    return base + before + minute_n * sec // MINUTE


def window_count(s: Stream, x: float, y: float) -> int:
    """Requests of `s` in [x, y) (clipped to the key's life here; the caller clips to now)."""
    x, y = max(x, s.lo), min(y, s.hi)
    if y <= x or s.mean <= 0:
        return 0
    total = 0
    day = int(x // DAY)
    while day * DAY < y:
        d0 = day * DAY
        a, b = max(x, d0), min(y, d0 + DAY)
        if a == d0 and b == d0 + DAY:
            total += day_total(s, day)
        else:
            total += cum_in_day(s, day, b - d0) - cum_in_day(s, day, a - d0)
        day += 1
    return total


def _diffs(scale: int, cum: tuple[int, ...], whole: int, a: int, b: int) -> list[int]:
    """Parts a..b-1 of `scale` split by the cumulative shape `cum` (of total `whole`)."""
    edges = [scale * c // whole for c in cum[a : b + 1]]
    return [y - x for x, y in zip(edges, edges[1:], strict=False)]


def _fill_full(s: Stream, out: list[int], first: int, width: int, j0: int, j1: int) -> None:
    """Buckets j0..j1-1, all wholly inside the stream's life: by whole days, hours, minutes."""
    t, end = first + j0 * width, first + j1 * width
    while t < end:
        day = t // DAY
        d0 = day * DAY
        stop = min(end, d0 + DAY)
        j = (t - first) // width
        if width == DAY:
            out[j] = day_total(s, day)
        else:
            total, shape = _day(s, day)
            if total == 0:
                t = stop
                continue
            h0, h1 = (t - d0) // HOUR, (stop - d0 - 1) // HOUR + 1
            if width == HOUR:
                out[j : j + h1 - h0] = _diffs(total, shape, _W, h0, h1)
            else:
                hours = _diffs(total, shape, _W, h0, h1)
                for h in range(h0, h1):
                    hour_n = hours[h - h0]
                    a = max(t, d0 + h * HOUR)
                    b = min(stop, d0 + (h + 1) * HOUR)
                    if hour_n:
                        m0, m1 = (a - d0 - h * HOUR) // MINUTE, (b - d0 - h * HOUR) // MINUTE
                        cm = _minute_shape(s, day, h)
                        k = (a - first) // width
                        out[k : k + m1 - m0] = _diffs(hour_n, cm, _WM, m0, m1)
        t = stop


def bucket_counts(s: Stream, first: int, width: int, n: int, now: float) -> list[int]:
    """Requests of `s` in each of `n` buckets [first + j*width, +width), up to `now`.

    `width` is a minute, an hour or a day and `first` a multiple of it (UTC-aligned buckets)."""
    out = [0] * n
    lo, hi = s.lo, min(s.hi, now)
    if s.mean <= 0 or hi <= lo or hi <= first or lo >= first + n * width:
        return out
    # Buckets wholly inside [lo, hi) take the fast path; at most two edge buckets are partial.
    full0 = min(n, max(0, math.ceil((lo - first) / width)))
    full1 = max(full0, min(n, math.floor((hi - first) / width)))
    if full0 < full1:
        _fill_full(s, out, first, width, full0, full1)
    for j in {full0 - 1, full1}:
        if 0 <= j < n:
            b0 = first + j * width
            x, y = max(b0, lo), min(b0 + width, hi)
            if x < y:
                d0 = b0 // DAY * DAY
                out[j] = cum_in_day(s, b0 // DAY, y - d0) - cum_in_day(s, b0 // DAY, x - d0)
    return out


def month_start(now: float) -> int:
    d = datetime.fromtimestamp(now, UTC)
    return int(datetime(d.year, d.month, 1, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Incident:
    api_key_id: str
    factor: float
    start: float
    end: float | None = None


def _source_key(src: dict[str, Any]) -> tuple[Any, ...]:
    return (
        src["api_key_id"],
        src["project_id"],
        src.get("user_id"),
        src["created_at"],
        src.get("deleted_at"),
        src.get("active_until"),
        float(src.get("weight") or 0.0),
        tuple(src.get("models") or ()),
    )


class TrafficModel:
    """Deterministic usage of every project API key, past and present (see module doc)."""

    def __init__(
        self,
        seed: int,
        sources: Callable[[], list[dict[str, Any]]],
        clock: Callable[[], float],
    ) -> None:
        self.seed = seed
        self.sources = sources
        self.clock = clock
        self._lock = threading.RLock()
        self._incidents: list[Incident] = []
        self._fingerprint: object = None
        self._by_key: dict[tuple[Any, ...], list[Stream]] = {}
        self._streams: dict[str, list[Stream]] = {}
        self._version = 0
        self._mtd_cache: dict[tuple[Any, ...], dict[str | None, int]] = {}

    # -- incidents ------------------------------------------------------------------------------

    def set_incident(
        self, api_key_id: str | None, factor: float = 25.0, *, since: float | None = None
    ) -> None:
        """From now on multiply `api_key_id`'s traffic by `factor`; None ends every incident.

        Setting a key again replaces its incident; past buckets never change, unless `since`
        (a moment before now) backdates the start, as `serve --incident` does before serving."""
        now = self.clock()
        with self._lock:
            self._incidents = [
                replace(inc, end=now)
                if inc.end is None and api_key_id in (None, inc.api_key_id)
                else inc
                for inc in self._incidents
            ]
            if api_key_id is not None and factor > 1.0:
                factor = min(float(factor), MAX_INCIDENT_FACTOR)
                start = now if since is None else min(float(since), now)
                self._incidents.append(Incident(api_key_id, factor, start))
            self._fingerprint = None

    @property
    def incidents(self) -> list[dict[str, Any]]:
        return [
            {"api_key_id": i.api_key_id, "factor": i.factor, "start": i.start, "end": i.end}
            for i in self._incidents
        ]

    # -- streams --------------------------------------------------------------------------------

    def streams(self) -> dict[str, list[Stream]]:
        """Current streams by usage kind, incident traffic included (rebuilt when keys change)."""
        sources = self.sources()
        keys = [_source_key(src) for src in sources]
        fingerprint = tuple(keys)
        with self._lock:
            if fingerprint == self._fingerprint:
                return self._streams
            by_key: dict[tuple[Any, ...], list[Stream]] = {}
            per_id: dict[str, list[Stream]] = {}
            for key, src in zip(keys, sources, strict=True):
                found = self._by_key.get(key)
                if found is None:
                    found = key_streams(self.seed, src)
                by_key[key] = found
                per_id[str(src["api_key_id"])] = found
            grouped: dict[str, list[Stream]] = {}
            for found in by_key.values():
                for s in found:
                    grouped.setdefault(s.kind, []).append(s)
            for index, inc in enumerate(self._incidents):
                end = INF if inc.end is None else inc.end
                for s in per_id.get(inc.api_key_id, ()):
                    extra = incident_stream(s, index, inc.factor, inc.start, end)
                    if extra.lo < extra.hi:
                        grouped[s.kind].append(extra)
            self._by_key = by_key
            self._streams = grouped
            self._fingerprint = fingerprint
            self._version += 1
            self._mtd_cache.clear()
            return grouped

    def all_streams(self) -> list[Stream]:
        return [s for group in self.streams().values() for s in group]

    # -- money ------------------------------------------------------------------------------------

    def cost_pico(self, streams: Iterable[Stream], x: float, y: float) -> int:
        """Picodollars billed by `streams` in [x, y)."""
        total = 0
        for s in streams:
            per_request = sum(line.pico for line in s.profile.lines)
            if per_request:
                total += window_count(s, x, y) * per_request
        return total

    def month_to_date_cost_usd(self, project_id: str | None) -> float:
        """Spend of the project (None: the organisation) since the UTC month began, up to now."""
        now = self.clock()
        streams = self.all_streams()
        start = month_start(now)
        today = int(now // DAY) * DAY
        cache_key = (self._version, start, today)
        with self._lock:
            full_days = self._mtd_cache.get(cache_key)
            if full_days is None:
                full_days = {}
                for s in streams:
                    pico = self.cost_pico((s,), start, today)
                    full_days[s.project_id] = full_days.get(s.project_id, 0) + pico
                full_days[None] = sum(full_days.values())
                self._mtd_cache[cache_key] = full_days
        mine = [s for s in streams if project_id is None or s.project_id == project_id]
        return usd(full_days.get(project_id, 0) + self.cost_pico(mine, max(today, start), now))
