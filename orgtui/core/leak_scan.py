"""Find key-shaped strings in files and git history with detect-secrets (`orgtui scan`).

The scanning is the library's (its OpenAI detector, plus `leak_detector` for the sandbox's
keys). This module walks the places to look and turns each secret into a `Sighting` that
keeps only a `Probe` (what a redacted value shows), never the value.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from orgtui.core.key_match import Probe, ProbeError, probe

__all__ = ["ScanError", "Sighting", "scan_files", "scan_history"]

_PLUGINS = [
    {"name": "OpenAIDetector"},
    {
        "name": "SandboxKeyDetector",
        "path": f"file://{Path(__file__).with_name('leak_detector.py')}",
    },
]


class ScanError(Exception):
    """The path cannot be scanned (missing, or not a git repository for --git-history)."""


@dataclass(frozen=True)
class Sighting:
    """A key-shaped string seen in a file (and, from history, in a commit)."""

    file: str
    line: int
    probe: Probe
    commit: str | None = None


@contextmanager
def _settings() -> Iterator[None]:
    from detect_secrets.settings import get_filters, get_settings, transient_settings

    with transient_settings({"plugins_used": _PLUGINS, "filters_used": []}):
        # A file seen in history need not exist on disk any more: keep its secrets.
        get_settings().disable_filters("detect_secrets.filters.common.is_invalid_file")
        get_filters.cache_clear()
        yield


def _sighting(file: str, line: int, value: str | None, commit: str | None) -> Sighting | None:
    if not value:
        return None
    try:
        return Sighting(file=file, line=line, probe=probe(value), commit=commit)
    except ProbeError:
        return None


def scan_files(root: Path) -> Iterator[Sighting]:
    """Every key-shaped string in the files under `root` (all files, tracked or not)."""
    from detect_secrets.core.scan import get_files_to_scan, scan_file

    if not root.exists():
        raise ScanError(f"{root} does not exist")
    base = root if root.is_dir() else root.parent
    with _settings():
        for relative in get_files_to_scan(str(root), should_scan_all_files=True, root=str(base)):
            if relative.startswith(".git/") or "/.git/" in relative:
                continue
            for secret in scan_file(str(base / relative)):
                found = _sighting(relative, secret.line_number, secret.secret_value, None)
                if found is not None:
                    yield found


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ScanError(f"git {args[0]} failed in {root}: {done.stderr.strip()[:200]}")
    return done.stdout


def scan_history(root: Path) -> Iterator[Sighting]:
    """Every key-shaped string added by any commit reachable from any ref of the repository."""
    from detect_secrets.core.scan import scan_diff

    if not (root / ".git").exists() and not _git(root, "rev-parse", "--git-dir").strip():
        raise ScanError(f"{root} is not a git repository")
    commits = _git(root, "rev-list", "--all").split()
    with _settings():
        for commit in commits:
            diff = _git(root, "show", "--format=", "--no-color", "--no-ext-diff", "-p", commit)
            if not diff.strip():
                continue
            for secret in scan_diff(diff):
                found = _sighting(secret.filename, secret.line_number, secret.secret_value, commit)
                if found is not None:
                    yield found
