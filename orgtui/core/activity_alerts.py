"""Spend alert findings, free of any UI: what a spend summary says is crossed or enforcing
(`findings`), and the once-only rule of telling them (`AlertMemory`). The spend watch
(`ui/features/spend/alerts_watch.py`) tells the user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgtui.core.money import format_cents, format_usd

if TYPE_CHECKING:
    from orgtui.core.spend_types import SpendSummary

__all__ = ["ORG", "AlertMemory", "Finding", "findings"]

ORG = "org"


@dataclass(frozen=True)
class Finding:
    key: tuple[str, ...]  # stable identity: (profile, kind, scope, id)
    scope: str  # ORG or a project id
    text: str
    enforcing: bool = False


def findings(summary: SpendSummary, profile: str) -> tuple[list[Finding], set[str]]:
    """(what is crossed or enforcing now, the scopes whose limits and alerts were known)."""
    found: list[Finding] = []
    known: set[str] = set()
    scopes: list[tuple[str, str, Any]] = [(ORG, "Organisation", summary.org)]
    scopes += [(p.id, p.name, p) for p in summary.projects]
    for scope, name, figures in scopes:
        if figures.limit_known:
            known.add(f"{scope}:limit")
            limit = figures.limit
            if limit is not None and limit.enforcing:
                found.append(
                    Finding(
                        (profile, "limit", scope),
                        scope,
                        f"{name}: hard limit {format_cents(limit.threshold_cents)} is ENFORCING "
                        "(API calls are being rejected)",
                        enforcing=True,
                    )
                )
        if figures.alerts_known:
            known.add(f"{scope}:alerts")
            for alert in figures.alerts:
                if alert.crossed:
                    found.append(
                        Finding(
                            (profile, "alert", scope, alert.id),
                            scope,
                            f"{name}: {format_usd(alert.spent_usd)} this month crossed the "
                            f"{format_cents(alert.threshold_cents)} alert",
                        )
                    )
    return found, known


def _evaluated(key: tuple[str, ...], known: set[str]) -> bool:
    scope = key[2]
    return f"{scope}:{'limit' if key[1] == 'limit' else 'alerts'}" in known


@dataclass
class AlertMemory:
    """The once-only rule, free of any UI: which findings were told, which are still unseen."""

    notified: set[tuple[str, ...]] = field(default_factory=set)
    unseen: set[tuple[str, ...]] = field(default_factory=set)

    def observe(
        self, found: Iterable[Finding], known: set[str], profile: str | None = None
    ) -> list[Finding]:
        """The findings not told before. A condition that cleared is forgotten, so it is told
        again if it comes back; a scope that was not evaluated keeps what it had."""
        found = list(found)
        current = {f.key for f in found}
        for key in list(self.notified):
            mine = profile is None or key[0] == profile
            if mine and key not in current and _evaluated(key, known):
                self.notified.discard(key)
                self.unseen.discard(key)
        new = [f for f in found if f.key not in self.notified]
        for finding in new:
            self.notified.add(finding.key)
            self.unseen.add(finding.key)
        return new

    def mark_seen(self) -> bool:
        had = bool(self.unseen)
        self.unseen.clear()
        return had
