"""Checks on what a person types before it reaches the API.

Pure functions: each returns `(value, None)` on success or `(None, message)` with a short,
specific message ("Name has a control character at position 5"). The API documents no length
limits for names, so the console sets its own (`KEY_NAME_MAX`, `PROJECT_NAME_MAX`): long
enough for `<project>-<service>-<env>`, short enough to fit a table column and a tree row.
"""

from __future__ import annotations

import re
import unicodedata

from orgtui.core.money import parse_dollars

__all__ = [
    "EMAIL_MAX",
    "KEY_NAME_MAX",
    "PROJECT_NAME_MAX",
    "parse_amount",
    "parse_emails",
    "suggest_key_name",
    "validate_email",
    "validate_key_name",
    "validate_project_name",
]

KEY_NAME_MAX = 64
PROJECT_NAME_MAX = 64
EMAIL_MAX = 254  # RFC 5321 path limit

# Deliberately simple: one @, no spaces, a dotted domain. The API is the final judge.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_EMAIL_SPLIT = re.compile(r"[\s,;]+")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def _control_position(text: str) -> int | None:
    """1-based position of the first control/format character (ESC, NUL, bidi overrides...)."""
    for index, ch in enumerate(text, start=1):
        if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}:
            return index
    return None


def _validate_name(text: str | None, limit: int, what: str) -> tuple[str | None, str | None]:
    if text is None or not text.strip():
        return None, f"{what} is empty"
    position = _control_position(text)
    if position is not None:
        return None, f"{what} has a control character at position {position}"
    value = text.strip()
    if len(value) > limit:
        return None, f"{what} is {len(value)} characters; the limit is {limit}"
    return value, None


def validate_key_name(text: str | None) -> tuple[str | None, str | None]:
    """A service-account or key name: non-empty, printable, at most `KEY_NAME_MAX` characters."""
    return _validate_name(text, KEY_NAME_MAX, "Name")


def validate_project_name(text: str | None) -> tuple[str | None, str | None]:
    """A project name: non-empty, printable, at most `PROJECT_NAME_MAX` characters."""
    return _validate_name(text, PROJECT_NAME_MAX, "Project name")


def suggest_key_name(project_name: str | None, service: str | None = None) -> str:
    """`<project>-<service>` in lower-case slug form, within `KEY_NAME_MAX` characters.

    The seed's advice: one distinctly named key per service, so cost attribution is readable.
    """

    def slug(text: str | None) -> str:
        folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
        return _SLUG_DROP.sub("-", folded.lower()).strip("-")

    parts = [p for p in (slug(project_name), slug(service) or "service") if p]
    name = "-".join(parts)
    if len(name) > KEY_NAME_MAX:
        name = name[:KEY_NAME_MAX].rstrip("-")
    return name


def validate_email(text: str | None) -> tuple[str | None, str | None]:
    """One email address, trimmed; the domain is lower-cased (the local part is kept as typed)."""
    if text is None or not text.strip():
        return None, "Email is empty"
    value = text.strip()
    position = _control_position(value)
    if position is not None:
        return None, f"Email has a control character at position {position}"
    if len(value) > EMAIL_MAX:
        return None, f"Email is {len(value)} characters; the limit is {EMAIL_MAX}"
    if any(ch.isspace() for ch in value):
        return None, f"Email has a space: {value!r}"
    if value.count("@") != 1:
        return None, f"Email needs exactly one @: {value!r}"
    local, _, domain = value.partition("@")
    if not local:
        return None, f"Email has nothing before the @: {value!r}"
    if "." not in domain:
        return None, f"Email domain has no dot: {value!r}"
    if ".." in value or not _EMAIL.match(value):
        return None, f"Not a valid email: {value!r}"
    return f"{local}@{domain.lower()}", None


def parse_emails(text: str | None) -> tuple[list[str], list[str]]:
    """Several emails separated by commas, semicolons, spaces or newlines.

    Returns `(valid emails in order, duplicates removed case-insensitively, messages)`.
    """
    emails: list[str] = []
    errors: list[str] = []
    seen: set[str] = set()
    for token in _EMAIL_SPLIT.split(text or ""):
        if not token:
            continue
        value, error = validate_email(token)
        if error is not None or value is None:
            errors.append(error or "Not a valid email")
            continue
        if value.lower() in seen:
            continue
        seen.add(value.lower())
        emails.append(value)
    if not emails and not errors:
        errors.append("No email address given")
    return emails, errors


def parse_amount(text: str) -> tuple[int | None, str | None]:
    """Dollar amount typed by a person -> integer cents (see `orgtui.core.money.parse_dollars`)."""
    return parse_dollars(text)
