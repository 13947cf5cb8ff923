"""The key rotation wizard: mint the replacement, overlap, then retire the old key.

Three steps on one screen (the seed: rotate on a schedule, e.g. every 90 days):
1. *Mint*: a replacement service account with its own key, shown once in the copy-once dialog.
   When the old account holds other keys (finishing deletes them too), they are listed first
   and the only way on is "rotate all together": one replacement per old key, each shown once.
2. *Overlap*: both keys work. The wizard shows the old key's last use and its requests since
   the new key was minted (refresh with `r`), so you can see traffic move to the new key.
3. *Retire*: delete the old key (or its service account) after a typed confirmation of the
   old account's id, naming every key it deletes (and those used in the last 15 minutes).

The wizard only draws and asks; a `RotationOps` (`keys_actions`) does the work through the action
registry. The core's journal reopens an interrupted rotation (`o` on the key, or at start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from orgtui.ui.features.keys.delete import overlap_text, rotation_plan_text, typed_name
from orgtui.ui.features.keys.rotate_ops import RotationOps
from orgtui.ui.features.keys.rotate_resume import ResumeRotationsScreen
from orgtui.ui.features.keys.rotate_text import (
    closing_text,
    finish_body,
    siblings_text,
    steps_text,
    wizard_title,
)
from orgtui.ui.text import safe_str
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.org_line import OrgLine

__all__ = ["ResumeRotationsScreen", "RotationOps", "RotationWizard"]


class _Scrolled(VerticalScroll, can_focus=False):
    """Scrolls what does not fit; not a tab stop itself."""


class RotationWizard(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mint", "Mint", id="rotate.mint"),
        Binding("a", "together", "Rotate all together", id="rotate.together"),
        Binding("r", "refresh", "Refresh", id="rotate.refresh"),
        Binding("f", "finish", "Delete old key", id="rotate.finish"),
        Binding("x", "abandon", "Abandon", id="rotate.abandon"),
        Binding("escape", "close", "Close", id="rotate.close"),
        # Textual's Button answers enter only; space presses the focused button too.
    ]
    DEFAULT_CSS = """
    RotationWizard { align: center middle; }
    RotationWizard > #wizard { width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1; }
    RotationWizard #wizard-title { text-style: bold; }
    RotationWizard #wizard-steps { padding: 0 0 1 0; }
    RotationWizard #wizard-scroll { height: auto; max-height: 55vh; }
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
        # The old account's other keys (None: not read yet; [] for a user key or none).
        self.other_keys: list[Any] | None = None if self._account_id() else []

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="wizard"):
            yield Static(id="wizard-title")
            yield OrgLine()
            yield Static(id="wizard-steps")
            with _Scrolled(id="wizard-scroll"):  # long steps scroll; the buttons stay shown
                yield Static(id="wizard-body")
                yield Static(id="wizard-note")
            with Horizontal(id="wizard-buttons"):
                yield Button("Mint new key (m)", id="mint", variant="primary")
                yield Button("Rotate all together (a)", id="together", variant="primary")
                yield Button("Refresh (r)", id="refresh")
                yield Button("Delete old (f)", id="finish", variant="error")
                yield Button("Abandon (x)", id="abandon")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.render_step()
        if self.rotation is not None:
            self.action_refresh()
        elif self.other_keys is None:
            self._run(self._load_siblings)

    def _account_id(self) -> str | None:
        owner = getattr(getattr(self.key, "owner", None), "service_account", None)
        return owner.id if owner is not None else None

    async def _load_siblings(self) -> None:
        self.other_keys = list(await self.ops.siblings(self.key))

    def _pending_siblings(self) -> list[str]:
        rotation = self.rotation
        if rotation is None or not rotation.together or not rotation.active:
            return []
        done = set(rotation.replaced_old_key_ids)
        return [kid for kid in rotation.other_old_key_ids if kid not in done]

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
            return str(self.rotation.old_key_name or self.rotation.old_key_id)
        return (self.key.name or self.key.id) if self.key is not None else "?"

    def render_step(self) -> None:
        title = wizard_title(self._old_name(), self.project_name)
        self.query_one("#wizard-title", Static).update(title)
        abandoned = self.rotation is not None and self.rotation.step == "abandoned"
        self.query_one("#wizard-steps", Static).update(steps_text(self.step, abandoned=abandoned))
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
        fresh = self.step == 0 and (rotation is None or rotation.step != "minting")
        visible = {
            "mint": (can_mint and not (rotation is not None and rotation.step == "minting"))
            and not (fresh and self.other_keys != [])
            or (self.step == 1 and bool(self._pending_siblings())),
            "together": fresh and bool(self.other_keys),
            "refresh": rotation is not None and rotation.active and self.finished is None,
            "finish": self.step == 1,
            "abandon": rotation is not None and self.step == 1,
            "close": True,
        }
        for button in self.query(Button):
            button.display = visible.get(button.id or "", False)
            button.disabled = self.working
        self.query_one("#mint", Button).label = (
            "Mint new key (m)"
            if self.step == 0
            else "Mint the remaining replacements (m)"
            if self._pending_siblings() and rotation is not None and rotation.new_key_id
            else "Mint key for replacement (m)"
        )
        if self.other_keys:
            self.query_one(
                "#together", Button
            ).label = f"Rotate all {len(self.other_keys) + 1} together (a)"
        focused = self.focused
        if focused is None or not focused.display or focused.id in ("finish", "abandon"):
            # Never leave a destructive button focused: enter would start it.
            for button_id in ("mint", "together", "refresh", "close"):
                button = self.query_one(f"#{button_id}", Button)
                if button.display:
                    button.focus()
                    break

    def _body(self) -> Text:
        now = self.ops.now()
        if self.step == 0:
            plan = rotation_plan_text(self.key, self.rotation, now, self.thresholds)
            if self.rotation is None and self._account_id():
                owner = self.key.owner.service_account
                plan.append("\n\n")
                plan.append_text(siblings_text(owner.name, self.other_keys, now))
            return plan
        if self.step == 2:
            return Text(
                safe_str(getattr(self.finished, "message", "") or closing_text(self.rotation), 300)
            )
        return overlap_text(self.rotation, self.status, now)

    def set_note(self, text: str) -> None:
        note = safe_str(text, 400)
        self.note = note[:1].upper() + note[1:]

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        button = {
            "mint": "mint",
            "together": "together",
            "refresh": "refresh",
            "finish": "finish",
            "abandon": "abandon",
        }
        if action in button and self.is_mounted:
            widget = self.query_one(f"#{button[action]}", Button)
            return bool(widget.display) and not self.working
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        # Called directly: `run_action` is a coroutine, and one never awaited does nothing
        # (the Close button did nothing by enter, space or click).
        handlers: dict[str, Callable[[], None]] = {
            "mint": self.action_mint,
            "together": self.action_together,
            "refresh": self.action_refresh,
            "finish": self.action_finish,
            "abandon": self.action_abandon,
            "close": self.action_close,
        }
        handlers.get(event.button.id or "", self.action_close)()

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

    def action_together(self) -> None:
        self._run(lambda: self._mint(together=True))

    async def _mint(self, *, together: bool = False) -> None:
        if self.rotation is not None and self.step == 1 and self.rotation.new_key_id is not None:
            await self._replace_siblings()
            return
        if self.rotation is not None and self.step == 1:
            result = await self.ops.mint_replacement_key(self.rotation)
        else:
            result = await self.ops.start(together=together)
        rid = getattr(result, "rotation_id", None) or (self.rotation.id if self.rotation else None)
        if rid:
            self.rotation = self.ops.rotation(rid) or self.rotation
        if getattr(result, "secret", None) is not None:
            self.set_note("")
            self.render_step()
            title = None
            if together and self.other_keys:
                title = (
                    f"Replacement for {safe_str(self._old_name(), 40)} "
                    f"(1 of {len(self.other_keys) + 1}): copy it now"
                )
            await self.ops.show_secret(result, title=title)
        else:
            self.set_note(getattr(result, "message", ""))
        if getattr(result, "secret", None) is not None:
            await self._replace_siblings()
        if self.rotation is not None and self.rotation.active:
            await self._refresh()

    async def _replace_siblings(self) -> None:
        """Rotating together: each other old key's replacement, minted and shown in turn."""
        names = {k.id: k.name or k.id for k in self.other_keys or ()}
        pending = self._pending_siblings()
        total = len(self.rotation.other_old_key_ids) + 1 if self.rotation else 1
        for index, kid in enumerate(pending):
            rotation = self.rotation
            result = await self.ops.replace_sibling(rotation, kid)
            self.rotation = self.ops.rotation(rotation.id) or rotation
            if getattr(result, "secret", None) is None:
                self.set_note(getattr(result, "message", ""))
                return
            self.render_step()
            done = total - len(pending) + index + 1
            await self.ops.show_secret(
                result,
                title=f"Replacement for {safe_str(names.get(kid, kid), 40)} "
                f"({done} of {total}): copy it now",
            )

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
        body, typed = finish_body(rotation, status, self.key, self.ops.now())
        blocker = status.blocker if status is not None else "its use was not checked"
        if rotation.kind == "service_account" and rotation.old_service_account_id:
            title = f"Delete the old account {safe_str(rotation.old_service_account_name, 40)}"
        else:
            title = "Retire the old key"
        ok = await self.app.push_screen_wait(
            ConfirmScreen(
                title,
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
