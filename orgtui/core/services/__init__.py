"""Core mutation services: importing this package registers every mutating action's handler.

Each handler is `async def fn(session, **params)`, registered by id (through `_common.mutation`,
which also asks the read-only gate) for `ActionRegistry.invoke`; the typed way in is a command
beside it (`commands_keys`, `commands_members`, `commands_roles`, `commands_spend`) run with
`ActionRegistry.execute`. A handler asks core's rules (`core.rules`, raised by `actions.refuse`)
and checks its input before calling (refusals are `errors.ServiceRefusal`), calls the API,
applies the change to the session's snapshot and returns a result from `results`. API failures
propagate as the client's typed `ApiError` with nothing applied. Creates go through
`reconcile.create_then_reconcile`: an answer that is lost is reconciled by reading back, never
re-sent.
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
