"""The key rotation wizard: mint the replacement, overlap, then retire the old key.

Three steps on one screen (the seed: rotate on a schedule, e.g. every 90 days):

1. *Mint*: a replacement service account with its own key, shown once in the copy-once dialog.
2. *Overlap*: both keys work. The wizard shows the old key's last use and its requests since
   the new key was minted (refresh with `r`), so you can see traffic move to the new key.
3. *Retire*: delete the old key (or its service account) after a typed confirmation.

The wizard only draws and asks; the work is done by a `RotationOps` (see `keys_actions`), which
calls the core rotation service through the action registry. The journal the core keeps lets
an interrupted rotation be reopened later (`o` on the key, or the offer at start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from orgtui.ui.screens.confirm import ConfirmScreen
from orgtui.ui.screens.keys_delete import overlap_text, rotation_plan_text, typed_name
from orgtui.ui.text import relative_time, safe_str, safe_text

__all__ = ["ResumeRotationsScreen", "RotationOps", "RotationWizard"]

STEPS = ("Mint replacement", "Overlap", "Retire old key")


class RotationOps(Protocol):
    """What the wizard asks of the console (`keys_actions.SessionRotationOps`). Results are
    the core's: MintedKey | Reconciliation (with `rotation_id`), Rotation, RotationStatus, Done."""

    def now(self) -> float: ...
    def rotation(self, rotation_id: str) -> Any: ...  # from the journal, or None
    async def start(self) -> Any: ...
    async def status(self, rotation: Any) -> Any: ...
    async def mint_replacement_key(self, rotation: Any) -> Any: ...
    async def resume(self, rotation: Any) -> Any: ...
    async def finish(self, rotation: Any, *, force: bool) -> Any: ...
    async def abandon(self, rotation: Any) -> Any: ...
    async def show_secret(self, minted: Any) -> bool: ...  # the copy-once dialog


class RotationWizard(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mint", "Mint", id="rotate.mint"),
        Binding("r", "refresh", "Refresh", id="rotate.refresh"),
        Binding("f", "finish", "Delete old key", id="rotate.finish"),
        Binding("x", "abandon", "Abandon", id="rotate.abandon"),
        Binding("escape", "close", "Close", id="rotate.close"),
    ]
    DEFAULT_CSS = """
    RotationWizard { align: center middle; }
    RotationWizard > #wizard { width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1; }
    RotationWizard #wizard-title { text-style: bold; }
    RotationWizard #wizard-steps { padding: 0 0 1 0; }
    RotationWizard #wizard-body { height: auto; }
    RotationWizard #wizard-note { height: auto; margin-top: 1; color: $text-warning; }
    RotationWizard #wizard-buttons { height: 3; margin-top: 1; }
    RotationWizard #wizard-buttons > Button { margin-right: 1; min-width: 8; }
    """

    def __init__(
        self,
        ops: RotationOps,
        *,
        key: Any = None,
        project_name: str | None = None,
        rotation: Any = None,
        thresholds: Any = None,
    ) -> None:
        super().__init__()
        self.ops = ops
        self.key = key
        self.project_name = project_name or (rotation.project_name if rotation else None)
        self.rotation = rotation
        self.status: Any = None
        self.thresholds = thresholds
        self.note = ""
        self.finished: Any = None
        self.working = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="wizard"):
            yield Static(id="wizard-title")
            yield Static(id="wizard-steps")
            yield Static(id="wizard-body")
            yield Static(id="wizard-note")
            with Horizontal(id="wizard-buttons"):
                yield Button("Mint new key (m)", id="mint", variant="primary")
                yield Button("Refresh (r)", id="refresh")
                yield Button("Delete old (f)", id="finish", variant="error")
                yield Button("Abandon (x)", id="abandon")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.render_step()
        if self.rotation is not None:
            self.action_refresh()

    @property
    def step(self) -> int:
        """0 mint, 1 overlap, 2 over (finished, or abandoned by the user)."""
        if self.finished is not None:
            return 2
        rotation = self.rotation
        if rotation is None or rotation.step in ("minting", "abandoned"):
            return 0  # an abandoned start (nothing was created) can be tried again
        return 1 if rotation.active else 2

    def _old_name(self) -> str:
        if self.rotation is not None:
            return self.rotation.old_key_name or self.rotation.old_key_id
        return (self.key.name or self.key.id) if self.key is not None else "?"

    def render_step(self) -> None:
        title = Text("Rotate key ")
        title.append_text(safe_text(self._old_name(), 40))
        title.append(" in ")
        title.append_text(safe_text(self.project_name or "?", 30))
        self.query_one("#wizard-title", Static).update(title)
        steps = Text()
        for index, label in enumerate(STEPS):
            mark, style = ("✓ ", "green") if index < self.step else ("▸ ", "bold")
            if index > self.step:
                mark, style = ("· ", "dim")
            if index == 2 and self.rotation is not None and self.rotation.step == "abandoned":
                mark, style = ("✗ ", "dim")
            steps.append(f"{mark}{index + 1} {label}", style=style)
            if index < len(STEPS) - 1:
                steps.append("   ")
        self.query_one("#wizard-steps", Static).update(steps)
        self.query_one("#wizard-body", Static).update(self._body())
        note = self.query_one("#wizard-note", Static)
        note.update(Text(self.note))
        note.display = bool(self.note)
        self._show_buttons()

    def _show_buttons(self) -> None:
        rotation = self.rotation
        can_mint = self.step == 0 or (
            self.step == 1 and rotation is not None and rotation.new_key_id is None
        )
        visible = {
            "mint": can_mint and not (rotation is not None and rotation.step == "minting"),
            "refresh": rotation is not None and rotation.active and self.finished is None,
            "finish": self.step == 1,
            "abandon": rotation is not None and self.step == 1,
            "close": True,
        }
        for button in self.query(Button):
            button.display = visible.get(button.id or "", False)
            button.disabled = self.working
        self.query_one("#mint", Button).label = (
            "Mint new key (m)" if self.step == 0 else "Mint key for replacement (m)"
        )
        focused = self.focused
        if focused is None or not focused.display or focused.id in ("finish", "abandon"):
            # Never leave a destructive button focused: enter would start it.
            for button_id in ("mint", "refresh", "close"):
                button = self.query_one(f"#{button_id}", Button)
                if button.display:
                    button.focus()
                    break

    def _body(self) -> Text:
        now = self.ops.now()
        if self.step == 0:
            return rotation_plan_text(self.key, self.rotation, now, self.thresholds)
        if self.step == 2:
            return Text(
                safe_str(getattr(self.finished, "message", "") or self._closing_text(), 300)
            )
        return overlap_text(self.rotation, self.status, now)

    def _closing_text(self) -> str:
        rotation = self.rotation
        if rotation is not None and rotation.step == "abandoned":
            return "This rotation was abandoned. " + safe_str(rotation.note, 200)
        return "This rotation is finished."

    def set_note(self, text: str) -> None:
        note = safe_str(text, 400)
        self.note = note[:1].upper() + note[1:]

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        button = {"mint": "mint", "refresh": "refresh", "finish": "finish", "abandon": "abandon"}
        if action in button and self.is_mounted:
            widget = self.query_one(f"#{button[action]}", Button)
            return bool(widget.display) and not self.working
        return True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.run_action(event.button.id or "close")  # a coroutine: not awaited, no-op

    def action_close(self) -> None:
        if self.working:
            self.notify("Waiting for the API's answer", timeout=3)
            return
        if self.rotation is not None and self.rotation.active and self.finished is None:
            self.notify(
                "The rotation stays open: reopen it with o on the old key, or at start-up.",
                title="Rotation paused",
                timeout=6,
            )
        self.dismiss(None)

    def _run(self, job: Callable[[], Any]) -> None:
        self.working = True
        self._show_buttons()
        self._job(job)

    @work(exclusive=True, group="rotation")
    async def _job(self, job: Callable[[], Any]) -> None:
        try:
            await job()
        except Exception as error:  # noqa: BLE001 - shown in the wizard, which stays usable
            self.set_note(str(error) or type(error).__name__)
        finally:
            self.working = False
            if self.is_attached:  # not when the app is shutting down under us
                self.render_step()
                self.refresh_bindings()

    def action_mint(self) -> None:
        self._run(self._mint)

    async def _mint(self) -> None:
        if self.rotation is not None and self.step == 1:
            result = await self.ops.mint_replacement_key(self.rotation)
        else:
            result = await self.ops.start()
        rid = getattr(result, "rotation_id", None) or (self.rotation.id if self.rotation else None)
        if rid:
            self.rotation = self.ops.rotation(rid) or self.rotation
        if getattr(result, "secret", None) is not None:
            self.set_note("")
            self.render_step()
            await self.ops.show_secret(result)
        else:
            self.set_note(getattr(result, "message", ""))
        if self.rotation is not None and self.rotation.active:
            await self._refresh()

    def action_refresh(self) -> None:
        self._run(self._refresh)

    async def _refresh(self) -> None:
        if self.rotation is None:
            return
        if self.rotation.step == "minting":
            self.rotation = await self.ops.resume(self.rotation)
            self.set_note(self.rotation.note)
        if self.rotation.active:
            self.status = await self.ops.status(self.rotation)
            self.rotation = self.status.rotation
            warnings = list(self.status.warnings)
            if self.rotation.note and self.rotation.new_key_id is None:
                warnings.insert(0, self.rotation.note)
            self.set_note("; ".join(warnings))

    def action_finish(self) -> None:
        self._finish()

    @work(exclusive=True, group="rotation-ask")
    async def _finish(self) -> None:
        rotation, status = self.rotation, self.status
        if rotation is None:
            return
        if rotation.kind == "service_account" and rotation.old_service_account_id:
            what = f"the old service account {safe_str(rotation.old_service_account_name, 40)}"
            typed = typed_name(rotation.old_service_account_name, rotation.old_service_account_id)
            extra = len(rotation.other_old_key_ids)
            if extra:
                what += f" and its {extra} other key(s)"
        else:
            what = f"the old key {safe_str(rotation.old_key_name, 40)}"
            typed = typed_name(rotation.old_key_name, rotation.old_key_id)
        blocker = status.blocker if status is not None else "its use was not checked"
        body = f"Delete {what}? Anything still using the old key stops working at once."
        if blocker:
            body = f"Not ready: {safe_str(blocker, 120)}. " + body
        ok = await self.app.push_screen_wait(
            ConfirmScreen(
                "Retire the old key",
                body,
                "Delete anyway" if blocker else "Delete old key",
                typed=typed,
            )
        )
        if ok:
            self._run(lambda: self._do_finish(force=bool(blocker)))

    async def _do_finish(self, *, force: bool) -> None:
        self.finished = await self.ops.finish(self.rotation, force=force)
        self.rotation = getattr(self.finished, "obj", None) or self.rotation
        self.set_note("")

    def action_abandon(self) -> None:
        self._abandon()

    @work(exclusive=True, group="rotation-ask")
    async def _abandon(self) -> None:
        rotation = self.rotation
        if rotation is None:
            return
        body = (
            f"Stop this rotation and delete the replacement {safe_str(rotation.new_name, 40)}? "
            "The old key keeps working."
        )
        typed = typed_name(rotation.new_name, rotation.new_service_account_id or rotation.id)
        ok = await self.app.push_screen_wait(
            ConfirmScreen("Abandon the rotation", body, "Abandon", typed=typed)
        )
        if ok:
            self._run(self._do_abandon)

    async def _do_abandon(self) -> None:
        done = await self.ops.abandon(self.rotation)
        self.rotation = getattr(done, "obj", None) or self.rotation
        self.finished = done
        self.set_note("")


class ResumeRotationsScreen(ModalScreen[str | None]):
    """At start-up: rotations an earlier run left unfinished. Enter resumes the highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Later", id="rotate.later"),
    ]
    DEFAULT_CSS = """
    ResumeRotationsScreen { align: center middle; }
    ResumeRotationsScreen > #resume { width: 72; max-width: 100%; height: auto;
        max-height: 100%; border: round $primary; background: $surface; padding: 0 1; }
    ResumeRotationsScreen #resume-title { text-style: bold; padding-bottom: 1; }
    ResumeRotationsScreen OptionList { height: auto; max-height: 10; }
    ResumeRotationsScreen #resume-buttons { height: 3; margin-top: 1; align-horizontal: right; }
    ResumeRotationsScreen #resume-buttons > Button { margin-left: 2; }
    """

    def __init__(self, rotations: list[Any], now: float) -> None:
        super().__init__()
        self.rotations = rotations
        self.now = now

    def _label(self, rotation: Any) -> Text:
        text = safe_text(rotation.old_key_name or rotation.old_key_id, 30, style="bold")
        text.append(" in ")
        text.append_text(safe_text(rotation.project_name or rotation.project_id, 24))
        started = relative_time(rotation.started_at, self.now)
        text.append(f"  {rotation.step}, started {started}", style="dim")
        return text

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        count = len(self.rotations)
        with Vertical(id="resume"):
            yield Static(
                f"{count} key rotation{'s' if count != 1 else ''} left unfinished. "
                "Both keys still work until one is finished. Resume now?",
                id="resume-title",
            )
            yield OptionList(*(Option(self._label(r), id=r.id) for r in self.rotations))
            with Horizontal(id="resume-buttons"):
                yield Button("Later", id="later")
                yield Button("Resume", id="resume-go", variant="primary")

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        self.query_one(OptionList).focus()

    def _chosen(self) -> str | None:
        from textual.widgets import OptionList

        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_selected(self, event: Any) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self._chosen() if event.button.id == "resume-go" else None)

    def action_later(self) -> None:
        self.dismiss(None)
