"""After onboarding a service, `orgtui check --json` finds none of the seed's problems in the new
projects (limits, alerts and per-service keys are in place from the start)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from orgtui.config import demo_profile
from orgtui.connect import connection_for_app
from orgtui.core.cache import Cache
from orgtui.core.services.onboarding import Onboarding, plan_onboarding
from orgtui.core.session import Session
from orgtui.core.sync import Syncer
from tests.test_reports import orgtui, prepare_demo


async def _onboard(app: Any) -> set[str]:
    connection = connection_for_app(app, demo_profile())
    session = Session(connection.profile, connection.client, Cache.open("onboard-test"))
    try:
        await Syncer(session).refresh_all()
        flow = Onboarding(session)
        flow.start(
            plan_onboarding(
                session,
                app="ledger",
                expected_usd={"dev": 10, "prod": 250},
                services=["api", "batch"],
                recipients="finops@acme-robotics.example",
                models="gpt-4o-mini text-embedding-3-small",
            )
        )

        async def stored(minted: Any, service: Any) -> bool:
            return True

        record = await flow.run(stored)
        return {s.object_id for s in record.steps if s.kind == "project"}
    finally:
        session.close()
        await connection.aclose()


def test_the_onboarded_projects_pass_the_health_checks() -> None:
    app = prepare_demo()
    new_projects = asyncio.run(_onboard(app))
    app.state.sandbox.store.close()

    done = orgtui("check", "--demo", "--json")

    data = json.loads(done.stdout)
    assert len(new_projects) == 2
    about_new = [
        f
        for f in data["findings"]
        if any(o.get("project_id") in new_projects or o["id"] in new_projects for o in f["objects"])
    ]
    assert about_new == []
    assert data["findings"], "the demo org still has its own findings: the check did run"
