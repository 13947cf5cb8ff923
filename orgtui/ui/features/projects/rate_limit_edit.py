"""The form that changes one model's rate limits in a project (`e` on the Rate limits tab).

    values = await app.push_screen_wait(RateLimitForm("search-prod", rate_limit))

Only the limits the model has are offered; each field takes a whole number of 0 or more
("30,000" is fine) and shows its own reason when it does not parse. Dismisses with the changed
fields only ({} when nothing changed), or None when cancelled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from orgtui.core.services.rate_limits import FIELD_LABELS, validate_rate
from orgtui.ui.text import safe_str
from orgtui.ui.widgets.form import FormScreen, LabelledInput

if TYPE_CHECKING:
    from orgtui.api.models import ProjectRateLimit

__all__ = ["RateLimitForm"]


class RateLimitForm(FormScreen[dict[str, int]]):
    SUBMIT_LABEL = "Save limits"
    # Up to six fields: one-row inputs, so the form fits 80x24 with its buttons.
    DEFAULT_CSS = """
    RateLimitForm LabelledInput { margin-bottom: 0; }
    RateLimitForm LabelledInput > Input { border: none; height: 1; margin: 0 1;
        padding: 0 1; background: $boost; }
    RateLimitForm LabelledInput > Input:focus { background: $primary 25%; border: none; }
    RateLimitForm #form-title { padding-bottom: 0; }
    RateLimitForm .form-note { padding: 0 1 1 1; color: $text-muted; }
    """

    def __init__(self, project_name: str, limit: ProjectRateLimit) -> None:
        super().__init__()
        self.project_name = project_name
        self.limit = limit
        self.names = [f for f in FIELD_LABELS if getattr(limit, f, None) is not None]

    def fields(self) -> ComposeResult:
        yield Static(
            Text("Lower than the organisation's limit for the model; 0 blocks it."),
            classes="form-note",
        )
        for name in self.names:
            yield LabelledInput(
                FIELD_LABELS[name],
                value=str(getattr(self.limit, name)),
                validate=validate_rate,
                id=f"rl-{name}",
            )

    def on_mount(self) -> None:
        super().on_mount()
        title = Text("Rate limits of ")
        title.append(safe_str(self.limit.model, 40), style="bold")
        title.append(" in ")
        title.append(safe_str(self.project_name, 40), style="bold")
        self.query_one("#form-title", Static).update(title)

    def submit(self) -> dict[str, int] | None:
        results = {
            name: self.query_one(f"#rl-{name}", LabelledInput).validated() for name in self.names
        }
        if any(error for _, error in results.values()):
            self.show_error("Fix the fields marked above")
            return None
        return {
            name: value
            for name, (value, _) in results.items()
            if value != getattr(self.limit, name)
        }
