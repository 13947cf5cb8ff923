"""The `O` handler: form -> plan -> run (keys one after another in the copy-once dialog), and
the resume-or-undo offer for a flow an earlier run left unfinished."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.services.onboarding import Onboarding, ServicePlan
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp

ACTION_ID = "service.onboard"


def _owner_emails(session: Session) -> str:
    users = session.snapshot.users or ()
    return ", ".join(
        u.email for u in users if u.role == "owner" and u.email and not u.is_service_account
    )


def _summary(record: Any) -> str:
    done = sum(1 for s in record.steps if s.state in ("done", "stored"))
    app = record.plan.get("app", "?")
    return (
        f"Onboarding {safe_str(app, 40)}: {done} of {len(record.steps)} steps done. Resume to"
        " finish it (anything made but not confirmed is checked first, never made twice), or"
        " undo what it made."
    )


async def _run(app: OrgTuiApp, session: Session, flow: Onboarding) -> None:
    from orgtui.ui.features.keys.copy_once import show_minted

    async def show_key(minted: Any, service: ServicePlan) -> bool:
        extra = (
            ("Set", "OPENAI_API_KEY=<this key>, in a secret store"),
            ("Set", f"OPENAI_PROJECT={minted.project_id}"),
        )
        title = f"{safe_str(service.account_name, 40)}: copy its key now"
        return await show_minted(app, minted, title=title, extra=extra)

    try:
        record = await flow.run(show_key)
    finally:
        app.refresh_all(session.profile.name)
        for note in flow.notes:
            app.notify(safe_str(note, 300), title="Onboarding", severity="warning", markup=False)
    keys = sum(1 for s in record.steps if s.kind == "key")
    app.notify(
        f"Onboarded {safe_str(record.plan['app'], 40)}: {len(record.plan['envs'])} project(s)"
        f" with hard limits and alerts, {keys} key(s).",
        title="Onboarding",
        markup=False,
    )


@ui_action(ACTION_ID)
async def onboard(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.core.services.onboarding import Onboarding, plan_onboarding
    from orgtui.core.services.onboarding_journal import JournalError, OnboardingJournal
    from orgtui.ui.features.onboard.screens import (
        OnboardForm,
        OnboardPlanScreen,
        ResumeOnboardingScreen,
    )

    session = ctx.session or app.session
    journal = OnboardingJournal(session.profile.name)
    try:
        pending = journal.open()
    except JournalError as exc:
        app.notify(safe_str(exc, 300), title="Onboarding", severity="error", markup=False)
        return
    if pending is not None:
        choice = await app.push_screen_wait(ResumeOnboardingScreen(_summary(pending)))
        flow = Onboarding(session, journal)
        if choice == "resume":
            await _run(app, session, flow)
        elif choice == "undo":
            said = await flow.undo()
            app.refresh_all(session.profile.name)
            app.notify(
                safe_str("Undone: " + ("; ".join(said) or "nothing had been made"), 400),
                title="Onboarding",
                markup=False,
            )
        return
    make_plan = functools.partial(plan_onboarding, session)
    plan = await app.push_screen_wait(OnboardForm(make_plan, _owner_emails(session)))
    if plan is None:
        return
    org = session.snapshot.org_name or session.profile.name
    plan = await app.push_screen_wait(OnboardPlanScreen(plan, org))
    if plan is None:
        return
    from orgtui.core.services.commands_keys import StartOnboarding

    flow = await session.registry.execute(session, StartOnboarding(plan=plan))
    await _run(app, session, flow)
