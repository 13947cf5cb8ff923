"""The console's main scenes, shared by the snapshot tests and `make_screenshots.py`.

A scene is an app factory plus a `run_before(pilot)` coroutine. Everything is frozen: the app
clock and the sandbox clock are one FrozenClock at FROZEN_NOW, the sandbox seed is fixed, the
timezone is UTC and cursors do not blink. Factories need the ORGTUI_*_DIR variables pointing
at a scratch directory (the tests' autouse fixture, or the screenshot script, sets them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from orgtui.core.clock import FrozenClock
from tests.pilot_support import still

FROZEN_NOW = 1795012200.0  # tests/conftest.py: Wednesday 2026-11-18 14:30:00 UTC

HOSTILE_NAMES = (
    "[b]bold?[/b] [red]not red[/red] [link=http://x]link[/link]",
    "esc\x1b[31mred\x1b[0m bell\x07 tab\there nl\nline",
    "RTL \u202eevil.exe\u202c عربي עברית",
    "wide 漢字かな全角ＡＢＣ 🙂",
    "long-" + "x" * 10_000,
)

RunBefore = Callable[[Any], Awaitable[None]]


@dataclass
class Scene:
    name: str
    build: Callable[[], Any]
    run_before: RunBefore
    sizes: tuple[tuple[int, int], ...] = ((80, 24), (120, 40))
    notes: str = ""
    snapshot: bool = True  # False: pictures only (something in it is not reproducible)
    extra: dict[str, Any] = field(default_factory=dict)


class Unreachable(httpx.AsyncBaseTransport):
    """A network that is down: every request fails to connect."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused (test)", request=request)


# ---------------------------------------------------------------------- building


def new_sandbox(clock: FrozenClock, **kw: Any) -> Any:
    from orgtui.sandbox import create_app

    return create_app(None, seed=kw.pop("seed", 1), clock=clock, **kw)


def connect(
    sandbox_app: Any,
    *,
    read_only: bool = False,
    keymap: dict[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Any:
    from orgtui.api.client import AdminClient
    from orgtui.config import demo_profile
    from orgtui.connect import Connection, connection_for_app

    profile = demo_profile()
    if transport is None:
        return connection_for_app(
            sandbox_app, profile, read_only=read_only, keymap=keymap, requests_per_minute=60000
        )
    client = AdminClient(
        profile.base_url,
        "sk-admin-sandbox-FAKE-KEY-not-real-0000",
        transport=transport,
        max_retries=0,
        requests_per_minute=60000,
    )
    return Connection(
        profile=profile, client=client, sandbox=None, read_only=read_only, keymap=dict(keymap or {})
    )


def build_app(
    *,
    prepare: Callable[[Any], None] | None = None,
    read_only: bool = False,
    keymap: dict[str, str] | None = None,
    theme: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **sandbox_kw: Any,
) -> Any:
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    sandbox_app = new_sandbox(clock, **sandbox_kw)
    if prepare is not None:
        prepare(sandbox_app.state.sandbox)
    app = OrgTuiApp(
        connect(sandbox_app, read_only=read_only, keymap=keymap, transport=transport), clock=clock
    )
    if theme:
        app.theme = theme
    app.extra_sandbox = sandbox_app.state.sandbox
    app.live_counters = False  # no request counter in pictures (Pilot tests assert counts)
    _keep_toasts(app)
    return app


def _keep_toasts(app: Any) -> None:
    """Toasts expire in real time: keep them up so a slow run still shows them in a picture."""
    notify = app.notify

    def lasting(*args: Any, **kw: Any) -> Any:
        kw["timeout"] = 600
        return notify(*args, **kw)

    app.notify = lasting


async def prefill_cache_async(**sandbox_kw: Any) -> None:
    """Run one full refresh against a sandbox so the profile's cache holds the organisation."""
    from orgtui.core.actions import ActionRegistry
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session
    from orgtui.core.sync import Syncer

    clock = FrozenClock(FROZEN_NOW - 3 * 3600)  # cached three hours before "now"
    conn = connect(new_sandbox(clock, **sandbox_kw))
    cache = Cache.open(conn.profile)
    session = Session(conn.profile, conn.client, cache, clock, ActionRegistry())
    await Syncer(session).refresh_all()
    session.close()
    await conn.client.aclose()


def prefill_cache(**sandbox_kw: Any) -> None:
    """`prefill_cache_async` for code outside an event loop (scene factories)."""
    asyncio.run(prefill_cache_async(**sandbox_kw))


def corrupt_cache() -> None:
    from orgtui import paths

    target = paths.cache_file("demo")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"this is not a database\x00\xff" * 64)


def set_hostile_names(sandbox: Any) -> None:
    store = sandbox.store
    pids = [p for p in store.project_ids() if p != store.default_project_id()]
    for pid, name in zip(pids, HOSTILE_NAMES, strict=False):
        store.set_fields("projects", pid, name=name)
    first = pids[0]
    keys = store.query("SELECT id FROM api_keys WHERE project_id = ? ORDER BY seq", (first,))
    for row, name in zip(keys, HOSTILE_NAMES, strict=False):
        store.set_fields("api_keys", row["id"], name=name)


# ---------------------------------------------------------------------- steps


async def settle(pilot: Any) -> None:
    """Wait until the data on screen stops changing: `pilot_support.still` (idle on the app's
    own signal, a graph's resting scope flushed, cursors frozen, two fresh frames)."""
    await still(pilot)


def project_id_by_name(app: Any, name: str) -> str:
    for view in app.session.snapshot.projects.values():
        if view.project.name == name:
            return view.id
    raise LookupError(name)


def goto_project(name: str, *, tab: int | None = None, focus: bool = True) -> RunBefore:
    async def run(pilot: Any) -> None:
        await settle(pilot)
        app = pilot.app
        app.main_screen_goto(app.session.profile.name, project_id_by_name(app, name))
        await settle(pilot)
        if focus:
            await pilot.press("enter")
        if tab is not None:
            await pilot.press(str(tab))
        await settle(pilot)

    return run


def goto_node(kind: str, *keys: str) -> RunBefore:
    async def run(pilot: Any) -> None:
        from orgtui.ui.widgets.org_tree import NodeRef

        await settle(pilot)
        tree = pilot.app.screen.tree
        tree.select_ref(NodeRef(pilot.app.session.profile.name, kind))
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
        await settle(pilot)

    return run


def then(*steps: RunBefore) -> RunBefore:
    async def run(pilot: Any) -> None:
        for step in steps:
            await step(pilot)

    return run


def press(*keys: str) -> RunBefore:
    async def run(pilot: Any) -> None:
        await pilot.press(*keys)
        await settle(pilot)

    return run


async def _mint_copy_once(pilot: Any) -> None:
    """A new key for search-dev, up to its copy-once dialog."""
    await goto_project("search-dev", focus=False)(pilot)
    await pilot.press("n")
    for _ in range(200):
        if type(pilot.app.screen).__name__ == "KeyCreateScreen":
            break
        await pilot.pause(0.02)
    field = pilot.app.screen.query_one("#name")
    field.input.value = "search-dev-ingest"
    field.input.focus()
    await pilot.press("enter")
    for _ in range(200):
        if type(pilot.app.screen).__name__ == "CopyOnceScreen":
            break
        await pilot.pause(0.02)
    await pilot.pause()


# ---------------------------------------------------------------------- scenes


def _offline_app() -> Any:
    prefill_cache()
    return build_app(transport=Unreachable())


def _no_color_app() -> Any:
    import os

    os.environ["NO_COLOR"] = "1"  # Textual reads (and removes) it when the app is created
    try:
        return build_app()
    finally:
        os.environ.pop("NO_COLOR", None)


def _corrupt_app() -> Any:
    corrupt_cache()
    return build_app()


async def _onboard_plan(pilot: Any) -> None:
    from test_onboard_snapshots import open_plan

    await open_plan(pilot)


async def _key_details_and_yank(pilot: Any) -> None:
    """`enter` on search-reranker: its details; then `y` yanks its id (OSC 52 only here, so the
    toast reads the same on every machine)."""
    from orgtui.ui.features.keys import copy_once
    from orgtui.ui.features.keys.details import KeyDetailsScreen

    await goto_project("search-prod")(pilot)
    await pilot.press("j", "enter")
    for _ in range(200):
        screen = pilot.app.screen
        if isinstance(screen, KeyDetailsScreen) and screen.loaded:
            break
        await pilot.pause(0.02)
    kept = copy_once.clipboard_io
    copy_once.clipboard_io = copy_once.ClipboardIO(
        env={}, which=lambda name: None, use_native=False
    )
    try:
        await pilot.press("y")
        for _ in range(200):
            if any(n.title == "Yank" for n in pilot.app._notifications):
                break
            await pilot.pause(0.02)
    finally:
        copy_once.clipboard_io = kept
    await settle(pilot)


def _two_orgs_app() -> Any:
    """Production (the demo org, writable) and staging (read-only): two roots in one console."""
    from orgtui.config import Profile
    from orgtui.connect import connection_for_app
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    staging = Profile(
        name="staging", base_url="http://sandbox/v1", org_name="Acme Staging", read_only=True
    )
    second = connection_for_app(
        new_sandbox(clock, seed=2, demo=False), staging, requests_per_minute=60000
    )
    app = OrgTuiApp([connect(new_sandbox(clock)), second], clock=clock)
    app.live_counters = False
    _keep_toasts(app)
    return app


async def _focus_staging(pilot: Any) -> None:
    from orgtui.ui.widgets.org_tree import NodeRef, OrgTree

    await settle(pilot)
    pilot.app.screen.query_one(OrgTree).select_ref(NodeRef("staging", "org"))
    await settle(pilot)


SCENES: dict[str, Scene] = {
    s.name: s
    for s in (
        Scene("org_overview", build_app, settle, notes="start: the organisation summary"),
        Scene(
            "project_keys",
            build_app,
            goto_project("search-prod"),
            notes="a project's keys: age and unused flags",
        ),
        Scene("project_accounts", build_app, goto_project("search-prod", tab=2), sizes=((80, 24),)),
        Scene("project_members", build_app, goto_project("search-prod", tab=3), sizes=((80, 24),)),
        Scene("project_limits", build_app, goto_project("search-prod", tab=4), sizes=((120, 40),)),
        Scene(
            "project_rate_limits", build_app, goto_project("search-prod", tab=5), sizes=((120, 40),)
        ),
        Scene("org_members", build_app, goto_node("members", "enter"), sizes=((120, 40),)),
        Scene("invites", build_app, goto_node("invites", "enter"), sizes=((80, 24),)),
        Scene("admin_keys", build_app, goto_node("admin_keys", "enter"), sizes=((120, 40),)),
        Scene(
            "archived_shown", build_app, then(settle, press("A", "down", "down")), sizes=((80, 24),)
        ),
        Scene(
            "filter_keys",
            build_app,
            then(goto_project("search-prod"), press("slash", "i", "n", "d")),
            sizes=((80, 24),),
        ),
        Scene("jump", build_app, then(settle, press("colon", "s", "u", "p")), sizes=((80, 24),)),
        Scene("help", build_app, then(goto_project("search-prod"), press("question_mark"))),
        Scene(
            "palette", build_app, then(settle, press("ctrl+p", "r", "e", "f")), sizes=((80, 24),)
        ),
        Scene("create_project", build_app, then(settle, press("N")), sizes=((80, 24),)),
        Scene(
            "archive_confirm",
            build_app,
            then(goto_project("search-dev", focus=False), press("X")),
            sizes=((80, 24),),
        ),
        Scene(
            "read_only",
            lambda: build_app(read_only=True),
            then(goto_project("search-prod", focus=False), press("X")),
            sizes=((80, 24),),
        ),
        Scene("offline", _offline_app, settle, notes="offline start from the cache"),
        # The damage notice names a timestamped file: shown by make_screenshots, not snapshotted.
        Scene("corrupt_cache", _corrupt_app, settle, sizes=((80, 24),), snapshot=False),
        Scene(
            "hostile_names",
            lambda: build_app(prepare=set_hostile_names),
            # Straight to it: walking the tree with keys would rest on the nodes passed over
            # long enough, on a loaded machine, for the usage graph to fetch one more scope.
            goto_project(HOSTILE_NAMES[0]),
        ),
        Scene(
            "light_theme",
            lambda: build_app(theme="orgtui-light"),
            goto_project("search-prod"),
            sizes=((80, 24),),
        ),
        Scene(
            "ansi_theme",
            lambda: build_app(theme="ansi-dark"),
            goto_project("search-prod"),
            sizes=((80, 24),),
        ),
        Scene("no_color", _no_color_app, goto_project("search-prod"), sizes=((80, 24),)),
        # Pictures only: the feature screens have their own snapshot tests.
        Scene("spend", build_app, then(settle, press("s")), snapshot=False),
        Scene(
            "two_orgs",
            _two_orgs_app,
            _focus_staging,
            sizes=((120, 40),),
            notes="two organisations, staging read-only and focused",
        ),
        Scene("health", build_app, then(settle, press("h")), snapshot=False),
        Scene("audit", build_app, then(settle, press("a")), snapshot=False),
        Scene("access-matrix", build_app, then(settle, press("M")), snapshot=False),
        Scene("invite-form", build_app, then(settle, press("i")), snapshot=False),
        Scene(
            "copy-once",
            build_app,
            _mint_copy_once,
            sizes=((80, 24),),
            snapshot=False,
            notes="the sandbox's fake key, minted at random: not reproducible",
        ),
        Scene(
            "onboard-plan",
            build_app,
            _onboard_plan,
            snapshot=False,
            notes="O on the tree, the form filled in, then the plan (its own snapshot tests)",
        ),
        Scene(
            "incident", build_app, then(settle, press("exclamation_mark"), settle), snapshot=False
        ),
        Scene("groups", build_app, then(settle, press("W"), settle), snapshot=False),
        Scene(
            "key_details",
            build_app,
            _key_details_and_yank,
            sizes=((120, 40),),
            notes="enter on a key: its details; y yanked its id",
        ),
    )
}
