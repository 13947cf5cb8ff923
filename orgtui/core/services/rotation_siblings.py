"""Rotating an account's keys together: a replacement on the new account for each other key.

Finishing a service-account rotation deletes the old account and every key it holds. When the
account holds more than the key the admin chose, the rotation is started `together` and each
other key gets its own replacement on the new account (named like the key it replaces), minted
and shown once in turn. The journal records which old keys have their replacement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgtui.core.services._common import ensure_writable, project_of, refuse_if_archived
from orgtui.core.services.errors import RotationError
from orgtui.core.services.keys import find_service_account
from orgtui.core.services.minting import mint_for_account
from orgtui.core.services.results import MintedKey, Reconciliation
from orgtui.core.services.rotation_journal import Rotation, RotationJournal
from orgtui.core.validation import validate_key_name

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["replace_sibling", "siblings_to_replace"]


def siblings_to_replace(rotation: Rotation) -> list[str]:
    """The old account's other keys still without a replacement (in the journal's order)."""
    if not rotation.together:
        return []
    done = set(rotation.replaced_old_key_ids)
    return [kid for kid in rotation.other_old_key_ids if kid not in done]


async def replace_sibling(
    session: Session, rotation: Rotation, old_key_id: str
) -> MintedKey | Reconciliation:
    """Mint the replacement of `old_key_id` (another key of the old account) on the new one."""
    ensure_writable(session, "key.rotate")
    if not rotation.active or rotation.new_service_account_id is None:
        raise RotationError("The replacement account is not there yet: resume the rotation first")
    if old_key_id not in rotation.other_old_key_ids:
        raise RotationError("That key is not on the old account of this rotation")
    if old_key_id in rotation.replaced_old_key_ids:
        raise RotationError("That key already has its replacement")
    project = await project_of(session, rotation.project_id)
    refuse_if_archived(project, "rotating a key")
    account = await find_service_account(
        session, rotation.project_id, rotation.new_service_account_id
    )
    view = session.snapshot.project(rotation.project_id)
    old = next(
        (k for k in (view.get("api_keys") if view else None) or () if k.id == old_key_id), None
    )
    name, _ = validate_key_name(old.name if old is not None else None)
    result = await mint_for_account(session, project, account, name=name or None, scopes=None)
    if isinstance(result, MintedKey) or getattr(result, "found", None) is not None:
        # Minted (or created with its value lost, which the result says): either way this old
        # key has its replacement key on the new account.
        journal = RotationJournal(rotation.profile)
        current = journal.get(rotation.id) or rotation
        journal.put(
            current.moved(
                current.step,
                session.clock.now(),
                replaced_old_key_ids=(*current.replaced_old_key_ids, old_key_id),
            )
        )
        if isinstance(result, MintedKey):
            result.rotation_id = rotation.id
    return result
