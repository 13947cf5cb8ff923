"""The incident part of `orgtui spend --once`: `usage_by_kind`, `spikes`, and their exit code.

JSON additions (beside the fields documented in `orgtui.reports`)::

    "spike_factor": 3.0,
    "usage_by_kind": {
      "completions": {"unit": "requests", "per_hour_15m": 8000.0, "per_hour_60m": 2929.0,
                      "baseline_per_hour": 1295.75, "ratio": 6.17,
                      "tokens_per_hour": 16362628.0, "exact": true, "error": null},
      "vector_stores": {"unit": "GB-days", "per_hour_15m": null, "per_hour_60m": 0.56, ...},
      "costs": {"unit": "usd", "usd_today": 38.54, "per_hour_today": 2.71,
                "baseline_per_hour": 3.53, "error": null}},
    "spikes": [{"scope": "key", "id": "key_abc", "kind": "completions",
                "project_id": "proj_abc", "api_key_id": "key_abc", "unit": "requests",
                "ratio": 16.24, "ratio_15m": 16.24, "ratio_60m": 4.98,
                "per_hour_15m": 1008.0, "per_hour_60m": 309.0, "baseline_per_hour": 62.08,
                "tokens_per_hour": 1.2e6, "usd_per_hour": 0.34,
                "since": "2026-08-21T09:45:00Z", "exact": true}],
    "alerts_crossed": 0

`spikes` lists the rows whose rise is more than noise and whose last 60 minutes reach
`spike_factor` times their baseline, or last 15 minutes twice that
(`[profiles.X.thresholds] spike_factor`, default 3), ranked, at most 20.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from orgtui.api.errors import ApiError, one_line
from orgtui.core.incident import IncidentReport, IncidentRow, compute_incident

__all__ = ["MAX_SPIKES", "incident_exit", "incident_json", "incident_text", "read_incident"]

MAX_SPIKES = 20


async def read_incident(client: Any, now: float) -> tuple[IncidentReport | None, str | None]:
    """The incident report, or why it could not be read (never fatal for `spend --once`)."""
    try:
        return await compute_incident(client, now), None
    except ApiError as exc:
        return None, str(exc)


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _spike_json(row: IncidentRow) -> dict[str, Any]:
    return {**row.as_json(), "since": _iso(row.since)}


def alerts_crossed(summary: Any) -> int:
    org = sum(1 for a in summary.org.alerts if a.crossed)
    return org + sum(1 for p in summary.projects for a in p.alerts if a.crossed)


def incident_json(
    report: IncidentReport | None, error: str | None, factor: float, summary: Any
) -> dict[str, Any]:
    spikes = report.spikes(factor)[:MAX_SPIKES] if report else []
    out: dict[str, Any] = {
        "spike_factor": factor,
        "usage_by_kind": report.usage_by_kind() if report else {},
        "spikes": [_spike_json(row) for row in spikes],
        "alerts_crossed": alerts_crossed(summary),
    }
    if error is not None:
        out["incident_error"] = error
    return out


def incident_exit(report: IncidentReport | None, factor: float, summary: Any) -> bool:
    """True when a spike passes the factor or an alert (organisation or project) has fired."""
    spiking = bool(report and report.spikes(factor))
    return spiking or alerts_crossed(summary) > 0


def _rate(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:,.0f} {unit}/h"
    return f"{value:,.2f} {unit}/h"


def incident_text(report: IncidentReport | None, error: str | None, factor: float) -> str:
    """A few lines for the text report (80 columns)."""
    if report is None:
        return f"\nSpikes         not available: {one_line(error or '', 50)}\n"
    spikes = report.spikes(factor)
    if not spikes:
        return f"\nSpikes         none (no key, project or kind at {factor:g}x its baseline)\n"
    lines = ["", f"  SPIKES (x{factor:g} or more of the same hours, last 7 days)"]
    for row in spikes[:5]:
        since = datetime.fromtimestamp(row.since, UTC).strftime("%H:%M") if row.since else "-"
        usd = f"${row.usd_per_hour:,.2f}/h" if row.usd_per_hour is not None else ""
        head = f"  {row.scope:<7} {one_line(row.id, 28):<28} {row.kind[:12]:<12}"
        lines.append(f"{head} x{row.ratio:<6.1f} since {since} {usd}"[:80].rstrip())
        lines.append(f"{'':10}{_rate(row.rate_60m, row.unit)} now (60 min)"[:80])
    if len(spikes) > 5:
        lines.append(f"  ... and {len(spikes) - 5} more")
    return "\n".join(lines) + "\n"
