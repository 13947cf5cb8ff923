"""`orgtui whose` and `orgtui scan`: a leaked key, whose it is, and whether it is live.

Neither draws a screen nor imports textual. Neither ever prints, logs or keeps a key value:
`whose` reads it from standard input (never argv, so never shell history), reduces it at once to
what a redacted value shows (`core.key_match.Probe`) and prints only that form.

Exit codes
----------
`orgtui whose`: 0 exactly one key matches, 1 none, 4 several, 2 unusable input, 3 could not read
the key inventory (with --all-profiles: none matched and an organisation could not be read).
`orgtui scan`:  0 no live key found, 1 a live key was found, 2 bad path, 3 could not read the
inventory (with --all-profiles: none live and an organisation could not be read).
"""

from __future__ import annotations

import asyncio
import getpass
import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orgtui.core.key_match import Candidate, ProbeError, candidates, probe
from orgtui.leak_inventory import CouldNotRead, Inventories, Inventory, read_inventories

__all__ = ["EXIT_NONE", "EXIT_SEVERAL", "run_scan", "run_whose"]

EXIT_ONE, EXIT_NONE, EXIT_USAGE, EXIT_COULD_NOT, EXIT_SEVERAL = 0, 1, 2, 3, 4


# ---------------------------------------------------------------- output


def _iso(ts: int | float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ago(ts: int | None, now: float) -> str:
    if ts is None:
        return "never"
    seconds = max(0.0, now - ts)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def _match_json(inv: Inventory, c: Candidate) -> dict[str, Any]:
    row = asdict(c)
    row["created_at"] = _iso(c.created_at)
    row["last_used_at"] = _iso(c.last_used_at)
    row["requests_today"] = inv.requests_today.get(c.key_id) if c.kind != "admin_key" else None
    return {"profile": inv.profile, "organisation": inv.organisation, **row}


_KINDS = {
    "project_key": "user key (project)",
    "service_account_key": "service account key",
    "admin_key": "ADMIN key: organisation-wide",
}


def _match_text(inv: Inventory, c: Candidate, now: float) -> str:
    requests = inv.requests_today.get(c.key_id)
    where = f"{c.project_name} ({c.project_id})" if c.project_id else "the whole organisation"
    lines = [
        f"  {c.name or '(no name)'}  {c.key_id}  {c.redacted_value}",
        f"    org        {inv.organisation} (profile {inv.profile})",
        f"    type       {_KINDS.get(c.kind, c.kind)}",
        f"    project    {where}",
        f"    owner      {c.owner}" + (f" ({c.owner_id})" if c.owner_id else ""),
        f"    created    {_iso(c.created_at) or 'unknown'}",
        f"    last used  {_iso(c.last_used_at) or 'never'} ({_ago(c.last_used_at, now)})",
    ]
    if c.kind != "admin_key":
        lines.append(f"    requests   {requests:,} today" if requests is not None else "")
    return "\n".join(line for line in lines if line)


def _advice(c: Candidate, requests: int | None) -> str:
    if c.kind == "admin_key":
        return (
            "It is an admin key: it can change the whole organisation. Delete it now (console:"
            " Admin keys, d) and create a new one for the tools that need it."
        )
    in_use = bool(requests) or c.last_used_at is not None and time.time() - c.last_used_at < 3600
    if in_use:
        return (
            "It is in use: rotate it first (console: `:` then the key id, then o), deploy the new"
            " key, then delete this one."
        )
    return "It has no recent traffic: delete it (console: `:` then the key id, then d)."


def _say(payload: dict[str, Any] | None, text: str) -> None:
    if payload is not None:
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text)
    sys.stdout.flush()


def _not_checked(got: Inventories) -> str:
    return "".join(
        f"Not checked in {profile} (its keys could not be read: {why})\n"
        for profile, why in got.unreadable.items()
    )


def _fail(command: str, message: str, code: int) -> int:
    from orgtui.api.errors import one_line

    sys.stderr.write(f"orgtui {command}: {one_line(message, 400)}\n")
    return code


# ---------------------------------------------------------------- whose


def _read_value() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Paste the key or the end of it (not shown), then Enter: ")
    return sys.stdin.read(4096)


def run_whose(args: Any) -> int:
    """`orgtui whose [--json] [--profile P | --demo | --all-profiles]`, the key on stdin."""
    from orgtui.api.errors import ApiError
    from orgtui.config import ConfigError

    try:
        p = probe(_read_value())
    except ProbeError as exc:
        return _fail("whose", str(exc), EXIT_USAGE)
    try:
        got = asyncio.run(read_inventories(args, [p]))
    except (ConfigError, ApiError, CouldNotRead) as exc:
        return _fail("whose", f"could not read the keys: {exc}", EXIT_COULD_NOT)
    now = time.time()
    inventories = got.read
    found = [(inv, c) for inv in inventories for c in candidates(p, inv.snapshot)]
    code = EXIT_ONE if len(found) == 1 else EXIT_NONE if not found else EXIT_SEVERAL
    if not found and got.unreadable:
        code = EXIT_COULD_NOT  # "no match" cannot be said of an organisation not read
    incomplete = {inv.profile: sorted(inv.errors) for inv in inventories if inv.errors}
    if getattr(args, "json", False):
        _say(
            {
                "schema_version": 1,
                "generated_at": _iso(now),
                "probe": p.shown,
                "exit_code": code,
                "matches": [_match_json(inv, c) for inv, c in found],
                "unreadable": incomplete,
                "unreadable_orgs": got.unreadable,
            },
            "",
        )
        return code
    head = f"{p.shown}: "
    if not found:
        text = head + "no key of " + ", ".join(i.organisation for i in inventories) + " matches.\n"
        if p.tail is None:
            text += "Only a prefix was given: paste the key's end (its last 4 characters) too.\n"
        else:
            text += "It is not a live key here: deleted already, or another organisation's.\n"
    else:
        many = f"{len(found)} keys match" if len(found) > 1 else "1 key matches"
        text = head + many + ".\n\n" + "\n\n".join(_match_text(i, c, now) for i, c in found)
        text += "\n\n"
        if len(found) == 1:
            inv, c = found[0]
            text += _advice(c, inv.requests_today.get(c.key_id)) + "\n"
        else:
            text += "Give more of the key (its whole value, or a longer end) to narrow it down.\n"
    for profile, parts in incomplete.items():
        text += f"Not readable in {profile}, so a key there may be missing: {', '.join(parts)}\n"
    text += _not_checked(got)
    _say(None, text)
    return code


# ---------------------------------------------------------------- scan


def run_scan(args: Any) -> int:
    """`orgtui scan PATH [--git-history] [--json] [--profile P | --demo | --all-profiles]`."""
    from orgtui.api.errors import ApiError
    from orgtui.config import ConfigError
    from orgtui.core.leak_record import record_scan
    from orgtui.core.leak_scan import ScanError, scan_files, scan_history

    root = Path(args.path)
    try:
        sightings = list(scan_files(root))
        if getattr(args, "git_history", False):
            sightings += list(scan_history(root))
    except ScanError as exc:
        return _fail("scan", str(exc), EXIT_USAGE)
    probes = list({s.probe: None for s in sightings})
    try:
        got = asyncio.run(read_inventories(args, probes)) if probes else Inventories()
    except (ConfigError, ApiError, CouldNotRead) as exc:
        return _fail("scan", f"could not read the keys: {exc}", EXIT_COULD_NOT)
    inventories = got.read
    now = time.time()
    rows: list[dict[str, Any]] = []
    for s in sightings:
        found = [(inv, c) for inv in inventories for c in candidates(s.probe, inv.snapshot)]
        rows.append(
            {
                "file": s.file,
                "line": s.line,
                "commit": s.commit,
                "key": s.probe.shown,
                "live": bool(found),
                "matches": [_match_json(inv, c) for inv, c in found],
            }
        )
    live = [r for r in rows if r["live"]]
    # "None is live" cannot be said of an organisation not read.
    code = 1 if live else EXIT_COULD_NOT if got.unreadable else 0
    for inv in inventories:
        record_scan(inv.profile, str(root.resolve()), now, live)
    if getattr(args, "json", False):
        _say(
            {
                "schema_version": 1,
                "generated_at": _iso(now),
                "path": str(root),
                "exit_code": code,
                "findings": rows,
                "unreadable_orgs": got.unreadable,
            },
            "",
        )
        return code
    lines = [f"{len(rows)} key-shaped string(s) in {root}; {len(live)} of a live key."]
    for r in rows:
        where = f"{r['file']}:{r['line']}" + (
            f" (commit {r['commit'][:12]})" if r["commit"] else ""
        )
        if r["live"]:
            m = r["matches"][0]
            what = (
                f"LIVE: {m['name'] or m['key_id']} {m['key_id']} in"
                f" {m['project_name'] or 'the organisation'} ({m['profile']})"
            )
            if len(r["matches"]) > 1:
                what += f" and {len(r['matches']) - 1} other candidate(s)"
        else:
            what = "not a live key here (deleted, or another organisation's)"
        lines.append(f"  {where}  {r['key']}  {what}")
    if live:
        lines.append("Contain each live key: `orgtui whose` tells whose it is and what to do.")
    _say(None, "\n".join(lines) + "\n" + _not_checked(got))
    return code
