"""Client-side pacing for the Admin API: per-endpoint token buckets, back-off, Retry-After.

The Admin API throttles per endpoint at a few requests per minute, so a full refresh of a
large organisation must be paced by the client rather than discovered through 429 storms.
Each endpoint (method + path template, ids replaced) gets a token bucket. A waiter reserves
its token *before* sleeping (the bucket may go into debt), so concurrent callers queue fairly
and a fake `sleep` that does not advance the clock can never make `acquire` spin.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["BudgetState", "Pacer", "backoff_delay", "parse_retry_after"]

BACKOFF_BASE = 0.5
BACKOFF_CAP = 30.0


@dataclass(frozen=True)
class BudgetState:
    """A snapshot of the client's request budget, for the header."""

    requests_made: int = 0
    rate_limited: int = 0  # 429 responses seen
    retries: int = 0
    in_flight: int = 0
    waiting: tuple[str, ...] = ()  # endpoints with a request currently waiting to be sent
    wait_seconds: float = 0.0  # until the most constrained endpoint has a token again
    # tokens left per endpoint seen so far (empty when unpaced)
    remaining: Mapping[str, float] = field(default_factory=dict)
    requests_per_minute: float | None = None  # per endpoint; None = unpaced
    burst: int = 0

    @property
    def waiting_count(self) -> int:
        return len(self.waiting)


def backoff_delay(
    attempt: int,
    *,
    base: float = BACKOFF_BASE,
    cap: float = BACKOFF_CAP,
    rand: Callable[[], float] = random.random,
) -> float:
    """Exponential back-off with "equal jitter": uniform in [ceiling/2, ceiling].

    `attempt` counts from 0 for the first retry; the ceiling is `min(cap, base * 2**attempt)`.
    """
    ceiling = min(cap, base * (2 ** max(0, attempt)))
    return float(ceiling / 2 + rand() * ceiling / 2)


def parse_retry_after(
    value: str | None, *, ms_value: str | None = None, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds to wait from `Retry-After` (delta-seconds or HTTP-date) or `retry-after-ms`."""
    if ms_value:
        try:
            ms = float(ms_value.strip())
        except ValueError:
            ms = math.nan
        if math.isfinite(ms) and ms >= 0:
            return ms / 1000.0
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        import email.utils  # only for the rare HTTP-date form (and costly to import)

        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - now()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


class _Bucket:
    __slots__ = ("tokens", "updated", "blocked_until", "waiting")

    def __init__(self, tokens: float, now: float) -> None:
        self.tokens = tokens
        self.updated = now
        self.blocked_until = 0.0
        self.waiting = 0


class Pacer:
    """Token buckets keyed by endpoint, plus Retry-After blocks shared by an endpoint."""

    def __init__(
        self,
        requests_per_minute: float | None,
        burst: int,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        self.rate = (requests_per_minute / 60.0) if requests_per_minute else 0.0
        self.requests_per_minute = requests_per_minute if self.rate > 0 else None
        self.burst = max(1, int(burst))
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, key: str, now: float) -> _Bucket:
        b = self._buckets.get(key)
        if b is None:
            b = self._buckets[key] = _Bucket(float(self.burst), now)
        elif self.rate > 0 and now > b.updated:
            b.tokens = min(float(self.burst), b.tokens + (now - b.updated) * self.rate)
            b.updated = now
        return b

    def _token_wait(self, b: _Bucket) -> float:
        if self.rate <= 0 or b.tokens >= 1:
            return 0.0
        return (1 - b.tokens) / self.rate

    async def acquire(self, key: str) -> float:
        """Reserve a token for `key`, sleeping as needed; returns the seconds waited."""
        now = self._clock()
        b = self._bucket(key, now)
        wait = max(0.0, b.blocked_until - now, self._token_wait(b))
        if self.rate > 0:
            b.tokens -= 1
        if wait <= 0:
            return 0.0
        b.waiting += 1
        try:
            await self._sleep(wait)
        finally:
            b.waiting -= 1
        return wait

    def block(self, key: str, seconds: float) -> None:
        """Hold every request to `key` for `seconds` (after a 429 with Retry-After)."""
        now = self._clock()
        b = self._bucket(key, now)
        b.blocked_until = max(b.blocked_until, now + max(0.0, seconds))

    def snapshot(self) -> tuple[tuple[str, ...], float, dict[str, float]]:
        now = self._clock()
        waiting: list[str] = []
        remaining: dict[str, float] = {}
        worst = 0.0
        for key in list(self._buckets):
            b = self._bucket(key, now)
            if b.waiting:
                waiting.append(key)
            if self.rate > 0:
                remaining[key] = max(0.0, b.tokens)
            worst = max(worst, b.blocked_until - now, self._token_wait(b))
        return tuple(waiting), max(0.0, worst), remaining
