"""The kinds of usage the incident view compares, each with its unit and how to read it.

Every usage endpoint's results carry different numbers: completions count requests and tokens,
images count images, speech counts characters, transcription seconds, vector stores a stored
size (a gauge, billed in GB-days), code interpreter sessions. `KindSpec` says, per kind, which
field is the kind's measure, which field counts the events behind it (for telling a real rise
from noise), what it can be grouped by and what its unit is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["KINDS", "KIND_BY_NAME", "KindSpec", "number", "rate_text"]

GB = 1_000_000_000


@dataclass(frozen=True, slots=True)
class KindSpec:
    kind: str  # the endpoint, /organization/usage/{kind}
    label: str
    unit: str  # what `measure` counts
    measure: tuple[str, ...]  # result fields summed into the measure
    events: str | None  # result field counting requests/sessions (the noise guard)
    group_by: tuple[str, ...]
    tokens: bool = False  # also report input + output tokens
    gauge: bool = False  # a level (bytes stored), not a count per bucket
    scale: float = 1.0  # measure units per raw unit (per bucket for a gauge)

    def value(self, result: Any) -> float:
        total = 0.0
        for name in self.measure:
            total += getattr(result, name, None) or 0
        return total * self.scale

    def event_count(self, result: Any) -> float:
        if self.events is None:
            return 0.0
        return float(getattr(result, self.events, None) or 0)

    def token_count(self, result: Any) -> float:
        if not self.tokens:
            return 0.0
        return float((result.input_tokens or 0) + (result.output_tokens or 0))


_BY_KEY = ("project_id", "api_key_id")
_BY_PROJECT = ("project_id",)

KINDS: tuple[KindSpec, ...] = (
    KindSpec(
        "completions",
        "Completions",
        "requests",
        ("num_model_requests",),
        "num_model_requests",
        _BY_KEY,
        tokens=True,
    ),
    KindSpec(
        "embeddings",
        "Embeddings",
        "requests",
        ("num_model_requests",),
        "num_model_requests",
        _BY_KEY,
        tokens=True,
    ),
    KindSpec(
        "moderations",
        "Moderations",
        "requests",
        ("num_model_requests",),
        "num_model_requests",
        _BY_KEY,
        tokens=True,
    ),
    KindSpec("images", "Images", "images", ("images",), "num_model_requests", _BY_KEY),
    KindSpec(
        "audio_speeches",
        "Audio speeches",
        "characters",
        ("characters",),
        "num_model_requests",
        _BY_KEY,
    ),
    KindSpec(
        "audio_transcriptions",
        "Audio transcriptions",
        "seconds",
        ("seconds",),
        "num_model_requests",
        _BY_KEY,
    ),
    KindSpec(
        "vector_stores",
        "Vector stores",
        "GB-days",
        ("usage_bytes",),
        None,
        _BY_PROJECT,
        gauge=True,
        scale=1 / GB / 24,  # bytes stored -> GB-days accrued per hour
    ),
    KindSpec(
        "code_interpreter_sessions",
        "Code interpreter",
        "sessions",
        ("num_sessions",),
        "num_sessions",
        _BY_PROJECT,
    ),
)

KIND_BY_NAME = {spec.kind: spec for spec in KINDS}


def number(value: float | None) -> str:
    """A rate as the incident panel, the spend screen and `spend --once` print it."""
    if value is None:
        return "-"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"


def rate_text(value: float | None, unit: str) -> str:
    """`1,864 requests`, `0.56 GB-days`: a rate per hour in its kind's unit."""
    return "-" if value is None else f"{number(value)} {unit}"
