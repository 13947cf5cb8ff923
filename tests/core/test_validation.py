"""Names and emails typed by a person."""

from __future__ import annotations

import pytest

from orgtui.core.validation import (
    KEY_NAME_MAX,
    parse_emails,
    suggest_key_name,
    validate_email,
    validate_key_name,
    validate_project_name,
)


def test_key_name_ok_and_trimmed() -> None:
    assert validate_key_name("  search-prod ") == ("search-prod", None)
    assert validate_key_name("x" * KEY_NAME_MAX) == ("x" * KEY_NAME_MAX, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Name is empty"),
        ("   \t", "Name is empty"),
        (None, "Name is empty"),
        ("abcd\x1b[31m", "Name has a control character at position 5"),
        ("ab\x00", "Name has a control character at position 3"),
        ("a\u202eb", "Name has a control character at position 2"),
        ("x" * 130, "Name is 130 characters; the limit is 64"),
    ],
)
def test_key_name_rejects(text: str | None, message: str) -> None:
    assert validate_key_name(text) == (None, message)


def test_project_name() -> None:
    assert validate_project_name("Search") == ("Search", None)
    assert validate_project_name(" ") == (None, "Project name is empty")
    assert validate_project_name("a\nb") == (
        None,
        "Project name has a control character at position 2",
    )


def test_suggest_key_name() -> None:
    assert suggest_key_name("Search Platform", "Indexer") == "search-platform-indexer"
    assert suggest_key_name("Café ☕ Ops", None) == "cafe-ops-service"
    assert len(suggest_key_name("p" * 100, "svc")) <= KEY_NAME_MAX
    name = suggest_key_name("Prod", "api")
    assert validate_key_name(name) == (name, None)


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("ada@Example.COM", ("ada@example.com", None)),
        ("  first.last+tag@sub.example.org ", ("first.last+tag@sub.example.org", None)),
        ("", (None, "Email is empty")),
        ("ada", (None, "Email needs exactly one @: 'ada'")),
        ("a@b@c.com", (None, "Email needs exactly one @: 'a@b@c.com'")),
        ("@example.com", (None, "Email has nothing before the @: '@example.com'")),
        ("ada@localhost", (None, "Email domain has no dot: 'ada@localhost'")),
        ("ada lovelace@example.com", (None, "Email has a space: 'ada lovelace@example.com'")),
        ("ada..x@example.com", (None, "Not a valid email: 'ada..x@example.com'")),
        ("ada@\x1b]52;c;example.com", (None, "Email has a control character at position 5")),
    ],
)
def test_validate_email(text: str, result: tuple[str | None, str | None]) -> None:
    assert validate_email(text) == result


def test_parse_emails() -> None:
    emails, errors = parse_emails("ada@example.com, bob@example.com\nADA@example.com  carol@x")
    assert emails == ["ada@example.com", "bob@example.com"]
    assert errors == ["Email domain has no dot: 'carol@x'"]
    assert parse_emails(" ,\n ") == ([], ["No email address given"])
    assert parse_emails("a@example.com;b@example.com") == (["a@example.com", "b@example.com"], [])
