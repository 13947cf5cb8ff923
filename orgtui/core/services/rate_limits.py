"""Editing a project's per-model rate limits (`POST .../rate_limits/{rate_limit_id}`).

Only the fields the limit already has can be changed (the API answers which apply to a model by
returning them); values are whole numbers from 0. The API refuses values above the
organisation's own limit for the model, and that refusal reaches the user as its message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from orgtui.api.client_projects import RATE_LIMIT_FIELDS
from orgtui.core.services._common import (
    display,
    mutation,
    project_of,
    refuse_if_archived,
    update_project_list,
    upsert,
)
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.results import Done

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["FIELD_LABELS", "MAX_RATE", "update_rate_limit", "validate_rate"]

MAX_RATE = 2**53 - 1
# Field -> what the form calls it, in the order the Rate limits tab shows the columns.
FIELD_LABELS: dict[str, str] = {
    "max_requests_per_1_minute": "Requests per minute",
    "max_tokens_per_1_minute": "Tokens per minute",
    "max_requests_per_1_day": "Requests per day",
    "max_images_per_1_minute": "Images per minute",
    "max_audio_megabytes_per_1_minute": "Audio MB per minute",
    "batch_1_day_max_input_tokens": "Batch input tokens per day",
}


def validate_rate(text: str) -> tuple[int | None, str | None]:
    """A typed limit: digits, optional thousands separators ("30,000" and "30_000")."""
    raw = text.strip().replace(",", "").replace("_", "")
    if not raw:
        return None, "Enter a whole number"
    if not raw.isdigit() or not raw.isascii():
        return None, f"“{text.strip()[:20]}” is not a whole number of 0 or more"
    value = int(raw)
    if value > MAX_RATE:
        return None, "That number is too large"
    return value, None


def _values(values: Mapping[str, Any], current: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, value in values.items():
        if name not in RATE_LIMIT_FIELDS:
            raise InvalidInput(f"{name} is not a rate limit field")
        if current is not None and getattr(current, name, None) is None:
            raise InvalidInput(f"{FIELD_LABELS[name]} does not apply to this model")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RATE:
            raise InvalidInput(f"{FIELD_LABELS[name]} must be a whole number of 0 or more")
        if current is None or getattr(current, name) != value:
            out[name] = value
    return out


@mutation("rate_limit.edit")
async def update_rate_limit(
    session: Session, *, project_id: str, rate_limit_id: str, values: Mapping[str, Any]
) -> Done:
    """Change some limits of one model's rate limit; unchanged values are not sent."""
    project = await project_of(session, project_id)
    refuse_if_archived(project, "changing its rate limits")
    view = session.snapshot.project(project_id)
    limits = (view.get("rate_limits") or []) if view else []
    current = next((rl for rl in limits if rl.id == rate_limit_id), None)
    changes = _values(values, current)
    model = display(current.model if current else rate_limit_id)
    if not changes:
        return Done(f"Rate limits of {model} unchanged", outcome="unchanged", obj=current)
    limit = await session.client.update_rate_limit(project_id, rate_limit_id, **changes)
    update_project_list(
        session, project_id, "rate_limits", "rate_limits", lambda items: upsert(items, limit)
    )
    what = ", ".join(f"{FIELD_LABELS[k].lower()} {v:,}" for k, v in changes.items())
    return Done(
        f"Rate limits of {display(limit.model)} in {display(project.name, project.id)}: {what}",
        obj=limit,
    )
