"""Refusals: core declines a mutation before calling the API, and says why.

Each is an `Exception` whose `str()` is one short sentence for the status line. The rules that
raise them are `orgtui.core.rules`; `orgtui.core.services.errors` adds the services' own.
"""

from __future__ import annotations

__all__ = [
    "ArchivedProjectError",
    "DefaultProjectError",
    "InvalidInput",
    "LastOwnerError",
    "ServiceRefusal",
]


class ServiceRefusal(Exception):
    """A mutation refused before any request was sent (nothing changed)."""

    suggested_action: str | None = None

    def __init__(self, message: str, *, suggested_action: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if suggested_action is not None:
            self.suggested_action = suggested_action

    def __str__(self) -> str:
        return self.message


class InvalidInput(ServiceRefusal):
    """A parameter failed validation (the message names the field and the problem)."""


class ArchivedProjectError(ServiceRefusal):
    """Archived projects cannot be used or updated (and hold no members or service accounts)."""


class DefaultProjectError(ServiceRefusal):
    """The API refuses to modify the organisation's default project."""


class LastOwnerError(ServiceRefusal):
    """Demoting or removing the only organisation owner would leave nobody able to manage it."""
