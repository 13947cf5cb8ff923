"""Configuration that holds under pressure: environment overrides without a config file,
one-line errors with exit 3, the literal-key guard on decoded values, keymap collisions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orgtui.config import ConfigError, load_config, resolve_admin_key
from orgtui.connect import open_connection

FAKE = "sk-admin-" + "FAKEfake0123" * 3


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- environment, no file


def test_read_only_from_the_environment_without_a_config_file(
    isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not (isolated_dirs / "config" / "config.toml").exists()
    monkeypatch.setenv("ORGTUI_READ_ONLY", "1")
    monkeypatch.setenv("OPENAI_ADMIN_KEY", FAKE)
    connection = open_connection(base_url="http://127.0.0.1:9/v1")
    assert connection.read_only and connection.profile.read_only
    assert open_connection(demo=True).read_only  # the demo too
    monkeypatch.setenv("ORGTUI_READ_ONLY", "0")
    assert not open_connection(base_url="http://127.0.0.1:9/v1").read_only


def test_theme_from_the_environment_without_a_config_file(
    isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGTUI_THEME", "light")
    assert load_config().profile().theme == "light"
    assert open_connection(demo=True).profile.theme == "light"
    monkeypatch.setenv("ORGTUI_THEME", "neon")
    with pytest.raises(ConfigError, match="ORGTUI_THEME='neon'"):
        load_config()


def test_profile_from_the_environment_without_a_config_file(
    isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGTUI_PROFILE", "prod")
    with pytest.raises(ConfigError, match="No profile 'prod'"):
        load_config().profile()  # never silently the default profile
    monkeypatch.setenv("ORGTUI_PROFILE", "default")
    assert load_config().profile().name == "default"


# ---------------------------------------------------------------- one line, exit 3


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "orgtui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize(
    ("output", "said"),
    [
        (f"{FAKE}\\nsecond line", "printed 2 lines"),
        ("Password: hunter2", "a line that is not a key"),
        (f"key={FAKE}", "a line that is not a key"),
    ],
)
def test_admin_key_command_output_must_be_one_key(
    isolated_dirs: Path, output: str, said: str
) -> None:
    script = isolated_dirs / "pw.sh"
    script.write_text(f"#!/bin/sh\nprintf '{output}\\n'\n")
    script.chmod(0o700)
    write(isolated_dirs / "config", f'[profiles.prod]\nadmin_key_command = "{script}"\n')
    with pytest.raises(ConfigError, match=said):
        resolve_admin_key(load_config().profile("prod"))
    for command in (["check"], ["spend", "--once"], []):
        result = _cli("--profile", "prod", *command, env={})
        assert result.returncode == 3, (command, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and said in lines[0], result.stderr
        assert FAKE not in result.stderr and "hunter2" not in result.stderr


def test_a_bad_config_is_one_line_exit_3_everywhere(isolated_dirs: Path) -> None:
    write(isolated_dirs / "config", '[keymap]\n"view.spend" = "h"\n')
    for command in (["check"], ["spend", "--once"], []):
        result = _cli(*command, env={})
        assert result.returncode == 3, (command, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- the literal-key guard


@pytest.mark.parametrize(
    "line",
    [
        'admin_key_command = "echo \\u0073k-admin-FAKEfake0123FAKE"',  # a TOML escape
        "admin_key_command = \"sh -c 'echo ${0#x}' xsk-admin-FAKEfake0123FAKE\"",
        "admin_key_command = \"echo s''k-admin-FAKEfake0123FAKE\"",  # quotes the shell drops
        'admin_key_command = "echo sk-admin-FAKE${IFS}fake0123FAKE"',
        'org_name = "\\u0073k-proj-FAKEfake0123FAKEfake"',
    ],
)
def test_the_key_guard_reads_decoded_values_and_command_words(tmp_path: Path, line: str) -> None:
    path = write(tmp_path, f"[profiles.prod]\n{line}\n")
    with pytest.raises(ConfigError, match=r":2: .*looks like") as err:
        load_config(path)
    assert "FAKEfake0123" not in str(err.value)


def test_ordinary_commands_pass_the_guard(tmp_path: Path) -> None:
    path = write(tmp_path, '[profiles.prod]\nadmin_key_command = "pass show openai/admin-key"\n')
    assert load_config(path).profile("prod").admin_key_command == "pass show openai/admin-key"


# ---------------------------------------------------------------- keymap collisions


def test_two_actions_on_one_key_are_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, '[keymap]\n"view.spend" = "h"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}:2: key 'h'")
    assert "'view.spend'" in message and "'view.health'" in message


def test_a_swap_is_fine_and_scopes_apart_are_fine(tmp_path: Path) -> None:
    swap = write(tmp_path, '[keymap]\n"view.spend" = "h"\n"view.health" = "s"\n')
    assert load_config(swap).keymap == {"view.spend": "h", "view.health": "s"}
    # 'e' renames a project and changes a member's role: different places, no clash.
    apart = write(tmp_path, '[keymap]\n"project.rename" = "E"\n"org_member.role" = "E"\n')
    assert load_config(apart).keymap["project.rename"] == "E"
