"""The copy-once dialog's `c` inside a real tmux server: the value lands in tmux's paste buffer,
and `y` (I have stored it) leaves it nowhere.

Our own tmux server (its own socket, `-f /dev/null`: no user config), `set-clipboard on` as
most tmux guides say, the console in its pane with an isolated HOME and ORGTUI_* dirs under it.
Waits poll tmux (what the user would look at), with generous timeouts; nothing is timed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pty_harness import REPO, console_env

from tests.pilot_support import WaitTimeout, poll_until

TIMEOUT = 90.0

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (.ci/run installs it: in CI this test never skips)",
)


def _wait(condition: Callable[[], bool], timeout: float = TIMEOUT) -> bool:
    """`pilot_support.poll_until`; False when it runs out (the caller's assert names what)."""
    try:
        poll_until(condition, "a condition", timeout=timeout)
    except WaitTimeout:
        return False
    return True


def _files_holding(root: Path, value: bytes) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                if value in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def _secret_from(pane: str) -> str:
    """The key value as the dialog draws it (soft-wrapped over lines at the dialog's width)."""
    lines = pane.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("sk-"))
    value = ""
    for line in lines[start:]:
        part = line.strip()
        if not part or " " in part or part.startswith(("▔", "▁", "─", "━")):
            break
        value += part
    return value


def test_copy_lands_in_tmux_buffer_and_y_removes_it(tmp_path: Path) -> None:
    socket = f"orgtui-clip-{os.getpid()}"
    home = tmp_path / "home"
    home.mkdir()
    dirs = {
        f"ORGTUI_{kind}_DIR": str(home / kind.lower())
        for kind in ("CONFIG", "CACHE", "DATA", "STATE")
    }
    env = console_env("xterm-256color", 100, 40, {"HOME": str(home), **dirs})
    wanted = {
        k: v
        for k, v in env.items()
        if k.startswith(("ORGTUI_", "PATH", "LANG", "LC_", "HOME", "TERM", "PYTHON"))
    }
    exports = " ".join(shlex.quote(f"{k}={v}") for k, v in sorted(wanted.items()))
    command = f"cd {shlex.quote(str(REPO))} && env {exports} {sys.executable} -m orgtui --demo"

    def tmux(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env={k: v for k, v in env.items() if k not in ("TMUX", "TMUX_PANE")},
        )

    def pane() -> str:
        return tmux("capture-pane", "-p", "-t", "clip").stdout

    def keys(*names: str) -> None:
        for name in names:
            tmux("send-keys", "-t", "clip", name)

    socket_path = ""
    try:
        started = tmux(
            "new-session", "-d", "-s", "clip", "-x", "100", "-y", "40", command,
            ";", "set-option", "-g", "set-clipboard", "on",
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        socket_path = tmux("display", "-p", "#{socket_path}").stdout.strip()
        # The first refresh has answered (the header says when): the tree is settled.
        assert _wait(lambda: "updated" in pane().splitlines()[0]), pane()
        assert tmux("list-buffers").stdout == ""
        keys("j", "j")  # the Default project
        assert _wait(lambda: "Default project  proj_" in pane()), pane()
        keys("n")
        assert _wait(lambda: "New project key" in pane()), pane()
        keys("Enter")  # the suggested name
        assert _wait(lambda: "copy it now" in pane() or "only time" in pane()), pane()
        value = _secret_from(pane())
        assert value.startswith("sk-") and len(value) > 20, pane()

        keys("c")
        assert _wait(lambda: "in tmux's buffer" in pane()), pane()
        assert tmux("show-buffer").stdout == value  # what prefix-] would paste

        keys("y")
        assert _wait(lambda: tmux("list-buffers").stdout == ""), tmux("list-buffers").stdout
        assert _wait(lambda: "Key created" in pane() or "only time" not in pane()), pane()
        keys("q")
        assert _wait(lambda: tmux("has-session", "-t", "clip").returncode != 0 or "$" in pane())
        assert _files_holding(home, value.encode()) == []
        assert _files_holding(tmp_path, value.encode()) == []
    finally:
        tmux("kill-server")  # only the server on our own socket
        if socket_path.endswith(socket):
            Path(socket_path).unlink(missing_ok=True)
