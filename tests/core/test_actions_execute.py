"""Typed actions: each mutating action is a command with a typed result, run through
`ActionRegistry.execute` (the read-only gate, core's rules, then the service)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from fixtures_services import World

from orgtui.core.actions import ActionRegistry, ReadOnlyRefusal
from orgtui.core.commands import Command
from orgtui.core.services import (
    ArchivedProjectError,
    commands_keys,
    commands_members,
    commands_roles,
    commands_spend,
)
from orgtui.core.services.commands_keys import CreateProject, DeleteKey
from orgtui.core.services.commands_members import SetOrgRole
from orgtui.core.services.commands_spend import SetLimit
from orgtui.core.services.results import Done, Reconciliation

MODULES = (commands_keys, commands_members, commands_roles, commands_spend)


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


def _commands() -> list[type[Command[object]]]:
    return [getattr(module, name) for module in MODULES for name in module.__all__]


def test_every_mutating_action_has_one_command() -> None:
    registry = ActionRegistry()
    mutating = sorted(spec.id for spec in registry.specs() if spec.mutates)
    named = sorted(cls.action_id for cls in _commands())
    assert named == mutating


async def test_execute_returns_the_typed_result(w: World) -> None:
    s = await w.loaded()
    uid = w.uid("Alan")
    result: Done = await s.registry.execute(s, SetOrgRole(user_id=uid, role="owner"))
    assert isinstance(result, Done) and result.message == "Alan Turing is now owner"
    assert result.obj_id == uid
    assert w.rows("SELECT role FROM users WHERE id = ?", (uid,))[0]["role"] == "owner"
    assert next(u for u in s.snapshot.users if u.id == uid).role == "owner"


async def test_execute_created_object_is_typed(w: World) -> None:
    s = await w.loaded()
    result = await s.registry.execute(s, CreateProject(name="billing-service"))
    assert isinstance(result, Done | Reconciliation)
    assert isinstance(result, Done) and result.obj_id is not None
    assert s.snapshot.project(result.obj_id) is not None


async def test_execute_refuses_in_read_only_before_any_request(w: World) -> None:
    s = await w.loaded(read_only=True)
    pid = w.pid("search-prod")
    key_id = w.live_keys(pid)[0]["id"]
    sent = len(w.transport.sent)
    with pytest.raises(ReadOnlyRefusal):
        await s.registry.execute(s, DeleteKey(project_id=pid, key_id=key_id))
    assert len(w.transport.sent) == sent
    assert any(k["id"] == key_id for k in w.live_keys(pid))


async def test_execute_asks_the_rules_before_any_request(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("experiment-2025")
    sent = len(w.transport.sent)
    with pytest.raises(ArchivedProjectError, match="experiment-2025 is archived"):
        await s.registry.execute(s, SetLimit(cents=100, project_id=pid))
    assert len(w.transport.sent) == sent  # refused from what the session knows


def test_commands_are_frozen_and_name_their_action() -> None:
    command = DeleteKey(project_id="proj_1", key_id="key_1")
    assert command.action_id == "key.delete"
    with pytest.raises(AttributeError):
        command.key_id = "key_2"  # type: ignore[misc]


def test_the_registry_does_not_import_the_services() -> None:
    code = "import sys, orgtui.core.actions; print('orgtui.core.services' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
