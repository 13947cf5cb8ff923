"""The command line: exit codes, one-line errors, and no textual for screenless commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orgtui import __version__

# Runs a command through orgtui's entry point and reports which heavy modules it imported.
PROBE = """
import json, sys
from orgtui.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
print("\\n" + json.dumps({"exit": code, "textual": "textual" in sys.modules}), file=sys.stderr)
"""


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def probe(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["locate"], ["sandbox", "--help"]])
def test_screenless_commands_do_not_import_textual(args: list[str]) -> None:
    result = run(*args)
    info = probe(result)
    assert info["exit"] in (0, None), result.stderr
    assert info["textual"] is False


def test_version_prints_the_version() -> None:
    result = run("--version")
    assert result.stdout.strip() == f"orgtui {__version__}"


def test_locate_prints_every_path(isolated_dirs: Path) -> None:
    result = run("locate")
    lines = result.stdout.splitlines()
    labels = [line.split("  ")[0] for line in lines]
    for label in ("config file", "cache dir", "sandbox data", "log file", "rotation journal"):
        assert label in labels
    assert str(isolated_dirs / "config" / "config.toml") in result.stdout
    assert str(isolated_dirs / "data" / "sandbox") in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["check", "--limit", "3"], "unrecognized arguments: --limit 3"),
        (["--profile"], "expected one argument"),
        (["--demo", "--profile", "x"], "not allowed with argument"),
        (["bogus"], "invalid choice: 'bogus'"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert probe(result)["exit"] == 2
    message = result.stderr.strip().splitlines()[0]
    assert fragment in message
    assert "Traceback" not in result.stderr


def test_missing_profile_is_one_line_exit_3(isolated_dirs: Path) -> None:
    (isolated_dirs / "config" / "config.toml").write_text("[profiles.prod]\n")
    result = run("--profile", "nope")
    assert probe(result)["exit"] == 3
    assert result.stderr.splitlines()[0] == (
        f"orgtui: No profile 'nope' in {isolated_dirs / 'config' / 'config.toml'} (profiles: prod)"
    )
    assert probe(result)["textual"] is False


def test_missing_admin_key_names_the_variable() -> None:
    result = run()
    assert probe(result)["exit"] == 3
    assert "set OPENAI_ADMIN_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_config_is_reported_not_raised(isolated_dirs: Path) -> None:
    (isolated_dirs / "config" / "config.toml").write_text("[profiles.prod\n")
    result = run("--profile", "prod")
    assert probe(result)["exit"] == 3
    assert "invalid TOML" in result.stderr.splitlines()[0]


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "orgtui", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.strip() == f"orgtui {__version__}"
