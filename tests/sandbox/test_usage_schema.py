"""Every usage/costs response shape validates against the spec's `UsageResponse` (closed
schemas: no undeclared properties), for every endpoint, width and allowed grouping."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from orgtui.sandbox import Sandbox
from orgtui.sandbox.usage_query import GROUP_FIELDS
from tests.sandbox.conftest import Clock
from tests.sandbox.spec_walk import SPEC_PATH, error_validator, errors_for, response_validator
from tests.sandbox.test_usage_api import KINDS

pytestmark = pytest.mark.skipif(not SPEC_PATH.exists(), reason="spec file not available")


def spec_group_by(template: str) -> list[str]:
    from tests.sandbox.spec_walk import spec

    params = spec()["paths"][template]["get"]["parameters"]
    group = next(p for p in params if p["name"] == "group_by")
    return list(group["schema"]["items"]["enum"])


async def check(client: httpx.AsyncClient, template: str, params: dict[str, Any]) -> dict[str, Any]:
    r = await client.get(template, params=params)
    assert r.status_code == 200, (template, params, r.text[:300])
    body: dict[str, Any] = r.json()
    problems = errors_for(response_validator("GET", template), body)
    assert not problems, (template, params, problems[:5])
    return body


@pytest.mark.parametrize("kind", [*KINDS, "costs"])
async def test_group_by_options_match_the_spec(kind: str) -> None:
    template = "/organization/costs" if kind == "costs" else f"/organization/usage/{kind}"
    assert set(spec_group_by(template)) == set(GROUP_FIELDS[kind])


@pytest.mark.parametrize("kind", [*KINDS, "costs"])
async def test_responses_validate_for_every_width_and_grouping(
    client: httpx.AsyncClient, sb: Sandbox, clock: Clock, kind: str
) -> None:
    template = "/organization/costs" if kind == "costs" else f"/organization/usage/{kind}"
    options = GROUP_FIELDS[kind]
    # Few buckets: validating a result against the oneOf of eleven schemas is slow.
    widths = (
        [("1d", 86400, 3)]
        if kind == "costs"
        else [("1d", 86400, 3), ("1h", 3600, 4), ("1m", 60, 12)]
    )
    sb.set_incident(str(sb.store.scalar("SELECT id FROM api_keys WHERE weight > 1")), 5.0)
    clock.advance(600)
    seen_results = 0
    # No grouping, each key alone, and all of them together.
    chosen = [[], *([g] for g in options), list(options)]
    for (width, seconds, n), group in itertools.product(widths, chosen):
        params: dict[str, Any] = {
            "start_time": sb.now() - n * seconds,
            "bucket_width": width,
            "limit": n + 1,
        }
        if group:
            params["group_by"] = group
        body = await check(client, template, params)
        for b in body["data"]:
            seen_results += len(b["results"])
            for r in b["results"]:
                assert {k for k in options if r[k] is not None} <= set(group)
    assert seen_results > 0


async def test_errors_validate(client: httpx.AsyncClient) -> None:
    for path in ("/organization/usage/completions", "/organization/costs"):
        r = await client.get(path)
        assert r.status_code == 400
        assert not errors_for(error_validator(), r.json())


async def test_dated_model_names_are_priced(client: httpx.AsyncClient, sb: Sandbox) -> None:
    from orgtui.sandbox import prices as P

    assert P.price_key("gpt-4o-mini-2024-07-18") == "gpt-4o-mini"
    assert P.price_key("gpt-4o-2024-08-06") == "gpt-4o"
    assert P.price_key("some-future-model") == P.FALLBACK_MODEL
    for name, price in P.MODEL_PRICES.items():
        for dollars in (price.input, price.cached_input, price.output, price.audio_input):
            assert P.pico_per_token(dollars) % 2 == 0, name  # batch halves stay exact
