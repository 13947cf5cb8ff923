"""The health screen's tree: its node data, its key bindings, and how severities, checks and
objects are labelled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree

from orgtui.core.health import CHECKS, Finding, ObjectRef, Severity
from orgtui.ui.text import safe_text

__all__ = ["HealthTree", "NodeData", "object_label"]

HEADINGS = {Severity.FAILURE: "Failures", Severity.WARNING: "Warnings", Severity.INFO: "Info"}
MARKS = {Severity.FAILURE: "✗", Severity.WARNING: "!", Severity.INFO: "i"}
STYLES = {Severity.FAILURE: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
KINDS = {
    "project": "project",
    "api_key": "key",
    "admin_key": "admin key",
    "user": "member",
    "invite": "invite",
    "service_account": "account",
    "organization": "org",
    "part": "data",
    "certificate": "cert",
    "project_security": "project",
}
TITLES = {spec.id: spec.title for spec in CHECKS}
SPEND_PENDING = "spend.unavailable"  # while costs are on their way this is not yet true


@dataclass(frozen=True)
class NodeData:
    """What a tree node stands for: a severity, a check (all its findings) or one object."""

    kind: str  # severity | check | object
    key: tuple[Any, ...]
    findings: tuple[Finding, ...] = ()
    ref: ObjectRef | None = None


class HealthTree(Tree[NodeData]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "


def object_label(ref: ObjectRef, project_names: dict[str, str]) -> Text:
    text = Text()
    text.append(f"{KINDS.get(ref.type, ref.type):<8}", style="dim")
    text.append_text(safe_text(ref.name or ref.id, 80))
    if ref.type == "part":
        return text
    if ref.project_id and ref.type != "project":
        text.append("  ")
        text.append_text(
            safe_text(project_names.get(ref.project_id, ref.project_id), 40, style="dim italic")
        )
    return text
