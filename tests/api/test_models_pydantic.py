"""The model layer is pydantic v2: parsed from bytes, unknown fields ignored (kept only in audit
events), and no secret in a repr, a dump or a validation error."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from orgtui.api._base import NotJsonError, ShapeError, decode_json, parse, to_data
from orgtui.api.models import (
    AdminApiKey,
    AdminApiKeyCreateResponse,
    AuditLogPage,
    ListPage,
    Project,
    ProjectServiceAccountCreateResponse,
)

SECRET = "sk-admin-FAKEfakeFAKEfake0123456789"
CREATED = {
    "object": "organization.admin_api_key",
    "id": "key_1",
    "name": "ci",
    "redacted_value": "sk-admin...6789",
    "created_at": 1711471533,
    "value": SECRET,
}


def test_every_resource_is_a_pydantic_model() -> None:
    assert issubclass(Project, BaseModel) and issubclass(ListPage[Project], BaseModel)


def test_a_page_parses_straight_from_bytes_and_ignores_unknown_fields() -> None:
    body = {
        "object": "list",
        "data": [{"id": "proj_1", "name": "Web", "created_at": "12", "colour": "red"}],
        "has_more": False,
    }
    page = decode_json(ListPage[Project], json.dumps(body).encode())
    project = page.data[0]
    assert (project.id, project.name, project.created_at) == ("proj_1", "Web", 12)
    assert "colour" not in project.model_dump()


def test_a_secret_is_masked_in_repr_dump_and_json() -> None:
    key = decode_json(AdminApiKeyCreateResponse, json.dumps(CREATED).encode())
    assert key.value.reveal() == SECRET
    for text in (
        repr(key),
        str(key),
        str(key.model_dump()),
        key.model_dump_json(),
        json.dumps(to_data(key)),
    ):
        assert SECRET not in text and "FAKEfake" not in text
    assert key.model_dump()["value"] == "**********"
    # Stored in its list shape, the create response's secret is gone altogether.
    assert "value" not in key.narrowed(AdminApiKey).model_dump()


@pytest.mark.parametrize("broken", ["created_at", "redacted_value"])
def test_a_validation_error_names_the_path_never_a_value(broken: str) -> None:
    body = {**CREATED, broken: {"nested": SECRET}}
    with pytest.raises(ShapeError) as err:
        decode_json(AdminApiKeyCreateResponse, json.dumps(body).encode())
    assert f"$.{broken}" in str(err.value)
    assert "FAKEfake" not in str(err.value)
    with pytest.raises(ShapeError) as err:
        parse(ProjectServiceAccountCreateResponse, {"id": "sa", "api_key": {"value": SECRET}})
    message = str(err.value)
    assert "$.name" in message and "$.api_key.created_at" in message  # every problem
    assert "FAKEfake" not in message


def test_bytes_that_are_not_json_say_so() -> None:
    with pytest.raises(NotJsonError, match="not valid JSON"):
        decode_json(Project, b"<html>bad gateway</html>")


def test_an_audit_event_keeps_the_fields_it_does_not_declare() -> None:
    event = {
        "id": "audit_1",
        "type": "api_key.created",
        "effective_at": 1,
        "actor": {"type": "session", "session": {"ip_address": "10.0.0.1", "ua": "curl"}},
        "api_key.created": {"id": "key_1", "data": {"scopes": ["api.model.read"]}},
    }
    page = decode_json(
        AuditLogPage, json.dumps({"object": "list", "data": [event], "has_more": False}).encode()
    )
    entry = page.data[0]
    assert entry.details == {"id": "key_1", "data": {"scopes": ["api.model.read"]}}
    assert entry.as_sent == event  # nested unknown fields ("ua") too; nothing added


@pytest.mark.parametrize(
    ("body", "message", "code"),
    [
        (b'{"error": {"message": "No such key", "type": "invalid_request_error", "code": 404}}',
         "No such key", "404"),
        (b'{"error": "nope"}', "nope", None),
        (b'{"error": null}', None, None),
    ],
)  # fmt: skip
def test_error_bodies_parse_into_the_envelope(
    body: bytes, message: str | None, code: str | None
) -> None:
    from orgtui.api.models import ApiErrorBody, ErrorEnvelope

    err = decode_json(ErrorEnvelope, body).error
    if isinstance(err, ApiErrorBody):
        assert (err.message, err.code) == (message, code)
    else:
        assert err == message and code is None
