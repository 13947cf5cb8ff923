"""Sorting a table's rows by one column's text: figures by value, words A-Z, blanks last."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from orgtui.ui.widgets.vtable import Row

SORT_ID = "table.sort"
_NUMBER = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*([kmbgt]|mo|min|[smhdwy])?\b", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800, "mo": 2592000, "y": 31536000}


def sort_value(text: str) -> tuple[int, float, str]:
    """How a cell sorts: (0, number, "") for figures, (1, 0, text) for words, (2, ...) blank.

    "$1,234.50", "12%", "1.3k", "4.5M" compare as numbers; "3 h" and "91 d" as durations.
    """
    plain = text.strip()
    if not plain or plain in ("—", "…", "-", "never", "none") or plain.endswith(" none"):
        return (2, 0.0, "")
    if _DATE.match(plain):  # ISO dates and times sort as text
        return (1, 0.0, plain)
    match = _NUMBER.search(plain)
    if match and not plain[: match.start()].strip(" $⚠▲▼~<>≈!").strip():
        number = float(match.group(1).replace(",", ""))
        unit = (match.group(2) or "").lower()
        if unit in _SECONDS and not plain.startswith("$"):
            number *= _SECONDS[unit]
        elif unit in _SCALE:
            number *= _SCALE[unit]
        return (0, number, "")
    return (1, 0.0, plain.casefold())


def sorted_rows(rows: Sequence[Row], index: int, descending: bool) -> list[Row]:
    """Rows by the text of column `index`: stable (ties keep their order), blanks ("—") last
    in either direction, and totals rows (key starting "__") first."""
    pinned = [row for row in rows if row.key.startswith("__")]
    keyed = []
    blank = []
    for row in rows:
        if row.key.startswith("__"):
            continue
        cells = row.cells
        cell = cells[index] if index < len(cells) else ""
        value = sort_value(cell.plain if isinstance(cell, Text) else str(cell))
        if value[0] == 2:
            blank.append(row)
        else:
            keyed.append((value, row))
    keyed.sort(key=lambda pair: pair[0], reverse=descending)
    return pinned + [row for _, row in keyed] + blank
