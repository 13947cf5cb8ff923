"""orgtui.perf_gc: the process-wide garbage-collection switches leave collection as they found
it (timed by tests/perf/bench_compat.py and bench_cache.py, never here)."""

from __future__ import annotations

import gc

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
