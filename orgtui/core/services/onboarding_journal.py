"""The onboarding journal: how far "onboard a service" got, so a failure or a quit resumes or
undoes cleanly.

One JSON file per profile (`orgtui.paths.onboarding_file(profile)`, mode 0600) holding the plan
and, per step, its state and the ids it produced. Like the rotation journal it never holds a key
value: `save` refuses any text that looks like an unredacted key.

A step is `pending`, `started` (written before its request, so a crash mid-request is visible),
`done`, or for a key step `stored` (the admin confirmed storing the value).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from orgtui import paths

__all__ = ["JournalError", "OnboardingJournal", "OnboardingRecord", "StepRecord"]

StepState = Literal["pending", "started", "done", "stored"]
_SECRETISH = re.compile(r"sk-[A-Za-z0-9_-]{20,}")


class JournalError(Exception):
    """The journal file cannot be read or written (the message names the file)."""


@dataclass(frozen=True)
class StepRecord:
    """One step of the flow: `kind` is project | limit | alert | key."""

    kind: str
    env: str
    service: str | None = None
    state: StepState = "pending"
    object_id: str | None = None  # project, alert or service account id
    key_id: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.env}" + (f":{self.service}" if self.service else "")


@dataclass(frozen=True)
class OnboardingRecord:
    """A whole flow: the plan as data (see `onboarding.OnboardingPlan.as_data`) and its steps."""

    profile: str
    plan: dict[str, Any]
    steps: tuple[StepRecord, ...]
    started_at: float
    finished: bool = False
    undone: bool = False
    previous_limits: dict[str, int | None] = field(default_factory=dict)  # reused projects

    def step(self, label: str) -> StepRecord:
        return next(s for s in self.steps if s.label == label)

    def with_step(self, updated: StepRecord) -> OnboardingRecord:
        steps = tuple(updated if s.label == updated.label else s for s in self.steps)
        return replace(self, steps=steps)


class OnboardingJournal:
    """Load and save the profile's one open onboarding (a new flow replaces a finished one)."""

    def __init__(self, profile: str, path: Path | None = None) -> None:
        self.profile = profile
        self.path = path or paths.onboarding_file(profile)

    def load(self) -> OnboardingRecord | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise JournalError(f"cannot read the onboarding journal {self.path}: {exc}") from exc
        try:
            steps = tuple(StepRecord(**s) for s in data.pop("steps"))
            return OnboardingRecord(steps=steps, **data)
        except (TypeError, KeyError) as exc:
            raise JournalError(f"the onboarding journal {self.path} is not valid: {exc}") from exc

    def open(self) -> OnboardingRecord | None:
        """The flow still to finish or undo, if any."""
        record = self.load()
        return record if record is not None and not record.finished else None

    def save(self, record: OnboardingRecord) -> None:
        text = json.dumps(asdict(record), indent=1)
        if _SECRETISH.search(text):
            raise JournalError("refusing to write something that looks like a key value")
        paths.ensure_private_dir(self.path.parent)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, self.path)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
