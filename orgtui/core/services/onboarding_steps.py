"""The steps of an onboarding: each journaled as started before its request and done after it,
each resumable by reading back what a lost answer may have made (never by sending again)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.core.money import format_cents
from orgtui.core.services import keys, limits, projects, security
from orgtui.core.services._common import display
from orgtui.core.services.errors import ServiceRefusal
from orgtui.core.services.onboarding_journal import OnboardingRecord, StepRecord
from orgtui.core.services.reconcile import SKEW_SECONDS
from orgtui.core.services.results import MintedKey, Reconciliation

if TYPE_CHECKING:
    from orgtui.core.services.onboarding import Onboarding, OnboardingPlan, ServicePlan, ShowKey

__all__ = ["run_step", "undo_flow"]


class OnboardingStopped(ServiceRefusal):
    """A step could not finish; the journal keeps where it stopped (resume or undo)."""


def _project_id(onb: Onboarding, env: str) -> str:
    record = onb.journal.open()
    assert record is not None
    pid = record.step(f"project:{env}").object_id
    if pid is None:
        raise OnboardingStopped(f"The {env} project does not exist yet")
    return pid


async def _collect(items: Any) -> list[Any]:
    return [item async for item in items]


async def run_step(
    onb: Onboarding, plan: OnboardingPlan, step: StepRecord, show_key: ShowKey
) -> None:
    if step.kind == "project":
        await _project(onb, plan, step)
    elif step.kind == "limit":
        await _limit(onb, plan, step)
    elif step.kind == "alert":
        await _alert(onb, plan, step)
    elif step.kind == "models":
        pid = _project_id(onb, step.env)
        step = onb.mark(step, state="started")
        await security.set_model_permissions(  # a PUT of the whole list: idempotent
            onb.session, project_id=pid, mode="allow_list", model_ids=list(plan.models)
        )
        onb.mark(step, state="done", object_id=pid)
    else:
        service = next(s for s in plan.services if s.env == step.env and s.service == step.service)
        await _key(onb, service, step, show_key)


def _stop_unless_found(result: Any) -> Any:
    """The object a create made, or a stop that keeps the step for a resume."""
    if isinstance(result, Reconciliation):
        if result.found is None:
            raise OnboardingStopped(result.message)
        return result.found
    return result.obj


async def _project(onb: Onboarding, plan: OnboardingPlan, step: StepRecord) -> None:
    env = plan.env(step.env)
    if step.object_id is None and step.state == "started":
        # The create may have gone through before the stop: look before making another.
        listed = await _collect(onb.session.client.iter_projects())
        found = [p for p in listed if p.name == env.project_name]
        if found:
            onb.mark(step, state="done", object_id=found[0].id)
            return
    if step.object_id is not None:  # reused, or made before a stop
        onb.mark(step, state="done")
        return
    step = onb.mark(step, state="started")
    made = _stop_unless_found(await projects.create_project(onb.session, name=env.project_name))
    onb.mark(step, state="done", object_id=made.id)


async def _limit(onb: Onboarding, plan: OnboardingPlan, step: StepRecord) -> None:
    env = plan.env(step.env)
    pid = _project_id(onb, step.env)
    if env.project_id is not None:  # a reused project: undo puts its old limit back
        current = await onb.session.client.get_project_spend_limit(pid)
        onb.remember_previous_limit(pid, current.threshold_amount if current else None)
    step = onb.mark(step, state="started")
    await limits.set_limit(onb.session, cents=env.limit_cents, project_id=pid)  # idempotent
    onb.mark(step, state="done", object_id=pid)


async def _alert(onb: Onboarding, plan: OnboardingPlan, step: StepRecord) -> None:
    env = plan.env(step.env)
    pid = _project_id(onb, step.env)
    if step.state == "started":
        alerts = await _collect(onb.session.client.iter_project_spend_alerts(pid))
        same = [a for a in alerts if a.threshold_amount == env.alert_cents]
        if same:
            onb.mark(step, state="done", object_id=same[0].id)
            return
    step = onb.mark(step, state="started")
    made = _stop_unless_found(
        await limits.create_alert(
            onb.session,
            cents=env.alert_cents,
            recipients=list(plan.recipients),
            project_id=pid,
            subject_prefix=f"[{plan.app}-{env.env}]",
        )
    )
    onb.mark(step, state="done", object_id=made.id)


async def _ours(onb: Onboarding, pid: str, step: StepRecord, name: str) -> list[str]:
    """Accounts this flow made for the step whose key was never stored."""
    if step.object_id is not None:
        return [step.object_id]
    record = onb.journal.open()
    assert record is not None
    accounts = await _collect(onb.session.client.iter_service_accounts(pid))
    since = record.started_at - SKEW_SECONDS
    return [a.id for a in accounts if a.name == name and (a.created_at or 0) >= since]


async def _key(onb: Onboarding, service: ServicePlan, step: StepRecord, show: ShowKey) -> None:
    pid = _project_id(onb, service.env)
    if step.state in ("started", "done"):
        # A key made before the stop was never shown and stored: it must not stay live.
        for sid in await _ours(onb, pid, step, service.account_name):
            await keys.delete_service_account(onb.session, project_id=pid, service_account_id=sid)
            onb.notes.append(
                f"Deleted service account {display(service.account_name)} ({sid}): its key was"
                " never stored, so a new one replaces it"
            )
        step = onb.mark(step, state="pending", object_id=None, key_id=None)
    step = onb.mark(step, state="started")
    result = await keys.create_key(
        onb.session, project_id=pid, name=service.account_name, role=_role(onb)
    )
    if isinstance(result, Reconciliation):
        if result.found is not None:  # the account exists but its key was lost: revoke it
            await keys.delete_service_account(
                onb.session, project_id=pid, service_account_id=result.found.id
            )
            onb.notes.append(f"Deleted {display(service.account_name)}: its key was lost")
            onb.mark(step, state="pending", object_id=None)
        raise OnboardingStopped(result.message + " Resume to make the key again.")
    assert isinstance(result, MintedKey)
    step = onb.mark(step, state="done", object_id=result.service_account_id, key_id=result.key_id)
    if await show(result, service):
        onb.mark(step, state="stored")


def _role(onb: Onboarding) -> str:
    record = onb.journal.open()
    assert record is not None
    return str(record.plan["role"])


async def undo_flow(onb: Onboarding, record: OnboardingRecord) -> list[str]:
    """Delete the accounts and alerts the flow made, restore reused projects' limits, and
    archive the projects it created (the API cannot delete a project)."""
    from orgtui.core.services.onboarding import OnboardingPlan

    plan = OnboardingPlan.from_data(record.plan)
    session, said = onb.session, []
    made_here = {e.env for e in plan.envs if e.project_id is None}
    for step in reversed(record.steps):
        pid = record.step(f"project:{step.env}").object_id
        if pid is None or step.state == "pending" and step.object_id is None:
            continue
        if step.kind == "key" and step.object_id is not None:
            await keys.delete_service_account(
                session, project_id=pid, service_account_id=step.object_id
            )
            said.append(f"deleted service account {step.object_id}")
        elif step.kind == "alert" and step.object_id is not None:
            await limits.delete_alert(session, alert_id=step.object_id, project_id=pid)
            said.append(f"deleted the {step.env} alert")
        elif step.kind == "limit" and step.env not in made_here:
            before = record.previous_limits.get(pid)
            if before is None:
                await limits.remove_limit(session, project_id=pid)
            else:
                await limits.set_limit(session, cents=before, project_id=pid)
            said.append(f"put back the {step.env} limit ({format_cents(before or 0)})")
        elif step.kind == "project" and step.env in made_here and step.object_id is not None:
            await projects.archive_project(session, project_id=pid)
            said.append(f"archived project {display(plan.env(step.env).project_name)}")
    return said
