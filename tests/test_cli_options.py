"""Global options mean the same before and after a subcommand, and twice with two values is an
error: `orgtui --demo check` is `orgtui check --demo`, never a check of the real profile."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from orgtui import cli

COMMANDS = {
    "check": ["check"],
    "spend": ["spend", "--once"],
    "locate": ["locate"],
    "console": [],
}
OPTIONS = {
    "demo": (["--demo"], {"demo": True, "profile": None}),
    "profile": (["--profile", "prod"], {"profile": "prod", "demo": False}),
    "base-url": (
        ["--base-url", "http://127.0.0.1:9/v1"],
        {"base_url": "http://127.0.0.1:9/v1"},
    ),
    "read-only": (["--read-only"], {"read_only": True}),
}


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, argparse.Namespace]]:
    """Which command ran with which options (nothing is connected to)."""
    calls: list[tuple[str, argparse.Namespace]] = []
    import orgtui.reports as reports

    def record(name: str) -> Any:
        def run(args: argparse.Namespace, *rest: Any, **kw: Any) -> int:
            calls.append((name, args))
            return 0

        return run

    monkeypatch.setattr(reports, "run_check", record("check"))
    monkeypatch.setattr(reports, "run_spend_once", record("spend"))
    monkeypatch.setattr(cli, "_console", record("console"))
    monkeypatch.setattr(
        cli,
        "_locate",
        lambda profile: calls.append(("locate", argparse.Namespace(profile=profile))) or 0,
    )
    return calls


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("option", sorted(OPTIONS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_option_means_the_same_before_and_after_the_subcommand(
    seen: list[tuple[str, argparse.Namespace]], command: str, option: str, position: str
) -> None:
    words, expected = OPTIONS[option]
    sub = COMMANDS[command]
    argv = [*words, *sub] if position == "before" else [*sub, *words]
    if command == "console" and position == "after":
        argv = words  # the console has no subcommand: one position
    assert cli.main(argv) == 0
    [(ran, args)] = seen
    assert ran == command
    if command == "locate":
        wanted = {"demo": "demo", "profile": "prod"}.get(option)
        assert args.profile == wanted  # the paths of that profile (base URL: no paths)
        return
    for name, value in expected.items():
        assert getattr(args, name) == value, (argv, name)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--profile", "a", "check", "--profile", "b"], "--profile given twice"),
        (
            ["--base-url", "http://a/v1", "spend", "--once", "--base-url", "http://b/v1"],
            "--base-url given twice",
        ),
        (["--demo", "check", "--profile", "prod"], "--profile and --demo"),
        (["--profile", "prod", "spend", "--demo"], "--profile and --demo"),
    ],
)
def test_two_values_for_one_option_are_an_error(
    seen: list[tuple[str, argparse.Namespace]],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    fragment: str,
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2 and seen == []
    assert fragment in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--profile", "a", "--profile", "b"],
        ["--profile", "a", "spend", "--profile", "b"],
        ["spend", "--profile", "a", "--profile", "b"],
    ],
)
def test_the_console_takes_several_profiles(
    seen: list[tuple[str, argparse.Namespace]], argv: list[str]
) -> None:
    """The console opens one root per profile: two values are two organisations, not an error
    (every other command takes one profile: see the cases above)."""
    assert cli.main(argv) == 0
    [(ran, args)] = seen
    assert ran == "console" and args.profiles == ["a", "b"]


def test_the_same_value_twice_is_fine(seen: list[tuple[str, argparse.Namespace]]) -> None:
    assert cli.main(["--profile", "prod", "check", "--profile", "prod"]) == 0
    assert seen[0][1].profile == "prod"


def test_demo_before_check_checks_the_sandbox(
    isolated_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end: `orgtui --demo check` reports on the sandbox organisation, not a profile
    (there is no admin key here: a real profile would fail with exit 3)."""
    code = cli.main(["--demo", "check"])
    out = capsys.readouterr().out
    assert code in (0, 1, 2) and "Acme Robotics (sandbox)" in out
