"""The onboarding form, the plan to review (limits editable), and the resume-or-undo choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.form import FormScreen, LabelledInput
from orgtui.ui.widgets.org_line import OrgLine

if TYPE_CHECKING:
    from orgtui.core.services.onboarding import OnboardingPlan

PlanMaker = Callable[..., "OnboardingPlan"]  # plan_onboarding bound to a session


class Fields(VerticalScroll, can_focus=False):
    """Scrolls its fields into view as tab reaches them; not a tab stop itself."""


def parse_spend(text: str, envs: list[str]) -> dict[str, float]:
    """`500` for every environment, or `dev=50, prod=500` (dollars)."""
    text = text.replace("$", "").strip()
    if not text:
        return {}
    if "=" not in text:
        value = float(text.replace(",", ""))
        return dict.fromkeys(envs, value)
    out: dict[str, float] = {}
    for item in text.replace(";", ",").split(","):
        if not item.strip():
            continue
        env, _, amount = item.partition("=")
        out[env.strip()] = float(amount.strip().replace("_", ""))
    return out


class OnboardForm(FormScreen["OnboardingPlan"]):
    """What the admin knows: the application, its environments, spend, services, who is told."""

    TITLE_TEXT = "Onboard a service"
    SUBMIT_LABEL = "Show the plan"
    DEFAULT_CSS = """
    OnboardForm #onboard-fields { height: auto; max-height: 60vh; }
    OnboardForm #onboard-fields > Label { padding: 0 1; text-style: bold; }
    OnboardForm #onboard-fields > Select { margin: 0 0 1 0; }
    """

    def __init__(self, make_plan: PlanMaker, recipients: str) -> None:
        super().__init__()
        self._make_plan = make_plan
        self._recipients = recipients

    def fields(self) -> ComposeResult:
        with Fields(id="onboard-fields"):
            yield LabelledInput("Application", placeholder="e.g. billing", id="app")
            yield LabelledInput("Environments", value="dev, prod", id="envs")
            yield LabelledInput(
                "Expected monthly spend ($)",
                placeholder="dev=50, prod=500 (or one amount for all)",
                hint="The hard limit is twice this, rounded up; the alert fires at 80%.",
                id="spend",
            )
            yield LabelledInput("Services that need keys", placeholder="api, worker", id="services")
            yield Label(Text("Role of each service account"))
            yield Select(
                [("member (recommended)", "member"), ("owner", "owner")],
                value="member",
                allow_blank=False,
                id="role",
            )
            yield LabelledInput("Alert recipients", value=self._recipients, id="recipients")
            yield LabelledInput(
                "Models allowed in production",
                placeholder="gpt-4o-mini, text-embedding-3-small (optional)",
                hint="Set as the prod projects' model allow-list.",
                id="models",
            )

    def submit(self) -> OnboardingPlan | None:
        from orgtui.core.services.errors import ServiceRefusal

        values = {f.id: f.value for f in self.query(LabelledInput) if f.id}
        envs = [e for e in values["envs"].replace(",", " ").split() if e]
        try:
            spend = parse_spend(values["spend"], envs)
        except ValueError:
            self.show_error("Expected spend: a dollar amount, or env=amount pairs.")
            return None
        try:
            return self._make_plan(
                app=values["app"],
                envs=envs,
                expected_usd=spend,
                services=values["services"],
                role=str(self.query_one("#role", Select).value),
                recipients=values["recipients"],
                models=values["models"],
            )
        except ServiceRefusal as exc:
            self.show_error(str(exc))
            return None


def _dollars(cents: int) -> str:
    return f"{cents / 100:.2f}".rstrip("0").rstrip(".")


class OnboardPlanScreen(ModalScreen["OnboardingPlan | None"]):
    """The plan, before anything is sent. Limits and alerts can be changed here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]
    DEFAULT_CSS = """
    OnboardPlanScreen { align: center middle; }
    OnboardPlanScreen > #plan { width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1; }
    OnboardPlanScreen #plan-title { text-style: bold; padding: 0 1; }
    OnboardPlanScreen #plan-body { height: auto; max-height: 1fr; }
    OnboardPlanScreen .plan-env { height: auto; padding: 0 1; }
    OnboardPlanScreen .plan-env Input { width: 14; }
    OnboardPlanScreen .plan-env Label { padding: 1 1 0 0; }
    OnboardPlanScreen #plan-error { color: $text-error; padding: 0 1; text-style: bold; }
    OnboardPlanScreen #plan-buttons { height: auto; align-horizontal: right; padding: 0 1; }
    OnboardPlanScreen #plan-buttons > Button { margin-left: 2; min-width: 10; }
    """

    def __init__(self, plan: OnboardingPlan, org: str) -> None:
        super().__init__()
        self.plan = plan
        self._org = org

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="plan"):
            title = Text("Plan: onboard ")
            title.append_text(safe_text(plan.app, 40))
            title.append(" in ")
            title.append_text(safe_text(self._org, 40))
            yield Static(title, id="plan-title")
            yield OrgLine()
            with Fields(id="plan-body"):
                yield Static(self._projects_table())
                for env in plan.envs:
                    with Horizontal(classes="plan-env"):
                        yield Label(Text(f"{safe_str(env.env, 12)} limit $"))
                        yield Input(_dollars(env.limit_cents), id=f"limit-{env.env}")
                        yield Label(Text("alert $"))
                        yield Input(_dollars(env.alert_cents), id=f"alert-{env.env}")
                yield Static(self._accounts_table())
                yield Static(self._notes(), id="plan-notes")
            yield Static("", id="plan-error")
            with Horizontal(id="plan-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Run", id="run", variant="primary")

    def _projects_table(self) -> Table:
        table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
        for heading in ("Project", "Action", "Expected", "Models"):
            table.add_column(heading, no_wrap=True)
        for env in self.plan.envs:
            table.add_row(
                safe_text(env.project_name, 36),
                "reuse" if env.project_id else "create",
                f"${env.expected_usd:,.2f}/month",
                Text(", ".join(self.plan.models), overflow="ellipsis")
                if self.plan.guarded(env)
                else Text("any", style="dim"),
            )
        return table

    def _accounts_table(self) -> Table:
        table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
        table.add_column("Service account and key", no_wrap=True)
        table.add_column("Role", no_wrap=True)
        for service in self.plan.services:
            table.add_row(safe_text(service.account_name, 60), self.plan.role)
        return table

    def _notes(self) -> Text:
        plan = self.plan
        text = Text("Alerts go to ", style="dim")
        text.append_text(safe_text(", ".join(plan.recipients), 200))
        text.append(". Keys are shown once each, in turn.", style="dim")
        unguarded = [e.project_name for e in plan.envs if e.project_name.endswith("-prod")]
        if unguarded and not plan.models:
            text.append("\nNo model allow-list: ", style="bold")
            text.append(", ".join(unguarded) + " will be flagged by the health check.")
        return text

    def on_mount(self) -> None:
        self.query_one("#run", Button).focus()

    def _edited(self) -> OnboardingPlan | None:
        from orgtui.core.services.errors import ServiceRefusal

        limits: dict[str, tuple[int, int]] = {}
        try:
            for env in self.plan.envs:
                limit = self.query_one(f"#limit-{env.env}", Input).value.replace(",", "")
                alert = self.query_one(f"#alert-{env.env}", Input).value.replace(",", "")
                limits[env.env] = (round(float(limit) * 100), round(float(alert) * 100))
            return self.plan.with_limits(limits)
        except ValueError:
            self._error("Limits and alerts are dollar amounts, e.g. 500 or 12.50")
        except ServiceRefusal as exc:
            self._error(str(exc))
        return None

    def _error(self, message: str) -> None:
        self.query_one("#plan-error", Static).update(Text(message))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "run":
            plan = self._edited()
            if plan is not None:
                self.dismiss(plan)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ResumeOnboardingScreen(ModalScreen[str | None]):
    """An onboarding an earlier run left unfinished: resume it, undo it, or leave it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]
    DEFAULT_CSS = """
    ResumeOnboardingScreen { align: center middle; }
    ResumeOnboardingScreen > #resume { width: 70; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 1 2 0 2; }
    ResumeOnboardingScreen #resume-buttons { height: auto; align-horizontal: right; padding: 1 0; }
    ResumeOnboardingScreen #resume-buttons > Button { margin-left: 2; }
    """

    def __init__(self, summary: str) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="resume"):
            yield Static(Text("An onboarding is unfinished", style="bold"))
            yield OrgLine()
            yield Static(Text(self.summary))
            with Horizontal(id="resume-buttons"):
                yield Button("Leave it", id="cancel")
                yield Button("Undo", id="undo", variant="error")
                yield Button("Resume", id="resume-run", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#resume-run", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice: dict[Any, str | None] = {"resume-run": "resume", "undo": "undo"}
        self.dismiss(choice.get(event.button.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
