"""What a refresh reports (`SyncResult`) and how it reports progress (`ProgressCallback`):
shared by the syncer and its incremental cycle, which import neither each other's code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["ProgressCallback", "SyncResult"]

ProgressCallback = Callable[[int, int, str], None]


@dataclass
class SyncResult:
    """What one refresh did: parts fetched, and part id -> error text for those that failed."""

    fetched: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # their project was gone
    mode: str = "parts"  # full | incremental | parts
    full_reason: str | None = None  # why an incremental cycle became a full refresh
    requests: int = 0  # requests the refresh made (incremental cycles and full refreshes)
    offline: bool = False  # a request could not reach the organisation at all

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def done(self) -> int:
        return len(self.fetched) + len(self.errors) + len(self.skipped)
