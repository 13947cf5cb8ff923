"""Several organisations in one console (issue #24): which profiles open, and an org whose admin
key is missing is shown with its reason instead of stopping the others from opening."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

import pytest

from orgtui import cli
from orgtui.config import ConfigError, load_config
from orgtui.connect import UnavailableError, console_profiles, open_connection, open_connections

THREE = """
open_profiles = ["prod", "staging"]

[profiles.prod]
admin_key_env = "KEY_PROD"
read_only = true

[profiles.staging]
admin_key_env = "KEY_STAGING"
base_url = "http://127.0.0.1:9/v1"

[profiles.lab]
admin_key_env = "KEY_LAB"
"""


@pytest.fixture
def config_file(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = isolated_dirs / "config" / "config.toml"
    path.write_text(THREE, encoding="utf-8")
    for name in ("KEY_PROD", "KEY_STAGING", "KEY_LAB"):
        monkeypatch.setenv(name, "sk-admin-FAKE-test-key-0000")
    return path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the console would have been given (no screen is run)."""
    seen: list[Any] = []

    def run_console(connections: Any, start: str = "main") -> int:
        seen.append(connections)
        return 0

    import orgtui.ui

    monkeypatch.setattr(orgtui.ui, "run_console", run_console)
    return seen


def names(connections: list[Any]) -> list[tuple[str, bool, str | None]]:
    return [(c.profile.name, c.read_only, c.problem) for c in connections]


def test_open_profiles_open_together_each_with_its_own_settings(
    config_file: Path, opened: list[Any]
) -> None:
    assert cli.main([]) == 0
    [connections] = opened
    assert names(connections) == [("prod", True, None), ("staging", False, None)]
    assert connections[1].profile.base_url == "http://127.0.0.1:9/v1"
    assert connections[0].client is not connections[1].client  # each its own pacing budget


def test_repeated_profile_opens_those(config_file: Path, opened: list[Any]) -> None:
    assert cli.main(["--profile", "lab", "--profile", "prod", "--profile", "lab"]) == 0
    assert names(opened[0]) == [("lab", False, None), ("prod", True, None)]
    assert cli.main(["spend", "--profile", "lab", "--profile", "staging"]) == 0
    assert [c.profile.name for c in opened[1]] == ["lab", "staging"]


def test_without_open_profiles_the_default_profile_alone(
    config_file: Path, opened: list[Any]
) -> None:
    config_file.write_text(
        THREE.replace('open_profiles = ["prod", "staging"]', 'default_profile = "lab"')
    )
    assert cli.main([]) == 0
    assert names(opened[0]) == [("lab", False, None)]


def test_orgtui_profile_env_means_one_profile(
    config_file: Path, opened: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGTUI_PROFILE", "lab")
    assert cli.main([]) == 0
    assert names(opened[0]) == [("lab", False, None)]


def test_demo_stays_one_org(config_file: Path, opened: list[Any]) -> None:
    assert cli.main(["--demo"]) == 0
    assert [c.profile.name for c in opened[0]] == ["demo"]


def test_an_unknown_open_profile_is_a_config_error_with_line_and_key(
    config_file: Path, opened: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.write_text(THREE.replace('"staging"]', '"stagign"]'))
    assert cli.main([]) == cli.EXIT_CONFIG and opened == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{config_file}:2: 'open_profiles': no profile 'stagign'" in err
    with pytest.raises(ConfigError) as exc:
        load_config(config_file)
    assert [p.key for p in exc.value.problems] == ["open_profiles"]


def test_open_profiles_must_be_a_list_of_names(config_file: Path) -> None:
    config_file.write_text(THREE.replace('["prod", "staging"]', '"prod"'))
    with pytest.raises(ConfigError, match="'open_profiles': should be a list"):
        load_config(config_file)


def test_open_profiles_survive_the_checked_config_record(config_file: Path) -> None:
    """The second start reads the settings pydantic produced last time: the same list."""
    assert load_config(config_file).open_profiles == ["prod", "staging"]
    assert load_config(config_file).open_profiles == ["prod", "staging"]
    assert console_profiles([], load_config(config_file)) == ["prod", "staging"]


def test_a_missing_key_among_several_is_a_problem_not_an_abort(
    config_file: Path, opened: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KEY_STAGING")
    assert cli.main([]) == 0
    prod, staging = opened[0]
    assert prod.problem is None
    assert staging.problem == "no admin key: KEY_STAGING is not set"
    assert staging.org_name == "staging"


def test_a_failing_key_command_among_several_is_a_problem(
    config_file: Path, opened: list[Any]
) -> None:
    config_file.write_text(
        THREE.replace('admin_key_env = "KEY_STAGING"', 'admin_key_command = "false"')
    )
    assert cli.main([]) == 0
    assert opened[0][1].problem == "no admin key: admin_key_command exited with status 1"


def test_a_single_profile_without_its_key_is_still_exit_3(
    config_file: Path,
    opened: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("KEY_LAB")
    assert cli.main(["--profile", "lab"]) == cli.EXIT_CONFIG and opened == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "set KEY_LAB" in err


def test_an_unavailable_org_sends_nothing_and_fails_fast(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    def no_network(*_a: Any, **_kw: Any) -> Any:
        raise AssertionError("a request was sent")

    monkeypatch.setattr(httpx.AsyncClient, "send", no_network)
    monkeypatch.delenv("KEY_PROD")
    [prod, _] = open_connections(["prod", "staging"])

    async def list_projects() -> None:
        async for _project in prod.client.iter_projects():
            pass

    with pytest.raises(UnavailableError) as exc:
        asyncio.run(list_projects())
    assert "KEY_PROD is not set" in str(exc.value)
    asyncio.run(prod.aclose())
    assert "sk-" not in repr(prod)


def test_one_profile_asked_for_directly_raises(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KEY_PROD")
    with pytest.raises(ConfigError, match="set KEY_PROD"):
        open_connection("prod")
    with pytest.raises(ConfigError, match="set KEY_PROD"):
        open_connections(["prod"])


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["check", "--profile", "a", "--profile", "b"], "--profile given twice"),
        (["spend", "--once", "--profile", "a", "--profile", "b"], "--profile given twice"),
        (["check", "--all-profiles", "--profile", "a"], "--all-profiles cannot be used"),
        (["spend", "--once", "--all-profiles", "--demo"], "--all-profiles cannot be used"),
    ],
)
def test_one_profile_commands_refuse_several(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv)
    assert exit_.value.code == 2 and said in capsys.readouterr().err


def test_base_url_with_several_orgs_is_refused(
    config_file: Path, opened: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--base-url", "http://127.0.0.1:9/v1"]) == cli.EXIT_USAGE and opened == []
    assert "--base-url applies to one organisation" in capsys.readouterr().err


def test_parsed_profiles(config_file: Path) -> None:
    parser = cli.build_parser()
    args = cli._merge(parser, parser.parse_args(["--profile", "a", "--profile", "b"]))
    assert isinstance(args, argparse.Namespace)
    assert args.profiles == ["a", "b"] and args.profile == "a"
