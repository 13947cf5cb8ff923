"""Process-wide garbage-collection switching: the one place orgtui does it.

The console's start-up allocates hundreds of thousands of long-lived objects (modules, models,
the cached organisation); with cyclic collection on, full collections walk them again and again
before the first frame. The command line turns collection off before it imports anything of
the console (`pause_until_first_frame`, no Textual imported here: it runs first) and the app
turns it back on after its first frame (`resume_after_first_frame`), freezing what exists
then, which lives as long as the app.

Kept because it pays at least 20 ms of first paint, measured with tests/perf/bench_compat.py
(the real entry point, the code as is against a copy without the switch, interleaved medians,
2026-12-05, Textual 8.2.8, 2 shared cores): `orgtui --demo` +28, +52, +79 ms; real profile
against the full-scale served sandbox (500 projects, 10,000 keys, 2,000 users) +19, +61,
+58 ms; once the other tricks were gone, on a busier machine, +98 and +109 ms. Relies on nothing of Textual, only on CPython's `gc` module.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = [
    "BIG_PART",
    "freeze_after",
    "pause_until_first_frame",
    "paused",
    "resume_after_first_frame",
    "settle",
]

# Items in the parts of one change from which freezing them pays (10,000 keys: ~180,000 objects).
BIG_PART = 1000


def pause_until_first_frame() -> None:
    """No cyclic collection until the console's first frame (the command line, before it
    imports the console)."""
    gc.disable()


def resume_after_first_frame() -> None:
    """Undo `pause_until_first_frame` (a no-op when collection is on): what exists now lives
    as long as the app, so it is frozen out of every later collection."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; collection is as it was afterwards.

    For parsing a cached part (orgtui.core.cache_codec): 10,000 keys make thousands of new
    objects, which trigger full collections costing more than the parsing. Pays no first paint
    (collection is already off then) but ~160 ms of the first read of a 10,000-key part, the
    project a user opens next: tests/perf/bench_cache.py "first read of big part", median 84
    and 72 ms with it, 238 and 256 ms without (2026-12-05)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_after(items: int) -> None:
    """A change of `items` objects has just landed (a project's 10,000 keys): freeze what exists,
    so that later full collections do not walk it all again while the user scrolls it.

    Measured with tests/perf/bench_console.py (10,000 keys, 3 s of paging, 2026-12-05): without
    this a full collection takes 55-105 ms and one or two fall in the window, so the heartbeat's
    p95 was 25-48 ms; after it a full collection takes ~3 ms and the p95 is 1.6-3.6 ms. Frozen
    objects that die are still freed by reference counting; cyclic garbage among them waits for
    `settle`."""
    if items >= BIG_PART and gc.isenabled():
        gc.freeze()


def settle() -> None:
    """One full collection of everything, frozen objects included, then freeze what survives:
    reclaims the cyclic garbage a freeze held (the app calls it after a refresh, at most every
    few minutes). A no-op while collection is off."""
    if gc.isenabled():
        gc.unfreeze()
        gc.collect()
        gc.freeze()
