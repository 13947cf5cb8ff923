"""Imports point one way (ui -> core -> api), the sandbox stands alone, the UI never needs the API
client at run time, no import circle spans folders, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "orgtui"
MAX_LINES = 400

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


def module_names(package: Path) -> dict[str, Path]:
    """Every module of `package` by dotted name (a package by its own name, not `__init__`)."""
    names: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id == "TYPE_CHECKING")
        or (isinstance(n, ast.Attribute) and n.attr == "TYPE_CHECKING")
        for n in ast.walk(test)
    )


def runtime_imports(path: Path, module: str, known: set[str] | None = None) -> set[str]:
    """What importing (and running) `module` may import: every import statement, including the
    lazy ones inside functions, except those under `if TYPE_CHECKING:`. Relative imports are
    resolved; `from pkg import sub` counts as importing `pkg.sub` when that is a module of
    `known`, else as importing `pkg`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.orelse:
                    visit(stmt)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = here[: len(here) - (child.level - 1)]
                    base = ".".join([*parent, base] if base else parent)
                for alias in child.names:
                    sub = f"{base}.{alias.name}"
                    found.add(sub if known is not None and sub in known else base)
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def api_imports_at_run_time(package: Path) -> list[str]:
    """The UI modules that import `<package>.api` outside `if TYPE_CHECKING:`."""
    root = package.name
    names = module_names(package)
    offences = []
    for module, path in sorted(names.items()):
        if not module.startswith(f"{root}.ui"):
            continue
        for name in sorted(runtime_imports(path, module, set(names))):
            if name == f"{root}.api" or name.startswith(f"{root}.api."):
                offences.append(f"{path.relative_to(package.parent)} imports {name}")
    return offences


def circles_across_folders(package: Path) -> list[list[str]]:
    """Each import circle (strongly connected set of modules) whose members sit in more than one
    folder. A circle inside one folder is one feature's business; across folders it is a knot."""
    names = module_names(package)
    known = set(names)
    graph = {m: sorted(runtime_imports(p, m, known) & known) for m, p in names.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def connect(start: str) -> None:  # Tarjan, iterative (no recursion limit)
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    if len({names[m].parent for m in members}) > 1:
                        circles.append(sorted(members))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return sorted(circles)


def big_modules(package: Path) -> list[str]:
    return sorted(
        f"{path.relative_to(package.parent)}: {n} lines"
        for path in package.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )


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


def test_ui_never_imports_the_api_at_run_time() -> None:
    """The UI speaks core's vocabulary (errors, models' data); `orgtui.api` only for types."""
    assert api_imports_at_run_time(PACKAGE) == []


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_check_finds_a_runtime_api_import(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/api/__init__.py": "",
            "pkg/api/errors.py": "class ApiError(Exception): ...\n",
            "pkg/ui/__init__.py": "",
            "pkg/ui/typed.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.api.errors import ApiError\n"
            ),
            "pkg/ui/lazy.py": "def f():\n    from pkg.api.errors import ApiError\n",
            "pkg/ui/relative.py": "from ..api import errors\n",
        },
    )
    assert api_imports_at_run_time(package) == [
        "pkg/ui/lazy.py imports pkg.api.errors",
        "pkg/ui/relative.py imports pkg.api.errors",
    ]


def feature_imports_of_widgets(package: Path) -> list[str]:
    """Shared widgets (`ui/widgets`) that import a feature, even lazily."""
    root = package.name
    names = module_names(package)
    return [
        f"{path.relative_to(package.parent)} imports {name}"
        for module, path in sorted(names.items())
        if module.startswith(f"{root}.ui.widgets")
        for name in sorted(runtime_imports(path, module, set(names)))
        if name.startswith(f"{root}.ui.features")
    ]


def test_shared_widgets_import_no_feature() -> None:
    """A feature hands a shared widget what it needs (builders, messages), never the reverse."""
    assert feature_imports_of_widgets(PACKAGE) == []


def test_the_check_finds_a_widget_importing_a_feature(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ui/__init__.py": "",
            "pkg/ui/features/__init__.py": "",
            "pkg/ui/features/keys.py": "",
            "pkg/ui/widgets/__init__.py": "",
            "pkg/ui/widgets/table.py": "def f():\n    from pkg.ui.features import keys\n",
        },
    )
    assert feature_imports_of_widgets(package) == [
        "pkg/ui/widgets/table.py imports pkg.ui.features.keys"
    ]


def test_no_import_circle_spans_folders() -> None:
    assert circles_across_folders(PACKAGE) == []


def test_the_check_finds_a_circle_across_folders(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/ui/__init__.py": "",
            "pkg/ui/app.py": "from pkg.ui.features import keys\n",
            "pkg/ui/features/__init__.py": "",
            # lazy, and through `from package import submodule`: still a circle
            "pkg/ui/features/keys.py": "def f():\n    from pkg.ui import app\n",
            # a circle inside one folder, and one broken by TYPE_CHECKING: not reported
            "pkg/ui/a.py": "from pkg.ui import b\n",
            "pkg/ui/b.py": "from pkg.ui import a\n",
            "pkg/ui/features/c.py": (
                "from typing import TYPE_CHECKING\nfrom pkg.ui import a\n"
                "if TYPE_CHECKING:\n    from pkg.ui import app\n"
            ),
        },
    )
    assert circles_across_folders(package) == [["pkg.ui.app", "pkg.ui.features.keys"]]


def test_modules_stay_small() -> None:
    """A module does one thing: none grows past 400 lines."""
    assert big_modules(PACKAGE) == []


def test_the_check_finds_a_big_module(tmp_path: Path) -> None:
    package = _write(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/ok.py": "x = 1\n" * 400, "pkg/big.py": "x = 1\n" * 401},
    )
    assert big_modules(package) == ["pkg/big.py: 401 lines"]
