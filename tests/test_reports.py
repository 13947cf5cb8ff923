"""`orgtui check` and `orgtui spend --once` as scripts run them: a subprocess, JSON, exit codes,
and no textual anywhere in the process."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from types import SimpleNamespace
from typing import Any

import httpx
import jsonschema
import pytest

from orgtui import paths
from orgtui.reports import EXIT_COULD_NOT_CHECK, run_check, run_spend_once
from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app

# Runs the CLI like `python -m orgtui ...`, then asserts textual was never imported.
WRAPPER = """
import runpy, sys
sys.argv = ["orgtui", *sys.argv[1:]]
try:
    runpy.run_module("orgtui", run_name="__main__")
    code = 0
except SystemExit as exc:
    code = exc.code
assert "textual" not in sys.modules, "a screenless command imported textual"
sys.exit(code)
"""

NULLABLE_NUMBER = {"type": ["number", "null"]}
STRING = {"type": "string"}
ENFORCEMENT = {"enum": ["inactive", "enforcing", None]}
ALERT = {
    "type": "object",
    "required": ["id", "threshold_usd", "crossed"],
    "properties": {"threshold_usd": {"type": "number"}, "crossed": {"type": "boolean"}},
}
KEY = {
    "type": "object",
    "required": ["id", "name", "project_id", "project_name", "deleted", "usd"],
    "properties": {
        "name": {"type": "string"},
        "deleted": {"type": "boolean"},
        "usd": {"type": "number"},
    },
}
SPEND_SCHEMA = {
    "type": "object",
    "required": [
        "schema_version",
        "generated_at",
        "profile",
        "month_start",
        "limits_enforcing",
        "organisation",
        "projects",
        "top_keys",
        "errors",
    ],
    "properties": {
        "schema_version": {"const": 1},
        "generated_at": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "limits_enforcing": {"type": "boolean"},
        "organisation": {
            "type": "object",
            "required": [
                "name",
                "month_to_date_usd",
                "today_usd",
                "forecast_month_usd",
                "avg_daily_usd_7d",
                "hard_limit_usd",
                "limit_percent",
                "enforcement",
                "headroom_usd",
                "alerts",
                "burn",
            ],
            "properties": {
                "month_to_date_usd": {"type": "number"},
                "today_usd": {"type": "number"},
                "forecast_month_usd": {"type": "number"},
                "hard_limit_usd": NULLABLE_NUMBER,
                "limit_percent": NULLABLE_NUMBER,
                "enforcement": ENFORCEMENT,
                "alerts": {"type": "array", "items": ALERT},
                "burn": {
                    "type": "object",
                    "required": [
                        "requests_per_minute_last_hour",
                        "tokens_per_minute_last_hour",
                        "requests_per_minute_last_day",
                        "tokens_per_minute_last_day",
                        "usd_per_hour_today",
                    ],
                    "additionalProperties": NULLABLE_NUMBER,
                },
            },
        },
        "projects": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "name",
                    "archived",
                    "month_to_date_usd",
                    "today_usd",
                    "forecast_month_usd",
                    "hard_limit_usd",
                    "limit_percent",
                    "enforcement",
                    "alerts_crossed",
                    "alerts",
                ],
                "properties": {
                    "hard_limit_usd": NULLABLE_NUMBER,
                    "enforcement": ENFORCEMENT,
                    "alerts_crossed": {"type": "integer"},
                    "alerts": {"type": "array", "items": ALERT},
                },
            },
        },
        "top_keys": {
            "type": "object",
            "required": ["today", "month"],
            "properties": {
                "today": {"type": "array", "items": KEY},
                "month": {"type": "array", "items": KEY},
            },
        },
        "errors": {"type": "object"},
    },
}
CHECK_SCHEMA = {
    "type": "object",
    "required": [
        "schema_version",
        "generated_at",
        "profile",
        "organisation",
        "exit_code",
        "summary",
        "findings",
    ],
    "properties": {
        "schema_version": {"const": 1},
        "exit_code": {"enum": [0, 1, 2, 3]},
        "summary": {
            "type": "object",
            "required": ["failure", "warning", "info"],
            "additionalProperties": False,
            "properties": {k: {"type": "integer"} for k in ("failure", "warning", "info")},
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "severity", "message", "hint", "objects"],
                "additionalProperties": False,
                "properties": {
                    "id": STRING,
                    "severity": {"enum": ["failure", "warning", "info"]},
                    "message": STRING,
                    "hint": STRING,
                    "objects": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["type", "id", "name", "project_id"],
                            "additionalProperties": False,
                            "properties": {
                                "type": STRING,
                                "id": STRING,
                                "name": {"type": ["string", "null"]},
                                "project_id": {"type": ["string", "null"]},
                            },
                        },
                    },
                },
            },
        },
    },
}


def orgtui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def payload(done: subprocess.CompletedProcess[str], schema: dict[str, Any]) -> dict[str, Any]:
    assert "a screenless command imported textual" not in done.stderr, done.stderr
    data = json.loads(done.stdout)
    jsonschema.validate(data, schema)
    return data


def demo_db() -> Any:
    return paths.ensure_private_dir(paths.sandbox_data_dir()) / "demo.sqlite3"


def prepare_demo(*, demo: bool = True) -> Any:
    """The demo database the subprocess will open, created here so the test can shape it."""
    return create_app(demo_db(), demo=demo)


async def api(app: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://raw",
        headers={"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"},
    ) as http:
        response = await http.request(method, f"/v1/organization{path}", json=body)
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------- check


def test_check_demo_json() -> None:
    done = orgtui("check", "--demo", "--json")
    data = payload(done, CHECK_SCHEMA)
    assert done.returncode == 2 == data["exit_code"]  # the demo org has projects with no limit
    assert data["profile"] == "demo" and data["organisation"] == "Acme Robotics (sandbox)"
    severities = [f["severity"] for f in data["findings"]]
    assert data["summary"] == {s: severities.count(s) for s in ("failure", "warning", "info")}
    assert severities == sorted(severities, key=["failure", "warning", "info"].index)
    assert "project.no_spend_limit" in {f["id"] for f in data["findings"]}
    # groups and roles are checked too: the demo's Support team holds an owner-level role
    by_id = {f["id"]: f for f in data["findings"]}
    assert {"access.owner_level_group_role", "access.direct_duplicates_group"} <= set(by_id)
    group = by_id["access.owner_level_group_role"]["objects"][0]
    assert group["type"] == "group" and group["name"] == "Support team"


def test_check_demo_json_has_the_security_findings() -> None:
    """The demo's certificate 12 days from expiry, support-bot-prod without a model allow
    list and data-pipeline keeping data longer than the organisation, each with its object."""
    data = payload(orgtui("check", "--demo", "--json"), CHECK_SCHEMA)
    by_id = {f["id"]: f for f in data["findings"]}
    cert = by_id["certificate.expiring"]
    assert cert["severity"] == "warning" and "expires in 12 days" in cert["message"]
    assert [(o["type"], o["name"]) for o in cert["objects"]] == [("certificate", "edge-mtls-2025")]
    prod = by_id["project.prod_no_model_allow_list"]["objects"]
    assert [(o["type"], o["name"]) for o in prod] == [("project_security", "support-bot-prod")]
    longer = by_id["project.retention_longer"]["objects"]
    assert [(o["type"], o["name"]) for o in longer] == [("project_security", "data-pipeline")]
    assert "security.unavailable" not in by_id


def test_check_demo_text_fits_80_columns() -> None:
    done = orgtui("check", "--demo")
    assert done.returncode == 2, done.stderr
    assert "FAILURES" in done.stdout and "fix:" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 80


def build_clean_org(*, owners: int) -> None:
    app = prepare_demo(demo=False)
    sb = app.state.sandbox
    store = sb.store
    pid = store.default_project_id()
    limit = {"threshold_amount": 10_000, "currency": "USD", "interval": "month"}

    async def shape() -> None:
        await api(app, "POST", "/spend_limit", limit)
        await api(app, "POST", f"/projects/{pid}/spend_limit", limit)

    asyncio.run(shape())
    for i in range(owners - 1):
        store.add_user(f"owner{i}@example.test", role="owner")
    store.set_fields("admin_keys", sb.admin_key_id, expires_at=int(time.time() + 30 * 86_400))
    store.close()


@pytest.mark.parametrize(("owners", "code"), [(2, 0), (1, 1)])
def test_check_exit_codes_clean_and_warning(owners: int, code: int) -> None:
    build_clean_org(owners=owners)
    done = orgtui("check", "--demo", "--json")
    data = payload(done, CHECK_SCHEMA)
    assert done.returncode == code == data["exit_code"], data["findings"]
    if code == 0:
        assert data["findings"] == []
        assert "No problems found." in orgtui("check", "--demo").stdout
    else:
        assert [f["id"] for f in data["findings"]] == ["org.single_owner"]


def test_check_unknown_profile_could_not_check() -> None:
    done = orgtui("check", "--profile", "nope", "--json")
    assert done.returncode == EXIT_COULD_NOT_CHECK
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("orgtui check: could not check: No profile")


# ---------------------------------------------------------------- spend


def test_spend_once_demo_json() -> None:
    done = orgtui("spend", "--once", "--demo", "--json")
    data = payload(done, SPEND_SCHEMA)
    assert done.returncode == 0 and data["limits_enforcing"] is False
    org = data["organisation"]
    assert org["month_to_date_usd"] > 0 and org["hard_limit_usd"] == 40_000.0
    assert org["forecast_month_usd"] >= org["month_to_date_usd"]
    assert data["top_keys"]["month"], "the demo org has traffic"
    assert all(not k["name"].startswith("key_") for k in data["top_keys"]["month"])
    total = sum(p["month_to_date_usd"] for p in data["projects"])
    assert total == pytest.approx(org["month_to_date_usd"], abs=0.01)


def test_spend_once_text_fits_80_columns() -> None:
    done = orgtui("spend", "--once", "--demo")
    assert done.returncode == 0, done.stderr
    assert "Month to date" in done.stdout and "TOP KEYS THIS MONTH" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 80


def test_spend_once_exits_1_when_a_limit_is_enforcing() -> None:
    app = prepare_demo()
    sb = app.state.sandbox
    if sb.month_to_date_cost_usd(None) < 0.02:
        pytest.skip("the first minutes of a month: nothing spent yet to cross a tiny limit")
    asyncio.run(
        api(
            app,
            "POST",
            "/spend_limit",
            {"threshold_amount": 1, "currency": "USD", "interval": "month"},
        )
    )
    sb.store.close()
    done = orgtui("spend", "--once", "--demo", "--json")
    data = payload(done, SPEND_SCHEMA)
    assert done.returncode == 1
    assert data["limits_enforcing"] is True
    assert data["organisation"]["enforcement"] == "enforcing"
    assert data["organisation"]["limit_percent"] > 100
    text = orgtui("spend", "--once", "--demo")
    assert text.returncode == 1 and "ENFORCING" in text.stdout


# ---------------------------------------------------------------- offline, in process


def test_offline_is_exit_3_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from orgtui import connect
    from orgtui.api.client import AdminClient
    from orgtui.config import Profile

    class Down(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("connection refused (test)", request=request)

    def offline(*_a: Any, **_kw: Any) -> Any:
        client = AdminClient(
            "http://127.0.0.1:9/v1", "sk-admin-FAKE-test-0000", transport=Down(), max_retries=0
        )
        return connect.Connection(profile=Profile(name="down"), client=client)

    monkeypatch.setattr(connect, "open_connection", offline)
    args = SimpleNamespace(json=True, profile="down", demo=False, base_url=None)
    for run, word in (
        (run_check, "check: could not check"),
        (run_spend_once, "spend: could not read the spend"),
    ):
        assert run(args) == EXIT_COULD_NOT_CHECK
        out, err = capsys.readouterr()
        assert out == ""
        assert err.count("\n") == 1 and f"orgtui {word}: Offline" in err


def test_documented_examples_match_the_schemas() -> None:
    import orgtui.reports

    examples = []
    for block in (orgtui.reports.__doc__ or "").split("::")[1:]:
        lines = []
        for line in block.splitlines()[1:]:
            if line and not line.startswith("    "):
                break
            lines.append(line)
        examples.append(json.loads("\n".join(lines)))
    check, spend = examples
    jsonschema.validate(check, CHECK_SCHEMA)
    jsonschema.validate(spend, SPEND_SCHEMA)


# ---------------------------------------------------------------- partial failures, in process


@pytest.fixture
def flaky_demo(monkeypatch: pytest.MonkeyPatch) -> Any:
    """`--demo` served by an in-memory sandbox whose spend-alert lists always fail (500)."""
    from orgtui import connect
    from orgtui.api.client import AdminClient
    from orgtui.config import demo_profile

    app = create_app(seed=1)
    app.state.sandbox.faults.update({"error_rate": 1.0, "path_filter": "/spend_alerts"})

    def opened(*_a: Any, **_kw: Any) -> Any:
        client = AdminClient(
            "http://sandbox/v1",
            SANDBOX_ADMIN_KEY,
            transport=httpx.ASGITransport(app=app),
            max_retries=0,
            requests_per_minute=100_000,
        )
        return connect.Connection(profile=demo_profile(), client=client, sandbox=app.state.sandbox)

    monkeypatch.setattr(connect, "open_connection", opened)
    return app


def test_failed_parts_are_a_result_exit_3_and_listed(
    flaky_demo: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unreadable parts are not a footnote: exit 3, every one listed, no "0 failures"."""
    args = SimpleNamespace(json=True, profile=None, demo=True, base_url=None)
    assert run_spend_once(args) == EXIT_COULD_NOT_CHECK
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, SPEND_SCHEMA)
    assert "org_limits" in data["errors"]
    assert data["organisation"]["hard_limit_usd"] is None  # unreadable, not invented
    assert data["organisation"]["month_to_date_usd"] > 0

    assert run_check(args) == EXIT_COULD_NOT_CHECK
    data = json.loads(capsys.readouterr().out)
    assert data["exit_code"] == EXIT_COULD_NOT_CHECK
    ids = [f["id"] for f in data["findings"]]
    assert "data.incomplete" in ids
    assert "org.no_spend_limit" not in ids and "project.no_spend_limit" not in ids

    text_args = SimpleNamespace(json=False, profile=None, demo=True, base_url=None)
    assert run_check(text_args) == EXIT_COULD_NOT_CHECK
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("INCOMPLETE: ") and "could not be read" in lines[1]
    unreadable = [line for line in lines if line.startswith("    - part ")]
    assert len(unreadable) > 5  # every unreadable part, not the first five
    assert run_spend_once(text_args) == EXIT_COULD_NOT_CHECK
    out = capsys.readouterr().out
    assert "INCOMPLETE: " in out and out.count("Not available  ") > 5


def test_timeout_bounds_the_whole_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that never answers: `--timeout` ends the command with exit 3 and one line."""
    import asyncio

    import httpx

    from orgtui import connect
    from orgtui.api.client import AdminClient
    from orgtui.config import demo_profile

    async def hanging(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.Event().wait()  # never answers

    def opened(*_a: Any, **_kw: Any) -> Any:
        client = AdminClient(
            "http://sandbox/v1",
            SANDBOX_ADMIN_KEY,
            transport=httpx.ASGITransport(app=hanging),
            timeout=3600,
            requests_per_minute=None,
        )
        return connect.Connection(profile=demo_profile(), client=client)

    monkeypatch.setattr(connect, "open_connection", opened)
    for run in (run_check, run_spend_once):
        args = SimpleNamespace(json=False, profile=None, demo=True, base_url=None, timeout=0.5)
        assert run(args) == EXIT_COULD_NOT_CHECK
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "gave up after 0.5 s (--timeout)" in err[0], err
