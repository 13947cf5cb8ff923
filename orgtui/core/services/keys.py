"""Project keys and service accounts: create, mint, delete, change role.

What the API allows (and so what the console offers):
- a new project key is always a service-account key (`key.create` creates the account);
- `service_account.mint` adds a key to an existing account (optionally with scopes);
- a *user-owned* key can be deleted; a *service-account* key cannot on its own (the API answers
  400): deleting the service account is the only way, and it deletes all of that account's keys.
Rotation lives in `rotation.py`, admin keys in `admin_keys.py`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from orgtui.api.errors import (
    ApiError,
    NotFoundError,
    OfflineError,
    RequestTimeoutError,
    ServerError,
)
from orgtui.core.services._common import (
    apply,
    display,
    mutation,
    project_of,
    refuse_if_archived,
    remove_by_id,
    require_choice,
    update_project_list,
)
from orgtui.core.services.errors import InvalidInput, OutcomeUnknown, ServiceAccountKeyError
from orgtui.core.services.minting import (
    SA_ROLES,
    mint_for_account,
    mint_new_account,
    normalise_scopes,
    put_account,
)
from orgtui.core.services.results import Done, MintedKey, Reconciliation
from orgtui.core.snapshot import project_part
from orgtui.core.validation import validate_key_name

if TYPE_CHECKING:
    from orgtui.api.models import ProjectApiKey, ProjectServiceAccount
    from orgtui.core.session import Session

__all__ = [
    "create_key",
    "drop_key",
    "drop_service_account",
    "delete_key",
    "delete_service_account",
    "find_key",
    "find_service_account",
    "mint_key",
    "set_service_account_role",
]


def _valid_name(name: str | None) -> str:
    value, error = validate_key_name(name)
    if error or value is None:
        raise InvalidInput(error or "Name is empty")
    return value


async def find_key(session: Session, pid: str, key_id: str) -> ProjectApiKey:
    view = session.snapshot.project(pid)
    for key in (view.get("api_keys") if view is not None else None) or ():
        if key.id == key_id:
            return key
    return await session.client.get_project_api_key(pid, key_id)


async def find_service_account(session: Session, pid: str, sid: str) -> ProjectServiceAccount:
    view = session.snapshot.project(pid)
    for account in (view.get("service_accounts") if view is not None else None) or ():
        if account.id == sid:
            return account
    return await session.client.get_service_account(pid, sid)


@mutation("key.create")
async def create_key(
    session: Session,
    *,
    project_id: str,
    name: str,
    role: str = "member",
    scopes: Sequence[str] | None = None,
) -> MintedKey | Reconciliation:
    """Create a service account `name` in the project and return its key (shown once).

    `role` is `member` or `owner`; `scopes` (e.g. `["api.responses.write"]`) restrict the key.
    """
    value = _valid_name(name)
    require_choice(role, SA_ROLES, "Role")
    wanted_scopes = normalise_scopes(scopes)
    project = await project_of(session, project_id)
    refuse_if_archived(project, "creating a key")
    return await mint_new_account(session, project, name=value, role=role, scopes=wanted_scopes)


@mutation("service_account.mint")
async def mint_key(
    session: Session,
    *,
    project_id: str,
    service_account_id: str,
    name: str | None = None,
    scopes: Sequence[str] | None = None,
) -> MintedKey | Reconciliation:
    """Mint another key for an existing service account."""
    value = _valid_name(name) if name is not None else None
    wanted_scopes = normalise_scopes(scopes)
    project = await project_of(session, project_id)
    refuse_if_archived(project, "minting a key")
    account = await find_service_account(session, project_id, service_account_id)
    return await mint_for_account(session, project, account, name=value, scopes=wanted_scopes)


@mutation("key.delete")
async def delete_key(session: Session, *, project_id: str, key_id: str) -> Done:
    """Delete a user-owned project key. Service-account keys raise `ServiceAccountKeyError`."""
    key = await find_key(session, project_id, key_id)
    owner = key.owner
    if owner.type == "service_account" or owner.service_account is not None:
        account = owner.service_account
        who = display(account.name if account else None, account.id if account else "?")
        raise ServiceAccountKeyError(
            f"Key {display(key.name, key.id)} belongs to service account {who}: the API cannot "
            "delete a service account's key on its own (it answers 400). Delete the service "
            "account instead; that deletes all of its keys.",
            project_id=project_id,
            key_id=key_id,
            service_account_id=account.id if account else None,
            service_account_name=account.name if account else None,
        )
    await delete_then_confirm(
        session.client.delete_project_api_key(project_id, key_id),
        lambda: session.client.get_project_api_key(project_id, key_id),
    )
    drop_key(session, project_id, key_id)
    return Done(f"Deleted key {display(key.name, key.id)}")


async def delete_then_confirm(
    delete: Awaitable[object], read_back: Callable[[], Awaitable[object]]
) -> None:
    """Send a delete; if its answer was lost, read back instead of guessing.

    A delete may reach the server even when the answer does not (a timeout, a dropped
    connection, a 5xx). Then a 404 on read-back means it is gone (success); the object still
    being there means it was not deleted (the original error stands); a failed read-back
    leaves the outcome unknown, and the error says to refresh and look.
    """
    try:
        await delete
    except (OfflineError, RequestTimeoutError, ServerError) as lost:
        try:
            await read_back()
        except NotFoundError:
            return
        except ApiError:
            raise OutcomeUnknown(
                f"{lost}. The delete may have been applied: refresh and look before trying again."
            ) from None
        raise


def drop_service_account(session: Session, pid: str, sid: str) -> int:
    """Remove a deleted account and its keys from the snapshot; returns how many keys went."""
    view = session.snapshot.project(pid)
    if view is None:
        return 0
    fields: dict[str, object] = {}
    parts: list[str] = []
    gone = 0
    accounts, keys = view.get("service_accounts"), view.get("api_keys")
    if accounts is not None:
        fields["service_accounts"] = remove_by_id(accounts, sid)
        parts.append(project_part(pid, "service_accounts"))
    if keys is not None:
        kept = [k for k in keys if _owner_sa_id(k) != sid]
        gone = len(keys) - len(kept)
        fields["api_keys"] = kept
        parts.append(project_part(pid, "keys"))
    if fields:
        apply(session, session.snapshot.with_project(pid, **fields), parts)
    return gone


def _owner_sa_id(key: ProjectApiKey) -> str | None:
    account = key.owner.service_account
    return account.id if account is not None else None


def drop_key(session: Session, pid: str, key_id: str) -> None:
    update_project_list(session, pid, "api_keys", "keys", lambda xs: remove_by_id(xs, key_id))


@mutation("service_account.delete")
async def delete_service_account(
    session: Session, *, project_id: str, service_account_id: str
) -> Done:
    """Delete a service account; the API deletes its keys with it."""
    project = await project_of(session, project_id)
    refuse_if_archived(project, "deleting a service account")
    account = await find_service_account(session, project_id, service_account_id)
    await delete_then_confirm(
        session.client.delete_service_account(project_id, service_account_id),
        lambda: session.client.get_service_account(project_id, service_account_id),
    )
    gone_keys = drop_service_account(session, project_id, service_account_id)
    keys_note = f" and its {gone_keys} key(s)" if gone_keys else " and its keys"
    return Done(f"Deleted service account {display(account.name, account.id)}{keys_note}")


@mutation("service_account.role")
async def set_service_account_role(
    session: Session, *, project_id: str, service_account_id: str, role: str
) -> Done:
    require_choice(role, SA_ROLES, "Role")
    project = await project_of(session, project_id)
    refuse_if_archived(project, "changing a service account's role")
    account = await find_service_account(session, project_id, service_account_id)
    if account.role == role:
        return Done(f"{display(account.name)} is already {role}", outcome="unchanged", obj=account)
    updated = await session.client.update_service_account(project_id, service_account_id, role=role)
    put_account(session, project_id, updated)
    return Done(f"{display(updated.name, updated.id)} is now {updated.role}", obj=updated)
