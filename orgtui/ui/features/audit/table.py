"""The audit screen's event table (which asks for more as it nears its end) and the filter
inputs' suggester."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.suggester import Suggester

from orgtui.ui.text import has_controls
from orgtui.ui.widgets.vtable import VirtualTable

__all__ = ["PREFETCH_ROWS", "AuditTable", "ItemSuggester", "typeable"]

PREFETCH_ROWS = 10  # fetch the next page when the cursor is this close to the last row


class AuditTable(VirtualTable):
    """The event list. Past the columns' base widths, the actor shares the spare room with the
    object (emails are long), instead of the object taking all of it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Details")]
    ACTOR_EXTRA_MAX = 14

    class NearEnd(Message):
        """Scrolled (wheel, scrollbar) to within a few rows of the last one."""

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        visible = self.scrollable_content_region.height
        if self.rows and round(new) + visible >= len(self.rows) - PREFETCH_ROWS:
            self.post_message(self.NearEnd())

    def column_layout(self, width: int) -> list[tuple[int, int]]:
        layout = super().column_layout(width)
        keys = [self.columns[index].key for index, _ in layout]
        if "actor" not in keys or "object" not in keys:
            return layout
        actor, obj = keys.index("actor"), keys.index("object")
        spare = layout[obj][1] - self.columns[layout[obj][0]].width
        give = min(spare // 2, self.ACTOR_EXTRA_MAX)
        if give <= 0:
            return layout
        out = list(layout)
        out[actor] = (layout[actor][0], layout[actor][1] + give)
        out[obj] = (layout[obj][0], layout[obj][1] - give)
        return out


class ItemSuggester(Suggester):
    """Completes the last item of a comma-separated list from a fixed list of words."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.words = list(words)

    async def get_suggestion(self, value: str) -> str | None:
        last = value.rpartition(",")[2].lstrip()
        if not last:
            return None
        wanted = last.casefold()
        for word in self.words:
            if word.casefold().startswith(wanted) and len(word) > len(last):
                return value + word[len(last) :]
        return None


def typeable(items: Iterable[str]) -> list[str]:
    """Only what a user could type: a suggestion is drawn inside the input, so a name holding
    control characters must never be offered (it would reach the terminal raw)."""
    return [item for item in items if not has_controls(item)]
