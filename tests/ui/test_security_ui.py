"""The Certificates node and a project's Security tab, driven as a user would: what the list
shows, uploading from a file picked as you type, activating for a project, renaming, deleting
with a typed name, model/tool/retention changes; and what the sandbox then holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import notes, plain
from security_support import cert_rows, open_certificates, open_security, wait_until
from snapshot_scenes import FROZEN_NOW, build_app, settle
from test_keys_support import wait_for_screen
from textual.widgets import Button, Input, OptionList, SelectionList, Static

from orgtui.ui.features.security.dialogs import (
    HostedToolsScreen,
    ModelPermissionsScreen,
    RetentionScreen,
    TargetPickerScreen,
    UploadCertificateScreen,
)
from orgtui.ui.widgets.confirm import ConfirmScreen
from tests.sandbox.cert_factory import fingerprint, valid_pem


def _store(app: Any) -> Any:
    return app.extra_sandbox.store


def _controls(app: Any, pid: str) -> dict[str, Any]:
    return _store(app).one("SELECT * FROM project_controls WHERE project_id = ?", (pid,)) or {}


async def test_certificates_list_name_subject_expiry_and_where_active() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_certificates(pilot)
        rows = cert_rows(pane)
        assert set(rows) == {"edge-mtls-2025", "partner-gateway", "staging-client"}
        assert "! 2026-11-30 12 d" in rows["edge-mtls-2025"] and rows["edge-mtls-2025"].endswith(
            "org"
        )
        assert rows["partner-gateway"].endswith("search-prod")
        assert rows["staging-client"].endswith("inactive")
        assert "CN=gateway.acme-robotics.example" in rows["partner-gateway"]
        assert "1 expiring within 30 days or expired" in plain(pane.query_one("#cert-note", Static))
        first = pane.table.current.item
        stored = _store(app).one("SELECT * FROM certificates WHERE id = ?", (first.id,))
        assert first.fingerprint == stored["fingerprint"]  # read back from the PEM
        assert first.subject == stored["subject"]
        detail = plain(pane.query_one("#cert-detail", Static), width=300)
        assert stored["fingerprint"][:23] in detail and stored["subject"] in detail


async def test_upload_from_a_file_picked_as_you_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pem = valid_pem(FROZEN_NOW, "upload.acme.example")
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "client-upload.pem").write_text(pem)
    (tmp_path / "certs" / "client-other.crt").write_text(pem)
    (tmp_path / "certs" / "notes.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_certificates(pilot)
        await pilot.press("n")
        form = await wait_for_screen(pilot, UploadCertificateScreen)
        await pilot.press(*"certs/client-u")
        options = form.query_one("#upload-files", OptionList)
        await wait_until(pilot, lambda: options.option_count == 1)
        assert "client-upload.pem" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")  # the path is not a file yet: go to the list
        await pilot.press("enter")  # pick the file: on to the name
        assert form.query_one("#upload-path", Input).value == "certs/client-upload.pem"
        await pilot.press(*"edge-new")
        await pilot.press("enter")
        await settle(pilot)
        rows = cert_rows(await open_certificates(pilot))
        assert "edge-new" in rows and rows["edge-new"].endswith("inactive")
    row = _store(app).one("SELECT * FROM certificates WHERE name = 'edge-new'")
    assert row["fingerprint"] == fingerprint(pem) and row["active"] == 0
    assert any("Uploaded certificate edge-new" in n for n in notes(app))


async def test_a_file_that_is_not_a_certificate_is_refused_and_nothing_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    monkeypatch.chdir(tmp_path)
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_certificates(pilot)
        before = _store(app).scalar("SELECT count(*) FROM certificates")
        await pilot.press("n")
        await wait_for_screen(pilot, UploadCertificateScreen)
        await pilot.press(*"notes.txt", "enter")
        await settle(pilot)
        assert any("holds no PEM certificate" in n for n in notes(app))
        assert _store(app).scalar("SELECT count(*) FROM certificates") == before


async def _select(pilot: Any, pane: Any, name: str) -> Any:
    cid = _store(pilot.app).scalar("SELECT id FROM certificates WHERE name = ?", (name,))
    assert pane.table.select_key(cid)
    await pilot.pause()
    return cid


async def test_activate_for_a_project_then_deactivate_for_the_org() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_certificates(pilot)
        cid = await _select(pilot, pane, "staging-client")
        await pilot.press("+")
        picker = await wait_for_screen(pilot, TargetPickerScreen)
        await pilot.press(*"support-bot-d")
        assert picker.query_one("#target-list", OptionList).option_count == 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: "support-bot-dev" in cert_rows(pane)["staging-client"])
        pid = _store(app).scalar("SELECT id FROM projects WHERE name = 'support-bot-dev'")
        assert _store(app).query(
            "SELECT 1 FROM project_certificates WHERE project_id = ? AND certificate_id = ?",
            (pid, cid),
        )
        edge = await _select(pilot, pane, "edge-mtls-2025")
        await pilot.press("x")
        picker = await wait_for_screen(pilot, TargetPickerScreen)
        await pilot.press("enter")  # the organisation, the only place it is active
        await wait_until(pilot, lambda: cert_rows(pane)["edge-mtls-2025"].endswith("inactive"))
    assert _store(app).scalar("SELECT active FROM certificates WHERE id = ?", (edge,)) == 0
    types = [r["type"] for r in _store(app).query("SELECT type FROM audit_logs ORDER BY seq")]
    assert types[-2:] == ["certificates.activated", "certificates.deactivated"]


async def test_delete_needs_the_typed_name_and_an_inactive_certificate() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_certificates(pilot)
        await _select(pilot, pane, "partner-gateway")  # active for search-prod
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("still active" in n for n in notes(app))
        cid = await _select(pilot, pane, "staging-client")
        await pilot.press("d")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        confirm.query_one("#confirm-typed", Input).focus()
        await pilot.press(*"staging")
        assert confirm.query_one("#confirm-button", Button).disabled
        await pilot.press(*"-client", "enter")
        await wait_until(pilot, lambda: "staging-client" not in cert_rows(pane))
    assert _store(app).scalar("SELECT deleted_at FROM certificates WHERE id = ?", (cid,))


async def test_rename() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_certificates(pilot)
        cid = await _select(pilot, pane, "staging-client")
        await pilot.press("e")
        await wait_until(pilot, lambda: app.screen.query("#cert-name"))
        field = app.screen.query_one("#cert-name Input", Input)
        field.value = "staging-renamed"
        field.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "staging-renamed" in cert_rows(pane))
    assert (
        _store(app).scalar("SELECT name FROM certificates WHERE id = ?", (cid,))
        == "staging-renamed"
    )


async def test_read_only_refuses_before_any_dialog() -> None:
    app = build_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_certificates(pilot)
        await _select(pilot, pane, "staging-client")
        app.start_action("certificate.upload", pane.table.action_context())
        app.start_action("certificate.delete", pane.table.action_context())
        await settle(pilot)
        assert not isinstance(app.screen, (UploadCertificateScreen, ConfirmScreen))
        assert sum("not allowed" in n for n in notes(app)) == 2
        panel = await open_security(pilot, "search-prod")
        app.start_action("security.models", panel.action_context())
        await settle(pilot)
        assert not isinstance(app.screen, ModelPermissionsScreen)
    assert _store(app).scalar("SELECT count(*) FROM certificates WHERE deleted_at IS NULL") == 3


async def test_security_tab_shows_models_tools_and_retention_next_to_the_org() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_security(pilot, "search-prod")
        text = plain(panel.query_one("#security-body", Static))
        assert "Allow list: gpt-4o, gpt-4o-mini, text-embedding-3-small" in text
        assert "✓ File search" in text
        assert "organisation default (modified abuse monitoring)" in text
        assert "Org retention  modified abuse monitoring" in text
        panel = await open_security(pilot, "data-pipeline")
        text = plain(panel.query_one("#security-body", Static))
        assert "none (standard retention)" in text
        assert "keeps data longer than the organisation" in text
        assert "Every model allowed" in text


async def test_model_picker_offers_used_models_and_free_entry() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_security(pilot, "data-pipeline")
        pid = panel.project_id
        await pilot.press("m")
        screen = await wait_for_screen(pilot, ModelPermissionsScreen)
        choices = screen.query_one("#models-used", SelectionList)
        offered = {choices.get_option_at_index(i).value for i in range(choices.option_count)}
        assert {"gpt-4o-mini", "text-embedding-3-small"} <= offered  # from its usage
        screen.query_one("#mode-allow").value = True
        choices.select("gpt-4o-mini")
        screen.query_one("#models-extra", Input).value = "o3, gpt-4.1"
        screen.query_one("#models-extra", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Allow list" in plain(panel.query_one("#security-body")))
        row = _controls(app, pid)
        assert row["model_mode"] == "allow_list"
        assert json.loads(row["model_ids"]) == ["gpt-4o-mini", "o3", "gpt-4.1"]
        await pilot.press("ctrl+x")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        confirm.query_one("#confirm-button", Button).press()
        await wait_until(pilot, lambda: "Every model" in plain(panel.query_one("#security-body")))
    assert _controls(app, pid)["model_mode"] is None


async def test_hosted_tools_and_retention_changes_reach_the_sandbox() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_security(pilot, "support-bot-dev")
        pid = panel.project_id
        await pilot.press("t")
        screen = await wait_for_screen(pilot, HostedToolsScreen)
        screen.query_one("#tools-list", SelectionList).deselect("image_generation")
        screen.query_one("#ok", Button).press()
        await wait_until(
            pilot, lambda: "✗ Image generation" in plain(panel.query_one("#security-body"))
        )
        assert json.loads(_controls(app, pid)["hosted_tools"])["image_generation"] is False
        await pilot.press("D")
        screen = await wait_for_screen(pilot, RetentionScreen)
        options = screen.query_one("#retention-list", OptionList)
        options.highlighted = 2  # zero data retention
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: (
                "Retention      zero data retention" in plain(panel.query_one("#security-body"))
            ),
        )
    assert _controls(app, pid)["retention_type"] == "zero_data_retention"


async def test_hostile_certificate_names_and_subjects_render_literally() -> None:
    hostile = "[red]boom[/red] \x1b[31mesc"

    def prepare(sb: Any) -> None:
        cid = sb.store.scalar("SELECT id FROM certificates WHERE name = 'staging-client'")
        sb.store.set_fields("certificates", cid, name=hostile)

    app = build_app(prepare=prepare)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_certificates(pilot)
        names = set(cert_rows(pane))
        assert "[red]boom[/red] ␛[31mesc" in names  # markup as text, ESC as a symbol


async def test_r_reads_the_certificates_again() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_certificates(pilot)
        cid = _store(app).scalar("SELECT id FROM certificates WHERE name = 'staging-client'")
        _store(app).set_fields("certificates", cid, name="renamed-elsewhere")
        assert "renamed-elsewhere" not in cert_rows(pane)
        await pilot.press("r")
        await wait_until(pilot, lambda: "renamed-elsewhere" in cert_rows(pane))


def test_projects_pane_rows_before_the_first_sync() -> None:
    from orgtui.ui.widgets.detail import _project_rows

    assert _project_rows([]) == [] and _project_rows({}) == []
