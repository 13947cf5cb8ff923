"""Configuration: profiles (one per organisation) in a TOML file, validated with msgspec.

Every problem becomes one `ConfigError` whose message names the file, the line and the key.
Keys never live in the file: anything that looks like an OpenAI key is refused.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from msgspec import Meta, Struct, field

from orgtui import paths
from orgtui.api._base import Secret

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEMO_ORG_NAME = "Acme Robotics (sandbox)"
_KEY_LOOKALIKE = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
# What an admin key looks like: one token, no spaces or control characters.
_KEY_SHAPE = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
HTTP_URL = r"^https?://[^\s/]+"
_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
THEMES = ("dark", "light", "ansi")

# What a value must look like, said the way a user fixes it (msgspec would quote the regex).
_PATTERN_HINTS = {
    "base_url": "must be an http(s) URL such as https://api.openai.com/v1",
    "admin_key_env": "must be the name of an environment variable, e.g. OPENAI_ADMIN_KEY",
}


class ConfigError(Exception):
    """A configuration problem, already phrased for the user (one line)."""


class Thresholds(Struct, kw_only=True, forbid_unknown_fields=True):
    key_rotation_days: Annotated[int, Meta(ge=1)] = 90
    key_unused_days: Annotated[int, Meta(ge=1)] = 30
    admin_key_max_age_days: Annotated[int, Meta(ge=1)] = 90
    limit_high_factor: Annotated[float, Meta(gt=1.0)] = 2.0
    timeout_seconds: Annotated[float, Meta(gt=0)] = 20.0
    spike_factor: Annotated[float, Meta(gt=1.0)] = 3.0  # `spend --once` exits 1 at this rise


class Profile(Struct, kw_only=True, forbid_unknown_fields=True):
    name: str = "default"
    base_url: Annotated[str, Meta(pattern=HTTP_URL)] = DEFAULT_BASE_URL
    admin_key_env: Annotated[str, Meta(pattern=_ENV_NAME)] = "OPENAI_ADMIN_KEY"
    admin_key_command: str | None = None
    read_only: bool = False
    theme: Literal["dark", "light", "ansi"] = "dark"
    org_name: str | None = None
    refresh_seconds: Annotated[int, Meta(ge=10)] = 300
    full_refresh_every: Annotated[int, Meta(ge=1)] = 12  # incremental cycles between full ones
    usage_poll_seconds: Annotated[int, Meta(ge=5)] = 60
    requests_per_minute: Annotated[float, Meta(gt=0)] = 60.0
    thresholds: Thresholds = field(default_factory=Thresholds)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")

    def replace(self, **changes: Any) -> Profile:
        """A copy with `changes` applied, not validated (tests may want a 1 s refresh)."""
        return msgspec.structs.replace(self, **changes)


class Config(Struct, kw_only=True, forbid_unknown_fields=True, dict=True):
    default_profile: str = "default"
    profiles: dict[str, Profile] = {}
    keymap: dict[str, str] = {}
    # Where it was read from: set by load_config on the instance (dict=True), not a field.
    source: ClassVar[Path | None] = None

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


_ERROR = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<at>[^`]*)`)?$", re.S)
_TYPE_WORDS = {
    "int": "an integer",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "object": "a table",
    "array": "a list",
}


def _words(kind: str) -> str:
    return _TYPE_WORDS.get(kind, kind)


def _problem(message: str, loc: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """(key path, what is wrong) from a msgspec validation message."""
    if unknown := re.fullmatch(r"Object contains unknown field `(.*)`", message):
        return (*loc, unknown[1]), "unknown key"
    leaf = loc[-1] if loc else ""
    if "matching regex" in message and leaf in _PATTERN_HINTS:
        return loc, _PATTERN_HINTS[leaf]
    if wrong := re.fullmatch(r"Expected `(\w+)`, got `(\w+)`", message):
        return loc, f"should be {_words(wrong[1])}, not {_words(wrong[2])}"
    if bound := re.fullmatch(r"Expected `(\w+)` (>=|>) (\S+)", message):
        relation = "of at least" if bound[2] == ">=" else "greater than"
        return loc, f"should be {_words(bound[1])} {relation} {bound[3]}"
    if message.startswith("Invalid enum value") and leaf == "theme":
        return loc, "should be " + ", ".join(f"'{t}'" for t in THEMES[:-1]) + f" or '{THEMES[-1]}'"
    return loc, message[:1].lower() + message[1:]


def _convert(data: Any, model: type[Any], prefix: tuple[str, ...], text: str, path: Path) -> Any:
    """`data` as `model`, or a ConfigError naming the file, line and key of the first problem.

    msgspec writes a dict key as `[...]`, so each profile is validated on its own under a
    prefix that names it."""
    try:
        return msgspec.convert(data, model)
    except msgspec.ValidationError as exc:
        found = _ERROR.match(str(exc))
        message = found["message"] if found else str(exc)
        at = (found["at"] or "") if found else ""
        loc = (*prefix, *(part for part in re.split(r"[.\[\]]+", at) if part))
        loc, problem = _problem(message, tuple(part for part in loc if part != "..."))
        line = _line_of(text, loc)
        where = f"{path}:{line}" if line else str(path)
        dotted = ".".join(loc)
        said = f"unknown key '{dotted}'" if problem == "unknown key" else f"'{dotted}': {problem}"
        raise ConfigError(f"{where}: {said}") from None


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
    if os.environ.get("ORGTUI_PROFILE"):
        config.default_profile = os.environ["ORGTUI_PROFILE"]
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
                line = _line_of(text, ("keymap", remapped))
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


def _refuse_decoded_keys(raw: dict[str, Any], bodies: Any, text: str, path: Path) -> None:
    """The literal-key guard on decoded values (a TOML escape such as \\u0073k-... is decoded
    here) and on the words of admin_key_command. A safety net, not a boundary: a command can
    always build a key from pieces; the guard catches keys pasted into the file."""
    values = list(_strings(raw, ()))
    values += list(_strings(bodies, ("profiles",)))
    for loc, value in values:
        words = _command_words(value) if loc and loc[-1] == "admin_key_command" else [value]
        if any(_KEY_LOOKALIKE.search(word) for word in words):
            line = _line_of(text, loc)
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
    _check_keymap_ids(raw.get("keymap"), text, path)
    profiles: dict[str, Profile] = {}
    bodies = raw.pop("profiles", None)
    if bodies is not None and not isinstance(bodies, dict):
        raise ConfigError(f"{path}: 'profiles' should be a table such as [profiles.prod]")
    for name, body in (bodies or {}).items():
        if isinstance(body, dict):
            body.setdefault("name", name)
        profiles[name] = _convert(body, Profile, ("profiles", name), text, path)
    config: Config = _convert(raw, Config, (), text, path)
    for action_id, key in config.keymap.items():
        if not key.strip():
            line = _line_of(text, ("keymap", action_id))
            raise ConfigError(f"{path}:{line or '?'}: empty key for 'keymap.{action_id}'")
    _check_keymap_collisions(config.keymap, text, path)
    _refuse_decoded_keys(raw, bodies or {}, text, path)
    config.profiles = profiles
    config.source = path
    return _apply_env(config)


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
