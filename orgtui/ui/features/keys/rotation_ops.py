"""The rotation wizard's `RotationOps` over a session: the core rotation service, run as typed
commands through the registry (`ActionRegistry.execute`: the read-only gate and core's rules)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.core.services.commands_keys import MintKey, RotateKey

if TYPE_CHECKING:
    from orgtui.core.commands import Command
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.dispatch import ActionContext

__all__ = ["SessionRotationOps"]

R = TypeVar("R")


def _owner_sa_id(key: Any) -> str | None:
    account = getattr(getattr(key, "owner", None), "service_account", None)
    return getattr(account, "id", None)


class SessionRotationOps:
    """The wizard's `RotationOps`: the core rotation service, through the registry."""

    def __init__(self, app: OrgTuiApp, ctx: ActionContext, key: Any = None) -> None:
        self.app, self.ctx, self.key = app, ctx, key
        self.session = ctx.session or app.session

    def _execute(self, command: Command[R]) -> Awaitable[R]:
        return self.app.registry_for(self.ctx).execute(self.session, command)

    def now(self) -> float:
        return self.app.clock.now()

    def _journal(self) -> Any:
        from orgtui.core.services.rotation_journal import RotationJournal

        return RotationJournal(self.session.profile.name)

    def rotation(self, rotation_id: str) -> Any:
        return self._journal().get(rotation_id)

    def _rotate(self, rotation: Any, phase: str, **params: Any) -> Any:
        return self._execute(
            RotateKey(
                project_id=rotation.project_id,
                key_id=rotation.old_key_id,
                rotation_id=rotation.id,
                phase=phase,
                **params,
            ),
        )

    async def start(self, *, together: bool = False) -> Any:
        key = self.key
        return await self._execute(
            RotateKey(
                project_id=self.ctx.project_id or "",
                key_id=key.id,
                phase="start",
                service_account_id=_owner_sa_id(key),
                together=together,
            ),
        )

    async def siblings(self, key: Any) -> list[Any]:
        """The other keys on the key's service account, read afresh with their last hour."""
        from orgtui.core.services.rotation_usage import sibling_keys

        sid, pid = _owner_sa_id(key), self.ctx.project_id
        view = self.session.snapshot.project(pid) if pid else None
        if sid is None or pid is None or view is None:
            return []
        ids = [
            k.id
            for k in view.get("api_keys") or ()
            if k.id != key.id and k.owner.service_account and k.owner.service_account.id == sid
        ]
        return await sibling_keys(self.session, pid, sid, ids)

    async def replace_sibling(self, rotation: Any, old_key_id: str) -> Any:
        return await self._rotate(rotation, "replace_sibling", sibling_key_id=old_key_id)

    async def status(self, rotation: Any) -> Any:
        from orgtui.core.services.rotation import rotation_status

        return await rotation_status(self.session, rotation)

    async def mint_replacement_key(self, rotation: Any) -> Any:
        """The replacement exists but its key was lost: mint one and tell the journal."""
        result = await self._execute(
            MintKey(
                project_id=rotation.project_id,
                service_account_id=rotation.new_service_account_id,
                name=rotation.new_name,
            ),
        )
        from orgtui.core.services.results import MintedKey

        if isinstance(result, MintedKey):
            journal = self._journal()
            current = journal.get(rotation.id) or rotation
            now = self.session.clock.now()
            journal.put(
                current.moved(current.step, now, new_key_id=result.key_id, minted_at=now, note="")
            )
            result.rotation_id = rotation.id
        return result

    async def resume(self, rotation: Any) -> Any:
        from orgtui.core.services.results import Done

        done = await self._rotate(rotation, "resume")
        return (done.obj if isinstance(done, Done) else None) or rotation

    async def finish(self, rotation: Any, *, force: bool) -> Any:
        return await self._rotate(rotation, "finish", force=force)

    async def abandon(self, rotation: Any) -> Any:
        return await self._rotate(rotation, "abandon")

    async def show_secret(self, minted: Any, *, title: str | None = None) -> bool:
        from orgtui.ui.features.keys.copy_once import show_minted

        return await show_minted(self.app, minted, title=title or "Replacement key: copy it now")
