"""The live registry of user actions: the table, keymap overrides and the read-only switch.

Every action the console offers is declared once in `core.action_table`: id, label, default
key, scope, and whether it mutates. Key bindings, the command palette, the help screen and the
footer are all built from it through `ActionRegistry`, and read-only mode is enforced here
(`ensure_allowed`, over `core.rules.read_only_refusal`), not screen by screen.

A mutating action is a typed command (`core.commands.Command`, e.g. `DeleteKey`) whose
`run(session)` returns a typed result; the UI gathers the parameters (forms, confirmations),
builds the command and calls `registry.execute(session, command)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.core.action_table import (
    _BY_ID,
    _SPECS,
    ADMIN_KEY,
    AUDIT,
    CERTIFICATE,
    DIALOG,
    GLOBAL,
    GROUP,
    GROUP_MEMBER,
    HEALTH,
    INVITE,
    KEY,
    LIMITS,
    MATRIX,
    ORG_MEMBER,
    PROJECT,
    PROJECT_GROUP,
    PROJECT_MEMBER,
    PROJECT_ROLE,
    RATE_LIMIT,
    ROLE,
    SECURITY,
    SERVICE_ACCOUNT,
    SPEND,
    TREE,
    ActionSpec,
    UnknownAction,
)
from orgtui.core.commands import Command, Handler, handler, handler_for
from orgtui.core.refusals import ArchivedProjectError, DefaultProjectError, LastOwnerError
from orgtui.core.rules import Refusal, precheck, read_only_refusal

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "ADMIN_KEY",
    "AUDIT",
    "CERTIFICATE",
    "DIALOG",
    "GLOBAL",
    "GROUP",
    "GROUP_MEMBER",
    "HEALTH",
    "INVITE",
    "KEY",
    "LIMITS",
    "MATRIX",
    "ORG_MEMBER",
    "PROJECT",
    "PROJECT_GROUP",
    "PROJECT_MEMBER",
    "PROJECT_ROLE",
    "RATE_LIMIT",
    "ROLE",
    "SECURITY",
    "SERVICE_ACCOUNT",
    "SPEND",
    "TREE",
    "ActionRegistry",
    "ActionSpec",
    "Command",
    "ReadOnlyRefusal",
    "UnknownAction",
    "handler",
]

R = TypeVar("R")


class ReadOnlyRefusal(Exception):
    """Raised when a mutating action is attempted in read-only mode."""

    def __init__(self, spec: ActionSpec, reason: str) -> None:
        self.spec = spec
        self.reason = reason
        super().__init__(f"{spec.label}: refused, {reason}")


@dataclass
class ActionRegistry:
    """The live registry: the table plus keymap overrides and the read-only switch."""

    read_only: bool = False
    read_only_reason: str = "read-only mode"
    keymap: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.keymap) - set(_BY_ID))
        if unknown:
            raise UnknownAction(", ".join(unknown))

    def specs(self) -> Iterable[ActionSpec]:
        return _SPECS

    def get(self, action_id: str) -> ActionSpec:
        try:
            return _BY_ID[action_id]
        except KeyError:
            raise UnknownAction(action_id) from None

    def key_for(self, action_id: str) -> str | None:
        return self.keymap.get(action_id, self.get(action_id).key)

    def in_scope(self, scope: str) -> list[ActionSpec]:
        return [spec for spec in _SPECS if spec.scope == scope]

    def allowed(self, action_id: str) -> bool:
        return read_only_refusal(self, action_id) is None

    def ensure_allowed(self, action_id: str) -> ActionSpec:
        """The read-only gate (`rules.read_only_refusal`) as an exception."""
        spec = self.get(action_id)
        if read_only_refusal(self, action_id) is not None:
            raise ReadOnlyRefusal(spec, self.read_only_reason)
        return spec

    def handler_for(self, action_id: str) -> Handler | None:
        return handler_for(action_id)

    async def execute(self, session: Session, command: Command[R]) -> R:
        """Run a typed command: the read-only gate, core's rules, then the command itself."""
        action_id = command.action_id
        self.ensure_allowed(action_id)
        refusal = precheck(
            session,
            action_id,
            project=command.target_project(session),
            user=command.target_user(session),
        )
        refuse(refusal)
        return await command.run(session)

    async def invoke(self, action_id: str, *args: Any, **params: Any) -> Any:
        """The untyped path by id (scripts, tests); the UI uses `execute` with a command."""
        self.ensure_allowed(action_id)
        fn = handler_for(action_id)
        if fn is None:
            raise UnknownAction(f"{action_id} has no handler")
        return await fn(*args, **params)


_TABLE = ActionRegistry()


def refuse(refusal: Refusal | None) -> None:
    """Raise a rule's refusal (`core.rules`) as the matching typed exception; None passes."""
    if refusal is None:
        return
    if refusal.rule == "read_only":
        raise ReadOnlyRefusal(_TABLE.get(refusal.action_id), refusal.reason)
    kind = {
        "archived": ArchivedProjectError,
        "default_project": DefaultProjectError,
        "last_owner": LastOwnerError,
    }[refusal.rule]
    raise kind(refusal.reason)
