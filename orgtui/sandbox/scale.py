"""A large generated organisation (`--scale P,K,U`) for performance work.

P projects (the default one included), K API keys in the first non-default project (a couple in
every other one), U users. Built with `executemany` over pre-computed rows: 500 projects, 10,000
keys and 2,000 users take well under a second.
"""

from __future__ import annotations

import json
import random
from typing import Any

from orgtui.sandbox.catalog import MODEL_RATE_LIMITS, RATE_LIMIT_INSERT, rate_limit_rows
from orgtui.sandbox.store import _B62, DORMANT_AFTER_S, Store

SCALE_ORG_NAME = "Acme Robotics (sandbox, scaled)"
DAY = 86_400
_TEAMS = (
    "search",
    "support",
    "billing",
    "vision",
    "speech",
    "growth",
    "infra",
    "risk",
    "ads",
    "docs",
    "maps",
    "labs",
)
_PURPOSES = ("service", "worker", "batch", "ci", "notebook", "backfill", "canary", "webhook")
_MODELS = [m for m in MODEL_RATE_LIMITS if m != "whisper-1"]

KEY_INSERT = (
    "INSERT INTO api_keys (id, project_id, name, redacted_value, created_at, last_used_at,"
    " owner_type, owner_user_id, owner_sa_id, owner_project_access, weight, models,"
    " active_until) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def parse_scale(text: str) -> tuple[int, int, int]:
    """'500,10000,2000' -> (500, 10000, 2000); ValueError with a one-line reason otherwise."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3:
        raise ValueError("expected P,K,U (projects, keys in the big project, users)")
    try:
        p, k, u = (int(x) for x in parts)
    except ValueError:
        raise ValueError("P, K and U must be integers") from None
    if p < 2 or k < 0 or u < 1:
        raise ValueError("need P >= 2 (default + one more), K >= 0, U >= 1")
    if p > 100_000 or k > 1_000_000 or u > 1_000_000:
        raise ValueError("scale too large for a sandbox")
    return p, k, u


def _tail(rng: random.Random) -> str:
    return "".join(rng.choice(_B62) for _ in range(4))


def _key_row(
    rng: random.Random,
    now: int,
    pid: str,
    name: str,
    owner: tuple[str, str | None, str | None],
    access: str,
) -> tuple[Any, ...]:
    created = now - rng.randrange(DAY, 600 * DAY)
    r = rng.random()
    if r < 0.15:
        last_used = None
    elif r < 0.35:
        last_used = now - rng.randrange(30 * DAY, 400 * DAY)
    else:
        last_used = now - rng.randrange(30, 3 * DAY)
    if last_used is not None:
        last_used = max(last_used, created)
    weight = 0.0 if last_used is None else round(rng.uniform(0.01, 0.3), 3)
    active_until = (
        last_used if last_used is not None and now - last_used > DORMANT_AFTER_S else None
    )
    owner_type, uid, sid = owner
    prefix = "sk-svcacct" if owner_type == "service_account" else "sk-proj"
    models = rng.sample(_MODELS, rng.randint(1, 2)) if weight else []
    return (
        None,
        pid,
        name,
        f"{prefix}...{_tail(rng)}",
        created,
        last_used,
        owner_type,
        uid,
        sid,
        access,
        weight,
        json.dumps(models),
        active_until,
    )


def seed_scale(store: Store, scale: tuple[int, int, int]) -> None:
    n_projects, n_keys, n_users = scale
    rng = random.Random(f"scale:{store.seed}")
    now = store.now()
    store.meta_set("org_name", SCALE_ORG_NAME)

    user_ids = store.new_ids("user_", n_users)
    users = [
        (
            uid,
            f"User {i:05d}",
            f"user{i:05d}@scale.acme-robotics.example",
            "owner" if i < 3 else "reader",
            now - rng.randrange(DAY, 700 * DAY),
        )
        for i, uid in enumerate(user_ids)
    ]
    project_ids = store.new_ids("proj_", n_projects)
    projects = []
    for i, pid in enumerate(project_ids):
        if i == 0:
            name = "Default project"
        else:
            team = _TEAMS[i % len(_TEAMS)]
            name = f"{team}-{'prod' if i % 2 else 'dev'}-{i:04d}"
        archived = now - rng.randrange(DAY, 90 * DAY) if i > 1 and i % 17 == 0 else None
        projects.append(
            (pid, name, now - rng.randrange(100 * DAY, 800 * DAY), archived, int(i == 0))
        )
    members: list[tuple[Any, ...]] = [
        (project_ids[0], uid, "owner" if role == "owner" else "member", added)
        for uid, _, _, role, added in users
    ]
    big = project_ids[1]
    big_members = user_ids[: min(100, n_users)]
    members += [
        (big, uid, "owner" if j < 3 else "member", now - DAY) for j, uid in enumerate(big_members)
    ]
    for pid in project_ids[2:]:
        for uid in rng.sample(user_ids, min(3, n_users)):
            members.append((pid, uid, "member", now - DAY))

    sa_ids = store.new_ids("svc_acct_", 20 + (n_projects - 2))
    big_sas = sa_ids[:20]
    sas = [
        (
            sid,
            big,
            f"{_TEAMS[j % len(_TEAMS)]}-{_PURPOSES[j % len(_PURPOSES)]}-{j:02d}",
            "member",
            now - rng.randrange(DAY, 400 * DAY),
        )
        for j, sid in enumerate(big_sas)
    ]
    sas += [
        (sid, pid, f"{_TEAMS[j % len(_TEAMS)]}-service", "member", now - 30 * DAY)
        for j, (sid, pid) in enumerate(zip(sa_ids[20:], project_ids[2:], strict=True))
    ]

    keys: list[tuple[Any, ...]] = []
    for j in range(n_keys):
        if j % 3 == 0:
            owner: tuple[str, str | None, str | None] = ("service_account", None, big_sas[j % 20])
            access = "active"
        else:
            owner = ("user", big_members[j % len(big_members)], None)
            access = "inactive" if j % 41 == 0 else "active"
        name = f"{_TEAMS[j % len(_TEAMS)]}-{_PURPOSES[j % len(_PURPOSES)]}-{j:05d}"
        keys.append(_key_row(rng, now, big, name, owner, access))
    for j, (sid, pid) in enumerate(zip(sa_ids[20:], project_ids[2:], strict=True)):
        keys.append(
            _key_row(
                rng,
                now,
                pid,
                f"{_TEAMS[j % len(_TEAMS)]}-service-key",
                ("service_account", None, sid),
                "active",
            )
        )
        member = next(m for m in members if m[0] == pid) if n_users else None
        if member is not None:
            keys.append(
                _key_row(rng, now, pid, f"dev-laptop-{j:04d}", ("user", member[1], None), "active")
            )
    key_ids = store.new_ids("key_", len(keys), 16)
    keys = [(kid, *row[1:]) for kid, row in zip(key_ids, keys, strict=True)]
    archived_ids = {p[0]: p[3] for p in projects if p[3] is not None}

    with store.tx() as c:
        c.executemany(
            "INSERT INTO users (id, name, email, role, added_at) VALUES (?,?,?,?,?)", users
        )
        c.executemany(
            "INSERT INTO projects (id, name, created_at, archived_at, is_default)"
            " VALUES (?,?,?,?,?)",
            projects,
        )
        c.executemany(RATE_LIMIT_INSERT, [r for pid in project_ids for r in rate_limit_rows(pid)])
        c.executemany(
            "INSERT OR IGNORE INTO project_users (project_id, user_id, role, added_at)"
            " VALUES (?,?,?,?)",
            members,
        )
        c.executemany(
            "INSERT INTO service_accounts (id, project_id, name, role, created_at)"
            " VALUES (?,?,?,?,?)",
            sas,
        )
        c.executemany(KEY_INSERT, keys)
        for pid, archived in archived_ids.items():
            c.execute("UPDATE api_keys SET deleted_at = ? WHERE project_id = ?", (archived, pid))
        c.execute(
            "INSERT INTO spend_limits VALUES ('org', ?, 'USD', 'month', ?)", (100_000_000, now)
        )
        c.executemany(
            "INSERT INTO spend_limits VALUES (?, ?, 'USD', 'month', ?)",
            [
                (pid, 100_000 * (1 + i % 7), now)
                for i, pid in enumerate(project_ids[1:])
                if i % 5 == 0
            ],
        )
