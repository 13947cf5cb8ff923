"""Onboard a service: the plan, the run against the sandbox, a stop after every step then a resume
(the sandbox ends as after an uninterrupted run), undo, and read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from orgtui.core.actions import ReadOnlyRefusal
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.onboarding import Onboarding, plan_onboarding
from orgtui.core.services.onboarding_journal import OnboardingJournal
from orgtui.core.sync import Syncer

RECIPIENTS = "oncall@example.com"


class Stop(Exception):
    """The console dying between two steps."""


async def _stored(minted: Any, service: Any) -> bool:
    assert minted.secret.alive and minted.service_account_name == service.account_name
    return True


async def _ready(make_session: Callable[..., Any], name: str = "console", **kw: Any) -> Any:
    session = make_session(name, **kw)
    await Syncer(session).refresh_all()
    return session


def _plan(session: Any, app: str = "billing") -> Any:
    return plan_onboarding(
        session,
        app=app,
        expected_usd={"dev": 20, "prod": 149.5},
        services="api worker",
        recipients=RECIPIENTS,
        models="gpt-4o-mini",
    )


def sandbox_picture(sandbox_app: Any, app: str = "billing") -> Any:
    """What the flow leaves in the sandbox, for the projects it names."""
    store = sandbox_app.state.sandbox.store
    out = {}
    for p in store.query(
        "SELECT id, name, archived_at FROM projects WHERE name LIKE ? ORDER BY name", (f"{app}-%",)
    ):
        limit = store.one("SELECT threshold_amount FROM spend_limits WHERE scope = ?", (p["id"],))
        alerts = store.query(
            "SELECT threshold_amount FROM spend_alerts WHERE scope = ? AND deleted_at IS NULL",
            (p["id"],),
        )
        accounts = store.query(
            "SELECT s.name, (SELECT count(*) FROM api_keys k WHERE k.owner_sa_id = s.id"
            " AND k.deleted_at IS NULL) AS keys FROM service_accounts s"
            " WHERE s.project_id = ? AND s.deleted_at IS NULL ORDER BY s.name",
            (p["id"],),
        )
        controls = store.one(
            "SELECT model_mode, model_ids FROM project_controls WHERE project_id = ?", (p["id"],)
        )
        out[p["name"]] = {
            "models": (controls["model_mode"], controls["model_ids"]) if controls else None,
            "archived": p["archived_at"] is not None,
            "limit": limit["threshold_amount"] if limit else None,
            "alerts": sorted(a["threshold_amount"] for a in alerts),
            "accounts": [(a["name"], a["keys"]) for a in accounts],
        }
    return out


def test_the_plan_follows_the_seed(make_session: Callable[..., Any]) -> None:
    session = make_session()
    plan = _plan(session)
    assert [(e.project_name, e.limit_cents, e.alert_cents) for e in plan.envs] == [
        ("billing-dev", 40_00, 32_00),  # 2x expected, rounded up to the dollar; alert at 80%
        ("billing-prod", 299_00, 239_20),
    ]
    assert [s.account_name for s in plan.services] == [
        "billing-dev-api",
        "billing-dev-worker",
        "billing-prod-api",
        "billing-prod-worker",
    ]
    with pytest.raises(InvalidInput, match="expected monthly spend of prod"):
        plan_onboarding(session, app="x", expected_usd={"dev": 5}, services="a", recipients="a@b.c")
    with pytest.raises(InvalidInput, match="alert should fire before"):
        plan.with_limits({"dev": (10_00, 20_00)})


async def test_an_uninterrupted_run(make_session: Callable[..., Any], sandbox_app: Any) -> None:
    session = await _ready(make_session)
    flow = Onboarding(session)
    flow.start(_plan(session))
    shown: list[str] = []

    async def store_it(minted: Any, service: Any) -> bool:
        shown.append(minted.service_account_name)
        return True

    record = await flow.run(store_it)

    assert record.finished and all(s.state in ("done", "stored") for s in record.steps)
    assert shown == [
        "billing-dev-api",
        "billing-dev-worker",
        "billing-prod-api",
        "billing-prod-worker",
    ]
    assert sandbox_picture(sandbox_app) == {
        "billing-dev": {
            "models": None,
            "archived": False,
            "limit": 40_00,
            "alerts": [32_00],
            "accounts": [("billing-dev-api", 1), ("billing-dev-worker", 1)],
        },
        "billing-prod": {
            "models": ("allow_list", '["gpt-4o-mini"]'),
            "archived": False,
            "limit": 299_00,
            "alerts": [239_20],
            "accounts": [("billing-prod-api", 1), ("billing-prod-worker", 1)],
        },
    }
    journal_text = OnboardingJournal(session.profile.name).path.read_text()
    assert "sk-" not in journal_text.replace("sk-svcacct...", "")


async def _uninterrupted(make_session: Callable[..., Any], sandbox_app: Any) -> Any:
    session = await _ready(make_session, "reference")
    flow = Onboarding(session, OnboardingJournal("reference"))
    flow.start(_plan(session, app="ref"))
    await flow.run(_stored)
    picture = sandbox_picture(sandbox_app, "ref")
    return {
        name.replace("ref-", "billing-", 1): {
            **v,
            "accounts": [(a.replace("ref-", "billing-", 1), n) for a, n in v["accounts"]],
        }
        for name, v in picture.items()
    }


# 2 projects, 2 limits, 2 alerts, the prod model allow-list, 4 keys
@pytest.mark.parametrize("stop_after", range(11))
async def test_stopped_after_any_step_then_resumed_ends_as_uninterrupted(
    make_session: Callable[..., Any], sandbox_app: Any, stop_after: int
) -> None:
    expected = await _uninterrupted(make_session, sandbox_app)
    session = await _ready(make_session)
    flow = Onboarding(session)
    flow.start(_plan(session))
    ended: list[str] = []

    def die(step: Any) -> None:
        ended.append(step.label)
        if len(ended) == stop_after + 1:
            raise Stop(step.label)

    async def never_stored(minted: Any, service: Any) -> bool:
        return False  # the console died with the dialog open: the key was never stored

    with pytest.raises(Stop):
        await flow.run(_stored if stop_after % 2 else never_stored, after_step=die)

    again = await _ready(make_session)  # a new console on the same cache and journal
    resumed = Onboarding(again)
    record = await resumed.run(_stored)

    assert record.finished
    assert sandbox_picture(sandbox_app) == expected
    if stop_after >= 7 and stop_after % 2 == 0:  # a key was made but never stored
        assert any("never stored" in n for n in resumed.notes)


async def test_undo_takes_back_what_the_flow_made(
    make_session: Callable[..., Any], sandbox_app: Any
) -> None:
    session = await _ready(make_session)
    flow = Onboarding(session)
    flow.start(_plan(session))
    with pytest.raises(Stop):

        def die(step: Any) -> None:
            if step.label == "key:dev:api":
                raise Stop

        await flow.run(_stored, after_step=die)

    said = await Onboarding(session).undo()

    picture = sandbox_picture(sandbox_app)
    assert all(p["archived"] and not p["accounts"] and not p["alerts"] for p in picture.values())
    assert any("archived project" in s for s in said)
    assert OnboardingJournal(session.profile.name).open() is None


async def test_read_only_refuses_before_anything(
    make_session: Callable[..., Any], sandbox_app: Any
) -> None:
    session = await _ready(make_session, read_only=True)
    plan = _plan(session)  # the plan can be looked at
    with pytest.raises(ReadOnlyRefusal):
        Onboarding(session).start(plan)
    assert sandbox_picture(sandbox_app) == {}
