"""The schema walk's part for the security operations (certificates, retention, model and
hosted-tool permissions): successes and typical errors, each validated against the spec."""

from __future__ import annotations

from typing import Any

from orgtui.sandbox import Sandbox
from tests.sandbox.cert_factory import expired_pem, valid_pem
from tests.sandbox.conftest import project_id

C = "/organization/certificates"


async def walk_security(w: Any, sb: Sandbox) -> None:
    P = f"/organization/projects/{project_id(sb, 'search-prod')}"
    now = sb.now()
    cert = await w.call("POST", C, json={"certificate": valid_pem(now), "name": "walk"})
    unnamed = await w.call("POST", C, json={"certificate": valid_pem(now, "b.example")})
    await w.call("POST", C, json={"certificate": expired_pem(now)}, expect=400)
    await w.call("POST", C, json={"certificate": "garbage"}, expect=400)
    ids = [cert["id"], unnamed["id"]]
    await w.call("GET", C)
    await w.call("GET", C, params={"order": "asc", "limit": 1})
    await w.call("GET", f"{C}/{cert['id']}")
    await w.call("GET", f"{C}/{cert['id']}", params={"include[]": "content"})
    await w.call("GET", f"{C}/cert_missing", expect=404)
    await w.call("POST", f"{C}/{cert['id']}", json={"name": "walk-2"})
    await w.call("POST", f"{C}/activate", json={"certificate_ids": ids})
    await w.call("DELETE", f"{C}/{cert['id']}", expect=400)
    await w.call("POST", f"{C}/deactivate", json={"certificate_ids": ids})
    await w.call("GET", f"{P}/certificates")
    await w.call("POST", f"{P}/certificates/activate", json={"certificate_ids": ids})
    await w.call("GET", f"{P}/certificates", params={"limit": 1})
    await w.call("POST", f"{P}/certificates/deactivate", json={"certificate_ids": ids})
    await w.call("DELETE", f"{C}/{cert['id']}")
    # data retention
    await w.call("GET", "/organization/data_retention")
    await w.call(
        "POST", "/organization/data_retention", json={"retention_type": "zero_data_retention"}
    )
    await w.call("POST", "/organization/data_retention", json={"retention_type": "x"}, expect=400)
    await w.call("GET", f"{P}/data_retention")
    await w.call("POST", f"{P}/data_retention", json={"retention_type": "organization_default"})
    # model and hosted-tool permissions
    await w.call("GET", f"{P}/model_permissions")
    await w.call("POST", f"{P}/model_permissions", json={"mode": "allow_list", "model_ids": ["o3"]})
    await w.call("DELETE", f"{P}/model_permissions")
    await w.call("GET", f"{P}/hosted_tool_permissions")
    await w.call("POST", f"{P}/hosted_tool_permissions", json={"mcp": {"enabled": False}})
