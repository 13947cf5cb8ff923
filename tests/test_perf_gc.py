"""orgtui.perf_gc: the process-wide garbage-collection switches leave collection as they found
it (timed by tests/perf/bench_compat.py and bench_cache.py, never here)."""

from __future__ import annotations

import gc

import pytest

from orgtui import perf_gc


def test_paused_turns_collection_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with perf_gc.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_inside_the_start_up_pause_leaves_collection_off() -> None:
    perf_gc.pause_until_first_frame()
    try:
        with perf_gc.paused():
            pass
        assert not gc.isenabled()  # the start-up pause is the app's to end
    finally:
        gc.enable()


def test_resume_after_first_frame_freezes_what_exists_and_turns_collection_on() -> None:
    perf_gc.pause_until_first_frame()
    try:
        perf_gc.resume_after_first_frame()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_resume_is_a_no_op_when_collection_was_never_paused() -> None:
    perf_gc.resume_after_first_frame()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


class _Cycle:
    """Cyclic garbage once dropped: only a collection frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_big_change_is_frozen_and_a_small_one_is_not() -> None:
    try:
        perf_gc.freeze_after(perf_gc.BIG_PART - 1)
        assert gc.get_freeze_count() == 0
        perf_gc.freeze_after(perf_gc.BIG_PART)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_nothing_is_frozen_while_collection_is_off() -> None:
    gc.disable()
    try:
        perf_gc.freeze_after(10 * perf_gc.BIG_PART)
        perf_gc.settle()
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_settle_reclaims_cyclic_garbage_a_freeze_held() -> None:
    import weakref

    cycle = _Cycle()
    alive = weakref.ref(cycle)
    try:
        perf_gc.freeze_after(perf_gc.BIG_PART)  # the cycle is frozen while still in use
        del cycle
        gc.collect()
        assert alive() is not None  # frozen: no collection sees it
        perf_gc.settle()
        assert alive() is None
        assert gc.get_freeze_count() > 0  # what survives is frozen again
    finally:
        gc.unfreeze()


def test_the_console_settles_collections_at_most_once_a_period(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a refresh cycle the app settles (a full collection) at most every SETTLE_EVERY_S:
    not on each refresh, and not before a period has passed since its start."""
    import time
    from types import SimpleNamespace

    from orgtui.ui import app_sync

    settled: list[float] = []
    clock = [1000.0]
    monkeypatch.setattr(perf_gc, "settle", lambda: settled.append(clock[0]))
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    app = SimpleNamespace(settled_at=clock[0])  # as the app sets it at start
    for step in (10.0, app_sync.SETTLE_EVERY_S, 10.0, app_sync.SETTLE_EVERY_S):
        clock[0] += step
        app_sync.SyncMixin._settle_collections(app)  # type: ignore[arg-type]
    assert settled == [
        1000.0 + 10 + app_sync.SETTLE_EVERY_S,
        1000.0 + 20 + 2 * app_sync.SETTLE_EVERY_S,
    ]
