"""Schema fidelity: every emulated operation's responses validate against the official spec.

The walk calls each operation (successes and typical errors) and validates the body with
jsonschema (2020-12, $refs resolved in the spec, undeclared properties rejected).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from orgtui.sandbox import Sandbox
from orgtui.sandbox.spec_paths import SPEC_PATHS
from tests.sandbox.conftest import project_id, user_id
from tests.sandbox.rbac_walk import walk_rbac
from tests.sandbox.schema_walk_security import walk_security
from tests.sandbox.spec_walk import (
    SPEC_PATH,
    error_validator,
    errors_for,
    response_validator,
    template_of,
)
from tests.sandbox.test_sandbox_errors import not_emulated

pytestmark = pytest.mark.skipif(not SPEC_PATH.exists(), reason="spec file not available")

USAGE_KINDS = (
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
LIMIT = {"threshold_amount": 100_00, "currency": "USD", "interval": "month"}
ALERT = {**LIMIT, "notification_channel": {"type": "email", "recipients": ["a@b.example"]}}


class Walker:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.covered: set[tuple[str, str]] = set()
        self.problems: list[str] = []

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        expect: int = 200,
    ) -> Any:
        r = await self.client.request(method, path, json=json, params=params)
        full = urlsplit(str(r.request.url)).path
        template = template_of(full.removeprefix("/v1"))
        assert template is not None, full
        assert r.status_code == expect, (method, path, r.status_code, r.text[:300])
        body = r.json()
        if r.status_code == 200:
            self.covered.add((method, template))
            problems = errors_for(response_validator(method, template), body)
        else:
            problems = errors_for(error_validator(), body)
        self.problems += [f"{method} {template} [{r.status_code}] {p}" for p in problems]
        return body


async def walk(w: Walker, sb: Sandbox) -> None:
    P = "/organization/projects"
    pid = project_id(sb, "search-prod")
    archived = project_id(sb, "experiment-2025")
    await w.call("GET", P)
    await w.call("GET", P, params={"include_archived": "true", "limit": 100})
    new = await w.call("POST", P, json={"name": "schema-walk", "residency": "JP_STORAGE"})
    await w.call("GET", f"{P}/{new['id']}")
    await w.call(
        "POST", f"{P}/{new['id']}", json={"name": "schema-walk-2", "external_key_id": "ext_1"}
    )
    await w.call("POST", f"{P}/{project_id(sb, 'Default project')}", json={"name": "x"}, expect=400)
    await w.call("GET", f"{P}/proj_missing", expect=404)
    # project users
    uid = user_id(sb, "Donald")
    await w.call("GET", f"{P}/{pid}/users")
    await w.call("POST", f"{P}/{pid}/users", json={"user_id": uid, "role": "member"})
    await w.call("GET", f"{P}/{pid}/users/{uid}")
    await w.call("POST", f"{P}/{pid}/users/{uid}", json={"role": "owner"})
    await w.call("DELETE", f"{P}/{pid}/users/{uid}")
    await w.call("GET", f"{P}/{archived}/users", expect=400)
    # service accounts and keys
    sa = await w.call("POST", f"{P}/{pid}/service_accounts", json={"name": "walker"})
    bare = await w.call(
        "POST",
        f"{P}/{pid}/service_accounts",
        json={"name": "bare", "create_service_account_only": True},
    )
    await w.call("GET", f"{P}/{pid}/service_accounts")
    await w.call("GET", f"{P}/{pid}/service_accounts/{sa['id']}")
    await w.call("POST", f"{P}/{pid}/service_accounts/{sa['id']}", json={"role": "owner"})
    await w.call(
        "POST",
        f"{P}/{pid}/service_accounts/{bare['id']}/api_keys",
        json={"name": "k", "scopes": ["api.model.read"]},
    )
    keys = await w.call("GET", f"{P}/{pid}/api_keys", params={"limit": 100})
    await w.call("GET", f"{P}/{pid}/api_keys", params={"owner_project_access": "inactive"})
    await w.call("GET", f"{P}/{pid}/api_keys/{sa['api_key']['id']}")
    await w.call("DELETE", f"{P}/{pid}/api_keys/{sa['api_key']['id']}", expect=400)
    user_key = next(k for k in keys["data"] if k["owner"]["type"] == "user")
    await w.call("DELETE", f"{P}/{pid}/api_keys/{user_key['id']}")
    await w.call("DELETE", f"{P}/{pid}/service_accounts/{sa['id']}")
    # rate limits
    await w.call("GET", f"{P}/{pid}/rate_limits")
    await w.call(
        "POST", f"{P}/{pid}/rate_limits/rl-gpt-image-1", json={"max_images_per_1_minute": 10}
    )
    # spend limits and alerts, org and project
    for base in ("/organization", f"{P}/{pid}", f"{P}/{project_id(sb, 'data-pipeline')}"):
        await w.call(
            "GET",
            f"{base}/spend_limit",
            expect=404 if base.endswith(project_id(sb, "data-pipeline")) else 200,
        )
        await w.call("POST", f"{base}/spend_limit", json=LIMIT)
        await w.call("GET", f"{base}/spend_limit")
        await w.call("DELETE", f"{base}/spend_limit")
        alert = await w.call("POST", f"{base}/spend_alerts", json=ALERT)
        await w.call("GET", f"{base}/spend_alerts")
        await w.call("GET", f"{base}/spend_alerts/{alert['id']}")
        await w.call(
            "POST", f"{base}/spend_alerts/{alert['id']}", json={**ALERT, "threshold_amount": 5}
        )
        await w.call("DELETE", f"{base}/spend_alerts/{alert['id']}")
    await w.call("POST", f"{P}/{new['id']}/archive")
    await walk_security(w, sb)
    # org users, invites, admin keys
    users = await w.call("GET", "/organization/users", params={"limit": 100})
    await w.call("GET", f"/organization/users/{uid}")
    await w.call("POST", f"/organization/users/{uid}", json={"role": "owner"})
    await w.call("DELETE", f"/organization/users/{users['data'][-1]['id']}")
    await w.call("GET", "/organization/invites")
    inv = await w.call(
        "POST",
        "/organization/invites",
        json={
            "email": "walk@acme.example",
            "role": "reader",
            "projects": [{"id": pid, "role": "owner"}],
        },
    )
    await w.call("GET", f"/organization/invites/{inv['id']}")
    await w.call("DELETE", f"/organization/invites/{inv['id']}")
    await w.call("GET", "/organization/admin_api_keys")
    ak = await w.call(
        "POST", "/organization/admin_api_keys", json={"name": "walk", "expires_in_seconds": 60}
    )
    await w.call("GET", f"/organization/admin_api_keys/{ak['id']}")
    await w.call("DELETE", f"/organization/admin_api_keys/{ak['id']}")
    # audit logs (all event types written above, plus the demo history)
    await w.call("GET", "/organization/audit_logs", params={"limit": 100})
    await w.call(
        "GET", "/organization/audit_logs", params={"event_types[]": ["project.created"], "limit": 5}
    )
    # usage and costs
    start = sb.now() - 3 * 86400
    for kind in USAGE_KINDS:
        await w.call("GET", f"/organization/usage/{kind}", params={"start_time": start})
        await w.call(
            "GET",
            f"/organization/usage/{kind}",
            params={
                "start_time": sb.now() - 3600,
                "bucket_width": "1m",
                "group_by": "project_id",
                "limit": 5,
            },
        )
    await w.call("GET", "/organization/costs", params={"start_time": start})
    await w.call(
        "GET",
        "/organization/costs",
        params={"start_time": start, "group_by": ["project_id", "line_item"]},
    )


async def test_every_emulated_operation_matches_the_spec(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    w = Walker(client)
    await walk(w, sb)
    await walk_rbac(w, sb)
    assert not w.problems, "\n".join(w.problems[:40])
    every = {(m, p) for p, methods in SPEC_PATHS.items() for m in methods}
    missing = every - set(not_emulated()) - w.covered
    assert not missing, sorted(missing)
    assert len(w.covered) == 61 + 39 + 19  # admin + usage, RBAC, security: all 119


def test_spec_examples_of_errors_are_envelopes() -> None:
    # The validator itself rejects a non-envelope, so the walk's error checks mean something.
    assert errors_for(error_validator(), {"detail": "Not Found"})
    assert not errors_for(
        error_validator(), {"error": {"message": "m", "type": "t", "param": None, "code": None}}
    )
    project = {"object": "organization.project", "id": "proj_1", "created_at": 1}
    validator = response_validator("GET", "/organization/projects/{project_id}")
    assert not errors_for(validator, project)
    assert errors_for(validator, {**project, "undeclared": 1})
    assert errors_for(validator, {**project, "created_at": "yesterday"})
