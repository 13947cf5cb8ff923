"""The stacked usage graph's fetch: every kind of usage, ungrouped, one request per kind.

Each kind is its own endpoint, so the per-endpoint request budget holds one poll's worth of
each. Kinds that cannot be filtered by key (vector stores, code interpreter sessions) are asked
for the key's project instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from orgtui.core.usage_kinds import STACKED, kind_name
from orgtui.core.usage_series import GraphData, GraphQuery, shape

__all__ = ["STACK_KINDS", "fetch_stacked"]

STACK_KINDS: tuple[str, ...] = (*STACKED, "vector_stores")


async def fetch_stacked(client: Any, query: GraphQuery) -> tuple[dict[str, GraphData], list[str]]:
    """(shaped data per kind read, names of the kinds that could not be read)."""
    from orgtui.api.errors import ApiError

    async def one(kind: str) -> GraphData:
        single = replace(query, usage_kind=kind, group="none", group_field=None)
        if kind in ("vector_stores", "code_interpreter_sessions"):
            single = replace(single, api_key_ids=())
        pages = client.iter_usage(kind, single.start, **single.client_kwargs())
        return shape(single, [bucket async for bucket in pages])

    found = await asyncio.gather(*(one(kind) for kind in STACK_KINDS), return_exceptions=True)
    per_kind: dict[str, GraphData] = {}
    failed: list[str] = []
    for kind, outcome in zip(STACK_KINDS, found, strict=True):
        if isinstance(outcome, ApiError):
            failed.append(kind_name(kind))
        elif isinstance(outcome, BaseException):
            raise outcome
        else:
            per_kind[kind] = outcome
    return per_kind, failed
