"""A line-API virtual table: renders only the rows on screen, so 10,000 rows cost nothing.

Textual's DataTable spends ~0.2 s adding 10,000 rows and slows every key press after that
(measured in tests/perf/bench_console.py), so resource lists use this instead. It also fits
its columns to the width: low-priority columns are dropped first, the name column (flex)
takes what is left, so nothing essential is cut at 80 columns.

`S` sorts by the next column shown (numbers, money and ages by value, largest first; text
A-Z; blanks and "—" last), the header marks it (▲/▼), and the order holds across refreshes.
Rows whose key starts with "__" (a totals row) stay on top.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from orgtui.ui.widgets.table_sort import SORT_ID, sorted_rows
from orgtui.ui.widgets.vtable_rows import GAP, Column, Row, fit_columns

__all__ = ["GAP", "Column", "Row", "VirtualTable"]


class VirtualTable(ScrollView, can_focus=True):
    """Rows of cells with a cursor, a fixed header line and a filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
        Binding("S", "cycle_sort", "Sort by next column", show=False, id=SORT_ID),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vtable--header",
        "vtable--cursor",
        "vtable--empty",
        "vtable--warn",
        "vtable--error",
        "vtable--ok",
        "vtable--muted",
    }
    DEFAULT_CSS = """
    VirtualTable { height: 1fr; background: $surface; overflow-x: hidden;
        scrollbar-size-vertical: 1; }
    VirtualTable > .vtable--header { text-style: bold; color: $text-accent; background: $panel; }
    VirtualTable > .vtable--cursor { background: $surface-lighten-1; }
    VirtualTable:focus > .vtable--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: $block-cursor-text-style; }
    VirtualTable > .vtable--empty { color: $text-muted; text-style: italic; }
    VirtualTable > .vtable--warn { color: $text-warning; text-style: bold; }
    VirtualTable > .vtable--error { color: $text-error; text-style: bold; }
    VirtualTable > .vtable--ok { color: $text-success; }
    VirtualTable > .vtable--muted { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        def __init__(self, table: VirtualTable, row: Row | None) -> None:
            self.table = table
            self.row = row
            super().__init__()

        @property
        def control(self) -> VirtualTable:
            return self.table

    class Selected(Highlighted):
        pass

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty: str = "Nothing here",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.empty_message = empty
        self._all: list[Row] = []
        self._rows: list[Row] = []
        self._filter = ""
        self._sort: tuple[int, bool] | None = None  # (column index, descending)
        self._columns_cache: tuple[int, list[tuple[int, int]]] | None = None
        self._strip_cache: dict[tuple[int, bool], Strip] = {}
        self._semantic: dict[str, Style] | None = None

    # ------------------------------------------------------------------ data

    @property
    def rows(self) -> list[Row]:
        """The rows shown (after the filter)."""
        return self._rows

    @property
    def all_rows(self) -> list[Row]:
        return self._all

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def current(self) -> Row | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor]
        return None

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace the rows, keeping the cursor on the same key when it is still there."""
        keep = self.current.key if self.current else None
        self._all = list(rows)
        self._apply(keep)

    def set_filter(self, text: str) -> None:
        keep = self.current.key if self.current else None
        self._filter = text.casefold()
        self._apply(keep)

    def set_empty_message(self, message: str) -> None:
        if message != self.empty_message:
            self.empty_message = message
            self._invalidate()

    @property
    def sort_column(self) -> tuple[str, bool] | None:
        """(column key, descending) the rows are sorted by, or None (as given)."""
        if self._sort is None:
            return None
        return self.columns[self._sort[0]].key, self._sort[1]

    def sort_by(self, column_key: str | None, descending: bool | None = None) -> None:
        """Sort by a column (None: back to the order given); numbers default largest first."""
        keep = self.current.key if self.current else None
        if column_key is None:
            self._sort = None
        else:
            index = next(i for i, c in enumerate(self.columns) if c.key == column_key)
            if descending is None:
                descending = self.columns[index].justify == "right"
            self._sort = (index, descending)
        self._columns_cache = None
        self._apply(keep)

    def action_cycle_sort(self) -> None:
        """The next column shown, then back to the order given."""
        shown = [index for index, _ in self.column_layout(self.scrollable_content_region.width)]
        current = self._sort[0] if self._sort else None
        later = [i for i in shown if current is None or i > current]
        self.sort_by(self.columns[later[0]].key if later else None)
        label = "as listed" if self._sort is None else self.columns[self._sort[0]].label.strip()
        self.notify(f"Sorted by {label}", timeout=2, markup=False)

    def _sorted(self, rows: list[Row]) -> list[Row]:
        if self._sort is None:
            return rows
        return sorted_rows(rows, *self._sort)

    def _apply(self, keep: str | None) -> None:
        needle = self._filter
        rows = [row for row in self._all if needle in row.search] if needle else self._all
        self._rows = self._sorted(rows)
        index = 0
        if keep is not None:
            for position, row in enumerate(self._rows):
                if row.key == keep:
                    index = position
                    break
            else:
                index = min(self.cursor, max(len(self._rows) - 1, 0))
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self._invalidate()
        self.cursor = index

    def select_key(self, key: str) -> bool:
        for position, row in enumerate(self._rows):
            if row.key == key:
                self.cursor = position
                return True
        return False

    def _invalidate(self) -> None:
        self._strip_cache.clear()
        self.refresh()

    # ------------------------------------------------------------------ cursor

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._strip_cache.pop((old, True), None)
        self._strip_cache.pop((new, False), None)
        self._scroll_cursor_visible()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_cursor_visible(self) -> None:
        page = self._page()
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self.cursor = index
            if event.chain > 1:
                self.action_select()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._rows) + 1)
        self._invalidate()

    # ------------------------------------------------------------------ layout

    def column_layout(self, width: int) -> list[tuple[int, int]]:
        """(column index, width) of the columns that fit, in display order."""
        if self._columns_cache and self._columns_cache[0] == width:
            return self._columns_cache[1]
        layout = fit_columns(self.columns, width)
        self._columns_cache = (width, layout)
        return layout

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header_strip(width)
        if not self._rows:
            if y == 1:
                style = self.get_component_rich_style("vtable--empty")
                message = self.empty_message
                if self._filter and self._all:
                    message = f"Nothing matches the filter “{self._filter}” (escape clears it)"
                text = Text(" " + message, style=style, no_wrap=True, overflow="ellipsis")
                return self._text_strip(text, width, base)
            return Strip.blank(width, base)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        is_cursor = index == self.cursor
        key = (index, is_cursor)
        strip = self._strip_cache.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._row_strip(self._rows[index], width, is_cursor)
            if len(self._strip_cache) > 2000:
                self._strip_cache.clear()
            self._strip_cache[key] = strip
        return strip

    def _cells_text(self, cells: Sequence[Text | str], width: int, row_style: str) -> Text:
        line = Text(no_wrap=True, end="")
        for position, (index, col_width) in enumerate(self.column_layout(width)):
            if position:
                line.append(" " * GAP)
            cell = cells[index] if index < len(cells) else ""
            piece = self._resolve(cell.copy()) if isinstance(cell, Text) else Text(str(cell))
            piece.no_wrap = True
            piece.end = ""
            if self.columns[index].justify == "right":
                piece.truncate(col_width, overflow="ellipsis")
                piece.pad_left(col_width - piece.cell_len)
            else:
                piece.truncate(col_width, overflow="ellipsis", pad=True)
            line.append_text(piece)
        if row_style:
            line.stylize_before(self._semantic_styles().get(row_style, row_style))
        return line

    def _semantic_styles(self) -> dict[str, Style]:
        """Row and cell styles named by meaning ("warn", "muted"...) resolved for the theme."""
        if self._semantic is None:
            self._semantic = {
                name: self.get_component_rich_style(f"vtable--{name}")
                for name in ("warn", "error", "ok", "muted")
            }
        return self._semantic

    def _resolve(self, text: Text) -> Text:
        styles = self._semantic_styles()
        if isinstance(text.style, str) and text.style in styles:
            text.style = styles[text.style]
        if text.spans:
            text.spans = [
                Span(span.start, span.end, styles[span.style])
                if isinstance(span.style, str) and span.style in styles
                else span
                for span in text.spans
            ]
        return text

    def _text_strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = list(text.render(self.app.console, end=""))
        return Strip(segments).adjust_cell_length(width, style).apply_style(style)

    def _header_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("vtable--header")
        labels = [Text(column.label) for column in self.columns]
        if self._sort is not None:
            index, descending = self._sort
            labels[index] = Text(
                self.columns[index].label.rstrip() + (" ▼" if descending else " ▲")
            )
        text = self._cells_text(labels, width, "")
        return (
            Strip(list(text.render(self.app.console, end="")))
            .adjust_cell_length(width, style)
            .apply_style(style)
        )

    def _row_strip(self, row: Row, width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        text = self._cells_text(row.cells, width, row.style)
        strip = self._text_strip(text, width, base)
        if is_cursor:
            cursor = self.get_component_rich_style("vtable--cursor")
            strip = Strip(
                [Segment(seg.text, (seg.style or Style()) + cursor, seg.control) for seg in strip],
                strip.cell_length,
            )
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._semantic = None
        self._strip_cache.clear()

    def on_focus(self, event: events.Focus) -> None:
        self._strip_cache.clear()
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self._strip_cache.clear()
        self.refresh()
