"""The schema walk over the RBAC operations: groups, members, roles, assignments, project access."""

from __future__ import annotations

from typing import Any

from orgtui.sandbox import Sandbox
from tests.sandbox.conftest import project_id, user_id

PERMS = ["api.groups.read", "api.groups.write"]
PROJECT_PERMS = [
    "api.organization.projects.api_keys.read",
    "api.organization.projects.api_keys.write",
]


async def walk_rbac(w: Any, sb: Sandbox) -> None:
    G = "/organization/groups"
    pid = project_id(sb, "search-prod")
    uid = user_id(sb, "Hedy")
    group = await w.call("POST", G, json={"name": "walkers"})
    gid = group["id"]
    await w.call("GET", G, params={"limit": 1, "order": "desc"})
    await w.call("GET", f"{G}/{gid}")
    await w.call("POST", f"{G}/{gid}", json={"name": "walkers-2"})
    await w.call("GET", f"{G}/group_missing", expect=404)
    await w.call("POST", G, json={"name": "x", "colour": "red"}, expect=400)
    # members
    await w.call("POST", f"{G}/{gid}/users", json={"user_id": uid})
    await w.call("GET", f"{G}/{gid}/users")
    await w.call("GET", f"{G}/{gid}/users/{uid}")
    # org roles
    await w.call("GET", "/organization/roles")
    role = await w.call(
        "POST",
        "/organization/roles",
        json={"role_name": "Walk manager", "permissions": PERMS, "description": "d"},
    )
    rid = role["id"]
    await w.call("GET", f"/organization/roles/{rid}")
    await w.call("POST", f"/organization/roles/{rid}", json={"permissions": PERMS[:1]})
    await w.call(
        "POST", "/organization/roles", json={"role_name": "bad", "permissions": ["x.y"]}, expect=400
    )
    # org role assignments
    await w.call("POST", f"{G}/{gid}/roles", json={"role_id": rid})
    await w.call("GET", f"{G}/{gid}/roles")
    await w.call("GET", f"{G}/{gid}/roles/{rid}")
    await w.call("POST", f"/organization/users/{uid}/roles", json={"role_id": rid})
    await w.call("GET", f"/organization/users/{uid}/roles")
    await w.call("GET", f"/organization/users/{uid}/roles/{rid}")
    await w.call("DELETE", f"/organization/users/{uid}/roles/{rid}")
    await w.call("DELETE", f"{G}/{gid}/roles/{rid}")
    # project roles and access
    P = f"/projects/{pid}"
    await w.call("GET", f"{P}/roles")
    prole = await w.call(
        "POST", f"{P}/roles", json={"role_name": "Key walker", "permissions": PROJECT_PERMS}
    )
    prid = prole["id"]
    await w.call("GET", f"{P}/roles/{prid}")
    await w.call("POST", f"{P}/roles/{prid}", json={"role_name": "Key walker 2"})
    PG = f"/organization/projects/{pid}/groups"
    await w.call("POST", PG, json={"group_id": gid, "role": "role_project_member"})
    await w.call("GET", PG)
    await w.call("GET", f"{PG}/{gid}", params={"group_type": "group"})
    await w.call("POST", f"{P}/groups/{gid}/roles", json={"role_id": prid})
    await w.call("GET", f"{P}/groups/{gid}/roles")
    await w.call("GET", f"{P}/groups/{gid}/roles/{prid}")
    await w.call("DELETE", f"{P}/groups/{gid}/roles/{prid}")
    await w.call("POST", f"{P}/users/{uid}/roles", json={"role_id": prid})
    await w.call("GET", f"{P}/users/{uid}/roles")
    await w.call("GET", f"{P}/users/{uid}/roles/{prid}")
    await w.call("DELETE", f"{P}/users/{uid}/roles/{prid}")
    await w.call("DELETE", f"{PG}/{gid}")
    await w.call("DELETE", f"{P}/roles/{prid}")
    # tear down
    await w.call("DELETE", f"{G}/{gid}/users/{uid}")
    await w.call("DELETE", f"/organization/roles/{rid}")
    await w.call("DELETE", f"{G}/{gid}")
    await w.call("GET", "/organization/audit_logs", params={"tenant_only": "true"})
