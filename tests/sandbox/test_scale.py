"""The generated large organisation: builds fast and pages through everything."""

from __future__ import annotations

import pytest

from orgtui.sandbox import create_app
from orgtui.sandbox.scale import parse_scale
from tests.sandbox.conftest import Clock, get_all, make_client


def test_parse_scale() -> None:
    assert parse_scale("500, 10000,2000") == (500, 10000, 2000)
    for bad in ("1,2", "a,b,c", "1,5,5", "5,-1,5", "5,5,0"):
        with pytest.raises(ValueError):
            parse_scale(bad)


async def test_scaled_org_pages_through_everything(clock: Clock) -> None:
    app = create_app(clock=clock, scale=(500, 10_000, 2_000))
    sb = app.state.sandbox
    async with make_client(app) as c:
        projects = await get_all(c, "/organization/projects", limit=100, include_archived="true")
        assert len(projects) == 500 and len({p["id"] for p in projects}) == 500
        big = projects[1]["id"]
        keys = await get_all(c, f"/organization/projects/{big}/api_keys", limit=100)
        assert len(keys) == 10_000 and len({k["id"] for k in keys}) == 10_000
        assert {k["owner"]["type"] for k in keys} == {"user", "service_account"}
        inactive = await get_all(
            c, f"/organization/projects/{big}/api_keys", limit=100, owner_project_access="inactive"
        )
        assert 0 < len(inactive) < 10_000
        users = await get_all(c, "/organization/users", limit=100)
        assert len(users) == 2_000
        members = await get_all(c, f"/organization/projects/{big}/users", limit=100)
        assert len(members) == 100
        assert (await c.get("/organization/spend_limit")).status_code == 200
    assert sb.store.counts()["api_keys"] >= 10_000
