"""Whose key is this? Match a key value, or a fragment of one, against the key inventory.

The Admin API never returns a key's value, only its redacted form: a head (the family prefix,
e.g. `sk-proj`) and the last characters (`sk-proj...wxyz`). So a whole value matches by head and
tail, a fragment that ends where the key ends matches by tail, and a prefix alone narrows only to
a family. A fragment from the middle of a key cannot be matched by anyone: the matcher says so.

The value itself is read once and reduced to a `Probe` that keeps only what a redacted value
shows (family, head and tail); nothing here stores, logs or prints more than that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "KEY_FAMILIES",
    "Candidate",
    "Probe",
    "ProbeError",
    "candidates",
    "family_of",
    "probe",
]

# Longest first: `sk-` alone is the legacy user key family.
KEY_FAMILIES = ("sk-svcacct", "sk-admin", "sk-proj", "sk")
# A whole key is far longer than this; anything shorter that starts with `sk-` is a prefix.
_WHOLE_KEY_MIN = 32
_TAIL_MIN = 4
_REDACTED = re.compile(r"^(sk(?:-[A-Za-z0-9_-]*)?)(?:\.\.\.|…)([A-Za-z0-9_-]{3,8})$")
_KEY_CHARS = re.compile(r"^[A-Za-z0-9_\-]+$")


class ProbeError(ValueError):
    """The text cannot be matched against any key (too short, not key-shaped)."""


def family_of(text: str) -> str:
    """`sk-svcacct`, `sk-admin`, `sk-proj` or `sk` (legacy) for a value, prefix or redacted
    head; a text that does not start with `sk` has no family."""
    for family in KEY_FAMILIES[:-1]:
        if text == family or text.startswith(family + "-") or text.startswith(family + "."):
            return family
    return "sk" if text.startswith("sk") else ""


@dataclass(frozen=True)
class Probe:
    """What a key value or fragment tells about the key, and nothing more."""

    family: str | None  # None: the text did not hold the key's start
    head: str | None  # the start as far as a redacted value could show it (at most 12 chars)
    tail: str | None  # the last characters (at most 8), when the text held the key's end
    whole: bool  # the text looked like a whole key

    @property
    def shown(self) -> str:
        """The redacted form of what was given: safe to print."""
        start = self.family or ""
        end = (self.tail or "")[-4:]
        if self.whole:
            return f"{start}...{end}"
        if self.tail is None:
            return f"{start}... (a prefix only)"
        return f"{start}...{end}" if start else f"...{end}"

    def __repr__(self) -> str:  # the head could hold more than a redacted value shows
        return f"Probe({self.shown!r})"


def _clean(text: str) -> str:
    value = text.strip().strip("\"'`").strip()
    if "=" in value and not value.startswith("sk"):  # OPENAI_API_KEY=sk-... pasted from an env
        value = value.split("=", 1)[1].strip().strip("\"'`").strip()
    return value


def probe(text: str) -> Probe:
    """Reduce a pasted value, fragment or redacted value to a Probe (ProbeError if unusable)."""
    value = _clean(text)
    if not value:
        raise ProbeError("nothing to match: give a key value or the end of one")
    redacted = _REDACTED.match(value)
    if redacted:
        head, tail = redacted.groups()
        return Probe(family=family_of(head), head=head, tail=tail, whole=False)
    value = value.lstrip(".…")
    if not _KEY_CHARS.match(value):
        raise ProbeError("not key-shaped: a key holds only letters, digits, '-' and '_'")
    if value.startswith("sk-"):
        family = family_of(value)
        if len(value) >= _WHOLE_KEY_MIN:
            return Probe(family=family, head=value[:12], tail=value[-8:], whole=True)
        return Probe(family=family, head=value[:12], tail=None, whole=False)
    if len(value) < _TAIL_MIN:
        raise ProbeError(f"too short to match: give at least the key's last {_TAIL_MIN} characters")
    return Probe(family=None, head=None, tail=value[-8:], whole=False)


def _redacted_parts(redacted: str) -> tuple[str, str]:
    head, _, tail = redacted.partition("...")
    if not tail:
        head, _, tail = redacted.partition("…")
    return head, tail


def matches(p: Probe, redacted_value: str) -> bool:
    """Does a key whose redacted value is this fit the probe?"""
    head, tail = _redacted_parts(redacted_value)
    if not tail:
        return False
    if p.family is not None:
        if family_of(head) != p.family:
            return False
        # A head longer than the family (`sk-abc`) shows real characters: they must agree.
        if p.head is not None and not (p.head.startswith(head) or head.startswith(p.head)):
            return False
    return p.tail is None or p.tail.endswith(tail)


@dataclass(frozen=True)
class Candidate:
    """One key that fits, with what an admin needs to decide what to do about it."""

    kind: str  # project_key | service_account_key | admin_key
    key_id: str
    name: str
    redacted_value: str
    project_id: str | None
    project_name: str | None
    owner: str  # an email, a user or account name, or "organisation"
    owner_id: str | None
    created_at: int | None
    last_used_at: int | None


def _project_key_candidate(view: Any, key: Any) -> Candidate:
    owner = key.owner
    if owner.type == "service_account" and owner.service_account is not None:
        kind, who, who_id = (
            "service_account_key",
            owner.service_account.name or owner.service_account.id,
            owner.service_account.id,
        )
    elif owner.user is not None:
        kind = "project_key"
        who = owner.user.email or owner.user.name or owner.user.id or "a user"
        who_id = owner.user.id
    else:
        kind, who, who_id = "project_key", "unknown", None
    return Candidate(
        kind=kind,
        key_id=key.id,
        name=key.name or "",
        redacted_value=key.redacted_value,
        project_id=view.project.id,
        project_name=view.project.name,
        owner=who,
        owner_id=who_id,
        created_at=key.created_at,
        last_used_at=key.last_used_at,
    )


def _inventory(snapshot: Any) -> Iterator[tuple[str, Candidate]]:
    for view in snapshot.projects.values():
        for key in view.get("api_keys") or ():
            yield key.redacted_value, _project_key_candidate(view, key)
    for key in snapshot.admin_keys or ():
        owner = key.owner
        yield (
            key.redacted_value,
            Candidate(
                kind="admin_key",
                key_id=key.id,
                name=key.name or "",
                redacted_value=key.redacted_value,
                project_id=None,
                project_name=None,
                owner=owner.name or owner.id or "organisation",
                owner_id=owner.id,
                created_at=key.created_at,
                last_used_at=key.last_used_at,
            ),
        )


def candidates(p: Probe, snapshot: Any) -> list[Candidate]:
    """Every key in the snapshot that fits the probe, most recently used first."""
    found = [c for redacted, c in _inventory(snapshot) if matches(p, redacted)]
    found.sort(key=lambda c: (-(c.last_used_at or 0), c.key_id))
    return found


def unread_key_parts(snapshot: Any) -> list[str]:
    """Projects whose key list is not known, so a 'no match' could be wrong."""
    from orgtui.core.snapshot import project_part

    return [pid for pid in snapshot.projects if not snapshot.is_fetched(project_part(pid, "keys"))]


def ids(found: Iterable[Candidate]) -> list[str]:
    return [c.key_id for c in found]
