"""Wall-clock time behind an interface, so tests and snapshots can freeze it."""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FrozenClock", "SystemClock"]


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
    """A clock that moves only when told to."""

    def __init__(self, t: float = 0.0) -> None:
        self._t = float(t)

    def now(self) -> float:
        return self._t

    def __call__(self) -> float:
        return self._t

    def set(self, t: float) -> None:
        self._t = float(t)

    def advance(self, seconds: float) -> float:
        self._t += seconds
        return self._t

    def __repr__(self) -> str:
        return f"FrozenClock({self._t!r})"
