"""Counts shown in more than one place, computed once here and read by every place.

The tree and the organisation summary both show how many projects and invites there are; each
reads these functions, so the two can never disagree (issue: "Invites 7" beside "4 pending").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orgtui.core.snapshot import OrgSnapshot


@dataclass(frozen=True)
class ProjectCounts:
    active: int
    archived: int

    @property
    def total(self) -> int:
        return self.active + self.archived


@dataclass(frozen=True)
class InviteCounts:
    pending: int  # status "pending": still waiting for an answer
    total: int  # every invite the API lists (accepted and expired ones too)

    def text(self) -> str:
        """ "2 pending of 5", or "2 pending" when every invite is pending."""
        if self.total == self.pending:
            return f"{self.pending} pending"
        return f"{self.pending} pending of {self.total}"


def project_counts(snapshot: OrgSnapshot) -> ProjectCounts | None:
    """Active and archived projects; None before the project list was ever fetched."""
    views = snapshot.projects.values()
    if not snapshot.is_fetched("projects") and not views:
        return None
    archived = sum(1 for view in views if view.archived)
    return ProjectCounts(len(views) - archived, archived)


def invite_counts(snapshot: OrgSnapshot) -> InviteCounts | None:
    """Pending and all invites; None before the invite list was fetched."""
    invites = snapshot.invites
    if invites is None:
        return None
    pending = sum(1 for invite in invites if invite.status == "pending")
    return InviteCounts(pending, len(invites))


# ---------------------------------------------------------------------- key staleness
# One rule, one threshold type, for the health checks and the key rows' ⚠ flags: a key is
# "older than N days" when more than N x 86,400 seconds have passed (strictly).

DAY = 86_400


def older_than(timestamp: float | None, now: float, days: int) -> bool:
    """More than `days` whole days (in seconds) before `now`; False when unknown."""
    return timestamp is not None and now - timestamp > days * DAY


def rotation_due(created_at: float | None, now: float, rotation_days: int) -> bool:
    return older_than(created_at, now, rotation_days)


def unused_too_long(
    last_used_at: float | None, created_at: float | None, now: float, unused_days: int
) -> bool:
    """Not used for `unused_days`: since its last use, or since creation when never used."""
    return older_than(last_used_at if last_used_at is not None else created_at, now, unused_days)
