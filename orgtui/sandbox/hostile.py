"""A hostile organisation: names, emails and key names an attacker (or a careless script) chose.

Every string the Admin API returns is untrusted: a project name can hold Rich markup, ANSI and
OSC escape sequences (OSC 52 would overwrite the viewer's clipboard, OSC 8 plant a link, OSC 0
retitle the window), C0/C1 control characters, bidi overrides, 10,000 characters, wide CJK and
emoji, zero-width and combining marks. `make_hostile(store)` rewrites a seeded sandbox
organisation (the demo one by default) so that every kind of name holds some of them; the
console must show all of it literally and keep its layout.

Only the store's public helpers are used (`query`, `set_fields`, `add_user`, `meta_set`,
`project_ids`, `default_project_id`), so this works on any seeded database::

    app = create_app(None, seed=1, clock=clock)
    org = make_hostile(app.state.sandbox.store)
    org.project_id      # the project whose name, keys and accounts are all hostile
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orgtui.sandbox.store import Store

__all__ = [
    "HOSTILE_EMAILS",
    "HOSTILE_ORG_NAME",
    "HOSTILE_PROJECT_NAME",
    "HOSTILE_STRINGS",
    "OSC52_EVIL",
    "HostileOrg",
    "create_hostile_app",
    "make_hostile",
]

ESC = "\x1b"
BEL = "\x07"
# "evil" in base64: what a name would put on the clipboard if a terminal ever saw it raw.
OSC52_EVIL = f"{ESC}]52;c;ZXZpbA=={BEL}"
LONG = "long-" + "x" * 9_995  # 10,000 characters, no spaces: nothing to wrap at

# name -> the string. The keys say what each one tries to do.
HOSTILE_STRINGS: dict[str, str] = {
    "osc52": f"clip{OSC52_EVIL}board [b]grab[/b]",
    "markup": "[b]bold?[/b] [red]not red[/red] [link=https://evil.example]link[/link] [@click=app.quit]q[/]",
    "ansi": f"{ESC}[31mred{ESC}[0m {ESC}[2J{ESC}[Hcleared {ESC}[5mblink",
    "osc8": f"{ESC}]8;;https://evil.example{ESC}\\click me{ESC}]8;;{ESC}\\",
    "title": f"{ESC}]0;pwned window title{BEL}title",
    "controls": "nul\x00 bel\x07 bs\x08 cr\r lf\n tab\t vt\x0b ff\x0c del\x7f c1\x9b31m",
    "long": LONG,
    "wide": "wide 漢字かな全角ＡＢＣ 🙂👩‍👩‍👧‍👦🇯🇵",
    "rtl": "RTL \u202eexe.txt\u202c עברית العربية \u2067iso\u2069",
    "zalgo": "Z\u0334\u0321\u0322\u0349a\u0337l\u0338g\u0336o\u0335 zero\u200bwidth\ufeff",
}
HOSTILE_PROJECT_NAME = HOSTILE_STRINGS["osc52"]
HOSTILE_ORG_NAME = f"[b]Evil[/b] Org{OSC52_EVIL}"

HOSTILE_EMAILS: tuple[str, ...] = (
    "[b]mark[/b]@evil.example",
    f"osc{OSC52_EVIL}52@evil.example",
    f"{ESC}[31mred{ESC}[0m@evil.example",
    "rtl\u202emoc.live@evil.example",
    "漢字🙂@evil.example",
    LONG[:240] + "@evil.example",
)


@dataclass
class HostileOrg:
    """What `make_hostile` did, for tests to find their way around."""

    project_id: str  # every name under it is hostile
    project_name: str
    project_ids: dict[str, str] = field(default_factory=dict)  # string kind -> project id
    user_ids: list[str] = field(default_factory=list)
    strings: dict[str, str] = field(default_factory=lambda: dict(HOSTILE_STRINGS))


_KEY_KINDS = ("osc52", "markup", "ansi", "osc8", "title", "controls", "zalgo")
_ACCOUNT_KINDS = ("wide", "long", "rtl")
_PROJECT_KINDS = ("long", "wide", "rtl", "zalgo", "markup", "ansi")


def _cycle(values: list[str], index: int) -> str:
    return values[index % len(values)]


def _best_project(store: Store) -> str:
    """The active, non-default project with the most keys and service accounts."""
    rows = store.query(
        "SELECT p.id, "
        " (SELECT count(*) FROM api_keys k WHERE k.project_id = p.id AND k.deleted_at IS NULL)"
        "  + (SELECT count(*) FROM service_accounts s WHERE s.project_id = p.id"
        "     AND s.deleted_at IS NULL) AS n"
        " FROM projects p WHERE p.archived_at IS NULL AND p.is_default = 0"
        " ORDER BY n DESC, p.seq"
    )
    if rows:
        return str(rows[0]["id"])
    return store.default_project_id()


def make_hostile(store: Store, *, project_id: str | None = None) -> HostileOrg:
    """Fill a seeded sandbox organisation with hostile names (see the module docstring).

    The chosen project (`project_id`, or the busiest active one) gets the OSC 52 name, and its
    keys and service accounts get every hostile string in turn; the other projects get one
    string each; a hostile member is added per hostile email; the org name is hostile too.
    """
    values = list(HOSTILE_STRINGS.values())
    target = project_id or _best_project(store)
    store.meta_set("org_name", HOSTILE_ORG_NAME)
    store.set_fields("projects", target, name=HOSTILE_PROJECT_NAME)
    org = HostileOrg(project_id=target, project_name=HOSTILE_PROJECT_NAME)
    # The target's keys take the escape-sequence strings, its accounts (shown as key owners
    # too) the wide and long ones, the other projects the rest: every kind is on screen.
    _rename_rows(store, "api_keys", target, [HOSTILE_STRINGS[k] for k in _KEY_KINDS])
    _rename_rows(store, "service_accounts", target, [HOSTILE_STRINGS[k] for k in _ACCOUNT_KINDS])
    others = [p for p in store.project_ids() if p not in (target, store.default_project_id())]
    for index, pid in enumerate(others):
        kind = _cycle(list(_PROJECT_KINDS), index)
        store.set_fields("projects", pid, name=HOSTILE_STRINGS[kind])
        org.project_ids.setdefault(kind, pid)
    for index, email in enumerate(HOSTILE_EMAILS):
        user = store.add_user(
            email,
            name=_cycle(values, index + 3),
            role="reader",
            projects=[(store.default_project_id(), "member"), (target, "member")],
        )
        org.user_ids.append(str(user["id"]))
    # Existing members get hostile display names as well (emails stay valid for invites).
    members = store.query(
        "SELECT id FROM users WHERE deleted_at IS NULL AND role != 'owner' ORDER BY seq LIMIT 4"
    )
    for index, row in enumerate(members):
        store.set_fields("users", row["id"], name=_cycle(values, index))
    return org


def _rename_rows(store: Store, table: str, pid: str, names: list[str]) -> None:
    rows = store.query(
        f"SELECT id FROM {table} WHERE project_id = ? AND deleted_at IS NULL ORDER BY seq", (pid,)
    )
    for index, row in enumerate(rows):
        store.set_fields(table, row["id"], name=_cycle(names, index))


def create_hostile_app(
    db_path: str | Path | None = None,
    *,
    prepare: Callable[[HostileOrg], None] | None = None,
    **options: Any,
) -> Any:
    """`create_app(...)` with the organisation made hostile when the database is new.

    `app.state.hostile` is the `HostileOrg` (None when an existing database was reused).
    """
    from orgtui.sandbox.app import create_app

    app = create_app(db_path, **options)
    store: Store = app.state.sandbox.store
    app.state.hostile = None
    if store.is_new:
        org = make_hostile(store)
        app.state.hostile = org
        if prepare is not None:
            prepare(org)
    return app
