"""`GET /v1/organization/usage/*` over HTTP on the demo organisation (frozen clock)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from orgtui.sandbox import Sandbox
from tests.sandbox.conftest import Clock, assert_error, project_id, user_id

DAY, HOUR, MINUTE = 86400, 3600, 60
COMPLETIONS = "/organization/usage/completions"
KINDS = (
    "completions",
    "embeddings",
    "moderations",
    "images",
    "audio_speeches",
    "audio_transcriptions",
    "vector_stores",
    "code_interpreter_sessions",
    "file_search_calls",
    "web_search_calls",
)


async def page(client: httpx.AsyncClient, path: str, **params: Any) -> dict[str, Any]:
    r = await client.get(path, params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def all_buckets(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every bucket, following `next_page` (passed back unmodified)."""
    buckets: list[dict[str, Any]] = []
    cursor = None
    seen = set()
    while True:
        q = dict(params)
        if cursor:
            q["page"] = cursor
        body = await page(client, path, **q)
        buckets += body["data"]
        if not body["has_more"]:
            assert body["next_page"] is None
            return buckets
        assert body["next_page"] not in seen
        seen.add(body["next_page"])
        cursor = body["next_page"]


def requests_of(buckets: list[dict[str, Any]], field: str = "num_model_requests") -> list[int]:
    return [sum(r[field] for r in b["results"]) for b in buckets]


def aligned(t: float, width: int) -> int:
    return int(t) - int(t) % width


async def test_default_page_is_seven_days_ending_with_the_live_one(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    now = sb.now()
    body = await page(client, COMPLETIONS, start_time=now - 6 * DAY)
    assert body["object"] == "page"
    assert [b["start_time"] for b in body["data"]] == [
        aligned(now, DAY) - k * DAY for k in range(6, -1, -1)
    ]
    assert body["has_more"] is False and body["next_page"] is None
    assert all(b["end_time"] - b["start_time"] == DAY for b in body["data"])
    result = body["data"][-1]["results"][0]
    assert result["object"] == "organization.usage.completions.result"
    for key in ("project_id", "user_id", "api_key_id", "model", "batch", "service_tier"):
        assert key in result and result[key] is None
    assert result["input_tokens"] == (
        result["input_uncached_tokens"]
        + result["input_cached_tokens"]
        + result["input_cache_write_tokens"]
    )


@pytest.mark.parametrize(
    ("width", "default", "maximum"), [("1d", 7, 31), ("1h", 24, 168), ("1m", 60, 1440)]
)
async def test_limits_per_width(
    client: httpx.AsyncClient, sb: Sandbox, width: str, default: int, maximum: int
) -> None:
    seconds = {"1d": DAY, "1h": HOUR, "1m": MINUTE}[width]
    start = sb.now() - 2000 * seconds
    body = await page(client, COMPLETIONS, start_time=start, bucket_width=width)
    assert len(body["data"]) == default and body["has_more"] is True
    body = await page(client, COMPLETIONS, start_time=start, bucket_width=width, limit=maximum)
    assert len(body["data"]) == maximum
    for bad in (0, maximum + 1):
        r = await client.get(
            COMPLETIONS, params={"start_time": start, "bucket_width": width, "limit": bad}
        )
        assert assert_error(r, 400, "limit")["param"] == "limit"


async def test_bad_parameters_are_400_envelopes(client: httpx.AsyncClient, sb: Sandbox) -> None:
    now = sb.now()
    cases: list[tuple[str, dict[str, Any], str]] = [
        (COMPLETIONS, {}, "start_time"),
        (COMPLETIONS, {"start_time": "yesterday"}, "start_time"),
        (COMPLETIONS, {"start_time": now, "end_time": now - 10}, "end_time"),
        (COMPLETIONS, {"start_time": now, "bucket_width": "1w"}, "bucket_width"),
        (COMPLETIONS, {"start_time": now, "group_by": "line_item"}, "group_by"),
        (COMPLETIONS, {"start_time": now, "group_by": ["model", "colour"]}, "group_by"),
        (COMPLETIONS, {"start_time": now, "page": "page_not-a-cursor"}, "page"),
        (COMPLETIONS, {"start_time": now, "batch": "maybe"}, "batch"),
        ("/organization/usage/images", {"start_time": now, "sizes": "3x3"}, "sizes"),
        (
            "/organization/usage/web_search_calls",
            {"start_time": now, "context_levels": "max"},
            "context_levels",
        ),
        (
            "/organization/usage/vector_stores",
            {"start_time": now, "group_by": "api_key_id"},
            "group_by",
        ),
        ("/organization/costs", {"start_time": now, "bucket_width": "1h"}, "bucket_width"),
        ("/organization/costs", {"start_time": now, "group_by": "model"}, "group_by"),
        ("/organization/costs", {"start_time": now, "limit": 181}, "limit"),
    ]
    for path, params, param in cases:
        err = assert_error(await client.get(path, params=params), 400)
        assert err["param"] == param, (path, params, err)
        assert err["type"] == "invalid_request_error"


async def test_a_cursor_from_another_width_is_refused(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    start = sb.now() - 3 * DAY
    body = await page(client, COMPLETIONS, start_time=start, bucket_width="1h")
    cursor = body["next_page"]
    assert cursor
    r = await client.get(COMPLETIONS, params={"start_time": start, "page": cursor})
    assert assert_error(r, 400)["param"] == "page"
    r = await client.get(
        "/organization/usage/embeddings",
        params={"start_time": start, "bucket_width": "1h", "page": cursor},
    )
    assert assert_error(r, 400)["param"] == "page"


async def test_paging_returns_every_bucket_once(client: httpx.AsyncClient, sb: Sandbox) -> None:
    now = sb.now()
    start = now - 5 * DAY - 1234
    paged = await all_buckets(
        client, COMPLETIONS, start_time=start, bucket_width="1h", limit=7, group_by="project_id"
    )
    starts = [b["start_time"] for b in paged]
    assert starts == list(range(aligned(start, HOUR), now, HOUR))
    whole = await page(
        client, COMPLETIONS, start_time=start, bucket_width="1h", limit=168, group_by="project_id"
    )
    assert whole["data"] == paged
    # With an end_time, paging stops there.
    bounded = await all_buckets(
        client,
        COMPLETIONS,
        start_time=start,
        end_time=start + 50 * HOUR,
        bucket_width="1h",
        limit=24,
    )
    assert len(bounded) == 51  # the first bucket starts before start_time (aligned)
    assert requests_of(bounded) == requests_of(paged[:51])


async def test_totals_agree_across_widths_over_http(client: httpx.AsyncClient, sb: Sandbox) -> None:
    now = sb.now()
    for day in (aligned(now, DAY) - 2 * DAY, aligned(now, DAY)):
        end = day + DAY
        d = await page(client, COMPLETIONS, start_time=day, end_time=end, bucket_width="1d")
        h = await all_buckets(client, COMPLETIONS, start_time=day, end_time=end, bucket_width="1h")
        m = await all_buckets(
            client, COMPLETIONS, start_time=day, end_time=end, bucket_width="1m", limit=1440
        )
        for field in ("num_model_requests", "input_tokens", "output_tokens", "input_cached_tokens"):
            total = requests_of(d["data"], field)
            assert total == [sum(requests_of(h, field))] == [sum(requests_of(m, field))]
            assert total[0] > 0
        hourly = requests_of(h)
        minutes = requests_of(m)
        assert all(hourly[i] == sum(minutes[i * 60 : (i + 1) * 60]) for i in range(len(hourly)))


async def test_array_parameter_styles(client: httpx.AsyncClient, sb: Sandbox) -> None:
    start = sb.now() - 3 * DAY
    a, b = project_id(sb, "search-prod"), project_id(sb, "data-pipeline")
    urls = [
        f"{COMPLETIONS}?start_time={start}&project_ids[]={a}&project_ids[]={b}&group_by[]=project_id&group_by[]=model",
        f"{COMPLETIONS}?start_time={start}&project_ids={a}&project_ids={b}&group_by=project_id&group_by=model",
        f"{COMPLETIONS}?start_time={start}&project_ids={a},{b}&group_by=project_id,model",
    ]
    bodies = []
    for url in urls:
        r = await client.get(url)
        assert r.status_code == 200, r.text
        bodies.append(r.json())
    assert bodies[0] == bodies[1] == bodies[2]
    seen = {(r["project_id"], r["model"]) for bkt in bodies[0]["data"] for r in bkt["results"]}
    assert {p for p, _ in seen} == {a, b}
    assert all(m is not None for _, m in seen)


async def test_filters_and_groups_partition_the_total(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    start = sb.now() - 4 * DAY
    total = requests_of((await page(client, COMPLETIONS, start_time=start))["data"])
    for group in ("project_id", "api_key_id", "user_id", "model", "batch", "service_tier"):
        grouped = (await page(client, COMPLETIONS, start_time=start, group_by=group))["data"]
        assert requests_of(grouped) == total, group
        keys = [r[group] for b in grouped for r in b["results"]]
        assert len(set(keys)) >= 2 or group == "service_tier"
    by_project = (await page(client, COMPLETIONS, start_time=start, group_by="project_id"))["data"]
    for pid in {r["project_id"] for b in by_project for r in b["results"]}:
        only = (await page(client, COMPLETIONS, start_time=start, project_ids=pid))["data"]
        assert requests_of(only) == [
            sum(r["num_model_requests"] for r in b["results"] if r["project_id"] == pid)
            for b in by_project
        ]
    models = (
        await page(client, COMPLETIONS, start_time=start, models="gpt-4o-mini", group_by="model")
    )["data"]
    assert {r["model"] for b in models for r in b["results"]} == {"gpt-4o-mini"}
    batch = (await page(client, COMPLETIONS, start_time=start, batch="true", group_by="batch"))[
        "data"
    ]
    assert {r["batch"] for b in batch for r in b["results"]} == {True}


async def test_user_filter_excludes_service_account_keys(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    start = sb.now() - 6 * DAY
    ada = user_id(sb, "Ada")
    rows = await page(
        client, COMPLETIONS, start_time=start, user_ids=ada, group_by=["user_id", "api_key_id"]
    )
    results = [r for b in rows["data"] for r in b["results"]]
    assert results and {r["user_id"] for r in results} == {ada}
    owners = {
        k["id"]: k["owner_user_id"]
        for k in sb.store.query("SELECT id, owner_user_id FROM api_keys")
    }
    assert all(owners[r["api_key_id"]] == ada for r in results)
    everyone = await page(client, COMPLETIONS, start_time=start, group_by="user_id")
    assert None in {r["user_id"] for b in everyone["data"] for r in b["results"]}


async def test_empty_buckets_are_listed(client: httpx.AsyncClient, sb: Sandbox) -> None:
    body = await page(client, COMPLETIONS, start_time=sb.now() - 3 * DAY, project_ids="proj_nope")
    assert len(body["data"]) == 4
    assert all(b["results"] == [] for b in body["data"])
    future = await page(client, COMPLETIONS, start_time=sb.now() + DAY)
    assert future == {"object": "page", "data": [], "has_more": False, "next_page": None}


@pytest.mark.parametrize("kind", KINDS)
async def test_every_endpoint_has_data(client: httpx.AsyncClient, sb: Sandbox, kind: str) -> None:
    body = await page(client, f"/organization/usage/{kind}", start_time=sb.now() - 7 * DAY)
    results = [r for b in body["data"] for r in b["results"]]
    assert results, kind
    assert {r["object"] for r in results} == {
        {
            "file_search_calls": "organization.usage.file_searches.result",
            "web_search_calls": "organization.usage.web_searches.result",
        }.get(kind, f"organization.usage.{kind}.result")
    }


async def test_deleted_key_keeps_its_history(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    key = sb.store.one(
        "SELECT id, project_id FROM api_keys WHERE owner_type = 'user'"
        " AND deleted_at IS NULL AND active_until IS NULL AND weight > 0 ORDER BY weight DESC"
    )
    assert key is not None
    kid, pid = key["id"], key["project_id"]
    start = sb.now() - 3 * DAY
    before = await page(
        client, COMPLETIONS, start_time=start, bucket_width="1h", limit=168, api_key_ids=kid
    )
    assert sum(requests_of(before["data"])) > 0
    r = await client.delete(f"/organization/projects/{pid}/api_keys/{kid}")
    assert r.status_code == 200, r.text
    clock.advance(6 * HOUR)
    after = await page(
        client, COMPLETIONS, start_time=start, bucket_width="1h", limit=168, api_key_ids=kid
    )
    n = len(before["data"])
    assert after["data"][: n - 1] == before["data"][: n - 1]
    assert requests_of(after["data"][n:]) == [0] * (len(after["data"]) - n)


async def test_incident_spikes_the_live_graph_only(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    kid = sb.store.scalar("SELECT id FROM api_keys WHERE name = 'zendesk-webhook'")
    start = sb.now() - 2 * HOUR
    params = {"start_time": start, "bucket_width": "1m", "limit": 1440, "api_key_ids": kid}
    before = (await page(client, COMPLETIONS, **params))["data"]
    sb.set_incident(kid, 25.0)
    clock.advance(15 * MINUTE)
    after = (await page(client, COMPLETIONS, **params))["data"]
    n = len(before)
    assert after[: n - 1] == before[: n - 1]
    old_rate = sum(requests_of(before[:-1])) / (n - 1)
    new_rate = sum(requests_of(after[n:])) / (len(after) - n)
    assert new_rate > 8 * old_rate
    r = await client.get(
        COMPLETIONS,
        params={"start_time": start, "bucket_width": "1m", "limit": 1440, "group_by": "api_key_id"},
    )
    live = r.json()["data"][-2]["results"]
    assert max(live, key=lambda res: res["num_model_requests"])["api_key_id"] == kid


async def test_live_minute_grows_with_the_clock(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    start = aligned(sb.now(), HOUR)
    first = (await page(client, COMPLETIONS, start_time=start, bucket_width="1h"))["data"]
    grew = False
    for _ in range(5):
        clock.advance(7 * MINUTE)
        again = (await page(client, COMPLETIONS, start_time=start, bucket_width="1h"))["data"]
        assert requests_of(again)[0] >= requests_of(first)[0]
        grew = grew or requests_of(again)[0] > requests_of(first)[0]
        first = again
    assert grew
