"""Imports point one way (ui -> core -> api) and the sandbox stands alone."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "orgtui"

# For each layer: the orgtui packages and third-party roots it must never import.
FORBIDDEN = {
    "api": ({"orgtui.core", "orgtui.ui", "orgtui.sandbox", "orgtui.connect"}, {"textual"}),
    "core": ({"orgtui.ui", "orgtui.sandbox", "orgtui.connect"}, {"textual"}),
    "sandbox": (
        {"orgtui.api", "orgtui.core", "orgtui.ui", "orgtui.connect", "orgtui.config"},
        {"textual"},
    ),
    "ui": ({"orgtui.sandbox"}, set()),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_of(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(layer: str) -> None:
    ours, third_party = FORBIDDEN[layer]
    offences = []
    for path in modules_of(layer):
        for name in imported_modules(path):
            if (
                any(name == f or name.startswith(f + ".") for f in ours)
                or name.split(".")[0] in third_party
            ):
                offences.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert offences == []


def test_the_check_finds_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from orgtui.ui.app import OrgTuiApp\nimport textual.app\n")
    assert {"orgtui.ui.app", "textual.app"} <= imported_modules(module)


def test_modules_stay_small() -> None:
    """A module does one thing: none should grow far past 400 lines."""
    big = [
        f"{path.relative_to(PACKAGE.parent)}: {n} lines"
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    ]
    assert big == []
