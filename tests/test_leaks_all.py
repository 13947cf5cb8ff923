"""`orgtui whose --all-profiles` and `orgtui scan --all-profiles` when one organisation cannot
be read (no admin key, a rejected key, no server): it is named with its reason, the others are
still searched, and "no match" / "nothing live" is never claimed for it (exit 3)."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_reports import api
from tests.test_reports_all import CONFIG, NO_KEY, OFFLINE, REVOKED, org_apps, orgs, run

__all__ = ["org_apps", "orgs"]  # fixtures, used by name

FAILING = [
    (NO_KEY, "nokey", "no admin key: KEY_NOT_SET is not set"),
    (REVOKED, "revoked", "Authentication"),
    (OFFLINE, "offline", "Offline"),
]


def _mint(app: Any, name: str) -> tuple[str, str]:
    """A new service account's key in `app`'s first project: (key id, value)."""
    store = app.state.sandbox.store
    pid = store.query("SELECT id FROM projects ORDER BY created_at LIMIT 1")[0]["id"]
    made = asyncio.run(api(app, "POST", f"/projects/{pid}/service_accounts", {"name": name}))
    return made["api_key"]["id"], made["api_key"]["value"]


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


@pytest.mark.parametrize(("extra", "profile", "reason"), FAILING)
def test_whose_finds_the_key_in_one_org_while_another_cannot_be_read(
    orgs: Path,
    org_apps: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    profile: str,
    reason: str,
) -> None:
    orgs.write_text(CONFIG + extra, encoding="utf-8")
    key_id, value = _mint(org_apps["org-beta.sandbox"], "leaky-beta")
    _stdin(monkeypatch, value)

    code, out, err = run(capsys, "whose", "--all-profiles", "--json")

    data = json.loads(out)
    assert code == data["exit_code"] == 0, err
    assert [(m["profile"], m["key_id"]) for m in data["matches"]] == [("beta", key_id)]
    assert list(data["unreadable_orgs"]) == [profile]
    assert reason in data["unreadable_orgs"][profile]
    assert value not in out + err


@pytest.mark.parametrize(("extra", "profile", "reason"), FAILING)
def test_whose_with_no_match_but_an_unread_org_exits_3_and_says_which(
    orgs: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: str,
    profile: str,
    reason: str,
) -> None:
    orgs.write_text(CONFIG + extra, encoding="utf-8")
    _stdin(monkeypatch, "sk-proj-SANDBOX-FAKE-" + "q" * 40 + "QZQZ")

    code, out, err = run(capsys, "whose", "--all-profiles")

    assert code == 3, out + err
    assert "no key of" in out  # the orgs that were read hold none
    assert f"Not checked in {profile} (its keys could not be read: " in out
    assert reason in out
    assert "Traceback" not in out + err


def test_whose_all_profiles_with_every_org_unreadable_exits_3(
    orgs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    orgs.write_text(NO_KEY + OFFLINE, encoding="utf-8")
    _stdin(monkeypatch, "sk-proj-SANDBOX-FAKE-" + "q" * 40 + "QZQZ")

    code, out, err = run(capsys, "whose", "--all-profiles")

    assert code == 3 and out == ""
    assert "could not read the keys" in err and "nokey" in err and "offline" in err


@pytest.mark.parametrize(("extra", "profile", "reason"), FAILING)
def test_scan_all_profiles_names_the_live_key_and_the_org_it_could_not_check(
    orgs: Path,
    org_apps: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    extra: str,
    profile: str,
    reason: str,
) -> None:
    orgs.write_text(CONFIG + extra, encoding="utf-8")
    key_id, value = _mint(org_apps["org-alpha.sandbox"], "leaky-alpha")
    tree = tmp_path / "service"
    tree.mkdir()
    (tree / "settings.py").write_text(f'KEY = "{value}"\n')

    code, out, err = run(capsys, "scan", str(tree), "--all-profiles", "--json")

    data = json.loads(out)
    assert code == data["exit_code"] == 1, err  # a live key was found
    [finding] = data["findings"]
    assert finding["live"] and finding["matches"][0]["key_id"] == key_id
    assert list(data["unreadable_orgs"]) == [profile] and reason in data["unreadable_orgs"][profile]

    (tree / "settings.py").write_text('KEY = os.environ["OPENAI_API_KEY"]\n')
    (tree / "old.env").write_text("KEY=sk-proj-SANDBOX-FAKE-" + "q" * 40 + "QZQZ\n")
    code, out, err = run(capsys, "scan", str(tree), "--all-profiles")
    assert code == 3, out + err  # nothing live where it could look; one org not looked at
    assert f"Not checked in {profile}" in out
