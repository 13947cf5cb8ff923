"""Tests wait on the app's signals (tests/pilot_support.py), never on the clock: no
`sleep(<literal>)` or `pilot.pause(<literal>)` longer than 0.05 s anywhere in tests/. (The benchmarks in tests/perf are
not tests: they are never collected and time a real server, polling it.)"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
LIMIT = 0.05
SLEEP = re.compile(r"(?:sleep|pause)\(\s*([0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9]+)\s*[,)]")


def long_sleeps(text: str) -> list[str]:
    return [m.group(0) for m in SLEEP.finditer(text) if float(m.group(1)) > LIMIT]


def test_the_pattern_finds_fixed_sleeps() -> None:
    assert long_sleeps("time.sleep(0.5)\nawait asyncio.sleep(1)\npilot.sleep( 2.0 )") == [
        "sleep(0.5)",
        "sleep(1)",
        "sleep( 2.0 )",
    ]
    assert long_sleeps("await pilot.pause(0.3)") == ["pause(0.3)"]
    assert long_sleeps("asyncio.sleep(0)\ntime.sleep(0.05)\nsleep(POLL_SECONDS)") == []
    assert long_sleeps("await pilot.pause()\nawait pilot.pause(0)") == []


def test_no_fixed_sleeps_in_tests() -> None:
    found = [
        f"{path.relative_to(TESTS.parent)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for path in sorted(TESTS.rglob("*.py"))
        if "perf" not in path.relative_to(TESTS).parts and path.name != Path(__file__).name
        for text in [path.read_text(encoding="utf-8")]
        for m in SLEEP.finditer(text)
        if float(m.group(1)) > LIMIT
    ]
    assert found == [], "wait on a signal (tests/pilot_support.py) instead of sleeping"
