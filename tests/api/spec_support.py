"""A fake server that checks each request against the spec and answers with its example, and
the table of client calls that together cover every operation the console uses."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from orgtui.api import models as M
from orgtui.api.client import USAGE_KINDS, AdminClient
from orgtui.api.client_org import USAGE_FILTERS

from .conftest import lenient_json
from .rbac_calls import RBAC_CALLS
from .spec_support_security import SECURITY_CALLS


class SpecServer:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.seen: list[tuple[str, str, httpx.Request]] = []
        self.failures: list[str] = []
        self.routes = []
        for path in spec["paths"]:
            rx = "^/v1" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
            self.routes.append((re.compile(rx), path))

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.spec["components"]["schemas"][name]
        return schema

    def operation(self, request: httpx.Request) -> tuple[str, dict[str, Any]]:
        raw = request.url.raw_path.decode().split("?")[0]
        matches = [p for rx, p in self.routes if rx.match(raw)]
        # prefer the most literal template (".../archive" over ".../{id}")
        matches.sort(key=lambda p: p.count("{"))
        for path in matches:
            op = self.spec["paths"][path].get(request.method.lower())
            if op:
                return path, op
        raise AssertionError(f"{request.method} {request.url.path} is not in the spec")

    def check_query(self, request: httpx.Request, op: dict[str, Any]) -> None:
        params = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
        for name, _ in request.url.params.multi_items():
            m = re.fullmatch(r"(\w+)\[(\w+)\]", name)
            if name in params:
                continue
            if (
                name.endswith("[]")
                and params.get(name[:-2], {}).get("schema", {}).get("type") == "array"
            ):
                continue  # an array parameter sent the way the spec's example does (include[]=)
            assert m, f"query {name!r} not in the spec for {op['operationId']}"
            outer = params.get(m.group(1))
            assert outer is not None, f"query {name!r} not in the spec"
            assert m.group(2) in outer["schema"]["properties"], name

    def check_body(self, request: httpx.Request, op: dict[str, Any]) -> None:
        if "requestBody" not in op:
            assert not request.content, f"{op['operationId']} takes no body"
            return
        body = json.loads(request.content) if request.content else {}
        schema = self.resolve(op["requestBody"]["content"]["application/json"]["schema"])
        props = schema.get("properties", {})
        assert set(body) <= set(props), f"{op['operationId']}: {set(body) - set(props)}"
        missing = set(schema.get("required", [])) - set(body)
        assert not missing, f"{op['operationId']} misses {missing}"
        for key, value in body.items():
            prop = self.resolve(props[key])
            if "enum" in prop:
                assert value in prop["enum"], (key, value)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        try:
            path, op = self.operation(request)
            self.check_query(request, op)
            self.check_body(request, op)
        except AssertionError as exc:  # surfaced by the test, not as a dropped connection
            self.failures.append(str(exc))
            return httpx.Response(400, json={"error": {"message": "spec mismatch"}})
        self.seen.append((request.method, path, request))
        if request.method == "POST" and path == "/organization/projects/{project_id}":
            op = self.spec["paths"][path]["get"]  # modify-project has no example; same shape
        text = op["x-oaiMeta"]["examples"]["response"]
        data = lenient_json(text)
        if isinstance(data, dict) and data.get("object") == "list":
            data["has_more"] = False
        if isinstance(data, dict) and data.get("object") == "page":
            data["has_more"], data["next_page"] = False, None
        return httpx.Response(200, json=data)


Call = Callable[[AdminClient], Any]


async def _all(it: Any) -> list[Any]:
    return [x async for x in it]


CALLS: list[tuple[str, Call, type]] = [
    ("iter_projects", lambda c: _all(c.iter_projects(include_archived=True)), M.Project),
    ("get_project", lambda c: c.get_project("proj_1"), M.Project),
    (
        "create_project",
        lambda c: c.create_project("X", residency="EU_STORAGE_PROCESSING", external_key_id="ek_1"),
        M.Project,
    ),
    (
        "update_project",
        lambda c: c.update_project("proj_1", name="Y", external_key_id="ek"),
        M.Project,
    ),
    ("archive_project", lambda c: c.archive_project("proj_1"), M.Project),
    ("iter_project_users", lambda c: _all(c.iter_project_users("proj_1")), M.ProjectUser),
    ("get_project_user", lambda c: c.get_project_user("proj_1", "user_1"), M.ProjectUser),
    (
        "add_project_user",
        lambda c: c.add_project_user("proj_1", "member", user_id="user_1"),
        M.ProjectUser,
    ),
    (
        "add_project_user_email",
        lambda c: c.add_project_user("proj_1", "owner", email="a@example.com"),
        M.ProjectUser,
    ),
    (
        "update_project_user",
        lambda c: c.update_project_user("proj_1", "user_1", "owner"),
        M.ProjectUser,
    ),
    ("delete_project_user", lambda c: c.delete_project_user("proj_1", "user_1"), M.DeletedObject),
    (
        "iter_service_accounts",
        lambda c: _all(c.iter_service_accounts("proj_1")),
        M.ProjectServiceAccount,
    ),
    (
        "get_service_account",
        lambda c: c.get_service_account("proj_1", "svc_1"),
        M.ProjectServiceAccount,
    ),
    (
        "create_service_account",
        lambda c: c.create_service_account("proj_1", "bot", create_service_account_only=True),
        M.ProjectServiceAccountCreateResponse,
    ),
    (
        "update_service_account",
        lambda c: c.update_service_account("proj_1", "svc_1", name="n", role="owner"),
        M.ProjectServiceAccount,
    ),
    (
        "delete_service_account",
        lambda c: c.delete_service_account("proj_1", "svc_1"),
        M.DeletedObject,
    ),
    (
        "create_service_account_key",
        lambda c: c.create_service_account_key(
            "proj_1", "svc_1", name="k", scopes=["api.responses.write"]
        ),
        M.ServiceAccountApiKey,
    ),
    ("iter_project_api_keys", lambda c: _all(c.iter_project_api_keys("proj_1")), M.ProjectApiKey),
    ("get_project_api_key", lambda c: c.get_project_api_key("proj_1", "key_1"), M.ProjectApiKey),
    (
        "delete_project_api_key",
        lambda c: c.delete_project_api_key("proj_1", "key_1"),
        M.DeletedObject,
    ),
    ("iter_rate_limits", lambda c: _all(c.iter_rate_limits("proj_1")), M.ProjectRateLimit),
    (
        "update_rate_limit",
        lambda c: c.update_rate_limit(
            "proj_1", "rl-ada", max_requests_per_1_minute=5, batch_1_day_max_input_tokens=9
        ),
        M.ProjectRateLimit,
    ),
    ("get_project_spend_limit", lambda c: c.get_project_spend_limit("proj_1"), M.SpendLimit),
    ("set_project_spend_limit", lambda c: c.set_project_spend_limit("proj_1", 5000), M.SpendLimit),
    (
        "delete_project_spend_limit",
        lambda c: c.delete_project_spend_limit("proj_1"),
        M.DeletedObject,
    ),
    (
        "iter_project_spend_alerts",
        lambda c: _all(c.iter_project_spend_alerts("proj_1")),
        M.SpendAlert,
    ),
    (
        "get_project_spend_alert",
        lambda c: c.get_project_spend_alert("proj_1", "alert_1"),
        M.SpendAlert,
    ),
    (
        "create_project_spend_alert",
        lambda c: c.create_project_spend_alert("proj_1", 100, ["a@example.com"], "pfx"),
        M.SpendAlert,
    ),
    (
        "update_project_spend_alert",
        lambda c: c.update_project_spend_alert("proj_1", "alert_1", 200, ["a@example.com"]),
        M.SpendAlert,
    ),
    (
        "delete_project_spend_alert",
        lambda c: c.delete_project_spend_alert("proj_1", "alert_1"),
        M.DeletedObject,
    ),
    ("iter_users", lambda c: _all(c.iter_users(emails=["a@example.com", "b@example.com"])), M.User),
    ("get_user", lambda c: c.get_user("user_1"), M.User),
    ("update_user", lambda c: c.update_user("user_1", "reader"), M.User),
    ("delete_user", lambda c: c.delete_user("user_1"), M.DeletedObject),
    ("iter_invites", lambda c: _all(c.iter_invites()), M.Invite),
    ("get_invite", lambda c: c.get_invite("invite-1"), M.Invite),
    (
        "create_invite",
        lambda c: c.create_invite("a@example.com", "reader", [{"id": "proj_1", "role": "member"}]),
        M.Invite,
    ),
    (
        "create_invite_no_projects",
        lambda c: c.create_invite("a@example.com", "owner", []),
        M.Invite,
    ),
    ("delete_invite", lambda c: c.delete_invite("invite-1"), M.DeletedObject),
    ("iter_admin_keys", lambda c: _all(c.iter_admin_keys()), M.AdminApiKey),
    ("get_admin_key", lambda c: c.get_admin_key("key_1"), M.AdminApiKey),
    (
        "create_admin_key",
        lambda c: c.create_admin_key("ops", expires_in_seconds=3600),
        M.AdminApiKeyCreateResponse,
    ),
    ("delete_admin_key", lambda c: c.delete_admin_key("key_1"), M.DeletedObject),
    ("get_org_spend_limit", lambda c: c.get_org_spend_limit(), M.SpendLimit),
    ("set_org_spend_limit", lambda c: c.set_org_spend_limit(10000), M.SpendLimit),
    ("delete_org_spend_limit", lambda c: c.delete_org_spend_limit(), M.DeletedObject),
    ("iter_org_spend_alerts", lambda c: _all(c.iter_org_spend_alerts()), M.SpendAlert),
    ("get_org_spend_alert", lambda c: c.get_org_spend_alert("alert_1"), M.SpendAlert),
    (
        "create_org_spend_alert",
        lambda c: c.create_org_spend_alert(100, ["a@example.com"]),
        M.SpendAlert,
    ),
    (
        "update_org_spend_alert",
        lambda c: c.update_org_spend_alert("alert_1", 100, ["a@example.com"], "x"),
        M.SpendAlert,
    ),
    ("delete_org_spend_alert", lambda c: c.delete_org_spend_alert("alert_1"), M.DeletedObject),
    (
        "audit_log_page",
        lambda c: c.audit_log_page(
            after="audit_log-1",
            limit=10,
            effective_at_gte=1,
            effective_at_lt=2,
            project_ids=["a", "b"],
            event_types=["project.created"],
            actor_ids=["user_1"],
            actor_emails=["a@example.com"],
            resource_ids=["r"],
        ),
        M.AuditLogPage,
    ),
    (
        "iter_audit_logs",
        lambda c: _all(c.iter_audit_logs(event_types=["api_key.created"])),
        M.AuditLog,
    ),
    (
        "iter_costs",
        lambda c: _all(
            c.iter_costs(
                0,
                end_time=86400,
                group_by=["project_id", "line_item"],
                project_ids=["p"],
                api_key_ids=["k"],
                limit=3,
            )
        ),
        M.UsageBucket,
    ),
    *[
        (
            f"iter_usage_{kind}",
            (
                lambda k: (
                    lambda c: _all(
                        c.iter_usage(
                            k,
                            0,
                            end_time=3600,
                            bucket_width="1h",
                            group_by=["project_id"],
                            **{f: ["x", "y"] for f in USAGE_FILTERS[k]},
                        )
                    )
                )
            )(kind),
            M.UsageBucket,
        )
        for kind in USAGE_KINDS
    ],
    *RBAC_CALLS,
    *SECURITY_CALLS,
]
