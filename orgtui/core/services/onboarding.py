"""Onboard a service the seed's way, in one flow: projects per environment, hard limits and
alerts before anything is deployed, then one named service account and key per service.

`plan_onboarding` turns the form into an `OnboardingPlan` the admin reviews (and may edit)
before anything happens. `Onboarding.run` performs it in order (projects, then limits and
alerts, then accounts and keys), journaling every step before and after its request
(`onboarding_journal`). Creates are reconciled by reading back, never re-sent. A key whose value
was never shown and stored (a crash, a quit, a lost response) is not left live: its account is
deleted and made again, and the result says so. `Onboarding.undo` takes back what the flow made.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from orgtui.core.services._common import display, ensure_writable, mutation
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.onboarding_journal import (
    OnboardingJournal,
    OnboardingRecord,
    StepRecord,
)
from orgtui.core.services.results import MintedKey
from orgtui.core.validation import suggest_key_name, validate_project_name

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "ACTION_ID",
    "EnvPlan",
    "Onboarding",
    "OnboardingPlan",
    "ServicePlan",
    "plan_onboarding",
    "start_onboarding",
]

ACTION_ID = "service.onboard"
DEFAULT_ENVS = ("dev", "prod")
LIMIT_FACTOR = 2  # the seed: a hard limit at twice the expected monthly spend
ALERT_PERCENT = 80


@dataclass(frozen=True)
class EnvPlan:
    env: str
    project_name: str
    project_id: str | None  # an existing project reused, or None: to be created
    expected_usd: float
    limit_cents: int
    alert_cents: int


@dataclass(frozen=True)
class ServicePlan:
    env: str
    service: str
    account_name: str  # `<project>-<service>`


@dataclass(frozen=True)
class OnboardingPlan:
    app: str
    envs: tuple[EnvPlan, ...]
    services: tuple[ServicePlan, ...]
    role: str
    recipients: tuple[str, ...]
    models: tuple[str, ...] = ()  # the allow-list set on production projects

    def as_data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> OnboardingPlan:
        return cls(
            app=data["app"],
            envs=tuple(EnvPlan(**e) for e in data["envs"]),
            services=tuple(ServicePlan(**s) for s in data["services"]),
            role=data["role"],
            recipients=tuple(data["recipients"]),
            models=tuple(data.get("models", ())),
        )

    def guarded(self, env: EnvPlan) -> bool:
        """Production projects get the model allow-list (the health check asks for one)."""
        return bool(self.models) and env.project_name.endswith("-prod")

    def env(self, name: str) -> EnvPlan:
        return next(e for e in self.envs if e.env == name)

    def with_limits(self, limits: Mapping[str, tuple[int, int]]) -> OnboardingPlan:
        """The plan with edited (limit cents, alert cents) per environment."""
        envs = []
        for e in self.envs:
            limit, alert = limits.get(e.env, (e.limit_cents, e.alert_cents))
            if limit <= 0 or alert <= 0:
                raise InvalidInput(f"{e.env}: the limit and the alert must be above $0")
            if alert >= limit:
                raise InvalidInput(f"{e.env}: the alert should fire before the hard limit")
            envs.append(EnvPlan(**{**asdict(e), "limit_cents": limit, "alert_cents": alert}))
        return OnboardingPlan(
            self.app, tuple(envs), self.services, self.role, self.recipients, self.models
        )


def _names(text: str | Sequence[str], what: str) -> list[str]:
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    out = list(dict.fromkeys(i.strip() for i in items if i and i.strip()))
    if not out:
        raise InvalidInput(f"Give at least one {what}")
    return out


def plan_onboarding(
    session: Session,
    *,
    app: str,
    envs: str | Sequence[str] = DEFAULT_ENVS,
    expected_usd: Mapping[str, float] | float,
    services: str | Sequence[str],
    role: str = "member",
    recipients: str | Sequence[str] = (),
    models: str | Sequence[str] = (),
) -> OnboardingPlan:
    """What the flow would do, for the admin to review. Nothing is sent."""
    name, error = validate_project_name(app)
    if error or not name:
        raise InvalidInput(error or "Give the application a name")
    if role not in ("member", "owner"):
        raise InvalidInput("The accounts' role is member or owner")
    emails = _names(recipients, "alert recipient")
    for email in emails:
        if "@" not in email:
            raise InvalidInput(f"{display(email)} is not an email address")
    existing = {(v.project.name or ""): v for v in session.snapshot.projects.values()}
    env_plans = []
    for env in _names(envs, "environment"):
        spend = expected_usd.get(env) if isinstance(expected_usd, Mapping) else expected_usd
        if spend is None or not math.isfinite(float(spend)) or float(spend) <= 0:
            raise InvalidInput(f"Give the expected monthly spend of {env} in dollars, above $0")
        project_name = f"{name}-{env}"
        view = existing.get(project_name)
        if view is not None and view.archived:
            raise InvalidInput(f"Project {display(project_name)} is archived: pick another name")
        limit_usd = math.ceil(LIMIT_FACTOR * float(spend))
        env_plans.append(
            EnvPlan(
                env=env,
                project_name=project_name,
                project_id=view.id if view is not None else None,
                expected_usd=float(spend),
                limit_cents=limit_usd * 100,
                alert_cents=limit_usd * ALERT_PERCENT,
            )
        )
    service_plans = [
        ServicePlan(env=e.env, service=s, account_name=suggest_key_name(e.project_name, s))
        for e in env_plans
        for s in _names(services, "service")
    ]
    wanted = (
        _names(models, "model") if (models if isinstance(models, str) else list(models)) else []
    )
    return OnboardingPlan(
        name, tuple(env_plans), tuple(service_plans), role, tuple(emails), tuple(wanted)
    )


def _steps(plan: OnboardingPlan) -> tuple[StepRecord, ...]:
    steps = [StepRecord("project", e.env, object_id=e.project_id) for e in plan.envs]
    steps += [StepRecord(kind, e.env) for e in plan.envs for kind in ("limit", "alert")]
    steps += [StepRecord("models", e.env) for e in plan.envs if plan.guarded(e)]
    steps += [StepRecord("key", s.env, s.service) for s in plan.services]
    return tuple(steps)


ShowKey = Callable[[MintedKey, ServicePlan], Awaitable[bool]]  # True: the admin stored it


class Onboarding:
    """Runs, resumes and undoes one flow for a session, journaling as it goes."""

    def __init__(self, session: Session, journal: OnboardingJournal | None = None) -> None:
        self.session = session
        self.journal = journal or OnboardingJournal(session.profile.name)
        self.notes: list[str] = []

    def start(self, plan: OnboardingPlan) -> OnboardingRecord:
        ensure_writable(self.session, ACTION_ID)
        if self.journal.open() is not None:
            raise InvalidInput("An onboarding is already under way: resume it or undo it first")
        record = OnboardingRecord(
            profile=self.session.profile.name,
            plan=plan.as_data(),
            steps=_steps(plan),
            started_at=self.session.now(),
        )
        self.journal.save(record)
        return record

    async def run(
        self, show_key: ShowKey, after_step: Callable[[StepRecord], None] | None = None
    ) -> OnboardingRecord:
        """Every step not done yet, in order; a failure leaves the journal where it stopped.
        `after_step` is called as each step ends (the tests stop the flow there)."""
        from orgtui.core.services.onboarding_steps import run_step

        ensure_writable(self.session, ACTION_ID)
        record = self.journal.open()
        if record is None:
            raise InvalidInput("There is no onboarding to run")
        plan = OnboardingPlan.from_data(record.plan)
        for step in record.steps:
            current = self.journal.open()
            assert current is not None
            step = current.step(step.label)
            if step.state == "stored" or (step.state == "done" and step.kind != "key"):
                continue  # a key made but never stored is made again (run_step)
            await run_step(self, plan, step, show_key)
            if after_step is not None:
                latest = self.journal.open()
                assert latest is not None
                after_step(latest.step(step.label))
        final = self.journal.open()
        assert final is not None
        done = OnboardingRecord(**{**final.__dict__, "finished": True})
        self.journal.save(done)
        return done

    def mark(self, step: StepRecord, **changes: Any) -> StepRecord:
        record = self.journal.open()
        assert record is not None
        updated = StepRecord(**{**asdict(step), **changes})
        self.journal.save(record.with_step(updated))
        return updated

    def remember_previous_limit(self, project_id: str, cents: int | None) -> None:
        record = self.journal.open()
        assert record is not None
        if project_id not in record.previous_limits:
            limits = {**record.previous_limits, project_id: cents}
            self.journal.save(OnboardingRecord(**{**record.__dict__, "previous_limits": limits}))

    async def undo(self) -> list[str]:
        """Take back what the open (or last) flow made; returns what was done, in words."""
        from orgtui.core.services.onboarding_steps import undo_flow

        ensure_writable(self.session, ACTION_ID)
        record = self.journal.load()
        if record is None or record.undone:
            raise InvalidInput("There is no onboarding to undo")
        said = await undo_flow(self, record)
        self.journal.save(OnboardingRecord(**{**record.__dict__, "finished": True, "undone": True}))
        return said


@mutation(ACTION_ID)
async def start_onboarding(session: Session, *, plan: OnboardingPlan) -> Onboarding:
    """Begin the flow for a reviewed plan (journaled); run it with `Onboarding.run`."""
    flow = Onboarding(session)
    flow.start(plan)
    return flow
