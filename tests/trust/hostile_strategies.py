"""Hypothesis strategies for what people (and attackers) type, and a way to draw examples
for Pilot tests, which cannot run under `@given` (one app per test, examples inside it)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from orgtui.sandbox.hostile import HOSTILE_EMAILS, HOSTILE_STRINGS

ESCAPES = [
    "\x1b[31m",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;https://evil.example\x1b\\",
    "\x1b[2J",
    "\x9b31m",
    "\x00",
    "\x07",
    "\r\n",
    "\t",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ud800",  # a lone surrogate: not even encodable as UTF-8
]
MARKUP = [
    "[b]",
    "[/b]",
    "[red]x[/red]",
    "[link=https://evil.example]l[/link]",
    "[@click=app.quit]q[/]",
    "[",
    "]",
    "\\[",
]
WIDE = ["漢字", "ＡＢＣ", "🙂", "👩‍👩‍👧‍👦", "🇯🇵", "עברית", "العربية", "Z\u0334\u0321\u0322"]

fragments = st.sampled_from(
    ESCAPES + MARKUP + WIDE + ["@", ".", ",", ";", " ", "-", "$", "..", "*"]
)
any_text = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=80
)  # every code point, surrogates included
mixed = st.lists(st.one_of(fragments, st.text(max_size=8)), max_size=12).map("".join)
long_text = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["x", "漢", "🙂", " ", "\x1b"]), st.integers(65, 10_050)
)
known = st.sampled_from([*HOSTILE_STRINGS.values(), *HOSTILE_EMAILS])

hostile_text = st.one_of(any_text, mixed, long_text, known)

# Things that look almost right: emails, amounts, time ranges, names.
email_like = st.one_of(
    st.emails().map(str),
    st.builds(lambda a, b: f"{a}@{b}", mixed, mixed),
    st.builds(lambda e, junk: e + junk, st.emails().map(str), fragments),
)
amount_like = st.one_of(
    st.from_regex(r"\A\s?(USD ?)?[-−]?\$?\s?[0-9,]{0,40}(\.[0-9]{0,4})?\s?\Z"),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers(-(10**40), 10**40).map(str),
    st.builds(lambda c: f"{c // 100:,}.{c % 100:02d}", st.integers(0, 10**30)),
)
date_text = st.dates().map(lambda d: d.isoformat())
time_like = st.one_of(
    date_text,
    st.builds(lambda a, b: f"{a}..{b}", date_text | st.just(""), date_text | st.just("")),
    st.from_regex(r"\A\d{1,8}\s?(m|min|h|d|w)\Z"),
    st.sampled_from(["today", "yesterday", "TODAY", "..", "...", "1h..2h"]),
)
key_name_like = st.one_of(
    st.from_regex(r"\A[a-z0-9][a-z0-9_.-]{0,70}\Z"),
    st.builds(lambda s: f"  {s}  ", st.from_regex(r"\A[a-z]{1,10}\Z")),
)


def draw(strategy: st.SearchStrategy[Any], count: int, *, seed: int = 0) -> list[Any]:
    """`count` examples from `strategy`, the same ones every run (derandomized).

    Used where the code under test needs a running app: the examples are generated here and
    fed to the widgets inside one `run_test`.
    """
    examples: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.just(seed), strategy)
    def collect(_seed: int, value: Any) -> None:
        examples.append(value)

    collect()
    return examples[:count]
