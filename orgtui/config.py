"""Configuration: profiles (one per organisation) in a TOML file, validated with pydantic.

Every problem becomes one `ConfigError` whose message names the file, the line and the key.
Keys never live in the file: anything that looks like an OpenAI key is refused.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from orgtui import paths

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEMO_ORG_NAME = "Acme Robotics (sandbox)"
_KEY_LOOKALIKE = re.compile(r"sk-[A-Za-z0-9_-]{8,}")


class ConfigError(Exception):
    """A configuration problem, already phrased for the user (one line)."""


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key_rotation_days: int = Field(90, ge=1)
    key_unused_days: int = Field(30, ge=1)
    admin_key_max_age_days: int = Field(90, ge=1)
    limit_high_factor: float = Field(2.0, gt=1.0)
    timeout_seconds: float = Field(20.0, gt=0)


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "default"
    base_url: str = DEFAULT_BASE_URL
    admin_key_env: str = "OPENAI_ADMIN_KEY"
    admin_key_command: str | None = None
    read_only: bool = False
    theme: Literal["dark", "light", "ansi"] = "dark"
    org_name: str | None = None
    refresh_seconds: int = Field(300, ge=10)
    usage_poll_seconds: int = Field(60, ge=5)
    requests_per_minute: float = Field(60.0, gt=0)
    thresholds: Thresholds = Field(default_factory=Thresholds)

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL such as https://api.openai.com/v1")
        return value.rstrip("/")

    @field_validator("admin_key_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise ValueError("must be the name of an environment variable, e.g. OPENAI_ADMIN_KEY")
        return value


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    default_profile: str = "default"
    profiles: dict[str, Profile] = Field(default_factory=dict)
    keymap: dict[str, str] = Field(default_factory=dict)
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("keymap")
    @classmethod
    def _known_actions(cls, value: dict[str, str]) -> dict[str, str]:
        from orgtui.core.actions import ActionRegistry

        known = {spec.id for spec in ActionRegistry().specs()}
        for action_id, key in value.items():
            if action_id not in known:
                raise ValueError(f"unknown action '{action_id}' (see `?` in the console for ids)")
            if not key.strip():
                raise ValueError(f"empty key for '{action_id}'")
        return value

    def profile(self, name: str | None = None) -> Profile:
        wanted = name or self.default_profile
        if wanted in self.profiles:
            return self.profiles[wanted]
        if name is None and not self.profiles:
            return Profile(name="default")
        known = ", ".join(sorted(self.profiles)) or "none configured"
        where = f" in {self.source}" if self.source else ""
        raise ConfigError(f"No profile '{wanted}'{where} (profiles: {known})")


def demo_profile() -> Profile:
    return Profile(name="demo", base_url="http://sandbox/v1", org_name=DEMO_ORG_NAME)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of a key path such as ('profiles', 'prod', 'theme')."""
    lines = text.splitlines()
    keys = [str(part) for part in loc if not isinstance(part, int)]
    if not keys:
        return None
    leaf = keys[-1]
    section = ".".join(keys[:-1])
    in_section = section == ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith("["):
            header = line.strip("[] ").replace('"', "")
            if header == ".".join(keys):
                return number
            in_section = header == section
            continue
        if in_section and re.match(rf'^"?{re.escape(leaf)}"?\s*=', line):
            return number
    return None


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{loc}'"
    message = error["msg"].removeprefix("Value error, ")
    return f"'{loc}': {message}"


def _refuse_keys(text: str, path: Path) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if _KEY_LOOKALIKE.search(line.split("#", 1)[0]):
            raise ConfigError(
                f"{path}:{number}: this looks like an API key. Keys belong in the environment "
                "(admin_key_env) or a password manager (admin_key_command), never in a file"
            )


def _apply_env(config: Config) -> Config:
    """Environment overrides for the common settings."""
    if os.environ.get("ORGTUI_PROFILE"):
        config.default_profile = os.environ["ORGTUI_PROFILE"]
    for profile in config.profiles.values():
        if os.environ.get("ORGTUI_READ_ONLY", "").lower() in {"1", "true", "yes"}:
            profile.read_only = True
        if theme := os.environ.get("ORGTUI_THEME"):
            if theme not in {"dark", "light", "ansi"}:
                raise ConfigError(f"ORGTUI_THEME={theme!r}: expected dark, light or ansi")
            profile.theme = theme  # type: ignore[assignment]
    return config


def _check_keymap_ids(keymap: Any, text: str, path: Path) -> None:
    if not isinstance(keymap, dict):
        return
    from orgtui.core.actions import ActionRegistry

    known = {spec.id for spec in ActionRegistry().specs()}
    for action_id in keymap:
        if action_id not in known:
            line = _line_of(text, ("keymap", action_id))
            where = f"{path}:{line}" if line else str(path)
            raise ConfigError(
                f"{where}: unknown action 'keymap.{action_id}' (press ? in the console for ids)"
            )


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; a missing file means defaults."""
    path = path or paths.config_file()
    if not path.exists():
        return _apply_env(Config(source=None))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: cannot read the config file ({exc.__class__.__name__})"
        ) from None
    _refuse_keys(text, path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    for name, body in (raw.get("profiles") or {}).items():
        if isinstance(body, dict):
            body.setdefault("name", name)
    _check_keymap_ids(raw.get("keymap"), text, path)
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        line = _line_of(text, tuple(first["loc"]))
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{where}: {_describe(first)}") from None
    config.source = path
    return _apply_env(config)


def resolve_admin_key(profile: Profile) -> SecretStr:
    """The admin key from the configured command or environment variable."""
    if profile.admin_key_command:
        import shlex

        try:
            argv = shlex.split(profile.admin_key_command)
            done = subprocess.run(argv, capture_output=True, text=True, timeout=15, check=False)
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            raise ConfigError(
                f"profile '{profile.name}': admin_key_command failed to run ({exc.__class__.__name__})"
            ) from None
        if done.returncode != 0:
            raise ConfigError(
                f"profile '{profile.name}': admin_key_command exited with status {done.returncode}"
            )
        value = done.stdout.strip()
        if not value:
            raise ConfigError(f"profile '{profile.name}': admin_key_command printed nothing")
        return SecretStr(value)
    value = os.environ.get(profile.admin_key_env, "").strip()
    if not value:
        raise ConfigError(
            f"No admin key for profile '{profile.name}': set {profile.admin_key_env} "
            "(an sk-admin-... key from platform.openai.com) or configure admin_key_command; "
            "try `orgtui --demo` to explore the sandbox without one"
        )
    return SecretStr(value)
