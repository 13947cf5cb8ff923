"""Request parsing, validation and style-A paging shared by the route modules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.spec_bodies import BODY_FIELDS
from orgtui.sandbox.store import Store

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 256
# Integers beyond this neither fit SQLite nor survive JavaScript clients: refuse them.
MAX_INT = 2**53 - 1

Row = dict[str, Any]
_BODY_RULES = [
    (method, re.compile("^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), fields)
    for (method, path), fields in BODY_FIELDS.items()
]


def ok(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body)


async def json_body(request: Request, *, required: bool = True) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        if required:
            raise bad_request("A JSON request body is required.")
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request(
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)"
        ) from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    try:
        # JSON may escape lone surrogates ("\udc00"), which no UTF-8 store can hold.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request("The request body holds invalid Unicode (a lone surrogate).") from None
    _refuse_unknown_fields(request, body)
    return body


def _refuse_unknown_fields(request: Request, body: dict[str, Any]) -> None:
    """A field the spec's request schema does not name is a 400, as a strict API answers."""
    path = request.url.path
    for method, regex, fields in _BODY_RULES:
        if method == request.method and regex.match(path):
            unknown = sorted(set(body) - fields)
            if unknown:
                name = unknown[0][:80]
                raise bad_request(f"Unrecognized request argument supplied: {name}", name)
            return


# -- body fields ----------------------------------------------------------------------------------


def _type_error(name: str, expected: str, value: Any) -> ApiProblem:
    got = "null" if value is None else type(value).__name__
    return bad_request(f"Invalid type for '{name}': expected {expected}, but got {got}.", name)


def field_str(
    body: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    nullable: bool = True,
    non_empty: bool = False,
    max_len: int = MAX_NAME,
) -> str | None:
    if name not in body:
        if required:
            raise bad_request(f"Missing required parameter: '{name}'.", name)
        return None
    value = body[name]
    if value is None:
        if required or not nullable:
            raise _type_error(name, "a string", value)
        return None
    if not isinstance(value, str):
        raise _type_error(name, "a string", value)
    if non_empty and not value.strip():
        raise bad_request(f"'{name}' must not be empty.", name)
    if len(value) > max_len:
        raise bad_request(f"'{name}' is too long: at most {max_len} characters.", name)
    return value


def field_enum(
    body: dict[str, Any], name: str, choices: Sequence[str], *, required: bool = False
) -> str | None:
    value = field_str(body, name, required=required)
    if value is not None and value not in choices:
        allowed = ", ".join(f"'{c}'" for c in choices)
        raise bad_request(f"Invalid value for '{name}': expected one of {allowed}.", name)
    return value


def field_int(
    body: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    if name not in body or body[name] is None:
        if required:
            raise bad_request(f"Missing required parameter: '{name}'.", name)
        return None
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(name, "an integer", value)
    if abs(value) > MAX_INT:
        raise bad_request(f"'{name}' is out of range.", name)
    if minimum is not None and value < minimum:
        raise bad_request(f"'{name}' must be at least {minimum}.", name)
    if maximum is not None and value > maximum:
        raise bad_request(f"'{name}' must be at most {maximum}.", name)
    return value


def field_bool(body: dict[str, Any], name: str) -> bool | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise _type_error(name, "a boolean", value)
    return value


def field_str_list(body: dict[str, Any], name: str, *, required: bool = False) -> list[str] | None:
    if name not in body or body[name] is None:
        if required:
            raise bad_request(f"Missing required parameter: '{name}'.", name)
        return None
    value = body[name]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _type_error(name, "an array of strings", value)
    return value


def valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value)) and len(value) <= 320


# -- query parameters -----------------------------------------------------------------------------


def query_list(request: Request, name: str) -> list[str] | None:
    """`k[]=a&k[]=b`, `k=a&k=b` and `k=a,b` all mean ["a", "b"]; None when absent."""
    values = request.query_params.getlist(f"{name}[]") + request.query_params.getlist(name)
    if not values:
        return None
    out = [part.strip() for v in values for part in v.split(",")]
    return [v for v in out if v]


def query_int(
    request: Request,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(
            f"Invalid '{name}': expected an integer, got '{raw[:40]}'.", name
        ) from None
    if abs(value) > MAX_INT:
        raise bad_request(f"Invalid '{name}': {raw[:40]} is out of range.", name)
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise bad_request(
            f"Invalid '{name}': {value} is out of range [{minimum}, {maximum}].", name
        )
    return value


def query_bool(request: Request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise bad_request(f"Invalid '{name}': expected a boolean, got '{raw[:40]}'.", name)


def query_enum(
    request: Request, name: str, choices: Sequence[str], default: str | None
) -> str | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        raise bad_request(f"Invalid '{name}': expected one of {', '.join(choices)}.", name)
    return raw


def query_limit(request: Request, default: int = 20, maximum: int = 100, minimum: int = 1) -> int:
    value = query_int(request, "limit", default=default, minimum=minimum, maximum=maximum)
    assert value is not None
    return value


# -- style A paging -------------------------------------------------------------------------------


def page_rows(
    store: Store,
    table: str,
    where: str,
    params: Sequence[Any],
    *,
    limit: int,
    after: str | None,
    before: str | None = None,
    desc: bool = False,
    cursor_col: str = "id",
    cursor_where: str = "1=1",
    cursor_params: Sequence[Any] = (),
    select: str = "*",
    seq_col: str = "seq",
    cursor_table: str | None = None,
) -> tuple[list[Row], bool]:
    """Rows of `table` matching `where`, ordered by `seq`, one page after/before a cursor id.

    The cursor is looked up without the list filter so that a deleted or filtered-out row still
    marks a position."""
    clauses = [where]
    args = list(params)
    for cursor, name in ((after, "after"), (before, "before")):
        if cursor is None:
            continue
        seq = store.scalar(
            f"SELECT seq FROM {cursor_table or table} WHERE {cursor_col} = ? AND {cursor_where}",
            (cursor, *cursor_params),
        )
        if seq is None:
            raise bad_request(f"Invalid '{name}' cursor: no object with id '{cursor[:80]}'.", name)
        forward = name == "after"
        clauses.append(f"{seq_col} > ?" if forward != desc else f"{seq_col} < ?")
        args.append(seq)
    backwards = before is not None and after is None
    order = "DESC" if desc != backwards else "ASC"
    sql = (
        f"SELECT {select} FROM {table} WHERE {' AND '.join(clauses)} "
        f"ORDER BY {seq_col} {order} LIMIT ?"
    )
    rows = store.query(sql, (*args, limit + 1))
    has_more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    return rows, has_more


def list_body(
    items: list[dict[str, Any]],
    has_more: bool,
    id_of: Callable[[dict[str, Any]], str] | None = None,
) -> dict[str, Any]:
    get = id_of or (lambda o: o["id"])
    return {
        "object": "list",
        "data": items,
        "first_id": get(items[0]) if items else None,
        "last_id": get(items[-1]) if items else None,
        "has_more": has_more,
    }


# -- lookups every route module needs ------------------------------------------------------------


def sandbox_of(request: Request) -> Any:
    return request.app.state.sandbox


def require_project(store: Store, pid: str) -> Row:
    row = store.get_project(pid)
    if row is None:
        raise ApiProblem(
            404, f"No project found with id '{pid}'.", param="project_id", code="not_found"
        )
    return row


def require_active_project(store: Store, pid: str, what: str = "this operation") -> Row:
    """Archived projects 'cannot be used or updated': the spec's documented 400."""
    row = require_project(store, pid)
    if row["archived_at"] is not None:
        raise bad_request(
            f"Project '{pid}' is archived: {what} is not allowed on an archived project.",
            "project_id",
            "project_archived",
        )
    return row
