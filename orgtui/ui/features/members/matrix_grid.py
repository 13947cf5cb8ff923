"""The access matrix grid: members by projects, one role per cell, drawn a line at a time.

Only the cells on screen are rendered (rows through ScrollView, columns through
`col_offset`), and rendered lines are cached by what they depend on, so a cursor move repaints
two rows and 500 projects cost what 7 do. What it shows is a `MatrixModel` (see
`matrix_model`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from orgtui.core import actions as A
from orgtui.ui.bindings import ScopedActions, scope_bindings
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.members.matrix_model import MatrixFilter, MatrixModel, build_model
from orgtui.ui.text import safe_str, safe_text

if TYPE_CHECKING:
    from orgtui.api.models import User
    from orgtui.core.session import Session
    from orgtui.core.snapshot import ProjectView

__all__ = ["MatrixFilter", "MatrixGrid", "MatrixModel", "build_model"]

NAME_W, NAME_W_NARROW, ORG_W, HEADER_H, GAP = 24, 16, 6, 2, 1
SEPARATOR = " │ "
COL_MIN, COL_MAX = 6, 12
UNKNOWN = "…"
DIM = Style(dim=True)
ARCHIVED = Style(dim=True, italic=True)


def _col_width(view: ProjectView) -> int:
    name = view.project.name or view.id
    longest = max((len(part) for part in name.replace("-", "- ").split()), default=COL_MIN)
    return max(COL_MIN, min(COL_MAX, max(longest, min(len(name), COL_MAX))))


def _header_lines(name: str, width: int) -> tuple[str, str]:
    """The project name over two lines, broken at a space or a hyphen when it can be."""
    name = safe_str(name, 80)
    if len(name) <= width:
        return name, ""
    cut = max(name.rfind(" ", 0, width + 1), name.rfind("-", 0, width))
    cut = cut + 1 if cut > 0 else width
    first, rest = name[:cut].rstrip(), name[cut:].lstrip()
    return first, rest if len(rest) <= width else rest[: width - 1] + "…"


class MatrixGrid(ScopedActions, ScrollView, can_focus=True):
    """Members x projects with a cell cursor; only the visible cells are rendered."""

    SCOPES = (A.MATRIX,)
    BINDINGS: ClassVar[list[BindingType]] = [
        *scope_bindings(A.MATRIX),
        Binding("up,k", "move(0,-1)", "Up", show=False),
        Binding("down,j", "move(0,1)", "Down", show=False),
        Binding("left,h", "move(-1,0)", "Left", show=False),
        Binding("right,l", "move(1,0)", "Right", show=False),
        Binding("pageup", "move(0,-10)", show=False),
        Binding("pagedown", "move(0,10)", show=False),
        Binding("home", "move(-100000,0)", show=False),
        Binding("end", "move(100000,0)", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix--header",
        "matrix--cursor",
        "matrix--row",
        "matrix--owner",
        "matrix--muted",
    }
    DEFAULT_CSS = """
    MatrixGrid { height: 1fr; background: $surface; overflow-x: hidden; scrollbar-size-vertical: 1; }
    MatrixGrid > .matrix--header { text-style: bold; color: $text-accent; background: $panel; }
    MatrixGrid > .matrix--cursor { background: $surface-lighten-2; }
    MatrixGrid:focus > .matrix--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: bold; }
    MatrixGrid > .matrix--row { background: $surface-lighten-1; }
    MatrixGrid > .matrix--owner { color: $text-warning; text-style: bold; }
    MatrixGrid > .matrix--muted { color: $text-muted; }
    """

    class Moved(Message):
        """The cursor or the visible columns changed."""

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.model = MatrixModel()
        self.row = 0
        self.col = 0
        self.col_offset = 0
        self._widths: list[int] = []
        self._strips: dict[tuple[int, int, int, bool, int], Strip] = {}
        self._styles: dict[str, Style] | None = None

    # ------------------------------------------------------------------ data and cursor

    def set_model(self, model: MatrixModel) -> None:
        keep = self.current_ids()
        had_cell = keep is not None
        self.model = model
        self._widths = [_col_width(v) for v in model.projects]
        if keep is not None:
            uid, pid = keep
            self.row = next((i for i, u in enumerate(model.users) if u.id == uid), self.row)
            self.col = next((i for i, v in enumerate(model.projects) if v.id == pid), self.col)
        self._place(0, 0)
        self.virtual_size = Size(self.size.width, len(model.users) + HEADER_H)
        self._invalidate()
        if had_cell != (self.current_cell() is not None):
            self.refresh_bindings()  # e/d appear in the footer only when there is a cell

    def current_ids(self) -> tuple[str, str] | None:
        cell = self.current_cell()
        return (cell[0].id, cell[1].id) if cell else None

    def current_cell(self) -> tuple[User, ProjectView] | None:
        m = self.model
        if 0 <= self.row < len(m.users) and 0 <= self.col < len(m.projects):
            return m.users[self.row], m.projects[self.col]
        return None

    def action_move(self, dx: int, dy: int) -> None:
        before = (self.row, self.col_offset, round(self.scroll_y))
        self._place(dx, dy)
        if (self.col_offset, round(self.scroll_y)) == before[1:]:
            # Nothing scrolled: repaint the header and the two rows the cursor left and entered.
            top, width = round(self.scroll_y), self.size.width
            lines = {0, 1, before[0] - top + HEADER_H, self.row - top + HEADER_H}
            self.refresh(*(Region(0, y, width, 1) for y in lines if y >= 0))
        else:
            self.refresh()
        self.post_message(self.Moved())

    def _place(self, dx: int, dy: int) -> None:
        rows, cols = len(self.model.users), len(self.model.projects)
        self.row = max(0, min(self.row + dy, rows - 1))
        self.col = max(0, min(self.col + dx, cols - 1))
        self.col_offset = min(self.col_offset, self.col)
        while self.col_offset < self.col and self.col not in self.visible_columns():
            self.col_offset += 1
        page = max(self.scrollable_content_region.height - HEADER_H, 1)
        top = round(self.scroll_y)
        if self.row < top:
            self.scroll_to(y=self.row, animate=False, immediate=True)
        elif self.row >= top + page:
            self.scroll_to(y=self.row - page + 1, animate=False, immediate=True)

    @property
    def name_width(self) -> int:
        return NAME_W if self.size.width >= 100 else NAME_W_NARROW

    @property
    def left_width(self) -> int:
        """The fixed columns (name, org role, separator), left of the projects."""
        return 1 + self.name_width + GAP + ORG_W + len(SEPARATOR)

    def visible_columns(self, width: int | None = None) -> list[int]:
        room = (width or self.scrollable_content_region.width) - self.left_width
        shown: list[int] = []
        for index in range(self.col_offset, len(self._widths)):
            room -= self._widths[index] + GAP
            if room < 0 and shown:
                break
            shown.append(index)
        return shown

    def visible_project_ids(self) -> list[str]:
        return [self.model.projects[i].id for i in self.visible_columns()]

    # ------------------------------------------------------------------ actions

    def action_context(self) -> ActionContext:
        cell = self.current_cell()
        user, view = cell if cell else (None, None)
        role = self.model.role(user.id, view.id) if user and view else None
        return ActionContext(
            scope=A.MATRIX,
            project_id=view.id if view else None,
            item=user,
            extra={"role": role},
            session=self.session,
        )

    def applies(self, action_id: str) -> bool:
        return self.current_cell() is not None

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_H:
            return
        self.row = round(self.scroll_y) + offset.y - HEADER_H
        x = self.left_width
        for index in self.visible_columns():
            if x <= offset.x < x + self._widths[index] + GAP:
                self.col = index
            x += self._widths[index] + GAP
        self.action_move(0, 0)

    # ------------------------------------------------------------------ rendering

    def _style(self, name: str) -> Style:
        if self._styles is None:
            self._styles = {
                "base": self.rich_style,
                **{
                    part: self.get_component_rich_style(f"matrix--{part}", partial=part != "header")
                    for part in ("header", "cursor", "row", "owner", "muted")
                },
            }
        return self._styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y - HEADER_H
        on_cursor = index == self.row
        # A row's picture depends on the visible columns and, on the cursor row only, on the
        # cursor column: cached so a move repaints two rows, not the screen.
        key = (
            y - HEADER_H if y < HEADER_H else index,  # header lines are -2 and -1
            self.col_offset,
            self.col if on_cursor or y < HEADER_H else -1,
            self.has_focus,
            width,
        )
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        if y < HEADER_H:
            text, style = self._header(y), self._style("header")
        else:
            style = self._style("base")
            if not self.model.users:
                text = Text(" " + self._empty_message() if y == HEADER_H else "", style="italic")
            elif index >= len(self.model.users):
                text = Text()
            else:
                text = self._row(index)
                if on_cursor:
                    style = style + self._style("row")
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(segments).adjust_cell_length(width, style).apply_style(style)
        if len(self._strips) > 4000:
            self._strips.clear()
        self._strips[key] = strip
        return strip

    def _invalidate(self) -> None:
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def _empty_message(self) -> str:
        if self.session.snapshot.users is None:
            return "Loading organisation members…"
        return "No member matches the filter" if self.model.total_users else "No members"

    def _header(self, line: int) -> Text:
        text = Text(no_wrap=True, end="")
        left = ["Member", f"{len(self.model.users)} of {self.model.total_users}"][line]
        text.append(f" {left:<{self.name_width}}")
        text.append(" " * GAP + f"{'Org' if line == 0 else '':<{ORG_W}}")
        text.append(SEPARATOR, style=DIM)
        for index in self.visible_columns():
            view, width = self.model.projects[index], self._widths[index]
            label = _header_lines(view.project.name or view.id, width)[line]
            style = ARCHIVED if view.archived else Style()
            if index == self.col:
                style += self._style("cursor")
            text.append(f"{label:<{width}}", style=style)
            text.append(" " * GAP)
        return text

    def _row(self, index: int) -> Text:
        user = self.model.users[index]
        text = Text(no_wrap=True, end="")
        name = safe_text(user.name or user.email or user.id, self.name_width)
        name.pad_right(self.name_width - name.cell_len)
        text.append(" ")
        text.append_text(name)
        text.append(" " * GAP)
        org = user.role or ""
        text.append(f"{org:<{ORG_W}}", style=self._style("owner") if org == "owner" else "")
        text.append(SEPARATOR, style=DIM)
        muted, owner = self._style("muted"), self._style("owner")
        for col in self.visible_columns():
            view, width = self.model.projects[col], self._widths[col]
            role = self.model.role(user.id, view.id)
            via = self.model.via_groups(user.id, view.id)
            if role is None:
                cell, style = UNKNOWN, muted
            elif role == "" and via:  # reached only through a group: italic
                best = "owner" if any(r == "owner" for r, _ in via) else via[0][0]
                cell = safe_str(best, width)  # a custom role's name is untrusted text
                style = (owner if best == "owner" else Style()) + Style(italic=True)
            elif role == "":
                cell, style = "·", muted
            else:
                cell, style = role, owner if role == "owner" else Style()
            if view.archived:
                style += DIM
            if index == self.row and col == self.col:
                style += self._style("cursor") if self.has_focus else Style(reverse=True)
            text.append(f"{cell:<{width}}", style=style)
            text.append(" " * GAP)
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.model.users) + HEADER_H)
        self._invalidate()
        self.post_message(self.Moved())
