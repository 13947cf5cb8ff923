"""Per-model organisation rate limits: every project starts at these and may only lower them."""

from __future__ import annotations

from typing import Any

# model -> org-level caps; optional fields appear only for the models they concern.
MODEL_RATE_LIMITS: dict[str, dict[str, int]] = {
    "gpt-4o": {
        "max_requests_per_1_minute": 10_000,
        "max_tokens_per_1_minute": 30_000_000,
        "batch_1_day_max_input_tokens": 5_000_000_000,
    },
    "gpt-4o-mini": {
        "max_requests_per_1_minute": 30_000,
        "max_tokens_per_1_minute": 150_000_000,
        "batch_1_day_max_input_tokens": 15_000_000_000,
    },
    "o3": {
        "max_requests_per_1_minute": 10_000,
        "max_tokens_per_1_minute": 30_000_000,
        "batch_1_day_max_input_tokens": 5_000_000_000,
    },
    "o4-mini": {
        "max_requests_per_1_minute": 30_000,
        "max_tokens_per_1_minute": 150_000_000,
    },
    "text-embedding-3-small": {
        "max_requests_per_1_minute": 10_000,
        "max_tokens_per_1_minute": 10_000_000,
        "max_requests_per_1_day": 14_400_000,
    },
    "gpt-image-1": {
        "max_requests_per_1_minute": 500,
        "max_tokens_per_1_minute": 1_000_000,
        "max_images_per_1_minute": 250,
    },
    "whisper-1": {
        "max_requests_per_1_minute": 500,
        "max_tokens_per_1_minute": 100_000,
        "max_audio_megabytes_per_1_minute": 450,
    },
}


def rate_limit_id(model: str) -> str:
    return f"rl-{model}"


def rate_limit_rows(project_id: str) -> list[tuple[Any, ...]]:
    """Rows for `INSERT INTO rate_limits` (project_id, id, model, six limit columns)."""
    rows = []
    for model, caps in MODEL_RATE_LIMITS.items():
        rows.append(
            (
                project_id,
                rate_limit_id(model),
                model,
                caps["max_requests_per_1_minute"],
                caps["max_tokens_per_1_minute"],
                caps.get("max_images_per_1_minute"),
                caps.get("max_audio_megabytes_per_1_minute"),
                caps.get("max_requests_per_1_day"),
                caps.get("batch_1_day_max_input_tokens"),
            )
        )
    return rows


RATE_LIMIT_INSERT = (
    "INSERT INTO rate_limits (project_id, id, model, max_requests_per_1_minute,"
    " max_tokens_per_1_minute, max_images_per_1_minute, max_audio_megabytes_per_1_minute,"
    " max_requests_per_1_day, batch_1_day_max_input_tokens) VALUES (?,?,?,?,?,?,?,?,?)"
)
