"""Project member flows: the add-member picker, and the remove confirmation.

The API adds only people who already belong to the organisation, so the picker lists the
organisation's members (those not in the project yet) and filters them as you type a name or
an email. A typed email that matches no member cannot be added: the picker says so and offers
an invite instead (which can grant this very project).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from orgtui.core.validation import validate_email
from orgtui.ui.features.members.org_members import PROJECT_ROLE_HELP, member_label
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.org_line import OrgLine

if TYPE_CHECKING:
    from orgtui.api.models import Project, ProjectUser, User

__all__ = ["AddMemberRequest", "AddMemberScreen", "remove_project_member_screen"]

PROJECT_ROLES = ("member", "owner")
NAME_WIDTH = 26


@dataclass(frozen=True)
class AddMemberRequest:
    """Add `user_id` (or look up `email`) with `role`; `invite` asks for the invite form instead."""

    role: str
    user_id: str | None = None
    email: str | None = None
    invite: bool = False


class AddMemberScreen(ModalScreen[AddMemberRequest | None]):
    """Filter-as-you-type over organisation members who are not in the project yet."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("down", "to_list", "Members", show=False),
    ]
    DEFAULT_CSS = """
    AddMemberScreen { align: center middle; }
    AddMemberScreen > #add-dialog { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 1 1 0 1; }
    AddMemberScreen #add-title { text-style: bold; padding: 0 1 1 1; }
    AddMemberScreen #add-filter { margin: 0 1; }
    AddMemberScreen #add-candidates { height: auto; max-height: 10; margin: 0 1; }
    AddMemberScreen.-short #add-candidates { max-height: 4; }
    AddMemberScreen #add-note { padding: 0 1; color: $text-muted; height: auto; }
    AddMemberScreen #add-note.-warn { color: $text-warning; text-style: bold; }
    AddMemberScreen .add-label { padding: 1 1 0 1; text-style: bold; }
    AddMemberScreen RadioSet { layout: horizontal; width: 100%; border: none; margin: 0 1;
        padding: 0; background: $surface; }
    AddMemberScreen RadioSet > RadioButton { width: auto; margin-right: 4; }
    AddMemberScreen #add-role-help { padding: 0 1; color: $text-muted; }
    AddMemberScreen #add-buttons { height: auto; align-horizontal: right; padding: 1; }
    AddMemberScreen #add-buttons > Button { margin-left: 2; min-width: 10; }
    AddMemberScreen .-hidden { display: none; }
    """

    def __init__(
        self, project: Project, users: Sequence[User] | None, members: Sequence[ProjectUser]
    ) -> None:
        super().__init__()
        self._project = project
        self._loaded = users is not None
        in_project = {m.id for m in members}
        self._members = {(m.email or "").lower(): m for m in members if m.email}
        self._candidates = sorted(
            (u for u in users or () if u.id not in in_project and not u.is_service_account),
            key=lambda u: (u.name or u.email or u.id).casefold(),
        )
        self._org_emails = {(u.email or "").lower() for u in users or ()}
        self._shown: list[User] = []
        self._invite_email: str | None = None

    def compose(self) -> ComposeResult:
        title = Text("Add a member to ")
        title.append_text(safe_text(self._project.name or self._project.id, 50))
        with Vertical(id="add-dialog"):
            yield Static(title, id="add-title")
            yield OrgLine()
            yield Input(placeholder="Type a name or an email to filter", id="add-filter")
            yield OptionList(id="add-candidates")
            yield Static("", id="add-note")
            yield Label("Project role", classes="add-label")
            with RadioSet(id="add-role"):
                for role in PROJECT_ROLES:
                    yield RadioButton(role, value=role == "member", id=f"add-role-{role}")
            yield Static(Text(PROJECT_ROLE_HELP["member"]), id="add-role-help")
            with Horizontal(id="add-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Invite instead…", id="invite", classes="-hidden")
                yield Button("Add member", id="add", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self._refilter("")
        self.query_one("#add-filter", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        # At 80x24 the list gives up rows so the buttons stay on screen.
        self.set_class(event.size.height < 30, "-short")

    # ------------------------------------------------------------------ filtering

    @property
    def role(self) -> str:
        index = self.query_one("#add-role", RadioSet).pressed_index
        return PROJECT_ROLES[index] if index >= 0 else "member"

    @property
    def selected(self) -> User | None:
        options = self.query_one("#add-candidates", OptionList)
        index = options.highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.query_one("#add-role-help", Static).update(Text(PROJECT_ROLE_HELP[self.role]))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refilter(event.value)

    def _refilter(self, text: str) -> None:
        needle = text.strip().casefold()
        self._shown = [
            u
            for u in self._candidates
            if not needle or needle in f"{u.name or ''} {u.email or ''}".casefold()
        ]
        options = self.query_one("#add-candidates", OptionList)
        options.clear_options()
        options.add_options(Option(self._prompt(u), id=u.id) for u in self._shown)
        if self._shown:
            options.highlighted = 0
        self._explain(text.strip())

    def _prompt(self, user: User) -> Text:
        name = safe_text(user.name or user.email or user.id, NAME_WIDTH)
        name.pad_right(NAME_WIDTH + 1 - name.cell_len)
        name.append_text(safe_text(user.email or "", 40, style="dim"))
        return name

    def _explain(self, typed: str) -> None:
        """The note under the list: counts, or why a typed email cannot be added."""
        note = self.query_one("#add-note", Static)
        self._invite_email = None
        warn = False
        email, error = validate_email(typed) if "@" in typed else (None, None)
        if email and error is None and not self._shown:
            if email.lower() in self._members:
                message = f"{safe_str(email, 80)} is already in this project"
                warn = True
            elif self._loaded and email.lower() not in self._org_emails:
                message = (
                    f"{safe_str(email, 80)} is not a member of the organisation. The API "
                    "adds only organisation members to projects: invite them instead "
                    "(the invite can grant this project)."
                )
                self._invite_email = email
                warn = True
            else:
                message = f"Add {safe_str(email, 80)} (looked up when you press Add)"
        elif not self._loaded:
            message = "Organisation members are not loaded yet: type a member's email"
        elif not self._candidates:
            message = "Every organisation member is already in this project"
        elif not self._shown:
            message = "No organisation member matches"
        else:
            message = f"{len(self._shown)} of {len(self._candidates)} organisation members"
        note.update(Text(message))
        note.set_class(warn, "-warn")
        self.query_one("#invite", Button).set_class(self._invite_email is None, "-hidden")
        add = self.query_one("#add", Button)
        add.disabled = self.selected is None and not (email and not warn)

    # ------------------------------------------------------------------ results

    def _request(self) -> AddMemberRequest | None:
        user = self.selected
        if user is not None:
            return AddMemberRequest(self.role, user_id=user.id)
        typed = self.query_one("#add-filter", Input).value.strip()
        email, error = validate_email(typed)
        if email and error is None and self._invite_email is None:
            return AddMemberRequest(self.role, email=email)
        return None

    def action_to_list(self) -> None:
        options = self.query_one("#add-candidates", OptionList)
        if self.focused is self.query_one("#add-filter", Input) and self._shown:
            options.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._invite_email is not None:
            self.dismiss(AddMemberRequest(self.role, email=self._invite_email, invite=True))
            return
        request = self._request()
        if request is not None:
            self.dismiss(request)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        request = self._request()
        if request is not None:
            self.dismiss(request)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self.dismiss(self._request())
        elif event.button.id == "invite" and self._invite_email is not None:
            self.dismiss(AddMemberRequest(self.role, email=self._invite_email, invite=True))
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def remove_project_member_screen(project: Project, member: ProjectUser) -> ConfirmScreen:
    body = Text("Remove ")
    body.append_text(member_label(member))
    body.append(" from ")
    body.append_text(safe_text(project.name or project.id, 60, style="bold"))
    body.append(
        f"?\n\nProject role: {member.role}. They stay in the organisation and keep "
        "their other projects."
    )
    return ConfirmScreen("Remove project member", body, "Remove")
