"""Config errors come from pydantic's structured errors: every problem in the file is reported,
each with its file, line and key, one line each, and no value is ever quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgtui.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    lines = str(err.value).splitlines()
    assert [str(p) for p in err.value.problems] == lines
    return [line.removeprefix(str(path)) for line in lines]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('refresh_seconds = "often"', "'profiles.prod.refresh_seconds': should be an integer, not text"),
        ("refresh_seconds = 2.5", "'profiles.prod.refresh_seconds': should be an integer, not a number"),
        ('read_only = "maybe"', "'profiles.prod.read_only': should be true or false, not text"),
        ("org_name = 5", "'profiles.prod.org_name': should be text, not an integer"),
        ('requests_per_minute = "fast"', "'profiles.prod.requests_per_minute': should be a number, not text"),
        ("thresholds = 3", "'profiles.prod.thresholds': should be a table, not an integer"),
        ("refresh_seconds = 2", "'profiles.prod.refresh_seconds': should be an integer of at least 10"),
        ("requests_per_minute = 0", "'profiles.prod.requests_per_minute': should be a number greater than 0.0"),
        ('theme = "neon"', "'profiles.prod.theme': should be 'dark', 'light' or 'ansi'"),
        ('base_url = "ftp://x"', "'profiles.prod.base_url': must be an http(s) URL such as https://api.openai.com/v1"),
        ('admin_key_env = "MY KEY"', "'profiles.prod.admin_key_env': must be the name of an environment variable, e.g. OPENAI_ADMIN_KEY"),
        ("readonly = true", "unknown key 'profiles.prod.readonly'"),
    ],
)  # fmt: skip
def test_each_kind_of_error_names_line_key_and_fix(tmp_path: Path, line: str, said: str) -> None:
    assert problems(tmp_path, f'[profiles.prod]\nname = "prod"\n{line}\n') == [f":3: {said}"]


def test_every_error_in_the_file_is_reported_in_file_order(tmp_path: Path) -> None:
    text = (
        'default_profile = "prod"\n'  # 1
        "colour = 1\n"  # 2: unknown top-level key
        "[profiles.prod]\n"  # 3
        "refresh_seconds = 2\n"  # 4
        'theme = "neon"\n'  # 5
        "[profiles.prod.thresholds]\n"  # 6
        "key_rotation_days = 0\n"  # 7
        "bogus = 1\n"  # 8
        "[keymap]\n"  # 9
        '"app.quit" = ["q"]\n'  # 10: a list where a key is expected
        '"key.explode" = "x"\n'  # 11: no such action
    )
    assert problems(tmp_path, text) == [
        ":2: unknown key 'colour'",
        ":4: 'profiles.prod.refresh_seconds': should be an integer of at least 10",
        ":5: 'profiles.prod.theme': should be 'dark', 'light' or 'ansi'",
        ":7: 'profiles.prod.thresholds.key_rotation_days': should be an integer of at least 1",
        ":8: unknown key 'profiles.prod.thresholds.bogus'",
        ":10: 'keymap.app.quit': should be text, not a list",
        ":11: unknown action 'keymap.key.explode' (press ? in the console for ids)",
    ]


def test_a_wrong_type_inside_keymap_is_reported_at_its_own_line(tmp_path: Path) -> None:
    text = '[keymap]\n"app.help" = "f1"\n\n"app.quit" = 7\n'
    assert problems(tmp_path, text) == [":4: 'keymap.app.quit': should be text, not an integer"]


def test_keymap_that_is_not_a_table(tmp_path: Path) -> None:
    assert problems(tmp_path, 'keymap = "q"\n') == [":1: 'keymap': should be a table, not text"]


def test_a_key_in_an_inline_table_is_reported_on_its_line(tmp_path: Path) -> None:
    text = "[profiles.prod]\n\nthresholds = { spike_factor = 1 }\n"
    assert problems(tmp_path, text) == [
        ":3: 'profiles.prod.thresholds.spike_factor': should be a number greater than 1.0"
    ]


def test_an_empty_key_in_keymap(tmp_path: Path) -> None:
    assert problems(tmp_path, '[keymap]\n"app.quit" = "  "\n') == [
        ":2: empty key for 'keymap.app.quit'"
    ]


def test_errors_never_quote_the_value(tmp_path: Path) -> None:
    text = '[profiles.prod]\nrefresh_seconds = "hunter2-secret"\ntheme = "hunter3-secret"\n'
    found = problems(tmp_path, text)
    assert len(found) == 2
    assert not any("hunter" in line for line in found)


def test_a_valid_file_is_plain_settings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[profiles.prod]\nbase_url = "https://example.test/v1/"\nrefresh_seconds = 30\n'
        "[profiles.prod.thresholds]\nspike_factor = 4\n",
    )
    profile = load_config(path).profile("prod")
    assert profile.base_url == "https://example.test/v1"
    assert profile.refresh_seconds == 30
    assert profile.thresholds.spike_factor == 4.0
    assert profile.name == "prod"
