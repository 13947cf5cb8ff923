"""Untrusted text made safe to show.

Names, emails and descriptions come from the API and can hold Rich markup, terminal escape
sequences, control characters, bidi overrides, lone surrogates or 10,000 characters. Everything
that reaches the screen from the API goes through `safe_text` (a `rich.text.Text`, so markup is
never parsed) or `safe_str` (for places that take a plain string, e.g. notifications sent with
`markup=False`).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.text import Text

ELLIPSIS = "…"
DEFAULT_MAX_LEN = 200
_REPLACEMENT = "\ufffd"
# Bidi embeddings, overrides and isolates reorder the rest of the line in terminals that do
# bidi; shown as a visible mark so a name cannot disguise itself or its neighbours.
_BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_MAX_COMBINING = 2


@lru_cache(maxsize=4096)
def _placeholder(ch: str) -> str | None:
    """The visible stand-in for a character that must not reach the terminal raw (None = keep)."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␛ for ESC, ␤ for LF, ␉ for TAB
    if code == 0x7F:
        return "\u2421"  # ␡
    if ch in _BIDI_CONTROLS:
        return "\u2194"  # ↔ marks where a direction override was
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Cn", "Zl", "Zp"):
        return _REPLACEMENT
    if category == "Cf" and ch != "\u200d":
        return _REPLACEMENT
    return None


def safe_str(value: object, max_len: int | None = DEFAULT_MAX_LEN) -> str:
    """A printable single-line string: controls replaced, runaway combining marks dropped."""
    if value is None:
        return ""
    raw = value if isinstance(value, str) else str(value)
    if max_len is not None and len(raw) > max_len:
        raw = raw[: max(max_len - 1, 0)]
        truncated = True
    else:
        truncated = False
    if raw.isascii() and raw.isprintable():
        out = raw
    else:
        parts: list[str] = []
        combining = 0
        for ch in raw:
            if unicodedata.combining(ch):
                combining += 1
                if combining > _MAX_COMBINING:
                    continue  # "zalgo" stacks would spill into the lines above and below
            else:
                combining = 0
            replacement = _placeholder(ch)
            parts.append(ch if replacement is None else replacement)
        out = "".join(parts)
    return out + ELLIPSIS if truncated else out


def safe_text(value: object, max_len: int | None = DEFAULT_MAX_LEN, *, style: str = "") -> Text:
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
