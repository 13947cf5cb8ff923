"""The one sanitiser for untrusted text (names, emails, descriptions, error text from the API).

Text from the API can hold Rich markup, terminal escape sequences (OSC 52 writes the clipboard,
OSC 0 retitles the window, CSI 2J clears the screen), C0/C1 control characters, bidi overrides,
lone surrogates or 10,000 characters. Before any of it reaches the terminal, for display or as
the starting value of an input field, it goes through `safe_str` here: every C0 and C1 control
character (ESC included) becomes a visible placeholder (␛ for ESC, ␇ for BEL, � for C1), so no
byte sequence from the data can reach the terminal as a control sequence.

`has_controls(text)` says whether `safe_str` would change a character (for the warning an
edit field shows when its pre-filled value holds such characters).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

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
def placeholder(ch: str) -> str | None:
    """The visible stand-in for a character that must not reach the terminal raw (None = keep)."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # control pictures: ␛ for ESC, ␤ for LF, ␉ for TAB
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code <= 0x9F:
        return _REPLACEMENT  # C1 controls (0x9b is a one-byte CSI)
    if ch in _BIDI_CONTROLS:
        return "\u2194"  # ↔ marks where a direction override was
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs", "Cn", "Zl", "Zp"):
        return _REPLACEMENT
    if category == "Cf" and ch != "\u200d":
        return _REPLACEMENT
    return None


def has_controls(value: str) -> bool:
    """True when `value` holds a character `safe_str` would replace (controls, bidi, ...)."""
    if value.isascii() and value.isprintable():
        return False
    return any(placeholder(ch) is not None for ch in value)


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
            replacement = placeholder(ch)
            parts.append(ch if replacement is None else replacement)
        out = "".join(parts)
    return out + ELLIPSIS if truncated else out
