"""Security services against the sandbox: certificates uploaded from a file (made at test time
with `cryptography`), activation per org and project, retention, model and hosted-tool
permissions; and what `core.security` reads back for the console and the health checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fixtures_services import T0, World

from orgtui.core import security as sec
from orgtui.core.services.errors import InvalidInput
from tests.sandbox.cert_factory import expired_pem, fingerprint, valid_pem


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


def _write(tmp_path: Path, text: str, name: str = "client.pem") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


async def test_upload_from_a_file_then_read_its_fingerprint_and_subject(
    w: World, tmp_path: Path
) -> None:
    s = await w.loaded()
    pem = valid_pem(T0, "svc.acme.example", days=20)
    done = await s.registry.invoke(
        "certificate.upload", s, path=_write(tmp_path, pem), name="svc-mtls"
    )
    assert done.outcome == "created"
    overview = await sec.load_certificates(s)
    info = next(c for c in overview.certificates if c.name == "svc-mtls")
    assert info.fingerprint == fingerprint(pem)
    assert "CN=svc.acme.example" in info.subject
    assert info.expiring(T0) and not info.expired(T0)
    assert not info.active_anywhere


async def test_bad_files_are_refused_before_any_request(w: World, tmp_path: Path) -> None:
    s = await w.loaded()
    sent = len(w.transport.sent)
    cases = [
        (str(tmp_path / "missing.pem"), "is not a file"),
        (_write(tmp_path, "hello", "notes.txt"), "holds no PEM certificate"),
        (
            _write(
                tmp_path,
                valid_pem(T0) + "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n",
                "both.pem",
            ),
            "private key",
        ),
    ]
    for path, words in cases:
        with pytest.raises(InvalidInput, match=words):
            await s.registry.invoke("certificate.upload", s, path=path)
    assert len(w.transport.sent) == sent
    # an expired certificate reaches the API, which refuses it
    from orgtui.api.errors import ApiError

    with pytest.raises(ApiError, match="expired"):
        await s.registry.invoke(
            "certificate.upload", s, path=_write(tmp_path, expired_pem(T0), "old.pem")
        )


async def test_activate_for_org_and_project_then_delete(w: World, tmp_path: Path) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    await s.registry.invoke(
        "certificate.upload", s, path=_write(tmp_path, valid_pem(T0)), name="c1"
    )
    cid = next(c.id for c in (await sec.load_certificates(s)).certificates if c.name == "c1")
    await s.registry.invoke("certificate.activate", s, certificate_id=cid)
    await s.registry.invoke("certificate.activate", s, certificate_id=cid, project_id=pid)
    info = (await sec.load_certificates(s)).get(cid)
    assert info is not None and info.org_active and info.project_ids == (pid,)
    with pytest.raises(InvalidInput, match="still active"):
        await s.registry.invoke(
            "certificate.delete", s, certificate_id=cid, active_anywhere=info.active_anywhere
        )
    await s.registry.invoke("certificate.deactivate", s, certificate_id=cid)
    await s.registry.invoke("certificate.deactivate", s, certificate_id=cid, project_id=pid)
    await s.registry.invoke("certificate.rename", s, certificate_id=cid, name="renamed")
    assert w.rows("SELECT name FROM certificates WHERE id = ?", (cid,))[0]["name"] == "renamed"
    await s.registry.invoke("certificate.delete", s, certificate_id=cid)
    assert (await sec.load_certificates(s)).get(cid) is None
    types = [r["type"] for r in w.rows("SELECT type FROM audit_logs ORDER BY seq")][-7:]
    assert types == [
        "certificate.created",
        "certificates.activated",
        "certificates.activated",
        "certificates.deactivated",
        "certificates.deactivated",
        "certificate.updated",
        "certificate.deleted",
    ]


async def test_project_controls_round_trip(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("data-pipeline")
    await s.registry.invoke("security.retention", s, project_id=pid, retention_type="none")
    await s.registry.invoke(
        "security.models", s, project_id=pid, mode="allow_list", model_ids=[" gpt-4.1 ", "o3"]
    )
    await s.registry.invoke("security.tools", s, project_id=pid, enabled={"mcp": False})
    got = await sec.load_project_security(s, pid)
    assert got.retention == "none" and got.retention_longer_than_org
    assert (got.model_mode, got.model_ids) == ("allow_list", ("gpt-4.1", "o3"))
    assert got.tools["mcp"] is False and got.tools["web_search"] is True
    await s.registry.invoke("security.models_reset", s, project_id=pid)
    assert (await sec.load_project_security(s, pid)).model_mode == "deny_list"
    with pytest.raises(InvalidInput, match="empty allow list"):
        await s.registry.invoke(
            "security.models", s, project_id=pid, mode="allow_list", model_ids=[]
        )
    with pytest.raises(InvalidInput, match="not a model id"):
        await s.registry.invoke(
            "security.models", s, project_id=pid, mode="deny_list", model_ids=["rm -rf"]
        )
    with pytest.raises(InvalidInput):
        await s.registry.invoke("security.retention", s, project_id=pid, retention_type="forever")
    await s.registry.invoke("security.org_retention", s, retention_type="zero_data_retention")
    assert (await sec.load_project_security(s, pid)).org_retention == "zero_data_retention"


async def test_models_used_come_from_the_usage_api(w: World) -> None:
    s = await w.loaded()
    used = await sec.models_used(s, w.pid("search-prod"))
    assert used and all(isinstance(m, str) and m for m in used)


def test_retention_longer_than_the_org() -> None:
    assert sec.retention_longer("none", "zero_data_retention")
    assert sec.retention_longer("modified_abuse_monitoring", "enhanced_zero_data_retention")
    assert not sec.retention_longer("organization_default", "zero_data_retention")
    assert not sec.retention_longer("zero_data_retention", "modified_abuse_monitoring")
    assert not sec.retention_longer(None, None)


async def test_a_reused_certificate_id_is_read_again_not_taken_from_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two sandboxes (two organisations) seeded at different times hand out the same ids for
    different certificates: each shows its own fingerprint (a stale cache mixed them)."""
    import fixtures_services

    from orgtui.core.security import load_certificates

    seen = []
    for start in (fixtures_services.T0, fixtures_services.T0 + 7 * 86400):
        monkeypatch.setattr(fixtures_services, "T0", start)  # a later org: other PEMs
        world = World()
        try:
            session = await world.loaded()
            overview = await load_certificates(session)
            for info in overview.certificates:
                stored = world.sb.store.one(
                    "SELECT fingerprint FROM certificates WHERE id = ?", (info.id,)
                )
                assert info.fingerprint == stored["fingerprint"], info.id
            seen.append({c.id: c.fingerprint for c in overview.certificates})
        finally:
            world.close()
    assert seen[0].keys() == seen[1].keys()  # the same ids...
    assert seen[0] != seen[1]  # ...for other certificates
