"""Shared plumbing of the mutation services: registration, snapshot edits, look-ups.

Snapshot edits follow one rule: build the new snapshot from `session.snapshot` *after* the API
call returned (another worker may have applied something meanwhile), change only the parts the
call touched, and leave lists that were never fetched (`None`) alone: appending to a list that
was never loaded would pretend it is complete.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.core.actions import ActionRegistry, refuse
from orgtui.core.commands import handler
from orgtui.core.rules import archived, archived_refusal
from orgtui.core.services.errors import (
    InvalidInput,
)
from orgtui.core.snapshot import OrgSnapshot, PartStatus, project_part

if TYPE_CHECKING:
    from orgtui.api.models import Invite, Project, User
    from orgtui.core.session import Session

__all__ = [
    "apply",
    "archived",
    "display",
    "ensure_writable",
    "load_invites",
    "load_users",
    "mutation",
    "project_of",
    "refuse",
    "refuse_if_archived",
    "remove_by_id",
    "require_choice",
    "update_org_list",
    "update_project_list",
    "upsert",
]

T = TypeVar("T")
Fn = TypeVar("Fn", bound=Callable[..., Awaitable[Any]])
_SPECS = ActionRegistry()


def ensure_writable(session: Session, action_id: str) -> None:
    """The read-only gate (`ActionRegistry.ensure_allowed`), for a service called directly."""
    session.registry.ensure_allowed(action_id)


def mutation(action_id: str) -> Callable[[Fn], Fn]:
    """Register `fn` as the handler of `action_id`, refusing to run in read-only mode."""

    def register(fn: Fn) -> Fn:
        @functools.wraps(fn)
        async def guarded(session: Session, **params: Any) -> Any:
            ensure_writable(session, action_id)
            return await fn(session, **params)

        handler(action_id)(guarded)
        return guarded  # type: ignore[return-value]

    return register


def apply(session: Session, snapshot: OrgSnapshot, parts: Iterable[str]) -> OrgSnapshot:
    parts = [p for p in dict.fromkeys(parts) if p]
    return session.apply(snapshot, parts) if parts else session.snapshot


def upsert(items: list[T], item: T) -> list[T]:
    """A new list with `item` replacing the one with the same id, or appended."""
    item_id = getattr(item, "id", None)
    out = [item if getattr(old, "id", None) == item_id else old for old in items]
    if not any(getattr(old, "id", None) == item_id for old in items):
        out.append(item)
    return out


def upserting(item: T) -> Callable[[list[T]], list[T]]:
    """The change that upserts `item` (for `update_*_list`; binds it now, not at call time)."""
    return lambda items: upsert(items, item)


def removing(ids: str | Iterable[str]) -> Callable[[list[T]], list[T]]:
    """The change that drops the items with these ids."""
    return lambda items: remove_by_id(items, ids)


def without_keys_of(account_id: str) -> Callable[[list[T]], list[T]]:
    """The change that drops the keys a deleted service account owned."""

    def owner(key: T) -> str | None:
        account = getattr(getattr(key, "owner", None), "service_account", None)
        return getattr(account, "id", None)

    return lambda keys: [k for k in keys if owner(k) != account_id]


def remove_by_id(items: list[T], ids: str | Iterable[str]) -> list[T]:
    drop = {ids} if isinstance(ids, str) else set(ids)
    return [item for item in items if getattr(item, "id", None) not in drop]


def update_project_list(
    session: Session, pid: str, field: str, kind: str, change: Callable[[list[Any]], list[Any]]
) -> bool:
    """Apply `change` to one loaded list of a project; False when the list was never fetched."""
    view = session.snapshot.project(pid)
    current = view.get(field) if view is not None else None
    if current is None:
        return False
    new = session.snapshot.with_project(pid, **{field: change(list(current))})
    apply(session, new, [project_part(pid, kind)])
    return True


def update_org_list(
    session: Session, field: str, part: str, change: Callable[[list[Any]], list[Any]]
) -> bool:
    current = getattr(session.snapshot, field)
    if current is None:
        return False
    apply(session, session.snapshot.with_org(**{field: change(list(current))}), [part])
    return True


def display(name: str | None, fallback: str = "", limit: int = 60) -> str:
    """A name from the API made safe for a one-line message (it may hold escape sequences)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in (name or fallback))
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def project_of(session: Session, pid: str) -> Project:
    """The project from the snapshot, or read from the API when it is not known locally."""
    if not pid:
        raise InvalidInput("No project given")
    view = session.snapshot.project(pid)
    if view is not None:
        return view.project
    return await session.client.get_project(pid)


def refuse_if_archived(project: Project, doing: str) -> None:
    """`rules.archived_refusal`, raised."""
    refuse(archived_refusal("", project, doing))


def require_choice(value: Any, allowed: Iterable[str], what: str) -> str:
    options = list(allowed)
    if value not in options:
        raise InvalidInput(f"{what} must be one of {', '.join(options)} (got {value!r})")
    return str(value)


async def load_users(session: Session) -> list[User]:
    """The org members: from the snapshot, or fetched (and kept) when never loaded."""
    users = session.snapshot.users
    if users is not None:
        return list(users)
    fetched = [user async for user in session.client.iter_users()]
    new = session.snapshot.with_org(users=fetched).with_part_status(
        "users", PartStatus(session.clock.now())
    )
    apply(session, new, ["users"])
    return fetched


async def load_invites(session: Session) -> list[Invite]:
    invites = session.snapshot.invites
    if invites is not None:
        return list(invites)
    fetched = [invite async for invite in session.client.iter_invites()]
    new = session.snapshot.with_org(invites=fetched).with_part_status(
        "invites", PartStatus(session.clock.now())
    )
    apply(session, new, ["invites"])
    return fetched
