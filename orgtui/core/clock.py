"""Wall-clock time behind an interface, so tests and snapshots can freeze it.

Timers run on the same clock (`Scheduler`): a deadline is a moment of `clock.now()`, so with a
`FrozenClock` nothing fires until the clock is moved (`advance`/`set`), and then every timer
that has come due fires at once, in deadline order.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Callable
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "ClockTimer", "FrozenClock", "Scheduler", "SystemClock", "scheduler_for"]


@runtime_checkable
class Clock(Protocol):
    def now(self) -> float:
        """Unix seconds."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def __call__(self) -> float:  # usable where a plain `() -> float` is wanted (the sandbox)
        return self.now()


class FrozenClock:
    """A clock that moves only when told to; whoever subscribed hears each move."""

    def __init__(self, t: float = 0.0) -> None:
        self._t = float(t)
        self._moved: list[Callable[[], None]] = []

    def now(self) -> float:
        return self._t

    def __call__(self) -> float:
        return self._t

    def set(self, t: float) -> None:
        self._t = float(t)
        self._notify()

    def advance(self, seconds: float) -> float:
        self._t += seconds
        self._notify()
        return self._t

    def on_move(self, callback: Callable[[], None]) -> None:
        """Call `callback` after every `set`/`advance` (a `Scheduler` fires what came due)."""
        self._moved.append(callback)

    def _notify(self) -> None:
        for callback in list(self._moved):
            callback()

    def __repr__(self) -> str:
        return f"FrozenClock({self._t!r})"


class ClockTimer:
    """One timer of a `Scheduler`: once after a delay, or every `interval` seconds."""

    def __init__(
        self, scheduler: Scheduler, deadline: float, callback: Callable[[], object],
        interval: float | None, name: str,
    ) -> None:  # fmt: skip
        self.scheduler = scheduler
        self.deadline = deadline
        self.callback = callback
        self.interval = interval
        self.name = name
        self.active = True

    def stop(self) -> None:
        self.active = False
        self.scheduler._timers.discard(self)

    def fire_now(self) -> None:
        """Run a one-shot timer at once, as if its deadline had come, without moving the clock."""
        if self.active and self.interval is None:
            self.stop()
            self.callback()

    def __repr__(self) -> str:
        return f"ClockTimer({self.name!r}, deadline={self.deadline!r})"


class Scheduler:
    """Timers whose deadlines are measured against `clock.now()`.

    On a real clock, the event loop wakes the scheduler when the next deadline is due; on a
    clock with `on_move` (a `FrozenClock`), only a move of the clock does.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._timers: set[ClockTimer] = set()
        self._wake: asyncio.TimerHandle | None = None
        on_move = getattr(clock, "on_move", None)
        self.frozen = on_move is not None
        if on_move is not None:
            on_move(self.run_due)

    def after(self, delay: float, callback: Callable[[], object], name: str = "") -> ClockTimer:
        return self._add(ClockTimer(self, self.clock.now() + delay, callback, None, name))

    def every(self, interval: float, callback: Callable[[], object], name: str = "") -> ClockTimer:
        return self._add(ClockTimer(self, self.clock.now() + interval, callback, interval, name))

    @property
    def pending(self) -> list[ClockTimer]:
        return sorted(self._timers, key=lambda t: t.deadline)

    def _add(self, timer: ClockTimer) -> ClockTimer:
        self._timers.add(timer)
        self._arm()
        return timer

    def run_due(self) -> int:
        """Fire every timer whose deadline has come; returns how many fired."""
        fired = 0
        now = self.clock.now()
        for timer in self.pending:
            if not timer.active or timer.deadline > now:
                continue
            if timer.interval is None:
                timer.stop()
            else:  # the next beat, never a burst of missed ones
                timer.deadline = max(timer.deadline + timer.interval, now + 1e-9)
            fired += 1
            timer.callback()
        self._arm()
        return fired

    def stop_all(self) -> None:
        for timer in list(self._timers):
            timer.stop()
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None

    def _arm(self) -> None:
        if self.frozen:
            return
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        if not self._timers:
            return
        with contextlib.suppress(RuntimeError):  # no running loop: nothing can wake us yet
            loop = asyncio.get_running_loop()
            delay = max(0.0, min(t.deadline for t in self._timers) - self.clock.now())
            self._wake = loop.call_later(delay, self.run_due)


_SCHEDULERS: weakref.WeakKeyDictionary[Clock, Scheduler] = weakref.WeakKeyDictionary()


def scheduler_for(clock: Clock) -> Scheduler:
    """The one scheduler of a clock (every timer on one clock shares it)."""
    found = _SCHEDULERS.get(clock)
    if found is None:
        found = _SCHEDULERS[clock] = Scheduler(clock)
    return found
