"""The rows and columns of a `VirtualTable`, and how its columns fit a width."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text

__all__ = ["GAP", "Column", "Row", "fit_columns"]

GAP = 1


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int
    flex: bool = False  # takes the remaining width (one per table: the name)
    priority: int = 0  # higher numbers are dropped first when the table is narrow
    justify: Literal["left", "right"] = "left"


def _plain_of(cells: Sequence[Text | str]) -> str:
    return " ".join(cell.plain if isinstance(cell, Text) else str(cell) for cell in cells)


class Row:
    """One row: its key, the object it shows, and its cells.

    Cells may be given, or made on first render by `make(item)`: with 10,000 rows only the
    ones on screen are ever built. A lazy row needs `search` (its filterable text) up front.
    """

    __slots__ = ("_cells", "_make", "_search", "item", "key", "style")

    def __init__(
        self,
        key: str,
        cells: Sequence[Text | str] | None = None,
        item: Any = None,
        style: str = "",
        search: str = "",
        *,
        make: Callable[[Any], Sequence[Text | str]] | None = None,
    ) -> None:
        self.key = key
        self.item = item
        self.style = style  # e.g. "dim" for archived rows, or a semantic name ("warn")
        self._cells = cells
        self._make = make
        self._search = search.casefold() if search else ""

    @property
    def cells(self) -> Sequence[Text | str]:
        if self._cells is None:
            self._cells = tuple(self._make(self.item)) if self._make is not None else ()
        return self._cells

    @property
    def search(self) -> str:
        if not self._search and self._cells is not None:
            self._search = _plain_of(self._cells).casefold()
        return self._search

    def __repr__(self) -> str:
        return f"Row({self.key!r})"


def fit_columns(columns: Sequence[Column], width: int) -> list[tuple[int, int]]:
    """(column index, width) of the columns that fit `width`, in display order: low-priority
    columns are dropped first, the flex column (else the first) takes what is left."""
    order = sorted(range(len(columns)), key=lambda i: columns[i].priority)
    chosen: list[int] = []
    used = 0
    for index in order:
        need = columns[index].width + (GAP if chosen else 0)
        if used + need <= width or not chosen:
            chosen.append(index)
            used += need
    chosen.sort()
    spare = max(width - used, 0)
    flex = [i for i in chosen if columns[i].flex] or chosen[:1]
    layout = []
    for index in chosen:
        extra = spare if index == flex[0] else 0
        layout.append((index, columns[index].width + extra))
    if used > width:  # not even one column fits: squeeze the first
        layout = [(layout[0][0], width)]
    return layout
