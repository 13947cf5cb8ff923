"""Invites: several people at once, one outcome per email; deleting a pending invite.

`projects` is an explicit choice, as in the API: `None` = the invitee joins the default project
(the API's legacy behaviour when the field is omitted), `[]` = no project at all, or a list of
`{"id": <project id>, "role": "member"|"owner"}` grants. Archived projects cannot be granted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import (
    ApiError,
    AuthenticationError,
    CreateOutcomeUnknownError,
    OfflineError,
    PermissionDeniedError,
)
from orgtui.core.services._common import (
    display,
    load_invites,
    load_users,
    mutation,
    project_of,
    refuse_if_archived,
    remove_by_id,
    require_choice,
    update_org_list,
    upsert,
    upserting,
)
from orgtui.core.services.errors import AcceptedInviteError, InvalidInput
from orgtui.core.services.reconcile import create_then_reconcile, find_created
from orgtui.core.services.results import Done, InviteOutcome, InviteReport
from orgtui.core.validation import parse_emails, validate_email

if TYPE_CHECKING:
    from orgtui.api.models import Invite
    from orgtui.core.session import Session

__all__ = ["INVITE_ROLES", "change_invite_role", "create_invites", "delete_invite"]

INVITE_ROLES = ("reader", "owner")
PROJECT_GRANT_ROLES = ("member", "owner")
# After these, every further request would fail the same way: stop and say so.
_FATAL = (AuthenticationError, PermissionDeniedError, OfflineError)


def _emails(emails: str | Sequence[str]) -> list[str]:
    if isinstance(emails, str):
        valid, errors = parse_emails(emails)
    else:
        valid, errors, seen = [], [], set()
        for raw in emails:
            value, error = validate_email(raw)
            if error or value is None:
                errors.append(error or "Not a valid email")
            elif value.lower() not in seen:
                seen.add(value.lower())
                valid.append(value)
        if not valid and not errors:
            errors.append("No email address given")
    if errors:
        raise InvalidInput("; ".join(errors))
    return valid


async def _grants(
    session: Session, projects: Sequence[Mapping[str, str]] | None
) -> list[dict[str, str]] | None:
    if projects is None:
        return None
    grants: list[dict[str, str]] = []
    for grant in projects:
        pid = str(grant.get("id") or "")
        role = require_choice(grant.get("role", "member"), PROJECT_GRANT_ROLES, "Project role")
        project = await project_of(session, pid)
        refuse_if_archived(project, "granting it in an invite")
        grants.append({"id": pid, "role": role})
    return grants


@mutation("invite.create")
async def create_invites(
    session: Session,
    *,
    emails: str | Sequence[str],
    role: str = "reader",
    projects: Sequence[Mapping[str, str]] | None = None,
) -> InviteReport:
    """Invite each email; people already in the organisation or already invited are skipped."""
    addresses = _emails(emails)
    require_choice(role, INVITE_ROLES, "Role")
    grants = await _grants(session, projects)
    members = {u.email.lower() for u in await load_users(session) if u.email}
    pending = {i.email.lower() for i in await load_invites(session) if i.status == "pending"}
    outcomes: list[InviteOutcome] = []
    stop: str | None = None
    for email in addresses:
        key = email.lower()
        if stop is not None:
            outcomes.append(InviteOutcome(email, "skipped", f"{email}: not sent ({stop})"))
        elif key in members:
            outcomes.append(InviteOutcome(email, "already_member", f"{email} is already a member"))
        elif key in pending:
            outcomes.append(
                InviteOutcome(email, "already_pending", f"{email} already has a pending invite")
            )
        else:
            outcome, fatal = await _send(session, email, role, grants)
            if outcome.status == "sent":
                pending.add(key)
                invite = outcome.invite
                update_org_list(session, "invites", "invites", upserting(invite))
            stop = fatal
            outcomes.append(outcome)
    return InviteReport(tuple(outcomes))


async def _send(
    session: Session, email: str, role: str, grants: list[dict[str, str]] | None
) -> tuple[InviteOutcome, str | None]:
    """The outcome, and the reason to stop sending the rest (auth, permission, offline)."""
    known = {i.id for i in session.snapshot.invites or ()}
    started = session.clock.now()

    async def send() -> Invite:
        return await session.client.create_invite(email, role, projects=grants)

    async def lost(exc: CreateOutcomeUnknownError) -> InviteOutcome:
        return await _reconcile(session, email, exc, started, known)

    async def created(invite: Invite) -> InviteOutcome:
        return InviteOutcome(email, "sent", f"Invited {email}", invite=invite)

    try:
        outcome = await create_then_reconcile(send, created=created, lost=lost)
    except ApiError as exc:
        fatal = str(exc) if isinstance(exc, _FATAL) else None
        return InviteOutcome(email, "error", f"{email}: {exc}"), fatal
    return outcome, None


async def _reconcile(
    session: Session,
    email: str,
    error: CreateOutcomeUnknownError,
    started: float,
    known: set[str],
) -> InviteOutcome:
    def same(invite: Any) -> bool:
        return bool(invite.email.lower() == email.lower() and invite.status == "pending")

    try:
        found: Invite | None = await find_created(
            session.client.iter_invites(), matches=same, started_at=started, known_ids=known
        )
    except ApiError as exc:
        return InviteOutcome(
            email,
            "unconfirmed",
            f"{email}: the invite may or may not have been sent ({error.cause or error}); "
            f"reading back failed too ({exc}). Refresh before trying again.",
        )
    if found is None:
        return InviteOutcome(
            email, "not_sent", f"{email}: not sent ({error.cause or error}); safe to try again"
        )
    return InviteOutcome(
        email, "sent", f"Invited {email} (confirmed by reading back)", invite=found
    )


@mutation("invite.delete")
async def delete_invite(session: Session, *, invite_id: str) -> Done:
    invite = next((i for i in session.snapshot.invites or () if i.id == invite_id), None)
    if invite is None:
        invite = await session.client.get_invite(invite_id)
    if invite.status == "accepted":
        raise AcceptedInviteError(
            f"The invite to {display(invite.email)} was accepted, and an accepted invite cannot "
            "be deleted: they are a member now; remove the member instead"
        )
    await session.client.delete_invite(invite_id)
    update_org_list(session, "invites", "invites", lambda xs: remove_by_id(xs, invite_id))
    return Done(f"Deleted the invite to {display(invite.email)}")


@mutation("invite.role")
async def change_invite_role(session: Session, *, invite_id: str, role: str) -> Done:
    """An invite cannot be edited (the API has no update): the old one is deleted and the same
    person invited again with the new role and the same project grants (a new email)."""
    require_choice(role, INVITE_ROLES, "Role")
    invite = next((i for i in session.snapshot.invites or () if i.id == invite_id), None)
    if invite is None:
        invite = await session.client.get_invite(invite_id)
    email = display(invite.email)
    if invite.status == "accepted":
        raise AcceptedInviteError(
            f"The invite to {email} was accepted: they are a member now; change the member's "
            "role instead"
        )
    if invite.role == role:
        return Done(f"The invite to {email} is already for {role}")
    grants = [{"id": p.id, "role": p.role} for p in invite.projects] if invite.projects else None
    await session.client.delete_invite(invite_id)
    update_org_list(session, "invites", "invites", lambda xs: remove_by_id(xs, invite_id))
    outcome, _ = await _send(session, invite.email, role, grants)
    if outcome.status != "sent" or outcome.invite is None:
        raise InvalidInput(
            f"The invite to {email} as {invite.role} was deleted, but the new one was not "
            f"sent: {outcome.message}. Invite them again with i."
        )
    new = outcome.invite
    update_org_list(session, "invites", "invites", lambda xs: upsert(xs, new))
    return Done(f"Invited {email} again, as {role} (the old invite is deleted)")
