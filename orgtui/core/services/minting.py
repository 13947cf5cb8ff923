"""Minting project keys: the only way the API creates one is through a service account.

`POST .../service_accounts` creates an account with role `member` and returns its first key's
value once. With `create_service_account_only=true` the account has role `none` and no key;
`POST .../service_accounts/{id}/api_keys` then mints a key (optionally with `scopes`). There is
no role parameter on create, so an `owner` account takes a follow-up update.

Once a value has been returned it must reach the user: a failure in a follow-up call (role
update, read-back) becomes a warning on the result, never an exception that drops the value.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import ApiError, CreateOutcomeUnknownError
from orgtui.api.models import (
    ApiKeyOwner,
    ProjectApiKey,
    ProjectApiKeyOwnerServiceAccount,
    ProjectServiceAccount,
)
from orgtui.core.secret import OneTimeSecret
from orgtui.core.services._common import display, update_project_list, upsert
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.reconcile import create_then_reconcile, find_created, reconcile
from orgtui.core.services.results import MintedKey, Reconciliation

if TYPE_CHECKING:
    from orgtui.api.models import Project, ProjectServiceAccountApiKey
    from orgtui.core.session import Session

__all__ = ["SA_ROLES", "mint_for_account", "mint_new_account", "normalise_scopes", "put_account"]

SA_ROLES = ("member", "owner")


def normalise_scopes(scopes: Sequence[str] | None) -> tuple[str, ...] | None:
    if scopes is None:
        return None
    if isinstance(scopes, str):
        scopes = [s for s in scopes.replace(",", " ").split() if s]
    out: list[str] = []
    for scope in scopes:
        text = str(scope).strip()
        if not text or not text.isprintable() or " " in text:
            raise InvalidInput(f"Scope {text!r} is not valid (like api.responses.write)")
        if text not in out:
            out.append(text)
    return tuple(out) or None


def put_account(session: Session, pid: str, account: ProjectServiceAccount) -> None:
    update_project_list(
        session, pid, "service_accounts", "service_accounts", lambda xs: upsert(xs, account)
    )


def _put_key(session: Session, pid: str, key: ProjectApiKey) -> None:
    update_project_list(session, pid, "api_keys", "keys", lambda xs: upsert(xs, key))


def _known_ids(session: Session, pid: str, field: str) -> set[str]:
    view = session.snapshot.project(pid)
    items = view.get(field) if view is not None else None
    return {item.id for item in items or ()}


async def _stored_key(
    session: Session,
    pid: str,
    minted: ProjectServiceAccountApiKey,
    secret: OneTimeSecret,
    account: ProjectServiceAccount,
    warnings: list[str],
) -> ProjectApiKey:
    """The key as the API lists it (for its redacted value), or a local stand-in."""
    try:
        return await session.client.get_project_api_key(pid, minted.id)
    except ApiError as exc:
        warnings.append(f"reading the new key back failed ({exc}); refresh to see it")
    owner = ProjectApiKeyOwnerServiceAccount(
        id=account.id, name=account.name, created_at=account.created_at, role=account.role
    )
    return ProjectApiKey(
        redacted_value=secret.masked(),
        name=minted.name,
        created_at=minted.created_at,
        last_used_at=None,
        id=minted.id,
        owner_project_access="active",
        owner=ApiKeyOwner(type="service_account", service_account=owner),
    )


async def _finish(
    session: Session,
    project: Project,
    account: ProjectServiceAccount,
    minted: ProjectServiceAccountApiKey,
    scopes: tuple[str, ...] | None,
    warnings: list[str],
) -> MintedKey:
    secret = OneTimeSecret(minted.value, label=account.name)
    stored = await _stored_key(session, project.id, minted, secret, account, warnings)
    put_account(session, project.id, account)
    _put_key(session, project.id, stored)
    return MintedKey(
        secret=secret,
        project_id=project.id,
        project_name=project.name,
        service_account_id=account.id,
        service_account_name=account.name,
        key_id=minted.id,
        key_name=minted.name,
        redacted_value=stored.redacted_value,
        role=account.role,
        scopes=scopes,
        warnings=tuple(warnings),
    )


async def mint_for_account(
    session: Session,
    project: Project,
    account: ProjectServiceAccount,
    *,
    name: str | None,
    scopes: tuple[str, ...] | None,
    warnings: list[str] | None = None,
) -> MintedKey | Reconciliation:
    """Mint one more key for an existing service account (reconciled if the outcome is lost)."""
    warnings = warnings if warnings is not None else []
    known = _known_ids(session, project.id, "api_keys")
    started = session.clock.now()

    async def send() -> Any:
        return await session.client.create_service_account_key(
            project.id, account.id, name=name, scopes=list(scopes) if scopes else None
        )

    async def created(minted: Any) -> MintedKey | Reconciliation:
        return await _finish(session, project, account, minted, scopes, warnings)

    async def lost(exc: CreateOutcomeUnknownError) -> MintedKey | Reconciliation:
        def mine(key: Any) -> bool:
            sa = getattr(key.owner, "service_account", None)
            return sa is not None and sa.id == account.id and (name is None or key.name == name)

        async def read_back() -> Any:
            return await find_created(
                session.client.iter_project_api_keys(project.id),
                matches=mine,
                started_at=started,
                known_ids=known,
            )

        who = display(account.name, account.id)
        result = await reconcile(
            exc,
            kind="api_key",
            name=name or account.name,
            read_back=read_back,
            found_message=lambda k: (
                f"A key ({k.redacted_value}) was created for {who} but its "
                "value was lost with the response and cannot be recovered. Mint another key; the "
                "lost one is revoked only by deleting the account."
            ),
            not_found_message=f"No key was created for {who}; it is safe to try again",
            suggested_action="service_account.mint",
        )
        if result.found is not None:
            _put_key(session, project.id, result.found)
        return result

    return await create_then_reconcile(send, created=created, lost=lost)


async def mint_new_account(
    session: Session,
    project: Project,
    *,
    name: str,
    role: str,
    scopes: tuple[str, ...] | None,
    exclude_ids: Collection[str] = (),
) -> MintedKey | Reconciliation:
    """Create a service account named `name` with `role` and return its key, shown once.

    `exclude_ids`: accounts that must not be mistaken for the new one when reconciling (a
    rotation's old account has the same name).
    """
    pid = project.id
    known = _known_ids(session, pid, "service_accounts") | set(exclude_ids)
    started = session.clock.now()
    only = scopes is not None

    async def send() -> Any:
        return await session.client.create_service_account(
            pid, name, create_service_account_only=only
        )

    async def lost(exc: CreateOutcomeUnknownError) -> MintedKey | Reconciliation:
        async def read_back() -> Any:
            return await find_created(
                session.client.iter_service_accounts(pid),
                matches=lambda sa: sa.name == name,
                started_at=started,
                known_ids=known,
            )

        result = await reconcile(
            exc,
            kind="service_account",
            name=name,
            read_back=read_back,
            found_message=lambda sa: (
                f"Service account {display(name)} was created ({sa.id}) "
                "but its key was lost with the response; mint a new key for it"
            ),
            not_found_message=f"Service account {display(name)} was not created; "
            "it is safe to try again",
            suggested_action="service_account.mint",
        )
        if result.found is not None:
            put_account(session, pid, result.found)
        return result

    async def created(answer: Any) -> MintedKey | Reconciliation:
        return await _with_account(session, project, answer, name=name, role=role, scopes=scopes)

    return await create_then_reconcile(send, created=created, lost=lost)


async def _with_account(
    session: Session,
    project: Project,
    created: Any,
    *,
    name: str,
    role: str,
    scopes: tuple[str, ...] | None,
) -> MintedKey | Reconciliation:
    """The account was created: set its role, then hand back its key (or mint one)."""
    pid = project.id
    only = scopes is not None
    account = created.narrowed(ProjectServiceAccount)
    warnings: list[str] = []
    if account.role != role:
        try:
            account = await session.client.update_service_account(pid, account.id, role=role)
        except ApiError as exc:
            warnings.append(f"its role is still {account.role}: setting {role} failed ({exc})")
    if not only:
        if created.api_key is None:
            put_account(session, pid, account)
            return _keyless(name, account, "the API returned no key")
        return await _finish(session, project, account, created.api_key, None, warnings)
    put_account(session, pid, account)
    try:
        return await mint_for_account(
            session, project, account, name=name, scopes=scopes, warnings=warnings
        )
    except ApiError as exc:
        return _keyless(name, account, f"minting its key failed: {exc}")


def _keyless(name: str, account: ProjectServiceAccount, why: str) -> Reconciliation:
    return Reconciliation(
        outcome="created_unconfirmed",
        kind="service_account",
        name=name,
        message=f"Service account {display(name)} was created but {why}. "
        "Mint a key for it, or delete it.",
        found_id=account.id,
        found=account,
        error=why,
        suggested_action="service_account.mint",
    )
