"""The console header: organisation, profile, RO badge, cache age, request budget, sync progress.

    Acme Robotics (sandbox) · demo  RO   updated 2 min ago · syncing 12/40 · full 14:30 · 42 req

At 80 columns the right side drops its least important parts first (budget, then the refresh
note, then progress).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from orgtui.core.clock import scheduler_for
from orgtui.ui.text import clock_time, relative_time, safe_str, safe_text

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp


@dataclass(frozen=True)
class HeaderState:
    org_name: str = ""
    profile: str = ""
    read_only: bool = False
    fetched_at: float | None = None  # oldest successful fetch shown
    offline: bool = False
    syncing: tuple[int, int] | None = None  # (done, total) while a refresh runs
    sync_label: str = ""
    requests: int = 0
    rate_limited: int = 0
    wait_seconds: float = 0.0
    stale_parts: int = 0
    profiles: int = 1
    position: int = 1  # which of the organisations (profiles) is selected, from 1
    alerts: str | None = None  # e.g. "⚠ 1 alert" until the spend screen has been seen
    sync_note: str = ""  # e.g. "full 14:30 · changes 14:35, 3 req" (Syncer.last_cycle)
    not_cached: int = 0  # parts the cache refused to store (the log file says why)
    problem: str = ""  # why the org cannot be reached (a missing or revoked key, offline)


def header_state(app: Any, session: Any, *, title: str = "") -> HeaderState:
    """The header for `session`'s organisation as `app` knows it now: the main screen's and a
    feature screen's (`title`, e.g. "Spend") say the same of the same org."""
    name = session.profile.name
    state = getattr(app, "sync_states", {}).get(name)
    snap = session.snapshot
    budget: Any = getattr(session.client, "budget", None)
    sessions = list(getattr(app, "sessions", [session]))
    org_name = snap.org_name or name
    problem = app.org_problem(name) if hasattr(app, "org_problem") else None
    return HeaderState(
        org_name=f"{title} · {org_name}" if title else snap.org_name,
        profile=name,
        read_only=session.read_only,
        fetched_at=snap.oldest_fetch(),
        offline=bool(state and state.offline),
        syncing=state.progress if state is not None and state.running else None,
        sync_label=state.label if state is not None else "",
        requests=getattr(budget, "requests_made", 0),
        rate_limited=getattr(budget, "rate_limited", 0),
        wait_seconds=getattr(budget, "wait_seconds", 0.0),
        stale_parts=len(snap.stale_parts()),
        sync_note=app.sync_note(name) if hasattr(app, "sync_note") else "",
        not_cached=len(getattr(session.cache, "refused", None) or ()),
        profiles=len(sessions),
        position=sessions.index(session) + 1 if session in sessions else 1,
        alerts=_alert_badge(app),
        problem=safe_str(problem or "", 80),
    )


def _alert_badge(app: Any) -> str | None:
    # The spend watch (and its module, heavy to import) starts after the first frame; until
    # then there can be no unseen alert.
    watch = sys.modules.get("orgtui.ui.features.spend.alerts_watch")
    return watch.alert_badge(app) if watch is not None else None


def freshness(state: HeaderState, now: float) -> tuple[str, str]:
    """(text, style class) for the cache age part."""
    if state.problem and not state.offline:
        return state.problem, "bad"
    if state.offline:
        if state.fetched_at is None:
            return "offline, nothing cached yet", "bad"
        return f"offline, showing data from {clock_time(state.fetched_at)}", "bad"
    if state.fetched_at is None:
        return ("loading…" if state.syncing else "not loaded yet"), "dim"
    if state.stale_parts:
        return (
            f"updated {relative_time(state.fetched_at, now)}, {state.stale_parts} part(s) failed"
        ), "warn"
    if state.not_cached:
        return (
            f"updated {relative_time(state.fetched_at, now)}, {state.not_cached} part(s) not cached"
        ), "warn"
    return f"updated {relative_time(state.fetched_at, now)}", "dim"


class ConsoleHeader(Widget):
    app: OrgTuiApp

    DEFAULT_CSS = """
    ConsoleHeader { dock: top; height: 1; background: $panel; color: $foreground; }
    ConsoleHeader > .header--org { color: $text-primary; text-style: bold; }
    ConsoleHeader > .header--ro { color: $text-warning; text-style: bold reverse; }
    ConsoleHeader > .header--warn { color: $text-warning; text-style: bold; }
    ConsoleHeader > .header--bad { color: $text-error; text-style: bold; }
    ConsoleHeader > .header--sync { color: $text-accent; }
    ConsoleHeader > .header--dim { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "header--org",
        "header--ro",
        "header--warn",
        "header--bad",
        "header--sync",
        "header--dim",
    }

    state: reactive[HeaderState] = reactive(HeaderState, layout=False)

    def on_mount(self) -> None:
        # Relative ages move on with the app's clock (frozen in tests: they stand still).
        self._age_timer = scheduler_for(self.app.clock).every(30, self.refresh, "header-age")

    def on_unmount(self) -> None:
        self._age_timer.stop()

    def render(self) -> Text:
        state = self.state
        now = self.app.clock.now()

        def style(name: str) -> Style:
            return self.get_component_rich_style(f"header--{name}")

        left = Text(no_wrap=True, overflow="ellipsis", end="")
        left.append(" ")
        left.append_text(safe_text(state.org_name or state.profile, 60, style=style("org")))
        if state.profile and state.profile != state.org_name:
            left.append(" · ", style="dim")
            left.append_text(safe_text(state.profile, 30))
        if state.profiles > 1:
            left.append(f" ({state.position} of {state.profiles})", style="dim")
        if state.read_only:
            left.append(" ")
            left.append(" RO ", style=style("ro"))
        if state.alerts:
            left.append(" ")
            left.append(f" {state.alerts} ", style=style("bad"))
        parts: list[Text] = []
        text, kind = freshness(state, now)
        parts.append(Text(text, style=style(kind)))
        if state.syncing is not None:
            done, total = state.syncing
            parts.append(Text(f"syncing {done}/{total}", style=style("sync")))
        if state.sync_note:
            parts.append(Text(state.sync_note, style=style("dim")))
        # Pictures (screenshots, snapshots) leave out the live request counter: it changes with
        # request timing, not with anything the picture is about.
        if getattr(self.app, "live_counters", True):
            budget = f"{state.requests} req"
            if state.rate_limited:
                budget += f", {state.rate_limited}×429"
            if state.wait_seconds >= 1:
                budget += f", wait {state.wait_seconds:.0f}s"
            parts.append(Text(budget, style=style("warn" if state.rate_limited else "dim")))
        width = self.size.width
        # Drop the budget, then the progress, until the right side fits beside the name.
        while len(parts) > 1:
            right = Text(" · ", style="dim").join(parts)
            if left.cell_len + right.cell_len + 3 <= width:
                break
            parts.pop()
        right = Text(" · ", style="dim").join(parts)
        right.append(" ")
        gap = max(width - left.cell_len - right.cell_len, 1)
        if left.cell_len + right.cell_len + 1 > width:
            left.truncate(max(width - right.cell_len - 1, 10), overflow="ellipsis")
            gap = max(width - left.cell_len - right.cell_len, 1)
        return Text.assemble(left, " " * gap, right, no_wrap=True, end="")
