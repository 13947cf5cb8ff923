"""Rotation never deletes a key the admin did not name; overlap figures count after the mint.

`search-api` (search-prod) holds two keys: production-search-service and search-reranker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fixtures_services import T0, World

from orgtui.core.services import InvalidInput, MintedKey
from orgtui.core.services.rotation import finish_rotation, rotation_status
from orgtui.core.services.rotation_journal import RotationJournal
from orgtui.core.services.rotation_siblings import siblings_to_replace
from orgtui.core.services.rotation_usage import USAGE_KINDS, sibling_keys, usage_since
from orgtui.sandbox.traffic import window_count


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


def _truth(w: World, key_id: str, x: float, y: float) -> int:
    """The sandbox's own traffic of one key in [x, y) (completions and embeddings)."""
    streams = w.sb.traffic.streams()
    return sum(
        window_count(s, x, y)
        for kind in USAGE_KINDS
        for s in streams.get(kind, ())
        if s.api_key_id == key_id
    )


async def test_rotating_one_key_of_two_is_refused_and_nothing_is_minted(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    kid = w.key_id(pid, "production-search-service")
    before = w.live_accounts(pid, "search-api")
    with pytest.raises(InvalidInput, match="1 other key"):
        await s.registry.invoke("key.rotate", s, project_id=pid, key_id=kid)
    assert w.live_accounts(pid, "search-api") == before
    assert RotationJournal("test").pending() == []


async def test_siblings_are_listed_with_last_use_and_last_hour(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    sid = w.sa_id(pid, "search-api")
    reranker = w.key_id(pid, "search-reranker")
    (sib,) = await sibling_keys(s, pid, sid, [reranker])
    assert sib.name == "search-reranker" and sib.redacted_value and "…" not in (sib.name or "")
    row = w.rows("SELECT * FROM api_keys WHERE id = ?", (reranker,))[0]
    assert sib.last_used_at == row["last_used_at"]
    # Minute buckets over the last hour: the sandbox's own count for that window.
    start = int(T0 - 3600) // 60 * 60
    assert sib.requests_last_hour == _truth(w, reranker, start, T0)


async def test_rotate_all_together_keeps_every_key_served(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    old_sid = w.sa_id(pid, "search-api")
    chosen = w.key_id(pid, "production-search-service")
    reranker = w.key_id(pid, "search-reranker")

    minted = await s.registry.invoke("key.rotate", s, project_id=pid, key_id=chosen, together=True)
    assert isinstance(minted, MintedKey)
    rotation = RotationJournal("test").get(minted.rotation_id)
    assert rotation is not None and siblings_to_replace(rotation) == [reranker]
    status = await rotation_status(s, rotation)
    assert "no replacement yet" in (status.blocker or "")

    second = await s.registry.invoke(
        "key.rotate",
        s,
        project_id=pid,
        key_id=chosen,
        rotation_id=rotation.id,
        phase="replace_sibling",
        sibling_key_id=reranker,
    )
    assert isinstance(second, MintedKey) and second.key_name == "search-reranker"
    new_keys = [
        k["name"] for k in w.live_keys(pid) if k["owner_sa_id"] == minted.service_account_id
    ]
    assert sorted(new_keys) == sorted([minted.key_name or "", "search-reranker"])

    rotation = RotationJournal("test").get(rotation.id)
    assert rotation is not None and siblings_to_replace(rotation) == []
    done = await finish_rotation(s, rotation, force=True)
    assert "search-api" in done.message
    # The old account is gone with both old keys; the new one serves both replacements.
    assert [a["id"] for a in w.live_accounts(pid, "search-api")] == [minted.service_account_id]
    assert old_sid not in {a["id"] for a in w.live_accounts(pid)}


async def test_overlap_counts_only_after_the_mint_with_a_frozen_clock(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-prod")
    kid = w.key_id(pid, "production-search-service")  # the busiest key of the project
    # Five minutes after a mint that fell 20 s into a minute (and 800 s into its hour).
    mint = T0
    assert int(mint) % 60 == 20 and int(mint) % 3600 == 800
    w.clock.advance(300)
    now = T0 + 300
    use = (await usage_since(s, [kid], mint))[kid]
    truth = _truth(w, kid, mint, now)
    assert truth > 0
    # At least what came after the mint, at most that plus the straddling minute...
    assert truth <= use.requests <= _truth(w, kid, int(mint) // 60 * 60, now)
    # ...and not the whole hour before it (what hourly buckets used to count).
    assert use.requests < _truth(w, kid, int(mint) // 3600 * 3600, now)
    if use.requests > truth:
        assert use.bounded  # shown as "≤ N"
    if use.bounded:
        assert use.text() == f"≤ {use.requests:,}"

    # Three hours on: hourly buckets before the last hour, minute buckets in it; the only
    # straddling bucket is the mint's hour.
    w.clock.advance(3 * 3600)
    now = T0 + 300 + 3 * 3600
    use = (await usage_since(s, [kid], mint))[kid]
    assert _truth(w, kid, mint, now) <= use.requests
    assert use.requests == _truth(w, kid, int(mint) // 3600 * 3600, now)
    assert use.last_hour == _truth(w, kid, int(now - 3600) // 60 * 60, now)

    # A mint on a minute boundary: no bucket straddles it, the figure is exact.
    aligned = int(now - 600) // 60 * 60
    use = (await usage_since(s, [kid], aligned))[kid]
    assert use.requests == _truth(w, kid, aligned, now) and not use.bounded
