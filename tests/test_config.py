"""Config file: every bad input gets one clear message naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgtui.config import ConfigError, load_config, resolve_admin_key


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_config_with_profiles_and_keymap(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'default_profile = "prod"\n'
        "[profiles.prod]\n"
        'base_url = "https://api.openai.com/v1/"\n'
        "read_only = true\n"
        'theme = "light"\n'
        "[profiles.prod.thresholds]\n"
        "key_rotation_days = 60\n"
        "[keymap]\n"
        '"view.spend" = "S"\n',
    )
    config = load_config(path)
    prod = config.profile()
    assert prod.name == "prod"
    assert prod.base_url == "https://api.openai.com/v1"
    assert prod.read_only is True
    assert prod.theme == "light"
    assert prod.thresholds.key_rotation_days == 60
    assert prod.admin_key_env == "OPENAI_ADMIN_KEY"
    assert config.keymap == {"view.spend": "S"}


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config.profile().name == "default"
    assert config.profile().base_url == "https://api.openai.com/v1"


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[profiles.prod]\nread_only = tru\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message and "invalid TOML" in message and "line 2" in message


def test_unknown_key_names_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[profiles.prod]\nread_only = true\nreadonly = true\n")
    with pytest.raises(
        ConfigError, match=r"config\.toml:3: unknown key 'profiles\.prod\.readonly'"
    ):
        load_config(path)


def test_wrong_type_names_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[profiles.prod]\n\nrefresh_seconds = "often"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert f"{path}:3: 'profiles.prod.refresh_seconds'" in str(err.value)
    assert "integer" in str(err.value)


def test_bad_theme_value(tmp_path: Path) -> None:
    path = write(tmp_path, '[profiles.prod]\ntheme = "neon"\n')
    with pytest.raises(
        ConfigError, match=r":2: 'profiles\.prod\.theme'.*'dark', 'light' or 'ansi'"
    ):
        load_config(path)


def test_unknown_keymap_action(tmp_path: Path) -> None:
    path = write(tmp_path, '[keymap]\n"key.explode" = "x"\n')
    with pytest.raises(ConfigError, match=r":2: unknown action 'keymap.key.explode'"):
        load_config(path)


def test_missing_profile_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "[profiles.prod]\n[profiles.staging]\n")
    config = load_config(path)
    with pytest.raises(
        ConfigError, match=r"No profile 'dev' in .*config\.toml \(profiles: prod, staging\)"
    ):
        config.profile("dev")


def test_a_key_in_the_file_is_refused_without_echoing_it(tmp_path: Path) -> None:
    fake = "sk-admin-" + "x1Y2z3" * 6
    path = write(tmp_path, f'[profiles.prod]\nadmin_key_env = "{fake}"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert ":2: this looks like an API key" in message
    assert "environment" in message
    assert fake not in message and "x1Y2z3" not in message


def test_missing_admin_key_says_which_variable(tmp_path: Path) -> None:
    path = write(tmp_path, '[profiles.prod]\nadmin_key_env = "ACME_ADMIN_KEY"\n')
    profile = load_config(path).profile("prod")
    with pytest.raises(ConfigError, match="set ACME_ADMIN_KEY"):
        resolve_admin_key(profile)


def test_admin_key_from_env_and_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = "sk-admin-test-FAKE-value"
    monkeypatch.setenv("OPENAI_ADMIN_KEY", fake)
    config = load_config(write(tmp_path, "[profiles.prod]\n"))
    key = resolve_admin_key(config.profile("prod"))
    assert key.reveal() == fake
    assert fake not in repr(key)

    script = tmp_path / "pw.sh"
    script.write_text("#!/bin/sh\necho sk-admin-from-command-FAKE\n")
    script.chmod(0o700)
    path = write(tmp_path, f'[profiles.prod]\nadmin_key_command = "{script}"\n')
    key = resolve_admin_key(load_config(path).profile("prod"))
    assert key.reveal() == "sk-admin-from-command-FAKE"


def test_failing_admin_key_command_hides_its_output(tmp_path: Path) -> None:
    script = tmp_path / "pw.sh"
    script.write_text("#!/bin/sh\necho sk-admin-leaked-FAKE\nexit 3\n")
    script.chmod(0o700)
    path = write(tmp_path, f'[profiles.prod]\nadmin_key_command = "{script}"\n')
    with pytest.raises(ConfigError) as err:
        resolve_admin_key(load_config(path).profile("prod"))
    assert "exited with status 3" in str(err.value)
    assert "leaked" not in str(err.value)


def test_env_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[profiles.prod]\n[profiles.dev]\n")
    monkeypatch.setenv("ORGTUI_PROFILE", "dev")
    monkeypatch.setenv("ORGTUI_READ_ONLY", "1")
    monkeypatch.setenv("ORGTUI_THEME", "ansi")
    profile = load_config(path).profile()
    assert (profile.name, profile.read_only, profile.theme) == ("dev", True, "ansi")
    monkeypatch.setenv("ORGTUI_THEME", "neon")
    with pytest.raises(ConfigError, match="ORGTUI_THEME"):
        load_config(path)


def test_out_of_range_value_says_the_bound(tmp_path: Path) -> None:
    path = write(tmp_path, "[profiles.prod]\nrefresh_seconds = 2\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f"{path}:2: 'profiles.prod.refresh_seconds': should be an integer of at least 10"
    )
