"""The invite form: several emails at once, an organisation role, and an explicit project choice.

Omitting `projects` and sending `[]` mean different things to the API (the default project vs
no project at all), so the form never leaves it implicit: a radio set says which, and "Choose
projects…" opens a list of the non-archived projects, each granted as member or owner (`o`).
Everything the form can know is checked before sending: malformed emails, people who are
already members or already have a pending invite, and projects archived since the form opened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.selection_list import Selection

from orgtui.core.validation import parse_emails
from orgtui.ui.features.members.org_members import ORG_ROLE_HELP
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.form import FormScreen, LabelledInput

if TYPE_CHECKING:
    from orgtui.core.snapshot import OrgSnapshot

__all__ = ["SCOPE_LABELS", "GrantList", "InviteRequest", "InviteScreen", "check_emails"]

INVITE_ROLES = ("reader", "owner")
DEFAULT, NONE, CHOOSE = 0, 1, 2
SCOPE_LABELS = ("Default project only (API default)", "No project", "Choose projects…")
NAME_WIDTH = 34


@dataclass(frozen=True)
class InviteRequest:
    """What to send: `projects` None = omit (default project), [] = none, else the grants."""

    emails: list[str]
    role: str
    projects: list[dict[str, str]] | None


def check_emails(text: str, snapshot: OrgSnapshot) -> tuple[list[str] | None, str | None]:
    """Parsed emails, or the reasons they cannot be invited (malformed, member, pending)."""
    emails, errors = parse_emails(text)
    members = {u.email.lower() for u in snapshot.users or () if u.email}
    pending = {i.email.lower() for i in snapshot.invites or () if i.status == "pending"}
    for email in emails:
        if email.lower() in members:
            errors.append(f"{email} is already a member")
        elif email.lower() in pending:
            errors.append(f"{email} already has a pending invite")
    if errors:
        return None, safe_str("; ".join(errors), 400)
    return emails, None


class GrantList(SelectionList[str]):
    """Non-archived projects to grant; space selects, `o` switches member/owner."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "flip_role", "Owner/member", id="invite.flip_role"),
    ]
    DEFAULT_CSS = "GrantList { height: auto; max-height: 9; margin: 0 1; }"

    def __init__(self, projects: list[tuple[str, str]], grants: Mapping[str, str]) -> None:
        self.names = dict(projects)
        self.roles = {pid: grants.get(pid, "member") for pid, _ in projects}
        super().__init__(
            *(Selection(self._prompt(pid), pid, pid in grants) for pid, _ in projects),
            id="invite-projects",
        )

    def _prompt(self, pid: str) -> Text:
        name = safe_text(self.names[pid], NAME_WIDTH)
        name.pad_right(NAME_WIDTH + 1 - name.cell_len)
        role = self.roles[pid]
        name.append(role, style="bold" if role == "owner" else "dim")
        return name

    def action_flip_role(self) -> None:
        index = self.highlighted
        if index is None:
            return
        pid = self.get_option_at_index(index).value
        self.roles[pid] = "owner" if self.roles[pid] == "member" else "member"
        self.replace_option_prompt_at_index(index, self._prompt(pid))
        self.select(pid)

    def grants(self) -> list[dict[str, str]]:
        return [{"id": pid, "role": self.roles[pid]} for pid in self.selected]


class InviteScreen(FormScreen[InviteRequest]):
    """`InviteScreen(snapshot_of, emails="", grants={pid: role})` -> InviteRequest | None."""

    SUBMIT_LABEL = "Send invites"
    DEFAULT_CSS = """
    InviteScreen > #form { width: 76; }
    InviteScreen .invite-label { padding: 0 1; text-style: bold; }
    InviteScreen RadioSet { width: 100%; border: none; margin: 0 1 1 1; padding: 0;
        background: $surface; }
    InviteScreen #invite-role { layout: horizontal; }
    InviteScreen #invite-role { margin-bottom: 0; }
    InviteScreen #invite-role > RadioButton { width: auto; margin-right: 4; }
    InviteScreen #invite-role-help { padding: 0 1 1 1; color: $text-muted; }
    InviteScreen #invite-projects-hint { padding: 0 1 1 1; color: $text-muted; }
    InviteScreen .-hidden { display: none; }
    """

    def __init__(
        self,
        snapshot_of: Callable[[], OrgSnapshot],
        *,
        emails: str = "",
        grants: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self._snapshot_of = snapshot_of
        self._emails = emails
        self._grants = dict(grants or {})
        snapshot = snapshot_of()
        self._form_title = f"Invite people to {safe_str(snapshot.org_name, 50)}"
        self._projects = [
            (view.id, view.project.name or view.id)
            for view in snapshot.projects.values()
            if not view.archived
        ]

    def title_text(self) -> str:
        return self._form_title

    def fields(self) -> ComposeResult:
        yield LabelledInput(
            "Emails",
            value=self._emails,
            placeholder="name@example.com, other@example.com",
            hint="Several at once: separate them with commas or spaces",
            validate=lambda text: check_emails(text, self._snapshot_of()),
            id="invite-emails",
        )
        yield Label("Organisation role", classes="invite-label")
        with RadioSet(id="invite-role"):
            for role in INVITE_ROLES:
                yield RadioButton(role, value=role == "reader", id=f"invite-role-{role}")
        yield Static(Text(ORG_ROLE_HELP["reader"]), id="invite-role-help")
        yield Label("Projects", classes="invite-label")
        scope = CHOOSE if self._grants else DEFAULT
        with RadioSet(id="invite-scope"):
            for index, label in enumerate(SCOPE_LABELS):
                yield RadioButton(label, value=index == scope, id=f"invite-scope-{index}")
        hidden = "" if scope == CHOOSE else "-hidden"
        grants = GrantList(self._projects, self._grants)
        grants.set_class(scope != CHOOSE, "-hidden")
        yield grants
        yield Static(
            Text("space: select   o: owner / member"), id="invite-projects-hint", classes=hidden
        )

    # ------------------------------------------------------------------ state

    @property
    def role(self) -> str:
        index = self.query_one("#invite-role", RadioSet).pressed_index
        return INVITE_ROLES[index] if index >= 0 else "reader"

    @property
    def scope(self) -> int:
        return self.query_one("#invite-scope", RadioSet).pressed_index

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "invite-role":
            self.query_one("#invite-role-help", Static).update(Text(ORG_ROLE_HELP[self.role]))
            return
        choose = self.scope == CHOOSE
        self.query_one(GrantList).set_class(not choose, "-hidden")
        self.query_one("#invite-projects-hint").set_class(not choose, "-hidden")
        if choose:
            self.call_after_refresh(self.query_one(GrantList).focus)

    def submit(self) -> InviteRequest | None:
        emails, error = self.query_one("#invite-emails", LabelledInput).validated()
        if error is not None:
            self.show_error("Check the emails above")
            return None
        projects: list[dict[str, str]] | None = None
        if self.scope == NONE:
            projects = []
        elif self.scope == CHOOSE:
            projects = self.query_one(GrantList).grants()
            problem = self._grant_problem(projects)
            if problem:
                self.show_error(problem)
                return None
        self.show_error(None)
        return InviteRequest(list(emails), self.role, projects)

    def _grant_problem(self, grants: list[dict[str, Any]]) -> str | None:
        if not grants:
            return 'Choose at least one project, or pick "No project"'
        snapshot = self._snapshot_of()
        for grant in grants:
            view = snapshot.project(grant["id"])
            if view is None:
                return f"Project {grant['id']} is no longer in the organisation"
            if view.archived:
                name = safe_str(view.project.name or view.id, 60)
                return (
                    f"Project {name} is archived: archived projects cannot be granted in an invite"
                )
        return None
