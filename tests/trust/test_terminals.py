"""The console in real terminals: a pseudo-terminal per case, and one real tmux session.

Each case starts `python -m orgtui --demo` (its ORGTUI_* dirs are the test's tmp dirs), waits
for the organisation name, moves down the tree twice (`j j`), opens the project (`enter`) and
quits (`q`): exit code 0, no traceback. Under tmux and screen (`$TMUX`, `$STY`) it also creates a
key and presses `c` in the copy-once dialog: the OSC 52 sequence must come out wrapped for the
multiplexer. Generous timeouts, no timing assertions: the machine may be busy.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pty_harness import REPO, PtyConsole, console_env

from tests.pilot_support import WaitTimeout, poll_until

ORG = b"Acme Robotics"
# The first project of the demo: once it is in the tree, the keys below have rows to move over
# (a cold start draws the organisation first and its projects when the first refresh lands).
FIRST_PROJECT = b"Default project"
START_TIMEOUT = 90.0
COLOURS = re.compile(rb"[34]8;5;(\d+)|[34]8;2;(\d+);(\d+);(\d+)")
# The 256-colour palette's greys: the cube's diagonal and the grey ramp.
GREYS = {16, 59, 102, 145, 188, 231, *range(232, 256)}


def _colours(output: bytes) -> tuple[set[int], set[tuple[int, int, int]]]:
    indexed: set[int] = set()
    rgb: set[tuple[int, int, int]] = set()
    for match in COLOURS.finditer(output):
        if match.group(1):
            indexed.add(int(match.group(1)))
        else:
            rgb.add((int(match.group(2)), int(match.group(3)), int(match.group(4))))
    return indexed, rgb


def _navigate_and_quit(console: PtyConsole) -> None:
    assert console.expect(ORG, START_TIMEOUT), console.text[-2000:]
    assert console.expect(FIRST_PROJECT, START_TIMEOUT), console.text[-2000:]
    console.settle()
    mark = len(console.output)
    for key in (b"j", b"j", b"\r"):
        console.send(key)
    # The project's detail (its Keys tab) was drawn after the keys were pressed.
    assert console.expect(b"Keys", 30, start=mark), console.text[-2000:]
    console.send(b"q")


@pytest.mark.parametrize(
    ("term", "extra", "size"),
    [
        ("xterm-256color", {}, (80, 24)),
        ("xterm-256color", {"NO_COLOR": "1"}, (80, 24)),
        ("xterm", {}, (100, 30)),
        ("linux", {}, (80, 25)),
    ],
    ids=["256-colours-80x24", "NO_COLOR", "TERM=xterm", "TERM=linux"],
)
def test_starts_navigates_and_quits(
    term: str, extra: dict[str, str], size: tuple[int, int]
) -> None:
    cols, rows = size
    with PtyConsole(["--demo"], console_env(term, cols, rows, extra), cols, rows) as console:
        _navigate_and_quit(console)
        code = console.wait(60)
    assert code == 0, console.text[-2000:]
    assert b"Traceback" not in console.output
    # The terminal is given back: alternate screen left, cursor shown again.
    assert b"\x1b[?1049l" in console.output and b"\x1b[?25h" in console.output
    indexed, rgb = _colours(bytes(console.output))
    if "NO_COLOR" in extra:  # monochrome: nothing but greys
        assert indexed <= GREYS and all(r == g == b for r, g, b in rgb), (indexed, rgb)
    elif term == "xterm-256color":
        assert indexed - GREYS, "a 256-colour terminal should get colours"


@pytest.mark.parametrize(
    ("env", "term", "wrapped"),
    [
        (
            {"TMUX": "/nonexistent/orgtui-tmux,4242,0", "TMUX_PANE": "%0"},
            "tmux-256color",
            b"\x1bPtmux;\x1b\x1b]52;c;",
        ),
        ({"STY": "4242.pts-0.trust"}, "screen-256color", b"\x1bP\x1b]52;c;"),
    ],
    ids=["tmux", "screen"],
)
def test_copy_once_is_wrapped_for_the_multiplexer(
    env: dict[str, str], term: str, wrapped: bytes
) -> None:
    with PtyConsole(["--demo"], console_env(term, 100, 30, env), 100, 30) as console:
        assert console.expect(ORG, START_TIMEOUT), console.text[-2000:]
        # The first refresh has drawn the projects (the header says when it updated): j j
        # lands on one, not on what an empty tree has in their place.
        assert console.expect(b"updated", START_TIMEOUT), console.text[-2000:]
        assert console.expect(FIRST_PROJECT, START_TIMEOUT), console.text[-2000:]
        console.settle()
        for key in (b"j", b"j"):  # the Default project
            console.send(key)
        mark = len(console.output)
        console.send(b"n")
        assert console.expect(b"New project key", 30, start=mark), console.text[-3000:]
        console.send(b"\r")  # the suggested name
        assert console.expect(b"copy it now", 60, start=mark), console.text[-3000:]
        mark = len(console.output)
        console.send(b"c")
        assert console.expect(wrapped, 30, start=mark), bytes(console.output[mark:])[:500]
        console.send(b"y")
        console.send(b"q")
        code = console.wait(60)
    assert code == 0, console.text[-2000:]
    assert b"Traceback" not in console.output
    assert b"\x1b]52;c;\x07" in console.output.replace(b"\x1b\x1b", b"\x1b")  # wiped after


def _tmux(socket: str, *args: str) -> str:
    done = subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_inside_a_real_tmux_session(tmp_path: Path) -> None:
    socket = f"orgtui-test-{os.getpid()}"  # our own server: never the user's default one
    env = console_env("xterm-256color", 80, 24)
    rc_file = tmp_path / "exit-code"
    command = (
        f"cd {shlex.quote(str(REPO))} && env {_quoted(env)} {sys.executable} -m orgtui --demo;"
        f" echo $? > {shlex.quote(str(rc_file))}"
    )
    socket_path = ""
    try:
        subprocess.run(
            [
                "tmux",
                "-L",
                socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "trust",
                "-x",
                "80",
                "-y",
                "24",
                command,
                ";",
                "set-option",
                "-t",
                "trust",
                "remain-on-exit",
                "on",
            ],
            env=env,
            check=True,
            timeout=30,
        )
        socket_path = _tmux(socket, "display", "-p", "#{socket_path}").strip()
        assert _wait(lambda: "Acme Robotics" in _tmux(socket, "capture-pane", "-p", "-t", "trust"))
        # The first refresh has drawn the projects: j j lands on one, not on what an empty
        # tree has in their place.
        assert _wait(lambda: "updated" in _tmux(socket, "capture-pane", "-p", "-t", "trust"))
        for key in ("j", "j", "Enter"):
            _tmux(socket, "send-keys", "-t", "trust", key)
        assert _wait(lambda: "Keys" in _tmux(socket, "capture-pane", "-p", "-t", "trust"))
        screen = _tmux(socket, "capture-pane", "-p", "-t", "trust")
        assert len(screen.splitlines()) <= 24 and "Traceback" not in screen
        _tmux(socket, "send-keys", "-t", "trust", "q")
        # The shell around the console writes its exit code (tmux's own pane_dead_status is
        # not always filled in by tmux 3.3).
        assert _wait(lambda: rc_file.exists() and rc_file.read_text().strip() != "")
        assert rc_file.read_text().strip() == "0"
        assert "Traceback" not in _tmux(socket, "capture-pane", "-p", "-S", "-", "-t", "trust")
    finally:
        _tmux(socket, "kill-server")  # only the server on our socket
        if socket_path.endswith(socket):
            Path(socket_path).unlink(missing_ok=True)  # tmux 3.3 leaves it behind


@pytest.mark.skipif(
    shutil.which("screen") is None,
    reason="GNU screen is not installed here; the $STY wrapping is tested in a pty above",
)
def test_inside_a_real_screen_session(tmp_path: Path) -> None:
    session = f"orgtui-test-{os.getpid()}"  # our own session name, quit at the end
    env = console_env("screen", 80, 24)
    rc_file, shot = tmp_path / "exit-code", tmp_path / "hardcopy"
    command = (
        f"cd {shlex.quote(str(REPO))} && env {_quoted(env)} {sys.executable} -m orgtui --demo;"
        f" echo $? > {shlex.quote(str(rc_file))}"
    )

    def screen(*args: str) -> None:
        subprocess.run(["screen", "-S", session, "-p", "0", "-X", *args], timeout=30, check=False)

    def capture() -> str:
        screen("hardcopy", str(shot))
        return shot.read_text(errors="replace") if shot.exists() else ""

    try:
        subprocess.run(["screen", "-dmS", session, "sh", "-c", command], env=env, check=True)
        assert _wait(lambda: "Acme Robotics" in capture())
        # The first refresh has drawn the projects: j j lands on one, not on what an empty
        # tree has in their place.
        assert _wait(lambda: "updated" in capture() and "Default project" in capture())
        for key in ("j", "j", "\r"):
            screen("stuff", key)
        assert _wait(lambda: "Keys" in capture())
        screen("stuff", "q")
        assert _wait(lambda: rc_file.exists() and rc_file.read_text().strip() != "")
        assert rc_file.read_text().strip() == "0"
    finally:
        screen("quit")


def _quoted(env: dict[str, str]) -> str:
    wanted = {
        k: v
        for k, v in env.items()
        if k.startswith(("ORGTUI_", "PATH", "LANG", "LC_", "HOME", "TERM", "PYTHON"))
    }
    return " ".join(shlex.quote(f"{k}={v}") for k, v in sorted(wanted.items()))


def _wait(condition: Callable[[], object], timeout: float = START_TIMEOUT) -> bool:
    """`pilot_support.poll_until`; False when it runs out (the caller's assert names what)."""
    try:
        poll_until(condition, "a condition", timeout=timeout)
    except WaitTimeout:
        return False
    return True
