"""UI handler of `rate_limit.edit`: the form, then the core handler through the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgtui.core.services.commands_keys import UpdateRateLimit
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp


@ui_action("rate_limit.edit")
async def edit_rate_limit(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.records import ProjectRateLimit
    from orgtui.ui.features.projects.rate_limit_edit import RateLimitForm

    limit = ctx.item
    pid = ctx.project_id
    if not isinstance(limit, ProjectRateLimit) or pid is None:
        app.notify("Select a model's rate limit first.", severity="warning")
        return
    session = ctx.session or app.session
    view = session.snapshot.project(pid)
    name = (view.project.name if view else None) or pid
    values = await app.push_screen_wait(RateLimitForm(name, limit))
    if values is None:
        return
    result = await app.registry_for(ctx).execute(
        session, UpdateRateLimit(project_id=pid, rate_limit_id=limit.id, values=values)
    )
    app.notify(safe_str(result.message, 300), markup=False)
