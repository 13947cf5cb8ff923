"""Quick key creation: one small form, then the copy-once dialog (`MintFlow`).

A project key is always a service-account key (the API mints keys only for service accounts),
so "new key" on a project creates a service account named after the service that will use it,
and "new key" on an existing service account mints another key for it. The form stays open
while the request runs so errors show in place; it cannot be cancelled mid-request, because a
minted value that arrives after the form closed would be lost.

When the create call's outcome is unknown (timeout, dropped connection), the core reconciles by
reading back; `reconciliation_text` says what it found in plain words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from orgtui.core.validation import suggest_key_name, validate_key_name
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.form import FormScreen, LabelledInput

__all__ = [
    "KeyCreateScreen",
    "RunForm",
    "KeyRequest",
    "MintFlow",
    "MintKeyScreen",
    "parse_scopes",
]

ROLES = ("member", "owner")


@dataclass(frozen=True)
class KeyRequest:
    name: str
    role: str = "member"
    scopes: tuple[str, ...] | None = None


def parse_scopes(text: str) -> tuple[tuple[str, ...] | None, str | None]:
    """Scopes separated by commas or spaces; blank means an unrestricted key."""
    scopes: list[str] = []
    for token in text.replace(",", " ").split():
        if not token.isprintable() or len(token) > 100:
            return None, f"Scope {safe_str(token, 40)!r} is not valid (like api.model.read)"
        if token not in scopes:
            scopes.append(token)
    return (tuple(scopes) or None), None


def _scopes_validator(text: str) -> tuple[Any, str | None]:
    return parse_scopes(text)


Runner = Callable[[KeyRequest], Awaitable[Any]]


class RunForm(FormScreen[Any]):
    """A form that carries out its request itself and stays open until the answer arrives.

    With `run`, submitting calls it and the form dismisses with its result; errors it raises
    are shown in the form. Without `run` it dismisses with the request (`submit()`'s value).
    Cancelling is refused while the request runs: a minted value that arrives after the form
    closed would have nowhere to go.
    """

    BUSY_TEXT: ClassVar[str] = "Creating…"

    def __init__(self, *, run: Callable[[Any], Awaitable[Any]] | None = None) -> None:
        super().__init__()
        self._run = run
        self.busy = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # FormScreen's own handler would dismiss without the call
        self._go()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        event.prevent_default()
        if event.button.id == "submit":
            self._go()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        if self.busy:
            self.show_error("Waiting for the API's answer; the form closes when it arrives")
            return
        self.dismiss(None)

    @work(exclusive=True, group="form-run")
    async def _go(self) -> None:
        if self.busy:
            return
        request = self.submit()
        if request is None:
            return
        if self._run is None:
            self.dismiss(request)
            return
        self._set_busy(True)
        try:
            result = await self._run(request)
        except Exception as error:  # noqa: BLE001 - every failure is shown here, in place
            self._set_busy(False)
            self.show_failure(error)
            return
        self.busy = False
        self.dismiss(result)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.query_one("#submit", Button).disabled = busy
        for field in self.query(Input):
            field.disabled = busy
        if busy:
            self.query_one("#form-error", Static).update(Text(self.BUSY_TEXT, style="italic"))
        else:
            self.show_error(None)

    def show_failure(self, error: BaseException) -> None:
        message = safe_str(str(error) or type(error).__name__, 300)
        name = next(iter(self.query("#name").results(LabelledInput)), None)
        if name is not None and message.startswith("Name "):
            name.show_error(message)
        else:
            self.show_error(message)
        if name is not None:
            name.input.focus()


class KeyCreateScreen(RunForm):
    """`n` on a project: name, role, optional scopes. Enter creates.

    `run` receives a `KeyRequest` and returns a MintedKey or a Reconciliation.
    """

    TITLE_TEXT: ClassVar[str] = "New project key"
    SUBMIT_LABEL: ClassVar[str] = "Create"
    DEFAULT_CSS = """
    KeyCreateScreen #form-title { padding: 0 1; }
    KeyCreateScreen #form-context { padding: 0 1 1 1; color: $text-muted; }
    KeyCreateScreen LabelledInput { margin-bottom: 0; }
    KeyCreateScreen #role-row { height: 1; margin: 1 0 0 0; }
    KeyCreateScreen #scopes { margin-top: 1; }
    KeyCreateScreen #role-row > Label { padding: 0 1; text-style: bold; width: 7; }
    KeyCreateScreen RadioSet { layout: horizontal; width: auto; height: 1; }
    KeyCreateScreen RadioSet > RadioButton { width: auto; margin-right: 3; }
    KeyCreateScreen #form-error { height: auto; }
    """

    def __init__(
        self,
        project_name: str | None,
        *,
        run: Runner | None = None,
        initial: KeyRequest | None = None,
    ) -> None:
        super().__init__(run=run)
        self.project_name = project_name
        self._initial = initial

    # ------------------------------------------------------------------ layout

    def context_line(self) -> Text:
        text = Text("Project ")
        text.append_text(safe_text(self.project_name or "?", 50, style="bold"))
        text.append(". Creates a service account with its own key.")
        return text

    def suggested_name(self) -> str:
        return suggest_key_name(self.project_name, "service")

    def name_hint(self) -> str:
        return "One key per service: <project>-<service>, e.g. robotics-ingest"

    def fields(self) -> ComposeResult:
        initial = self._initial
        yield Static(self.context_line(), id="form-context")
        yield LabelledInput(
            "Name",
            value=initial.name if initial else self.suggested_name(),
            hint=self.name_hint(),
            validate=validate_key_name,
            id="name",
        )
        yield from self.role_field()
        yield LabelledInput(
            "Scopes (optional)",
            value=" ".join(initial.scopes or ()) if initial else "",
            placeholder="blank = all permissions; e.g. api.model.read",
            validate=_scopes_validator,
            id="scopes",
        )

    def role_field(self) -> ComposeResult:
        role = self._initial.role if self._initial else "member"
        with Horizontal(id="role-row"):
            yield Label("Role")
            with RadioSet(id="role", compact=True):
                for name in ROLES:
                    yield RadioButton(name, value=name == role, id=f"role-{name}", compact=True)

    # ------------------------------------------------------------------ submit

    def role(self) -> str:
        pressed = self.query_one("#role", RadioSet).pressed_button
        return str(pressed.label) if pressed is not None else "member"

    def submit(self) -> KeyRequest | None:
        name, name_error = self.query_one("#name", LabelledInput).validated()
        scopes, scope_error = self.query_one("#scopes", LabelledInput).validated()
        if name_error or scope_error:
            self.show_error(None)
            return None
        return KeyRequest(name=name, role=self.role(), scopes=scopes)


class MintKeyScreen(KeyCreateScreen):
    """ "New key" on an existing service account: the same form without the role."""

    TITLE_TEXT: ClassVar[str] = "New key for a service account"
    SUBMIT_LABEL: ClassVar[str] = "Mint key"

    def __init__(
        self,
        project_name: str | None,
        account_name: str,
        *,
        run: Runner | None = None,
        initial: KeyRequest | None = None,
        today: str = "",
    ) -> None:
        super().__init__(project_name, run=run, initial=initial)
        self.account_name = account_name
        self.today = today

    def context_line(self) -> Text:
        text = Text("Account ")
        text.append_text(safe_text(self.account_name, 40, style="bold"))
        text.append(" in ")
        text.append_text(safe_text(self.project_name or "?", 30, style="bold"))
        text.append(". Its other keys keep working.")
        return text

    def suggested_name(self) -> str:
        return suggest_key_name(self.account_name, self.today or "key")

    def name_hint(self) -> str:
        return "A distinct name per key tells them apart in usage and audit logs"

    def role_field(self) -> ComposeResult:
        yield from ()

    def role(self) -> str:
        return "member"


class AccountRoleScreen(RunForm):
    """`e` on a service account: member or owner. `run` receives the role."""

    TITLE_TEXT: ClassVar[str] = "Change service account role"
    SUBMIT_LABEL: ClassVar[str] = "Change"
    DEFAULT_CSS = """
    AccountRoleScreen #form-title { padding: 0 1; }
    AccountRoleScreen #form-context { padding: 0 1 1 1; color: $text-muted; }
    AccountRoleScreen RadioSet { layout: horizontal; width: auto; margin: 0 1; }
    AccountRoleScreen RadioSet > RadioButton { width: auto; margin-right: 3; }
    """
    BUSY_TEXT: ClassVar[str] = "Changing…"

    def __init__(
        self, account_name: str, role: str, *, run: Callable[[str], Awaitable[Any]] | None = None
    ) -> None:
        super().__init__(run=run)
        self.account_name = account_name
        self.current = role

    def fields(self) -> ComposeResult:
        text = Text("Account ")
        text.append_text(safe_text(self.account_name, 50, style="bold"))
        text.append(f" is {self.current}. Owners can manage the project; members can use it.")
        yield Static(text, id="form-context")
        with RadioSet(id="role"):
            for name in ROLES:
                yield RadioButton(name, value=name == self.current, id=f"role-{name}")

    def on_mount(self) -> None:
        self.query_one("#role", RadioSet).focus()

    def submit(self) -> str | None:
        pressed = self.query_one("#role", RadioSet).pressed_button
        return str(pressed.label) if pressed is not None else None


# ---------------------------------------------------------------------- the create flow


class MintFlow:
    """Form -> core call -> copy-once dialog, and the plain-words answer to a lost response.

    `invoke(action_id, **params)` runs a core action (through the registry's read-only gate);
    `refresh()` re-reads the lists a create touches. Runs in a worker (it waits on screens).
    """

    def __init__(
        self,
        app: Any,
        *,
        invoke: Callable[..., Awaitable[Any]],
        project_id: str | None,
        refresh: Callable[[], Any],
    ) -> None:
        self.app = app
        self.invoke = invoke
        self.project_id = project_id
        self.refresh = refresh

    async def loop(
        self,
        action_id: str,
        make_screen: Callable[[Callable[[Any], Awaitable[Any]], Any], Any],
        params: Callable[[Any], dict[str, Any]],
    ) -> None:
        """Show the form; after "nothing was created, try again?", show it again, filled in."""
        initial: Any = None
        while True:
            sent: list[Any] = []

            async def run(request: Any, sent: list[Any] = sent) -> Any:
                sent.append(request)
                return await self.invoke(action_id, **params(request))

            result = await self.app.push_screen_wait(make_screen(run, initial))
            if result is None or not await self.show(result):
                return
            initial = sent[-1] if sent else None

    async def show(self, result: Any) -> bool:
        """A minted key goes to the dialog; a reconciliation is explained. True: retry."""
        from orgtui.core.services.results import Reconciliation
        from orgtui.ui.features.keys.copy_once import show_minted

        if isinstance(result, Reconciliation):
            return await self.reconciled(result)
        if getattr(result, "secret", None) is not None:
            await show_minted(self.app, result)
        return False

    async def reconciled(self, result: Any) -> bool:
        from orgtui.ui.features.keys.delete import reconciliation_text
        from orgtui.ui.features.keys.lost_key import is_lost_key, resolve_lost_key
        from orgtui.ui.widgets.confirm import ConfirmScreen

        if is_lost_key(result):  # never silently live: delete the account, or keep it knowingly
            deleted = await resolve_lost_key(self.app, result, self.project_id, self.invoke)
            self.refresh()
            return deleted and result.kind == "service_account"  # then the form, filled in

        title, body, confirm = reconciliation_text(result)
        if confirm is None:
            await self.app.push_screen_wait(ConfirmScreen(title, body, "Refresh"))
            self.refresh()
            return False
        if not await self.app.push_screen_wait(ConfirmScreen(title, body, confirm)):
            return False
        if result.outcome == "not_created":
            return True
        if result.kind == "admin_key":
            done = await self.invoke("admin_key.delete", key_id=result.found_id)
            self.app.notify(safe_str(done.message, 200), title="Admin key", markup=False)
            return False
        account = getattr(getattr(result.found, "owner", None), "service_account", None)
        sid = result.found_id if result.kind == "service_account" else getattr(account, "id", None)
        if sid is not None:
            minted = await self.invoke(
                "service_account.mint",
                project_id=self.project_id,
                service_account_id=sid,
                name=result.name,
            )
            await self.show(minted)
        return False
