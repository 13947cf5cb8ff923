"""The live graph's data shaping: windows, grouping, folding, axes, the poll interval."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from orgtui.api.models import CostAmount, UsageBucket, UsageResult
from orgtui.core.snapshot import ProjectView
from orgtui.core.usage_series import (
    GROUPS,
    MIN_POLL_SECONDS,
    RANGES,
    compact,
    cycle,
    graph_query,
    poll_interval,
    series_labels,
    shape,
    time_ticks,
    value_ticks,
)

NOW = 1795012200.0 + 25  # Wed 2026-11-18 14:30:25 UTC
MINUTE, HOUR, DAY = 60, 3600, 86400


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    time.tzset()


def usage(start: int, width: int, *rows: dict[str, Any]) -> UsageBucket:
    results = [UsageResult(object="organization.usage.completions.result", **r) for r in rows]
    return UsageBucket(start_time=start, end_time=start + width, results=results)


def cost(start: int, value: float, **groups: Any) -> UsageBucket:
    result = UsageResult(
        object="organization.costs.result", amount=CostAmount(value=value), **groups
    )
    return UsageBucket(start_time=start, end_time=start + DAY, results=[result])


# ---------------------------------------------------------------- windows


@pytest.mark.parametrize(
    ("range_id", "width", "count", "end"),
    [
        ("1m", "1m", 60, 1795012200),  # the last complete minute ends at 14:30
        ("1h", "1h", 24, 1795010400),  # 14:00
        ("1d", "1d", 30, 1794960000),  # midnight today: complete days only
        ("cost", "1d", 31, 1794960000 + DAY),  # today so far included
    ],
)
def test_windows_end_at_bucket_boundaries(range_id: str, width: str, count: int, end: int) -> None:
    q = graph_query(range_id, "none", NOW)
    assert q.end == end
    assert q.buckets == count
    assert q.start == end - count * q.bucket_seconds
    assert q.bucket_width == width
    kwargs = q.client_kwargs()
    assert kwargs["limit"] == count  # one page: one request per poll
    assert ("bucket_width" in kwargs) == (range_id != "cost")


@pytest.mark.parametrize(
    ("range_id", "group", "field"),
    [
        ("1m", "project", "project_id"),
        ("1h", "key", "api_key_id"),
        ("1d", "model", "model"),
        ("cost", "model", "line_item"),  # costs have no model: the line item names it
        ("cost", "none", None),
    ],
)
def test_group_fields(range_id: str, group: str, field: str | None) -> None:
    q = graph_query(range_id, group, NOW, project_id="proj_a", api_key_id="key_b")
    assert q.group_field == field
    kwargs = q.client_kwargs()
    assert kwargs.get("group_by") == ([field] if field else None)
    assert kwargs["project_ids"] == ["proj_a"] and kwargs["api_key_ids"] == ["key_b"]


def test_unknown_modes_are_refused() -> None:
    with pytest.raises(ValueError):
        graph_query("5m", "none", NOW)
    with pytest.raises(ValueError):
        graph_query("1m", "user", NOW)


def test_cycle() -> None:
    assert [cycle(RANGES, r) for r in RANGES] == ["1h", "1d", "cost", "1m"]
    assert cycle(GROUPS, "model") == "none"
    assert cycle(GROUPS, "bogus") == "none"


# ---------------------------------------------------------------- shaping


def test_missing_buckets_are_zero_and_newest_is_the_last_returned() -> None:
    q = graph_query("1m", "none", NOW)
    t = q.start
    data = shape(
        q,
        [
            usage(t, MINUTE, {"num_model_requests": 3, "input_tokens": 10, "output_tokens": 5}),
            usage(t + 2 * MINUTE, MINUTE, {"num_model_requests": 1, "input_tokens": 1}),
            usage(q.end, MINUTE, {"num_model_requests": 99}),  # outside the window: ignored
        ],
    )
    (series,) = data.series
    assert len(series.requests) == 60
    assert series.requests[:3] == (3.0, 0.0, 1.0)
    assert series.tokens[:3] == (15.0, 0.0, 1.0)
    assert series.total_requests == 4
    assert data.newest == t + 3 * MINUTE
    assert not data.empty


def test_an_empty_window() -> None:
    data = shape(graph_query("1h", "none", NOW), [])
    assert data.empty and data.newest is None
    assert data.series[0].total_tokens == 0


def test_groups_are_ranked_and_folded_into_other() -> None:
    q = graph_query("1h", "project", NOW)
    rows = [{"project_id": f"p{i}", "input_tokens": (i + 1) * 100} for i in range(7)]
    data = shape(q, [usage(q.start, HOUR, *rows)], lambda g, v: v.upper(), max_series=4)
    labels = [s.label for s in data.series]
    assert labels == ["P6", "P5", "P4", "4 more"]  # biggest first; the rest in one line
    assert data.hidden_groups == 4
    assert data.series[-1].key == "other"
    assert data.series[-1].total_tokens == 100 + 200 + 300 + 400


def test_costs_group_by_line_item_and_rank_by_cost() -> None:
    q = graph_query("cost", "model", NOW)
    t = q.end - DAY
    data = shape(
        q,
        [
            cost(t, 1.5, line_item="gpt-4o, input"),
            cost(t - DAY, 4.0, line_item="o3, output"),
        ],
    )
    assert [s.label for s in data.series] == ["o3, output", "gpt-4o, input"]
    assert data.series[0].cost[-2] == 4.0
    assert data.is_cost and not data.empty


def test_labels_name_projects_and_keys_and_deleted_keys() -> None:
    key = SimpleNamespace(id="key_live", name="search-service", redacted_value="sk-...x")
    listed = ProjectView(project=SimpleNamespace(name="search-prod"), api_keys=[key])
    snapshot = SimpleNamespace(projects={"proj_1": listed})
    label = series_labels(snapshot)
    assert label("project", "proj_1") == "search-prod"
    assert label("project", "proj_gone") == "proj_gone"
    assert label("key", "key_live") == "search-service"
    assert label("key", "key_old") == "deleted key key_old"
    assert label("model", "gpt-4o") == "gpt-4o"
    unlisted = ProjectView(project=SimpleNamespace(name="x"), api_keys=None)
    label = series_labels(SimpleNamespace(projects={"proj_1": listed, "proj_2": unlisted}))
    assert label("key", "key_old") == "key key_old"  # not every list fetched: unknown


# ---------------------------------------------------------------- axes


def test_time_ticks_are_round_local_times() -> None:
    positions, labels = time_ticks(graph_query("1m", "none", NOW), max_ticks=6)
    assert labels == ["13:30", "13:40", "13:50", "14:00", "14:10", "14:20"]
    assert positions == [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
    _, hours = time_ticks(graph_query("1h", "none", NOW), max_ticks=6)
    assert hours[:2] == ["16:00", "20:00"] and len(hours) <= 6
    _, days = time_ticks(graph_query("cost", "none", NOW), max_ticks=5)
    assert days[-1] == "18 Nov"  # today, the newest, is always labelled


def test_time_ticks_follow_the_local_timezone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+5:30
    time.tzset()
    _, labels = time_ticks(graph_query("1m", "none", NOW), max_ticks=6)
    assert labels[0] == "19:00"


def test_value_ticks_and_compact_numbers() -> None:
    assert value_ticks(152_415) == (200_000, [0, 100_000, 200_000], ["0", "100k", "200k"])
    top, _, labels = value_ticks(83.47, money=True)
    assert top == 100 and labels == ["$0", "$50", "$100"]
    assert value_ticks(0) == (1.0, [0.0], ["0"])
    assert compact(1234) == "1.2k" and compact(2_500_000) == "2.5M" and compact(31) == "31"
    assert compact(0.5) == "0.5" and compact(4.25, money=True) == "$4.25"


def test_poll_interval_respects_the_budget() -> None:
    assert poll_interval(60, 60) == 60
    assert poll_interval(5, None) == MIN_POLL_SECONDS  # never hammer the admin API
    assert poll_interval(60, 1) == 120  # a poll may use at most half an endpoint's budget
    assert poll_interval(30, 6, requests_per_poll=2) == 40
