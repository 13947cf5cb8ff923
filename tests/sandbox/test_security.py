"""Security controls in the sandbox: certificates (parsed, activated per org and per project,
deleted only when inactive), data retention, model and hosted-tool permissions; every change
audited."""

from __future__ import annotations

from typing import Any

import httpx

from orgtui.sandbox import Sandbox
from tests.sandbox.cert_factory import expired_pem, fingerprint, valid_pem
from tests.sandbox.conftest import FROZEN_NOW, assert_error, get_all, project_id

P = "/organization/projects"


async def _upload(client: httpx.AsyncClient, pem: str, name: str | None = "edge") -> Any:
    body: dict[str, Any] = {"certificate": pem}
    if name is not None:
        body["name"] = name
    return await client.post("/organization/certificates", json=body)


def _events(sb: Sandbox, event_type: str) -> list[dict[str, Any]]:
    return sb.store.query("SELECT * FROM audit_logs WHERE type = ? ORDER BY seq", (event_type,))


async def test_upload_parses_the_pem_and_stores_fingerprint_subject_expiry(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pem = valid_pem(FROZEN_NOW, "mtls.acme.example", days=40)
    r = await _upload(client, pem)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "certificate" and body["name"] == "edge"
    assert "active" not in body
    assert body["certificate_details"]["expires_at"] == int(FROZEN_NOW + 40 * 86400)
    row = sb.store.one("SELECT * FROM certificates WHERE id = ?", (body["id"],))
    assert row is not None
    assert row["fingerprint"] == fingerprint(pem)
    assert "CN=mtls.acme.example" in row["subject"]
    assert row["expires_at"] == int(FROZEN_NOW + 40 * 86400)
    got = await client.get(
        f"/organization/certificates/{body['id']}", params={"include[]": "content"}
    )
    assert got.json()["certificate_details"]["content"].strip() == pem.strip()
    assert [e["resource_id"] for e in _events(sb, "certificate.created")][-1] == body["id"]


async def test_malformed_expired_and_duplicate_pems_are_400(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    before = sb.store.scalar("SELECT count(*) FROM certificates")
    assert_error(await _upload(client, "not a certificate"), 400, "no PEM certificate")
    broken = "-----BEGIN CERTIFICATE-----\nMIIBroken\n-----END CERTIFICATE-----\n"
    assert_error(await _upload(client, broken), 400, "not a valid X.509")
    assert_error(await _upload(client, expired_pem(FROZEN_NOW)), 400, "expired")
    assert_error(await client.post("/organization/certificates", json={"name": "x"}), 400)
    pem = valid_pem(FROZEN_NOW)
    assert (await _upload(client, pem)).status_code == 200
    assert_error(await _upload(client, pem), 400, "already uploaded")
    assert sb.store.scalar("SELECT count(*) FROM certificates") == before + 1


async def test_activation_is_kept_per_org_and_per_project(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    cid = (await _upload(client, valid_pem(FROZEN_NOW))).json()["id"]
    pid, other = project_id(sb, "search-prod"), project_id(sb, "data-pipeline")
    r = await client.post(f"{P}/{pid}/certificates/activate", json={"certificate_ids": [cid]})
    assert r.status_code == 200, r.text
    assert r.json()["object"] == "organization.project.certificate.activation"
    assert r.json()["data"][0]["active"] is True

    def active_in(items: list[dict[str, Any]]) -> bool:
        return next(c for c in items if c["id"] == cid)["active"]

    assert active_in(await get_all(client, f"{P}/{pid}/certificates")) is True
    assert active_in(await get_all(client, f"{P}/{other}/certificates")) is False
    assert active_in(await get_all(client, "/organization/certificates")) is False
    r = await client.post("/organization/certificates/activate", json={"certificate_ids": [cid]})
    assert r.json()["object"] == "organization.certificate.activation"
    assert active_in(await get_all(client, "/organization/certificates")) is True
    # deleting needs it inactive everywhere
    assert_error(await client.delete(f"/organization/certificates/{cid}"), 400, "active for")
    await client.post("/organization/certificates/deactivate", json={"certificate_ids": [cid]})
    assert_error(await client.delete(f"/organization/certificates/{cid}"), 400, pid)
    await client.post(f"{P}/{pid}/certificates/deactivate", json={"certificate_ids": [cid]})
    r = await client.delete(f"/organization/certificates/{cid}")
    assert r.json() == {"object": "certificate.deleted", "id": cid}
    assert all(c["id"] != cid for c in await get_all(client, "/organization/certificates"))
    kinds = [e["type"] for e in sb.store.query("SELECT type FROM audit_logs ORDER BY seq")]
    assert kinds[-6:] == [
        "certificate.created",
        "certificates.activated",
        "certificates.activated",
        "certificates.deactivated",
        "certificates.deactivated",
        "certificate.deleted",
    ]


async def test_activation_is_atomic_and_bounded(client: httpx.AsyncClient, sb: Sandbox) -> None:
    cid = (await _upload(client, valid_pem(FROZEN_NOW))).json()["id"]
    r = await client.post(
        "/organization/certificates/activate", json={"certificate_ids": [cid, "cert_nope"]}
    )
    assert_error(r, 400, "cert_nope")
    assert sb.store.scalar("SELECT active FROM certificates WHERE id = ?", (cid,)) == 0
    many = {"certificate_ids": [cid] * 11}
    assert_error(await client.post("/organization/certificates/activate", json=many), 400)
    empty = {"certificate_ids": []}
    assert_error(await client.post("/organization/certificates/deactivate", json=empty), 400)


async def test_rename_and_unknown_certificate(client: httpx.AsyncClient, sb: Sandbox) -> None:
    cid = (await _upload(client, valid_pem(FROZEN_NOW), name=None)).json()["id"]
    r = await client.post(f"/organization/certificates/{cid}", json={"name": "renamed"})
    assert r.json()["name"] == "renamed"
    assert _events(sb, "certificate.updated")[-1]["resource_id"] == cid
    assert_error(await client.get("/organization/certificates/cert_missing"), 404)
    bad = await client.get(f"/organization/certificates/{cid}", params={"include[]": "key"})
    assert_error(bad, 400, "include")


async def test_retention_values_outside_the_enum_are_400(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    r = await client.post(
        "/organization/data_retention", json={"retention_type": "organization_default"}
    )
    assert_error(r, 400, "retention_type")
    r = await client.post(
        "/organization/data_retention", json={"retention_type": "zero_data_retention"}
    )
    assert r.json() == {"object": "organization.data_retention", "type": "zero_data_retention"}
    assert (await client.get("/organization/data_retention")).json()[
        "type"
    ] == "zero_data_retention"
    pid = project_id(sb, "data-pipeline")
    assert_error(
        await client.post(f"{P}/{pid}/data_retention", json={"retention_type": "30d"}), 400
    )
    r = await client.post(f"{P}/{pid}/data_retention", json={"retention_type": "none"})
    assert r.json() == {"object": "project.data_retention", "type": "none"}
    assert (await client.get(f"{P}/{pid}/data_retention")).json()["type"] == "none"
    assert _events(sb, "organization.updated")
    assert _events(sb, "project.updated")[-1]["resource_id"] == pid


async def test_model_permissions_allow_deny_and_delete_restores_default(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pid = project_id(sb, "data-pipeline")
    url = f"{P}/{pid}/model_permissions"
    default = (await client.get(url)).json()
    assert default == {"object": "project.model_permissions", "mode": "deny_list", "model_ids": []}
    r = await client.post(url, json={"mode": "allow_list", "model_ids": ["gpt-4.1", "o3"]})
    assert r.json()["mode"] == "allow_list" and r.json()["model_ids"] == ["gpt-4.1", "o3"]
    assert (await client.get(url)).json()["model_ids"] == ["gpt-4.1", "o3"]
    assert_error(await client.post(url, json={"mode": "block", "model_ids": []}), 400, "mode")
    assert_error(await client.post(url, json={"mode": "deny_list"}), 400, "model_ids")
    assert_error(await client.post(url, json={"mode": "deny_list", "model_ids": "o3"}), 400)
    r = await client.delete(url)
    assert r.json() == {"object": "project.model_permissions.deleted", "deleted": True}
    assert (await client.get(url)).json() == default
    assert len([e for e in _events(sb, "project.updated") if e["resource_id"] == pid]) == 2


async def test_hosted_tools_update_only_what_is_given(
    client: httpx.AsyncClient, sb: Sandbox
) -> None:
    pid = project_id(sb, "data-pipeline")
    url = f"{P}/{pid}/hosted_tool_permissions"
    assert all(v == {"enabled": True} for v in (await client.get(url)).json().values())
    r = await client.post(url, json={"image_generation": {"enabled": False}, "mcp": None})
    assert r.json()["image_generation"] == {"enabled": False}
    assert r.json()["mcp"] == {"enabled": True}
    r = await client.post(url, json={"web_search": {"enabled": False}})
    assert r.json()["image_generation"] == {"enabled": False}
    assert_error(await client.post(url, json={"browser": {"enabled": True}}), 400, "browser")
    assert_error(await client.post(url, json={"mcp": {"enabled": "yes"}}), 400)
    archived = project_id(sb, "experiment-2025")
    r = await client.post(f"{P}/{archived}/hosted_tool_permissions", json={})
    assert_error(r, 400, "archived")
