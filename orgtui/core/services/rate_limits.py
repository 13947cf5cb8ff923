"""A project's per-model rate limits: change one model's limits (the API has no create or
delete; each project has one rate limit per model)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

__all__ = ["MAX_RATE_LIMIT", "update_rate_limit"]

MAX_RATE_LIMIT = 10**12


@mutation("rate_limit.update")
async def update_rate_limit(
    session: Session, *, project_id: str, rate_limit_id: str, limits: dict[str, int]
) -> Done:
    """Set some of a rate limit's fields (`max_requests_per_1_minute`, ...)."""
    unknown = sorted(set(limits) - RATE_LIMIT_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown rate limit field {unknown[0]}")
    if not limits:
        raise InvalidInput("Nothing to change")
    for field, value in limits.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_RATE_LIMIT
        ):
            raise InvalidInput(f"{field} must be a whole number from 0 to {MAX_RATE_LIMIT:,}")
    project = await project_of(session, project_id)
    refuse_if_archived(project, "changing its rate limits")
    updated = await session.client.update_rate_limit(project_id, rate_limit_id, **limits)
    update_project_list(
        session, project_id, "rate_limits", "rate_limits", lambda xs: upsert(xs, updated)
    )
    return Done(
        f"Rate limits of {display(updated.model)} in {display(project.name, project.id)} updated",
        obj=updated,
    )
