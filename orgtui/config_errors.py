"""Configuration problems, phrased for the user from pydantic's structured errors.

Each problem is a key path (`loc`), an error `type` and its `ctx`: nothing here parses message
text. Values are never quoted (a value can be a mistyped secret), only their kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import CoreSchema

__all__ = [
    "ConfigError",
    "Pattern",
    "Problem",
    "line_of",
    "open_profile_problems",
    "problems_of",
    "raise_all",
]


class ConfigError(Exception):
    """A configuration problem, already phrased for the user: one line per problem."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: where (line may be unknown) and what."""

    path: Path
    line: int | None
    key: str
    said: str  # "unknown key 'a.b'" or "'a.b': should be ..."

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.said}"


class Pattern:
    """Annotation metadata: the string must match `regex`; the error says `hint` (the way a
    user fixes it, not the regex). Its schema is built only when pydantic validates."""

    def __init__(self, regex: str, hint: str) -> None:
        self.regex = re.compile(regex)
        self.hint = hint

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> CoreSchema:
        from pydantic_core import PydanticCustomError, core_schema

        def check(value: str) -> str:
            if not self.regex.search(value):
                raise PydanticCustomError("pattern_hint", self.hint)
            return value

        return core_schema.no_info_after_validator_function(check, handler(source))


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Line of a key path such as ('profiles', 'prod', 'theme'); else of its nearest parent
    written in the file (a key of an inline table is on its parent's line)."""
    keys = [str(part) for part in loc if not isinstance(part, int)]
    while keys:
        found = _line_of_keys(text.splitlines(), keys)
        if found is not None:
            return found
        keys = keys[:-1]
    return None


def _line_of_keys(lines: list[str], keys: list[str]) -> int | None:
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


_KINDS = {
    int: "an integer",
    float: "a number",
    str: "text",
    bool: "true or false",
    dict: "a table",
    list: "a list",
}
# Error type -> what the value should be.
_SHOULD_BE = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "dict_type": "a table",
    "dataclass_type": "a table",
    "list_type": "a list",
}
_UNKNOWN_KEY = ("unexpected_keyword_argument", "extra_forbidden")


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), "something else")


def _said(error: Any) -> tuple[tuple[Any, ...], str]:
    """(key path, the message) of one pydantic error dict."""
    loc = tuple(part for part in error["loc"] if not isinstance(part, int))
    kind, ctx = error["type"], error.get("ctx") or {}
    dotted = ".".join(str(part) for part in loc)
    if kind in _UNKNOWN_KEY:
        return loc, f"unknown key '{dotted}'"
    if kind in _SHOULD_BE:
        what = f"should be {_SHOULD_BE[kind]}, not {_kind(error.get('input'))}"
    elif kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        number = "an integer" if isinstance(bound, int) else "a number"
        relation = "of at least" if kind == "greater_than_equal" else "greater than"
        what = f"should be {number} {relation} {bound}"
    elif kind == "literal_error":
        what = f"should be {ctx.get('expected', 'one of the allowed values')}"
    else:  # pattern_hint and anything else: pydantic's own words (they quote no value)
        message = str(error["msg"])
        what = message[:1].lower() + message[1:]
    return loc, f"'{dotted}': {what}"


def problems_of(exc: ValidationError, text: str, path: Path) -> list[Problem]:
    """Every error of `exc` as a Problem with its line."""
    problems = []
    for error in exc.errors(include_url=False):
        loc, said = _said(error)
        key = ".".join(str(part) for part in loc)
        problems.append(Problem(path, line_of(text, loc), key, said))
    return problems


def raise_all(problems: list[Problem]) -> None:
    """Raise one ConfigError listing every problem (in file order), if there is any."""
    if not problems:
        return
    ordered = sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.key))
    raise ConfigError("\n".join(str(p) for p in ordered), ordered)


def open_profile_problems(
    names: list[str], profiles: Iterable[str], text: str, path: Path
) -> list[Problem]:
    """A name in `open_profiles` that is no profile of the file (or is listed twice)."""
    known = sorted(profiles)
    listed = ", ".join(known) or "none configured"
    out: list[Problem] = []
    for index, name in enumerate(names):
        if name not in known:
            said = f"'open_profiles': no profile '{name}' (profiles: {listed})"
        elif name in names[:index]:
            said = f"'open_profiles': '{name}' is listed twice"
        else:
            continue
        out.append(Problem(path, line_of(text, ("open_profiles",)), "open_profiles", said))
    return out
