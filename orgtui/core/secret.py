"""One-time secrets and the clipboard.

A key value returned by a create call lives in exactly one `OneTimeSecret`, held by the
copy-once dialog, and is dropped when the dialog closes. It never appears in a repr, a log,
an exception, a pickle or a cache. Copying goes two ways at once: OSC 52 written to the
terminal (works over SSH; wrapped for tmux/screen) and a native clipboard tool when one is
present. OSC 52 is fire-and-forget: no terminal confirms it, so reports say so.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from orgtui.api._secret import Secret

__all__ = [
    "ClipboardReport",
    "OneTimeSecret",
    "SecretGone",
    "clear_native",
    "copy_native",
    "copy_to_clipboard",
    "detect_multiplexer",
    "native_clipboard_tools",
    "osc52_clear_sequence",
    "osc52_for",
    "osc52_sequence",
]

ESC = "\x1b"
ST = ESC + "\\"
BEL = "\x07"
SCREEN_CHUNK = 76
NATIVE_TIMEOUT = 2.0
# The key's kind ("sk-", "sk-proj-", "sk-svcacct-", "sk-admin-"): useful to see, not secret.
_KEY_PREFIX = re.compile(r"^sk-(?:[a-z]{2,12}-)?")


class SecretGone(RuntimeError):
    """The one-time value was already destroyed (the dialog closed)."""


class OneTimeSecret:
    """Holds a freshly minted key value until `destroy()`; never shows it by accident."""

    __slots__ = ("_label", "_value")

    def __init__(self, value: Secret | str, *, label: str = "") -> None:
        raw = value.reveal() if isinstance(value, Secret) else value
        if not isinstance(raw, str) or not raw:
            raise ValueError("a one-time secret needs a non-empty string value")
        from orgtui.core.minted import remember_minted

        remember_minted(raw)  # so the cache can refuse exactly this value, should it see it
        self._value: str | None = raw
        self._label = label

    @property
    def label(self) -> str:
        return self._label

    @property
    def alive(self) -> bool:
        return self._value is not None

    def reveal(self) -> str:
        if self._value is None:
            raise SecretGone(f"the value of {self._label or 'this secret'} was discarded")
        return self._value

    def masked(self) -> str:
        """A recognisable but useless form: the key's type prefix and its last four characters."""
        if self._value is None:
            return "(discarded)"
        value = self._value
        if len(value) <= 12:
            return "•" * 8
        match = _KEY_PREFIX.match(value)
        head = match.group(0) if match else value[:3]
        return f"{head}{'•' * 8}{value[-4:]}"

    def destroy(self) -> None:
        # Python strings are immutable: the best we can do is drop the only reference.
        self._value = None

    def __repr__(self) -> str:
        state = "alive" if self._value is not None else "discarded"
        return f"OneTimeSecret(label={self._label!r}, {state})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce_ex__(self, protocol: Any) -> NoReturn:
        raise TypeError("OneTimeSecret cannot be pickled or copied")

    def __getstate__(self) -> NoReturn:
        raise TypeError("OneTimeSecret cannot be pickled or copied")

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__


# -- OSC 52 -------------------------------------------------------------------------------


def osc52_sequence(text: str, *, tmux: bool = False, screen: bool = False) -> str:
    """The escape sequence asking the terminal to put `text` on the clipboard.

    tmux: DCS passthrough `ESC P tmux; ... ESC \\` with every inner ESC doubled (tmux needs
    `set -g allow-passthrough on`, or `set-clipboard on` which handles plain OSC 52 itself).
    screen: its DCS strings are length-limited, so the base64 payload is cut into 76-character
    pieces: `ESC P ESC ]52;c;<piece> ESC \\ ESC P <piece> ESC \\ ... ESC P <piece> BEL ESC \\`
    (screen passes each DCS body through and the terminal sees one OSC 52).
    """
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"{ESC}]52;c;{payload}{BEL}"
    if tmux:
        return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"
    if screen:
        pieces = [payload[i : i + SCREEN_CHUNK] for i in range(0, len(payload), SCREEN_CHUNK)]
        pieces = pieces or [""]
        pieces[0] = f"{ESC}]52;c;{pieces[0]}"
        pieces[-1] += BEL
        return "".join(f"{ESC}P{piece}{ST}" for piece in pieces)
    return sequence


def osc52_clear_sequence(*, tmux: bool = False, screen: bool = False) -> str:
    """Overwrite the clipboard with nothing (what the dialog sends after it closes)."""
    return osc52_sequence("", tmux=tmux, screen=screen)


def detect_multiplexer(env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    if env.get("TMUX"):
        return "tmux"
    if env.get("STY"):
        return "screen"
    return None


# -- native clipboard tools ------------------------------------------------------------


def native_clipboard_tools(
    env: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    platform: str | None = None,
) -> list[list[str]]:
    """Candidate commands (argv) that read the value on stdin, best first."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    candidates: list[list[str]] = []
    if platform == "darwin":
        candidates.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if env.get("DISPLAY"):
        candidates.append(["xclip", "-selection", "clipboard", "-in"])
        candidates.append(["xsel", "--clipboard", "--input"])
    if env.get("WSL_DISTRO_NAME"):
        candidates.append(["clip.exe"])
    found: list[list[str]] = []
    for argv in candidates:
        path = which(argv[0])
        if path:
            found.append([path, *argv[1:]])
    return found


Runner = Callable[..., Any]


def _run_tool(argv: Sequence[str], text: str, runner: Runner) -> bool:
    try:
        # The value goes on stdin only: a command line is visible to every local user (ps).
        runner(
            list(argv),
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=NATIVE_TIMEOUT,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return True


def _tool_name(argv: Sequence[str]) -> str:
    return os.path.basename(argv[0])


def copy_native(
    text: str,
    runner: Runner = subprocess.run,
    *,
    env: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    platform: str | None = None,
) -> str | None:
    """Copy with the first native tool that works; returns its name, or None."""
    for argv in native_clipboard_tools(env, which, platform):
        if _run_tool(argv, text, runner):
            return _tool_name(argv)
    return None


def clear_native(
    tool: str | None,
    runner: Runner = subprocess.run,
    *,
    env: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
    platform: str | None = None,
) -> bool:
    """Overwrite the clipboard with an empty string, through the tool that copied."""
    if not tool:
        return False
    for argv in native_clipboard_tools(env, which, platform):
        if _tool_name(argv) == tool:
            return _run_tool(argv, "", runner)
    return False


@dataclass(frozen=True)
class ClipboardReport:
    """Which ways a copy went out. OSC 52 is never confirmed by the terminal."""

    osc52_sent: bool
    multiplexer: str | None = None
    native_tool: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    tmux_buffer: bool = False  # seen in tmux's `list-buffers` after `load-buffer`
    tmux_forwarded: bool = False  # `load-buffer -w` accepted: tmux sends it to the terminal

    @property
    def copied(self) -> bool:
        return self.osc52_sent or self.native_tool is not None or self.tmux_buffer

    @property
    def confirmed(self) -> bool:
        """A native tool that exited 0, or a tmux buffer seen afterwards, is a confirmation."""
        return self.native_tool is not None or self.tmux_buffer

    def summary(self) -> str:
        ways = []
        if self.tmux_buffer:
            ways.append(
                "in tmux's buffer (checked; paste with prefix ])"
                + (
                    "; tmux also offers it to the terminal's clipboard"
                    if self.tmux_forwarded
                    else ""
                )
            )
        if self.native_tool:
            ways.append(f"with {self.native_tool}")
        if self.osc52_sent and not self.tmux_forwarded:
            ways.append(
                f"with OSC 52 via {self.multiplexer}" if self.multiplexer else "with OSC 52"
            )
        if not ways:
            return "Not copied: no clipboard available; select the value by hand"
        text = "Copied " + " and ".join(ways)
        if self.osc52_sent and not (self.native_tool or self.tmux_buffer):
            text += " (the terminal cannot confirm it arrived; paste to check)"
        return text


def osc52_for(text: str, mux: str | None, *, tmux_has_it: bool = False) -> str:
    """What to write to the terminal for `text` under the multiplexer `mux`.

    In tmux: the passthrough form (lands with `allow-passthrough on`) and, unless tmux already
    holds the value through `load-buffer`, the plain form too (tmux takes it with
    `set-clipboard on`). In screen: its chunked DCS form. Elsewhere: plain OSC 52.
    """
    if mux == "tmux":
        wrapped = osc52_sequence(text, tmux=True)
        return wrapped if tmux_has_it else osc52_sequence(text) + wrapped
    return osc52_sequence(text, screen=mux == "screen")


def copy_to_clipboard(
    text: str,
    write_terminal: Callable[[str], None] | None,
    *,
    env: Mapping[str, str] | None = None,
    runner: Runner = subprocess.run,
    which: Callable[[str], str | None] = shutil.which,
    platform: str | None = None,
    use_native: bool = True,
) -> ClipboardReport:
    """Copy every way at once (for values that are not secret, such as ids): into tmux's buffer
    when inside tmux, OSC 52 through `write_terminal` (the app's driver), and a native tool."""
    from orgtui.core.clipboard_tmux import tmux_load

    mux = detect_multiplexer(env)
    notes: list[str] = []
    sent = False
    loaded = tmux_load(text, runner=runner, which=which, env=env) if mux == "tmux" else None
    in_tmux = loaded is not None and loaded.buffer is not None
    if write_terminal is not None:
        try:
            write_terminal(osc52_for(text, mux, tmux_has_it=in_tmux))
            sent = True
        except OSError as exc:
            notes.append(f"OSC 52 write failed: {type(exc).__name__}")
    tool = (
        copy_native(text, runner, env=env, which=which, platform=platform) if use_native else None
    )
    return ClipboardReport(
        osc52_sent=sent,
        multiplexer=mux,
        native_tool=tool,
        notes=tuple(notes),
        tmux_buffer=bool(loaded and loaded.checked),
        tmux_forwarded=bool(loaded and loaded.forwarded),
    )
