"""The demo organisation "Acme Robotics (sandbox)", deterministic from the store's seed.

Times are relative to the store clock at seeding, so a frozen clock gives identical data.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from orgtui.sandbox.audit import record, session_actor
from orgtui.sandbox.catalog import RATE_LIMIT_INSERT, rate_limit_rows
from orgtui.sandbox.demo_data import (
    DAY,
    DEMO_ORG_NAME,
    DOMAIN,
    HOUR,
    INVITES,
    KEYS,
    MEMBERS,
    PROJECTS,
    RATE_LIMIT_CHANGES,
    SERVICE_ACCOUNTS,
    SPEND_ALERTS,
    SPEND_LIMITS,
    USERS,
)
from orgtui.sandbox.store import _B62, DORMANT_AFTER_S, Store

Row = dict[str, Any]
Ago = Callable[[float], int]


def _email(name: str) -> str:
    return name.lower().replace(" ", ".").replace("-", "") + "@" + DOMAIN


def seed_empty(store: Store, org_name: str = "Empty organisation (sandbox)") -> None:
    """One default project and one owner: the smallest valid organisation."""
    now = store.now()
    store.meta_set("org_name", org_name)
    pid, uid = store.new_id("proj_"), store.new_id("user_")
    with store.tx() as c:
        c.execute(
            "INSERT INTO projects (id, name, created_at, is_default) VALUES (?,?,?,1)",
            (pid, "Default project", now),
        )
        c.executemany(RATE_LIMIT_INSERT, rate_limit_rows(pid))
        c.execute(
            "INSERT INTO users (id, name, email, role, added_at) VALUES (?,?,?,?,?)",
            (uid, "Sandbox Owner", "owner@sandbox.example", "owner", now),
        )
        c.execute(
            "INSERT INTO project_users (project_id, user_id, role, added_at) VALUES (?,?,?,?)",
            (pid, uid, "owner", now),
        )


def seed_demo(store: Store) -> None:
    rng = random.Random(f"demo:{store.seed}")
    now = store.now()
    store.meta_set("org_name", DEMO_ORG_NAME)

    def ago(days: float) -> int:
        return now - int(days * DAY) - rng.randrange(0, 3 * HOUR)

    with store.tx() as c:
        users: dict[str, Row] = {}
        for i, (name, role) in enumerate(USERS):
            uid = store.new_id("user_")
            added = ago(500 - i * 17)
            users[name.split()[0]] = {"id": uid, "email": _email(name), "added": added}
            c.execute(
                "INSERT INTO users (id, name, email, role, added_at) VALUES (?,?,?,?,?)",
                (uid, name, _email(name), role, added),
            )
        ada = users["Ada"]
        ada_actor = session_actor(str(ada["id"]), str(ada["email"]))
        projects: dict[str, Row] = {}
        for name, days, residency, archived in PROJECTS:
            pid = store.new_id("proj_")
            created = ago(days)
            arch = ago(archived) if archived is not None else None
            projects[name] = {"id": pid, "name": name, "created": created, "archived": arch}
            c.execute(
                "INSERT INTO projects (id, name, created_at, archived_at, residency, is_default)"
                " VALUES (?,?,?,?,?,?)",
                (pid, name, created, arch, residency, int(name == "Default project")),
            )
            c.executemany(RATE_LIMIT_INSERT, rate_limit_rows(pid))
            record(
                store,
                ada_actor,
                "project.created",
                pid,
                {"id": pid, "data": {"name": name, "title": name}},
                project=projects[name],
                at=created,
            )
            if arch is not None:
                record(
                    store,
                    ada_actor,
                    "project.archived",
                    pid,
                    {"id": pid},
                    project=projects[name],
                    at=arch,
                )
        default = projects["Default project"]
        for first, u in users.items():
            role = "owner" if first in ("Ada", "Grace") else "member"
            c.execute(
                "INSERT INTO project_users (project_id, user_id, role, added_at) VALUES (?,?,?,?)",
                (default["id"], u["id"], role, u["added"]),
            )
        for pname, members in MEMBERS.items():
            p = projects[pname]
            for first, role in members:
                added = max(int(p["created"]), int(users[first]["added"])) + rng.randrange(DAY)
                c.execute(
                    "INSERT INTO project_users (project_id, user_id, role, added_at)"
                    " VALUES (?,?,?,?)",
                    (p["id"], users[first]["id"], role, added),
                )
                record(
                    store,
                    ada_actor,
                    "user.added",
                    str(users[first]["id"]),
                    {"id": users[first]["id"], "data": {"role": role}},
                    project=p,
                    at=added,
                )
        sas: dict[str, str] = {}
        for pname, accounts in SERVICE_ACCOUNTS.items():
            p = projects[pname]
            for name, role, days in accounts:
                sid = store.new_id("svc_acct_")
                sas[name] = sid
                created = ago(days)
                c.execute(
                    "INSERT INTO service_accounts (id, project_id, name, role, created_at)"
                    " VALUES (?,?,?,?,?)",
                    (sid, p["id"], name, role, created),
                )
                record(
                    store,
                    ada_actor,
                    "service_account.created",
                    sid,
                    {"id": sid, "data": {"role": role}},
                    project=p,
                    at=created,
                )
        _seed_keys(store, rng, now, ago, users, projects, sas)
        _seed_invites(store, now, ago, projects, ada_actor)
        _seed_admin_and_limits(store, now, ago, users, projects)
    from orgtui.sandbox.demo_security import seed_security

    seed_security(store)
    from orgtui.sandbox.demo_access import seed_demo_access

    seed_demo_access(store)


def _seed_keys(
    store: Store,
    rng: random.Random,
    now: int,
    ago: Ago,
    users: dict[str, Row],
    projects: dict[str, Row],
    sas: dict[str, str],
) -> None:
    for pname, name, owner, days, used, access, weight, models, deleted in KEYS:
        p = projects[pname]
        kid = store.new_id("key_", 16)
        created = ago(days)
        last_used = None if used is None else now - used
        tail = "".join(rng.choice(_B62) for _ in range(4))
        if owner.startswith("sa:"):
            owner_type, uid, sid = "service_account", None, sas[owner[3:]]
            redacted = f"sk-svcacct...{tail}"
        else:
            owner_type, uid, sid = "user", users[owner]["id"], None
            redacted = f"sk-proj...{tail}"
        deleted_at = ago(deleted) if deleted is not None else None
        active_until = None
        if last_used is not None and now - last_used > DORMANT_AFTER_S:
            active_until = last_used
        if deleted_at is not None and last_used is not None:
            last_used = min(last_used, deleted_at)
            active_until = min(active_until or deleted_at, deleted_at)
        store.execute(
            "INSERT INTO api_keys (id, project_id, name, redacted_value, created_at, last_used_at,"
            " owner_type, owner_user_id, owner_sa_id, owner_project_access, weight, models,"
            " active_until, deleted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                kid,
                p["id"],
                name,
                redacted,
                created,
                last_used,
                owner_type,
                uid,
                sid,
                access,
                weight if used is not None else 0.0,
                json.dumps(models),
                active_until,
                deleted_at,
            ),
        )
        actor_user = users.get(owner, users["Ada"]) if uid else users["Ada"]
        actor = session_actor(str(actor_user["id"]), str(actor_user["email"]))
        record(
            store,
            actor,
            "api_key.created",
            kid,
            {"id": kid, "data": {"scopes": []}},
            project=p,
            at=created,
        )
        if deleted_at is not None and pname != "experiment-2025":
            record(store, actor, "api_key.deleted", kid, {"id": kid}, project=p, at=deleted_at)


def _seed_invites(
    store: Store, now: int, ago: Ago, projects: dict[str, Row], ada_actor: Row
) -> None:
    for email, role, days, status, grants in INVITES:
        iid = store.new_id("invite-")
        created = ago(days)
        pgrants = (
            [{"id": projects[n]["id"], "role": r} for n, r in grants or []]
            if grants
            else [{"id": projects["Default project"]["id"], "role": "member"}]
        )
        accepted = created + 3 * HOUR if status == "accepted" else None
        store.execute(
            "INSERT INTO invites (id, email, role, status, created_at, expires_at, accepted_at,"
            " projects) VALUES (?,?,?,?,?,?,?,?)",
            (iid, email, role, status, created, created + 7 * DAY, accepted, json.dumps(pgrants)),
        )
        record(
            store,
            ada_actor,
            "invite.sent",
            iid,
            {"id": iid, "data": {"email": email, "role": role}},
            at=created,
        )
        if accepted is not None:
            record(store, None, "invite.accepted", iid, {"id": iid}, at=accepted)


def _seed_admin_and_limits(
    store: Store, now: int, ago: Ago, users: dict[str, Row], projects: dict[str, Row]
) -> None:
    grace = users["Grace"]
    created = ago(40)
    store.execute(
        "INSERT INTO admin_keys (id, name, redacted_value, value_hash, created_at, expires_at,"
        " last_used_at, owner_user_id) VALUES (?,?,?,?,?,?,?,?)",
        (
            store.new_id("key_", 16),
            "ci-audit-export",
            "sk-admin...Q7vX",
            "demo-key-without-a-value",
            created,
            created + 90 * DAY,
            now - DAY,
            grace["id"],
        ),
    )
    for pname, model, field, value in RATE_LIMIT_CHANGES:
        p = projects[pname]
        store.execute(
            f"UPDATE rate_limits SET {field} = ? WHERE project_id = ? AND id = ?",
            (value, p["id"], f"rl-{model}"),
        )
    for owner, cents in SPEND_LIMITS.items():
        scope = "org" if owner is None else str(projects[owner]["id"])
        store.execute(
            "INSERT INTO spend_limits (scope, threshold_amount, currency, interval,"
            " updated_at) VALUES (?,?,'USD','month',?)",
            (scope, cents, ago(30)),
        )
    for owner, cents, recipients, prefix in SPEND_ALERTS:
        scope = "org" if owner is None else str(projects[owner]["id"])
        store.execute(
            "INSERT INTO spend_alerts (id, scope, threshold_amount, currency, interval,"
            " recipients, subject_prefix, created_at) VALUES (?,?,?,'USD','month',?,?,?)",
            (store.new_id("alert_"), scope, cents, json.dumps(recipients), prefix, ago(30)),
        )
