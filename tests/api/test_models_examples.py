"""Every example response in the spec for an operation the console uses parses into its model,
the parsed values equal the example's, and the models declare every field the examples show."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from orgtui.api._base import Secret, parse, to_data
from orgtui.api.models import (
    AdminApiKey,
    AdminApiKeyCreateResponse,
    AuditLog,
    AuditLogPage,
    DeletedObject,
    Invite,
    ListPage,
    Project,
    ProjectApiKey,
    ProjectRateLimit,
    ProjectServiceAccount,
    ProjectServiceAccountCreateResponse,
    ProjectUser,
    ServiceAccountApiKey,
    SpendAlert,
    SpendLimit,
    UsagePage,
    User,
)

from .conftest import lenient_json
from .rbac_calls import RBAC_MODELS
from .spec_support_security import SECURITY_MODELS

_P = "/organization/projects/{project_id}"
USAGE_KINDS = [
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
]

MODELS: dict[tuple[str, str], Any] = {
    ("get", "/organization/admin_api_keys"): ListPage[AdminApiKey],
    ("post", "/organization/admin_api_keys"): AdminApiKeyCreateResponse,
    ("get", "/organization/admin_api_keys/{key_id}"): AdminApiKey,
    ("delete", "/organization/admin_api_keys/{key_id}"): DeletedObject,
    ("get", "/organization/audit_logs"): AuditLogPage,
    ("get", "/organization/costs"): UsagePage,
    ("get", "/organization/invites"): ListPage[Invite],
    ("post", "/organization/invites"): Invite,
    ("get", "/organization/invites/{invite_id}"): Invite,
    ("delete", "/organization/invites/{invite_id}"): DeletedObject,
    ("get", "/organization/projects"): ListPage[Project],
    ("post", "/organization/projects"): Project,
    ("get", _P): Project,
    ("post", _P): Project,
    ("post", _P + "/archive"): Project,
    ("get", _P + "/api_keys"): ListPage[ProjectApiKey],
    ("get", _P + "/api_keys/{api_key_id}"): ProjectApiKey,
    ("delete", _P + "/api_keys/{api_key_id}"): DeletedObject,
    ("get", _P + "/rate_limits"): ListPage[ProjectRateLimit],
    ("post", _P + "/rate_limits/{rate_limit_id}"): ProjectRateLimit,
    ("get", _P + "/service_accounts"): ListPage[ProjectServiceAccount],
    ("post", _P + "/service_accounts"): ProjectServiceAccountCreateResponse,
    ("get", _P + "/service_accounts/{service_account_id}"): ProjectServiceAccount,
    ("post", _P + "/service_accounts/{service_account_id}"): ProjectServiceAccount,
    ("delete", _P + "/service_accounts/{service_account_id}"): DeletedObject,
    ("post", _P + "/service_accounts/{service_account_id}/api_keys"): ServiceAccountApiKey,
    ("get", _P + "/users"): ListPage[ProjectUser],
    ("post", _P + "/users"): ProjectUser,
    ("get", _P + "/users/{user_id}"): ProjectUser,
    ("post", _P + "/users/{user_id}"): ProjectUser,
    ("delete", _P + "/users/{user_id}"): DeletedObject,
    ("get", "/organization/users"): ListPage[User],
    ("get", "/organization/users/{user_id}"): User,
    ("post", "/organization/users/{user_id}"): User,
    ("delete", "/organization/users/{user_id}"): DeletedObject,
    **{
        (m, prefix + "/spend_alerts" + suffix): model
        for prefix in ("/organization", _P)
        for m, suffix, model in (
            ("get", "", ListPage[SpendAlert]),
            ("post", "", SpendAlert),
            ("get", "/{alert_id}", SpendAlert),
            ("post", "/{alert_id}", SpendAlert),
            ("delete", "/{alert_id}", DeletedObject),
        )
    },
    **{
        (m, prefix + "/spend_limit"): model
        for prefix in ("/organization", _P)
        for m, model in (("get", SpendLimit), ("post", SpendLimit), ("delete", DeletedObject))
    },
    **{("get", f"/organization/usage/{kind}"): UsagePage for kind in USAGE_KINDS},
    **RBAC_MODELS,
    **SECURITY_MODELS,
}


def _example(spec: dict[str, Any], method: str, path: str) -> Any:
    op = spec["paths"][path][method]
    examples = op.get("x-oaiMeta", {}).get("examples")
    if isinstance(examples, list):
        examples = examples[0] if examples else None
    text = (examples or {}).get("response")
    return lenient_json(text) if text else None


def _secrets(value: Any) -> list[Secret]:
    if isinstance(value, Secret):
        return [value]
    if isinstance(value, BaseModel):
        return [s for name in type(value).model_fields for s in _secrets(getattr(value, name))]
    if isinstance(value, list):
        return [s for v in value for s in _secrets(v)]
    return []


def _agree(parsed: Any, example: Any, where: str = "$", whole: bool = False) -> None:
    """Every value of `example` is in `parsed`, in a declared field, unchanged (inside an
    audit event, which is also kept whole as sent, fields may go undeclared)."""
    if isinstance(parsed, Secret):
        assert parsed.reveal() == example, where
    elif isinstance(parsed, BaseModel):
        assert isinstance(example, dict), where
        declared = set(type(parsed).model_fields)
        undeclared = set(example) - declared
        if isinstance(parsed, AuditLog):
            assert parsed.as_sent == example, where
            whole = True
        assert whole or not undeclared, f"{where}: fields not declared: {sorted(undeclared)}"
        for name in declared & set(example):
            _agree(getattr(parsed, name), example[name], f"{where}.{name}", whole)
    elif isinstance(parsed, list):
        assert isinstance(example, list) and len(parsed) == len(example), where
        for i, (p, e) in enumerate(zip(parsed, example, strict=True)):
            _agree(p, e, f"{where}[{i}]", whole)
    else:
        assert parsed == example, where


def _check(model_cls: Any, example: Any) -> Any:
    parsed = parse(model_cls, example)
    _agree(parsed, example)
    return parsed


def test_mapping_covers_every_console_operation(admin_spec: dict[str, Any]) -> None:
    """Any operation on a path the console uses has a model here (new ones get noticed)."""
    used_paths = {p for _, p in MODELS}
    for path in used_paths:
        for method in admin_spec["paths"][path]:
            if method in ("get", "post", "delete"):
                assert (method, path) in MODELS, f"{method.upper()} {path} has no model"


@pytest.mark.parametrize(("method", "path"), sorted(MODELS), ids=lambda v: str(v))
def test_example_parses_into_model(admin_spec: dict[str, Any], method: str, path: str) -> None:
    example = _example(admin_spec, method, path)
    if example is None:  # nothing to parse: hold the spec to having exactly this one gap
        assert (method, path) == ("post", _P), "only modify-project lacks a response example"
        return
    _check(MODELS[(method, path)], example)


def test_secrets_from_examples_never_in_repr(admin_spec: dict[str, Any]) -> None:
    cases = [
        ("post", "/organization/admin_api_keys"),
        ("post", _P + "/service_accounts"),
        ("post", _P + "/service_accounts/{service_account_id}/api_keys"),
    ]
    for method, path in cases:
        example = _example(admin_spec, method, path)
        parsed = parse(MODELS[(method, path)], example)
        secrets = [s.reveal() for s in _secrets(parsed)]
        assert secrets
        for text in (repr(parsed), str(parsed), f"{parsed}", repr(to_data(parsed))):
            for secret in secrets:
                assert secret not in text


def test_audit_log_details_and_actor(admin_spec: dict[str, Any]) -> None:
    page = parse(AuditLogPage, _example(admin_spec, "get", "/organization/audit_logs"))
    first, second = page.data[0], page.data[1]
    assert first.type == "project.archived"
    assert first.details == {"id": "proj_abc"}
    assert first.actor is not None and first.actor.type == "api_key"
    assert first.actor.api_key is not None and first.actor.api_key.user is not None
    assert first.actor.api_key.user.email == "user@example.com"
    assert second.actor is not None and second.actor.session is not None
    assert second.actor.session.ip_address == "127.0.0.1"
    assert second.details == second.as_sent[second.type]
    assert AuditLog(id="a", type="x.y", effective_at=1).details == {}


def test_usage_results_are_told_apart_by_object(admin_spec: dict[str, Any]) -> None:
    seen = set()
    for kind in USAGE_KINDS:
        data = parse(UsagePage, _example(admin_spec, "get", f"/organization/usage/{kind}"))
        seen.add(data.data[0].results[0].object)
    assert len(seen) == len(USAGE_KINDS)
    costs = parse(UsagePage, _example(admin_spec, "get", "/organization/costs"))
    result = costs.data[0].results[0]
    assert result.object == "organization.costs.result"
    assert result.amount is not None and result.amount.value == pytest.approx(0.06)
    assert result.amount.currency == "usd"
