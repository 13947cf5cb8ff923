"""Dollar parsing and formatting: the one cents <-> dollars place."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orgtui.core.money import (
    MAX_CENTS,
    cents_to_dollars,
    dollars_to_cents,
    format_cents,
    format_usd,
    parse_dollars,
)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("250", 25_000),
        ("$1,250.50", 125_050),
        (" 12.5 ", 1_250),
        ("0.01", 1),
        (".5", 50),
        ("7.", 700),
        ("$ 40", 4_000),
        ("USD 40", 4_000),
        ("1,000,000", 100_000_000),
        ("10000000", MAX_CENTS),
    ],
)
def test_parse_accepts(text: str, cents: int) -> None:
    assert parse_dollars(text) == (cents, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Amount is empty"),
        ("   ", "Amount is empty"),
        ("-5", "Amount must be positive"),
        ("$-5", "Amount must be positive"),
        ("0", "Amount must be more than $0"),
        ("0.00", "Amount must be more than $0"),
        ("1.005", "Use at most two decimals (whole cents)"),
        ("abc", "Not a dollar amount: 'abc'"),
        ("1e5", "Not a dollar amount: '1e5'"),
        ("12,50", "Not a dollar amount: '12,50'"),
        ("nan", "Not a dollar amount: 'nan'"),
        ("$", "Not a dollar amount: '$'"),
        ("10000000.01", "Amount $10,000,000.01 is above the $10,000,000.00 ceiling"),
    ],
)
def test_parse_rejects(text: str, message: str) -> None:
    assert parse_dollars(text) == (None, message)


def test_conversions() -> None:
    assert cents_to_dollars(125_050) == Decimal("1250.50")
    assert format_cents(125_050) == "$1,250.50"
    assert format_cents(5) == "$0.05"
    assert format_cents(-150) == "-$1.50"
    assert dollars_to_cents(0.1 + 0.2) == 30
    assert dollars_to_cents(12.345) == 1235  # half away from zero, on the shortest repr
    assert dollars_to_cents(1.005) == 101
    assert format_usd(1234.5) == "$1,234.50"
    assert format_usd(0.001) == "<$0.01"
    assert format_usd(0.0) == "$0.00"
    assert format_usd(float("nan")) == "—"
    with pytest.raises(ValueError):
        dollars_to_cents(float("inf"))


def test_round_trip() -> None:
    for cents in (1, 99, 100, 12_345, MAX_CENTS):
        text = format_cents(cents)
        assert parse_dollars(text) == (cents, None)
