"""core/activity: shared fetches, freshness on the frozen clock, offline as a typed value,
audit paging; and the clock scheduler that holds timers until the clock moves."""

from __future__ import annotations

import asyncio
from typing import Any

from orgtui.core.activity import FRESH_SECONDS, Fetched, Unavailable, is_stale
from orgtui.core.audit_query import AuditFilters
from orgtui.core.clock import FrozenClock, SystemClock, scheduler_for
from orgtui.core.usage_series import graph_query


def _count(transport: Any, fragment: str) -> int:
    return sum(1 for path in transport.paths() if fragment in path)


async def test_two_callers_asking_for_the_same_window_share_one_request(
    make_session: Any, transport: Any, clock: FrozenClock
) -> None:
    session = make_session()
    query = graph_query("1h", "none", clock.now())
    first, second = await asyncio.gather(
        session.activity.usage(query), session.activity.usage(query)
    )
    assert _count(transport, "/usage/completions") == 1
    assert first is second and first.ok and first.fetched_at == clock.now()


async def test_spend_for_costs_only_shares_the_fetch_with_usage(
    make_session: Any, transport: Any, clock: FrozenClock
) -> None:
    await make_session("alone").activity.spend(clock.now(), include_usage=True)
    one_fetch = len(transport.requests)  # every page of costs, and the burn-rate usage
    session = make_session()
    watch, health = await asyncio.gather(
        session.activity.spend(clock.now(), include_usage=True),
        session.activity.spend(clock.now(), include_usage=False),
    )
    assert watch is health and watch.value is not None
    assert one_fetch > 0 and len(transport.requests) == 2 * one_fetch


async def test_a_fresh_answer_is_reused_until_the_clock_moves_past_freshness(
    make_session: Any, transport: Any, clock: FrozenClock
) -> None:
    session = make_session()
    query = graph_query("1h", "none", clock.now())
    await session.activity.usage(query)
    clock.advance(FRESH_SECONDS - 1)
    again = await session.activity.usage(query)
    assert _count(transport, "/usage/completions") == 1  # still fresh: no request
    clock.advance(1)
    newer = await session.activity.usage(query)
    assert _count(transport, "/usage/completions") == 2  # stale now: asked again
    assert newer.fetched_at == again.fetched_at + FRESH_SECONDS
    await session.activity.usage(query, max_age=0.0)  # new figures wanted: always a request
    assert _count(transport, "/usage/completions") == 3


def test_the_staleness_rule() -> None:
    assert is_stale(None, 100.0)
    assert not is_stale(100.0, 100.0 + FRESH_SECONDS - 0.5)
    assert is_stale(100.0, 100.0 + FRESH_SECONDS)
    assert is_stale(100.0, 100.0, max_age=0.0)


async def test_offline_is_a_typed_value_and_is_not_cached(
    make_session: Any, transport: Any, clock: FrozenClock
) -> None:
    session = make_session()
    transport.offline = True
    got = await session.activity.spend(clock.now())
    assert isinstance(got, Fetched) and got.value is None and not got.ok
    assert got.problem is not None and isinstance(got.problem, Unavailable)
    assert got.problem.offline
    transport.offline = False
    back = await session.activity.spend(clock.now())
    assert back.ok and back.value is not None  # the failure was not kept


async def test_an_error_answer_is_unavailable_but_not_offline(
    make_session: Any, transport: Any, clock: FrozenClock
) -> None:
    session = make_session()
    bad = AuditFilters(project_ids=("proj_does_not_exist",), event_types=("no.such.event",))
    got = await session.activity.audit(bad, None, 5)
    if got.ok:  # the sandbox may answer an empty page: then it is simply empty
        assert got.value is not None and not got.value.data
    else:
        assert got.problem is not None and not got.problem.offline


async def test_audit_pages_follow_the_cursor(make_session: Any, transport: Any) -> None:
    session = make_session()
    filters = AuditFilters()
    first = await session.activity.audit(filters, None, 2)
    assert first.value is not None and len(first.value.data) == 2 and first.value.has_more
    after = first.value.last_id or first.value.data[-1].id
    second = await session.activity.audit(filters, after, 2)
    assert second.value is not None
    firsts = {e.id for e in first.value.data}
    assert second.value.data and not firsts & {e.id for e in second.value.data}
    assert _count(transport, "/organization/audit_logs") == 2


def test_a_frozen_clock_holds_timers_until_it_is_moved() -> None:
    clock = FrozenClock(1000.0)
    fired: list[str] = []
    scheduler = scheduler_for(clock)
    scheduler.after(0.4, lambda: fired.append("debounce"))
    beat = scheduler.every(60, lambda: fired.append("poll"))
    assert fired == [] and len(scheduler.pending) == 2
    clock.advance(0.3)
    assert fired == []
    clock.advance(0.1)
    assert fired == ["debounce"]
    clock.advance(120)  # two beats late: one beat, not a burst
    assert fired == ["debounce", "poll"]
    beat.stop()
    clock.advance(600)
    assert fired == ["debounce", "poll"] and scheduler.pending == []


def test_a_one_shot_timer_can_be_let_go_without_moving_the_clock() -> None:
    clock = FrozenClock(1000.0)
    fired: list[str] = []
    scheduler = scheduler_for(clock)
    rest = scheduler.after(0.4, lambda: fired.append("rested"), "usage-scope")
    beat = scheduler.every(60, lambda: fired.append("poll"))
    rest.fire_now()
    beat.fire_now()  # a repeating timer is not a one-shot: it keeps its beat
    assert fired == ["rested"] and clock.now() == 1000.0
    rest.fire_now()  # once only
    clock.advance(1)
    assert fired == ["rested"] and scheduler.pending == [beat]


async def test_a_system_clock_fires_timers_from_the_event_loop() -> None:
    fired = asyncio.Event()
    scheduler_for(SystemClock()).after(0.0, fired.set)
    await asyncio.wait_for(fired.wait(), 30)
