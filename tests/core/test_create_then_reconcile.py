"""Every service that mints or creates goes through one create-then-reconcile helper."""

from __future__ import annotations

import re
from pathlib import Path

import orgtui

SOURCE = Path(orgtui.__file__).parent


def test_the_lost_answer_is_caught_in_one_place() -> None:
    catches = [
        str(path.relative_to(SOURCE))
        for path in sorted(SOURCE.rglob("*.py"))
        if "sandbox" not in path.parts
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"except\s*\(?[^:]*CreateOutcomeUnknownError", line)
    ]
    assert catches == ["core/services/reconcile.py"], catches
