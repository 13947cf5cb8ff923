"""The RBAC client methods against the sandbox: every answer parses, groups grant project access."""

from __future__ import annotations

import pytest

from orgtui.api import errors as E

from .test_sandbox_integration import make_sandbox_client, sb_client, shared_time  # noqa: F401

PERMS = ["api.groups.read", "api.groups.write"]


async def test_group_lifecycle_through_the_client(sb_client) -> None:  # noqa: F811
    client, sb, rec = sb_client
    pid = sb.store.scalar("SELECT id FROM projects WHERE name = 'search-prod'")
    uid = sb.store.scalar("SELECT id FROM users WHERE name = 'Hedy Lamarr'")
    group = await client.create_group("Search team")
    renamed = await client.update_group(group.id, "Search")
    assert renamed.name == "Search" and (await client.get_group(group.id)).group_type == "group"
    await client.add_group_user(group.id, uid)
    assert [m.id async for m in client.iter_group_users(group.id)] == [uid]
    assert (await client.get_group_user(group.id, uid)).user_type == "user"
    role = await client.create_role("Groups", PERMS, "manages groups")
    assert (await client.assign_group_role(group.id, role.id)).group.name == "Search"
    assert [r.id async for r in client.iter_group_roles(group.id)] == [role.id]
    mine = {r.id: r async for r in client.iter_user_roles(uid)}
    assert mine[role.id].assignment_sources is not None
    assert mine[role.id].assignment_sources[0].principal_id == group.id
    roles = [r async for r in client.iter_project_roles(pid)]
    owner = next(r for r in roles if r.predefined_role and r.name == "owner")
    added = await client.add_project_group(pid, group.id, owner.id)
    assert added.group_name == "Search"
    via = [r async for r in client.iter_project_user_roles(pid, uid)]
    assert [(r.name, r.assignment_sources[0].principal_type) for r in via] == [("owner", "group")]
    await client.delete_group(group.id)
    assert [r async for r in client.iter_project_user_roles(pid, uid)] == []
    with pytest.raises(E.NotFoundError):
        await client.get_group(group.id)


async def test_tenant_events_come_only_with_tenant_only(sb_client) -> None:  # noqa: F811
    client, sb, rec = sb_client
    await client.set_org_spend_limit(5000)
    plain = [e.type async for e in client.iter_audit_logs()]
    tenant = [e.type async for e in client.iter_audit_logs(tenant_only=True)]
    assert not any(t.startswith("tenant.") for t in plain)
    assert "tenant.billing.overage_limit.updated" in tenant
