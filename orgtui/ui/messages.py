"""Typed messages from the data flow to the screens.

Session subscribers and sync progress callbacks post these; widgets react to them. Screens never
call HTTP or write the cache: they only receive snapshots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from orgtui.api.models import ProjectApiKey
    from orgtui.core.session import Session
    from orgtui.core.snapshot import OrgSnapshot
    from orgtui.core.spend import SpendSummary


class KeyDetailsWanted(Message):
    """`enter` on a key of a project's list: the screen that shows the list opens its details
    (a shared table imports no feature screen)."""

    def __init__(self, session: Session, project_id: str, key: ProjectApiKey) -> None:
        self.session = session
        self.project_id = project_id
        self.key = key
        super().__init__()


class SnapshotChanged(Message):
    """A session applied new data (`parts` are the part ids that changed)."""

    def __init__(self, profile: str, snapshot: OrgSnapshot, parts: tuple[str, ...]) -> None:
        self.profile = profile
        self.snapshot = snapshot
        self.parts = parts
        super().__init__()


class SyncProgress(Message):
    """A refresh moved on: `done` of `total` parts, `label` names the last one."""

    def __init__(self, profile: str, done: int, total: int, label: str) -> None:
        self.profile = profile
        self.done = done
        self.total = total
        self.label = label
        super().__init__()


class SyncFinished(Message):
    """A refresh ended; `errors` maps part ids to error text, `offline` when nothing answered."""

    def __init__(self, profile: str, errors: dict[str, str], *, offline: bool) -> None:
        self.profile = profile
        self.errors = errors
        self.offline = offline
        super().__init__()


class ScopeChanged(Message):
    """The selected node changed: the usage strip and others follow the scope."""

    def __init__(self, profile: str, project_id: str | None) -> None:
        self.profile = profile
        self.project_id = project_id
        super().__init__()


class SpendUpdated(Message):
    """New spend figures for one organisation (profile)."""

    def __init__(self, profile: str, summary: SpendSummary | None, error: str | None) -> None:
        self.profile = profile
        self.summary = summary
        self.error = error
        super().__init__()


class SpendAlertsChanged(Message):
    """The number of unseen spend alerts changed (`badge` is None when there are none)."""

    def __init__(self, unseen: int, badge: str | None) -> None:
        self.unseen = unseen
        self.badge = badge
        super().__init__()


class RequestsMade(Message):
    """Requests were made outside a refresh (the usage graph): the budget shown may have moved."""
