"""UI handler of `view.health` (`h`): opens the health screen; on it, recomputes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgtui.ui.dispatch import ActionContext, ui_action

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp


@ui_action("view.health")
async def open_health(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.health.screen import HealthScreen

    current = app.screen
    if isinstance(current, HealthScreen):
        current.recompute()
        return
    await app.push_screen(HealthScreen(ctx.session or app.session))
