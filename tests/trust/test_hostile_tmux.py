"""A real tmux: a project named with OSC 52 (clipboard) and OSC 0 (title) sequences, opened
in the rename dialog, must neither fill tmux's paste buffers nor retitle the pane.

tmux runs on its own socket (`tmux -S <tmp> -f /dev/null`), with `set-clipboard on` so that it
would store an OSC 52 from the console in a buffer if one ever got through.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pty_harness import REPO, console_env

from tests.pilot_support import WaitTimeout, poll_until

HOSTILE_NAME = "zz-osc52\x1b]52;c;UFdORUQtQ0xJUA==\x07 \x1b]0;PWNED-TITLE\x07 end"


def _wait(condition: Callable[[], object], timeout: float = 90.0) -> bool:
    """`pilot_support.poll_until`; False when it runs out (the caller's assert names what)."""
    try:
        poll_until(condition, "a condition", timeout=timeout)
    except WaitTimeout:
        return False
    return True


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_rename_dialog_on_a_hostile_name_leaves_clipboard_and_title_alone(
    tmp_path: Path,
) -> None:
    from orgtui import paths
    from orgtui.sandbox.hostile import create_hostile_app

    db = paths.sandbox_data_dir() / "demo.sqlite3"  # the demo reuses an existing database
    sandbox = create_hostile_app(db)
    store = sandbox.state.sandbox.store
    store.set_fields("projects", sandbox.state.hostile.project_id, name=HOSTILE_NAME)
    store.close()

    sock = str(tmp_path / "tmux.sock")
    env = console_env("xterm-256color", 120, 40)
    wanted = {
        k: v
        for k, v in env.items()
        if k.startswith(("ORGTUI_", "PATH", "LANG", "LC_", "HOME", "TERM", "PYTHON"))
    }
    exports = " ".join(shlex.quote(f"{k}={v}") for k, v in sorted(wanted.items()))
    command = f"cd {shlex.quote(str(REPO))} && env {exports} {sys.executable} -m orgtui --demo"

    def tmux(*args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", sock, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        return done.stdout

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", "hostile")

    try:
        tmux("new-session", "-d", "-s", "hostile", "-x", "120", "-y", "40", "cat")
        tmux("set-option", "-t", "hostile", "remain-on-exit", "on")
        tmux("set-option", "-s", "set-clipboard", "on")
        tmux("set-option", "-g", "allow-rename", "on")
        tmux("select-pane", "-t", "hostile", "-T", "before")
        tmux("respawn-pane", "-k", "-t", "hostile", command)
        assert _wait(lambda: "Acme Robotics" in screen()), screen()
        title = tmux("display", "-p", "-t", "hostile", "#{pane_title}")
        assert _wait(lambda: "updated" in screen()), screen()  # the first refresh is done

        tmux("send-keys", "-t", "hostile", "-l", ":")
        assert _wait(lambda: "Jump to a project" in screen()), screen()
        tmux("send-keys", "-t", "hostile", "-l", "zz-osc52")
        assert _wait(lambda: "zz-osc52␛]52;c;" in screen()), screen()
        tmux("send-keys", "-t", "hostile", "Enter")
        assert _wait(lambda: "Jump to a project" not in screen()), screen()
        tmux("send-keys", "-t", "hostile", "e")
        assert _wait(lambda: "New name" in screen() and "control characters" in screen())
        shown = screen()
        assert "zz-osc52␛]52;c;UFdORUQtQ0xJUA==␇" in shown, shown  # drawn literally
        # Redraws while the dialog is up: closed and opened again, it draws the name afresh.
        tmux("send-keys", "-t", "hostile", "Escape")
        assert _wait(lambda: "New name" not in screen()), screen()
        tmux("send-keys", "-t", "hostile", "e")
        assert _wait(lambda: "New name" in screen() and "TITLE␇ end" in screen()), screen()
        assert tmux("list-buffers") == ""
        assert tmux("display", "-p", "-t", "hostile", "#{pane_title}") == title
        assert "PWNED-TITLE" not in title
        tmux("send-keys", "-t", "hostile", "Escape")
        assert _wait(lambda: "New name" not in screen()), screen()
        tmux("send-keys", "-t", "hostile", "q")
        assert _wait(lambda: "Acme Robotics" not in screen(), 60)
        assert tmux("list-buffers") == ""
        assert "Traceback" not in tmux("capture-pane", "-p", "-S", "-", "-t", "hostile")
    finally:
        tmux("kill-server")  # only the server on our own socket
