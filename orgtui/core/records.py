"""Plain data from the API's records, for the UI (which never imports `orgtui.api` at run time).

`as_data(record)` gives a record's builtin values (secrets masked), e.g. to show it as JSON.
The retention types are the values the API accepts for an organisation's or a project's data
retention setting.
"""

from __future__ import annotations

from typing import Any

from orgtui.api._base import to_data
from orgtui.api.models_security import ORG_RETENTION_TYPES, PROJECT_RETENTION_TYPES

__all__ = ["ORG_RETENTION_TYPES", "PROJECT_RETENTION_TYPES", "as_data"]


def as_data(record: Any) -> Any:
    """Builtin values of an API record (secrets masked), e.g. to show or print it as JSON."""
    return to_data(record)
