"""How snapshot parts become cache rows and back: typed JSON, checked for secrets.

Each part is stored as the JSON of a small TypedDict of its fields, dumped and parsed by a
pydantic `TypeAdapter` (fast, in Rust). Dumping through the list-shape models is what keeps
create-response-only fields (`value`, `api_key`) out of the file; on top of that every part is
type-checked and its JSON scanned for anything that looks like a key before it may be stored.
"""

from __future__ import annotations

import contextlib
import gc
import re
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

from pydantic import TypeAdapter
from typing_extensions import TypedDict

from orgtui.api.models import (
    AdminApiKey,
    Invite,
    Project,
    ProjectApiKey,
    ProjectRateLimit,
    ProjectServiceAccount,
    ProjectUser,
    SpendAlert,
    SpendLimit,
    User,
)
from orgtui.core.snapshot import PROJECTS, split_part

__all__ = [
    "count_items",
    "decode_part",
    "encode_part",
    "find_secret",
    "gc_paused",
    "parse_quietly",
]

# A key value: "sk-" then 20+ key characters, no "..." (redacted values look like "sk-abc...def").
# The look-behind keeps words such as "task-..." from matching.
_SECRET_PATTERN = re.compile(rb"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}")
_VALUE_FIELD = re.compile(rb'"value"\s*:')


class _Projects(TypedDict):
    projects: list[Project]


class _Users(TypedDict):
    users: list[User] | None


class _Invites(TypedDict):
    invites: list[Invite] | None


class _AdminKeys(TypedDict):
    admin_keys: list[AdminApiKey] | None


class _OrgLimits(TypedDict):
    org_spend_limit: SpendLimit | None
    org_spend_alerts: list[SpendAlert] | None


class _Keys(TypedDict):
    api_keys: list[ProjectApiKey] | None


class _ServiceAccounts(TypedDict):
    service_accounts: list[ProjectServiceAccount] | None


class _ProjectUsers(TypedDict):
    users: list[ProjectUser] | None


class _RateLimits(TypedDict):
    rate_limits: list[ProjectRateLimit] | None


class _Limits(TypedDict):
    spend_limit: SpendLimit | None
    spend_alerts: list[SpendAlert] | None


# (is a project part, kind) -> the shape of its row; its adapter is built on first use (each
# costs a schema build, and the first frame needs only the parts it shows).
_SHAPES: dict[tuple[bool, str], type[Any]] = {
    (False, PROJECTS): _Projects,
    (False, "users"): _Users,
    (False, "invites"): _Invites,
    (False, "admin_keys"): _AdminKeys,
    (False, "org_limits"): _OrgLimits,
    (True, "keys"): _Keys,
    (True, "service_accounts"): _ServiceAccounts,
    (True, "users"): _ProjectUsers,
    (True, "rate_limits"): _RateLimits,
    (True, "limits"): _Limits,
}
_ADAPTERS: dict[tuple[bool, str], TypeAdapter[Any]] = {}

# (is a project part, field) -> the model its items must be (create responses subclass these
# and are stored in their list shape; anything else is refused rather than stored half-right).
_FIELD_MODELS: dict[tuple[bool, str], type[Any]] = {
    (False, PROJECTS): Project,
    (False, "users"): User,
    (False, "invites"): Invite,
    (False, "admin_keys"): AdminApiKey,
    (False, "org_spend_limit"): SpendLimit,
    (False, "org_spend_alerts"): SpendAlert,
    (True, "api_keys"): ProjectApiKey,
    (True, "service_accounts"): ProjectServiceAccount,
    (True, "users"): ProjectUser,
    (True, "rate_limits"): ProjectRateLimit,
    (True, "spend_limit"): SpendLimit,
    (True, "spend_alerts"): SpendAlert,
}


def find_secret(blob: bytes) -> str | None:
    """Why this JSON must not be cached (a `value` field or an unredacted key), else None.
    The reason never quotes the secret itself."""
    if _VALUE_FIELD.search(blob):
        return "it holds a 'value' field (a create response's secret)"
    if _SECRET_PATTERN.search(blob):
        return "it holds text that looks like an unredacted API key"
    return None


def _wrong_type(in_project: bool, data: dict[str, Any]) -> str | None:
    for name, value in data.items():
        model = _FIELD_MODELS[(in_project, name)]
        items = value if isinstance(value, list) else [] if value is None else [value]
        for item in items:
            if not isinstance(item, model):
                return f"its {name} holds a {type(item).__name__}, not a {model.__name__}"
    return None


def _adapter(part_id: str) -> TypeAdapter[Any]:
    pid, kind = split_part(part_id)
    shape = (pid is not None, kind)
    adapter = _ADAPTERS.get(shape)
    if adapter is None:
        adapter = _ADAPTERS[shape] = TypeAdapter(_SHAPES[shape])
    return adapter


def encode_part(part_id: str, data: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """`(json, None)`, or `(None, reason)` when the part must not be stored."""
    pid, _ = split_part(part_id)
    reason = _wrong_type(pid is not None, data)
    if reason is not None:
        return None, reason
    blob = _adapter(part_id).dump_json(data)
    reason = find_secret(blob)
    return (None, reason) if reason else (blob, None)


def decode_part(part_id: str, blob: bytes) -> dict[str, Any]:
    """The field values of a stored part (pydantic ValidationError if it does not parse)."""
    values: dict[str, Any] = _adapter(part_id).validate_json(blob)
    return values


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Thousands of new objects trigger full collections that cost more than the parsing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_quietly(part_id: str, blob: bytes) -> dict[str, Any]:
    with gc_paused():
        return decode_part(part_id, blob)


_counter = threading.local()


def count_items(blob: bytes, name: str) -> int | None:
    """How many items the list field `name` of a stored part holds (None when it is null).

    SQLite's JSON functions (C) count 10,000 keys in a few milliseconds without building a
    model per key, so the summary can show counts of a part that is still unparsed.
    Raises ValueError when the field is missing or not a list.
    """
    conn = getattr(_counter, "conn", None)
    if conn is None:
        conn = _counter.conn = sqlite3.connect(":memory:")
    path = "$." + name
    kind, count = conn.execute(
        "SELECT json_type(?1, ?2), json_array_length(?1, ?2)", (blob, path)
    ).fetchone()
    if kind == "null":
        return None
    if kind != "array":
        raise ValueError(f"{name} is not a list in the stored part")
    return int(count)
