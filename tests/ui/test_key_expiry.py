"""A project key's `expires_at` (newer API versions) shows in its details when present."""

from __future__ import annotations

from orgtui.api._base import parse
from orgtui.api.models import ProjectApiKey
from orgtui.ui.features.keys.delete import key_facts

NOW = 1_790_000_000
KEY = {"id": "key_1", "name": "k", "redacted_value": "sk-proj-...abcd", "created_at": NOW - 86400}


def test_expiry_is_shown_when_the_api_gives_it() -> None:
    key = parse(ProjectApiKey, {**KEY, "expires_at": NOW + 3 * 86400})
    facts = dict(key_facts(key, NOW))
    assert "Expires" in facts
    assert facts["Expires"].plain == "2026-09-24 (in 3 d)"


def test_no_expiry_line_without_the_field() -> None:
    key = parse(ProjectApiKey, KEY)
    assert "Expires" not in dict(key_facts(key, NOW))
