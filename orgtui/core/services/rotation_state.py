"""What a rotation's status check found: the old and new keys' use, and whether finishing is safe."""

from __future__ import annotations

from dataclasses import dataclass, field

from orgtui.core.services._common import display
from orgtui.core.services.rotation_journal import Rotation
from orgtui.core.services.rotation_usage import KeyUse, UsageSince

__all__ = ["QUIET_SECONDS", "RotationStatus"]

# The old key must have been idle this long before finishing without `force`.
QUIET_SECONDS = 3600.0


@dataclass(frozen=True)
class RotationStatus:
    rotation: Rotation
    checked_at: float
    old_key_exists: bool
    old_key_last_used_at: int | None = None
    old_requests_since_mint: int | None = None
    old_requests_recent: int | None = None  # in the last hour (minute buckets)
    new_key_last_used_at: int | None = None
    usage_error: str | None = None
    quiet_seconds: float = QUIET_SECONDS
    warnings: tuple[str, ...] = field(default_factory=tuple)
    old_since_mint_bounded: bool = False  # a bucket straddled the mint: "at most"
    # The old account's other keys (deleted with it): their use, and their use since the mint.
    siblings: tuple[tuple[KeyUse, UsageSince | None], ...] = ()

    @property
    def old_since_mint_text(self) -> str:
        if self.old_requests_since_mint is None:
            return "unknown"
        return UsageSince(self.old_requests_since_mint, self.old_since_mint_bounded).text()

    @property
    def blocker(self) -> str | None:
        """Why finishing now would be unsafe (None when it is safe)."""
        r = self.rotation
        if r.step not in ("minted", "overlap"):
            return f"the rotation is {r.step}"
        if not self.old_key_exists:
            return None
        if r.new_key_id is None:
            return "the replacement has no key yet: mint one for it first"
        missing = [k for k, _ in self.siblings if k.id not in r.replaced_old_key_ids]
        if missing and r.kind == "service_account":
            return f"{len(missing)} other key(s) of the old account have no replacement yet"
        last = self.old_key_last_used_at
        if last is not None and last >= self.checked_at - self.quiet_seconds:
            minutes = max(0, int((self.checked_at - last) // 60))
            return f"the old key was used {minutes} min ago"
        if self.old_requests_recent:
            return f"the old key served {self.old_requests_recent} requests in the last hour"
        for key, _ in self.siblings:
            if key.used_within(self.checked_at, self.quiet_seconds):
                minutes = max(0, int((self.checked_at - (key.last_used_at or 0)) // 60))
                return f"the old key {display(key.name, key.id)} was used {minutes} min ago"
        return None

    @property
    def safe_to_finish(self) -> bool:
        return self.blocker is None

    @property
    def message(self) -> str:
        parts = [f"Rotation of {display(self.rotation.old_key_name, self.rotation.old_key_id)}"]
        if self.old_requests_since_mint is not None:
            parts.append(f"old key: {self.old_since_mint_text} requests since the new one")
        parts.append(f"not ready: {self.blocker}" if self.blocker else "ready to finish")
        return "; ".join(parts)
