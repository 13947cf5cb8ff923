"""The console application: sessions, sync workers, dispatch, themes and keymap.

Data flow: `Session.apply` (from a sync or a mutation) -> subscriber -> `SnapshotChanged`
message -> screens repaint. Nothing waits on the network before the first paint: sessions load
the cache synchronously (fast), the screen paints it, and `refresh_all` runs in a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.worker import Worker

from orgtui.core.actions import ActionRegistry
from orgtui.core.clock import Clock, ClockTimer, SystemClock, scheduler_for
from orgtui.core.session import Session
from orgtui.core.sync import Syncer
from orgtui.ui import themes
from orgtui.ui.app_sync import SyncMixin, SyncState
from orgtui.ui.bindings import global_bindings
from orgtui.ui.commands import OrgCommands
from orgtui.ui.dispatch import (
    ActionContext,
    context_from_focus,
    run_registered,
    will_have_ui_handler,
)
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from orgtui.connect import Connection

_NATIVE = frozenset({"app.palette"})


class OrgTuiApp(SyncMixin, App[int]):
    """orgtui's console. `OrgTuiApp(connection | [connections], start="main", clock=None)`."""

    CSS_PATH = "orgtui.tcss"
    TITLE = "orgtui"
    BINDINGS: ClassVar[list[BindingType]] = list(global_bindings())
    COMMANDS: ClassVar[set[Any]] = {OrgCommands}
    # Textual declares this `ClassVar[...] | None`, which mypy reads as an instance variable.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-narrow"), (100, "-wide")]
    ENABLE_COMMAND_PALETTE = True
    # False in screenshots and snapshot scenes: the header leaves out its live request count.
    live_counters = True
    # `idle` is kept up to date only once someone waits on it (`update_idle` turns this on):
    # a user's session does not pay for the check on every drain of the message queue.
    track_idle = False

    def __init__(
        self,
        connection: Connection | Sequence[Connection],
        *,
        start: str = "main",
        clock: Clock | None = None,
        cache_path: Path | None = None,
    ) -> None:
        self.connections: list[Connection] = (
            list(connection) if isinstance(connection, Sequence) else [connection]
        )
        if not self.connections:
            raise ValueError("OrgTuiApp needs at least one connection")
        self.clock: Clock = clock or SystemClock()
        self.start = start
        self.sessions: list[Session] = [
            self._open_session(conn, self.clock, cache_path if i == 0 else None)
            for i, conn in enumerate(self.connections)
        ]
        self.syncers: dict[str, Syncer] = {
            s.profile.name: Syncer(s, full_every=s.profile.full_refresh_every)
            for s in self.sessions
        }
        self.sync_states: dict[str, SyncState] = {
            s.profile.name: SyncState() for s in self.sessions
        }
        self.problems: dict[str, str] = {
            conn.profile.name: str(problem)
            for conn in self.connections
            if (problem := getattr(conn, "problem", None))
        }
        self.active_profile = self.sessions[0].profile.name
        # The organisation a running mutating action changes (several open: dialogs name it).
        self.acting_session: Session | None = None
        self._unsubscribe: list[Callable[[], None]] = []
        self._refresh_timer: ClockTimer | None = None
        self.owns_connections = False
        # True once the work put off until after the first frame has run (features, graph,
        # spend watch, first refresh).
        self.started = False
        # Set while nothing is in flight (`orgtui.ui.idle`): for whoever waits until it is done.
        self.idle = asyncio.Event()
        self.settled_at = time.monotonic()  # the first settle comes a period after the start
        super().__init__()
        for theme in themes.custom_themes():
            self.register_theme(theme)
        self._start_in_theme(themes.theme_for_setting(self.sessions[0].profile.theme))
        keymap = dict(self.connections[0].keymap or {})
        self.keymap_overrides: dict[str, str] = keymap
        if keymap:
            self.set_keymap(keymap)

    def _start_in_theme(self, name: str) -> None:
        """Start in theme `name`. Setting `theme` before the app runs makes Textual parse every
        stylesheet twice before the first frame (its watcher queues a re-parse: about 7 ms at
        start, measured with tests/perf). Nothing is drawn or styled yet, so when the start
        theme is as dark and as ANSI as Textual's default (its colour filter then stays right) it
        is enough to set the value, the class and the stylesheet's colours the watcher would set;
        otherwise the watcher runs."""
        wanted = self.get_theme(name)
        default = self.current_theme
        if wanted is None or (wanted.dark, wanted.ansi) != (default.dark, default.ansi):
            self.theme = name
            return
        self.set_reactive(OrgTuiApp.theme, name)
        stale = {cls: False for cls in self.classes if cls.startswith("-theme-")}
        self.update_classes({**stale, f"-theme-{name}": True}, update=False)
        self.stylesheet.set_variables(self.get_css_variables())  # the theme's colours

    @staticmethod
    def _open_session(connection: Connection, clock: Clock, cache_path: Path | None) -> Session:
        from orgtui.core.cache import Cache

        profile = connection.profile
        registry = ActionRegistry(
            read_only=connection.read_only, keymap=dict(connection.keymap or {})
        )
        cache = Cache.open(profile, path=cache_path)
        return Session(
            profile,
            connection.client,
            cache,
            clock,
            registry,
            read_only=connection.read_only,
            headers_first=True,  # the first frame needs no pydantic (Session.load_models)
        )

    # ------------------------------------------------------------------ sessions

    @property
    def session(self) -> Session:
        """The session of the organisation selected in the tree."""
        return self.session_for(self.active_profile)

    def session_for(self, profile: str | None) -> Session:
        for session in self.sessions:
            if session.profile.name == profile:
                return session
        return self.sessions[0]

    def focus_org(self, profile: str) -> None:
        """The organisation with focus (the tree's current node, a screen's org): its theme
        applies once several are open."""
        if profile == self.active_profile:
            return
        self.active_profile = self.session_for(profile).profile.name
        if len(self.sessions) > 1:
            self.theme = themes.theme_for_setting(self.session.profile.theme)

    @property
    def registry(self) -> ActionRegistry:
        return self.session.registry

    @property
    def syncer(self) -> Syncer:
        return self.syncers[self.session.profile.name]

    def registry_for(self, ctx: ActionContext) -> ActionRegistry:
        return (ctx.session or self.session).registry

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        for session in self.sessions:
            profile = session.profile.name
            self._unsubscribe.append(session.subscribe(self._subscriber(profile)))
        from orgtui.ui.features.shell.main_screen import MainScreen

        self.push_screen(MainScreen())
        for session in self.sessions:
            if session.notice:
                self.notify(
                    safe_str(session.notice, 400),
                    title="Cache",
                    severity="warning",
                    markup=False,
                    timeout=12,
                )
        # After the first frame: the cached organisation is on screen before any import of the
        # feature modules and before any request.
        self.call_after_refresh(self._after_first_frame)
        seconds = min(s.profile.refresh_seconds for s in self.sessions)
        # On the session clock: a frozen clock (tests) refreshes only when the test moves it.
        self._refresh_timer = scheduler_for(self.clock).every(
            seconds, self._periodic_refresh, "periodic-refresh"
        )
        if self.start not in ("main", ""):
            action_id = f"view.{self.start}"
            self.call_after_refresh(self.start_action, action_id, ActionContext())

    @staticmethod
    def collect_garbage_again() -> None:
        """Undo the command line's start-up pause of garbage collection (orgtui.perf_gc)."""
        from orgtui import perf_gc

        perf_gc.resume_after_first_frame()

    def _after_first_frame(self) -> None:
        for session in self.sessions:  # the cached models replace the first frame's rows
            session.load_models()
        from orgtui.ui import features
        from orgtui.ui.features.spend.alerts_watch import spend_watch
        from orgtui.ui.features.usage.strip import UsageStrip

        features.load()
        for screen in self.screen_stack:  # the placeholder gives way to the live graph
            for strip in screen.query(UsageStrip):
                strip.refresh_content()
        self.refresh_bindings()
        spend_watch(self)  # alerts are watched from the start, not only once a graph is shown
        self._initial_refresh()
        self.started = True
        self.collect_garbage_again()

    def _initial_refresh(self) -> None:
        # Someone (a test, a start action) may have asked for a refresh already: keep theirs.
        if not any(w.group == "sync" and not w.is_finished for w in self.workers):
            self.refresh_all()
        from orgtui.ui.features.keys.actions import resume_rotations

        resume_rotations(self)  # an interrupted key rotation is offered, never lost

    def in_flight(self) -> list[str]:
        """What is under way (workers, working screens, a graph's pending scope); [] when idle."""
        from orgtui.ui.idle import in_flight

        return in_flight(self)

    def update_idle(self) -> bool:
        """Set or clear `idle` from what is in flight now, and keep it so; True when idle."""
        self.track_idle = True
        quiet = not self.in_flight()
        if quiet:
            self.idle.set()
        else:
            self.idle.clear()
        return quiet

    def on_idle(self) -> None:  # Textual's Idle event: the app's message queue has drained
        if self.track_idle:
            self.update_idle()

    def on_worker_state_changed(self) -> None:
        if self.track_idle:
            self.update_idle()

    async def action_quit(self) -> None:
        self.exit(0)

    def on_key(self, event: Any) -> None:
        """space presses a focused button, as enter does (Textual binds only enter)."""
        from textual.widgets import Button

        focused = self.focused
        if event.key == "space" and isinstance(focused, Button) and not focused.disabled:
            event.stop()
            focused.press()

    async def on_unmount(self) -> None:
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        for session in self.sessions:
            session.close()
        if self.owns_connections:  # run_console's: close the HTTP clients on this loop
            for connection in self.connections:
                with contextlib.suppress(Exception):
                    await connection.aclose()

    # ------------------------------------------------------------------ data flow

    # ------------------------------------------------------------------ actions

    def action_available(self, action_id: str) -> bool:
        return action_id in _NATIVE or will_have_ui_handler(action_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "orgtui" and parameters:
            return self.action_available(str(parameters[0]))
        return True

    def action_orgtui(self, action_id: str) -> None:
        """A global binding: the context comes from whatever is focused."""
        self.start_action(action_id, context_from_focus(self))

    def start_action(self, action_id: str, ctx: ActionContext | None = None) -> Worker[bool]:
        """Run an action (gate + UI handler) in a worker, so handlers can wait for dialogs."""
        context = ctx if ctx is not None else context_from_focus(self)
        worker: Worker[bool] = self.run_worker(
            self.run_registered(action_id, context),
            group=f"action:{action_id}",
            exit_on_error=False,
        )
        return worker

    async def run_registered(self, action_id: str, ctx: ActionContext) -> bool:
        """Refuse in read-only mode (with a message), else run the action's UI handler."""
        from orgtui.ui import features

        features.load()  # a key pressed before the first frame's loading
        if not self._mutates(action_id, ctx):
            return await run_registered(self, action_id, ctx)
        # Several organisations: the dialogs it opens name the one it will change (OrgLine).
        with self.acting_for(ctx.session or self.session):
            return await run_registered(self, action_id, ctx)

    @contextlib.contextmanager
    def acting_for(self, session: Session) -> Iterator[None]:
        """While the block runs, dialogs name `session`'s organisation (several open only);
        for flows that change an organisation without going through `run_registered`."""
        if len(self.sessions) < 2:
            yield
            return
        previous, self.acting_session = self.acting_session, session
        try:
            yield
        finally:
            self.acting_session = previous

    def _mutates(self, action_id: str, ctx: ActionContext) -> bool:
        try:
            return self.registry_for(ctx).get(action_id).mutates
        except KeyError:  # UnknownAction: run_registered says so
            return False

    def main_screen_goto(self, profile: str, project_id: str) -> bool:
        """Show a project in the tree of the main screen (closing screens above it)."""
        from orgtui.ui.features.shell.main_screen import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                while self.screen is not screen and len(self.screen_stack) > 1:
                    self.pop_screen()
                return screen.goto(profile, project_id)
        return False

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text (`markup` is ignored): names and API error text reach
        notifications, so markup is never parsed and control characters become placeholders."""
        text = "\n".join(safe_str(line, None) for line in str(message).split("\n"))
        super().notify(
            text, title=safe_str(title, None), severity=severity, timeout=timeout, markup=False
        )

    def get_key_display_for(self, key: str) -> str:
        from textual.binding import Binding

        return self.get_key_display(Binding(key, ""))

    def cycle_theme(self) -> str:
        self.theme = themes.next_theme(self.theme)
        return self.theme
