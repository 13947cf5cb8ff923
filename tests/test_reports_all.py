"""`orgtui check --all-profiles` and `orgtui spend --once --all-profiles`: every configured org
in one report; an org with no key, a rejected key (401) or no server is in it with its reason and
exit 3, and never hides the others. Each org is its own in-process sandbox (`http://org-*.sandbox`
routed through ASGI); "offline" is a localhost port nothing listens on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from orgtui import cli
from orgtui.api import transport
from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app
from tests.test_reports import CHECK_SCHEMA, SPEND_SCHEMA

FAST = "requests_per_minute = 100000\n"
CONFIG = f"""
[profiles.alpha]
base_url = "http://org-alpha.sandbox/v1"
admin_key_env = "KEY_ALPHA"
{FAST}
[profiles.beta]
base_url = "http://org-beta.sandbox/v1"
admin_key_env = "KEY_BETA"
{FAST}
"""
REVOKED = f"""
[profiles.revoked]
base_url = "http://org-beta.sandbox/v1"
admin_key_env = "KEY_REVOKED"
{FAST}
"""
NO_KEY = f"""
[profiles.nokey]
base_url = "http://org-alpha.sandbox/v1"
admin_key_env = "KEY_NOT_SET"
{FAST}
"""
OFFLINE = f"""
[profiles.offline]
base_url = "http://127.0.0.1:9/v1"
admin_key_env = "KEY_ALPHA"
{FAST}
"""
ORG_SCHEMA = {
    "type": "object",
    "required": ["profile", "exit_code", "error", "report"],
    "properties": {
        "exit_code": {"enum": [0, 1, 2, 3]},
        "error": {"type": ["string", "null"]},
        "report": {"type": ["object", "null"]},
    },
}
ALL_SCHEMA = {
    "type": "object",
    "required": ["schema_version", "generated_at", "exit_code", "orgs"],
    "properties": {
        "exit_code": {"enum": [0, 1, 2, 3]},
        "orgs": {"type": "array", "items": ORG_SCHEMA},
    },
}


@pytest.fixture
def org_apps() -> dict[str, Any]:
    """The two sandbox orgs by host."""
    return {"org-alpha.sandbox": create_app(seed=1), "org-beta.sandbox": create_app(seed=2)}


@pytest.fixture
def orgs(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch, org_apps: dict[str, Any]) -> Path:
    """Two sandbox orgs behind their own hosts; no retries (a failure is final at once)."""
    apps = org_apps
    sent: list[str] = []
    init = transport.ClientBase.__init__

    def routed(self: Any, base_url: str, admin_key: Any, **kw: Any) -> None:
        host = httpx.URL(base_url).host
        assert host in (*apps, "127.0.0.1"), f"request to {host}: never off the machine"
        sent.append(host)
        if host in apps:
            kw["transport"] = httpx.ASGITransport(app=apps[host])
        kw["max_retries"] = 0
        init(self, base_url, admin_key, **kw)

    monkeypatch.setattr(transport.ClientBase, "__init__", routed)
    monkeypatch.setenv("KEY_ALPHA", SANDBOX_ADMIN_KEY)
    monkeypatch.setenv("KEY_BETA", SANDBOX_ADMIN_KEY)
    monkeypatch.setenv("KEY_REVOKED", "sk-admin-FAKE-wrong-key-0000")
    monkeypatch.delenv("KEY_NOT_SET", raising=False)
    path = isolated_dirs / "config" / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def document(out: str) -> dict[str, Any]:
    data = json.loads(out)
    jsonschema.validate(data, ALL_SCHEMA)
    return data


def by_profile(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {org["profile"]: org for org in data["orgs"]}


def test_check_all_profiles_reports_every_org(
    orgs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "--all-profiles", "--json")
    data = document(out)
    assert [o["profile"] for o in data["orgs"]] == ["alpha", "beta"]
    for org in data["orgs"]:
        jsonschema.validate(org["report"], CHECK_SCHEMA)
        assert org["error"] is None and org["report"]["profile"] == org["profile"]
        assert org["exit_code"] == org["report"]["exit_code"]
    assert code == data["exit_code"] == max(o["exit_code"] for o in data["orgs"])
    assert err == ""


def test_spend_all_profiles_reports_every_org(
    orgs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "spend", "--once", "--all-profiles", "--json")
    data = document(out)
    assert [o["profile"] for o in data["orgs"]] == ["alpha", "beta"]
    for org in data["orgs"]:
        jsonschema.validate(org["report"], SPEND_SCHEMA)
        assert org["report"]["organisation"]["month_to_date_usd"] is not None
    assert code == data["exit_code"] == max(o["exit_code"] for o in data["orgs"])


@pytest.mark.parametrize(
    ("extra", "profile", "reason"),
    [
        (NO_KEY, "nokey", "no admin key: KEY_NOT_SET is not set"),
        (REVOKED, "revoked", "Authentication"),
        (OFFLINE, "offline", "Offline"),
    ],
)
@pytest.mark.parametrize("command", [["check"], ["spend", "--once"]])
def test_a_failing_org_is_reported_exit_3_and_the_others_still_are(
    orgs: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    extra: str,
    profile: str,
    reason: str,
) -> None:
    orgs.write_text(CONFIG + extra, encoding="utf-8")
    code, out, err = run(capsys, *command, "--all-profiles", "--json")
    data = document(out)
    orgs_ = by_profile(data)
    assert sorted(orgs_) == sorted(["alpha", "beta", profile])
    failed = orgs_[profile]
    assert failed["exit_code"] == 3 and failed["report"] is None
    assert reason in failed["error"]
    for name in ("alpha", "beta"):
        assert orgs_[name]["error"] is None and orgs_[name]["report"]["profile"] == name
    assert code == data["exit_code"] == 3
    [line] = err.splitlines()
    assert line.startswith(f"orgtui {command[0]}: {profile}: could not ") and reason in line
    assert "sk-admin-FAKE-wrong" not in out + err


def test_text_report_names_each_profile(orgs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orgs.write_text(CONFIG + NO_KEY, encoding="utf-8")
    code, out, _err = run(capsys, "check", "--all-profiles")
    assert code == 3
    sections = [line for line in out.splitlines() if line.startswith("== profile ")]
    assert sections == ["== profile alpha ==", "== profile beta ==", "== profile nokey =="]
    assert "could not check: no admin key: KEY_NOT_SET is not set" in out
    assert out.count(" - health check at ") == 2  # alpha's and beta's own reports
    assert all(len(line) <= 80 for line in out.splitlines())


def test_a_bad_config_file_is_one_line_exit_3(
    orgs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    orgs.write_text('open_profiles = ["nope"]\n' + CONFIG, encoding="utf-8")
    code, out, err = run(capsys, "check", "--all-profiles", "--json")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "no profile 'nope'" in err


def test_the_documented_example_matches_the_schema() -> None:
    import orgtui.reports_all

    block = (orgtui.reports_all.__doc__ or "").split("::")[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line and not line.startswith("    "):
            break
        lines.append(line)
    jsonschema.validate(json.loads("\n".join(lines)), ALL_SCHEMA)


def test_without_a_config_file_the_default_profile_alone(
    isolated_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No file, no OPENAI_ADMIN_KEY: one org, "default", with its reason (nothing is sent)."""
    code, out, _err = run(capsys, "spend", "--once", "--all-profiles", "--json")
    data = document(out)
    assert code == data["exit_code"] == 3
    assert data["orgs"] == [
        {
            "profile": "default",
            "exit_code": 3,
            "error": "no admin key: OPENAI_ADMIN_KEY is not set",
            "report": None,
        }
    ]
