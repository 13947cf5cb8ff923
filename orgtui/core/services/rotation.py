"""Key rotation (the seed: rotate every 90 days): mint a replacement, overlap, retire the old.

The API cannot delete a service account's key on its own, and cannot mint a user-owned key,
so rotation is done the API-honest way (see `Rotation` for both kinds):

1. `start_rotation` creates a *new service account* in the same project (same name and role
   as the old account, or a service account replacing a user's key) and returns its key once.
   The journal records `minting` before the request and `minted` before returning.
2. While both keys work, `rotation_status` shows the old key's `last_used_at` and its requests
   since the new key was minted (Usage API, completions and embeddings, hourly buckets); the
   new key's first use moves the journal to `overlap`.
3. `finish_rotation` deletes the old service account (and so every key it holds) or the old
   user key, once the old key is quiet (or when forced), and marks the journal `done`.

`abandon_rotation` deletes the replacement instead. A new `Session` resumes from the journal
(`pending_rotations`, `resume_rotation`); a rotation interrupted during the create request is
reconciled by reading back, never by sending again.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from orgtui.api.errors import ApiError, NotFoundError
from orgtui.core.services._common import (
    display,
    ensure_writable,
    mutation,
    project_of,
    refuse_if_archived,
)
from orgtui.core.services.errors import InvalidInput, RotationError
from orgtui.core.services.keys import (
    drop_key,
    drop_service_account,
    find_key,
    find_service_account,
)
from orgtui.core.services.minting import SA_ROLES, mint_new_account, normalise_scopes, put_account
from orgtui.core.services.reconcile import find_created
from orgtui.core.services.results import Done, MintedKey, Reconciliation
from orgtui.core.services.rotation_journal import Rotation, RotationJournal
from orgtui.core.services.rotation_state import QUIET_SECONDS, RotationStatus
from orgtui.core.services.rotation_usage import KeyUse, UsageSince, sibling_keys, usage_since
from orgtui.core.validation import suggest_key_name, validate_key_name

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "QUIET_SECONDS",
    "RotationStatus",
    "abandon_rotation",
    "finish_rotation",
    "pending_rotations",
    "resume_rotation",
    "rotate_key",
    "rotation_status",
    "start_rotation",
]


def _journal(session: Session) -> RotationJournal:
    return RotationJournal(str(getattr(session.profile, "name", "default")))


def pending_rotations(profile: str) -> list[Rotation]:
    """Rotations not finished or abandoned, oldest first (to offer resuming at start-up)."""
    return RotationJournal(profile).pending()


async def start_rotation(
    session: Session,
    project_id: str,
    service_account_id: str | None,
    old_key_id: str,
    *,
    scopes: Sequence[str] | None = None,
    together: bool = False,
) -> MintedKey | Reconciliation:
    """Mint the replacement; the journal is written before the request and before returning.

    Finishing deletes the old account with every key it holds, so an account with other keys
    is rotated only `together` (each of its keys gets a replacement on the new account)."""
    ensure_writable(session, "key.rotate")
    journal = _journal(session)
    running = journal.for_key(old_key_id)
    if running is not None:
        raise RotationError(
            f"A rotation of this key is already in progress ({running.step}); finish or abandon it"
        )
    wanted_scopes = normalise_scopes(scopes)
    project = await project_of(session, project_id)
    refuse_if_archived(project, "rotating a key")
    key = await find_key(session, project_id, old_key_id)
    owner_sa = key.owner.service_account
    other_keys: tuple[str, ...] = ()
    if owner_sa is not None or key.owner.type == "service_account":
        sid = owner_sa.id if owner_sa is not None else service_account_id
        if sid is None or (service_account_id and service_account_id != sid):
            raise InvalidInput("The key does not belong to that service account")
        account = await find_service_account(session, project_id, sid)
        kind, new_name, old_sa_name = "service_account", account.name, account.name
        role = account.role if account.role in SA_ROLES else "member"
        view = session.snapshot.project(project_id)
        other_keys = tuple(
            k.id
            for k in (view.get("api_keys") if view is not None else None) or ()
            if k.id != old_key_id and k.owner.service_account and k.owner.service_account.id == sid
        )
        if other_keys and not together:
            raise InvalidInput(
                f"The account {display(account.name)} holds {len(other_keys)} other key(s): "
                "finishing would delete them, so rotate all its keys together, or cancel"
            )
    else:
        sid, old_sa_name, kind, role = None, None, "user_key", "member"
        valid, _ = validate_key_name(key.name)
        new_name = valid or suggest_key_name(project.name, key.name or "service")
    now = session.clock.now()
    rotation = journal.put(
        Rotation.new(
            profile=journal.profile,
            kind=kind,
            project_id=project_id,
            project_name=project.name,
            old_key_id=old_key_id,
            old_key_name=key.name,
            old_service_account_id=sid,
            old_service_account_name=old_sa_name,
            new_name=new_name,
            role=role,
            step="minting",
            started_at=now,
            updated_at=now,
            scopes=wanted_scopes,
            other_old_key_ids=other_keys,
            together=together and bool(other_keys),
        )
    )
    try:
        result = await mint_new_account(
            session,
            project,
            name=new_name,
            role=role,
            scopes=wanted_scopes,
            exclude_ids={sid} if sid else (),
        )
    except ApiError as exc:
        journal.put(rotation.moved("abandoned", session.clock.now(), note=f"not created: {exc}"))
        raise
    later = session.clock.now()
    if isinstance(result, MintedKey):
        journal.put(
            rotation.moved(
                "minted",
                later,
                new_service_account_id=result.service_account_id,
                new_key_id=result.key_id,
                minted_at=later,
            )
        )
        result.rotation_id = rotation.id
        return result
    journal.put(_after_reconcile(rotation, result, later))
    return dataclasses.replace(result, rotation_id=rotation.id)


def _after_reconcile(rotation: Rotation, result: Reconciliation, now: float) -> Rotation:
    if result.outcome == "not_created":
        return rotation.moved("abandoned", now, note="the replacement was not created")
    if result.outcome == "unknown":
        return rotation.moved("minting", now, note=result.message)
    found = result.found
    sid = found.id if result.kind == "service_account" else found.owner.service_account.id
    return rotation.moved(
        "minted",
        now,
        new_service_account_id=sid,
        minted_at=now,
        note="the replacement exists but its key value was lost: mint a key for it",
    )


async def _last_used(session: Session, pid: str, key_id: str | None) -> tuple[bool, int | None]:
    if key_id is None:
        return False, None
    try:
        key = await session.client.get_project_api_key(pid, key_id)
    except NotFoundError:
        return False, None
    return True, key.last_used_at


async def rotation_status(
    session: Session, rotation: Rotation, *, quiet_seconds: float = QUIET_SECONDS
) -> RotationStatus:
    """Read the old and new keys' use; moves the journal to `overlap` once the new key is used.

    Requests "since mint" count only what came after the mint (see `rotation_usage`)."""
    now = session.clock.now()
    pid = rotation.project_id
    old_exists, old_last = await _last_used(session, pid, rotation.old_key_id)
    warnings: list[str] = []
    new_last: int | None = None
    try:
        _, new_last = await _last_used(session, pid, rotation.new_key_id)
    except ApiError as exc:
        warnings.append(f"could not read the new key: {exc}")
    old_use: UsageSince | None = None
    use: dict[str, UsageSince] = {}
    usage_error: str | None = None
    if old_exists and rotation.minted_at is not None:
        ids = [rotation.old_key_id, *rotation.other_old_key_ids]
        try:
            use = await usage_since(session, ids, rotation.minted_at, now=now)
            old_use = use.get(rotation.old_key_id, UsageSince())
        except ApiError as exc:
            usage_error = str(exc)
    siblings: tuple[tuple[KeyUse, UsageSince | None], ...] = ()
    if old_exists and rotation.old_service_account_id and rotation.other_old_key_ids:
        found = await sibling_keys(
            session, pid, rotation.old_service_account_id, rotation.other_old_key_ids
        )
        siblings = tuple((k, use.get(k.id)) for k in found)
    if rotation.step == "minted" and new_last is not None:
        rotation = _journal(session).put(rotation.moved("overlap", now))
    if new_last is None and rotation.new_key_id is not None:
        warnings.append("the new key has not been used yet: is it deployed?")
    return RotationStatus(
        rotation=rotation,
        checked_at=now,
        old_key_exists=old_exists,
        old_key_last_used_at=old_last,
        old_requests_since_mint=None if old_use is None else old_use.requests,
        old_requests_recent=None if old_use is None else old_use.last_hour,
        new_key_last_used_at=new_last,
        usage_error=usage_error,
        quiet_seconds=quiet_seconds,
        warnings=tuple(warnings),
        old_since_mint_bounded=bool(old_use and old_use.bounded),
        siblings=siblings,
    )


def _current(session: Session, rotation: Rotation | str) -> Rotation:
    rid = rotation if isinstance(rotation, str) else rotation.id
    found = _journal(session).get(rid)
    if found is None:
        raise RotationError(f"No rotation {rid} in the journal")
    return found


async def finish_rotation(
    session: Session, rotation: Rotation | str, *, force: bool = False
) -> Done:
    """Retire the old key (delete its service account, or the user key) and mark it done."""
    ensure_writable(session, "key.rotate")
    rotation = _current(session, rotation)
    if rotation.step == "done":
        return Done("This rotation is already finished", outcome="unchanged", obj=rotation)
    if rotation.step == "minting":
        raise RotationError("The replacement is not confirmed yet: resume the rotation first")
    if rotation.step == "abandoned":
        raise RotationError("This rotation was abandoned")
    status = await rotation_status(session, rotation)
    rotation = status.rotation
    if status.blocker and not force:
        raise RotationError(f"Not finishing: {status.blocker}. Wait, or finish anyway")
    pid = rotation.project_id
    try:
        if rotation.kind == "service_account" and rotation.old_service_account_id:
            await session.client.delete_service_account(pid, rotation.old_service_account_id)
        else:
            await session.client.delete_project_api_key(pid, rotation.old_key_id)
    except NotFoundError:
        pass  # already gone (e.g. deleted before an interruption): the goal is reached
    if rotation.kind == "service_account" and rotation.old_service_account_id:
        drop_service_account(session, pid, rotation.old_service_account_id)
        what = f"old service account {display(rotation.old_service_account_name)}"
    else:
        drop_key(session, pid, rotation.old_key_id)
        what = f"old key {display(rotation.old_key_name, rotation.old_key_id)}"
    now = session.clock.now()
    done = _journal(session).put(rotation.moved("done", now, finished_at=now))
    return Done(f"Rotation finished: deleted the {what}", obj=done)


async def resume_rotation(session: Session, rotation: Rotation | str) -> Rotation:
    """Settle a rotation interrupted during its create request by reading back (never resending)."""
    rotation = _current(session, rotation)
    if rotation.step != "minting":
        return rotation
    exclude = {rotation.old_service_account_id} if rotation.old_service_account_id else set()
    found = await find_created(
        session.client.iter_service_accounts(rotation.project_id),
        matches=lambda sa: sa.name == rotation.new_name,
        started_at=rotation.started_at,
        known_ids=exclude,
    )
    now = session.clock.now()
    if found is None:
        moved = rotation.moved("abandoned", now, note="the replacement was never created")
    else:
        put_account(session, rotation.project_id, found)
        moved = rotation.moved(
            "minted",
            now,
            new_service_account_id=found.id,
            minted_at=now,
            note="the replacement exists but its key value was lost: mint a key for it",
        )
    return _journal(session).put(moved)


async def abandon_rotation(
    session: Session, rotation: Rotation | str, *, delete_replacement: bool = True
) -> Done:
    """Stop a rotation; by default delete the replacement account (the old key keeps working)."""
    ensure_writable(session, "key.rotate")
    rotation = await resume_rotation(session, rotation)
    if not rotation.active:
        return Done(f"This rotation is already {rotation.step}", outcome="unchanged", obj=rotation)
    sid = rotation.new_service_account_id
    note = "abandoned; the replacement was kept"
    if delete_replacement and sid:
        with contextlib.suppress(NotFoundError):
            await session.client.delete_service_account(rotation.project_id, sid)
        drop_service_account(session, rotation.project_id, sid)
        note = "abandoned; the replacement was deleted"
    now = session.clock.now()
    moved = _journal(session).put(rotation.moved("abandoned", now, finished_at=now, note=note))
    return Done(f"Rotation {note}", obj=moved)


@mutation("key.rotate")
async def rotate_key(
    session: Session,
    *,
    project_id: str,
    key_id: str,
    phase: str = "start",
    rotation_id: str | None = None,
    service_account_id: str | None = None,
    scopes: Sequence[str] | None = None,
    force: bool = False,
    delete_replacement: bool = True,
    together: bool = False,
    sibling_key_id: str | None = None,
) -> MintedKey | Reconciliation | Done:
    """`phase`: `start` (mint the replacement), `replace_sibling` (a replacement for another
    key of the old account, in a rotation `together`), `finish`, `abandon` or `resume`."""
    if phase == "start":
        return await start_rotation(
            session, project_id, service_account_id, key_id, scopes=scopes, together=together
        )
    rotation = rotation_id or _journal(session).for_key(key_id)
    if rotation is None:
        raise RotationError("No rotation of this key is in progress")
    if phase == "finish":
        return await finish_rotation(session, rotation, force=force)
    if phase == "replace_sibling" and sibling_key_id:
        from orgtui.core.services.rotation_siblings import replace_sibling

        return await replace_sibling(session, _current(session, rotation), sibling_key_id)
    if phase == "abandon":
        return await abandon_rotation(session, rotation, delete_replacement=delete_replacement)
    if phase == "resume":
        resumed = await resume_rotation(session, rotation)
        return Done(f"Rotation is {resumed.step}", outcome=resumed.step, obj=resumed)
    raise InvalidInput(f"Unknown rotation phase {phase!r}")
