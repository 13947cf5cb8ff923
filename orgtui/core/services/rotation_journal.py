"""The rotation journal: what a key rotation has done so far, so it survives an interruption.

One JSON file per profile (`orgtui.paths.journal_file(profile)`, mode 0600) holding ids, names,
timestamps and the step reached. It never holds a key value: a `Rotation` has no field that
could, and `save` refuses any text that looks like an unredacted key.

Steps: `minting` (written before the create request, so a crash mid-request is visible)
-> `minted` (the replacement exists) -> `overlap` (the new key is stored/in use; waiting for
traffic to leave the old one) -> `done` (old key or account deleted) or `abandoned`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from orgtui import paths

__all__ = [
    "ACTIVE_STEPS",
    "JournalError",
    "Rotation",
    "RotationJournal",
    "Step",
]

Step = Literal["minting", "minted", "overlap", "done", "abandoned"]
ACTIVE_STEPS: frozenset[str] = frozenset({"minting", "minted", "overlap"})
_KEEP_FINISHED_SECONDS = 180 * 24 * 3600
# "sk-" followed by a long unbroken run is a real value; redacted forms contain "..." or "•".
_SECRETISH = re.compile(r"sk-[A-Za-z0-9_-]{20,}")


class JournalError(Exception):
    """The journal file cannot be read or written (the message names the file)."""


@dataclass(frozen=True)
class Rotation:
    """One rotation. `kind` says how the old key is retired:

    - `service_account`: the old key belongs to a service account. The API cannot delete such
      a key alone, so the replacement is a *new service account* with the same name and role,
      and finishing deletes the *old account* (with every key it holds).
    - `user_key`: the old key belongs to a user. The API cannot mint user keys, so the
      replacement is a new service account in the project; finishing deletes the user key.
    """

    id: str
    profile: str
    kind: Literal["service_account", "user_key"]
    project_id: str
    project_name: str | None
    old_key_id: str
    old_key_name: str | None
    old_service_account_id: str | None
    old_service_account_name: str | None
    new_name: str
    role: str
    step: Step
    started_at: float
    updated_at: float
    new_service_account_id: str | None = None
    new_key_id: str | None = None
    minted_at: float | None = None
    finished_at: float | None = None
    note: str = ""
    scopes: tuple[str, ...] | None = None
    other_old_key_ids: tuple[str, ...] = field(default_factory=tuple)
    # "Rotate all together": the old account's other keys get replacements on the new account
    # too; `replaced_old_key_ids` are those whose replacement was minted (shown once).
    together: bool = False
    replaced_old_key_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def active(self) -> bool:
        return self.step in ACTIVE_STEPS

    @classmethod
    def new(cls, **values: Any) -> Rotation:
        return cls(id=uuid.uuid4().hex[:12], **values)

    def moved(self, step: Step, now: float, **changes: Any) -> Rotation:
        return replace(self, step=step, updated_at=now, **changes)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["scopes"] = list(self.scopes) if self.scopes is not None else None
        data["other_old_key_ids"] = list(self.other_old_key_ids)
        data["replaced_old_key_ids"] = list(self.replaced_old_key_ids)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Rotation:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if values.get("scopes") is not None:
            values["scopes"] = tuple(values["scopes"])
        values["other_old_key_ids"] = tuple(values.get("other_old_key_ids") or ())
        values["replaced_old_key_ids"] = tuple(values.get("replaced_old_key_ids") or ())
        return cls(**values)


class RotationJournal:
    """Read and write the journal file of one profile (atomic replace, mode 0600)."""

    def __init__(self, profile: str, path: Path | None = None) -> None:
        self.profile = profile
        self.path = path or paths.journal_file(profile)

    def load(self) -> list[Rotation]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise JournalError(f"cannot read the rotation journal {self.path}: {exc}") from None
        try:
            data = json.loads(text)
            return [Rotation.from_json(item) for item in data.get("rotations", [])]
        except (ValueError, TypeError, AttributeError) as exc:
            raise JournalError(
                f"the rotation journal {self.path} is damaged ({exc}); move it aside to continue"
            ) from None

    def save(self, rotations: list[Rotation], now: float | None = None) -> None:
        if now is not None:
            rotations = [
                r
                for r in rotations
                if r.active or (r.finished_at or r.updated_at) >= now - _KEEP_FINISHED_SECONDS
            ]
        text = json.dumps({"version": 1, "rotations": [r.to_json() for r in rotations]}, indent=2)
        if _SECRETISH.search(text):
            raise JournalError("refusing to write something that looks like a key value")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise JournalError(f"cannot write the rotation journal {self.path}: {exc}") from None

    def get(self, rotation_id: str) -> Rotation | None:
        return next((r for r in self.load() if r.id == rotation_id), None)

    def put(self, rotation: Rotation) -> Rotation:
        rotations = [r for r in self.load() if r.id != rotation.id]
        rotations.append(rotation)
        rotations.sort(key=lambda r: r.started_at)
        self.save(rotations, now=rotation.updated_at)
        return rotation

    def pending(self) -> list[Rotation]:
        return [r for r in self.load() if r.active]

    def for_key(self, old_key_id: str) -> Rotation | None:
        return next((r for r in self.pending() if r.old_key_id == old_key_id), None)
