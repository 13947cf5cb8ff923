"""Aggregation of stream counts into the Usage and Costs APIs' buckets and results.

Two stages: `compute` sums request counts into rows per bucket (group key -> integer totals),
then `render_data` writes the `data` array as JSON text from per-kind templates. A 10,000-key
organisation grouped by key yields ~10^5 results per page, where building dicts and running
`json.dumps` would cost more than the counting itself. `run` parses that same text back for
callers (and tests) that want Python objects, so there is one rendering path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from orgtui.sandbox.prices import usd
from orgtui.sandbox.traffic import DAY, TrafficModel, bucket_counts
from orgtui.sandbox.usage_profiles import PROFILE_RESULTS, RESULT_FIELDS, profile_by_id
from orgtui.sandbox.usage_streams import Stream, stable_hash

COSTS = "costs"

# The group keys each result carries (explicit null when not grouped by them).
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "completions": ("project_id", "user_id", "api_key_id", "model", "batch", "service_tier"),
    "embeddings": ("project_id", "user_id", "api_key_id", "model"),
    "moderations": ("project_id", "user_id", "api_key_id", "model"),
    "images": ("project_id", "user_id", "api_key_id", "model", "size", "source"),
    "audio_speeches": ("project_id", "user_id", "api_key_id", "model"),
    "audio_transcriptions": ("project_id", "user_id", "api_key_id", "model"),
    "vector_stores": ("project_id",),
    "code_interpreter_sessions": ("project_id",),
    "file_search_calls": ("project_id", "user_id", "api_key_id", "vector_store_id"),
    "web_search_calls": ("project_id", "user_id", "api_key_id", "model", "context_level"),
    COSTS: ("project_id", "line_item", "api_key_id"),
}

RESULT_OBJECT: dict[str, str] = {
    "file_search_calls": "organization.usage.file_searches.result",
    "web_search_calls": "organization.usage.web_searches.result",
    COSTS: "organization.costs.result",
}

Row = tuple[tuple[Any, ...], Any]  # (group key values, numeric values)


def result_object(kind: str) -> str:
    return RESULT_OBJECT.get(kind, f"organization.usage.{kind}.result")


@dataclass
class Query:
    kind: str  # a usage kind or "costs"
    first: int  # start of the first bucket (aligned to width)
    width: int  # seconds
    n: int  # number of buckets
    now: float
    filters: dict[str, set[Any]] = field(default_factory=dict)  # stream attribute -> allowed
    group_by: tuple[str, ...] = ()


def _selected(streams: Iterable[Stream], filters: dict[str, set[Any]]) -> list[Stream]:
    out = list(streams)
    for attr, allowed in filters.items():
        out = [s for s in out if getattr(s, attr) in allowed]
    return out


def _count(streams: list[Stream], q: Query, group: tuple[str, ...]) -> list[dict[Any, int]]:
    """Per bucket: requests per (group key, profile id).

    Dicts keep insertion order and streams come in key-creation order, so results are listed
    in a stable order without sorting."""
    acc: list[dict[Any, int]] = [{} for _ in range(q.n)]
    for s in streams:
        counts = bucket_counts(s, q.first, q.width, q.n, q.now)
        key = (tuple(getattr(s, a) if a in q.group_by else None for a in group), s.profile.pid)
        for j, c in enumerate(counts):
            if c:
                d = acc[j]
                d[key] = d.get(key, 0) + c
    return acc


def _usage_rows(acc: dict[Any, int]) -> list[Row]:
    groups: dict[tuple[Any, ...], list[int]] = {}
    results = PROFILE_RESULTS
    for (gk, pid), c in acc.items():
        vals = results[pid]
        tot = groups.get(gk)
        if tot is None:
            groups[gk] = [c * v for v in vals]
        else:
            groups[gk] = [a + c * v for a, v in zip(tot, vals, strict=False)]
    return list(groups.items())


def _cost_rows(acc: dict[Any, int], group_by: tuple[str, ...]) -> list[Row]:
    """Rows keyed (project_id, line_item, api_key_id), valued (picodollars, quantity, unit)."""
    by_line = "line_item" in group_by
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for (gk, pid), c in acc.items():
        prof = profile_by_id(pid)
        if not by_line:
            g = groups.get(gk)
            if g is None:
                groups[gk] = [c * prof.pico, None, None]
            else:
                g[0] += c * prof.pico
            continue
        for line in prof.lines:
            k = (gk[0], line.name, gk[2])
            g = groups.get(k)
            if g is None:
                g = groups[k] = [0, 0, line.unit]
            g[0] += c * line.pico
            g[1] += c * line.quantity
    return [(k, tuple(v)) for k, v in groups.items() if v[0]]


def _vector_store_rows(streams: list[Stream], q: Query) -> list[list[Row]]:
    """Storage is a gauge: the bytes each project holds at the end of the bucket (or now)."""
    first_seen: dict[str, float] = {}
    for s in streams:
        first_seen[s.project_id] = min(s.lo, first_seen.get(s.project_id, s.lo))
    grouped = "project_id" in q.group_by
    buckets: list[list[Row]] = []
    for j in range(q.n):
        b0 = q.first + j * q.width
        seen = min(b0 + q.width, q.now) - 1
        sizes: dict[str | None, int] = {}
        for pid, since in sorted(first_seen.items()):
            if seen < since or seen < b0:
                continue
            day = int(seen // DAY)
            base = (1 + stable_hash("vs-bytes", pid) % 900) * 1_048_576
            value = base + base * (day - int(since // DAY)) // 80
            value += stable_hash("vs", pid, day) % 65536
            k = pid if grouped else None
            sizes[k] = sizes.get(k, 0) + value
        buckets.append([((k,), (v,)) for k, v in sizes.items()])
    return buckets


def compute(model: TrafficModel, q: Query) -> list[list[Row]]:
    """Rows of each bucket of the page."""
    streams = model.streams()
    if q.kind == COSTS:
        pool = [s for kind, group in streams.items() if kind != "vector_stores" for s in group]
        chosen = [s for s in _selected(pool, q.filters) if s.profile.pico]
        # The line item comes from each profile's cost lines, not from the stream.
        acc = _count(chosen, q, ("project_id", "<line_item>", "api_key_id"))
        return [_cost_rows(a, q.group_by) for a in acc]
    if q.kind == "vector_stores":
        return _vector_store_rows(_selected(streams.get("file_search_calls", []), q.filters), q)
    chosen = _selected(streams.get(q.kind, []), q.filters)
    return [_usage_rows(a) for a in _count(chosen, q, GROUP_FIELDS[q.kind])]


# -- rendering -------------------------------------------------------------------------------------


def _encoder() -> Any:
    cache: dict[Any, str] = {}

    def enc(value: Any) -> str:
        key = (type(value), value)  # True == 1, but they render differently
        found = cache.get(key)
        if found is None:
            found = cache[key] = json.dumps(value)
        return found

    return enc


def _usage_renderer(kind: str) -> Any:
    """Row -> JSON object text; the group-key tail is rendered once per distinct key."""
    numbers = ("usage_bytes",) if kind == "vector_stores" else RESULT_FIELDS[kind]
    head = "{" + f'"object":"{result_object(kind)}",'
    head += ",".join(f'"{name}":%s' for name in numbers)  # ints only; %s is faster
    names = GROUP_FIELDS[kind]
    tails: dict[tuple[Any, ...], str] = {}
    enc = _encoder()

    def render(row: Row) -> str:
        gk, values = row
        tail = tails.get(gk)
        if tail is None:
            pairs = ",".join(f'"{n}":{enc(v)}' for n, v in zip(names, gk, strict=True))
            tail = tails[gk] = "," + pairs + "}"
        return head % tuple(values) + tail

    return render


def _render_costs(rows: list[Row], enc: Any) -> str:
    out = []
    for (project_id, line_item, api_key_id), (pico, quantity, unit) in rows:
        qty = "null" if quantity is None else str(quantity)
        out.append(
            f'{{"object":"organization.costs.result","amount":{{"value":{usd(pico)!r},'
            f'"currency":"usd"}},"line_item":{enc(line_item)},"project_id":{enc(project_id)},'
            f'"api_key_id":{enc(api_key_id)},"quantity":{qty},"quantity_unit":{enc(unit)}}}'
        )
    return ",".join(out)


def render_data(q: Query, buckets: list[list[Row]]) -> str:
    """The JSON text of the page's `data` array."""
    enc = _encoder()
    render = _usage_renderer(q.kind) if q.kind != COSTS else None
    parts = []
    for j, rows in enumerate(buckets):
        start = q.first + j * q.width
        results = _render_costs(rows, enc) if render is None else ",".join(map(render, rows))
        parts.append(
            f'{{"object":"bucket","start_time":{start},"end_time":{start + q.width},'
            f'"results":[{results}]}}'
        )
    return "[" + ",".join(parts) + "]"


def run(model: TrafficModel, q: Query) -> list[dict[str, Any]]:
    """The page's buckets as Python objects (parsed from the one JSON rendering)."""
    data: list[dict[str, Any]] = json.loads(render_data(q, compute(model, q)))
    return data
