"""Hard spend limits and spend alerts (integer cents, USD), org-wide and per project."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from orgtui.sandbox import Sandbox
from tests.sandbox.conftest import assert_error, get_all, project_id


class FakeTraffic:
    def __init__(self, costs: dict[str | None, float]) -> None:
        self.costs = costs

    def month_to_date_cost_usd(self, project_id: str | None) -> float:
        return self.costs.get(project_id, 0.0)


def limit_body(cents: Any) -> dict[str, Any]:
    return {"threshold_amount": cents, "currency": "USD", "interval": "month"}


@pytest.mark.parametrize("scope", ["org", "project"])
async def test_spend_limit_crud(client: httpx.AsyncClient, sb: Sandbox, scope: str) -> None:
    pid = project_id(sb, "data-pipeline")  # has no hard limit in the demo
    base = "/organization" if scope == "org" else f"/organization/projects/{pid}"
    kind = "organization" if scope == "org" else "project"
    sb.traffic = FakeTraffic({None: 10.0, pid: 10.0})
    if scope == "org":
        await client.delete(f"{base}/spend_limit")
    err = assert_error(await client.get(f"{base}/spend_limit"), 404, "no spend limit")
    assert err["type"] == "invalid_request_error"
    r = await client.post(f"{base}/spend_limit", json=limit_body(1500))
    assert r.status_code == 200, r.text
    assert r.json() == {
        "object": f"{kind}.spend_limit",
        "threshold_amount": 1500,
        "currency": "USD",
        "interval": "month",
        "enforcement": {"status": "inactive"},
    }
    r = await client.post(f"{base}/spend_limit", json=limit_body(1000))  # replace
    assert r.json()["threshold_amount"] == 1000
    assert r.json()["enforcement"]["status"] == "enforcing"  # $10.00 spent >= 1000 cents
    assert (await client.get(f"{base}/spend_limit")).json() == r.json()
    r = await client.delete(f"{base}/spend_limit")
    assert r.json() == {"object": f"{kind}.spend_limit.deleted", "deleted": True}
    assert_error(await client.get(f"{base}/spend_limit"), 404)
    assert_error(await client.delete(f"{base}/spend_limit"), 404)


@pytest.mark.parametrize(
    "body",
    [
        limit_body(0),
        limit_body(-5),
        limit_body(12.5),
        limit_body("100"),
        limit_body(True),
        {"threshold_amount": 100, "currency": "usd", "interval": "month"},
        {"threshold_amount": 100, "currency": "EUR", "interval": "month"},
        {"threshold_amount": 100, "currency": "USD", "interval": "week"},
        {"threshold_amount": 100, "currency": "USD"},
    ],
)
async def test_spend_limit_validation(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    assert_error(await client.post("/organization/spend_limit", json=body), 400)


async def test_enforcement_follows_traffic(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    limit = (await client.get(f"/organization/projects/{pid}/spend_limit")).json()
    mtd = sb.traffic.month_to_date_cost_usd(pid)
    expected = "enforcing" if round(mtd * 100) >= limit["threshold_amount"] else "inactive"
    assert limit["enforcement"]["status"] == expected
    sb.traffic = FakeTraffic({pid: limit["threshold_amount"] / 100 - 0.01})
    r = await client.get(f"/organization/projects/{pid}/spend_limit")
    assert r.json()["enforcement"]["status"] == "inactive"
    sb.traffic = FakeTraffic({pid: limit["threshold_amount"] / 100})
    r = await client.get(f"/organization/projects/{pid}/spend_limit")
    assert r.json()["enforcement"]["status"] == "enforcing"


async def test_demo_has_limits_on_some_projects(client: httpx.AsyncClient) -> None:
    assert (await client.get("/organization/spend_limit")).status_code == 200
    statuses = {}
    for p in await get_all(client, "/organization/projects"):
        statuses[p["name"]] = (
            await client.get(f"/organization/projects/{p['id']}/spend_limit")
        ).status_code
    assert statuses["search-prod"] == 200 and statuses["data-pipeline"] == 404


def alert_body(cents: int, recipients: list[str] | None = None) -> dict[str, Any]:
    return {
        "threshold_amount": cents,
        "currency": "USD",
        "interval": "month",
        "notification_channel": {
            "type": "email",
            "recipients": recipients or ["ops@acme.example"],
            "subject_prefix": "[spend]",
        },
    }


@pytest.mark.parametrize("scope", ["org", "project"])
async def test_spend_alert_crud(client: httpx.AsyncClient, sb: Sandbox, scope: str) -> None:
    pid = project_id(sb, "support-bot-dev")
    base = (
        "/organization" if scope == "org" else f"/organization/projects/{pid}"
    ) + "/spend_alerts"
    kind = "organization" if scope == "org" else "project"
    before = await get_all(client, base)
    r = await client.post(base, json=alert_body(12_345))
    assert r.status_code == 200, r.text
    alert = r.json()
    assert alert["object"] == f"{kind}.spend_alert" and alert["threshold_amount"] == 12_345
    assert alert["notification_channel"] == {
        "type": "email",
        "recipients": ["ops@acme.example"],
        "subject_prefix": "[spend]",
    }
    assert (await client.get(f"{base}/{alert['id']}")).json() == alert
    r = await client.post(f"{base}/{alert['id']}", json=alert_body(20_000, ["a@b.example"]))
    assert r.json()["threshold_amount"] == 20_000
    assert r.json()["notification_channel"]["recipients"] == ["a@b.example"]
    assert len(await get_all(client, base)) == len(before) + 1
    r = await client.delete(f"{base}/{alert['id']}")
    assert r.json() == {"id": alert["id"], "object": f"{kind}.spend_alert.deleted", "deleted": True}
    assert_error(await client.get(f"{base}/{alert['id']}"), 404)


async def test_spend_alert_paging_and_validation(client: httpx.AsyncClient) -> None:
    base = "/organization/spend_alerts"
    for i in range(5):
        await client.post(base, json=alert_body(1000 + i))
    page = (await client.get(base, params={"limit": 3})).json()
    assert len(page["data"]) == 3 and page["has_more"]
    desc = (await client.get(base, params={"order": "desc", "limit": 1})).json()
    assert desc["data"][0]["threshold_amount"] == 1004
    zero = (await client.get(base, params={"limit": 0})).json()
    assert zero["data"] == [] and zero["first_id"] is None
    for bad in (
        {**alert_body(100), "currency": "usd"},
        {**alert_body(100), "threshold_amount": 1.5},
        {k: v for k, v in alert_body(100).items() if k != "notification_channel"},
        {**alert_body(100), "notification_channel": {"type": "sms", "recipients": ["a@b.c"]}},
        {**alert_body(100), "notification_channel": {"type": "email", "recipients": []}},
        {**alert_body(100), "notification_channel": {"type": "email", "recipients": ["nope"]}},
    ):
        assert_error(await client.post(base, json=bad), 400)


async def test_archived_project_limits(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "experiment-2025")
    assert_error(
        await client.post(f"/organization/projects/{pid}/spend_limit", json=limit_body(100)),
        400,
        "archived",
    )
    assert_error(
        await client.post(f"/organization/projects/{pid}/spend_alerts", json=alert_body(100)),
        400,
        "archived",
    )
