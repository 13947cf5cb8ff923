"""Ids and names the console already holds, for the audit log's filters and rows; and an audit
event's fields as plain data for its detail view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Directory", "Named", "event_data", "quote_text"]


_SHOWN = 40  # how much of a typed value an error message repeats


def quote_text(text: str) -> str:
    # Echoed input stays one printable line, whatever was typed or pasted.
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    text = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    return f"“{text}”"


# ---------------------------------------------------------------- names known to the console


@dataclass(frozen=True)
class Named:
    kind: str  # project | api_key | service_account | user | invite | admin_key
    name: str
    project_id: str | None = None


def _add(objects: dict[str, Named], items: Any, kind: str, pid: str | None, *fields: str) -> None:
    for item in items or ():
        ident = getattr(item, "id", None)
        if not ident or ident in objects:
            continue
        name = next((getattr(item, f, None) for f in fields if getattr(item, f, None)), None)
        if name:
            objects[ident] = Named(kind, str(name), pid)


@dataclass
class Directory:
    """Ids and names the console already holds (from the snapshot)."""

    objects: dict[str, Named] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)  # id -> name
    emails: tuple[str, ...] = ()

    @classmethod
    def from_snapshot(cls, snapshot: Any) -> Directory:
        objects: dict[str, Named] = {}
        projects: dict[str, str] = {}
        _add(objects, getattr(snapshot, "users", None), "user", None, "email", "name")
        admin_keys = getattr(snapshot, "admin_keys", None)
        _add(objects, admin_keys, "admin_key", None, "name", "redacted_value")
        _add(objects, getattr(snapshot, "invites", None), "invite", None, "email")
        for pid, view in (getattr(snapshot, "projects", None) or {}).items():
            projects[pid] = view.project.name or pid
            objects.setdefault(pid, Named("project", projects[pid], pid))
            _add(objects, view.get("api_keys"), "api_key", pid, "name", "redacted_value")
            _add(objects, view.get("service_accounts"), "service_account", pid, "name")
            _add(objects, view.get("users"), "user", pid, "email", "name")
        emails = [u.email for u in getattr(snapshot, "users", None) or () if u.email]
        return cls(objects, projects, tuple(sorted(set(emails), key=str.casefold)))

    def name_of(self, ident: str | None) -> str | None:
        named = self.objects.get(ident or "")
        return named.name if named else None

    def _by_name(self, text: str, ids: Iterable[str]) -> list[str]:
        wanted = text.casefold()
        return [
            i for i in ids if (self.name_of(i) or self.projects.get(i, "")).casefold() == wanted
        ]

    def resolve_project(self, text: str) -> tuple[str | None, str | None]:
        value = text.strip()
        if value in self.projects:
            return value, None
        matches = [
            pid for pid, name in self.projects.items() if name.casefold() == value.casefold()
        ]
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return (
                None,
                f"{len(matches)} projects are named {quote_text(value)}: type the project id",
            )
        return None, f"No project {quote_text(value)} in this organisation"

    def resolve_object(self, text: str) -> tuple[str | None, str | None]:
        """An id as typed (ids are opaque: a deleted object's id is still worth asking for),
        or the id of the one object with that name."""
        value = text.strip()
        if value in self.objects:
            return value, None
        matches = self._by_name(value, self.objects)
        if len(matches) > 1:
            return None, f"{len(matches)} objects are named {quote_text(value)}: type an id"
        return (matches[0] if matches else value), None

    def resolve_actor(self, text: str) -> tuple[tuple[str, str] | None, str | None]:
        """("email", address) or ("id", user or key id)."""
        value = text.strip()
        if "@" in value:
            return ("email", value), None
        ident, error = self.resolve_object(value)
        if ident is None:
            return None, error
        return ("id", ident), None


def event_data(entry: Any) -> Any:
    """An audit event as builtin values (as the API sent it when known), e.g. to show as JSON."""
    from orgtui.api._base import to_data

    return getattr(entry, "as_sent", None) or to_data(entry)
