"""A key-like name never empties the cache; a refusal is logged (the file `orgtui locate` names)
and shown in the header."""

from __future__ import annotations

from pathlib import Path

from trust_support import build_rig, flat, header_text, refresh, synced

from orgtui import paths
from orgtui.core.secret import OneTimeSecret
from orgtui.logs import start_log_file, stop_log_file

KEYISH = "sk-proj-" + "AbCdEfGhIjKlMnOpQrSt9876"


async def test_a_key_like_project_name_is_cached_and_a_minted_value_is_refused_loudly(
    isolated_dirs: Path,
) -> None:
    log_path = start_log_file()
    assert log_path == paths.log_file()
    rig = build_rig()
    pid = rig.sandbox.store.project_ids()[1]
    rig.sandbox.store.set_fields("projects", pid, name=KEYISH)
    app = rig.app
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await synced(pilot)
            cache = app.session.cache
            assert cache.refused == {}  # a name that looks like a key is stored like any name
            assert KEYISH in {v.project.name for v in cache.load().projects.values()}
            assert "not cached" not in header_text(app)

            # The same text as a value this console minted: now it is a secret, refused.
            OneTimeSecret(KEYISH, label="minted").destroy()
            await refresh(pilot, rig, "R")
            assert "projects" in cache.refused
            assert "part(s) not cached" in flat(header_text(app))
    finally:
        stop_log_file()
    logged = log_path.read_text(encoding="utf-8")
    assert "refusing to cache part projects" in logged
    assert "minted" in logged and "AbCdEfGhIjKl" not in logged
