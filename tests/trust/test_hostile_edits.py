"""Hostile names in edit fields: a pre-filled input never sends the data's escapes.

Every hostile string of the trust suite (`orgtui.sandbox.hostile`) is planted in every field
the console pre-fills from API text (project name, service-account name, alert subject prefix
and recipients, invite email) and each edit dialog is opened. The bytes the app hands its
driver (the headless driver made to write, as a terminal's would) must hold no sequence from
the data. The field shows the value with visible placeholders, says so, and keeps the
original when left untouched.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from textual.screen import Screen
from trust_support import build_rig, settle, synced, text_of, until, wait_for_screen

from orgtui.core import actions as A
from orgtui.core.untrusted import has_controls, placeholder
from orgtui.sandbox.hostile import HOSTILE_EMAILS, HOSTILE_STRINGS
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.widgets.form import LabelledInput

HOSTILE = [*HOSTILE_STRINGS.values(), *HOSTILE_EMAILS]
WITH_CONTROLS = [value for value in HOSTILE if has_controls(value)]


def hidden_sequences(value: str) -> list[bytes]:
    """Each control character of `value` with three neighbours each side, as the terminal would
    get it raw (the neighbours tell the data's sequences from the app's own)."""
    out = []
    for index, ch in enumerate(value):
        if placeholder(ch) is not None and ord(ch) < 0xA0:
            start = max(0, min(index - 3, len(value) - 7))
            out.append(value[start : start + 7].encode("utf-8", "surrogatepass"))
    return out


def record_terminal(app: Any) -> list[str]:
    """What the app would write to a terminal's driver: the same rendering `App._display`
    hands `driver.write` (the headless driver itself writes nothing)."""
    from textual._compositor import CompositorUpdate

    out: list[str] = []
    display = app._display

    def _display(screen: Any, renderable: Any) -> None:
        if isinstance(renderable, CompositorUpdate):
            out.append(renderable.render_segments(app.console))
        elif renderable is not None:
            out.append(app.console._render_buffer(app.console.render(renderable)))
        display(screen, renderable)

    app._display = _display
    return out


def _dialogs(app: Any, value: str) -> list[tuple[str, Screen[Any], str]]:
    """(what, the edit dialog with `value` pre-filled, the LabelledInput's id)."""
    from orgtui.ui.features.keys.create import MintKeyScreen
    from orgtui.ui.features.members.invite_form import InviteScreen
    from orgtui.ui.features.projects.actions import RenameProjectForm
    from orgtui.ui.features.spend.limits_edit import AlertForm

    channel = SimpleNamespace(recipients=[value], subject_prefix=value)
    alert = SimpleNamespace(threshold_amount=50_000, notification_channel=channel)
    return [
        ("project name", RenameProjectForm(value), "#name"),
        ("service-account name", MintKeyScreen(value, value, today="20261118"), "#name"),
        ("alert subject prefix", AlertForm(value, alert), "#prefix"),
        ("alert recipients", AlertForm(value, alert), "#recipients"),
        (
            "invite email",
            InviteScreen(lambda: app.session.snapshot, emails=value),
            "#invite-emails",
        ),
    ]


async def test_no_sequence_from_the_data_reaches_the_driver() -> None:
    rig = build_rig(hostile=True)
    app = rig.app
    written = record_terminal(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await synced(pilot)
        written.clear()
        opened = 0
        drawn = b""
        for value in HOSTILE:
            for what, dialog, field_id in _dialogs(app, value):
                await app.push_screen(dialog)
                await pilot.pause()
                field = dialog.query_one(field_id, LabelledInput)
                field.input.cursor_blink = False
                if what != "service-account name":  # its key name is a slug of the name
                    shown = field.input.value
                    assert not has_controls(shown), (what, shown)
                    assert (shown == value) != has_controls(value), what
                out = "".join(written).encode("utf-8", "surrogatepass")
                written.clear()
                drawn += out if b"\xe2\x90\x9b]52;c" in out else b""
                for raw in hidden_sequences(value):
                    assert raw not in out, f"{raw!r} from the {what} reached the terminal"
                opened += 1
                await pilot.press("escape")
        # Opened through the real action too: `e` on the hostile project.
        org = rig.hostile
        ctx = ActionContext(scope=A.PROJECT, project_id=org.project_id)
        from orgtui.ui.features.projects.actions import RenameProjectForm

        worker = app.start_action("project.rename", ctx)
        form = await wait_for_screen(pilot, RenameProjectForm)
        assert "␛]52;c;ZXZpbA==␇" in form.query_one("#name", LabelledInput).input.value
        await pilot.press("escape")
        assert await until(pilot, lambda: worker.is_finished)
    out = drawn + "".join(written).encode("utf-8", "surrogatepass")
    assert "␛]52;c;ZXZpbA==␇".encode() in out  # drawn, literally
    assert b"\x1b]52;" not in out and b"\x1b]0;" not in out and b"\x1b[2J" not in out
    assert opened == len(HOSTILE) * 5


async def test_an_untouched_field_keeps_the_original_and_says_so() -> None:
    from orgtui.ui.features.projects.actions import RenameProjectForm
    from orgtui.ui.features.spend.limits_edit import AlertForm

    rig = build_rig(hostile=True)
    app = rig.app
    value = HOSTILE_STRINGS["osc52"]
    async with app.run_test(size=(120, 40)) as pilot:
        await synced(pilot)
        form = RenameProjectForm(value)
        await app.push_screen(form)
        await settle(pilot)
        field = form.query_one("#name", LabelledInput)
        warning = " ".join(text_of(w) for w in form.query(".form-controls"))
        assert "control characters" in warning and "original is kept" in warning
        assert field.value == value  # left as shown: the original, not the placeholders
        assert form.submit() is None  # nothing silently renamed: it says why beside the field
        assert "control character" in text_of(field.query_one(".form-error"))
        field.input.value = field.input.value + " v2"  # an edit saves what the user saw
        assert form.submit() == "clip␛]52;c;ZXZpbA==␇board [b]grab[/b] v2"
        await pilot.press("escape")
        await settle(pilot)

        channel = SimpleNamespace(recipients=["ops@example.com"], subject_prefix=value)
        alert = SimpleNamespace(threshold_amount=50_000, notification_channel=channel)
        alert_form = AlertForm("proj", alert)
        await app.push_screen(alert_form)
        await settle(pilot)
        alert_form.query_one("#amount", LabelledInput).input.value = "750"
        result = alert_form.submit()
        assert result is not None
        assert result.subject_prefix == value and result.cents == 75_000  # prefix untouched
        plain = RenameProjectForm("payments")
        await app.push_screen(plain)
        await settle(pilot)
        assert not plain.query(".form-controls")  # no warning on an ordinary name


def _screen_lines(app: Any) -> str:
    return "\n".join(
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    )


async def test_palette_toasts_and_titles_show_names_literally() -> None:
    """A project renamed `[bold red]payments[/] prod`: the command palette (ctrl+p), a toast and
    a dialog title show the brackets as typed, and no escape from a name reaches the terminal."""
    from textual.command import CommandPalette

    from orgtui.ui.features.projects.actions import RenameProjectForm

    name = "[bold red]payments[/] prod"
    rig = build_rig(hostile=True)
    rig.sandbox.store.set_fields(
        "projects", next(iter(rig.hostile.project_ids.values())), name=name
    )
    app = rig.app
    written = record_terminal(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await synced(pilot)
        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        await pilot.press(*"payments")
        assert await until(pilot, lambda: "payments" in _screen_lines(app))
        await settle(pilot)
        lines = _screen_lines(app)
        assert f"Go to project {name}" in lines, lines
        await pilot.press(*" clip")  # the OSC 52 project, drawn with its placeholders
        assert await until(pilot, lambda: "␛]52;c;ZXZpbA==␇" in _screen_lines(app))
        assert app.screen is palette
        await pilot.press("escape")
        await settle(pilot)
        app.notify(f"Renamed {name}\n{HOSTILE_STRINGS['title']}", title="[b]t[/b]", timeout=600)
        await pilot.pause()
        toast = list(app._notifications)[-1]
        assert toast.markup is False and toast.title == "[b]t[/b]"
        assert toast.message == f"Renamed {name}\n␛]0;pwned window title␇title"
        worker = app.start_action(
            "project.rename", ActionContext(scope=A.PROJECT, project_id=rig.hostile.project_id)
        )
        form = await wait_for_screen(pilot, RenameProjectForm)
        form.query_one("#name", LabelledInput).input.value = name
        await form.query_one("#name", LabelledInput).input.action_submit()
        assert await until(pilot, lambda: worker.is_finished)
        await settle(pilot)
        assert any("Renamed" in note and name in note for note in rig.notes), rig.notes
    out = "".join(written).encode("utf-8", "surrogatepass")
    for value in HOSTILE_STRINGS.values():
        for raw in hidden_sequences(value):
            assert raw not in out, raw


async def _palette_and_toast(pilot: Any) -> None:
    from textual.command import CommandPalette
    from textual.widgets import Input

    app = pilot.app
    await synced(pilot)
    app.notify(
        "Renamed [bold red]payments[/] prod " + HOSTILE_STRINGS["osc52"],
        title="[b]Project[/b]",
        timeout=600,
    )
    await pilot.press("ctrl+p")
    await wait_for_screen(pilot, CommandPalette)
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.press(*"payments")
    assert await until(pilot, lambda: "Go to project [bold red]" in _screen_lines(app))
    await settle(pilot)


def test_snapshot_palette_and_toast_with_hostile_names(snap_compare: Any) -> None:
    """The scene: the command palette searching a project named `[bold red]payments[/] prod`
    beside the OSC 52 one, and a toast naming both; brackets and ␛ drawn as typed."""
    rig = build_rig(hostile=True)
    store = rig.sandbox.store
    store.set_fields("projects", next(iter(rig.hostile.project_ids.values())), name=NAME)
    assert snap_compare(rig.app, terminal_size=(100, 30), run_before=_palette_and_toast)


NAME = "[bold red]payments[/] prod"
