"""The usage graph's kinds: one kind of usage at a time, every kind stacked, or cost.

Pure (no textual, no I/O). Each kind is measured in its own unit (`incident_kinds.KINDS`):
requests and tokens, images, characters, seconds, GB-days, sessions. "All kinds, stacked"
stacks what every kind has in common, its events (requests; sessions for code interpreter):
vector stores have none (a stored size, not a count), so they are named in the legend with
their GB-days but not stacked. Only the kinds on screen are fetched: one request for one kind,
one per kind (each its own endpoint) when stacked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from orgtui.core.incident_kinds import GB, KIND_BY_NAME, KINDS, KindSpec

__all__ = [
    "ALL",
    "GRAPH_KINDS",
    "KIND_NAMES",
    "STACKED",
    "cumulative",
    "groups_of",
    "kind_name",
    "measure_of",
    "spec_of",
    "stack",
]

ALL = "all"
GRAPH_KINDS: tuple[str, ...] = (*(spec.kind for spec in KINDS), ALL)
KIND_NAMES: Mapping[str, str] = {
    "completions": "completions",
    "embeddings": "embeddings",
    "moderations": "moderations",
    "images": "images",
    "audio_speeches": "speech",
    "audio_transcriptions": "transcription",
    "vector_stores": "vector stores",
    "code_interpreter_sessions": "code interpreter",
    ALL: "all kinds, stacked",
}
# The kinds stacked in "all" (those that count events), in KINDS order.
STACKED: tuple[str, ...] = tuple(spec.kind for spec in KINDS if spec.events is not None)
_DAY = 86_400


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind.replace("_", " "))


def spec_of(kind: str) -> KindSpec:
    return KIND_BY_NAME[kind]


def groups_of(kind: str) -> tuple[str, ...]:
    """The groupings a kind's endpoint offers (vector stores and code interpreter sessions
    have neither key nor model)."""
    if kind == ALL:
        return ("none",)
    if kind in ("vector_stores", "code_interpreter_sessions"):
        return ("none", "project")
    return ("none", "project", "key", "model")


def measure_of(kind: str, result: Any, bucket_seconds: int) -> float:
    """One result in the kind's own unit; a vector store's bytes become the GB-days the
    bucket accrued."""
    spec = KIND_BY_NAME.get(kind)
    if spec is None:
        return 0.0
    if spec.gauge:
        return float(getattr(result, "usage_bytes", None) or 0) / GB * bucket_seconds / _DAY
    return sum(float(getattr(result, name, None) or 0) for name in spec.measure)


def stack(per_kind: Mapping[str, Any], query: Any) -> Any:
    """One GraphData of every kind (one series each, named by the kind): `requests` the kind's
    events, `measure` its own unit. Kinds that could not be read are left out."""
    from orgtui.core.usage_series import GraphData, Series

    starts = tuple(query.starts())
    n = len(starts)
    series: list[Series] = []
    newest: int | None = None
    for spec in KINDS:
        data = per_kind.get(spec.kind)
        if data is None:
            continue
        one = data.series[0]
        series.append(
            Series(
                spec.kind,
                kind_name(spec.kind),
                _fit(one.requests, n),
                _fit(one.tokens, n),
                _fit(one.cost, n),
                _fit(one.measure, n),
            )
        )
        if data.newest is not None:
            newest = max(newest or 0, data.newest)
    return GraphData(query, starts, tuple(series), newest)


def _fit(values: Sequence[float], n: int) -> tuple[float, ...]:
    return tuple(values[:n]) + (0.0,) * max(0, n - len(values))


def cumulative(columns: Sequence[Sequence[float]]) -> list[list[float]]:
    """Running sums across series, bucket by bucket: the top edge of each stacked band."""
    out: list[list[float]] = []
    running: list[float] = []
    for values in columns:
        running = [
            math.fsum(pair) for pair in zip(running or [0.0] * len(values), values, strict=True)
        ]
        out.append(running)
    return out
