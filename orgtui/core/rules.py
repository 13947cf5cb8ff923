"""The preconditions of the mutating actions, each stated once.

Read-only mode, archived projects, the default project and the last owner are decided here.
The UI asks `precheck` before it opens any dialog (`ui.dispatch.run_registered` does it for
every action), and each core service asks the same rule again when it runs, so a service called
directly (a script, a test, a second step of a flow) refuses for the same reason in the same
words. A `Refusal` is a value; the services raise it as the matching `ServiceRefusal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from orgtui.api.models import Project, User
    from orgtui.core.actions import ActionRegistry
    from orgtui.core.session import Session

__all__ = [
    "ARCHIVED_DOING",
    "DEFAULT_PROJECT_WHY",
    "Refusal",
    "RuleName",
    "archived",
    "archived_refusal",
    "default_project_refusal",
    "is_default_project",
    "last_owner_refusal",
    "precheck",
    "read_only_refusal",
]

RuleName = Literal["read_only", "archived", "default_project", "last_owner"]


@dataclass(frozen=True)
class Refusal:
    """Why `action_id` cannot run: `reason` is the sentence the user reads."""

    action_id: str
    rule: RuleName
    reason: str

    @property
    def title(self) -> str:
        return {"read_only": "Read-only", "default_project": "Default project"}.get(self.rule, "")


def _display(name: str | None, fallback: str, limit: int = 60) -> str:
    text = "".join(ch if ch.isprintable() else "?" for ch in (name or fallback))
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- read-only (the one gate)


def read_only_refusal(registry: ActionRegistry, action_id: str) -> Refusal | None:
    """The read-only gate: a mutating action is refused while the registry is read-only."""
    spec = registry.get(action_id)
    if registry.read_only and spec.mutates:
        reason = f"{spec.label} is not allowed: {registry.read_only_reason}."
        return Refusal(action_id, "read_only", reason)
    return None


# ---------------------------------------------------------------- archived projects

# What each action would be doing to a project, for the archived refusal's sentence.
ARCHIVED_DOING: dict[str, str] = {
    "project.rename": "renaming it",
    "project.archive": "archiving it again",
    "key.create": "creating a key",
    "key.rotate": "rotating a key",
    "service_account.mint": "minting a key",
    "service_account.delete": "deleting a service account",
    "service_account.role": "changing a service account's role",
    "project_member.add": "adding a member",
    "project_member.role": "changing a member's role",
    "project_member.remove": "removing a member",
    "matrix.change": "changing its members",
    "matrix.remove": "changing its members",
    "project_user_role.assign": "changing its access",
    "project_user_role.revoke": "changing its access",
    "project_group.add": "changing its access",
    "project_group.remove": "changing its access",
    "project_group.grant_role": "changing its access",
    "project_group.revoke_role": "changing its access",
    "project_role.create": "changing its roles",
    "project_role.edit": "changing its roles",
    "project_role.delete": "changing its roles",
    "limit.set": "setting its limit",
    "limit.remove": "removing its limit",
    "alert.create": "adding an alert",
    "alert.update": "changing an alert",
    "alert.delete": "deleting an alert",
    "rate_limit.edit": "changing its rate limits",
    "certificate.activate": "activating a certificate",
    "certificate.deactivate": "deactivating a certificate",
    "security.retention": "changing its data retention",
    "security.models": "changing its model permissions",
    "security.models_reset": "changing its model permissions",
    "security.tools": "changing its hosted tools",
}


def archived(project: Project) -> bool:
    """Archived: the API model's own reading (`archived_at` set, or the status says so)."""
    return project.archived


def archived_refusal(action_id: str, project: Project, doing: str | None = None) -> Refusal | None:
    """Archived projects cannot be used or updated."""
    if not archived(project):
        return None
    doing = doing or ARCHIVED_DOING.get(action_id, "changing it")
    return Refusal(
        action_id,
        "archived",
        f"Project {_display(project.name, project.id)} is archived: archived projects cannot "
        f"be used or updated, so {doing} is not possible",
    )


# ---------------------------------------------------------------- the default project

DEFAULT_PROJECT_WHY = (
    "The default project cannot be renamed or archived: the Admin API refuses changes to the "
    "organisation's default project."
)
_DEFAULT_PROJECT_ACTIONS = frozenset({"project.rename", "project.archive"})


def is_default_project(project: Project) -> bool:
    return bool(getattr(project, "is_default", False))


def default_project_refusal(action_id: str, project: Project) -> Refusal | None:
    if action_id in _DEFAULT_PROJECT_ACTIONS and is_default_project(project):
        return Refusal(action_id, "default_project", DEFAULT_PROJECT_WHY)
    return None


# ---------------------------------------------------------------- the last owner

_LAST_OWNER_DOING = {"org_member.role": "demoting", "org_member.remove": "removing"}


def owners(users: Sequence[User]) -> list[User]:
    return [u for u in users if u.role == "owner" and not u.is_service_account]


def last_owner_refusal(action_id: str, users: Sequence[User], user: User) -> Refusal | None:
    """Demoting or removing the only owner would leave nobody able to manage the organisation."""
    doing = _LAST_OWNER_DOING.get(action_id)
    if doing is None or user.role != "owner":
        return None
    only = owners(users)
    if len(only) <= 1 and any(u.id == user.id for u in only):
        who = _display(user.name or user.email, user.id)
        return Refusal(
            action_id,
            "last_owner",
            f"{who} is the organisation's only owner: {doing} them would leave nobody "
            "able to manage members, billing and keys. Make someone else an owner first.",
        )
    return None


# ---------------------------------------------------------------- all of them


def precheck(
    session: Session,
    action_id: str,
    *,
    project: Project | None = None,
    user: User | None = None,
) -> Refusal | None:
    """The first rule `action_id` breaks on `project`/`user` as the session knows them, or None.

    What is not known locally (a member list never loaded) is not refused here: the service
    loads it and asks the same rule when it runs.
    """
    refusal = read_only_refusal(session.registry, action_id)
    if refusal is None and project is not None:
        refusal = default_project_refusal(action_id, project)
        if refusal is None and action_id in ARCHIVED_DOING:
            refusal = archived_refusal(action_id, project)
    if refusal is None and user is not None and session.snapshot.users is not None:
        refusal = last_owner_refusal(action_id, session.snapshot.users, user)
    return refusal
