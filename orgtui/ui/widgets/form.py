"""Small form helpers: a labelled input with its error line, and a modal form screen base.

    field = LabelledInput("Name", validate=validate_project_name, id="name")
    value, error = field.validated()      # (value, None) or (None, message), shown beside it

Validators follow `orgtui.core.validation`: `fn(text) -> (value, None) | (None, message)`.

A pre-filled value (a name or an email from the API) never reaches the terminal raw: the input
starts with `safe_str(value)` (control characters shown as ␛, ␇, ...). When that differs from
the value, a warning line says so, and as long as the field is left as shown, `value` is the
original: saving never silently changes characters the user did not touch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from orgtui.ui.text import has_controls, safe_str
from orgtui.ui.widgets.org_line import OrgLine

Validator = Callable[[str], tuple[Any, str | None]]
T = TypeVar("T")


class LabelledInput(Vertical):
    """Label, input, and an error line that appears under the input when validation fails."""

    DEFAULT_CSS = """
    LabelledInput { height: auto; margin-bottom: 1; }
    LabelledInput > Label { padding: 0 1; text-style: bold; }
    LabelledInput > .form-hint { padding: 0 1; color: $text-muted; }
    LabelledInput > .form-error { padding: 0 1; color: $text-error; text-style: bold;
                                  display: none; }
    LabelledInput.-invalid > .form-error { display: block; }
    LabelledInput > .form-controls { padding: 0 1; color: $text-warning; }
    """
    CONTROLS_WARNING = (
        "This value holds control characters, shown as ␛ ␇ �. Left as shown, the original "
        "is kept; an edit saves what you see."
    )

    def __init__(
        self,
        label: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        validate: Validator | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._label = label
        self._value = value
        # What the input shows: the value with every control character made visible.
        self._shown = safe_str(value, None) if has_controls(value) else value
        self._placeholder = placeholder
        self._hint = hint
        self._validate = validate

    def compose(self) -> ComposeResult:
        yield Label(Text(self._label))
        yield Input(value=self._shown, placeholder=self._placeholder)
        if self._shown != self._value:
            yield Static(Text(self.CONTROLS_WARNING), classes="form-controls")
        if self._hint:
            yield Static(Text(self._hint), classes="form-hint")
        yield Static("", classes="form-error")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        """What the user typed; the pre-filled original while the field is left as shown."""
        text = self.input.value
        return self._value if text == self._shown else text

    @property
    def keeps_original(self) -> bool:
        """The pre-filled value held control characters and the field still shows it as it was."""
        return self._shown != self._value and self.input.value == self._shown

    def show_error(self, message: str | None) -> None:
        self.set_class(bool(message), "-invalid")
        self.query_one(".form-error", Static).update(Text(message or ""))

    def validated(self) -> tuple[Any, str | None]:
        if self._validate is None:
            result: tuple[Any, str | None] = (self.value, None)
        else:
            result = self._validate(self.value)
        self.show_error(result[1])
        return result

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.has_class("-invalid"):
            self.validated()


class FormScreen(ModalScreen[T | None], Generic[T]):
    """A modal form: subclasses compose fields in `fields()` and build a result in `submit()`.

    `escape` (or Cancel) dismisses with None. `enter` in the last input submits. The fields
    scroll (a focused field scrolls into view) and the buttons stay on screen, even at 80x24.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=True, id="dialog.cancel"),
    ]
    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form { width: 72; max-width: 100%; height: auto; max-height: 100%;
                         border: round $primary; background: $surface; padding: 1 1 0 1; }
    FormScreen #form-title { text-style: bold; padding: 0 1 1 1; }
    FormScreen #form-body { height: auto; }
    FormScreen #form-buttons { height: auto; align-horizontal: right; padding: 0 1 1 1; }
    FormScreen #form-buttons > Button { margin-left: 2; min-width: 10; }
    FormScreen #form-error { color: $text-error; padding: 0 1; text-style: bold; }
    """

    TITLE_TEXT: ClassVar[str] = ""
    SUBMIT_LABEL: ClassVar[str] = "OK"

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(self.title_text()), id="form-title")
            yield OrgLine()
            with VerticalScroll(id="form-body"):
                yield from self.fields()
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.SUBMIT_LABEL, id="submit", variant="primary")

    def title_text(self) -> str:
        """The title line (`TITLE_TEXT` unless a form builds its own)."""
        return self.TITLE_TEXT

    def fields(self) -> ComposeResult:
        raise NotImplementedError

    def submit(self) -> T | None:
        """The result, or None to stay open (after showing errors)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        first = next(iter(self.query(Input)), None)
        if first is not None:
            first.focus()
        self.call_after_refresh(self._fit_body)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_body)

    def _fit_body(self) -> None:
        """Cap the fields' height at what the screen leaves after the title, error line and
        buttons, so the buttons are never pushed off a short terminal."""
        bodies = self.query("#form-body")
        if not bodies:
            return
        body = bodies.first()
        form = self.query_one("#form")
        chrome = form.styles.gutter.height + sum(
            child.outer_size.height + child.styles.margin.height
            for child in form.children
            if child is not body and child.display
        )
        room = max(3, self.size.height - chrome)
        if body.styles.max_height is None or body.styles.max_height.value != room:
            body.styles.max_height = room

    def show_error(self, message: str | None) -> None:
        self.query_one("#form-error", Static).update(Text(message or ""))

    def _try_submit(self) -> None:
        result = self.submit()
        if result is not None:
            self.dismiss(result)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self._try_submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try_submit()

    def action_cancel(self) -> None:
        self.dismiss(None)
