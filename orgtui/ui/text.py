"""Untrusted text made safe to show.

Names, emails and descriptions come from the API and can hold Rich markup, terminal escape
sequences, control characters, bidi overrides, lone surrogates or 10,000 characters. Everything
that reaches the screen from the API goes through `safe_text` (a `rich.text.Text`, so markup is
never parsed) or `safe_str` (for places that take a plain string, e.g. notifications sent with
`markup=False`). The sanitiser itself is `orgtui.core.untrusted` (one place, used by core too).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from orgtui.core.untrusted import DEFAULT_MAX_LEN, ELLIPSIS, has_controls, safe_str

__all__ = ["DEFAULT_MAX_LEN", "ELLIPSIS", "has_controls", "safe_str", "safe_text"]


def safe_text(
    value: object, max_len: int | None = DEFAULT_MAX_LEN, *, style: str | Style = ""
) -> Text:
    """Untrusted text rendered literally: no markup, one line, ellipsis when too long."""
    return Text(safe_str(value, max_len), style=style, no_wrap=True, overflow="ellipsis", end="")


# ---------------------------------------------------------------------- times
# All relative times are computed from the app clock (`app.clock.now()`), so a frozen clock
# gives stable pictures.

DAY = 86400.0


def relative_time(ts: float | None, now: float, *, never: str = "never") -> str:
    """'just now', '5 min ago', '3 h ago', '12 d ago', '8 mo ago', '2 y ago' (or 'in 3 d')."""
    if ts is None:
        return never
    delta = now - ts
    future = delta < 0
    delta = abs(delta)
    if delta < 60:
        return "just now" if not future else "in <1 min"
    if delta < 3600:
        amount = f"{int(delta // 60)} min"
    elif delta < DAY:
        amount = f"{int(delta // 3600)} h"
    elif delta < 60 * DAY:
        amount = f"{int(delta // DAY)} d"
    elif delta < 365 * DAY:
        amount = f"{int(delta // (30 * DAY))} mo"
    else:
        amount = f"{int(delta // (365 * DAY))} y"
    return f"in {amount}" if future else f"{amount} ago"


def days_between(ts: float | None, now: float) -> int | None:
    return None if ts is None else int(max(now - ts, 0) // DAY)


def short_date(ts: float | None) -> str:
    if ts is None:
        return "—"
    import time

    return time.strftime("%Y-%m-%d", time.localtime(ts))


def clock_time(ts: float | None) -> str:
    """HH:MM, or 'Mon 18 09:14' when it is not today (for "showing data from ...")."""
    if ts is None:
        return "—"
    import time

    return time.strftime("%H:%M", time.localtime(ts))
