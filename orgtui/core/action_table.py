"""The table of user actions: id, label, default key, scope, and whether it mutates.

Key bindings, the command palette, the help screen, the footer and the keymap are all built
from this one table (through `core.actions.ActionRegistry`). It imports nothing of ours.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnknownAction(KeyError):
    pass


# Scopes say where an action applies; the UI binds an action on the widgets of its scope.
GLOBAL = "global"
TREE = "tree"
PROJECT = "project"
KEY = "key"
SERVICE_ACCOUNT = "service_account"
PROJECT_MEMBER = "project_member"
ORG_MEMBER = "org_member"
INVITE = "invite"
ADMIN_KEY = "admin_key"
LIMITS = "limits"
RATE_LIMIT = "rate_limit"
GROUP = "group"
GROUP_MEMBER = "group_member"
ROLE = "role"
PROJECT_GROUP = "project_group"
PROJECT_ROLE = "project_role"
SPEND = "spend"
AUDIT = "audit"
HEALTH = "health"
MATRIX = "matrix"
DIALOG = "dialog"
CERTIFICATE = "certificate"
SECURITY = "security"


@dataclass(frozen=True)
class ActionSpec:
    id: str
    label: str
    key: str | None
    scope: str
    mutates: bool = False
    description: str = ""
    show_in_footer: bool = True
    palette: bool = True


_EXPLAIN = "Every org and project role of the member, and where each comes from"
_EXPLAIN_GROUP = "Everything the group gives its members, in the org and each project"

_SPECS: tuple[ActionSpec, ...] = (
    # -- global navigation and views
    ActionSpec("app.quit", "Quit", "q", GLOBAL, description="Leave orgtui"),
    ActionSpec("app.help", "Help", "question_mark", GLOBAL, description="Keys that work here"),
    ActionSpec("app.palette", "Commands", "ctrl+p", GLOBAL, show_in_footer=False, palette=False),
    ActionSpec(
        "app.theme",
        "Next theme",
        "T",
        GLOBAL,
        show_in_footer=False,
        description="Cycle dark, light and terminal-colour themes",
    ),
    ActionSpec("nav.back", "Back", "escape", GLOBAL, show_in_footer=False, palette=False),
    ActionSpec(
        "nav.filter", "Filter", "slash", GLOBAL, description="Filter the focused list as you type"
    ),
    ActionSpec(
        "nav.jump",
        "Jump",
        "colon",
        GLOBAL,
        description=(
            "Jump to a project, key, account or member (name, email, id, key's last characters)"
        ),
    ),
    ActionSpec("sync.refresh", "Refresh", "r", GLOBAL, description="Refresh what is focused"),
    ActionSpec(
        "sync.refresh_all",
        "Refresh all",
        "R",
        GLOBAL,
        show_in_footer=False,
        description="Refresh the whole organisation",
    ),
    ActionSpec("view.spend", "Spend", "s", GLOBAL, description="Spend, limits and live usage"),
    ActionSpec("view.health", "Health", "h", GLOBAL, description="Best-practice checks"),
    ActionSpec(
        "view.audit",
        "Audit log",
        "a",
        GLOBAL,
        description="Audit log, filtered to the selected object",
    ),
    ActionSpec(
        "view.matrix",
        "Access matrix",
        "M",
        GLOBAL,
        show_in_footer=False,
        description="Organisation members by projects",
    ),
    ActionSpec(
        "view.incident",
        "Incident",
        "exclamation_mark",
        GLOBAL,
        show_in_footer=False,
        description="What changed in the last 15/60 minutes, and how to contain it",
    ),
    ActionSpec(
        "view.toggle_archived",
        "Show archived",
        "A",
        TREE,
        show_in_footer=False,
        description="Show or hide archived projects",
    ),
    # -- projects
    ActionSpec(
        "project.create",
        "New project",
        "N",
        TREE,
        mutates=True,
        description="Create a project (data residency is fixed at creation)",
    ),
    ActionSpec(
        "service.onboard",
        "Onboard",
        "O",
        TREE,
        mutates=True,
        description="Onboard a service: projects per environment, limits, alerts, one key each",
    ),
    ActionSpec("project.rename", "Rename project", "e", PROJECT, mutates=True),
    ActionSpec(
        "project.archive",
        "Archive project",
        "X",
        PROJECT,
        mutates=True,
        description="Archive a project (cannot be undone)",
    ),
    # -- keys and service accounts
    ActionSpec(
        "key.create",
        "New key",
        "n",
        PROJECT,
        mutates=True,
        description="Create a service account with its own project key",
    ),
    ActionSpec("key.delete", "Delete key", "d", KEY, mutates=True),
    ActionSpec(
        "key.rotate",
        "Rotate key",
        "o",
        KEY,
        mutates=True,
        description="Mint a replacement, overlap, then delete the old key",
    ),
    ActionSpec("service_account.mint", "New key for account", "n", SERVICE_ACCOUNT, mutates=True),
    ActionSpec("service_account.role", "Change role", "e", SERVICE_ACCOUNT, mutates=True),
    ActionSpec("service_account.delete", "Delete account", "d", SERVICE_ACCOUNT, mutates=True),
    ActionSpec("admin_key.create", "New admin key", "n", ADMIN_KEY, mutates=True),
    ActionSpec("admin_key.delete", "Delete admin key", "d", ADMIN_KEY, mutates=True),
    # -- members
    ActionSpec("org_member.role", "Change role", "e", ORG_MEMBER, mutates=True),
    ActionSpec("org_member.remove", "Remove member", "d", ORG_MEMBER, mutates=True),
    ActionSpec(
        "invite.create",
        "Invite",
        "i",
        GLOBAL,
        mutates=True,
        description="Invite people to the organisation",
    ),
    ActionSpec(
        "invite.role",
        "Change role",
        "e",
        INVITE,
        mutates=True,
        description="Invite again with another role (an invite cannot be edited)",
    ),
    ActionSpec("invite.delete", "Delete invite", "d", INVITE, mutates=True),
    ActionSpec("project_member.add", "Add member", "+", PROJECT_MEMBER, mutates=True),
    ActionSpec("project_member.role", "Change role", "e", PROJECT_MEMBER, mutates=True),
    ActionSpec("project_member.remove", "Remove member", "d", PROJECT_MEMBER, mutates=True),
    ActionSpec("matrix.change", "Change membership", "e", MATRIX, mutates=True),
    ActionSpec("matrix.remove", "Remove membership", "d", MATRIX, mutates=True),
    # -- groups (role-based access)
    ActionSpec(
        "view.groups",
        "Groups",
        "W",
        GLOBAL,
        show_in_footer=False,
        description="Groups, their members and roles",
    ),
    ActionSpec("group.create", "New group", "n", GROUP, mutates=True),
    ActionSpec("group.rename", "Rename group", "e", GROUP, mutates=True),
    ActionSpec(
        "group.delete",
        "Delete group",
        "d",
        GROUP,
        mutates=True,
        description="Delete a group: its members lose what it gave them",
    ),
    ActionSpec("group.add_member", "Add to group", "+", GROUP, mutates=True),
    ActionSpec("group.grant_role", "Give role", "g", GROUP, mutates=True),
    ActionSpec(
        "group.revoke_role",
        "Take role",
        "x",
        GROUP,
        mutates=True,
        description="Unassign an organisation role from the group",
    ),
    ActionSpec("group_member.remove", "Remove from group", "d", GROUP_MEMBER, mutates=True),
    ActionSpec(
        "view.roles",
        "Roles",
        "P",
        GLOBAL,
        show_in_footer=False,
        description="Organisation roles and their permissions",
    ),
    ActionSpec("role.create", "New role", "n", ROLE, mutates=True),
    ActionSpec("role.edit", "Edit role", "e", ROLE, mutates=True),
    ActionSpec(
        "role.delete",
        "Delete role",
        "d",
        ROLE,
        mutates=True,
        description="Delete a custom role: whoever holds it loses it",
    ),
    ActionSpec("group.explain", "What it gives", "w", GROUP, description=_EXPLAIN_GROUP),
    # -- direct role assignments, project groups and project roles
    ActionSpec("member.explain", "What they can do", "w", ORG_MEMBER, description=_EXPLAIN),
    ActionSpec(
        "project_member.explain", "What they can do", "w", PROJECT_MEMBER, description=_EXPLAIN
    ),
    ActionSpec("group_member.explain", "What they can do", "w", GROUP_MEMBER, description=_EXPLAIN),
    ActionSpec("user_role.assign", "Give role", "g", ORG_MEMBER, mutates=True),
    ActionSpec("user_role.revoke", "Take role", "x", ORG_MEMBER, mutates=True),
    ActionSpec("project_user_role.assign", "Give project role", "g", PROJECT_MEMBER, mutates=True),
    ActionSpec("project_user_role.revoke", "Take project role", "x", PROJECT_MEMBER, mutates=True),
    ActionSpec("project_group.add", "Add group", "+", PROJECT_GROUP, mutates=True),
    ActionSpec("project_group.remove", "Remove group", "d", PROJECT_GROUP, mutates=True),
    ActionSpec("project_group.grant_role", "Give role", "g", PROJECT_GROUP, mutates=True),
    ActionSpec("project_group.revoke_role", "Take role", "x", PROJECT_GROUP, mutates=True),
    ActionSpec("view.project_roles", "Project roles", "p", PROJECT_GROUP),
    ActionSpec("project_role.create", "New role", "n", PROJECT_ROLE, mutates=True),
    ActionSpec("project_role.edit", "Edit role", "e", PROJECT_ROLE, mutates=True),
    ActionSpec("project_role.delete", "Delete role", "d", PROJECT_ROLE, mutates=True),
    # -- spend
    ActionSpec(
        "limit.set",
        "Set hard limit",
        "L",
        LIMITS,
        mutates=True,
        description="Set or change a hard spend limit",
    ),
    ActionSpec(
        "limit.remove", "Remove hard limit", "ctrl+x", LIMITS, mutates=True, show_in_footer=False
    ),
    ActionSpec("alert.create", "Add alert", "+", LIMITS, mutates=True),
    ActionSpec("alert.update", "Change alert", "e", LIMITS, mutates=True),
    ActionSpec("alert.delete", "Delete alert", "d", LIMITS, mutates=True),
    ActionSpec(
        "rate_limit.edit",
        "Edit rate limit",
        "e",
        RATE_LIMIT,
        mutates=True,
        description="Change a model's rate limits in this project",
    ),
    ActionSpec("graph.range", "Range", "g", SPEND, description="Minute, hour, day, cost"),
    ActionSpec("graph.group", "Group by", "G", SPEND, description="None, project, key, model"),
    ActionSpec(
        "graph.kind",
        "Kind",
        "u",
        SPEND,
        description="One kind of usage, all kinds stacked, or cost in dollars",
    ),
    ActionSpec("graph.pause", "Pause", "p", SPEND, description="Pause or resume live polling"),
    ActionSpec(
        "view.next_org",
        "Next org",
        "O",
        SPEND,
        show_in_footer=False,
        description="The next open organisation's spend or incident view",
    ),
    # -- security controls (the Certificates node; a project's Security tab)
    ActionSpec(
        "certificate.upload",
        "Upload certificate",
        "n",
        CERTIFICATE,
        mutates=True,
        description="Upload a PEM certificate from a file (not activated)",
    ),
    ActionSpec("certificate.rename", "Rename", "e", CERTIFICATE, mutates=True),
    ActionSpec(
        "certificate.activate",
        "Activate",
        "+",
        CERTIFICATE,
        mutates=True,
        description="Activate the certificate for the organisation or a project",
    ),
    ActionSpec(
        "certificate.deactivate",
        "Deactivate",
        "x",
        CERTIFICATE,
        mutates=True,
        description="Deactivate the certificate for the organisation or a project",
    ),
    ActionSpec("certificate.delete", "Delete", "d", CERTIFICATE, mutates=True),
    ActionSpec(
        "security.models",
        "Model permissions",
        "m",
        SECURITY,
        mutates=True,
        description="Allow or deny models for the project",
    ),
    ActionSpec(
        "security.models_reset",
        "Reset models",
        "ctrl+x",
        SECURITY,
        mutates=True,
        show_in_footer=False,
        description="Back to the default model permissions (every model)",
    ),
    ActionSpec("security.tools", "Hosted tools", "t", SECURITY, mutates=True),
    ActionSpec("security.retention", "Data retention", "D", SECURITY, mutates=True),
    ActionSpec(
        "security.org_retention",
        "Org retention",
        "O",
        SECURITY,
        mutates=True,
        show_in_footer=False,
        description="The organisation's data retention",
    ),
    # -- dialog
    ActionSpec("secret.copy", "Copy", "c", DIALOG, palette=False),
    ActionSpec("secret.reveal", "Reveal/hide", "v", DIALOG, palette=False),
    ActionSpec("secret.stored", "I have stored it", "y", DIALOG, palette=False),
)

_BY_ID: dict[str, ActionSpec] = {spec.id: spec for spec in _SPECS}
