"""Refusals: a service declines a mutation before calling the API, and says why.

Each is an `Exception` whose `str()` is one short sentence for the status line. API failures
are not wrapped: the client's typed `ApiError` propagates (its `str()` is the API's message).
"""

from __future__ import annotations

from orgtui.api.errors import ApiError
from orgtui.core.refusals import (
    ArchivedProjectError,
    DefaultProjectError,
    InvalidInput,
    LastOwnerError,
    ServiceRefusal,
)

__all__ = [
    "AcceptedInviteError",
    "ArchivedProjectError",
    "DefaultProjectError",
    "InvalidInput",
    "LastOwnerError",
    "OutcomeUnknown",
    "RotationError",
    "ServiceAccountKeyError",
    "ServiceRefusal",
]


class AcceptedInviteError(ServiceRefusal):
    """An accepted invite cannot be deleted (the person is a member: remove them instead)."""

    suggested_action = "org_member.remove"


class ServiceAccountKeyError(ServiceRefusal):
    """A key owned by a service account cannot be deleted through the API keys endpoint.

    The API answers 400; the only way to revoke it is to delete its service account, which
    deletes every key of that account. The UI offers `service_account.delete`.
    """

    suggested_action = "service_account.delete"

    def __init__(
        self,
        message: str,
        *,
        project_id: str,
        key_id: str,
        service_account_id: str | None,
        service_account_name: str | None,
    ) -> None:
        super().__init__(message)
        self.project_id = project_id
        self.key_id = key_id
        self.service_account_id = service_account_id
        self.service_account_name = service_account_name


class RotationError(ServiceRefusal):
    """A rotation step cannot proceed now (already running, old key still in use, ...)."""


class OutcomeUnknown(ApiError):
    """A mutation's answer was lost and reading back failed too: the user must look."""

    label = "Outcome unknown"
