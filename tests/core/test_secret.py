"""One-time secrets and clipboard sequences."""

from __future__ import annotations

import base64
import copy
import pickle
import subprocess
from typing import Any

import pytest

from orgtui.api._base import Secret
from orgtui.core.secret import (
    ClipboardReport,
    OneTimeSecret,
    SecretGone,
    clear_native,
    copy_native,
    copy_to_clipboard,
    detect_multiplexer,
    native_clipboard_tools,
    osc52_clear_sequence,
    osc52_sequence,
)

VALUE = "sk-svcacct-FAKE-not-a-real-key-0123456789abcdef"


def test_one_time_secret_hides_and_destroys() -> None:
    secret = OneTimeSecret(Secret(VALUE), label="search-indexer")
    assert secret.reveal() == VALUE
    for text in (repr(secret), str(secret), f"{secret}", f"{secret!r}", secret.masked()):
        assert VALUE not in text
        assert "0123456789abcdef" not in text
    assert secret.masked() == "sk-svcacct-••••••••cdef"
    assert not hasattr(secret, "__dict__")
    with pytest.raises(AttributeError):
        secret.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(TypeError):
        copy.deepcopy(secret)
    secret.destroy()
    assert not secret.alive
    with pytest.raises(SecretGone) as info:
        secret.reveal()
    assert VALUE not in str(info.value)
    assert secret.masked() == "(discarded)"
    assert "discarded" in repr(secret)


def test_one_time_secret_rejects_empty() -> None:
    with pytest.raises(ValueError):
        OneTimeSecret("")


def _decode_plain(seq: str) -> str:
    assert seq.startswith("\x1b]52;c;") and seq.endswith("\x07")
    return base64.b64decode(seq[len("\x1b]52;c;") : -1]).decode()


def test_osc52_plain_exact() -> None:
    assert osc52_sequence("hi") == "\x1b]52;c;aGk=\x07"
    assert _decode_plain(osc52_sequence(VALUE)) == VALUE
    assert osc52_clear_sequence() == "\x1b]52;c;\x07"


def test_osc52_tmux_exact() -> None:
    assert osc52_sequence("hi", tmux=True) == "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
    seq = osc52_sequence(VALUE, tmux=True)
    inner = seq[len("\x1bPtmux;") : -2].replace("\x1b\x1b", "\x1b")
    assert _decode_plain(inner) == VALUE


def test_osc52_screen_chunked() -> None:
    assert osc52_sequence("hi", screen=True) == "\x1bP\x1b]52;c;aGk=\x07\x1b\\"
    long_value = VALUE * 4
    seq = osc52_sequence(long_value, screen=True)
    pieces = seq.split("\x1b\\")
    assert pieces[-1] == ""
    chunks = [p.removeprefix("\x1bP") for p in pieces[:-1]]
    assert all(p.startswith("\x1bP") for p in pieces[:-1])
    # screen's form: the payload in 76-character pieces, the OSC opened in the first and
    # closed (BEL) in the last.
    payloads = [c.removeprefix("\x1b]52;c;").removesuffix("\x07") for c in chunks]
    assert all(len(c) == 76 for c in payloads[:-1]) and len(chunks) > 2
    assert chunks[0].startswith("\x1b]52;c;") and chunks[-1].endswith("\x07")
    assert _decode_plain("".join(chunks)) == long_value


def test_detect_multiplexer() -> None:
    assert detect_multiplexer({"TMUX": "/tmp/tmux-1/default,1,0"}) == "tmux"
    assert detect_multiplexer({"STY": "123.pts-0.host"}) == "screen"
    assert detect_multiplexer({}) is None


def _which(available: set[str]) -> Any:
    return lambda name: f"/usr/bin/{name}" if name in available else None


def test_native_tools() -> None:
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    tools = native_clipboard_tools(env, _which({"wl-copy", "xsel"}), platform="linux")
    assert tools == [["/usr/bin/wl-copy"], ["/usr/bin/xsel", "--clipboard", "--input"]]
    assert native_clipboard_tools({}, _which({"pbcopy"}), platform="darwin") == [
        ["/usr/bin/pbcopy"]
    ]
    assert native_clipboard_tools({}, _which({"xclip"}), platform="linux") == []


class FakeRunner:
    def __init__(self, fail: set[str] | None = None) -> None:
        self.calls: list[tuple[list[str], bytes, float]] = []
        self.fail = fail or set()

    def __call__(self, argv: list[str], *, input: bytes, timeout: float, **kw: Any) -> None:  # noqa: A002
        self.calls.append((argv, input, timeout))
        if any(argv[0].endswith(name) for name in self.fail):
            raise subprocess.CalledProcessError(1, argv)


def test_copy_native_uses_stdin_only_and_falls_back() -> None:
    runner = FakeRunner(fail={"xclip"})
    env = {"DISPLAY": ":0"}
    tool = copy_native(VALUE, runner, env=env, which=_which({"xclip", "xsel"}), platform="linux")
    assert tool == "xsel"
    for argv, data, timeout in runner.calls:
        assert all(VALUE not in arg for arg in argv)
        assert data == VALUE.encode()
        assert timeout == 2.0
    assert clear_native(tool, runner, env=env, which=_which({"xclip", "xsel"}), platform="linux")
    assert runner.calls[-1][1] == b""
    assert copy_native(VALUE, runner, env={}, which=_which(set()), platform="linux") is None
    assert not clear_native(None, runner)


def test_copy_native_timeout() -> None:
    def runner(argv: list[str], **kw: Any) -> None:
        raise subprocess.TimeoutExpired(argv, 2)

    assert (
        copy_native(VALUE, runner, env={"DISPLAY": ":0"}, which=_which({"xclip"}), platform="linux")
        is None
    )


def test_copy_to_clipboard_report() -> None:
    written: list[str] = []
    report = copy_to_clipboard(
        VALUE,
        written.append,
        env={"TMUX": "x"},
        runner=FakeRunner(),
        which=_which(set()),
        platform="linux",
    )
    # No tmux binary to hand it to: the plain form (set-clipboard on) and the wrapped one.
    assert written == [osc52_sequence(VALUE) + osc52_sequence(VALUE, tmux=True)]
    assert report == ClipboardReport(
        osc52_sent=True, multiplexer="tmux", native_tool=None, notes=report.notes
    )
    assert report.copied and not report.confirmed
    assert "cannot confirm" in report.summary()
    assert VALUE not in repr(report)
    report2 = copy_to_clipboard(
        VALUE,
        None,
        env={"DISPLAY": ":0"},
        runner=FakeRunner(),
        which=_which({"xclip"}),
        platform="linux",
    )
    assert report2.confirmed and report2.summary() == "Copied with xclip"
    nothing = ClipboardReport(osc52_sent=False)
    assert not nothing.copied and nothing.summary().startswith("Not copied")


def test_report_says_what_tmux_did() -> None:
    held = ClipboardReport(
        osc52_sent=True, multiplexer="tmux", tmux_buffer=True, tmux_forwarded=True
    )
    assert held.confirmed and held.summary().startswith("Copied in tmux's buffer (checked")
    assert "allow-passthrough" not in held.summary() and "cannot confirm" not in held.summary()
    unchecked = ClipboardReport(osc52_sent=True, multiplexer="tmux")
    assert not unchecked.confirmed and "cannot confirm" in unchecked.summary()
    assert "tmux's buffer" not in unchecked.summary()
