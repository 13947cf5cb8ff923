"""The live usage graph's data: which buckets to ask for, and the series to draw from them.

Pure (no textual, no I/O): the graph widget asks `graph_query(...)` what to fetch, fetches the
buckets in a worker, and hands them to `shape(...)`. Everything is a function of `now`, so a
frozen clock gives the same picture every time.

Ranges (one key cycles them):

* `1m`   completions, 1-minute buckets over the last 60 complete minutes;
* `1h`   completions, 1-hour buckets over the last 24 complete hours;
* `1d`   completions, 1-day buckets over the last 30 complete days;
* `cost` costs, 1-day buckets over the last 30 days *and today so far* (during an incident
  today's partial cost is the figure that matters).

Usage ranges stop at the last complete bucket: the running one is still filling up and would
draw a dip that is not there. Groups: none, project, key, model (costs have no model: they
group by line item, which names the model).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orgtui.core.incident_kinds import KIND_BY_NAME
from orgtui.core.usage_kinds import groups_of, measure_of

__all__ = [
    "GROUPS",
    "GROUP_TITLES",
    "MIN_POLL_SECONDS",
    "RANGES",
    "RANGE_TITLES",
    "GraphData",
    "GraphQuery",
    "Series",
    "compact",
    "cycle",
    "graph_query",
    "poll_interval",
    "series_labels",
    "shape",
    "time_ticks",
    "value_ticks",
]

MINUTE = 60
HOUR = 3_600
DAY = 86_400
RANGES: tuple[str, ...] = ("1m", "1h", "1d", "cost")
RANGE_TITLES: Mapping[str, str] = {
    "1m": "last hour by minute",
    "1h": "last day by hour",
    "1d": "30 days by day",
    "cost": "30 days by day",
}
GROUPS: tuple[str, ...] = ("none", "project", "key", "model")
GROUP_TITLES: Mapping[str, str] = {
    "none": "all",
    "project": "by project",
    "key": "by key",
    "model": "by model",
}
_WIDTH = {"1m": MINUTE, "1h": HOUR, "1d": DAY, "cost": DAY}
_COUNT = {"1m": 60, "1h": 24, "1d": 30, "cost": 31}
_USAGE_FIELD = {"project": "project_id", "key": "api_key_id", "model": "model"}
_COST_FIELD = {"project": "project_id", "key": "api_key_id", "model": "line_item"}
# Below this a poll would mostly re-read the same minute; the admin endpoints are slow anyway.
MIN_POLL_SECONDS = 15.0
OTHER = "other"


def cycle(options: Sequence[str], current: str) -> str:
    """The option after `current` (the first one when `current` is unknown)."""
    try:
        return options[(options.index(current) + 1) % len(options)]
    except ValueError:
        return options[0]


@dataclass(frozen=True)
class GraphQuery:
    """One request: usage (`completions`) or costs, its window, grouping and filters."""

    range_id: str
    group: str
    kind: str  # "usage" | "costs"
    bucket_width: str
    start: int
    end: int  # exclusive
    group_field: str | None
    project_ids: tuple[str, ...] = ()
    api_key_ids: tuple[str, ...] = ()
    usage_kind: str = "completions"  # the usage endpoint, or "all" (every kind, stacked)

    @property
    def mode(self) -> tuple[str, str, tuple[str, ...], tuple[str, ...], str]:
        """What the user chose (range, group, filters, kind): equal modes ask the same question."""
        return (self.range_id, self.group, self.project_ids, self.api_key_ids, self.usage_kind)

    @property
    def bucket_seconds(self) -> int:
        return _WIDTH[self.range_id]

    @property
    def buckets(self) -> int:
        return (self.end - self.start) // self.bucket_seconds

    def starts(self) -> list[int]:
        return list(range(self.start, self.end, self.bucket_seconds))

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `AdminClient.iter_usage(usage_kind, ...)` / `iter_costs`."""
        kwargs: dict[str, Any] = {"end_time": self.end, "limit": self.buckets}
        if self.kind == "usage":
            kwargs["bucket_width"] = self.bucket_width
        if self.group_field:
            kwargs["group_by"] = [self.group_field]
        if self.project_ids:
            kwargs["project_ids"] = list(self.project_ids)
        if self.api_key_ids:
            kwargs["api_key_ids"] = list(self.api_key_ids)
        return kwargs


def graph_query(
    range_id: str,
    group: str,
    now: float,
    *,
    project_id: str | None = None,
    api_key_id: str | None = None,
    usage_kind: str = "completions",
) -> GraphQuery:
    """What to ask for. A kind that cannot be grouped or filtered by key (vector stores, code
    interpreter sessions) is asked ungrouped or for the key's project: `group` says so."""
    if range_id not in RANGES:
        raise ValueError(f"unknown range {range_id!r}")
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    width = _WIDTH[range_id]
    # Usage ends at the last complete bucket; costs include today so far.
    end = (int(now) // DAY + 1) * DAY if range_id == "cost" else int(now) // width * width
    start = end - _COUNT[range_id] * width
    fields = _COST_FIELD if range_id == "cost" else _USAGE_FIELD
    kind = "costs" if range_id == "cost" else usage_kind
    if kind != "costs" and group not in groups_of(kind):
        group = "none"
    by_key = kind == "costs" or "key" in groups_of(kind)
    return GraphQuery(
        range_id=range_id,
        group=group,
        kind="costs" if range_id == "cost" else "usage",
        bucket_width={"1m": "1m", "1h": "1h"}.get(range_id, "1d"),
        start=start,
        end=end,
        group_field=fields.get(group),
        project_ids=(project_id,) if project_id else (),
        api_key_ids=(api_key_id,) if api_key_id and by_key else (),
        usage_kind=kind if kind != "costs" else "completions",
    )


@dataclass(frozen=True)
class Series:
    key: str  # the group value ("" when ungrouped, OTHER for the rest)
    label: str
    requests: tuple[float, ...]  # events: requests (sessions for code interpreter)
    tokens: tuple[float, ...]
    cost: tuple[float, ...]
    measure: tuple[float, ...] = ()  # the kind's own unit (images, characters, GB-days...)

    @property
    def total_measure(self) -> float:
        return math.fsum(self.measure)

    @property
    def total_requests(self) -> float:
        return math.fsum(self.requests)

    @property
    def total_tokens(self) -> float:
        return math.fsum(self.tokens)

    @property
    def total_cost(self) -> float:
        return math.fsum(self.cost)


@dataclass(frozen=True)
class GraphData:
    query: GraphQuery
    starts: tuple[int, ...]  # one per bucket of the window, empty buckets included
    series: tuple[Series, ...]
    newest: int | None  # end time of the newest bucket the API returned
    hidden_groups: int = 0  # groups folded into "other"

    @property
    def is_cost(self) -> bool:
        return self.query.kind == "costs"

    @property
    def empty(self) -> bool:
        if self.is_cost:
            return all(s.total_cost == 0 for s in self.series)
        return all(
            s.total_requests == 0 and s.total_tokens == 0 and s.total_measure == 0
            for s in self.series
        )


def _metrics(result: Any, query: GraphQuery) -> tuple[float, float, float, float]:
    """(events, tokens, dollars, the kind's own measure) of one result."""
    amount = getattr(result, "amount", None)
    cost = float(getattr(amount, "value", 0.0) or 0.0) if amount is not None else 0.0
    requests = float(
        getattr(result, "num_model_requests", None) or getattr(result, "num_sessions", None) or 0
    )
    tokens = float(
        (getattr(result, "input_tokens", None) or 0) + (getattr(result, "output_tokens", None) or 0)
    )
    return requests, tokens, cost, measure_of(query.usage_kind, result, query.bucket_seconds)


def shape(
    query: GraphQuery,
    buckets: Iterable[Any],
    label: Callable[[str, str], str] | None = None,
    *,
    max_series: int = 5,
) -> GraphData:
    """Series per group over every bucket of the window (missing buckets count as zero).

    Groups are ranked by cost (costs) or tokens (usage); beyond `max_series` they are folded
    into one "other" series so the chart stays readable. `label(group, value)` names a group.
    """
    starts = query.starts()
    index = {start: i for i, start in enumerate(starts)}
    n = len(starts)
    table: dict[str, list[list[float]]] = {}
    newest: int | None = None
    for bucket in buckets:
        position = index.get(int(bucket.start_time))
        if position is None:
            continue
        newest = max(newest or 0, int(bucket.end_time))
        for result in bucket.results:
            value = getattr(result, query.group_field, None) if query.group_field else None
            key = "" if value is None else str(value)
            rows = table.setdefault(key, [[0.0] * n for _ in range(4)])
            for metric, amount in enumerate(_metrics(result, query)):
                rows[metric][position] += amount
    if not query.group_field:
        table.setdefault("", [[0.0] * n for _ in range(4)])
    rank = 2 if query.kind == "costs" else (1 if _has_tokens(query) else 3)
    ordered = sorted(table.items(), key=lambda item: (-math.fsum(item[1][rank]), item[0]))
    shown, folded = ordered, []
    if len(ordered) > max_series:  # max_series lines in all: the last one is "other"
        shown, folded = ordered[: max_series - 1], ordered[max_series - 1 :]
    series = [
        Series(key, _label(query, key, label), tuple(r), tuple(t), tuple(c), tuple(m))
        for key, (r, t, c, m) in shown
    ]
    if folded:
        merged = [
            [math.fsum(col) for col in zip(*(rows[m] for _, rows in folded), strict=True)]
            for m in range(4)
        ]
        series.append(Series(OTHER, f"{len(folded)} more", *(tuple(values) for values in merged)))
    return GraphData(query, tuple(starts), tuple(series), newest, len(folded))


def _has_tokens(query: GraphQuery) -> bool:
    spec = KIND_BY_NAME.get(query.usage_kind)
    return spec is None or spec.tokens


def _label(query: GraphQuery, key: str, label: Callable[[str, str], str] | None) -> str:
    if not query.group_field:
        return "cost" if query.kind == "costs" else "all"
    if not key:
        return "(none)"
    return label(query.group, key) if label is not None else key


def series_labels(snapshot: Any) -> Callable[[str, str], str]:
    """Names for group values from the snapshot: project names, key names, models as they are.

    A key id missing from its project's fetched key list is a deleted key (as in `spend`).
    """
    projects: dict[str, str] = {}
    keys: dict[str, str] = {}
    all_listed = True
    for pid, view in snapshot.projects.items():
        projects[pid] = view.project.name or pid
        if view.get("api_keys") is None:
            all_listed = False
        for key in view.get("api_keys") or ():
            keys[key.id] = key.name or key.redacted_value or f"key {key.id}"

    def label(group: str, value: str) -> str:
        if group == "project":
            return projects.get(value, value)
        if group == "key":
            if value in keys:
                return keys[value]
            return f"deleted key {value}" if all_listed else f"key {value}"
        return value

    return label


# ---------------------------------------------------------------- axes


def time_ticks(query: GraphQuery, max_ticks: int = 6) -> tuple[list[float], list[str]]:
    """x positions (bucket index) and local-time labels at round times, at most `max_ticks`."""
    starts = query.starts()
    if not starts:
        return [], []
    steps: tuple[int, ...]
    if query.range_id == "1m":
        steps, fmt = (5, 10, 15, 20, 30), "%H:%M"
    elif query.range_id == "1h":
        steps, fmt = (2, 3, 4, 6, 8, 12), "%H:%M"
    else:
        steps, fmt = (2, 5, 7, 10, 14), "%d %b"
    ticks = max(max_ticks, 2)
    step = next((s for s in steps if len(starts) / s <= ticks), steps[-1])
    positions: list[float] = []
    labels: list[str] = []
    for i, start in enumerate(starts):
        moment = time.localtime(start)
        if query.range_id == "1m":
            unit = moment.tm_min
        elif query.range_id == "1h":
            unit = moment.tm_hour
        else:  # days: count back from the newest, so it is always labelled
            unit = len(starts) - 1 - i
        if unit % step == 0:
            positions.append(float(i))
            labels.append(time.strftime(fmt, moment))
    return positions, labels


def _nice_step(top: float, count: int) -> float:
    raw = top / max(count, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def value_ticks(
    peak: float, count: int = 2, *, money: bool = False
) -> tuple[float, list[float], list[str]]:
    """(axis top, tick positions, compact labels) from 0 to a round number above `peak`."""
    if not math.isfinite(peak) or peak <= 0:
        return 1.0, [0.0], ["$0" if money else "0"]
    step = _nice_step(peak, count)
    top = step * math.ceil(peak / step)
    positions = [step * i for i in range(int(round(top / step)) + 1)]
    return top, positions, [compact(p, money=money) for p in positions]


def compact(value: float, *, money: bool = False) -> str:
    """1234 -> 1.2k, 152415 -> 152k, 2_500_000 -> 2.5M; `money` prefixes $ (axis labels only)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    prefix = "$" if money else ""
    for unit, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size:
            scaled = value / size
            text = f"{scaled:.1f}" if scaled < 10 else f"{scaled:.0f}"
            return f"{sign}{prefix}{text.removesuffix('.0')}{unit}"
    if money and 0 < value < 10:
        return f"{sign}{prefix}{value:.2f}".rstrip("0").rstrip(".")
    return f"{sign}{prefix}{value:.0f}" if value >= 10 or value == 0 else f"{sign}{value:.1f}"


def poll_interval(
    configured: float, requests_per_minute: float | None, *, requests_per_poll: int = 1
) -> float:
    """Seconds between polls: the configured interval, never faster than the request budget.

    The client paces each endpoint at `requests_per_minute`; a poll that used the whole budget
    of its endpoint would starve the spend screen, so a poll may take at most half of it.
    """
    floor = MIN_POLL_SECONDS
    if requests_per_minute and requests_per_minute > 0:
        floor = max(floor, 60.0 * requests_per_poll * 2 / requests_per_minute)
    return max(float(configured or 0), floor)
