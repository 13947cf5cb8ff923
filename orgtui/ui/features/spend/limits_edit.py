"""Forms for hard limits and spend alerts: dollars in, cents out, reasons beside the fields.

    cents = await app.push_screen_wait(LimitForm("search-prod", current_cents, suggestion))
    alert = await app.push_screen_wait(AlertForm("the organisation", existing_alert))

Amounts are parsed by `orgtui.core.money.parse_dollars` ("250", "$1,250.50"; negatives, zero,
more than two decimals, non-numbers and amounts above the ceiling are refused with a reason),
emails by `orgtui.core.validation.parse_emails`. Every field is checked on submit, so each
wrong field shows its own reason at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from orgtui.core.money import cents_to_dollars, format_cents, format_usd, parse_dollars
from orgtui.core.validation import parse_emails
from orgtui.ui.text import safe_str
from orgtui.ui.widgets.form import FormScreen, LabelledInput

if TYPE_CHECKING:
    from orgtui.api.models import SpendAlert

__all__ = [
    "AlertForm",
    "AlertInput",
    "LimitForm",
    "Suggestion",
    "dollars_field",
    "validate_prefix",
    "validate_recipients",
]

SUBJECT_PREFIX_MAX = 64


@dataclass(frozen=True)
class Suggestion:
    """The seed's starting point for a hard limit: twice the trailing 30 days' spend."""

    cents: int
    trailing_30d_usd: float

    def hint(self) -> str:
        return (
            f"Suggested: {format_cents(self.cents)}, about twice the last 30 days' "
            f"spend ({format_usd(self.trailing_30d_usd)})"
        )


@dataclass(frozen=True)
class AlertInput:
    cents: int
    recipients: tuple[str, ...]
    subject_prefix: str | None


def dollars_field(cents: int | None) -> str:
    """A cents amount as the user would type it back ("1250.50", "250")."""
    if cents is None:
        return ""
    dollars = cents_to_dollars(cents)
    return f"{dollars:.0f}" if dollars == dollars.to_integral_value() else f"{dollars:.2f}"


def validate_recipients(text: str) -> tuple[tuple[str, ...] | None, str | None]:
    emails, errors = parse_emails(text)
    if errors:
        return None, "; ".join(errors)
    return tuple(emails), None


def validate_prefix(text: str) -> tuple[str | None, str | None]:
    value = text.strip()
    if not value:
        return None, None
    if not value.isprintable():
        return None, "Subject prefix has a control character"
    if len(value) > SUBJECT_PREFIX_MAX:
        return None, f"Subject prefix is {len(value)} characters; the limit is {SUBJECT_PREFIX_MAX}"
    return value, None


class LimitForm(FormScreen[int]):
    """Set or change a monthly hard limit; dismisses with integer cents (None = cancelled)."""

    SUBMIT_LABEL = "Set limit"

    def __init__(
        self, scope_name: str, current_cents: int | None, suggestion: Suggestion | None
    ) -> None:
        super().__init__()
        self.scope_name = scope_name
        self.current_cents = current_cents
        self.suggestion = suggestion

    def fields(self) -> ComposeResult:
        if self.current_cents is not None:
            value = dollars_field(self.current_cents)
        else:
            value = dollars_field(self.suggestion.cents) if self.suggestion else ""
        hint = self.suggestion.hint() if self.suggestion else "Twice the usual monthly spend"
        yield LabelledInput(
            "Monthly hard limit (USD)",
            value=value,
            placeholder="e.g. 250 or $1,250.50",
            hint=hint,
            validate=parse_dollars,
            id="amount",
        )
        yield Static(
            Text(
                "API requests are rejected once the month's spend reaches the hard limit.",
                style="dim",
            ),
            classes="form-note",
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#form-title", Static).update(self._title())

    def _title(self) -> Text:
        verb = "Change" if self.current_cents is not None else "Set"
        text = Text(f"{verb} the hard limit of ")
        text.append(safe_str(self.scope_name, 60), style="bold")
        if self.current_cents is not None:
            text.append(f" (now {format_cents(self.current_cents)})", style="dim")
        return text

    def submit(self) -> int | None:
        cents, error = self.query_one("#amount", LabelledInput).validated()
        return None if error else cents


class AlertForm(FormScreen[AlertInput]):
    """Add or change a spend alert: threshold, recipients, optional subject prefix."""

    SUBMIT_LABEL = "Save alert"
    # Three fields with their reasons must fit 24 rows with the buttons: one-row inputs there.
    # Textual declares this `ClassVar[...] | None`, which mypy reads as an instance variable.
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-short"), (30, "-tall")]
    DEFAULT_CSS = """
    AlertForm.-short LabelledInput { margin-bottom: 0; }
    AlertForm.-short LabelledInput > Input { border: none; height: 1; margin: 0 1;
        padding: 0 1; background: $boost; }
    AlertForm.-short LabelledInput > Input:focus { background: $primary 25%; }
    AlertForm.-short LabelledInput > .form-hint { display: none; }
    AlertForm.-short #form-title { padding-bottom: 0; }
    """

    def __init__(self, scope_name: str, alert: SpendAlert | None = None) -> None:
        super().__init__()
        self.scope_name = scope_name
        self.alert = alert

    def fields(self) -> ComposeResult:
        alert = self.alert
        channel: Any = getattr(alert, "notification_channel", None)
        recipients = ", ".join(getattr(channel, "recipients", None) or ())
        yield LabelledInput(
            "Alert when the month's spend reaches (USD)",
            value=dollars_field(alert.threshold_amount) if alert else "",
            placeholder="e.g. 500",
            validate=parse_dollars,
            id="amount",
        )
        yield LabelledInput(
            "Email recipients",
            value=recipients,
            placeholder="finance@example.com, oncall@example.com",
            hint="Separate with commas or spaces",
            validate=validate_recipients,
            id="recipients",
        )
        yield LabelledInput(
            "Subject prefix (optional)",
            value=getattr(channel, "subject_prefix", None) or "",
            placeholder="[OpenAI spend]",
            validate=validate_prefix,
            id="prefix",
        )

    def on_mount(self) -> None:
        super().on_mount()
        verb = "Change an alert of " if self.alert is not None else "Add an alert to "
        title = Text(verb)
        title.append(safe_str(self.scope_name, 60), style="bold")
        self.query_one("#form-title", Static).update(title)

    def submit(self) -> AlertInput | None:
        channel: Any = getattr(self.alert, "notification_channel", None)
        # A pre-filled value holding control characters, left as shown, is kept as it was.
        kept = {
            "recipients": tuple(getattr(channel, "recipients", None) or ()),
            "prefix": getattr(channel, "subject_prefix", None),
        }
        # (value, error) of each field; the value's type is its validator's.
        results: list[tuple[Any, str | None]] = []
        for name in ("amount", "recipients", "prefix"):
            field = self.query_one(f"#{name}", LabelledInput)
            if name in kept and field.keeps_original:
                field.show_error(None)
                results.append((kept[name], None))
            else:
                results.append(field.validated())
        if any(error for _, error in results):
            self.show_error("Fix the fields marked above.")
            return None
        self.show_error(None)
        (cents, _), (recipients, _), (prefix, _) = results
        return AlertInput(cents, recipients, prefix)
