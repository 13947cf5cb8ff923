"""`GET /v1/organization/costs`: reconciles with usage x the price table, and with the
month-to-date spend the hard limits are enforced against."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from orgtui.sandbox import Sandbox
from orgtui.sandbox import prices as P
from tests.sandbox.conftest import Clock, assert_error
from tests.sandbox.test_usage_api import DAY, all_buckets, page

COSTS = "/organization/costs"
TOL = {"rel": 1e-12, "abs": 1e-9}


def per_token(dollars_per_1m: float) -> Decimal:
    return Decimal(str(dollars_per_1m)) / 1_000_000


async def usage_rows(
    client: httpx.AsyncClient, kind: str, day: int, group_by: list[str]
) -> list[dict[str, Any]]:
    body = await page(
        client, f"/organization/usage/{kind}", start_time=day, end_time=day + DAY, group_by=group_by
    )
    assert len(body["data"]) == 1
    rows: list[dict[str, Any]] = body["data"][0]["results"]
    return rows


async def expected_lines(client: httpx.AsyncClient, day: int) -> dict[str, tuple[Decimal, int]]:
    """Dollars and quantity per line item, recomputed from the usage endpoints."""
    lines: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])

    def add(name: str, quantity: int, unit_price: Decimal) -> None:
        if quantity and unit_price:
            lines[name][0] += quantity * unit_price
            lines[name][1] += quantity

    for r in await usage_rows(client, "completions", day, ["model", "batch"]):
        m, price = r["model"], P.price_of(r["model"])
        text_in = r["input_text_tokens"] + r["input_image_tokens"]
        if r["batch"]:
            add(f"{m}, batch input", text_in, per_token(price.input) / 2)
            add(f"{m}, batch output", r["output_tokens"], per_token(price.output) / 2)
            continue
        add(f"{m}, input", text_in + r["input_cache_write_tokens"], per_token(price.input))
        add(
            f"{m}, cached input",
            r["input_cached_text_tokens"] + r["input_cached_image_tokens"],
            per_token(price.cached_input),
        )
        add(
            f"{m}, output",
            r["output_text_tokens"] + r["output_image_tokens"],
            per_token(price.output),
        )
        add(f"{m}, audio input", r["input_audio_tokens"], per_token(price.audio_input))
        add(
            f"{m}, cached audio input",
            r["input_cached_audio_tokens"],
            per_token(price.audio_cached_input),
        )
        add(f"{m}, audio output", r["output_audio_tokens"], per_token(price.audio_output))
    for r in await usage_rows(client, "embeddings", day, ["model"]):
        add(f"{r['model']}, input", r["input_tokens"], per_token(P.price_of(r["model"]).input))
    for r in await usage_rows(client, "images", day, ["model", "size"]):
        price = Decimal(str(P.price_of(r["model"]).per_image[r["size"]]))
        add(f"{r['model']}, images {r['size']}", r["images"], price)
    for r in await usage_rows(client, "audio_speeches", day, ["model"]):
        add(
            f"{r['model']}, characters",
            r["characters"],
            per_token(P.price_of(r["model"]).per_1m_characters),
        )
    for r in await usage_rows(client, "audio_transcriptions", day, ["model"]):
        per_second = Decimal(str(P.price_of(r["model"]).per_minute)) / 60
        add(f"{r['model']}, audio", r["seconds"], per_second)
    for r in await usage_rows(client, "web_search_calls", day, []):
        add("web search tool calls", r["num_requests"], Decimal(str(P.WEB_SEARCH_PER_CALL)))
    for r in await usage_rows(client, "file_search_calls", day, []):
        add("file search tool calls", r["num_requests"], Decimal(str(P.FILE_SEARCH_PER_CALL)))
    for r in await usage_rows(client, "code_interpreter_sessions", day, []):
        add(
            "code interpreter sessions",
            r["num_sessions"],
            Decimal(str(P.CODE_INTERPRETER_PER_SESSION)),
        )
    return {k: (v[0], v[1]) for k, v in lines.items()}


@pytest.mark.parametrize("days_ago", [3, 0])
async def test_costs_reconcile_with_usage_times_prices(
    client: httpx.AsyncClient, sb: Sandbox, days_ago: int
) -> None:
    day = sb.now() - sb.now() % DAY - days_ago * DAY
    expected = await expected_lines(client, day)
    body = await page(client, COSTS, start_time=day, end_time=day + DAY, group_by="line_item")
    results = body["data"][0]["results"]
    got = {r["line_item"]: r for r in results}
    assert set(got) == set(expected)
    for name, (dollars, quantity) in expected.items():
        assert got[name]["amount"] == {
            "value": pytest.approx(float(dollars), **TOL),
            "currency": "usd",
        }
        assert got[name]["quantity"] == quantity
    units = {r["line_item"]: r["quantity_unit"] for r in results}
    assert units["gpt-4o-mini, input"] == "tokens"
    assert units.get("whisper-1, audio", "duration_seconds") == "duration_seconds"
    total = (await page(client, COSTS, start_time=day, end_time=day + DAY))["data"][0]["results"]
    assert len(total) == 1 and total[0]["line_item"] is None and total[0]["quantity"] is None
    assert total[0]["amount"]["value"] == pytest.approx(
        float(sum(d for d, _ in expected.values())), **TOL
    )


async def test_groupings_sum_to_the_same_total(client: httpx.AsyncClient, sb: Sandbox) -> None:
    start = sb.now() - 10 * DAY
    totals = [
        b["results"][0]["amount"]["value"] if b["results"] else 0.0
        for b in (await page(client, COSTS, start_time=start, limit=11))["data"]
    ]
    for group in (["project_id"], ["api_key_id"], ["project_id", "line_item", "api_key_id"]):
        body = await page(client, COSTS, start_time=start, limit=11, group_by=group)
        sums = [sum(r["amount"]["value"] for r in b["results"]) for b in body["data"]]
        assert sums == pytest.approx(totals, rel=1e-9)
        for r in (r for b in body["data"] for r in b["results"]):
            for key in ("project_id", "line_item", "api_key_id"):
                assert (r[key] is not None) == (key in group)


async def test_costs_filters(client: httpx.AsyncClient, sb: Sandbox) -> None:
    start = sb.now() - 5 * DAY
    by_key = await page(client, COSTS, start_time=start, group_by=["api_key_id", "project_id"])
    row = max((r for b in by_key["data"] for r in b["results"]), key=lambda r: r["amount"]["value"])
    only = await page(client, COSTS, start_time=start, api_key_ids=row["api_key_id"])
    assert [
        b["results"][0]["amount"]["value"] if b["results"] else 0.0 for b in only["data"]
    ] == pytest.approx(
        [
            sum(r["amount"]["value"] for r in b["results"] if r["api_key_id"] == row["api_key_id"])
            for b in by_key["data"]
        ]
    )
    project = await page(
        client, COSTS, start_time=start, project_ids=row["project_id"], group_by="project_id"
    )
    assert {r["project_id"] for b in project["data"] for r in b["results"]} == {row["project_id"]}


async def test_costs_paging_and_limits(client: httpx.AsyncClient, sb: Sandbox) -> None:
    start = sb.now() - 40 * DAY
    assert len((await page(client, COSTS, start_time=start))["data"]) == 7
    assert len((await page(client, COSTS, start_time=start, limit=180))["data"]) == 41
    paged = await all_buckets(client, COSTS, start_time=start, limit=6)
    assert [b["start_time"] for b in paged] == [start - start % DAY + k * DAY for k in range(41)]
    assert_error(await client.get(COSTS, params={"start_time": start, "bucket_width": "1m"}), 400)


async def test_month_to_date_equals_the_months_daily_costs(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock
) -> None:
    for when in (
        clock.t,
        datetime(2025, 10, 31, 23, 59, 30, tzinfo=UTC).timestamp(),
        datetime(2025, 11, 1, 0, 5, tzinfo=UTC).timestamp(),
    ):
        clock.t = when
        d = datetime.fromtimestamp(when, UTC)
        month = int(datetime(d.year, d.month, 1, tzinfo=UTC).timestamp())
        for pid in (None, *(r["id"] for r in sb.store.query("SELECT id FROM projects"))):
            params: dict[str, Any] = {"start_time": month, "limit": 31}
            if pid:
                params["project_ids"] = pid
            body = await page(client, COSTS, **params)
            assert not body["has_more"]
            assert body["data"][-1]["start_time"] <= when < body["data"][-1]["end_time"]
            daily = sum(r["amount"]["value"] for b in body["data"] for r in b["results"])
            assert sb.month_to_date_cost_usd(pid) == pytest.approx(daily, **TOL), (when, pid)
    assert sb.month_to_date_cost_usd(None) < 50  # five minutes into November


async def test_demo_spend_is_plausible(sb: Sandbox) -> None:
    """A few thousand dollars a month, so the demo's hard limits mean something."""
    org = sb.month_to_date_cost_usd(None)
    days = (sb.now() - sb.now() % DAY - datetime(2025, 10, 1, tzinfo=UTC).timestamp()) / DAY + 0.4
    assert 20 < org / days < 400
