"""What one synthetic request carries: per-request quantities and the cost lines they bill.

Every field of a usage result (and every cost line) is an integer *per request* times the number
of requests, so sums over any bucketing agree exactly: the traffic engine only has to count
requests. A `Profile` is shared by all streams with the same (kind, model, variant, options),
which lets aggregation add request counts first and multiply once per group.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgtui.sandbox import prices as P

KINDS: tuple[str, ...] = (
    "completions",
    "embeddings",
    "moderations",
    "images",
    "audio_speeches",
    "audio_transcriptions",
    "vector_stores",
    "code_interpreter_sessions",
    "file_search_calls",
    "web_search_calls",
)

# Per-request quantities, in this order, for each kind (vector_stores is a gauge, not a count).
COMPLETION_FIELDS: tuple[str, ...] = (
    "num_model_requests",
    "input_text_tokens",
    "input_cached_text_tokens",
    "input_cache_write_tokens",
    "output_text_tokens",
    "input_audio_tokens",
    "input_cached_audio_tokens",
    "output_audio_tokens",
    "input_image_tokens",
    "input_cached_image_tokens",
    "output_image_tokens",
)
FIELDS: dict[str, tuple[str, ...]] = {
    "completions": COMPLETION_FIELDS,
    "embeddings": ("num_model_requests", "input_tokens"),
    "moderations": ("num_model_requests", "input_tokens"),
    "images": ("num_model_requests", "images"),
    "audio_speeches": ("num_model_requests", "characters"),
    "audio_transcriptions": ("num_model_requests", "seconds"),
    "code_interpreter_sessions": ("num_sessions",),
    "file_search_calls": ("num_requests",),
    "web_search_calls": ("num_model_requests", "num_requests"),
}


@dataclass(frozen=True)
class CostLine:
    name: str  # the `line_item`, e.g. "gpt-4o-mini, input"
    unit: str | None  # the `quantity_unit`
    quantity: int  # per request
    pico: int  # picodollars per request


@dataclass(frozen=True)
class Profile:
    pid: int
    kind: str
    model: str | None
    values: tuple[int, ...]  # aligned with FIELDS[kind]
    lines: tuple[CostLine, ...]
    results: tuple[int, ...]  # aligned with RESULT_FIELDS[kind]: the result's numeric fields
    pico: int  # all lines together, per request


# Completions request shapes: (uncached text in, cached text in, cache writes, text out).
_CHAT_VARIANTS: tuple[tuple[int, int, int, int], ...] = (
    (620, 240, 40, 330),  # chat
    (1150, 2480, 170, 240),  # retrieval-augmented, heavily cached
    (290, 0, 0, 14),  # classification
    (2900, 8600, 500, 880),  # agent loop
)
VARIANTS: dict[str, int] = {
    "completions": len(_CHAT_VARIANTS),
    "embeddings": 3,
    "moderations": 2,
    "images": 2,
    "audio_speeches": 3,
    "audio_transcriptions": 3,
    "code_interpreter_sessions": 1,
    "file_search_calls": 2,
    "web_search_calls": 2,
}

_registry: dict[tuple[object, ...], Profile] = {}
_by_id: list[Profile] = []
# `PROFILE_RESULTS[pid]` is `profile_by_id(pid).results`, for the aggregation's inner loop.
PROFILE_RESULTS: list[tuple[int, ...]] = []


def profile_by_id(pid: int) -> Profile:
    return _by_id[pid]


def get_profile(
    kind: str,
    model: str | None,
    variant: int,
    *,
    batch: bool = False,
    size: str | None = None,
) -> Profile:
    key = (kind, model, variant, batch, size)
    found = _registry.get(key)
    if found is None:
        values, lines = _build(kind, model, variant, batch, size)
        billed = tuple(ln for ln in lines if ln.pico)
        results = tuple(result_fields(kind, list(values)).values())
        found = Profile(
            len(_by_id), kind, model, values, billed, results, sum(ln.pico for ln in billed)
        )
        _registry[key] = found
        _by_id.append(found)
        PROFILE_RESULTS.append(found.results)
    return found


def _line(name: str, unit: str | None, quantity: int, pico_each: int) -> CostLine:
    return CostLine(name, unit, quantity, quantity * pico_each)


def _build(
    kind: str, model: str | None, variant: int, batch: bool, size: str | None
) -> tuple[tuple[int, ...], list[CostLine]]:
    if kind == "completions":
        return _completion(model or P.FALLBACK_MODEL, variant, batch)
    if kind in ("embeddings", "moderations"):
        tokens = (60, 450, 1800)[variant % 3] if kind == "embeddings" else (120, 900)[variant % 2]
        price = P.price_of(model or "")
        per = P.pico_per_token(price.input) if price.category == kind else 0
        return (1, tokens), [_line(f"{model}, input", "tokens", tokens, per)]
    if kind == "images":
        images = (1, 2)[variant % 2]
        price = P.price_of(model or "")
        size = size or P.DEFAULT_IMAGE_SIZE
        dollars = price.per_image.get(size, price.per_image.get(P.DEFAULT_IMAGE_SIZE, 0.04))
        per = P.pico_per_unit(dollars)
        return (1, images), [_line(f"{model}, images {size}", "images", images, per)]
    if kind == "audio_speeches":
        chars = (180, 900, 3200)[variant % 3]
        per = P.pico_per_character(P.price_of(model or "").per_1m_characters)
        return (1, chars), [_line(f"{model}, characters", "characters", chars, per)]
    if kind == "audio_transcriptions":
        seconds = (14, 75, 420)[variant % 3]
        per = P.pico_per_second(P.price_of(model or "").per_minute)
        return (1, seconds), [_line(f"{model}, audio", "duration_seconds", seconds, per)]
    if kind == "code_interpreter_sessions":
        per = P.pico_per_unit(P.CODE_INTERPRETER_PER_SESSION)
        return (1,), [_line("code interpreter sessions", None, 1, per)]
    if kind == "file_search_calls":
        calls = (1, 2)[variant % 2]
        per = P.pico_per_unit(P.FILE_SEARCH_PER_CALL)
        return (calls,), [_line("file search tool calls", None, calls, per)]
    if kind == "web_search_calls":
        calls = (1, 3)[variant % 2]
        per = P.pico_per_unit(P.WEB_SEARCH_PER_CALL)
        return (1, calls), [_line("web search tool calls", None, calls, per)]
    raise ValueError(f"no per-request profile for {kind}")


def _completion(model: str, variant: int, batch: bool) -> tuple[tuple[int, ...], list[CostLine]]:
    price = P.price_of(model)
    text_in, cached, writes, text_out = _CHAT_VARIANTS[variant % len(_CHAT_VARIANTS)]
    image_in = 255 * (variant % 2 + 1) if price.vision and variant != 2 else 0
    audio = price.audio_input > 0
    audio_in, audio_cached, audio_out = (410, 90, 620) if audio else (0, 0, 0)
    if batch:  # the Batch API has no prompt cache
        text_in, cached, writes = text_in + cached + writes, 0, 0
        audio_in, audio_cached, audio_out = 0, 0, 0
    values = (
        1,
        text_in,
        cached,
        writes,
        text_out,
        audio_in,
        audio_cached,
        audio_out,
        image_in,
        0,
        0,
    )
    p_in, p_cached, p_out = (
        P.pico_per_token(price.input),
        P.pico_per_token(price.cached_input),
        P.pico_per_token(price.output),
    )
    if batch:
        return values, [
            _line(f"{model}, batch input", "tokens", text_in + image_in, P.batch_price(p_in)),
            _line(f"{model}, batch output", "tokens", text_out, P.batch_price(p_out)),
        ]
    return values, [
        _line(f"{model}, input", "tokens", text_in + writes + image_in, p_in),
        _line(f"{model}, cached input", "tokens", cached, p_cached),
        _line(f"{model}, output", "tokens", text_out, p_out),
        _line(f"{model}, audio input", "tokens", audio_in, P.pico_per_token(price.audio_input)),
        _line(
            f"{model}, cached audio input",
            "tokens",
            audio_cached,
            P.pico_per_token(price.audio_cached_input),
        ),
        _line(f"{model}, audio output", "tokens", audio_out, P.pico_per_token(price.audio_output)),
    ]


def result_fields(kind: str, totals: list[int]) -> dict[str, int]:
    """The usage result's numeric fields from summed per-request quantities (all of them are
    linear in the quantities, so this is applied once per profile)."""
    names = FIELDS[kind]
    out = dict(zip(names, totals, strict=True))
    if kind == "completions":
        cached = out["input_cached_text_tokens"] + out["input_cached_audio_tokens"]
        cached += out["input_cached_image_tokens"]
        uncached = out["input_text_tokens"] + out["input_audio_tokens"] + out["input_image_tokens"]
        out["input_cached_tokens"] = cached
        out["input_uncached_tokens"] = uncached
        out["input_tokens"] = uncached + cached + out["input_cache_write_tokens"]
        out["output_tokens"] = (
            out["output_text_tokens"] + out["output_audio_tokens"] + out["output_image_tokens"]
        )
    return out


RESULT_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(result_fields(kind, [0] * len(names))) for kind, names in FIELDS.items()
}
