"""Every client method sends a request the spec describes: method + path, query names, body.

The fake server routes each request to its spec operation and answers with that operation's
own example response, so this also checks each method returns its model from a real example.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from orgtui.api.client import AdminClient

from .conftest import BASE_URL, TEST_KEY
from .spec_support import CALLS, Call, SpecServer, _all
from .spec_support_security import bad_security_arguments


@pytest.fixture
async def spec_client(admin_spec: dict[str, Any]):
    server = SpecServer(admin_spec)
    client = AdminClient(
        BASE_URL,
        TEST_KEY,
        transport=httpx.MockTransport(server.handle),
        requests_per_minute=None,
        max_retries=0,
    )
    yield server, client
    await client.aclose()


@pytest.mark.parametrize(("name", "call", "model"), CALLS, ids=[c[0] for c in CALLS])
async def test_method_matches_spec(spec_client, name: str, call: Call, model: type) -> None:
    server, client = spec_client
    try:
        result = await call(client)
    finally:
        assert not server.failures, server.failures
    items = result if isinstance(result, list) else [result]
    assert items and all(type(x) is model for x in items)
    assert server.seen, "no request sent"
    for _, _, request in server.seen:
        assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
        if request.content:
            assert request.headers["content-type"] == "application/json"


async def test_audit_query_names_use_brackets(spec_client) -> None:
    server, client = spec_client
    await client.audit_log_page(
        effective_at_gte=5,
        effective_at_lt=9,
        project_ids=["a", "b"],
        actor_emails=["x@example.com"],
    )
    q = server.seen[0][2].url.params
    assert q.get_list("project_ids[]") == ["a", "b"]
    assert q.get_list("actor_emails[]") == ["x@example.com"]
    assert q["effective_at[gte]"] == "5" and q["effective_at[lt]"] == "9"
    assert "project_ids" not in q
    assert "project_ids%5B%5D=a&project_ids%5B%5D=b" in str(server.seen[0][2].url)


async def test_usage_arrays_are_repeated_plain_names(spec_client) -> None:
    server, client = spec_client
    await _all(
        client.iter_usage(
            "completions",
            10,
            group_by=["project_id", "model"],
            project_ids=["a", "b"],
            models=["gpt"],
        )
    )
    q = server.seen[0][2].url.params
    assert q.get_list("group_by") == ["project_id", "model"]
    assert q.get_list("project_ids") == ["a", "b"]
    assert q.get_list("models") == ["gpt"]
    assert q["start_time"] == "10" and q["bucket_width"] == "1d" and q["limit"] == "31"
    assert not any(k.endswith("[]") for k in q)


async def test_invite_projects_none_is_omitted(spec_client) -> None:
    server, client = spec_client
    await client.create_invite("a@example.com", "reader")
    await client.create_invite("a@example.com", "reader", [])
    bodies = [json.loads(r.content) for _, _, r in server.seen]
    assert "projects" not in bodies[0]
    assert bodies[1]["projects"] == []


async def test_path_ids_are_escaped(spec_client) -> None:
    server, client = spec_client
    await client.get_project("a/b c")
    assert server.seen[0][2].url.raw_path == b"/v1/organization/projects/a%2Fb%20c"


async def test_bad_arguments_fail_before_sending(spec_client) -> None:
    server, client = spec_client
    with pytest.raises(ValueError):
        await client.delete_project_api_key("proj_1", "")
    with pytest.raises(ValueError):
        await client.update_rate_limit("proj_1", "rl", max_bananas=1)
    with pytest.raises(ValueError):
        await client.add_project_user("proj_1", "member")
    with pytest.raises(ValueError):
        client.iter_usage("tokens", 0)
    with pytest.raises(ValueError):
        client.iter_usage("vector_stores", 0, models=["gpt"])
    with pytest.raises(TypeError):
        await client.set_org_spend_limit(12.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await client.set_org_spend_limit(0)
    with pytest.raises(TypeError):
        await client.audit_log_page(project_ids="proj_1")  # type: ignore[arg-type]
    assert server.seen == []


async def test_bad_security_arguments_fail_before_sending(spec_client) -> None:
    server, client = spec_client
    raised = await bad_security_arguments(client)
    assert len(raised) == 11
    assert server.seen == []


async def test_certificate_content_is_asked_for_as_the_spec_example_does(spec_client) -> None:
    server, client = spec_client
    cert = await client.get_certificate("cert_abc", include_content=True)
    assert server.seen[0][2].url.params.get_list("include[]") == ["content"]
    assert cert.certificate_details.content is not None
    assert cert.certificate_details.content.startswith("-----BEGIN CERTIFICATE-----")


async def test_client_covers_every_console_operation(spec_client) -> None:
    """Together the calls hit exactly the operations whose examples the model test parses."""
    from .test_models_examples import MODELS

    server, client = spec_client
    for _, call, _ in CALLS:
        await call(client)
    hit = {(method.lower(), path) for method, path, _ in server.seen}
    assert hit == set(MODELS)
