"""The registry side: every mutating action has a handler, and read-only refuses them all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fixtures_services import World
from security_params import security_params

from orgtui.core.actions import ActionRegistry, ReadOnlyRefusal
from orgtui.core.services import keys


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


def test_every_mutating_action_has_a_handler() -> None:
    registry = ActionRegistry()
    mutating = [spec.id for spec in registry.specs() if spec.mutates]
    assert [a for a in mutating if registry.handler_for(a) is None] == []
    # ...and nothing that only the UI does (navigation, views, the secret dialog) has one.
    assert [s.id for s in registry.specs() if not s.mutates and registry.handler_for(s.id)] == []


def _role() -> Any:
    from orgtui.api.models_rbac import Role

    return Role(id="role_x", name="r", resource_type="api.organization")


def _params(w: World) -> dict[str, dict[str, Any]]:
    pid = w.pid("search-prod")
    uid = w.uid("Alan")
    kid = w.key_id(pid, "ada-debug")
    sid = w.sa_id(pid, "search-api")
    return {
        "project.create": {"name": "p"},
        "project.rename": {"project_id": pid, "name": "p"},
        "project.archive": {"project_id": pid},
        "key.create": {"project_id": pid, "name": "k"},
        "key.delete": {"project_id": pid, "key_id": kid},
        "key.rotate": {"project_id": pid, "key_id": kid},
        "service_account.mint": {"project_id": pid, "service_account_id": sid},
        "service_account.role": {"project_id": pid, "service_account_id": sid, "role": "owner"},
        "service_account.delete": {"project_id": pid, "service_account_id": sid},
        "admin_key.create": {"name": "a"},
        "admin_key.delete": {"key_id": "key_x"},
        "org_member.role": {"user_id": uid, "role": "owner"},
        "org_member.remove": {"user_id": uid},
        "invite.create": {"emails": "x@example.com"},
        "invite.delete": {"invite_id": "invite-x"},
        "invite.role": {"invite_id": "invite-x", "role": "owner"},
        "project_member.add": {"project_id": pid, "user_id": w.uid("Ken")},
        "project_member.role": {"project_id": pid, "user_id": uid, "role": "owner"},
        "project_member.remove": {"project_id": pid, "user_id": uid},
        "matrix.change": {"project_id": pid, "user_id": uid, "role": "owner"},
        "matrix.remove": {"project_id": pid, "user_id": uid},
        "limit.set": {"cents": 100},
        "limit.remove": {},
        "alert.create": {"cents": 100, "recipients": "a@example.com"},
        "alert.update": {"alert_id": "alert_x", "cents": 200},
        "alert.delete": {"alert_id": "alert_x"},
        **security_params(pid),
        "service.onboard": {"plan": None},  # refused before the plan is looked at
        "group.create": {"name": "g"},
        "group.rename": {"group_id": "group_x", "name": "g"},
        "group.delete": {"group_id": "group_x"},
        "group.add_member": {"group_id": "group_x", "user_id": uid},
        "group.grant_role": {"group_id": "group_x", "role_id": "role_org_owner"},
        "group.revoke_role": {"group_id": "group_x", "role_id": "role_org_owner"},
        "group_member.remove": {"group_id": "group_x", "user_id": uid},
        "role.create": {"name": "r", "permissions": ["api.groups.read"]},
        "role.edit": {"role": _role(), "name": "r", "permissions": ["api.groups.read"]},
        "role.delete": {"role": _role()},
        "user_role.assign": {"user_id": uid, "role": _role()},
        "user_role.revoke": {"user_id": uid, "role": _role()},
        "project_user_role.assign": {"project_id": pid, "user_id": uid, "role": _role()},
        "project_user_role.revoke": {"project_id": pid, "user_id": uid, "role": _role()},
        "project_group.add": {"project_id": pid, "group_id": "group_x", "role": _role()},
        "project_group.remove": {"project_id": pid, "group_id": "group_x"},
        "project_group.grant_role": {"project_id": pid, "group_id": "group_x", "role": _role()},
        "project_group.revoke_role": {"project_id": pid, "group_id": "group_x", "role": _role()},
        "project_role.create": {"project_id": pid, "name": "r", "permissions": ["x.read"]},
        "project_role.edit": {"project_id": pid, "role": _role(), "name": "r", "permissions": []},
        "project_role.delete": {"project_id": pid, "role": _role()},
        "rate_limit.edit": {
            "project_id": pid,
            "rate_limit_id": "rl-gpt-4o",
            "values": {"max_requests_per_1_minute": 1},
        },
    }


async def test_read_only_refuses_every_mutation_and_changes_nothing(w: World) -> None:
    s = await w.loaded(read_only=True)
    assert s.read_only and s.registry.read_only
    params = _params(w)
    before = w.state()
    sent_before = len(w.transport.sent)
    mutating = [spec for spec in s.registry.specs() if spec.mutates]
    assert {spec.id for spec in mutating} <= set(params)
    for spec in mutating:
        with pytest.raises(ReadOnlyRefusal) as info:
            await s.registry.invoke(spec.id, s, **params[spec.id])
        assert "read-only" in str(info.value)
    assert w.state() == before
    assert len(w.transport.sent) == sent_before  # not even a read


async def test_handlers_refuse_read_only_even_without_the_registry(w: World) -> None:
    s = await w.loaded(read_only=True)
    pid = w.pid("search-prod")
    with pytest.raises(ReadOnlyRefusal):
        await keys.delete_key(s, project_id=pid, key_id=w.key_id(pid, "ada-debug"))
    assert any(k["name"] == "ada-debug" for k in w.live_keys(pid))
