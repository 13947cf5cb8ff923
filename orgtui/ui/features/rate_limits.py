"""`e` on a project's rate limit: a form with the model's limits, sending only what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.api.models import ProjectRateLimit
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str
from orgtui.ui.widgets.form import FormScreen, LabelledInput

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp

FIELDS = (
    ("max_requests_per_1_minute", "Requests per minute"),
    ("max_tokens_per_1_minute", "Tokens per minute"),
    ("max_requests_per_1_day", "Requests per day"),
    ("max_images_per_1_minute", "Images per minute"),
    ("max_audio_megabytes_per_1_minute", "Audio megabytes per minute"),
    ("batch_1_day_max_input_tokens", "Batch input tokens per day"),
)


def parse_count(text: str) -> tuple[int | None, str | None]:
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned.isdigit():
        return None, "A whole number, 0 or more"
    return int(cleaned), None


class RateLimitScreen(FormScreen[dict[str, int]]):
    SUBMIT_LABEL = "Save"

    def __init__(self, limit: ProjectRateLimit) -> None:
        super().__init__()
        self.limit = limit
        self.TITLE_TEXT = f"Rate limits of {safe_str(limit.model, 50)}"  # type: ignore[misc]
        self.fields_shown = [(f, label) for f, label in FIELDS if getattr(limit, f) is not None]

    def fields(self) -> Any:
        for field, label in self.fields_shown:
            yield LabelledInput(
                label, value=str(getattr(self.limit, field)), validate=parse_count, id=field
            )

    def submit(self) -> dict[str, int] | None:
        changed: dict[str, int] = {}
        failed = False
        for field, _ in self.fields_shown:
            value, error = self.query_one(f"#{field}", LabelledInput).validated()
            if error or value is None:
                failed = True
            elif value != getattr(self.limit, field):
                changed[field] = value
        if failed:
            return None
        if not changed:
            self.show_error("Nothing changed")
            return None
        return changed


@ui_action("rate_limit.update")
async def update_rate_limit(app: OrgTuiApp, ctx: ActionContext) -> None:
    limit = ctx.item
    if not isinstance(limit, ProjectRateLimit) or not ctx.project_id:
        app.notify("Select a model's rate limit first.", severity="warning", markup=False)
        return
    changed = await app.push_screen_wait(RateLimitScreen(limit))
    if not changed:
        return
    session = ctx.session or app.session
    done = await app.registry_for(ctx).invoke(
        "rate_limit.update",
        session,
        project_id=ctx.project_id,
        rate_limit_id=limit.id,
        limits=changed,
    )
    app.notify(safe_str(done.message, 300), title="Rate limits", markup=False)
