"""Paging: style A (after=last_id) and style C (page=next_page, unmodified), with loop guards."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from orgtui.api import errors as E

from .conftest import FakeServer, ok, page, project


def _projects_server(server: FakeServer, pages: list[dict[str, Any]]) -> None:
    by_cursor = {None: pages[0]}
    for prev, nxt in zip(pages, pages[1:], strict=False):
        by_cursor[prev["last_id"]] = nxt

    async def reply(request: httpx.Request) -> httpx.Response:
        return ok(by_cursor[request.url.params.get("after")])

    server.on("GET", "/organization/projects", reply)


async def test_style_a_walks_every_page(server: FakeServer, client) -> None:
    pages = [page([project(i) for i in range(k * 3, k * 3 + 3)], has_more=k < 3) for k in range(4)]
    _projects_server(server, pages)
    got = [p.id async for p in client.iter_projects()]
    assert got == [f"proj_{i}" for i in range(12)]
    afters = [r.url.params.get("after") for r in server.requests]
    assert afters == [None, "proj_2", "proj_5", "proj_8"]
    assert all(r.url.params["limit"] == "100" for r in server.requests)
    assert "include_archived" not in server.requests[0].url.params


async def test_style_a_include_archived(server: FakeServer, client) -> None:
    server.on("GET", "/organization/projects", ok(page([project(1)], has_more=False)))
    [p async for p in client.iter_projects(include_archived=True)]
    assert server.requests[0].url.params["include_archived"] == "true"


async def test_style_a_falls_back_to_last_item_id(server: FakeServer, client) -> None:
    first = page([project(1), project(2)], has_more=True, last_id=None)
    second = page([project(3)], has_more=False)

    async def reply(request: httpx.Request) -> httpx.Response:
        return ok(second if request.url.params.get("after") == "proj_2" else first)

    server.on("GET", "/organization/projects", reply)
    assert [p.id async for p in client.iter_projects()] == ["proj_1", "proj_2", "proj_3"]


async def test_style_a_repeated_cursor_is_malformed(server: FakeServer, client) -> None:
    # a server stuck on the same page would loop forever
    server.on("GET", "/organization/projects", ok(page([project(1)], has_more=True)))
    got = []
    with pytest.raises(E.MalformedResponseError, match="repeated"):
        async for p in client.iter_projects():
            got.append(p.id)
    assert len(server.requests) == 2
    assert got == ["proj_1", "proj_1"]


async def test_style_a_cycle_is_malformed(server: FakeServer, client) -> None:
    a = page([project(1)], has_more=True)
    b = page([project(2)], has_more=True)

    async def reply(request: httpx.Request) -> httpx.Response:
        return ok(b if request.url.params.get("after") == "proj_1" else a)

    server.on("GET", "/organization/projects", reply)
    with pytest.raises(E.MalformedResponseError):
        [p async for p in client.iter_projects()]
    assert len(server.requests) == 3


async def test_style_a_has_more_without_cursor(server: FakeServer, client) -> None:
    server.on("GET", "/organization/projects", ok(page([], has_more=True)))
    with pytest.raises(E.MalformedResponseError, match="no cursor"):
        [p async for p in client.iter_projects()]


def _bucket(t: int) -> dict[str, Any]:
    return {
        "object": "bucket",
        "start_time": t,
        "end_time": t + 60,
        "results": [
            {
                "object": "organization.usage.completions.result",
                "input_tokens": t,
                "output_tokens": 1,
                "num_model_requests": 1,
            }
        ],
    }


# Opaque tokens with characters that a careless client would re-encode or "fix".
TOKENS = ["page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=", "a+b/c==&x=1 y%20z", "ÄÖ✓"]


async def test_style_c_passes_next_page_back_unmodified(server: FakeServer, client) -> None:
    pages = {
        None: {"object": "page", "data": [_bucket(0)], "has_more": True, "next_page": TOKENS[0]},
        TOKENS[0]: {
            "object": "page",
            "data": [_bucket(60)],
            "has_more": True,
            "next_page": TOKENS[1],
        },
        TOKENS[1]: {
            "object": "page",
            "data": [_bucket(120)],
            "has_more": True,
            "next_page": TOKENS[2],
        },
        TOKENS[2]: {"object": "page", "data": [_bucket(180)], "has_more": False, "next_page": None},
    }

    async def reply(request: httpx.Request) -> httpx.Response:
        return ok(pages[request.url.params.get("page")])

    server.on("GET", "/organization/usage/completions", reply)
    buckets = [
        b async for b in client.iter_usage("completions", 0, end_time=240, bucket_width="1m")
    ]
    assert [b.start_time for b in buckets] == [0, 60, 120, 180]
    assert [r.url.params.get("page") for r in server.requests] == [None, *TOKENS]
    for r in server.requests:
        assert r.url.params["start_time"] == "0"
        assert r.url.params["bucket_width"] == "1m"
        assert r.url.params["limit"] == "1440"


async def test_style_c_stops_on_null_next_page(server: FakeServer, client) -> None:
    server.on(
        "GET",
        "/organization/costs",
        ok({"object": "page", "data": [_bucket(0)], "has_more": True, "next_page": None}),
    )
    assert len([b async for b in client.iter_costs(0)]) == 1
    assert len(server.requests) == 1


async def test_style_c_repeated_next_page_is_malformed(server: FakeServer, client) -> None:
    server.on(
        "GET",
        "/organization/costs",
        ok({"object": "page", "data": [_bucket(0)], "has_more": True, "next_page": "same"}),
    )
    with pytest.raises(E.MalformedResponseError, match="repeated"):
        [b async for b in client.iter_costs(0)]
    assert len(server.requests) == 2


async def test_audit_log_page_and_iteration(server: FakeServer, client) -> None:
    def log(i: int) -> dict[str, Any]:
        return {
            "id": f"audit_log-{i}",
            "type": "project.created",
            "effective_at": 100 - i,
            "project.created": {"id": f"proj_{i}"},
        }

    pages = {
        None: page([log(1), log(2)], has_more=True),
        "audit_log-2": page([log(3)], has_more=False),
    }

    async def reply(request: httpx.Request) -> httpx.Response:
        return ok(pages[request.url.params.get("after")])

    server.on("GET", "/organization/audit_logs", reply)
    first = await client.audit_log_page(limit=2)
    assert first.has_more and first.last_id == "audit_log-2" and len(first.data) == 2
    everything = [e async for e in client.iter_audit_logs(project_ids=["proj_1"])]
    assert [e.details["id"] for e in everything] == ["proj_1", "proj_2", "proj_3"]
    assert server.requests[0].url.params["limit"] == "2"
    assert server.requests[1].url.params["limit"] == "100"
    assert server.requests[2].url.params.get_list("project_ids[]") == ["proj_1"]


async def test_iter_audit_logs_resumes_after(server: FakeServer, client) -> None:
    server.on("GET", "/organization/audit_logs", ok(page([], has_more=False)))
    [e async for e in client.iter_audit_logs(after="audit_log-9", event_types=["user.added"])]
    q = server.requests[0].url.params
    assert q["after"] == "audit_log-9" and q.get_list("event_types[]") == ["user.added"]
