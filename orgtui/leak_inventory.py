"""The key inventories `orgtui whose` and `orgtui scan` match a leaked key against.

One `Inventory` per organisation: its key lists (from a cache younger than KEY_LIST_MAX_AGE_S,
else read now) and today's requests of the matched keys. With `--all-profiles`, an organisation
that cannot be read (no admin key, a rejected key, no server) is named with its reason in
`Inventories.unreadable` and never stops the others from being read.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from orgtui.core.incident_kinds import KINDS
from orgtui.core.key_match import Probe, candidates

__all__ = ["KEY_LIST_MAX_AGE_S", "CouldNotRead", "Inventories", "Inventory", "read_inventories"]

# A cached key list younger than this is used as it is; older ones are read again.
KEY_LIST_MAX_AGE_S = 600.0


class CouldNotRead(Exception):
    """The key inventory could not be read well enough to answer."""


@dataclass
class Inventory:
    """One organisation's keys as read now (or from a cache younger than the max age)."""

    profile: str
    organisation: str
    snapshot: Any
    errors: dict[str, str] = field(default_factory=dict)
    requests_today: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------- reading the inventory


async def _read_inventory(connection: Any, p_list: list[Probe]) -> Inventory:
    from orgtui.core.cache import Cache
    from orgtui.core.clock import SystemClock
    from orgtui.core.session import Session
    from orgtui.core.snapshot import project_part
    from orgtui.core.sync import Syncer

    session = Session(
        connection.profile,
        connection.client,
        Cache.open(connection.profile),
        SystemClock(),
        read_only=True,
    )
    try:
        syncer = Syncer(session)
        first = await syncer.refresh_parts(["projects", "admin_keys"])
        if first.errors.get("projects"):
            raise CouldNotRead(first.errors["projects"])
        snapshot, now = session.snapshot, session.now()
        stale = []
        for pid in snapshot.projects:
            age = snapshot.age(project_part(pid, "keys"), now)
            if age is None or age > KEY_LIST_MAX_AGE_S:
                stale.append(project_part(pid, "keys"))
        second = await syncer.refresh_parts(stale)
        # The matched keys' projects are read again, so last use is as fresh as it can be.
        found = {c.project_id for p in p_list for c in candidates(p, session.snapshot)}
        again = [project_part(pid, "keys") for pid in found if pid is not None]
        again = [part for part in again if part not in stale]
        third = await syncer.refresh_parts(again)
        errors = {**first.errors, **second.errors, **third.errors}
        inventory = Inventory(
            profile=connection.profile.name,
            organisation=connection.org_name,
            snapshot=session.snapshot,
            errors=errors,
        )
    finally:
        session.close()
    key_ids = sorted(
        {
            c.key_id
            for p in p_list
            for c in candidates(p, inventory.snapshot)
            if c.kind != "admin_key"
        }
    )
    if key_ids:
        inventory.requests_today = await _requests_today(connection.client, key_ids, now)
    return inventory


async def _requests_today(client: Any, key_ids: list[str], now: float) -> dict[str, int]:
    from orgtui.api.errors import ApiError

    day_start = int(now // 86400 * 86400)
    counts: dict[str, int] = dict.fromkeys(key_ids, 0)

    async def one(kind: str) -> None:
        try:
            async for bucket in client.iter_usage(
                kind, day_start, bucket_width="1d", group_by=["api_key_id"], api_key_ids=key_ids
            ):
                for result in bucket.results:
                    if result.api_key_id in counts:
                        counts[result.api_key_id] += int(result.num_model_requests or 0)
        except ApiError:
            return  # the count is a hint; the match stands without it

    # The usage endpoints that count model requests per key (the incident panel's kinds).
    kinds = [
        k.kind for k in KINDS if k.events == "num_model_requests" and "api_key_id" in k.group_by
    ]
    await asyncio.gather(*(one(kind) for kind in kinds))
    return counts


@dataclass
class Inventories:
    """What was read, and (with `--all-profiles`) each organisation that could not be: its
    profile and why."""

    read: list[Inventory] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)


async def read_inventories(args: Any, p_list: list[Probe]) -> Inventories:
    """Every organisation `args` names (`--profile`, `--demo` or `--all-profiles`), read in turn.

    One organisation: a failure raises (ConfigError, ApiError or CouldNotRead). Several: an
    organisation that fails is named in `unreadable` and the others are still read."""
    from orgtui.api.errors import ApiError
    from orgtui.config import load_config
    from orgtui.connect import open_connection

    demo = bool(getattr(args, "demo", False))
    every = bool(getattr(args, "all_profiles", False)) and not demo
    config = load_config()
    names: list[str | None] = (
        [*sorted(config.profiles)] or [None] if every else [getattr(args, "profile", None)]
    )
    out = Inventories()
    for name in names:
        connection = open_connection(
            name,
            demo=demo,
            base_url=getattr(args, "base_url", None),
            read_only=True,
            tolerate_missing_key=every,
            config=config,
        )
        try:
            if connection.problem is not None:
                out.unreadable[connection.profile.name] = connection.problem
                continue
            out.read.append(await _read_inventory(connection, p_list))
        except (ApiError, CouldNotRead) as exc:
            if not every:
                raise
            out.unreadable[connection.profile.name] = str(exc)
        finally:
            await connection.aclose()
    if not out.read:
        raise CouldNotRead("; ".join(f"{p}: {why}" for p, why in out.unreadable.items()))
    return out
