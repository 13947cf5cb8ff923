"""Certificate rows: name, fingerprint, subject, expiry (flagged under 30 days), where active."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

from rich.text import Text

from orgtui.core.security import EXPIRY_WARNING_DAYS, CertificateInfo
from orgtui.ui.text import safe_str, safe_text, short_date
from orgtui.ui.widgets.vtable import Column, Row

WARN = "warn"
FLAG = "! "

CERTIFICATE_COLUMNS = (
    Column("name", "Name", 16, flex=True),
    Column("fingerprint", "SHA-256", 14, priority=2),
    Column("subject", "Subject", 20, priority=1),
    Column("expires", "Expires", 17),
    Column("active", "Active for", 16),
)


def short_fingerprint(fingerprint: str) -> str:
    """The first and last bytes, enough to tell certificates apart: `AB:CD…89:EF`."""
    parts = fingerprint.split(":")
    if len(parts) < 6:
        return fingerprint or "—"
    return ":".join(parts[:2]) + "…" + ":".join(parts[-2:])


def expiry_text(cert: CertificateInfo, now: float) -> Text:
    if cert.expires_at is None:
        return Text("—", style="dim")
    day = short_date(cert.expires_at)
    left = cert.days_left(now) or 0.0
    if cert.expired(now):
        return Text(f"{FLAG}{day} expired", style=WARN)
    if left <= EXPIRY_WARNING_DAYS:
        return Text(f"{FLAG}{day} {math.ceil(left)} d", style=WARN)
    return Text(day)


def active_text(cert: CertificateInfo, project_name: Callable[[str], str]) -> Text:
    where = (["org"] if cert.org_active else []) + [project_name(p) for p in cert.project_ids]
    if not where:
        return Text("inactive", style="dim")
    return Text(safe_str(", ".join(where), 120))


def certificate_rows(
    certs: Iterable[CertificateInfo], now: float, projects: Mapping[str, str]
) -> list[Row]:
    def name_of(pid: str) -> str:
        return projects.get(pid) or pid

    def cells(cert: CertificateInfo) -> tuple[Text | str, ...]:
        return (
            safe_text(cert.name, 60) if cert.name else Text("(unnamed)", style="dim italic"),
            Text(short_fingerprint(cert.fingerprint)),
            safe_text(cert.subject or "—", 80),
            expiry_text(cert, now),
            active_text(cert, name_of),
        )

    return [
        Row(
            c.id,
            item=c,
            make=cells,
            search=f"{c.name or ''} {c.id} {c.subject} {c.fingerprint}",
        )
        for c in certs
    ]
