"""The copy-once dialog on its own, in a tiny host app."""

from __future__ import annotations

import base64
import re
import subprocess
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from orgtui.core.secret import OneTimeSecret
from orgtui.ui.features.keys.copy_once import ClipboardIO, CopyOnceScreen, KeyFacts, SecretArea
from tests.pilot_support import wait_until

FAKE = "sk-svcacct-SANDBOX-FAKE-" + "0123456789abcdef" * 6
OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


class Capture:
    """Stands in for the terminal and the native clipboard tools."""

    def __init__(self, tools: dict[str, str] | None = None, fail: bool = False) -> None:
        self.written: list[str] = []
        self.runs: list[tuple[list[str], bytes]] = []
        self.tools = tools or {}
        self.fail = fail
        self.buffers: dict[str, bytes] = {}

    def io(self, env: dict[str, str] | None = None) -> ClipboardIO:
        return ClipboardIO(
            writer_for=lambda app: self.written.append,
            env=env or {},
            runner=self.run,
            which=self.tools.get,
            use_native=True,
        )

    def run(self, argv: list[str], *, input: bytes, **kw: Any) -> Any:
        if self.fail:
            raise OSError("no display")
        self.runs.append((argv, input))
        if argv[0].endswith("tmux"):  # a tmux that keeps its buffers in `self.buffers`
            if argv[1] == "load-buffer":
                self.buffers[argv[-2]] = input
            elif argv[1] == "delete-buffer":
                self.buffers.pop(argv[-1], None)
            listing = "".join(f"{k} {len(v)}\n" for k, v in self.buffers.items())
            return subprocess.CompletedProcess(argv, 0, listing.encode(), b"")
        return None

    def decoded(self) -> list[str]:
        out = []
        for chunk in self.written:
            # tmux doubles inner ESCs; screen splits the sequence into DCS pieces.
            flat = chunk.replace("\x1b\x1b", "\x1b")
            flat = re.sub(r"\x1bP(?:tmux;)?|\x1b\\", "", flat)
            out.extend(base64.b64decode(m).decode() for m in OSC52.findall(flat))
        return out


class Host(App[None]):
    # The console's own key handling: space presses the focused button, as enter does.
    from orgtui.ui.app import OrgTuiApp

    on_key = OrgTuiApp.on_key
    del OrgTuiApp

    def __init__(self, screen: CopyOnceScreen) -> None:
        super().__init__()
        self.dialog = screen
        self.result: list[bool | None] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.result.append)


def make(capture: Capture, env: dict[str, str] | None = None, **kw: Any) -> CopyOnceScreen:
    facts = KeyFacts(
        title="New project key",
        key_id="key_abc123",
        key_name="robotics-ingest",
        project="Robotics",
        account="robotics-ingest",
    )
    return CopyOnceScreen(OneTimeSecret(FAKE, label="test"), facts, io=capture.io(env), **kw)


async def test_shows_value_and_facts() -> None:
    cap = Capture()
    dialog = make(cap)
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert dialog.query_one(SecretArea).text == FAKE
        shown = " ".join(str(s.render()) for s in dialog.query(Static))
        assert "key_abc123" in shown and "Robotics" in shown
        assert "only time" in shown


async def test_copy_emits_plain_osc52() -> None:
    cap = Capture()
    dialog = make(cap)
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert cap.written == [f"\x1b]52;c;{base64.b64encode(FAKE.encode()).decode()}\x07"]
        status = str(dialog.query_one("#status", Static).render())
        assert "OSC 52" in status and "cannot confirm" in status


async def test_copy_without_a_tmux_binary_sends_both_forms() -> None:
    cap = Capture()
    dialog = make(cap, env={"TMUX": "/tmp/tmux-1000/default,1,0"})
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        wrapped, plain = cap.written
        assert wrapped.startswith("\x1bPtmux;\x1b\x1b]52;c;") and wrapped.endswith("\x1b\\")
        # The plain form is what tmux takes with `set-clipboard on`.
        assert plain.startswith("\x1b]52;c;")
        assert cap.decoded() == [FAKE, FAKE]
        status = str(dialog.query_one("#status", Static).render())
        assert "tmux" in status and "allow-passthrough" not in status
        await pilot.press("y")
        await pilot.pause()
        assert cap.written[-1] == "\x1b]52;c;\x07" + "\x1bPtmux;\x1b\x1b]52;c;\x07\x1b\\"


async def test_copy_hands_the_value_to_tmux_and_deletes_its_buffer() -> None:
    cap = Capture(tools={"tmux": "/usr/bin/tmux"})
    dialog = make(cap, env={"TMUX": "/tmp/tmux-1000/default,1,0"})
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        ((argv, data),) = [run for run in cap.runs if run[0][1] == "load-buffer"]
        assert argv[1:3] == ["load-buffer", "-w"] and argv[-1] == "-"
        assert data == FAKE.encode() and not any(FAKE in part for part in argv)
        assert list(cap.buffers.values()) == [FAKE.encode()]
        status = str(dialog.query_one("#status", Static).render())
        assert "in tmux's buffer (checked" in status
        assert len(cap.written) == 1  # the wrapped form only: no second tmux buffer
        await pilot.press("y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        for _ in range(50):
            if not cap.buffers:
                break
            await pilot.pause(0.05)
        assert cap.buffers == {}


async def test_copy_wraps_for_screen() -> None:
    cap = Capture()
    dialog = make(cap, env={"STY": "1234.pts-0.host"})
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        (seq,) = cap.written
        assert seq.startswith("\x1bP\x1b]52;c;") and seq.endswith("\x07\x1b\\")
        assert cap.decoded() == [FAKE]


async def test_native_tool_used_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    cap = Capture(tools={"xclip": "/usr/bin/xclip"})
    dialog = make(cap, env={"DISPLAY": ":0"})
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert cap.runs and cap.runs[0][1] == FAKE.encode()
        assert "-in" in cap.runs[0][0]  # the value goes on stdin, never in argv
        status = str(dialog.query_one("#status", Static).render())
        assert "xclip" in status
        await pilot.press("y")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        # Closing overwrote the native clipboard with nothing.
        await wait_until(pilot, lambda: cap.runs[-1][1] == b"", "the clipboard to be emptied")


async def test_native_tool_failing_falls_back_to_osc52() -> None:
    cap = Capture(tools={"xclip": "/usr/bin/xclip"}, fail=True)
    dialog = make(cap, env={"DISPLAY": ":0"})
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        status = str(dialog.query_one("#status", Static).render())
        assert "xclip" not in status and "OSC 52" in status


async def test_reveal_toggle_masks_value() -> None:
    cap = Capture()
    dialog = make(cap)
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        area = dialog.query_one(SecretArea)
        assert FAKE not in area.text and area.text.endswith(FAKE[-4:])
        # Copy still copies the real value while hidden.
        await pilot.press("c")
        assert cap.decoded() == [FAKE]
        await pilot.press("v")
        await pilot.pause()
        assert area.text == FAKE


async def test_stored_closes_and_destroys() -> None:
    cap = Capture()
    dialog = make(cap)
    host = Host(dialog)
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        host.copy_to_clipboard(FAKE)  # as Textual's own selection copy would have done
        cap.written.clear()
        await pilot.press("enter")  # the key that submitted the form does not close it
        await pilot.pause()
        assert host.screen is dialog
        await pilot.press("y")
        await pilot.pause()
        assert host.result == [True]
        assert host.screen is not dialog
        assert not dialog.secret_alive
        assert host.clipboard == ""
        # The terminal clipboard was overwritten with an empty OSC 52.
        assert cap.written == ["\x1b]52;c;\x07"]


async def test_selection_copy_goes_through_wrapped_osc52() -> None:
    cap = Capture()
    dialog = make(cap, env={"TMUX": "x"})
    async with Host(dialog).run_test(size=(80, 24)) as pilot:
        area = dialog.query_one(SecretArea)
        area.select_all()
        await pilot.press("ctrl+c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert set(cap.decoded()) == {FAKE}
        assert cap.written[0].startswith("\x1bPtmux;")


async def test_escape_asks_before_closing() -> None:
    cap = Capture()
    dialog = make(cap)
    host = Host(dialog)
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert host.screen is not dialog  # the confirmation is on top
        body = " ".join(str(s.render()) for s in host.screen.query(Static))
        assert "cannot be shown again" in body
        await pilot.press("enter")  # Cancel is focused
        await pilot.pause()
        assert host.screen is dialog and dialog.secret_alive
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab")  # move from Cancel to the confirm button
        await pilot.press("enter")
        await pilot.pause()
        assert host.result == [False]
        assert not dialog.secret_alive


async def test_q_does_not_quit_past_the_dialog() -> None:
    cap = Capture()
    dialog = make(cap)
    host = Host(dialog)
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert host.is_running
        assert dialog.secret_alive


@pytest.mark.parametrize("how", ["enter", "space", "click"])
async def test_buttons_work_by_enter_space_and_click(how: str) -> None:
    cap = Capture()
    dialog = make(cap)
    host = Host(dialog)
    async with host.run_test(size=(100, 30)) as pilot:
        for button_id in ("copy", "reveal"):
            before = (len(cap.written), dialog.revealed)
            if how == "click":
                await pilot.click(f"#{button_id}")
            else:
                dialog.query_one(f"#{button_id}").focus()
                await pilot.press(how)
            await pilot.pause()
            assert (len(cap.written), dialog.revealed) != before, button_id
        if how == "click":
            await pilot.click("#stored")
        else:
            dialog.query_one("#stored").focus()
            await pilot.press(how)
        await pilot.pause()
        assert host.result == [True] and not dialog.secret_alive
