"""Onboard a service from the tree, as an admin would: O, the form, the plan (a limit edited),
Run, each key in the copy-once dialog with its environment lines; then the sandbox holds it all."""

from __future__ import annotations

import contextlib
from typing import Any

from conftest import settle
from test_keys_support import wait_for_screen
from textual.widgets import Input

from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.features.onboard.screens import (
    OnboardForm,
    OnboardPlanScreen,
    ResumeOnboardingScreen,
)
from orgtui.ui.widgets.form import LabelledInput


def _fill(form: OnboardForm, **values: str) -> None:
    for field_id, text in values.items():
        form.query_one(f"#{field_id}", LabelledInput).input.value = text


async def _open_form(pilot: Any) -> OnboardForm:
    await settle(pilot, pilot.app)
    pilot.app.screen.tree.focus()
    await pilot.press("O")
    return await wait_for_screen(pilot, OnboardForm)


async def test_onboard_end_to_end(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot)
        assert "@" in form.query_one("#recipients", LabelledInput).value  # the org's owners
        _fill(form, app="ledger", spend="dev=10, prod=250", services="api", models="gpt-4o-mini")
        form.query_one("#submit").press()
        plan_screen = await wait_for_screen(pilot, OnboardPlanScreen)
        assert [e.limit_cents for e in plan_screen.plan.envs] == [20_00, 500_00]
        plan_screen.query_one("#limit-prod", Input).value = "600"  # the admin knows better
        plan_screen.query_one("#run").press()

        shown = []
        for _ in range(2):  # one key per environment, one after the other
            dialog = await wait_for_screen(pilot, CopyOnceScreen)
            shown.append(dialog)
            await pilot.press("y")
        await settle(pilot, app)

        projects = {
            r["name"]: r["id"]
            for r in sandbox.store.query("SELECT id, name FROM projects WHERE name LIKE 'ledger-%'")
        }
        assert set(projects) == {"ledger-dev", "ledger-prod"}
        limits = {
            r["scope"]: r["threshold_amount"]
            for r in sandbox.store.query("SELECT * FROM spend_limits")
        }
        assert limits[projects["ledger-dev"]] == 20_00 and limits[projects["ledger-prod"]] == 600_00
        alerts = sandbox.store.query(
            "SELECT scope, threshold_amount FROM spend_alerts WHERE deleted_at IS NULL"
        )
        assert {(a["scope"], a["threshold_amount"]) for a in alerts} >= {
            (projects["ledger-dev"], 16_00),
            (projects["ledger-prod"], 400_00),
        }
        accounts = sandbox.store.query(
            "SELECT name FROM service_accounts WHERE deleted_at IS NULL AND name LIKE 'ledger-%'"
        )
        assert sorted(a["name"] for a in accounts) == ["ledger-dev-api", "ledger-prod-api"]
        assert all(not d.secret_alive for d in shown)
        assert not isinstance(app.screen, CopyOnceScreen)


class Stop(Exception):
    pass


async def _interrupted(app: Any) -> None:
    """An earlier console made the dev project, then died."""
    from orgtui.core.services.onboarding import Onboarding, plan_onboarding

    session = app.session
    flow = Onboarding(session)
    flow.start(
        plan_onboarding(
            session,
            app="ledger",
            envs="dev",
            expected_usd=100,
            services="api",
            recipients="finops@example.com",
        )
    )

    def die(step: Any) -> None:
        raise Stop(step.label)

    async def never(minted: Any, service: Any) -> bool:
        raise AssertionError("no key before the stop")

    with contextlib.suppress(Stop):
        await flow.run(never, after_step=die)


async def test_an_unfinished_onboarding_is_resumed(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await _interrupted(app)
        app.screen.tree.focus()
        await pilot.press("O")
        offer = await wait_for_screen(pilot, ResumeOnboardingScreen)
        assert "1 of 4 steps done" in offer.summary
        await pilot.press("enter")  # Resume has the focus
        await wait_for_screen(pilot, CopyOnceScreen)
        await pilot.press("y")
        await settle(pilot, app)

        row = sandbox.store.one("SELECT id FROM projects WHERE name = 'ledger-dev'")
        assert (
            sandbox.store.one(
                "SELECT threshold_amount FROM spend_limits WHERE scope = ?", (row["id"],)
            )["threshold_amount"]
            == 200_00
        )
        names = [
            r["name"]
            for r in sandbox.store.query(
                "SELECT name FROM service_accounts WHERE project_id = ? AND deleted_at IS NULL",
                (row["id"],),
            )
        ]
        assert names == ["ledger-dev-api"]
        assert len(sandbox.store.query("SELECT id FROM projects WHERE name = 'ledger-dev'")) == 1


async def test_an_unfinished_onboarding_can_be_undone(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await _interrupted(app)
        app.screen.tree.focus()
        await pilot.press("O")
        offer = await wait_for_screen(pilot, ResumeOnboardingScreen)
        offer.query_one("#undo").press()
        await settle(pilot, app)

        row = sandbox.store.one("SELECT archived_at FROM projects WHERE name = 'ledger-dev'")
        assert row["archived_at"] is not None
        from orgtui.core.services.onboarding_journal import OnboardingJournal

        assert OnboardingJournal(app.session.profile.name).open() is None


async def test_read_only_refuses_onboarding_at_once(make_app: Any, sandbox: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.screen.tree.focus()
        await pilot.press("O")
        await pilot.pause()
        assert not isinstance(app.screen, OnboardForm)
        assert any("not allowed" in str(n.message) for n in app._notifications)
