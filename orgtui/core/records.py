"""Plain data from the API's records, for the UI (which never imports `orgtui.api` at run time).

`as_data(record)` gives a record's builtin values (secrets masked), e.g. to show it as JSON.
The retention types are the values the API accepts for an organisation's or a project's data
retention setting. The record classes below are re-exported for the UI's `isinstance` checks on
what is selected (a table row holds the record itself); the UI never builds one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.api._base import to_data
from orgtui.api.models import (
    Project,
    ProjectApiKey,
    ProjectRateLimit,
    ProjectServiceAccount,
    SpendAlert,
)
from orgtui.api.models_rbac import GroupMember, Role
from orgtui.api.models_security import ORG_RETENTION_TYPES, PROJECT_RETENTION_TYPES

if TYPE_CHECKING:
    from orgtui.core.snapshot import OrgSnapshot

__all__ = [
    "ORG_RETENTION_TYPES",
    "PROJECT_RETENTION_TYPES",
    "GroupMember",
    "Project",
    "ProjectRateLimit",
    "Role",
    "SpendAlert",
    "account_of_key",
    "as_data",
]


def as_data(record: Any) -> Any:
    """Builtin values of an API record (secrets masked), e.g. to show or print it as JSON."""
    return to_data(record)


def account_of_key(snapshot: OrgSnapshot, pid: str, key: ProjectApiKey) -> ProjectServiceAccount:
    """The service account that owns `key`: the cached record, else one built from what the key
    says of its owner (the account list of the project may not be loaded yet)."""
    owner = key.owner.service_account
    if owner is None:
        raise ValueError(f"key {key.id} is not owned by a service account")
    view = snapshot.project(pid)
    for account in (view.get("service_accounts") if view else None) or ():
        if account.id == owner.id:
            return account
    return ProjectServiceAccount(
        id=owner.id,
        name=owner.name or owner.id,
        role=owner.role or "member",
        created_at=owner.created_at or key.created_at,
    )
