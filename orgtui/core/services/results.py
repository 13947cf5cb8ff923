"""What a mutation hands back to the UI.

Every result has `.outcome` (a short machine word) and `.message` (one human sentence for the
status line). Results that carry a minted value hold it in a `OneTimeSecret`, whose repr never
shows it, so a result can be logged or put in a message safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from orgtui.core.secret import OneTimeSecret
from orgtui.core.services._common import display

__all__ = [
    "Done",
    "Result",
    "InviteOutcome",
    "InviteReport",
    "MintedAdminKey",
    "MintedKey",
    "Reconciliation",
    "ReconcileOutcome",
]

ReconcileOutcome = Literal["created_unconfirmed", "not_created", "unknown"]


@dataclass(frozen=True)
class Done:
    """A mutation that went through (or a non-error outcome such as "already a member")."""

    message: str
    outcome: str = "done"
    obj: Any = None  # the API object as it is now, when there is one
    suggested_action: str | None = None

    @property
    def obj_id(self) -> str | None:
        """The id of `obj` (what a screen selects after the change), when there is one."""
        value = getattr(self.obj, "id", None)
        return value if isinstance(value, str) else None


@dataclass(eq=False)
class MintedKey:
    """A project key just minted for a service account: show `secret` once, then destroy it."""

    secret: OneTimeSecret
    project_id: str
    project_name: str | None
    service_account_id: str
    service_account_name: str
    key_id: str
    key_name: str | None
    redacted_value: str
    role: str
    scopes: tuple[str, ...] | None = None
    warnings: tuple[str, ...] = ()
    rotation_id: str | None = None
    outcome: str = "created"

    @property
    def message(self) -> str:
        text = f"Created a key for {display(self.service_account_name)} ({self.redacted_value})"
        if self.warnings:
            text += f" ({'; '.join(self.warnings)})"
        return text


@dataclass(eq=False)
class MintedAdminKey:
    """An organisation admin key just created; `warning` is set when it never expires."""

    secret: OneTimeSecret
    key_id: str
    name: str | None
    redacted_value: str
    expires_at: int | None
    warning: str | None = None
    outcome: str = "created"

    @property
    def message(self) -> str:
        text = f"Created admin key {display(self.name, self.key_id)}"
        return f"{text} ({self.warning})" if self.warning else text


@dataclass(frozen=True)
class Reconciliation:
    """A create whose response was lost, checked by reading back (never by sending again).

    - `created_unconfirmed`: it exists (`found_id`); a minted value, if any, was lost.
    - `not_created`: nothing with that name appeared; trying again is safe (the user decides).
    - `unknown`: the read-back failed too (`error`); look again before retrying.
    """

    outcome: ReconcileOutcome
    kind: str  # service_account | api_key | admin_key | project | invite | spend_alert
    name: str
    message: str
    found_id: str | None = None
    found: Any = None
    error: str | None = None
    suggested_action: str | None = None
    rotation_id: str | None = None


InviteStatus = Literal[
    "sent", "already_member", "already_pending", "error", "unconfirmed", "not_sent", "skipped"
]


@dataclass(frozen=True)
class InviteOutcome:
    email: str
    status: InviteStatus
    message: str
    invite: Any = None


@dataclass(frozen=True)
class InviteReport:
    """One line per email: sent, already a member, already pending, or the API's error text."""

    outcomes: tuple[InviteOutcome, ...] = field(default_factory=tuple)

    @property
    def sent(self) -> list[InviteOutcome]:
        return [o for o in self.outcomes if o.status == "sent"]

    @property
    def outcome(self) -> str:
        if self.outcomes and len(self.sent) == len(self.outcomes):
            return "done"
        return "partial" if self.sent else "failed"

    @property
    def message(self) -> str:
        total = len(self.outcomes)
        if total == 1:
            return self.outcomes[0].message
        return f"Invited {len(self.sent)} of {total}"


# What any mutation hands back: each has `.outcome` and `.message`.
Result = Done | MintedKey | MintedAdminKey | Reconciliation | InviteReport
