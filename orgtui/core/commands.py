"""Typed mutating actions: a frozen command dataclass per action, with a typed result.

Each command names its action id (`action_id`, a row of `core.action_table`) and carries what
the action needs; `run(session)` carries it out through its core service and returns the
service's result type (`core.services.results`). `ActionRegistry.execute(session, command)`
is the one way the UI runs one: the read-only gate, the rules (`core.rules.precheck`), then
`run`. Commands live with their services (`core.services.*_commands`); this module is the base
both the registry and the services import, so neither imports the other.

The services also register their coroutine by id (`handler`), for the untyped path
`ActionRegistry.invoke(id, session, **params)` that scripts and tests still use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from orgtui.core.action_table import _BY_ID, UnknownAction

if TYPE_CHECKING:
    from orgtui.api.models import Project, User
    from orgtui.core.session import Session

__all__ = ["Command", "Handler", "handler", "handler_for"]

R = TypeVar("R", covariant=True)

Handler = Callable[..., Awaitable[Any]]
_HANDLERS: dict[str, Handler] = {}


def handler(action_id: str) -> Callable[[Handler], Handler]:
    """Register the core coroutine that carries out a mutating action."""

    def register(fn: Handler) -> Handler:
        if action_id not in _BY_ID:
            raise UnknownAction(action_id)
        _HANDLERS[action_id] = fn
        return fn

    return register


def handler_for(action_id: str) -> Handler | None:
    """The registered coroutine (the services register theirs when they are imported)."""
    return _HANDLERS.get(action_id)


@dataclass(frozen=True, kw_only=True)
class Command(Generic[R]):
    """A mutating action with its parameters; subclasses set `action_id` and `run`."""

    action_id: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        action_id = cls.__dict__.get("action_id")
        if action_id is not None and action_id not in _BY_ID:
            raise UnknownAction(action_id)

    async def run(self, session: Session) -> R:
        raise NotImplementedError

    def target_project(self, session: Session) -> Project | None:
        """The project the command changes, as the session knows it (for `precheck`)."""
        pid = getattr(self, "project_id", None)
        view = session.snapshot.project(pid) if isinstance(pid, str) and pid else None
        return view.project if view is not None else None

    def target_user(self, session: Session) -> User | None:
        """The organisation member the command changes, when known (for `precheck`)."""
        uid = getattr(self, "user_id", None)
        users = session.snapshot.users
        if not isinstance(uid, str) or users is None:
            return None
        return next((u for u in users if u.id == uid), None)
