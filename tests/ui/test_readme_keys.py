"""The README's keys table lists exactly the keys the console binds, scope by scope."""

from __future__ import annotations

import re
from pathlib import Path

from orgtui.core import actions as A
from orgtui.core.actions import ActionRegistry
from orgtui.ui.bindings import default_key
from orgtui.ui.widgets.tables import ResourceTable
from orgtui.ui.widgets.vtable import VirtualTable

README = Path(__file__).resolve().parents[2] / "README.md"
WHERE = {
    "everywhere": A.GLOBAL,
    "tree": A.TREE,
    "project": A.PROJECT,
    "key": A.KEY,
    "service account": A.SERVICE_ACCOUNT,
    "admin keys": A.ADMIN_KEY,
    "org member": A.ORG_MEMBER,
    "invite": A.INVITE,
    "project member": A.PROJECT_MEMBER,
    "access matrix": A.MATRIX,
    "rate limits tab": A.RATE_LIMIT,
    "groups": A.GROUP,
    "group member": A.GROUP_MEMBER,
    "roles": A.ROLE,
    "project Groups tab": A.PROJECT_GROUP,
    "project roles": A.PROJECT_ROLE,
    "certificates": A.CERTIFICATE,
    "project Security tab": A.SECURITY,
    "limits": A.LIMITS,
    "spend graph": A.SPEND,
    "copy-once dialog": A.DIALOG,
}
SHOWN = {
    "question_mark": "?",
    "slash": "/",
    "colon": ":",
    "minus": "-",
    "plus": "+",
    "exclamation_mark": "!",
}


def readme_rows() -> dict[str, set[str]]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| Where | Keys |") :]
    table = table[: table.index("\n\n")]
    rows: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        where, keys = (cell.strip() for cell in line.strip("|").split("|", 1))
        # a key is the first backticked word of each comma-separated entry ("`escape` / `-`")
        found: set[str] = set()
        for entry in keys.split(", "):
            head = re.match(r"((?:`[^`]+`(?: / )?)+)", entry.strip())
            if head:
                found |= set(re.findall(r"`([^`]+)`", head.group(1)))
        rows[where] = found
    return rows


def bound_keys(scope: str) -> set[str]:
    keys: set[str] = set()
    for spec in ActionRegistry().in_scope(scope):
        for key in (default_key(spec) or "").split(","):
            if key:
                keys.add(SHOWN.get(key, key))
    return keys


def test_readme_keys_table_matches_the_bindings() -> None:
    rows = readme_rows()
    scopes_with_keys = {s for s in {spec.scope for spec in ActionRegistry().specs()}}
    assert {WHERE[w] for w in rows if w in WHERE} == scopes_with_keys
    for where, scope in WHERE.items():
        assert rows[where] == bound_keys(scope), where
    sort = next(b for b in VirtualTable.BINDINGS if getattr(b, "id", None) == "table.sort")
    yank = next(b for b in ResourceTable.BINDINGS if getattr(b, "id", None) == "list.yank")
    assert rows["any list"] == {sort.key, yank.key}
    assert set(rows) == set(WHERE) | {"any list"}  # no row for keys that do not exist
