"""Projects and rate limits: the spec's semantics."""

from __future__ import annotations

import httpx

from orgtui.sandbox import Sandbox
from tests.sandbox.conftest import FROZEN_NOW, assert_error, get_all, project_id


async def test_list_hides_archived_unless_asked(client: httpx.AsyncClient) -> None:
    active = await get_all(client, "/organization/projects")
    everything = await get_all(client, "/organization/projects", include_archived="true")
    assert "experiment-2025" not in {p["name"] for p in active}
    archived = [p for p in everything if p["name"] == "experiment-2025"]
    assert archived and archived[0]["status"] == "archived" and archived[0]["archived_at"]
    assert {p["name"] for p in active} >= {
        "Default project",
        "search-prod",
        "search-dev",
        "support-bot-prod",
        "support-bot-dev",
        "data-pipeline",
    }


async def test_create_retrieve_modify_archive(client: httpx.AsyncClient) -> None:
    r = await client.post(
        "/organization/projects", json={"name": "vision-prod", "residency": "EU_STORAGE_PROCESSING"}
    )
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["object"] == "organization.project" and p["id"].startswith("proj_")
    assert p["residency"] == "EU_STORAGE_PROCESSING" and p["status"] == "active"
    assert p["created_at"] == int(FROZEN_NOW) and p["archived_at"] is None
    got = (await client.get(f"/organization/projects/{p['id']}")).json()
    assert got == p
    r = await client.post(f"/organization/projects/{p['id']}", json={"name": "vision-production"})
    assert r.json()["name"] == "vision-production"
    r = await client.post(f"/organization/projects/{p['id']}/archive")
    assert r.json()["status"] == "archived" and r.json()["archived_at"] == int(FROZEN_NOW)
    # Archiving again is harmless; modifying an archived project is not allowed.
    assert (await client.post(f"/organization/projects/{p['id']}/archive")).status_code == 200
    assert_error(
        await client.post(f"/organization/projects/{p['id']}", json={"name": "x"}), 400, "archived"
    )
    # The creator (the admin key's owner) is the project's owner.
    users = (await client.get(f"/organization/projects/{p['id']}/users")).status_code
    assert users == 400


async def test_create_validation(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/organization/projects", json={}), 400, "name")
    assert_error(await client.post("/organization/projects", json={"name": 5}), 400, "name")
    assert_error(await client.post("/organization/projects", json={"name": "  "}), 400, "empty")
    err = assert_error(
        await client.post("/organization/projects", json={"name": "x", "residency": "MARS"}), 400
    )
    assert err["param"] == "residency"


async def test_default_project_cannot_be_modified_or_archived(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pid = project_id(sb, "Default project")
    err = assert_error(
        await client.post(f"/organization/projects/{pid}", json={"name": "x"}),
        400,
        "default project",
    )
    assert err["type"] == "invalid_request_error"
    assert_error(await client.post(f"/organization/projects/{pid}/archive"), 400, "default")
    assert (await client.get(f"/organization/projects/{pid}")).json()["name"] == "Default project"


async def test_unknown_project_is_404(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/organization/projects/proj_nope"), 404, "proj_nope")
    assert_error(await client.get("/organization/projects/proj_nope/api_keys"), 404)


async def test_projects_page_with_after(client: httpx.AsyncClient) -> None:
    for i in range(25):
        await client.post("/organization/projects", json={"name": f"bulk-{i:02d}"})
    r = await client.get("/organization/projects", params={"limit": 10})
    body = r.json()
    assert len(body["data"]) == 10 and body["has_more"] is True
    assert body["first_id"] == body["data"][0]["id"] and body["last_id"] == body["data"][-1]["id"]
    everything = await get_all(client, "/organization/projects", limit=7)
    ids = [p["id"] for p in everything]
    assert len(ids) == len(set(ids)) == 6 + 25
    default = (await client.get("/organization/projects")).json()
    assert default["data"].__len__() == 20  # default limit


async def test_limit_bounds(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/organization/projects", params={"limit": 0}), 400, "limit")
    assert_error(await client.get("/organization/projects", params={"limit": 101}), 400)
    assert_error(await client.get("/organization/projects", params={"limit": "ten"}), 400)
    assert_error(
        await client.get("/organization/projects", params={"after": "proj_x"}), 400, "after"
    )


async def test_rate_limits_list_and_update(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    limits = await get_all(client, f"/organization/projects/{pid}/rate_limits")
    models = {rl["model"] for rl in limits}
    assert {"gpt-4o", "gpt-4o-mini", "o3", "text-embedding-3-small"} <= models
    assert all(
        rl["id"] == f"rl-{rl['model']}" and rl["object"] == "project.rate_limit" for rl in limits
    )
    image = next(rl for rl in limits if rl["model"] == "gpt-image-1")
    assert "max_images_per_1_minute" in image
    assert "max_images_per_1_minute" not in next(rl for rl in limits if rl["model"] == "gpt-4o")
    r = await client.post(
        f"/organization/projects/{pid}/rate_limits/rl-gpt-4o",
        json={"max_requests_per_1_minute": 100},
    )
    assert r.status_code == 200 and r.json()["max_requests_per_1_minute"] == 100
    page = (
        await client.get(f"/organization/projects/{pid}/rate_limits", params={"limit": 2})
    ).json()
    assert page["has_more"] and len(page["data"]) == 2
    before = (
        await client.get(
            f"/organization/projects/{pid}/rate_limits",
            params={"before": limits[3]["id"], "limit": 2},
        )
    ).json()
    assert [rl["id"] for rl in before["data"]] == [limits[1]["id"], limits[2]["id"]]


async def test_rate_limit_update_errors(client: httpx.AsyncClient, sb: Sandbox) -> None:
    pid = project_id(sb, "search-prod")
    base = f"/organization/projects/{pid}/rate_limits"
    assert_error(
        await client.post(f"{base}/rl-gpt-4o", json={"max_requests_per_1_minute": 10**9}),
        400,
        "exceed",
    )
    assert_error(
        await client.post(f"{base}/rl-gpt-4o", json={"max_images_per_1_minute": 5}),
        400,
        "does not apply",
    )
    assert_error(
        await client.post(f"{base}/rl-gpt-4o", json={"max_requests_per_1_minute": "many"}), 400
    )
    assert_error(
        await client.post(f"{base}/rl-gpt-4o", json={"max_requests_per_1_minute": -1}), 400
    )
    assert_error(await client.post(f"{base}/rl-nope", json={}), 404)
    archived = project_id(sb, "experiment-2025")
    assert_error(
        await client.post(
            f"/organization/projects/{archived}/rate_limits/rl-o3",
            json={"max_requests_per_1_minute": 1},
        ),
        400,
        "archived",
    )
