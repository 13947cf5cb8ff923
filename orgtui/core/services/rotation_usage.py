"""How much a key was used since a moment (a rotation's mint), and who else is on its account.

The Usage API counts in buckets aligned to the minute, hour or day. Counting "since the mint"
with hourly buckets adds up to an hour of traffic from *before* the mint (the bug this module
replaced: "538 requests since mint" seconds after minting). So: minute buckets for the last
hour, hourly buckets beyond it, and a bucket that starts before the mint (it straddles it) makes
the figure an upper bound ("≤ N"), never a plain number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from orgtui.api.errors import ApiError

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "RECENT_USE_SECONDS",
    "USAGE_KINDS",
    "KeyUse",
    "UsageSince",
    "sibling_keys",
    "usage_since",
]

# Where a key's requests are counted: chat/responses traffic and embeddings (an embeddings-only
# key shows nothing under completions). Each kind is one more paged request, so only these two.
USAGE_KINDS = ("completions", "embeddings")
HOUR, MINUTE = 3600, 60
# A key used this recently is "live": deleting it is named in the confirmation.
RECENT_USE_SECONDS = 15 * 60


@dataclass(frozen=True)
class UsageSince:
    """Requests of one key since `since` (an upper bound when `bounded`), and in the last hour."""

    requests: int = 0
    bounded: bool = False  # a bucket straddled `since`: `requests` is "at most"
    last_hour: int = 0

    def text(self) -> str:
        return f"≤ {self.requests:,}" if self.bounded and self.requests else f"{self.requests:,}"


def _ranges(since: float, now: float) -> list[tuple[str, int, int | None]]:
    """(bucket width, start, end) covering [since, now]: minutes over the last hour (from the
    hour boundary before it, so the two widths meet), whole hours before that."""
    window = int(now - HOUR) // MINUTE * MINUTE
    if since >= window:
        return [("1m", int(since) // MINUTE * MINUTE, None)]
    meet = window // HOUR * HOUR
    if since >= meet:
        return [("1m", int(since) // MINUTE * MINUTE, None)]
    return [("1h", int(since) // HOUR * HOUR, meet), ("1m", meet, None)]


async def usage_since(
    session: Session, key_ids: Sequence[str], since: float, *, now: float | None = None
) -> dict[str, UsageSince]:
    """Per key: requests since `since` (completions and embeddings). Raises `ApiError`."""
    now = session.clock.now() if now is None else now
    counts = {kid: [0, False, 0] for kid in key_ids}
    if not key_ids:
        return {}
    for width, start, end in _ranges(since, now):
        for kind in USAGE_KINDS:
            async for bucket in session.client.iter_usage(
                kind,
                start_time=start,
                end_time=end,
                api_key_ids=list(key_ids),
                group_by=["api_key_id"],
                bucket_width=width,
            ):
                straddles = bucket.start_time < since
                recent = width == "1m" and bucket.start_time >= int(now - HOUR) // MINUTE * MINUTE
                for result in bucket.results:
                    entry = counts.get(result.api_key_id or "")
                    n = result.num_model_requests or 0
                    if entry is None or not n:
                        continue
                    entry[0] += n
                    entry[1] = entry[1] or straddles
                    if recent:
                        entry[2] += n
    return {kid: UsageSince(int(c[0]), bool(c[1]), int(c[2])) for kid, c in counts.items()}


@dataclass(frozen=True)
class KeyUse:
    """Another key on the same service account: what the admin needs to recognise it."""

    id: str
    name: str | None
    redacted_value: str | None
    last_used_at: int | None
    requests_last_hour: int | None  # None: the Usage API did not answer

    def used_within(self, now: float, seconds: float = RECENT_USE_SECONDS) -> bool:
        return self.last_used_at is not None and self.last_used_at >= now - seconds


async def sibling_keys(
    session: Session, project_id: str, service_account_id: str, key_ids: Iterable[str]
) -> list[KeyUse]:
    """The keys `key_ids` of an account, read afresh (last use) with their last hour's requests."""
    ids = list(key_ids)
    if not ids:
        return []
    now = session.clock.now()
    try:
        use = await usage_since(session, ids, now - HOUR, now=now)
    except ApiError:
        use = {}
    view = session.snapshot.project(project_id)
    known = {k.id: k for k in (view.get("api_keys") if view is not None else None) or ()}
    found: list[KeyUse] = []
    for kid in ids:
        key = known.get(kid)
        try:
            key = await session.client.get_project_api_key(project_id, kid)
        except ApiError:
            if key is None:
                continue
        if key.owner.service_account and key.owner.service_account.id != service_account_id:
            continue
        hour = use.get(kid)
        found.append(
            KeyUse(
                id=kid,
                name=key.name,
                redacted_value=key.redacted_value,
                last_used_at=key.last_used_at,
                requests_last_hour=None if hour is None else hour.last_hour,
            )
        )
    return found
