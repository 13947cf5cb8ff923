"""The last `orgtui scan` result per profile, and the health check that reads it.

The record holds where a live key was seen and which key it is (id, redacted value), never a
value. It lives in the state dir beside the rotation journal, mode 0600.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from orgtui import paths

__all__ = ["ScanRecord", "Seen", "check_scanned_keys", "last_scan", "record_scan"]


@dataclass(frozen=True)
class Seen:
    key_id: str
    redacted_value: str
    file: str
    line: int
    commit: str | None


@dataclass(frozen=True)
class ScanRecord:
    path: str
    scanned_at: float
    seen: tuple[Seen, ...]


def record_scan(profile: str, root: str, when: float, live_rows: Sequence[dict[str, Any]]) -> None:
    """Keep what a scan found live for this profile (rows as `orgtui scan --json` has them)."""
    seen = [
        {
            "key_id": m["key_id"],
            "redacted_value": m["redacted_value"],
            "file": row["file"],
            "line": row["line"],
            "commit": row["commit"],
        }
        for row in live_rows
        for m in row["matches"]
        if m["profile"] == profile
    ]
    target = paths.scan_record_file(profile)
    paths.ensure_private_dir(target.parent)
    data = json.dumps({"path": root, "scanned_at": when, "seen": seen}, indent=1)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(data)


def last_scan(profile: str) -> ScanRecord | None:
    """The last scan's record, or None when there is none or it cannot be read."""
    try:
        data = json.loads(paths.scan_record_file(profile).read_text(encoding="utf-8"))
        seen = tuple(
            Seen(
                key_id=str(s["key_id"]),
                redacted_value=str(s["redacted_value"]),
                file=str(s["file"]),
                line=int(s["line"]),
                commit=None if s.get("commit") is None else str(s["commit"]),
            )
            for s in data["seen"]
        )
        return ScanRecord(path=str(data["path"]), scanned_at=float(data["scanned_at"]), seen=seen)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_scanned_keys(snapshot: Any, record: ScanRecord | None) -> list[Any]:
    """`key.seen_outside_secret_store`: keys the last scan found that are still live."""
    from orgtui.core.health import ObjectRef, finding

    if record is None:
        return []
    live: dict[str, tuple[Any, Any]] = {}
    for pid, view in snapshot.projects.items():
        for key in view.get("api_keys") or ():
            live[key.id] = (key, pid)
    for key in snapshot.admin_keys or ():
        live[key.id] = (key, None)
    found = []
    for key_id in dict.fromkeys(s.key_id for s in record.seen):
        if key_id not in live:
            continue  # deleted since the scan: contained
        key, pid = live[key_id]
        where = [s for s in record.seen if s.key_id == key_id]
        first = where[0]
        place = f"{first.file}:{first.line}" + (
            f" (commit {first.commit[:12]})" if first.commit else ""
        )
        more = f" and {len(where) - 1} more place(s)" if len(where) > 1 else ""
        kind = "admin_key" if pid is None else "api_key"
        found.append(
            finding(
                "key.seen_outside_secret_store",
                f"Key {key.redacted_value} was found in {place}{more} under {record.path}",
                [ObjectRef(kind, key_id, key.name, pid)],
            )
        )
    return found
