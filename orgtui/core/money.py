"""The one place where money changes units.

The Admin API speaks two currencies of precision: spend limits and alerts are integer cents
(`"USD"`), the Costs API returns float dollars (`"usd"`). The console shows and accepts
dollars. Every conversion goes through this module so a cent is never lost to float rounding
and no screen formats money its own way.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "MAX_CENTS",
    "cents_to_dollars",
    "dollars_to_cents",
    "format_cents",
    "format_usd",
    "parse_dollars",
]

# A hard limit or alert above $10M is almost certainly a typo (an extra zero or two).
MAX_CENTS = 10_000_000 * 100
_CENT = Decimal("0.01")
# Thousands separators are accepted only in their proper places ("1,250", not "12,50").
_AMOUNT = re.compile(r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?$")


def parse_dollars(text: str) -> tuple[int | None, str | None]:
    """Parse a dollar amount typed by a person into integer cents.

    Accepts "250", "$1,250.50", " 12.5 ", "USD 40". Returns `(cents, None)` or
    `(None, message)`; the message is short and says what to fix.
    """
    raw = (text or "").strip()
    if not raw:
        return None, "Amount is empty"
    body = raw
    if body.upper().startswith("USD"):
        body = body[3:].strip()
    if body.startswith("-") or body.startswith("−"):
        return None, "Amount must be positive"
    if body.startswith("$"):
        body = body[1:].strip()
    if body.startswith("-"):
        return None, "Amount must be positive"
    if not body or body == "." or not _AMOUNT.match(body):
        return None, f"Not a dollar amount: {_shown(raw)}"
    whole, _, fraction = body.replace(",", "").partition(".")
    if len(fraction) > 2:
        return None, "Use at most two decimals (whole cents)"
    try:
        value = Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:
        return None, f"Not a dollar amount: {_shown(raw)}"
    cents = int(value * 100)
    if cents <= 0:
        return None, "Amount must be more than $0"
    if cents > MAX_CENTS:
        what = f"Amount {format_cents(cents)}" if cents < 10**15 else "The amount"
        return None, f"{what} is above the {format_cents(MAX_CENTS)} ceiling"
    return cents, None


def cents_to_dollars(cents: int) -> Decimal:
    """Exact dollars for an integer number of cents (exact at any size: no rounding context)."""
    return Decimal(int(cents)).scaleb(-2)


def dollars_to_cents(dollars: float) -> int:
    """Round float dollars (Costs API) to the nearest cent, halves away from zero."""
    if not math.isfinite(dollars):
        raise ValueError(f"not a finite amount: {dollars!r}")
    with localcontext(prec=400):  # floats reach 1e308: quantize needs room for every digit
        return int(Decimal(repr(float(dollars))).quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def format_cents(cents: int) -> str:
    """`125050` -> `"$1,250.50"` (negative amounts get a leading minus)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}${cents_to_dollars(abs(cents)):,.2f}"


def format_usd(amount: float) -> str:
    """Float dollars from the Costs API, shown to the cent; tiny non-zero costs stay visible."""
    if not math.isfinite(amount):
        return "—"
    if 0 < abs(amount) < 0.005:
        return "<$0.01" if amount > 0 else "-<$0.01"
    return format_cents(dollars_to_cents(amount))


def _shown(text: str, limit: int = 20) -> str:
    flat = "".join(ch if ch.isprintable() else "?" for ch in text)
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")
