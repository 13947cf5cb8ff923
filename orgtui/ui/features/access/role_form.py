"""The custom role form: name, description, and a permission picker grouped by area."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import SelectionList, Static

from orgtui.core.services.roles import permission_areas, validate_role_name
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.form import FormScreen, LabelledInput

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Role

__all__ = ["RoleForm", "RoleInput"]


@dataclass(frozen=True)
class RoleInput:
    name: str
    description: str
    permissions: tuple[str, ...]


def _validate_description(text: str) -> tuple[str | None, str | None]:
    value = text.strip()
    if value and not value.isprintable():
        return None, "The description has a control character"
    if len(value) > 500:
        return None, "The description is longer than 500 characters"
    return value, None


class RoleForm(FormScreen[RoleInput]):
    SUBMIT_LABEL = "Save role"
    DEFAULT_CSS = """
    RoleForm LabelledInput { margin-bottom: 0; }
    RoleForm LabelledInput > Input { border: none; height: 1; margin: 0 1;
        padding: 0 1; background: $boost; }
    RoleForm LabelledInput > Input:focus { background: $primary 25%; border: none; }
    RoleForm #role-perms { height: auto; max-height: 8; margin: 0 1; }
    RoleForm .form-label { padding: 1 1 0 1; text-style: bold; }
    """
    VOCAB_NOTE: ClassVar[str] = "Permissions, by area (space toggles)"

    def __init__(self, vocabulary: list[str], role: Role | None = None) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.role = role

    def fields(self) -> ComposeResult:
        role = self.role
        yield LabelledInput(
            "Role name",
            value=role.name if role else "",
            placeholder="e.g. Group manager",
            validate=validate_role_name,
            id="role-name",
        )
        yield LabelledInput(
            "Description (optional)",
            value=(role.description or "") if role else "",
            validate=_validate_description,
            id="role-description",
        )
        yield Static(Text(self.VOCAB_NOTE), classes="form-label")
        held = set(role.permissions) if role else set()
        options = []
        for area, ops in permission_areas(self.vocabulary).items():
            for op in ops:
                perm = f"{area}.{op}"
                prompt = safe_text(area, 50)
                prompt.append(f"  {op}", style="bold")
                options.append((prompt, perm, perm in held))
        yield SelectionList[str](*options, id="role-perms")

    def on_mount(self) -> None:
        super().on_mount()
        title = Text("Edit role " if self.role else "New custom role")
        if self.role:
            title.append(safe_str(self.role.name, 60), style="bold")
        self.query_one("#form-title", Static).update(title)

    def submit(self) -> RoleInput | None:
        name, name_error = self.query_one("#role-name", LabelledInput).validated()
        desc, desc_error = self.query_one("#role-description", LabelledInput).validated()
        chosen = self.query_one("#role-perms", SelectionList).selected
        if name_error or desc_error:
            self.show_error("Fix the fields marked above")
            return None
        if not chosen:
            self.show_error("Choose at least one permission")
            return None
        ordered = tuple(p for p in self.vocabulary if p in set(chosen))
        return RoleInput(name, desc or "", ordered)
