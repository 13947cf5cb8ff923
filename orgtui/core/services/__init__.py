"""Core mutation services: importing this package registers every mutating action's handler.

Each handler is `async def fn(session, **params)`, registered with `@handler("<action id>")`
(through `_common.mutation`, which also refuses in read-only mode). It checks what it can
before calling (refusals are `errors.ServiceRefusal`), calls the API, applies the change to the
session's snapshot and returns a result from `results`. API failures propagate as the client's
typed `ApiError` with nothing applied. Creates whose outcome is unknown are reconciled by
reading back (`reconcile.py`), never re-sent.
"""

from __future__ import annotations

from orgtui.core.services import (  # noqa: F401  (imported to register their handlers)
    admin_keys,
    assignments,
    groups,
    invites,
    keys,
    limits,
    members,
    onboarding,
    project_roles,
    projects,
    rate_limits,
    roles,
    rotation,
    security,
)
from orgtui.core.services.errors import (
    AcceptedInviteError,
    ArchivedProjectError,
    DefaultProjectError,
    InvalidInput,
    LastOwnerError,
    RotationError,
    ServiceAccountKeyError,
    ServiceRefusal,
)
from orgtui.core.services.results import (
    Done,
    InviteOutcome,
    InviteReport,
    MintedAdminKey,
    MintedKey,
    Reconciliation,
)

__all__ = [
    "AcceptedInviteError",
    "ArchivedProjectError",
    "DefaultProjectError",
    "Done",
    "InvalidInput",
    "InviteOutcome",
    "InviteReport",
    "LastOwnerError",
    "MintedAdminKey",
    "MintedKey",
    "Reconciliation",
    "RotationError",
    "ServiceAccountKeyError",
    "ServiceRefusal",
]
