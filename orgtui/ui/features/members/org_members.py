"""Organisation member flows: the role picker (shared by every role change) and removal.

`RoleScreen` is the confirmation of a role change: the person, their current role, one radio
button per role with what it allows, and an Apply button that stays disabled until a different
role is picked (so the key that opened it cannot apply it). Removing an organisation member asks
for their email to be typed. The last owner cannot be demoted or removed: the flows say why
before any dialog opens (the service checks again, with the same words).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, RadioButton, RadioSet, Static

from orgtui.ui.compat import highlight_radio
from orgtui.ui.text import safe_str, safe_text, short_date
from orgtui.ui.widgets.confirm import ConfirmScreen, typeable
from orgtui.ui.widgets.org_line import OrgLine

if TYPE_CHECKING:
    from orgtui.api.models import ProjectUser, User
    from orgtui.core.snapshot import OrgSnapshot

__all__ = [
    "ORG_ROLE_HELP",
    "PROJECT_ROLE_HELP",
    "RoleScreen",
    "member_label",
    "org_role_screen",
    "remove_org_member_screen",
]

# What each role allows, in the words of the seed (owner / reader at organisation level).
ORG_ROLE_HELP = {
    "owner": "full access: billing, members, keys and all settings",
    "reader": "read-only access to usage data and logs",
}
PROJECT_ROLE_HELP = {
    "member": "uses the API and creates keys in this project",
    "owner": "also manages the project's members, keys and limits",
}


def member_label(person: User | ProjectUser, max_len: int = 60) -> Text:
    """'Name <email>' (or the email, or the id) rendered literally."""
    name = person.name or ""
    email = person.email or ""
    if name and email and name != email:
        text = safe_text(name, max_len, style="bold")
        text.append_text(safe_text(f" <{email}>", max_len))
        return text
    return safe_text(name or email or person.id, max_len, style="bold")


class RoleScreen(ModalScreen[str | None]):
    """Pick a role; dismisses with the new role, or None when cancelled or unchanged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]
    DEFAULT_CSS = """
    RoleScreen { align: center middle; }
    RoleScreen > #role-dialog { width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 1 2 0 2; }
    RoleScreen #role-title { text-style: bold; padding-bottom: 1; }
    RoleScreen #role-who { padding-bottom: 1; }
    RoleScreen #role-note { color: $text-warning; padding-bottom: 1; }
    RoleScreen RadioSet { width: 100%; border: none; padding: 0; background: $surface; }
    RoleScreen #role-buttons { height: auto; align-horizontal: right; padding: 1 0; }
    RoleScreen #role-buttons > Button { margin-left: 2; min-width: 10; }
    """

    def __init__(
        self,
        title: str,
        who: Text,
        roles: Sequence[str],
        *,
        current: str | None,
        help: dict[str, str] | None = None,
        note: str | None = None,
        apply_label: str = "Change role",
    ) -> None:
        super().__init__()
        self._title = title
        self._who = who
        self._roles = list(roles)
        self._current = current
        self._help = help or {}
        self._note = note
        self._apply_label = apply_label

    def compose(self) -> ComposeResult:
        with Vertical(id="role-dialog"):
            yield Static(Text(self._title), id="role-title")
            yield OrgLine()
            who = Text.assemble(self._who)
            now = self._current if self._current else "not a member"
            who.append(f"\nnow: {now}", style="dim")
            yield Static(who, id="role-who")
            if self._note:
                yield Static(Text(self._note), id="role-note")
            with RadioSet(id="role-set"):
                for role in self._roles:
                    label = Text(role, style="bold")
                    if role == self._current:
                        label.append(" (current)", style="italic")
                    if role in self._help:
                        label.append(f"  {self._help[role]}", style="dim")
                    yield RadioButton(label, value=role == self._current, id=f"role-{role}")
            with Horizontal(id="role-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self._apply_label, id="apply", variant="primary", disabled=True)

    def on_mount(self) -> None:
        radios = self.query_one(RadioSet)
        if self._current in self._roles:
            # Textual highlights the first button; start from the current role instead, so
            # up/down reads as "from this role to that one".
            highlight_radio(radios, self._roles.index(self._current))
        radios.focus()

    @property
    def chosen(self) -> str | None:
        index = self.query_one(RadioSet).pressed_index
        return self._roles[index] if 0 <= index < len(self._roles) else None

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        apply = self.query_one("#apply", Button)
        apply.disabled = self.chosen in (None, self._current)
        if not apply.disabled:
            apply.focus()  # enter now applies; the opening key never does

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "apply" and self.chosen not in (None, self._current):
            self.dismiss(self.chosen)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _owners(users: Sequence[User]) -> list[User]:
    return [u for u in users if u.role == "owner" and not u.is_service_account]


def org_role_screen(user: User, users: Sequence[User] | None) -> RoleScreen:
    from orgtui.core.services.members import ORG_ROLES

    owners = len(_owners(users or ()))
    note = None
    if user.role == "owner" and owners == 2:
        note = "After this change the organisation will have a single owner."
    return RoleScreen(
        "Change organisation role",
        member_label(user),
        ORG_ROLES,
        current=user.role,
        help=ORG_ROLE_HELP,
        note=note,
    )


def _projects_of(snapshot: OrgSnapshot, user_id: str) -> list[str]:
    names = []
    for view in snapshot.projects.values():
        members = view.get("users")
        if members and any(u.id == user_id for u in members):
            names.append(safe_str(view.project.name or view.id, 40))
    return names


def remove_org_member_screen(user: User, snapshot: OrgSnapshot) -> ConfirmScreen:
    """Typed confirmation: the email (or the id when the email cannot be typed back)."""
    projects = _projects_of(snapshot, user.id)
    body = Text("Remove ")
    body.append_text(member_label(user))
    body.append(" from the organisation?\n\n")
    body.append(
        f"Organisation role: {user.role or 'unknown'}; member since {short_date(user.added_at)}.\n"
    )
    if projects:
        shown = ", ".join(projects[:6]) + (
            f" and {len(projects) - 6} more" if len(projects) > 6 else ""
        )
        body.append(f"They also lose access to {len(projects)} project(s): {shown}.\n")
    body.append("They will need a new invite to come back.", style="dim")
    typed = user.email if user.email and typeable(user.email) else user.id
    return ConfirmScreen("Remove organisation member", body, "Remove member", typed=typed)
