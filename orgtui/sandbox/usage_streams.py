"""Streams: one per (API key, endpoint, model, options) that produces synthetic requests.

A key's `models` decide its main streams (chat models -> completions, embedding models ->
embeddings, ...). A few extra streams are derived from a hash of the key so that every usage
endpoint has something to show: tool calls, moderations, a trickle of images.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from typing import Any

from orgtui.sandbox import prices as P
from orgtui.sandbox.usage_profiles import VARIANTS, Profile, get_profile

INF = math.inf

# Requests per day at weight 1.0, before the weekly rhythm (calibrated so that the demo org
# spends a few thousand dollars a month, near the demo's hard limits).
DAILY_RATE: dict[str, float] = {
    "completions": 350.0,
    "embeddings": 220.0,
    "moderations": 130.0,
    "images": 2.0,
    "audio_speeches": 12.0,
    "audio_transcriptions": 7.0,
    "code_interpreter_sessions": 4.0,
    "file_search_calls": 35.0,
    "web_search_calls": 25.0,
}

# Share of keys that get a derived stream, and its share of the key's chat traffic.
_DERIVED = (
    ("web_search_calls", 0.30),
    ("file_search_calls", 0.30),
    ("code_interpreter_sessions", 0.18),
    ("moderations", 0.35),
    ("images", 0.12),
    ("audio_speeches", 0.12),
)
_TIERS = ("default",) * 17 + ("flex", "flex", "priority")
_SIZES = ("1024x1024", "1024x1024", "1024x1792", "1792x1792", "512x512", "256x256")
_SOURCES = ("image.generation", "image.generation", "image.edit", "image.variation")
_LEVELS = ("medium", "medium", "low", "high")
# Hours by which a project's working day is shifted from the default (Americas + Europe).
_TZ_OFFSETS = (0, 0, 0, 0, -6, 7, 3)


def stable_hash(*parts: object) -> int:
    """64-bit hash that is the same in every process (unlike `hash()` of a str)."""
    data = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def unit(*parts: object) -> float:
    return stable_hash(*parts) / 2**64


@dataclass(frozen=True, slots=True)
class Stream:
    sid: int  # seeds all of its randomness
    kind: str
    project_id: str
    api_key_id: str
    user_id: str | None
    model: str | None
    lo: float  # traffic exists in [lo, hi)
    hi: float
    unit_rate: float  # requests/day per unit of key weight
    mean: float  # requests/day (weekday, before noise)
    offset: int  # hours the daily rhythm is shifted by
    profile: Profile
    batch: bool | None = None
    service_tier: str | None = None
    size: str | None = None
    source: str | None = None
    context_level: str | None = None
    vector_store_id: str | None = None
    flat: bool = False  # incident traffic ignores the weekly rhythm


def key_window(src: dict[str, Any]) -> tuple[float, float]:
    lo = float(src["created_at"])
    hi = INF
    for name in ("deleted_at", "active_until"):
        value = src.get(name)
        if value is not None:
            hi = min(hi, float(value))
    return lo, hi


def key_streams(seed: int, src: dict[str, Any]) -> list[Stream]:
    """All streams of one API key (the `sources()` dict of the traffic model's interface)."""
    kid = str(src["api_key_id"])
    pid = str(src["project_id"])
    weight = max(0.0, float(src.get("weight") or 0.0))
    lo, hi = key_window(src)
    offset = _TZ_OFFSETS[stable_hash(seed, "tz", pid) % len(_TZ_OFFSETS)]
    base: dict[str, Any] = {
        "project_id": pid,
        "api_key_id": kid,
        "user_id": src.get("user_id"),
        "lo": lo,
        "hi": hi,
        "offset": offset,
    }
    out: list[Stream] = []

    def add(kind: str, model: str | None, share: float, tag: str = "", **attrs: Any) -> None:
        sid = stable_hash(seed, kid, kind, model, tag)
        variant = sid % VARIANTS[kind]
        prof = get_profile(
            kind, model, variant, batch=bool(attrs.get("batch")), size=attrs.get("size")
        )
        rate = DAILY_RATE[kind] * share * (0.6 + 0.8 * unit(sid, "rate"))
        out.append(
            Stream(
                sid=sid,
                kind=kind,
                model=model,
                unit_rate=rate,
                mean=rate * weight,
                profile=prof,
                **base,
                **attrs,
            )
        )

    models = list(dict.fromkeys(str(m) for m in (src.get("models") or [])))
    chat = [m for m in models if P.category_of(m) == P.COMPLETIONS]
    listed = {P.category_of(m) for m in models}
    for rank, model in enumerate(chat):
        share = 1.0 / (rank + 1)
        tier = _TIERS[stable_hash(seed, kid, model, "tier") % len(_TIERS)]
        add("completions", model, share, batch=False, service_tier=tier)
        if unit(seed, kid, model, "batch") < 0.2:
            add("completions", model, share * 0.5, "batch", batch=True, service_tier="default")
    for model in models:
        cat = P.category_of(model)
        if cat == P.IMAGES:
            add("images", model, 1.0, **_image_attrs(seed, kid, model))
        elif cat != P.COMPLETIONS:
            add(cat, model, 1.0)
    if not chat:
        return out
    lead = chat[0]
    for kind, chance in _DERIVED:
        if unit(seed, kid, kind, "derived") >= chance:
            continue
        if kind == "web_search_calls":
            level = _LEVELS[stable_hash(seed, kid, "level") % len(_LEVELS)]
            add(kind, lead, 1.0, context_level=level)
        elif kind == "file_search_calls":
            vs = f"vs_sandbox{stable_hash(seed, pid, kid, 'vs') % 3}{pid[-6:]}"
            add(kind, None, 1.0, vector_store_id=vs)
        elif kind == "code_interpreter_sessions":
            add(kind, None, 1.0)
        elif kind == "moderations" and P.MODERATIONS not in listed:
            add(kind, "omni-moderation-latest", 1.0)
        elif kind == "images" and P.IMAGES not in listed:
            add(kind, "gpt-image-1", 1.0, **_image_attrs(seed, kid, "gpt-image-1"))
        elif kind == "audio_speeches" and P.AUDIO_SPEECHES not in listed:
            add(kind, "tts-1", 1.0)
    return out


def _image_attrs(seed: int, kid: str, model: str) -> dict[str, str]:
    sizes = [s for s in _SIZES if s in P.price_of(model).per_image] or [P.DEFAULT_IMAGE_SIZE]
    return {
        "size": sizes[stable_hash(seed, kid, model, "size") % len(sizes)],
        "source": _SOURCES[stable_hash(seed, kid, model, "source") % len(_SOURCES)],
    }


def incident_stream(s: Stream, index: int, factor: float, start: float, end: float) -> Stream:
    """Extra traffic of an incident: (factor - 1) times the key's usual rate, around the clock.

    A leaked or runaway key does not keep office hours, and a never-used key (weight 0) still
    shows the spike, so the rate assumes a weight of at least 1.
    """
    weight = max(1.0, s.mean / s.unit_rate if s.unit_rate else 0.0)
    return replace(
        s,
        sid=stable_hash(s.sid, "incident", index),
        mean=(factor - 1.0) * s.unit_rate * weight,
        lo=max(s.lo, start),
        hi=min(s.hi, end),
        flat=True,
    )
