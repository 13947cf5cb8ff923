"""The demo organisation's groups and custom roles: one group per team, two custom roles, and a
project some people reach only through a group.

* "Search team", "Support team", "Data team";
* "Group manager" (org: `api.groups.*`), held by the Support team and directly by Radia too
  (a direct role duplicating a group's), and owner-level for a six-person group;
* "Key keeper" (search-prod: the project's API keys), held by the Search team there;
* the Data team is a member of search-dev, which Shafi, Niklaus and Adele reach only that way.

Ids come from the seed, not the store's id counter, so the rest of the demo keeps its ids.
"""

from __future__ import annotations

import hashlib
import json

from orgtui.sandbox.rbac_data import ensure_tables
from orgtui.sandbox.store import _B62, Store

DAY = 86_400
TEAMS: dict[str, list[str]] = {
    "Search team": ["Ada", "Barbara", "Alan", "Katherine", "Edsger", "Ken"],
    "Support team": ["Grace", "Radia", "Claude", "Annie", "Frances", "Jean"],
    "Data team": ["Margaret", "Shafi", "Niklaus", "Adele"],
}
GROUP_MANAGER = (
    "Group manager",
    "Manages the organisation's groups",
    ["api.groups.read", "api.groups.write"],
)
KEY_KEEPER = (
    "Key keeper",
    "Manages the project's API keys",
    ["api.organization.projects.api_keys.read", "api.organization.projects.api_keys.write"],
)


def _id(store: Store, prefix: str, name: str) -> str:
    digest = hashlib.blake2b(f"{store.seed}:demo-access:{name}".encode(), digest_size=20).digest()
    n = int.from_bytes(digest, "big")
    out = []
    for _ in range(24):
        n, r = divmod(n, 62)
        out.append(_B62[r])
    return prefix + "".join(out)


def seed_demo_access(store: Store) -> None:
    ensure_tables(store)
    now = store.now()
    users = {r["name"].split()[0]: r["id"] for r in store.query("SELECT id, name FROM users")}
    projects = {r["name"]: r["id"] for r in store.query("SELECT id, name FROM projects")}
    owner = store.scalar("SELECT id FROM users WHERE role = 'owner' ORDER BY seq LIMIT 1")
    groups = {name: _id(store, "group_", name) for name in TEAMS}
    manager = _id(store, "role_", GROUP_MANAGER[0])
    keeper = _id(store, "role_", KEY_KEEPER[0])
    search_prod, search_dev = projects["search-prod"], projects["search-dev"]
    with store.tx() as c:
        for i, (name, members) in enumerate(TEAMS.items()):
            gid = groups[name]
            created = now - (120 - i) * DAY
            c.execute(
                "INSERT INTO groups (id, name, created_at) VALUES (?,?,?)", (gid, name, created)
            )
            c.executemany(
                "INSERT INTO group_users (group_id, user_id, added_at) VALUES (?,?,?)",
                [(gid, users[m], created) for m in members],
            )
        for rid, (name, desc, perms), rtype, pid in (
            (manager, GROUP_MANAGER, "api.organization", None),
            (keeper, KEY_KEEPER, "api.project", search_prod),
        ):
            c.execute(
                "INSERT INTO roles (id, name, description, permissions, resource_type,"
                " project_id, created_at, updated_at, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    rid,
                    name,
                    desc,
                    json.dumps(perms),
                    rtype,
                    pid,
                    now - 90 * DAY,
                    now - 90 * DAY,
                    owner,
                ),
            )
        assign = (
            "INSERT INTO role_assignments (role_id, principal_type, principal_id, project_id,"
            " created_at) VALUES (?,?,?,?,?)"
        )
        c.execute(assign, (manager, "group", groups["Support team"], "", now - 80 * DAY))
        c.execute(assign, (manager, "user", users["Radia"], "", now - 200 * DAY))
        add_project = "INSERT INTO project_groups (project_id, group_id, created_at) VALUES (?,?,?)"
        c.execute(add_project, (search_prod, groups["Search team"], now - 70 * DAY))
        c.execute(assign, (keeper, "group", groups["Search team"], search_prod, now - 70 * DAY))
        c.execute(add_project, (search_dev, groups["Data team"], now - 60 * DAY))
        c.execute(
            assign,
            ("role_project_member", "group", groups["Data team"], search_dev, now - 60 * DAY),
        )
