"""What the copy-once dialog says about a key besides its value (nothing secret)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from orgtui.ui.text import relative_time, short_date

__all__ = ["KeyFacts", "minted_facts"]


@dataclass(frozen=True)
class KeyFacts:
    """What the dialog says about the key besides its value (nothing secret)."""

    title: str = "New API key"
    key_id: str | None = None
    key_name: str | None = None
    project: str | None = None
    account: str | None = None
    lines: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # extra (label, text)


def minted_facts(minted: Any, now: float, title: str | None = None) -> KeyFacts:
    """What the dialog says about a core `MintedKey` or `MintedAdminKey` (nothing secret)."""
    if not hasattr(minted, "service_account_id"):  # an admin key
        if minted.expires_at is None:
            expires = "never: valid until deleted (prefer an expiry)"
        else:
            expires = f"{short_date(minted.expires_at)} ({relative_time(minted.expires_at, now)})"
        return KeyFacts(
            title=title or "New admin key: copy it now",
            key_id=minted.key_id,
            key_name=minted.name,
            lines=(
                ("Expires", expires),
                ("Scope", "whole organisation: admin tooling only, not app code"),
            ),
        )
    lines: list[tuple[str, str]] = [("Role", minted.role)]
    if minted.scopes:
        lines.append(("Scopes", " ".join(minted.scopes)))
    lines.extend(("Note", warning) for warning in minted.warnings)
    return KeyFacts(
        title=title or "New project key: copy it now",
        key_id=minted.key_id,
        key_name=minted.key_name,
        project=minted.project_name or minted.project_id,
        account=minted.service_account_name,
        lines=tuple(lines),
    )
