"""The traffic engine on its own: a fake key list, a movable clock, no HTTP."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import pytest

from orgtui.sandbox.traffic import (
    DAY,
    HOUR,
    MINUTE,
    TrafficModel,
    bucket_counts,
    month_start,
    window_count,
)
from orgtui.sandbox.usage_query import Query, run
from orgtui.sandbox.usage_streams import Stream

# Wednesday 2026-03-18 14:37:21 UTC: mid-month, mid-minute, working hours.
NOW = datetime(2026, 3, 18, 14, 37, 21, tzinfo=UTC).timestamp()


class Clock:
    def __init__(self, t: float = NOW) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def source(i: int, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "project_id": f"proj_{i % 3}",
        "api_key_id": f"key_{i:03d}",
        "user_id": f"user_{i % 4}" if i % 5 else None,
        "created_at": NOW - (10 + 13 * i) * DAY - 1234.5,
        "deleted_at": None,
        "active_until": None,
        "weight": (0.3, 2.0, 8.0)[i % 3],
        "models": [["gpt-4o-mini"], ["gpt-4o", "text-embedding-3-small"], ["o3", "whisper-1"]][
            i % 3
        ],
    }
    base.update(over)
    return base


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sources() -> list[dict[str, Any]]:
    return [source(i) for i in range(9)]


@pytest.fixture
def model(sources: list[dict[str, Any]], clock: Clock) -> TrafficModel:
    return TrafficModel(7, lambda: sources, clock)


def completions(model: TrafficModel) -> list[Stream]:
    return model.streams()["completions"]


def total_requests(
    model: TrafficModel, kind: str, first: int, width: int, n: int, **kw: Any
) -> list[int]:
    q = Query(kind, first, width, n, model.clock(), **kw)
    return [sum(r["num_model_requests"] for r in b["results"]) for b in run(model, q)]


def test_bucket_counts_agree_with_window_counts_at_every_width(model: TrafficModel) -> None:
    rng = random.Random(1)
    now = model.clock()
    for s in model.all_streams():
        for width, n in ((MINUTE, 600), (HOUR, 100), (DAY, 40)):
            first = int(now - rng.uniform(0, n * width)) // width * width
            got = bucket_counts(s, first, width, n, now)
            want = [
                window_count(s, b, min(b + width, now)) if b < now else 0
                for b in (first + j * width for j in range(n))
            ]
            assert got == want, (s.kind, s.api_key_id, width)


def test_any_window_total_equals_the_sum_of_its_buckets_across_widths(model: TrafficModel) -> None:
    now = int(model.clock())
    today = now - now % DAY
    for day_start in (today - 3 * DAY, today):  # a finished day and the live one
        days = total_requests(model, "completions", day_start, DAY, 1)
        hours = total_requests(model, "completions", day_start, HOUR, 24)
        minutes = total_requests(model, "completions", day_start, MINUTE, 1440)
        assert days[0] == sum(hours) == sum(minutes) > 0
        for h in range(24):
            assert hours[h] == sum(minutes[h * 60 : (h + 1) * 60])
    # An arbitrary window [a, b) is whole days + whole hours + minutes at its edges.
    streams = completions(model)
    a, b = today - 5 * DAY + 7 * HOUR + 13 * MINUTE, today + 3 * HOUR + 2 * MINUTE
    direct = sum(window_count(s, a, b) for s in streams)
    pieces = [(a, today - 4 * DAY), (today - 4 * DAY, today), (today, b)]
    assert direct == sum(window_count(s, x, y) for s in streams for x, y in pieces)


def test_deterministic_for_a_seed(sources: list[dict[str, Any]], clock: Clock) -> None:
    first = int(NOW) - int(NOW) % DAY - 20 * DAY
    a = total_requests(TrafficModel(7, lambda: sources, clock), "completions", first, DAY, 21)
    b = total_requests(TrafficModel(7, lambda: sources, clock), "completions", first, DAY, 21)
    c = total_requests(TrafficModel(8, lambda: sources, clock), "completions", first, DAY, 21)
    assert a == b
    assert a != c


def test_nothing_in_the_future_nor_outside_a_keys_life(clock: Clock) -> None:
    created = NOW - 30 * DAY + 600
    deleted = NOW - 10 * DAY - 300
    dormant = NOW - 5 * DAY
    srcs = [
        source(1, created_at=created, deleted_at=deleted, weight=8.0),
        source(2, created_at=created, active_until=dormant, weight=8.0),
    ]
    model = TrafficModel(3, lambda: srcs, clock)
    for s in model.all_streams():
        assert window_count(s, created - 90 * DAY, created) == 0
        end = deleted if s.api_key_id == "key_001" else dormant
        assert window_count(s, end, NOW + 10 * DAY) == 0
    busy = {s.api_key_id for s in completions(model) if window_count(s, created, NOW) > 0}
    assert busy == {"key_001", "key_002"}
    # Buckets after now exist only if asked for, and are empty.
    first = int(NOW) - int(NOW) % HOUR
    counts = total_requests(model, "completions", first, HOUR, 5)
    assert counts[1:] == [0, 0, 0, 0]


def test_live_bucket_grows_and_the_past_stays(model: TrafficModel, clock: Clock) -> None:
    minute0 = int(NOW) - int(NOW) % MINUTE - 30 * MINUTE
    hour0 = int(NOW) - int(NOW) % HOUR
    before_min = total_requests(model, "completions", minute0, MINUTE, 31)
    before_hour = total_requests(model, "completions", hour0, HOUR, 1)[0]
    clock.t += 20 * MINUTE
    after_min = total_requests(model, "completions", minute0, MINUTE, 31)
    after_hour = total_requests(model, "completions", hour0, HOUR, 1)[0]
    assert after_min[:30] == before_min[:30]
    assert after_min[30] >= before_min[30]
    assert after_hour > before_hour


def test_weekdays_are_busier_than_weekends_and_afternoons_than_nights(
    model: TrafficModel,
) -> None:
    # 2026-03-09 is a Monday; take two full weeks before now.
    monday = int(datetime(2026, 3, 2, tzinfo=UTC).timestamp())
    days = total_requests(model, "completions", monday, DAY, 14)
    weekdays = [d for i, d in enumerate(days) if i % 7 < 5]
    weekends = [d for i, d in enumerate(days) if i % 7 >= 5]
    assert sum(weekdays) / len(weekdays) > 1.8 * sum(weekends) / len(weekends)
    # Each project's working day is shifted by its own offset (hours), nights are quiet.
    for s in completions(model):
        if s.mean < 500:
            continue
        hours = bucket_counts(s, monday + 2 * DAY, HOUR, 24, NOW)
        afternoon = sum(hours[(h + s.offset) % 24] for h in range(13, 17))
        night = sum(hours[(h + s.offset) % 24] for h in range(1, 5))
        assert afternoon > 2.5 * night, (s.api_key_id, s.offset, hours)


def test_weight_zero_keys_are_silent(clock: Clock) -> None:
    srcs = [source(1, weight=0.0)]
    model = TrafficModel(3, lambda: srcs, clock)
    assert all(window_count(s, NOW - 90 * DAY, NOW) == 0 for s in model.all_streams())


def test_incident_multiplies_current_traffic_and_leaves_history(
    model: TrafficModel, clock: Clock
) -> None:
    key = "key_004"  # weight 2.0, gpt-4o
    first = int(NOW) - int(NOW) % HOUR - 5 * HOUR
    filters = {"api_key_id": {key}}
    history = total_requests(model, "completions", first, HOUR, 8, filters=filters)
    clock.t = NOW
    model.set_incident(key, 25.0)
    clock.t = NOW + 2 * HOUR
    spiked = total_requests(model, "completions", first, HOUR, 8, filters=filters)
    start_hour = 5  # the hour holding NOW
    assert spiked[:start_hour] == history[:start_hour]
    baseline = max(history[:start_hour])
    assert spiked[start_hour + 1] > 5 * baseline
    others = {"api_key_id": {"key_001"}}
    clock.t = NOW
    quiet = total_requests(model, "completions", first, HOUR, 8, filters=others)
    clock.t = NOW + 2 * HOUR
    assert total_requests(model, "completions", first, HOUR, 8, filters=others)[:5] == quiet[:5]
    # Ending it keeps the spike in history but stops it from growing.
    model.set_incident(None)
    frozen = total_requests(model, "completions", first, HOUR, 8, filters=filters)
    assert frozen == spiked
    clock.t = NOW + 6 * HOUR
    later = total_requests(model, "completions", first + 10 * HOUR, HOUR, 1, filters=filters)[0]
    assert later <= 2 * baseline
    assert model.incidents[0]["end"] == NOW + 2 * HOUR


def test_incident_on_a_never_used_key_still_shows(clock: Clock) -> None:
    srcs = [source(1, weight=0.0)]
    model = TrafficModel(3, lambda: srcs, clock)
    model.set_incident("key_001", 25.0)
    clock.t = NOW + 10 * MINUTE
    assert sum(window_count(s, NOW, clock.t) for s in completions(model)) > 0


def test_new_keys_appear_and_existing_streams_are_reused(
    model: TrafficModel, sources: list[dict[str, Any]]
) -> None:
    before = model.streams()
    key0 = [s for s in before["completions"] if s.api_key_id == "key_000"]
    sources.append(source(42, created_at=NOW - 3600))
    after = model.streams()
    assert any(s.api_key_id == "key_042" for s in after["completions"])
    assert [s for s in after["completions"] if s.api_key_id == "key_000"][0] is key0[0]


def test_month_to_date_uses_utc_month_boundaries(model: TrafficModel, clock: Clock) -> None:
    start = month_start(NOW)
    assert datetime.fromtimestamp(start, UTC) == datetime(2026, 3, 1, tzinfo=UTC)
    streams = model.all_streams()
    expected = model.cost_pico(streams, start, NOW) / 10**12
    assert model.month_to_date_cost_usd(None) == pytest.approx(expected, rel=1e-12)
    per_project = [model.month_to_date_cost_usd(f"proj_{i}") for i in range(3)]
    assert sum(per_project) == pytest.approx(model.month_to_date_cost_usd(None), rel=1e-12)
    # Ten minutes into April, only those ten minutes count.
    clock.t = datetime(2026, 4, 1, 0, 10, tzinfo=UTC).timestamp()
    april = model.month_to_date_cost_usd(None)
    ten_minutes = model.cost_pico(model.all_streams(), clock.t - 600, clock.t) / 10**12
    assert april == pytest.approx(ten_minutes, rel=1e-12)
    assert april < model.month_to_date_cost_usd(None) + 1e-9


def test_a_backdated_incident_is_already_visible_now(clock: Clock) -> None:
    """`serve --incident` starts the spike 15 minutes before serving: the first poll sees it."""
    srcs = [source(1, weight=0.0)]
    model = TrafficModel(3, lambda: srcs, clock)
    model.set_incident("key_001", 25.0, since=NOW - 15 * MINUTE)
    assert model.incidents[0]["start"] == NOW - 15 * MINUTE
    assert sum(window_count(s, NOW - 15 * MINUTE, NOW) for s in completions(model)) > 0
    model.set_incident("key_001", 25.0, since=NOW + HOUR)  # never in the future
    assert model.incidents[-1]["start"] == NOW
