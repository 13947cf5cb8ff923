"""Bad input, pure functions: every validator and parser answers `(value, None)` or
`(None, message)` for anything a person can type. Never an exception.

Property-based (hypothesis); the widgets that use these are driven in `test_bad_input_forms.py`.
"""

from __future__ import annotations

import math
import unicodedata

from hostile_strategies import amount_like, email_like, hostile_text, key_name_like, time_like
from hypothesis import example, given, settings
from hypothesis import strategies as st

from orgtui.core.audit_query import (
    Directory,
    FilterTexts,
    expand_event_types,
    parse_filters,
    parse_time_range,
)
from orgtui.core.money import MAX_CENTS, dollars_to_cents, format_cents, format_usd, parse_dollars
from orgtui.core.validation import (
    EMAIL_MAX,
    KEY_NAME_MAX,
    PROJECT_NAME_MAX,
    parse_emails,
    suggest_key_name,
    validate_email,
    validate_key_name,
    validate_project_name,
)
from orgtui.ui.features.keys.create import parse_scopes
from orgtui.ui.features.shell.jump_screen import rank
from orgtui.ui.features.spend.limits_edit import validate_prefix, validate_recipients
from orgtui.ui.text import safe_str, safe_text

NOW = 1795012200.0
_CONTROL = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
FAST = settings(max_examples=300, deadline=None)


def one_of_two(result: tuple[object, str | None]) -> None:
    """Exactly one of value / message; a message is one short printable line."""
    value, message = result
    assert (value is None) != (message is None), result
    if message is not None:
        assert isinstance(message, str) and message.strip()
        assert "\n" not in message


def printable_message(result: tuple[object, str | None]) -> None:
    message = result[1]
    if message is not None:
        assert message.isprintable(), repr(message)


# ---------------------------------------------------------------------- names


@FAST
@given(st.one_of(hostile_text, key_name_like))
def test_key_and_project_names(text: str) -> None:
    for validate, limit in (
        (validate_key_name, KEY_NAME_MAX),
        (validate_project_name, PROJECT_NAME_MAX),
    ):
        result = validate(text)
        one_of_two(result)
        printable_message(result)
        value = result[0]
        if value is not None:
            assert value == text.strip() and 0 < len(value) <= limit
            assert not any(unicodedata.category(ch) in _CONTROL for ch in value)
            assert validate(value) == (value, None)  # idempotent


@FAST
@given(st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}[A-Za-z0-9]\Z"))
def test_plain_names_are_accepted(text: str) -> None:
    assert validate_key_name(text) == (text, None)


@FAST
@given(st.one_of(hostile_text, st.none()), st.one_of(hostile_text, st.none()))
def test_suggested_names_are_valid(project: str | None, service: str | None) -> None:
    name = suggest_key_name(project, service)
    assert validate_key_name(name) == (name, None)


# ---------------------------------------------------------------------- emails


@FAST
@given(st.one_of(hostile_text, email_like))
def test_emails(text: str) -> None:
    result = validate_email(text)
    one_of_two(result)
    printable_message(result)
    value = result[0]
    if value is not None:
        assert value.count("@") == 1 and len(value) <= EMAIL_MAX
        assert validate_email(value) == (value, None)


@FAST
@given(st.lists(st.one_of(hostile_text, email_like), max_size=6).map(", ".join))
def test_email_lists(text: str) -> None:
    emails, errors = parse_emails(text)
    assert emails or errors
    assert all(validate_email(e) == (e, None) for e in emails)
    assert len({e.casefold() for e in emails}) == len(emails)
    assert all(isinstance(m, str) and m.isprintable() for m in errors)


@FAST
@given(st.one_of(hostile_text, st.lists(email_like, max_size=4).map(" ".join)))
def test_alert_recipients_and_prefix(text: str) -> None:
    one_of_two(validate_recipients(text))
    prefix = validate_prefix(text)
    if text.strip():
        one_of_two(prefix)
    else:
        assert prefix == (None, None)  # optional: blank means no prefix


# ---------------------------------------------------------------------- money


@FAST
@given(st.one_of(hostile_text, amount_like))
@example("1" * 27)  # 27 digits: the "above the ceiling" message itself used to raise
@example("9" * 40 + ".99")
def test_amounts(text: str) -> None:
    result = parse_dollars(text)
    one_of_two(result)
    printable_message(result)
    cents = result[0]
    if cents is not None:
        assert isinstance(cents, int) and 0 < cents <= MAX_CENTS


@FAST
@given(st.integers(1, MAX_CENTS))
def test_amounts_round_trip(cents: int) -> None:
    assert parse_dollars(format_cents(cents)) == (cents, None)
    assert parse_dollars(f"{cents // 100}.{cents % 100:02d}") == (cents, None)
    assert parse_dollars(f"USD {cents // 100:,}.{cents % 100:02d}") == (cents, None)


@FAST
@given(st.floats(allow_nan=True, allow_infinity=True))
@example(1e30)  # a cost from a hostile or broken API: shown, not a crash
def test_costs_format(dollars: float) -> None:
    shown = format_usd(dollars)
    assert isinstance(shown, str) and shown
    if math.isfinite(dollars) and abs(dollars) < 1e15:
        assert dollars_to_cents(dollars) == round(dollars_to_cents(dollars))


# ---------------------------------------------------------------------- audit filters


@FAST
@given(st.one_of(hostile_text, time_like), st.floats(0, 4102444800))
@example("9999-12-31", NOW)  # the last day there is: its end is not a date
@example("0001-01-01", NOW)
@example("..9999-12-31", NOW)
def test_time_ranges(text: str, now: float) -> None:
    result = parse_time_range(text, now)
    one_of_two(result)
    span = result[0]
    if span is not None and span.gte is not None and span.lt is not None:
        assert span.gte < span.lt


@FAST
@given(hostile_text, hostile_text, hostile_text, hostile_text, st.one_of(hostile_text, time_like))
def test_audit_filter_fields(event: str, actor: str, project: str, obj: str, when: str) -> None:
    texts = FilterTexts(event=event, actor=actor, project=project, object=obj, time=when)
    filters, errors = parse_filters(texts, NOW, Directory(projects={"proj_1": event[:20]}))
    assert (filters is None) == bool(errors)
    assert all(isinstance(m, str) and m for m in errors.values())


@FAST
@given(
    st.one_of(
        hostile_text, st.lists(st.sampled_from(["project.*", "api_key.", "*", "x*"])).map(",".join)
    )
)
def test_event_types(text: str) -> None:
    one_of_two(expand_event_types(text)) if text.strip() else expand_event_types(text)


# ---------------------------------------------------------------------- the rest


@FAST
@given(hostile_text)
def test_scopes(text: str) -> None:
    scopes, message = parse_scopes(text)
    assert scopes is None or message is None
    for scope in scopes or ():
        assert scope.isprintable() and " " not in scope


@FAST
@given(hostile_text, st.lists(st.tuples(hostile_text, st.booleans()), max_size=8))
def test_jump_ranking(query: str, names: list[tuple[str, bool]]) -> None:
    entries = [(("demo", f"proj_{i}"), name, archived) for i, (name, archived) in enumerate(names)]
    ranked = rank(query, entries)
    assert {e[0] for e in ranked} <= {e[0] for e in entries}


@FAST
@given(hostile_text, st.one_of(st.none(), st.integers(1, 300)))
def test_untrusted_text_is_made_safe(text: str, limit: int | None) -> None:
    shown = safe_str(text, limit)
    for ch in shown:
        assert ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F, repr(shown)
        assert unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp"), repr(shown)
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    if limit is not None:
        assert len(shown) <= limit
    assert safe_text(text, limit).plain == shown
    shown.encode("utf-8")  # no lone surrogate left: the terminal can be written to
