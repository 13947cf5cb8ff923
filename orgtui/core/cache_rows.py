"""Plain rows for the first frame: a cached project's header, read without pydantic.

The console's first frame shows the project tree and the counts the cache keeps beside each
part. Building the pydantic models for it would put pydantic's import (and the models'
definitions) in front of that frame, so the cache hands out these rows first and the session
swaps in the models right after the frame (`Session.load_models`).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["ProjectRow", "header_rows"]


class ProjectRow:
    """What the first frame reads of a `Project` (same attribute names), from cached JSON."""

    __slots__ = (
        "archived_at",
        "created_at",
        "external_key_id",
        "id",
        "name",
        "object",
        "residency",
        "status",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.id: str = data["id"]
        self.object: str = data.get("object", "organization.project")
        self.name: str | None = _text(data.get("name"))
        created = data.get("created_at")
        self.created_at: int = created if isinstance(created, int) else 0
        archived = data.get("archived_at")
        self.archived_at: int | None = archived if isinstance(archived, int) else None
        self.status: str | None = _text(data.get("status"))
        self.external_key_id: str | None = _text(data.get("external_key_id"))
        self.residency: str | None = _text(data.get("residency"))

    @property
    def archived(self) -> bool:
        return self.archived_at is not None or self.status == "archived"

    def __repr__(self) -> str:
        return f"ProjectRow(id={self.id!r}, name={self.name!r}, archived={self.archived})"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def header_rows(blob: bytes) -> list[ProjectRow]:
    """The projects of a stored `projects` part as rows (ValueError if it is not one)."""
    data = json.loads(blob)
    items = data.get("projects") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError("stored projects part has no project list")
    if not all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in items):
        raise ValueError("stored projects part has a project without an id")
    return [ProjectRow(item) for item in items]
