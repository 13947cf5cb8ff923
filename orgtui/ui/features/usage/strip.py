"""The usage strip at the bottom of the main screen, for the selected scope (org or project).

The shell reserves the space and shows a one-line placeholder. The spend feature replaces the
content without editing this file::

    from orgtui.ui.features.usage.strip import UsageStrip
    UsageStrip.content_factory = MyLiveGraph   # a Widget class/factory: () -> Widget

The content widget gets `set_scope(session, project_id)` calls (if it defines the method)
whenever the selection moves to another organisation or project.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from orgtui.ui.text import safe_text

if TYPE_CHECKING:
    from orgtui.core.session import Session


class UsagePlaceholder(Static):
    """One line naming the scope; replaced by the live graph when the spend feature is there."""

    def set_scope(self, session: Session | None, project_id: str | None) -> None:
        text = Text(" Usage ", style="bold")
        if session is None:
            self.update(text)
            return
        snap = session.snapshot
        view = snap.project(project_id) if project_id else None
        scope = (view.project.name or view.project.id) if view else snap.org_name
        text.append_text(safe_text(scope, 50))
        text.append("  live usage graph: press s for Spend", style="dim")
        self.update(text)


class UsageStrip(Widget):
    DEFAULT_CSS = """
    UsageStrip { height: auto; max-height: 11; min-height: 1;
                 background: $panel; }
    UsageStrip > UsagePlaceholder { height: 1; }
    """

    content_factory: ClassVar[Callable[[], Widget] | None] = None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.project_id: str | None = None

    def compose(self) -> ComposeResult:
        factory = type(self).content_factory
        yield factory() if factory is not None else UsagePlaceholder()

    def on_mount(self) -> None:
        self.refresh_content()

    def refresh_content(self) -> None:
        """Swap the placeholder for the installed content (it may be installed after mount)."""
        factory = type(self).content_factory
        if (
            factory is None
            or not self.is_attached
            or not isinstance(self.content, UsagePlaceholder)
        ):
            return  # not mounted yet: on_mount swaps it
        self.content.remove()
        content = factory()
        setter: Any = getattr(content, "set_scope", None)
        if callable(setter):
            setter(self.session, self.project_id)
        self.mount(content)

    @property
    def content(self) -> Widget:
        return self.children[0]

    def set_scope(self, session: Session | None, project_id: str | None) -> None:
        self.session = session
        self.project_id = project_id
        setter: Any = getattr(self.content, "set_scope", None) if self.children else None
        if callable(setter):
            setter(session, project_id)
