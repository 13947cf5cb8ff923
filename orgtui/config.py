"""Configuration: profiles (one per organisation) in a TOML file, validated by pydantic v2.

The settings are dataclasses validated by a pydantic `TypeAdapter` (constraints in their
annotations): building one needs no pydantic, so a start without a config file (or the demo)
draws its first frame before pydantic is imported, and so does a start with a file pydantic
accepted before (its checked values are kept in the cache dir). Every problem is reported from
pydantic's structured errors (`loc`, `type`, `ctx`, `config_errors`), each with its file, line
and key. Keys never live in the file: anything that looks like an OpenAI key is refused.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from orgtui import paths
from orgtui.api._secret import Secret
from orgtui.config_errors import ConfigError, Pattern, Problem, line_of, problems_of, raise_all
from orgtui.core.constraints import Ge, Gt
from orgtui.core.thresholds import Thresholds

__all__ = [
    "Config",
    "ConfigError",
    "Profile",
    "Thresholds",
    "apply_env_overrides",
    "demo_profile",
    "load_config",
    "resolve_admin_key",
]

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEMO_ORG_NAME = "Acme Robotics (sandbox)"
_KEY_LOOKALIKE = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
# What an admin key looks like: one token, no spaces or control characters.
_KEY_SHAPE = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
HTTP_URL = r"^https?://[^\s/]+"
_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
THEMES = ("dark", "light", "ansi")
# pydantic's config of each settings dataclass: unknown keys are errors.
_FORBID = {"extra": "forbid", "hide_input_in_errors": True}


@dataclass(kw_only=True)
class Profile:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID

    name: str = "default"
    base_url: Annotated[
        str, Pattern(HTTP_URL, "must be an http(s) URL such as https://api.openai.com/v1")
    ] = DEFAULT_BASE_URL
    admin_key_env: Annotated[
        str,
        Pattern(_ENV_NAME, "must be the name of an environment variable, e.g. OPENAI_ADMIN_KEY"),
    ] = "OPENAI_ADMIN_KEY"
    admin_key_command: str | None = None
    read_only: bool = False
    theme: Literal["dark", "light", "ansi"] = "dark"
    org_name: str | None = None
    refresh_seconds: Annotated[int, Ge(10)] = 300
    full_refresh_every: Annotated[int, Ge(1)] = 12  # incremental cycles between full ones
    usage_poll_seconds: Annotated[int, Ge(5)] = 60
    requests_per_minute: Annotated[float, Gt(0.0)] = 60.0
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")

    def replace(self, **changes: Any) -> Profile:
        """A copy with `changes` applied, not validated (tests may want a 1 s refresh)."""
        return dataclasses.replace(self, **changes)


@dataclass(kw_only=True)
class Config:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID

    default_profile: str = "default"
    profiles: dict[str, Profile] = field(default_factory=dict)
    keymap: dict[str, str] = field(default_factory=dict)
    # The profiles `orgtui` opens together when no --profile is given (empty: the default one).
    open_profiles: list[str] = field(default_factory=list)
    # Where it was read from: set by load_config, never read from the file (init=False).
    source: Path | None = field(default=None, init=False, compare=False, repr=False)

    def profile(self, name: str | None = None) -> Profile:
        """The profile in use, with the environment's overrides applied."""
        wanted = name or self.default_profile
        if wanted in self.profiles:
            return apply_env_overrides(self.profiles[wanted])
        if name is None and not self.profiles and wanted == "default":
            return apply_env_overrides(Profile(name="default"))
        known = ", ".join(sorted(self.profiles)) or "none configured"
        where = f" in {self.source}" if self.source else ""
        raise ConfigError(f"No profile '{wanted}'{where} (profiles: {known})")


def demo_profile() -> Profile:
    return Profile(name="demo", base_url="http://sandbox/v1", org_name=DEMO_ORG_NAME)


def _refuse_keys(text: str, path: Path) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if _KEY_LOOKALIKE.search(line.split("#", 1)[0]):
            raise ConfigError(
                f"{path}:{number}: this looks like an API key. Keys belong in the environment "
                "(admin_key_env) or a password manager (admin_key_command), never in a file"
            )


def _env_theme() -> str | None:
    theme = os.environ.get("ORGTUI_THEME") or None
    if theme is not None and theme not in THEMES:
        raise ConfigError(f"ORGTUI_THEME={theme!r}: expected dark, light or ansi")
    return theme


def apply_env_overrides(profile: Profile) -> Profile:
    """ORGTUI_READ_ONLY and ORGTUI_THEME on the profile in use (from the file, the built-in
    default when there is no file, or the demo)."""
    changes: dict[str, Any] = {}
    if os.environ.get("ORGTUI_READ_ONLY", "").lower() in {"1", "true", "yes"}:
        changes["read_only"] = True
    if theme := _env_theme():
        changes["theme"] = theme
    return profile.replace(**changes) if changes else profile


def _apply_env(config: Config) -> Config:
    """Environment overrides for the common settings (checked even without a config file)."""
    _env_theme()
    if os.environ.get("ORGTUI_PROFILE"):  # a choice of one profile, as --profile is
        config.default_profile = os.environ["ORGTUI_PROFILE"]
        config.open_profiles = []
    return config


def _keymap_id_problems(keymap: Any, text: str, path: Path) -> list[Problem]:
    if not isinstance(keymap, dict):
        return []
    from orgtui.core.actions import ActionRegistry

    known = {spec.id for spec in ActionRegistry().specs()}
    return [
        Problem(
            path,
            line_of(text, ("keymap", action_id)),
            f"keymap.{action_id}",
            f"unknown action 'keymap.{action_id}' (press ? in the console for ids)",
        )
        for action_id in keymap
        if action_id not in known
    ]


def _keys_of(key: str | None) -> set[str]:
    return {part.strip() for part in (key or "").split(",") if part.strip()}


def _check_keymap_collisions(keymap: dict[str, str], text: str, path: Path) -> None:
    """Two actions on one key where both can fire (same scope, or one of them global) would
    leave one unreachable: a config error naming both."""
    if not keymap:
        return
    from orgtui.core.actions import GLOBAL, ActionRegistry

    registry = ActionRegistry(keymap=keymap)
    specs = list(registry.specs())
    keys = {spec.id: _keys_of(registry.key_for(spec.id)) for spec in specs}
    for index, first in enumerate(specs):
        for second in specs[index + 1 :]:
            if first.id not in keymap and second.id not in keymap:
                continue
            shared = keys[first.id] & keys[second.id]
            if shared and (first.scope == second.scope or GLOBAL in (first.scope, second.scope)):
                remapped = first.id if first.id in keymap else second.id
                line = line_of(text, ("keymap", remapped))
                where = f"{path}:{line}" if line else str(path)
                raise ConfigError(
                    f"{where}: key '{sorted(shared)[0]}' is bound to both '{first.id}' and "
                    f"'{second.id}'; give one of them another key in [keymap]"
                )


def _strings(value: Any, loc: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, loc)


def _refuse_decoded_keys(raw: dict[str, Any], text: str, path: Path) -> None:
    """The literal-key guard on decoded values (a TOML escape such as \\u0073k-... is decoded
    here) and on the words of admin_key_command. A safety net, not a boundary: a command can
    always build a key from pieces; the guard catches keys pasted into the file."""
    values = list(_strings(raw, ()))
    for loc, value in values:
        words = _command_words(value) if loc and loc[-1] == "admin_key_command" else [value]
        if any(_KEY_LOOKALIKE.search(word) for word in words):
            line = line_of(text, loc)
            where = f"{path}:{line}" if line else str(path)
            raise ConfigError(
                f"{where}: '{'.'.join(loc)}' looks like it holds an API key. Keys belong in "
                "the environment (admin_key_env) or a password manager (admin_key_command), "
                "never in a file"
            )


def _command_words(command: str) -> list[str]:
    """The command's words as the shell would pass them (quotes removed), plus each word with
    a parameter expansion such as ${0#x} or $1 taken out (`sh -c 'echo ${0#x}' xsk-...`)."""
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    stripped = [re.sub(r"\$\{[^}]*\}|\$\w+", "", word) for word in words]
    return [command, *words, *stripped, "".join(stripped)]


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; a missing file means defaults."""
    path = path or paths.config_file()
    if not path.exists():
        return _apply_env(Config())
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: cannot read the config file ({exc.__class__.__name__})"
        ) from None
    _refuse_keys(text, path)
    import tomllib  # only with a config file: its parser costs a start without one ~3 ms

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    bodies = raw.get("profiles")
    if isinstance(bodies, dict):
        for name, body in bodies.items():
            if isinstance(body, dict):
                body.setdefault("name", name)
    problems = _keymap_id_problems(raw.get("keymap"), text, path)
    config = _checked_before(text)
    found: list[Problem] = []
    if config is None:
        config, found = _validate(raw, text, path)
    problems += found
    if config is not None:
        from orgtui.config_errors import open_profile_problems

        problems += open_profile_problems(config.open_profiles, config.profiles, text, path)
        problems += [
            Problem(
                path,
                line_of(text, ("keymap", action_id)),
                f"keymap.{action_id}",
                f"empty key for 'keymap.{action_id}'",
            )
            for action_id, key in config.keymap.items()
            if not key.strip()
        ]
    raise_all(problems)
    assert config is not None  # every failure above is a problem
    _check_keymap_collisions(config.keymap, text, path)
    _refuse_decoded_keys(raw, text, path)
    if not found:
        _remember_checked(text, config)
    config.source = path
    return _apply_env(config)


# A file that pydantic accepted is remembered (its digest and the values pydantic produced) in
# the cache dir, so the next start builds the same settings without importing pydantic before
# its first frame. Any change to the file validates it again. It holds no key (refused above).
_CHECKED_FORMAT = "orgtui-config-checked-1"


def _checked_file() -> Path:
    return paths.cache_dir() / "config-checked.json"


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(f"{_CHECKED_FORMAT}\n{text}".encode()).hexdigest()


def _checked_before(text: str) -> Config | None:
    """The settings of `text` as pydantic produced them last time, else None."""
    import json

    try:
        record = json.loads(_checked_file().read_text(encoding="utf-8"))
        if record.get("digest") != _digest(text):
            return None
        values = record["config"]
        profiles = {
            name: Profile(**{**body, "thresholds": Thresholds(**body["thresholds"])})
            for name, body in values["profiles"].items()
        }
        return Config(
            default_profile=values["default_profile"],
            profiles=profiles,
            keymap=dict(values["keymap"]),
            open_profiles=list(values["open_profiles"]),
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # none, another file's, or another version's: validate


def _remember_checked(text: str, config: Config) -> None:
    import json

    record = {"digest": _digest(text), "config": dataclasses.asdict(config)}
    target = _checked_file()
    try:
        paths.ensure_private_dir(target.parent)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out)
    except OSError:
        pass  # the next start validates again: slower, not wrong


_ADAPTER: Any = None


def _validate(raw: dict[str, Any], text: str, path: Path) -> tuple[Config | None, list[Problem]]:
    """`raw` as a Config, or every problem pydantic found in it. pydantic and the adapter
    load with the first config file read (a start without one never needs them)."""
    global _ADAPTER
    from pydantic import TypeAdapter, ValidationError

    if _ADAPTER is None:
        _ADAPTER = TypeAdapter(Config)
    try:
        return _ADAPTER.validate_python(raw), []
    except ValidationError as exc:
        return None, problems_of(exc, text, path)


def resolve_admin_key(profile: Profile) -> Secret:
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
        lines = len(value.splitlines())
        if lines != 1 or not _KEY_SHAPE.fullmatch(value):
            # Never echo what it printed: it may be the key with something around it.
            what = f"{lines} lines" if lines != 1 else "a line that is not a key"
            raise ConfigError(
                f"profile '{profile.name}': admin_key_command printed {what}; "
                "expected exactly one line holding the key (sk-admin-...)"
            )
        return Secret(value)
    value = os.environ.get(profile.admin_key_env, "").strip()
    if not value:
        raise ConfigError(
            f"No admin key for profile '{profile.name}': set {profile.admin_key_env} "
            "(an sk-admin-... key from platform.openai.com) or configure admin_key_command; "
            "try `orgtui --demo` to explore the sandbox without one"
        )
    if not _KEY_SHAPE.fullmatch(value):
        raise ConfigError(
            f"profile '{profile.name}': {profile.admin_key_env} does not hold a key "
            "(expected one line such as sk-admin-...)"
        )
    return Secret(value)
