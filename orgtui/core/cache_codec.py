"""How snapshot parts become cache rows and back: typed JSON, checked for secrets.

Each part is stored as the JSON of a small pydantic model of its fields, dumped and validated by
pydantic-core (in Rust) through cached adapters. Items are narrowed to their list-shape models first, which is what keeps
create-response-only fields (`value`, `api_key`) out of the file; on top of that every part is
type-checked and its JSON scanned for anything that looks like a key before it may be stored.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

from orgtui.core.snapshot import PROJECTS, split_part
from orgtui.perf_gc import paused as gc_paused  # parsing 10,000 keys: see perf_gc

if TYPE_CHECKING:
    from orgtui.api._base import ApiModel

__all__ = [
    "count_items",
    "decode_part",
    "encode_part",
    "find_secret",
    "gc_paused",
    "list_counts",
    "parse_quietly",
    "PartCounts",
]

# A key value: "sk-" then 20+ key characters, no "..." (redacted values look like "sk-abc...def").
# The look-behind keeps words such as "task-..." from matching.
_SECRET_PATTERN = re.compile(rb"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}")
_VALUE_FIELD = re.compile(rb'"value"\s*:')


_MODELS: tuple[dict[tuple[bool, str], type[ApiModel]], dict[tuple[bool, str], type[Any]]] | None = (
    None
)


def _models() -> tuple[dict[tuple[bool, str], type[ApiModel]], dict[tuple[bool, str], type[Any]]]:
    """(row shapes, field models), defined on first use: they need pydantic, and the first
    frame is drawn from plain rows before it is imported (`header_rows`)."""
    global _MODELS
    if _MODELS is not None:
        return _MODELS
    from orgtui.api._base import ApiModel
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

    class _Projects(ApiModel):
        projects: list[Project]

    class _Users(ApiModel):
        users: list[User] | None

    class _Invites(ApiModel):
        invites: list[Invite] | None

    class _AdminKeys(ApiModel):
        admin_keys: list[AdminApiKey] | None

    class _OrgLimits(ApiModel):
        org_spend_limit: SpendLimit | None
        org_spend_alerts: list[SpendAlert] | None

    class _Keys(ApiModel):
        api_keys: list[ProjectApiKey] | None

    class _ServiceAccounts(ApiModel):
        service_accounts: list[ProjectServiceAccount] | None

    class _ProjectUsers(ApiModel):
        users: list[ProjectUser] | None

    class _RateLimits(ApiModel):
        rate_limits: list[ProjectRateLimit] | None

    class _Limits(ApiModel):
        spend_limit: SpendLimit | None
        spend_alerts: list[SpendAlert] | None

    # (is a project part, kind) -> the shape of its row (its adapter is built on first use).
    shapes: dict[tuple[bool, str], type[Any]] = {
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

    # (is a project part, field) -> the model its items must be (create responses subclass these
    # and are stored in their list shape; anything else is refused rather than stored half-right).
    field_models: dict[tuple[bool, str], type[Any]] = {
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
    _MODELS = shapes, field_models
    return _MODELS


def find_secret(blob: bytes) -> str | None:
    """Why this JSON must not be cached (a `value` field, or a key value this process minted),
    else None. A name that only looks like a key is data and is stored (`core.minted`).
    The reason never quotes the secret itself."""
    if _VALUE_FIELD.search(blob):
        return "it holds a 'value' field (a create response's secret)"
    from orgtui.core.minted import holds_minted

    for found in _SECRET_PATTERN.finditer(blob):
        if holds_minted(found.group()):
            return "it holds a key value this console minted"
    return None


def _narrowed(in_project: bool, data: dict[str, Any]) -> dict[str, Any] | str:
    """The part's fields with every item exactly its field's model, or why it cannot be."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        model = _models()[1][(in_project, name)]
        items = value if isinstance(value, list) else [] if value is None else [value]
        for item in items:
            if not isinstance(item, model):
                return f"its {name} holds a {type(item).__name__}, not a {model.__name__}"
        if any(type(item) is not model for item in items):
            items = [item.narrowed(model) for item in items]
            value = items if isinstance(value, list) else items[0]
        fields[name] = value
    return fields


def _shape(part_id: str) -> tuple[bool, str]:
    pid, kind = split_part(part_id)
    return (pid is not None, kind)


def encode_part(part_id: str, data: dict[str, Any]) -> tuple[bytes | None, str | None]:
    """`(json, None)`, or `(None, reason)` when the part must not be stored."""
    shape = _shape(part_id)
    fields = _narrowed(shape[0], data)
    if isinstance(fields, str):
        return None, fields
    from orgtui.api._base import adapter

    model = _models()[0][shape]
    # Only the fields that were set (by the API or the caller): defaults come back on decoding,
    # 10,000 keys stay a small row, and this is twice as fast as comparing with each default.
    blob = adapter(model).dump_json(model.model_construct(**fields), exclude_unset=True)
    reason = find_secret(blob)
    return (None, reason) if reason else (blob, None)


def decode_part(part_id: str, blob: bytes) -> dict[str, Any]:
    """The field values of a stored part (ValueError if it does not decode)."""
    from pydantic import ValidationError

    from orgtui.api._base import adapter, describe_errors

    model = _models()[0][_shape(part_id)]
    try:
        row = adapter(model).validate_json(blob)
    except ValidationError as exc:
        raise ValueError(f"stored part {part_id} does not decode: {describe_errors(exc)}") from None
    return {name: getattr(row, name) for name in model.model_fields}


def parse_quietly(part_id: str, blob: bytes) -> dict[str, Any]:
    with gc_paused():
        return decode_part(part_id, blob)


def list_counts(data: dict[str, Any]) -> str:
    """The lengths of a part's list fields (null for None) as stored beside its JSON, so the
    summary can count 10,000 keys of an unparsed part without reading them."""
    counts = {
        name: None if value is None else len(value)
        for name, value in data.items()
        if value is None or isinstance(value, list)
    }
    return json.dumps(counts, separators=(",", ":"))


class PartCounts:
    """`count(name)` for a stored part: from the counts kept beside its JSON (decoded on first
    use), else (a cache from before counts were kept) by scanning the JSON when it was read.
    Raises KeyError when it cannot tell (the caller then parses the part)."""

    __slots__ = ("_blob", "_counts", "_text")

    def __init__(self, text: str | None, blob: bytes | None) -> None:
        self._text = text
        self._blob = blob
        self._counts: dict[str, int | None] | None = None

    def __call__(self, name: str) -> int | None:
        counts = self._counts
        if counts is None:
            counts = self._counts = _decode_counts(self._text)
        if name in counts:
            return counts[name]
        if self._blob is None:
            raise KeyError(name)
        return count_items(self._blob, name)


def _decode_counts(text: str | None) -> dict[str, int | None]:
    try:
        counts = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(counts, dict):
        return {}
    return {
        k: v
        for k, v in counts.items()
        if v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0)
    }


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
