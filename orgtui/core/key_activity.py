"""One project key's activity for its details screen: requests today and this month.

Daily usage buckets (completions and embeddings, as rotation counts them) from the start of
the month, filtered to the one key. Costs per key come from the spend summary instead
(`SpendSummary.keys`), which the console already keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from orgtui.core.services.rotation_usage import USAGE_KINDS
from orgtui.core.spend_fetch import spend_windows

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["KeyRequests", "key_requests"]


@dataclass(frozen=True)
class KeyRequests:
    today: int
    month: int


async def key_requests(session: Session, key_id: str) -> KeyRequests:
    """Requests of `key_id` today and this month (UTC). Raises `ApiError`."""
    windows = spend_windows(session.clock.now())
    today = month = 0
    for kind in USAGE_KINDS:
        async for bucket in session.client.iter_usage(
            kind,
            start_time=windows.month_start,
            api_key_ids=[key_id],
            bucket_width="1d",
            limit=31,
        ):
            count = sum(r.num_model_requests or 0 for r in bucket.results)
            month += count
            if bucket.start_time >= windows.today_start:
                today += count
    return KeyRequests(today=today, month=month)
