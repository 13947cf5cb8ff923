"""Every file location orgtui uses, in one place (`orgtui locate` prints them).

Each directory can be redirected by an environment variable, which is how the tests keep the
developer's own config and cache out of the way.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

APP_NAME = "orgtui"

_ENV_DIRS = {
    "config": "ORGTUI_CONFIG_DIR",
    "cache": "ORGTUI_CACHE_DIR",
    "data": "ORGTUI_DATA_DIR",
    "state": "ORGTUI_STATE_DIR",
}


def _platform_dir(kind: str) -> Path:
    # platformdirs is imported lazily: `orgtui --version` should not pay for it.
    import platformdirs

    finder = {
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
        "data": platformdirs.user_data_dir,
        "state": platformdirs.user_state_dir,
    }[kind]
    return Path(finder(APP_NAME, appauthor=False))


def _dir(kind: str) -> Path:
    override = os.environ.get(_ENV_DIRS[kind])
    return Path(override).expanduser() if override else _platform_dir(kind)


def config_dir() -> Path:
    return _dir("config")


def config_file() -> Path:
    override = os.environ.get("ORGTUI_CONFIG")
    return Path(override).expanduser() if override else config_dir() / "config.toml"


def cache_dir() -> Path:
    return _dir("cache")


def data_dir() -> Path:
    return _dir("data")


def state_dir() -> Path:
    return _dir("state")


def sandbox_data_dir() -> Path:
    return data_dir() / "sandbox"


def log_file() -> Path:
    return state_dir() / "orgtui.log"


def _safe_profile(profile: str) -> str:
    # Profile names come from the config file; keep them from escaping the directory.
    return re.sub(r"[^A-Za-z0-9_.-]", "_", profile) or "_"


def cache_file(profile: str) -> Path:
    return cache_dir() / f"{_safe_profile(profile)}.sqlite3"


def journal_file(profile: str) -> Path:
    return state_dir() / f"rotations-{_safe_profile(profile)}.json"


def onboarding_file(profile: str) -> Path:
    """The onboarding journal: the steps of "onboard a service" done so far (no secrets)."""
    return state_dir() / f"onboarding-{_safe_profile(profile)}.json"


def scan_record_file(profile: str) -> Path:
    """What the last `orgtui scan` found live for the profile (key ids, never values)."""
    return state_dir() / f"scan-{_safe_profile(profile)}.json"


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable only by the user (it holds org data, never secrets)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def all_paths(profile: str | None = None) -> dict[str, Path]:
    """What `orgtui locate` prints."""
    name = profile or "default"
    return {
        "config file": config_file(),
        "cache dir": cache_dir(),
        "cache file": cache_file(name),
        "demo cache file": cache_file("demo"),
        "sandbox data": sandbox_data_dir(),
        "rotation journal": journal_file(name),
        "onboarding journal": onboarding_file(name),
        "last key scan": scan_record_file(name),
        "log file": log_file(),
    }
