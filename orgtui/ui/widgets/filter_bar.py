"""The filter line: `/` opens it under the focused list, typing filters as you go.

Case-insensitive substring over the row's visible text. `enter` goes back to the list keeping
the filter (the line stays, showing it); `escape` clears it and closes the line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.widgets import Input


@runtime_checkable
class Filterable(Protocol):
    """A list the filter bar can drive (VirtualTable, OrgTree)."""

    def set_filter(self, text: str) -> None: ...

    @property
    def filter_text(self) -> str: ...


class FilterBar(Horizontal):
    DEFAULT_CSS = """
    FilterBar { height: 1; display: none; background: $panel; }
    FilterBar.-open { display: block; }
    FilterBar > Label { width: auto; padding: 0 1; color: $text-accent; text-style: bold; }
    FilterBar > Input { border: none; height: 1; padding: 0; width: 1fr; background: $panel; }
    FilterBar > Input:focus { border: none; background: $boost; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target: Widget | None = None

    def compose(self) -> ComposeResult:
        # Empty until first opened: the line is hidden at start, and Input's module and styles
        # cost the first frame a few milliseconds.
        return iter(())

    @property
    def input(self) -> Input:
        """The text field (built on first use)."""
        from textual.widgets import Input, Label

        found = self.query(Input)
        if found:
            return found.first()
        field = Input(
            placeholder="type to filter, enter to keep, escape to clear",
            id="filter-input",
            select_on_focus=False,
        )
        self.mount(Label(Text("/ filter")), field)
        return field

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open_for(self, target: Widget) -> None:
        """Start filtering `target` (keeps its current filter text for editing)."""
        self.target = target
        self.add_class("-open")
        current = target.filter_text if isinstance(target, Filterable) else ""
        self.input.value = current
        self.input.cursor_position = len(current)
        self.input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if isinstance(self.target, Filterable):
            self.target.set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Keep the filter and go back to the list."""
        event.stop()
        target = self.target
        if not event.value:
            self.close()
        if target is not None:
            target.focus()

    def clear(self) -> None:
        """Clear the filter and close the line; focus returns to the list."""
        target = self.target
        if isinstance(target, Filterable):
            target.set_filter("")
        self.close()
        if target is not None:
            target.focus()

    def close(self) -> None:
        self.remove_class("-open")
        if self.query("#filter-input"):  # built: it was opened once
            field = self.input
            with field.prevent(type(field).Changed):
                field.value = ""
