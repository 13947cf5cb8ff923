"""`orgtui spend --once --json` against `orgtui sandbox serve --incident KEY_ID`: a real server
on a loopback port and the CLI in another process, as cron would run them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from orgtui.core.incident_kinds import KINDS
from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app
from tests.pilot_support import POLL_SECONDS
from tests.test_reports import WRAPPER  # runs the CLI, and fails if it imports textual

REPO = Path(__file__).resolve().parents[1]
SEED = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _incident_key() -> str:
    """A live, week-old key of the seed-3 organisation (the served one has the same keys)."""
    now = time.time()
    sources = create_app(seed=SEED).state.sandbox.traffic.sources()
    live = [
        s
        for s in sources
        if s["deleted_at"] is None
        and s["active_until"] is None
        and s["created_at"] < now - 10 * 86_400
        and 0 < float(s["weight"] or 0) < 10
    ]
    return str(live[len(live) // 2]["api_key_id"])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    key = _incident_key()
    port = _free_port()
    data = tmp_path_factory.mktemp("served")
    proc = subprocess.Popen(
        [sys.executable, "-m", "orgtui", "sandbox", "serve", "--port", str(port)]
        + ["--data-dir", str(data), "--seed", str(SEED), "--incident", key],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/organization/projects", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(POLL_SECONDS)
        yield base, key
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def _spend(base: str, *extra: str, env: dict[str, str] | None = None) -> Any:
    return subprocess.run(
        [sys.executable, "-c", WRAPPER, "spend", "--once", "--base-url", base, *extra],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "OPENAI_ADMIN_KEY": SANDBOX_ADMIN_KEY, **(env or {})},
    )


def test_spend_once_json_finds_the_incident_key_first(served: tuple[str, str]) -> None:
    base, key = served
    done = _spend(base, "--json")
    assert "imported textual" not in done.stderr, done.stderr
    data = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert data["spike_factor"] == 3.0
    first = data["spikes"][0]
    assert (first["scope"], first["api_key_id"]) == ("key", key)
    assert first["ratio"] >= 3.0 and first["since"].endswith("Z")
    assert first["per_hour_60m"] > first["baseline_per_hour"]
    kinds = data["usage_by_kind"]
    assert [k for k in kinds if k != "costs"] == [spec.kind for spec in KINDS]
    assert kinds["costs"]["unit"] == "usd" and kinds["images"]["unit"] == "images"
    assert kinds["audio_transcriptions"]["unit"] == "seconds"
    # The existing report is still all there.
    assert data["organisation"]["month_to_date_usd"] > 0 and "top_keys" in data


def test_spend_once_text_names_the_spike(served: tuple[str, str]) -> None:
    base, key = served
    done = _spend(base)
    assert done.returncode == 1, done.stderr
    assert "SPIKES" in done.stdout and key in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) <= 80


def test_a_higher_spike_factor_from_the_config_is_exit_0(
    served: tuple[str, str], tmp_path: Path
) -> None:
    base, _ = served
    config = tmp_path / "config.toml"
    config.write_text("[profiles.calm.thresholds]\nspike_factor = 1000.0\n")
    done = _spend(base, "--json", "--profile", "calm", env={"ORGTUI_CONFIG": str(config)})
    data = json.loads(done.stdout)
    assert data["spike_factor"] == 1000.0 and data["spikes"] == []
    assert data["alerts_crossed"] == 0
    assert done.returncode == 0, done.stderr


def _in_process(monkeypatch: pytest.MonkeyPatch, app: Any) -> Any:
    """Point `--demo` at `app`; returns a client factory for shaping it."""
    from orgtui import connect
    from orgtui.api.client import AdminClient
    from orgtui.config import demo_profile

    def client() -> AdminClient:
        return AdminClient(
            "http://sandbox/v1",
            SANDBOX_ADMIN_KEY,
            transport=httpx.ASGITransport(app=app),
            requests_per_minute=100_000,
            max_retries=0,
        )

    def opened(*_a: Any, **_kw: Any) -> Any:
        return connect.Connection(
            profile=demo_profile(), client=client(), sandbox=app.state.sandbox
        )

    monkeypatch.setattr(connect, "open_connection", opened)
    return client


def test_unreadable_usage_is_named_not_fatal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from types import SimpleNamespace

    from orgtui.reports import run_spend_once

    app = create_app(seed=1)
    app.state.sandbox.faults.update({"error_rate": 1.0, "path_filter": "/usage/images"})
    _in_process(monkeypatch, app)
    args = SimpleNamespace(json=True, profile=None, demo=True, base_url=None)
    assert run_spend_once(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["usage_by_kind"]["images"]["error"]
    assert data["usage_by_kind"]["completions"]["error"] is None
    assert data["usage_by_kind"]["completions"]["per_hour_60m"] > 0


def test_a_crossed_alert_is_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No spike, no enforcing limit, but an organisation alert at one cent has fired."""
    import asyncio
    from types import SimpleNamespace

    from orgtui.reports import run_spend_once

    app = create_app(seed=1)
    if app.state.sandbox.month_to_date_cost_usd(None) < 0.02:
        pytest.skip("the first minutes of a month: nothing spent yet to cross a one-cent alert")

    client = _in_process(monkeypatch, app)
    args = SimpleNamespace(json=True, profile=None, demo=True, base_url=None)
    assert run_spend_once(args) == 0
    quiet = json.loads(capsys.readouterr().out)
    assert quiet["alerts_crossed"] == 0 and quiet["spikes"] == []

    async def alert() -> None:
        async with client() as c:
            await c.create_org_spend_alert(1, ["ops@example.test"])

    asyncio.run(alert())
    assert run_spend_once(args) == 1
    fired = json.loads(capsys.readouterr().out)
    assert fired["alerts_crossed"] == 1 and fired["limits_enforcing"] is False
