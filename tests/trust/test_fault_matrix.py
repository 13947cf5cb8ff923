"""The console under faults, end to end: Pilot drives it while the sandbox misbehaves.

For every fault: the console keeps running (a heartbeat timer on its event loop keeps ticking,
keys still move the cursor), keeps the last good data on screen marked stale with the reason,
recovers when the fault clears and the user refreshes, and a create attempted during the fault
ends in a clear success or a clear failure, with the sandbox holding exactly what was said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fault_steps import (
    ERROR_LABELS,
    Told,
    attempt_create,
    check_told,
    snapshot_accounts_named,
)
from trust_support import (
    Heartbeat,
    Rig,
    build_rig,
    goto_project,
    header_text,
    part_note,
    project_id,
    refresh,
    row_keys,
    settle,
    synced,
    until,
    wait_for_screen,
)

from orgtui.core import actions as A
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.header import ConsoleHeader

PROJECT = "search-prod"


@dataclass(frozen=True)
class Fault:
    id: str
    reason: str  # what the stale note must name
    start: Callable[[Rig], None]
    stop: Callable[[Rig], None]
    rig: dict[str, Any] = field(default_factory=dict)
    refreshes: int = 1  # a 429 budget lets the first request per endpoint through
    creates: int = 1


def _faults(**values: Any) -> Callable[[Rig], None]:
    return lambda rig: rig.sandbox.faults.update(values)


def _clear(rig: Rig) -> None:
    rig.sandbox.faults.reset()
    rig.sandbox.throttle.reset()


def _revoke(rig: Rig) -> None:
    rig.sandbox.revoke_admin_key()


def _unrevoke(rig: Rig) -> None:
    # A revoked key never comes back in real life; here it stands for "a new key was set".
    rig.store.set_fields("admin_keys", rig.sandbox.admin_key_id, deleted_at=None)


def _server_down(rig: Rig) -> None:
    rig.gate.dead = True


def _server_up(rig: Rig) -> None:
    rig.gate.dead = False


def _forbid_writes(rig: Rig) -> None:
    # A key that may read most things but not write, nor list project keys.
    rig.gate.forbid = lambda method, path: method != "GET" or path.endswith("/api_keys")


def _allow(rig: Rig) -> None:
    rig.gate.forbid = None


FAULTS = [
    Fault("429-storm", "Rate limited", _faults(rate_limit_rpm=1), _clear, refreshes=2, creates=2),
    Fault("5xx-burst", "Server error", _faults(error_rate=1.0), _clear),
    Fault(
        "hang-past-timeout",
        "Request timed out",
        _faults(hang_rate=1.0, hang_seconds=30.0),
        _clear,
        rig={"timeout": 0.4, "max_retries": 1},
    ),
    Fault("dropped-connection", "Offline: connection dropped", _faults(drop_rate=1.0), _clear),
    Fault("malformed-json", "Malformed response", _faults(malformed_rate=1.0), _clear),
    Fault("truncated-json", "not valid JSON", _faults(truncate_rate=1.0), _clear),
    Fault("server-down", "Offline: cannot connect", _server_down, _server_up),
    Fault("401-key-revoked", "Authentication failed", _revoke, _unrevoke),
    Fault("403-permission", "Permission denied", _forbid_writes, _allow),
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
async def test_fault(fault: Fault, quiet_clipboard: list[str]) -> None:
    rig = build_rig(**fault.rig)
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        heart = Heartbeat(app)
        await synced(pilot)
        pid = project_id(app, PROJECT)
        await goto_project(pilot, pid)
        good_rows = row_keys(app)
        assert good_rows and part_note(app) == ""

        fault.start(rig)
        for _ in range(fault.refreshes):
            await refresh(pilot, rig)
        # Still running, still responsive, still showing the last good data, marked stale.
        assert app.is_running and app.screen.id == "main"
        assert await heart.beats(pilot) >= 3
        assert row_keys(app) == good_rows
        note = part_note(app)
        assert note.startswith("! Refresh failed (") and fault.reason in note, note
        assert "showing data from 14:30" in note
        head = header_text(app)
        assert "failed" in head or head.startswith("offline, showing data from"), head
        assert any(fault.reason.split(":")[0] in n for n in rig.notes), rig.notes

        names = [f"trust-{fault.id}-{i}" for i in range(fault.creates)]
        told: list[Told] = []
        for name in names:
            told.append(await attempt_create(pilot, rig, name))
            assert app.is_running
        assert await heart.beats(pilot) >= 3

        fault.stop(rig)
        await refresh(pilot, rig)
        assert part_note(app) == "", part_note(app)
        assert "failed" not in header_text(app) and "offline" not in header_text(app)
        for name, outcome in zip(names, told, strict=True):
            count = check_told(rig, name, outcome)
            # After the refresh the console shows exactly what the sandbox holds.
            assert snapshot_accounts_named(app, pid, name) == count
        fresh = set(row_keys(app))
        assert set(good_rows) <= fresh
    if fault.id == "429-storm":
        # Retry-After (60 s on the sandbox's frozen clock) was honoured, not hammered.
        assert any(50 <= d <= 60 for d in rig.sleep.delays), rig.sleep.delays
        assert [t.kind for t in told] == ["created", "failed"], told
        assert "Rate limited" in told[1].text and "retry after" in told[1].text
    if fault.id in ("401-key-revoked", "403-permission", "server-down"):
        assert [t.kind for t in told] == ["failed"], told
    if fault.id in ("5xx-burst", "malformed-json"):
        # The sandbox answered before doing anything: the read-back could not tell.
        assert [t.kind for t in told] == ["unknown"], told


async def test_hang_keeps_the_console_responsive(quiet_clipboard: list[str]) -> None:
    """While every request hangs, the heartbeat ticks and keys move the cursor."""
    rig = build_rig(timeout=1.5, max_retries=1)  # each hang lasts 2 x 2.25 s
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        heart = Heartbeat(app)
        await synced(pilot)
        # Only the org member list hangs, so the rest of the refresh is quick.
        rig.sandbox.faults.update(
            {"hang_rate": 1.0, "hang_seconds": 60.0, "path_filter": "/organization/users"}
        )
        await pilot.press("R")
        assert await until(pilot, lambda: app.sync_states["demo"].running, 5)
        tree = app.screen.tree
        before_line = tree.cursor_line
        start = heart.ticks
        await pilot.press("j")
        assert await until(
            pilot, lambda: tree.cursor_line != before_line or not app.sync_states["demo"].running
        )
        # The cursor moved and the heartbeat ticked while the refresh was still hanging.
        assert tree.cursor_line == before_line + 1
        assert heart.ticks > start
        assert app.sync_states["demo"].running
        await synced(pilot, timeout=60)
        header = app.screen.query_one(ConsoleHeader).state
        assert header.stale_parts == 1
        assert "Request timed out" in (app.session.snapshot.part("users").error or "")
        rig.sandbox.faults.reset()
        await refresh(pilot, rig, "R")
        assert not app.session.snapshot.stale_parts()


async def test_api_dies_mid_refresh_and_comes_back_by_itself() -> None:
    """The server goes away in the middle of a full refresh; the periodic refresh recovers."""
    rig = build_rig(profile_updates={"refresh_seconds": 1})
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        heart = Heartbeat(app)
        await synced(pilot)
        done = rig.gate.requests
        rig.gate.die_after = done + 8  # the project list and a few parts, then nothing
        await pilot.press("R")
        assert await until(pilot, lambda: rig.gate.dead, 10)
        await synced(pilot)
        snap = app.session.snapshot
        stale = snap.stale_parts()
        assert stale, "a refresh cut short must mark what it could not fetch"
        assert all(snap.part(p).fetched_at is not None for p in stale)  # last data kept
        assert any("Offline" in (snap.part(p).error or "") for p in stale)
        assert await heart.beats(pilot) >= 3
        rig.gate.dead = False
        # No key pressed: the periodic refresh (every 1 s of the session clock) finds it back.
        rig.clock.advance(1)
        assert await until(pilot, lambda: not app.session.snapshot.stale_parts(), 30)
        await synced(pilot)
        assert "failed" not in header_text(app)


@pytest.mark.parametrize("rate", [1.0, 0.5])
async def test_create_during_drops_says_what_happened(
    rate: float, quiet_clipboard: list[str]
) -> None:
    """Creates under dropped connections: never a duplicate, never a silent loss."""
    rig = build_rig()
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        await synced(pilot)
        pid = project_id(app, PROJECT)
        await goto_project(pilot, pid)
        rig.sandbox.faults.update({"drop_rate": rate})
        names = [f"trust-drop-{int(rate * 100)}-{i}" for i in range(2)]
        told = [await attempt_create(pilot, rig, name) for name in names]
        rig.sandbox.faults.reset()
        await refresh(pilot, rig)
        for name, outcome in zip(names, told, strict=True):
            count = check_told(rig, name, outcome)
            assert snapshot_accounts_named(app, pid, name) == count, (name, outcome)
    # Every create reached the sandbox before its answer was dropped, so each exists once.
    assert all(len(rig.accounts_named(n)) == 1 for n in names)


async def test_answer_lost_after_create_offers_a_new_key(quiet_clipboard: list[str]) -> None:
    """The create went through but its answer was lost: the console reads back, finds it,
    says so, and never sends the create again."""
    rig = build_rig()
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        await synced(pilot)
        await goto_project(pilot, project_id(app, PROJECT))
        rig.gate.lose_create = "/service_accounts"
        told = await attempt_create(pilot, rig, "trust-lost-answer")
        assert told.kind == "exists" and "exists" in told.text, told
        check_told(rig, "trust-lost-answer", told)
    assert rig.gate.lost == 1


@pytest.mark.parametrize(
    "faults",
    [{"error_rate": 1.0}, {"drop_rate": 1.0}, {"truncate_rate": 1.0}],
    ids=["5xx", "dropped", "truncated"],
)
async def test_delete_during_fault_says_what_happened(faults: dict[str, float]) -> None:
    """A delete whose answer is lost must not be reported as a plain failure if it happened.

    The sandbox applies the delete and then drops or truncates the answer; the console must
    then say it went through (or that it may have, and to refresh), never just "Offline".
    """
    rig = build_rig()
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        await synced(pilot)
        pid = project_id(app, PROJECT)
        await goto_project(pilot, pid)
        view = app.session.snapshot.project(pid)
        key = next(k for k in view.get("api_keys") or () if k.name == "ada-debug")
        rig.sandbox.faults.update(faults)
        app.start_action("key.delete", ActionContext(scope=A.KEY, project_id=pid, item=key))
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        typed = confirm.query_one("#confirm-typed")
        typed.value = key.name
        await pilot.pause()
        await typed.action_submit()  # Enter in the field (not dependent on focus timing)
        assert await until(pilot, lambda: any("Delete" in n for n in rig.notes)), rig.notes
        await settle(pilot)
        told = next(n for n in rig.notes if "Delete" in n)
        rig.sandbox.faults.reset()
        await refresh(pilot, rig)
        shown = {k.id for k in app.session.snapshot.project(pid).get("api_keys") or ()}
    (row,) = rig.store.query("SELECT deleted_at FROM api_keys WHERE id = ?", (key.id,))
    deleted = row["deleted_at"] is not None
    assert (key.id not in shown) == deleted  # after a refresh the console agrees
    if deleted:
        assert "Deleted" in told or "may have" in told, f"deleted, but the user was told: {told}"
    else:
        assert any(label in told for label in ERROR_LABELS), told


async def test_unknown_outcome_keeps_its_advice() -> None:
    """When even the read-back fails, the dialog's last words are what to do next; long error
    texts (a schema mismatch, say) must not push them out of the 400-character body."""
    from orgtui.api.errors import CreateOutcomeUnknownError, MalformedResponseError
    from orgtui.core.services.reconcile import reconcile
    from orgtui.ui.features.keys.delete import reconciliation_text

    cause = MalformedResponseError(
        "unexpected ProjectServiceAccountCreateResponse shape: 5 problem(s), first at object: "
        "Input should be a valid string"
    )

    async def read_back() -> None:
        raise MalformedResponseError(
            "unexpected ListPage[ProjectServiceAccount] shape: 3 problem(s), first at object: "
            "Input should be a valid string"
        )

    result = await reconcile(
        CreateOutcomeUnknownError("may have been applied", cause=cause),
        kind="service_account",
        name="trust-malformed-json-0",
        read_back=read_back,
        found_message=lambda found: "found",
        not_found_message="not found",
    )
    title, body, confirm = reconciliation_text(result)
    assert title == "Outcome unknown" and confirm is None
    assert body.endswith("Refresh and look before trying again."), body


async def test_refresh_failure_names_the_part_in_words() -> None:
    """The "could not be refreshed" notification names the part as the user knows it
    ("search-prod: keys"), not by its internal id ("project:proj_...:keys")."""
    rig = build_rig(max_retries=0)
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        await synced(pilot)
        pid = project_id(app, PROJECT)
        await goto_project(pilot, pid)
        rig.sandbox.faults.update({"error_rate": 1.0})
        await refresh(pilot, rig)
    (said,) = [n for n in rig.notes if "could not be refreshed" in n]
    assert "project:proj_" not in said, said
    assert PROJECT in said, said
