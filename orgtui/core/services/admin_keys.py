"""Organisation admin keys: create (with an expiry by default) and delete.

Admin keys can do everything in the organisation, so a new one expires after 90 days unless
the user explicitly asks for none (`no_expiry=True`); the result then carries a warning. The
API accepts `expires_in_seconds` from 1 s to one year and has no update or rotate endpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.api.errors import CreateOutcomeUnknownError
from orgtui.api.models import AdminApiKey
from orgtui.core.secret import OneTimeSecret
from orgtui.core.services._common import (
    display,
    mutation,
    remove_by_id,
    update_org_list,
    upsert,
)
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.reconcile import create_then_reconcile, find_created, reconcile
from orgtui.core.services.results import Done, MintedAdminKey, Reconciliation
from orgtui.core.validation import validate_key_name

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "DEFAULT_ADMIN_KEY_EXPIRY",
    "MAX_ADMIN_KEY_EXPIRY",
    "create_admin_key",
    "delete_admin_key",
]

DEFAULT_ADMIN_KEY_EXPIRY = 90 * 24 * 3600
MAX_ADMIN_KEY_EXPIRY = 365 * 24 * 3600  # the spec's maximum, 31,536,000 s
NO_EXPIRY_WARNING = (
    "this admin key never expires: it stays valid until someone deletes it; "
    "prefer an expiry and create a new key before it runs out"
)


def _put(session: Session, key: AdminApiKey) -> None:
    update_org_list(session, "admin_keys", "admin_keys", lambda xs: upsert(xs, key))


@mutation("admin_key.create")
async def create_admin_key(
    session: Session,
    *,
    name: str,
    expires_in_seconds: int | None = DEFAULT_ADMIN_KEY_EXPIRY,
    no_expiry: bool = False,
) -> MintedAdminKey | Reconciliation:
    """Create an admin key. `no_expiry=True` is the only way to get a key that never expires."""
    value, error = validate_key_name(name)
    if error or value is None:
        raise InvalidInput(error or "Name is empty")
    if no_expiry:
        expires: int | None = None
    else:
        if expires_in_seconds is None:
            raise InvalidInput("Give an expiry, or ask explicitly for a key that never expires")
        if isinstance(expires_in_seconds, bool) or not isinstance(expires_in_seconds, int):
            raise InvalidInput("Expiry must be a whole number of seconds")
        if not 1 <= expires_in_seconds <= MAX_ADMIN_KEY_EXPIRY:
            raise InvalidInput("Expiry must be between 1 second and 365 days")
        expires = expires_in_seconds
    known = {k.id for k in session.snapshot.admin_keys or ()}
    started = session.clock.now()

    async def send() -> Any:
        return await session.client.create_admin_key(value, expires_in_seconds=expires)

    async def lost(exc: CreateOutcomeUnknownError) -> MintedAdminKey | Reconciliation:
        async def read_back() -> Any:
            return await find_created(
                session.client.iter_admin_keys(),
                matches=lambda k: k.name == value,
                started_at=started,
                known_ids=known,
            )

        result = await reconcile(
            exc,
            kind="admin_key",
            name=value,
            read_back=read_back,
            found_message=lambda k: (
                f"Admin key {display(value)} was created ({k.id}) but its "
                "value was lost with the response and cannot be recovered. Delete it and create "
                "another."
            ),
            not_found_message=f"Admin key {display(value)} was not created; "
            "it is safe to try again",
            suggested_action="admin_key.delete",
        )
        if result.found is not None:
            _put(session, result.found)
        return result

    async def answered(created: Any) -> MintedAdminKey | Reconciliation:
        secret = OneTimeSecret(created.value, label=value)
        stored = created.narrowed(AdminApiKey)
        _put(session, stored)
        return MintedAdminKey(
            secret=secret,
            key_id=created.id,
            name=created.name,
            redacted_value=created.redacted_value,
            expires_at=created.expires_at,
            warning=NO_EXPIRY_WARNING if expires is None else None,
        )

    return await create_then_reconcile(send, created=answered, lost=lost)


@mutation("admin_key.delete")
async def delete_admin_key(session: Session, *, key_id: str) -> Done:
    """Delete an admin key. If it is the key this console uses, the next request will fail."""
    known = session.snapshot.admin_keys
    if known is not None:
        name = next((k.name for k in known if k.id == key_id), None)
    else:  # the list was never loaded: read the key, so the message names what goes
        name = (await session.client.get_admin_key(key_id)).name
    await session.client.delete_admin_key(key_id)
    update_org_list(session, "admin_keys", "admin_keys", lambda xs: remove_by_id(xs, key_id))
    return Done(f"Deleted admin key {display(name, key_id)}")
