"""Run `python -m orgtui` in a real pseudo-terminal and talk to it like a person would.

The child gets the pty's slave side as stdin/stdout/stderr and its own session, the window
size is set with TIOCSWINSZ (and COLUMNS/LINES for good measure), and the master side is read
continuously so the child never blocks on a full pty buffer. Everything the console wrote is
kept (`output`), escape sequences included, so tests can look for what must or must not reach
the terminal.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Variables of the developer's terminal that would change what the console does.
_DROP = (
    "TMUX",
    "TMUX_PANE",
    "STY",
    "NO_COLOR",
    "COLORTERM",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "TERM_PROGRAM",
    "TEXTUAL",
    "PYTEST_CURRENT_TEST",
)


def console_env(
    term: str, cols: int, rows: int, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """os.environ (with the tests' ORGTUI_* dirs) minus terminal hints, plus TERM and size."""
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(TERM=term, COLUMNS=str(cols), LINES=str(rows), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.update(extra or {})
    return env


class PtyConsole:
    """One console process on its own pty. Use as a context manager (kills it if still alive)."""

    def __init__(
        self,
        args: list[str],
        env: Mapping[str, str],
        cols: int = 80,
        rows: int = 24,
    ) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "orgtui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            cwd=REPO,
            start_new_session=True,  # the pty becomes its controlling terminal
            close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()

    def __enter__(self) -> PtyConsole:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ io

    def _pump(self, timeout: float) -> bool:
        """Read what is there (waiting up to `timeout`); False once the pty is closed."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed its side
            return False
        if not chunk:
            return False
        self.output.extend(chunk)
        return True

    def expect(self, needle: bytes, timeout: float = 60.0, *, start: int = 0) -> bool:
        """Read until `needle` appears in the output after offset `start`."""
        deadline = time.monotonic() + timeout
        while needle not in self.output[start:]:
            if time.monotonic() > deadline or not self._pump(0.1):
                return needle in self.output[start:]
        return True

    def settle(self, quiet: float = 0.5, timeout: float = 10.0) -> None:
        """Read until the console has been quiet for `quiet` seconds (it finished drawing)."""
        deadline = time.monotonic() + timeout
        last = len(self.output)
        calm_since = time.monotonic()
        while time.monotonic() < deadline:
            if not self._pump(0.05):
                return
            if len(self.output) != last:
                last, calm_since = len(self.output), time.monotonic()
            elif time.monotonic() - calm_since >= quiet:
                return

    def send(self, data: bytes, pause: float = 0.3) -> None:
        os.write(self.master, data)
        self.settle(quiet=pause, timeout=max(pause * 4, 2.0))

    def wait(self, timeout: float = 60.0) -> int | None:
        """Wait for the process to exit, reading its output meanwhile; None if it did not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                while self._pump(0.05) and len(select.select([self.master], [], [], 0)[0]):
                    pass
                return self.proc.returncode
            self._pump(0.1)
        return None

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only what we started
            self.proc.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")
