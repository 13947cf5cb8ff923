"""`GET /organization/usage/*` and `GET /organization/costs` (paging style C: `page`/`next_page`).

Buckets are aligned to their width in UTC (the first one holds `start_time`); the range ends at
`end_time` (exclusive) or now, whichever is earlier, so the last bucket may be the live one.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct
import zlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from orgtui.sandbox.errors import error_response
from orgtui.sandbox.usage_profiles import KINDS
from orgtui.sandbox.usage_query import COSTS, GROUP_FIELDS, Query, compute, render_data

WIDTHS = {"1m": 60, "1h": 3600, "1d": 86400}
# (default, max) number of buckets per page.
LIMITS = {"1m": (60, 1440), "1h": (24, 168), "1d": (7, 31)}
COST_LIMITS = (7, 180)
_MAX_TIME = 1 << 40

_COMMON = ("project_ids", "user_ids", "api_key_ids")
FILTER_PARAMS: dict[str, tuple[str, ...]] = {
    "completions": (*_COMMON, "models", "batch"),
    "embeddings": (*_COMMON, "models"),
    "moderations": (*_COMMON, "models"),
    "images": (*_COMMON, "models", "sources", "sizes"),
    "audio_speeches": (*_COMMON, "models"),
    "audio_transcriptions": (*_COMMON, "models"),
    "vector_stores": ("project_ids",),
    "code_interpreter_sessions": ("project_ids",),
    "file_search_calls": (*_COMMON, "vector_store_ids"),
    "web_search_calls": (*_COMMON, "models", "context_levels"),
    COSTS: ("project_ids", "api_key_ids"),
}
# query parameter -> stream attribute
FILTER_ATTR = {
    "project_ids": "project_id",
    "user_ids": "user_id",
    "api_key_ids": "api_key_id",
    "models": "model",
    "vector_store_ids": "vector_store_id",
    "context_levels": "context_level",
    "sources": "source",
    "sizes": "size",
    "batch": "batch",
}
ENUMS = {
    "context_levels": ("low", "medium", "high"),
    "sources": ("image.generation", "image.edit", "image.variation"),
    "sizes": ("256x256", "512x512", "1024x1024", "1792x1792", "1024x1792"),
}


class _Invalid(Exception):
    def __init__(self, message: str, param: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param


def _values(request: Request, name: str) -> list[str]:
    """`k[]=a&k[]=b`, `k=a&k=b` and `k=a,b` all mean [a, b]."""
    qp = request.query_params
    out: list[str] = []
    for raw in (*qp.getlist(name), *qp.getlist(name + "[]")):
        out.extend(part.strip() for part in raw.split(",") if part.strip())
    return list(dict.fromkeys(out))


def _int(request: Request, name: str, *, required: bool = False) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if required:
            raise _Invalid(f"Missing required parameter: '{name}'.", name)
        return None
    try:
        value = int(raw)
    except ValueError:
        raise _Invalid(f"Invalid '{name}': expected an integer, but got '{raw}'.", name) from None
    if not 0 <= value < _MAX_TIME and name != "limit":
        raise _Invalid(f"Invalid '{name}': {value} is out of range.", name)
    return value


def _tag(kind: str, width: int) -> int:
    return zlib.crc32(f"{kind}/{width}".encode())


def encode_page(kind: str, width: int, next_start: int) -> str:
    raw = struct.pack(">qI", next_start, _tag(kind, width))
    return "page_" + base64.urlsafe_b64encode(raw).decode()


def decode_page(kind: str, width: int, cursor: str) -> int:
    try:
        if not cursor.startswith("page_"):
            raise ValueError(cursor)
        next_start, tag = struct.unpack(">qI", base64.urlsafe_b64decode(cursor[5:]))
    except (ValueError, binascii.Error, struct.error):
        raise _Invalid("Invalid page cursor.", "page") from None
    if tag != _tag(kind, width) or next_start % width or not 0 <= next_start < _MAX_TIME:
        raise _Invalid("Invalid page cursor for this query.", "page")
    return int(next_start)


def _filters(request: Request, kind: str) -> dict[str, set[Any]]:
    filters: dict[str, set[Any]] = {}
    for name in FILTER_PARAMS[kind]:
        if name == "batch":
            raw = request.query_params.get("batch")
            if raw is None or raw == "":
                continue
            if raw.lower() not in ("true", "false"):
                raise _Invalid(f"Invalid 'batch': expected a boolean, but got '{raw}'.", "batch")
            filters["batch"] = {raw.lower() == "true"}
            continue
        values = _values(request, name)
        if not values:
            continue
        allowed = ENUMS.get(name)
        for v in values:
            if allowed is not None and v not in allowed:
                raise _Invalid(
                    f"Invalid value '{v}' for '{name}': expected one of {', '.join(allowed)}.",
                    name,
                )
        filters[FILTER_ATTR[name]] = set(values)
    return filters


def parse_query(request: Request, kind: str, now: float) -> tuple[Query, int, int]:
    """The page's `Query`, the total number of buckets in range, and the page's first index."""
    start = _int(request, "start_time", required=True)
    assert start is not None
    end = _int(request, "end_time")
    if end is not None and end <= start:
        raise _Invalid("'end_time' must be greater than 'start_time'.", "end_time")
    width_name = request.query_params.get("bucket_width") or "1d"
    allowed_widths = ("1d",) if kind == COSTS else tuple(WIDTHS)
    if width_name not in allowed_widths:
        raise _Invalid(
            f"Invalid 'bucket_width': '{width_name}'. Supported values are: "
            + ", ".join(allowed_widths)
            + ".",
            "bucket_width",
        )
    width = WIDTHS[width_name]
    default_limit, max_limit = COST_LIMITS if kind == COSTS else LIMITS[width_name]
    limit = _int(request, "limit")
    if limit is None:
        limit = default_limit
    if not 1 <= limit <= max_limit:
        raise _Invalid(f"Invalid 'limit': must be between 1 and {max_limit}.", "limit")
    group_by = _values(request, "group_by")
    for g in group_by:
        if g not in GROUP_FIELDS[kind]:
            raise _Invalid(
                f"Invalid 'group_by' value '{g}': supported are "
                + ", ".join(GROUP_FIELDS[kind])
                + ".",
                "group_by",
            )
    filters = _filters(request, kind)
    first = start - start % width
    stop = min(end if end is not None else math.inf, now)
    total = max(0, math.ceil((stop - first) / width)) if stop > first else 0
    offset = 0
    cursor = request.query_params.get("page")
    if cursor:
        next_start = decode_page(kind, width, cursor)
        if next_start < first:
            raise _Invalid("Invalid page cursor for this query.", "page")
        offset = (next_start - first) // width
    n = max(0, min(limit, total - offset))
    query = Query(kind, first + offset * width, width, n, now, filters, tuple(group_by))
    return query, total, offset


def _handler(sandbox: Any, kind: str) -> Any:
    async def endpoint(request: Request) -> Response:
        now = float(sandbox.clock())
        try:
            query, total, offset = parse_query(request, kind, now)
        except _Invalid as bad:
            return error_response(400, bad.message, "invalid_request_error", bad.param)
        data = render_data(query, compute(sandbox.traffic, query)) if query.n else "[]"
        has_more = offset + query.n < total
        next_start = query.first + query.n * query.width
        next_page = encode_page(kind, query.width, next_start) if has_more else None
        body = (
            f'{{"object":"page","data":{data},"has_more":{"true" if has_more else "false"},'
            f'"next_page":{json.dumps(next_page)}}}'
        )
        return Response(body.encode(), media_type="application/json")

    endpoint.__name__ = f"usage_{kind}"
    return endpoint


def usage_routes(sandbox: Any) -> list[Route]:
    """Routes for the ten usage endpoints and costs, to be mounted under `/v1`."""
    routes = [
        Route(f"/organization/usage/{kind}", _handler(sandbox, kind), methods=["GET"])
        for kind in KINDS
    ]
    routes.append(Route("/organization/costs", _handler(sandbox, COSTS), methods=["GET"]))
    return routes
