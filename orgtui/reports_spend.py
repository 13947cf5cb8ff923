"""The text and JSON of `orgtui spend --once` (the JSON is documented in `orgtui.reports`)."""

from __future__ import annotations

import math
import textwrap
from datetime import UTC, datetime
from typing import Any

from orgtui.api.errors import one_line
from orgtui.core.money import format_usd
from orgtui.core.spend import AlertStatus, KeySpend, LimitStatus, SpendSummary

__all__ = ["iso_utc", "spend_json", "spend_text", "when_utc"]

WIDTH = 80
TOP_KEYS = 10


def iso_utc(ts: float) -> str:
    """A time as ISO 8601 UTC (the JSON reports)."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def when_utc(ts: float) -> str:
    """A time for the text reports."""
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%d %H:%M UTC")


def _usd(amount: float | None) -> float | None:
    return None if amount is None else round(amount, 4)


def _cell(text: str | None, width: int) -> str:
    """Untrusted text as one bounded line, padded to `width`."""
    flat = one_line(text or "", 200)
    if len(flat) > width:
        flat = flat[: width - 1] + "…"
    return flat.ljust(width)


def _limit_json(limit: LimitStatus | None) -> dict[str, Any]:
    if limit is None:
        return {
            "hard_limit_usd": None,
            "limit_percent": None,
            "enforcement": None,
            "headroom_usd": None,
        }
    return {
        "hard_limit_usd": limit.threshold_usd,
        "limit_percent": round(limit.percent, 2) if math.isfinite(limit.percent) else None,
        "enforcement": limit.enforcement,
        "headroom_usd": _usd(limit.headroom_usd),
    }


def _alerts_json(alerts: tuple[AlertStatus, ...]) -> list[dict[str, Any]]:
    return [{"id": a.id, "threshold_usd": a.threshold_usd, "crossed": a.crossed} for a in alerts]


def _key_json(key: KeySpend, amount: float) -> dict[str, Any]:
    return {
        "id": key.id,
        "name": key.name,
        "project_id": key.project_id,
        "project_name": key.project_name,
        "deleted": key.deleted,
        "usd": _usd(amount),
    }


def spend_json(
    profile: str, summary: SpendSummary, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    org, burn = summary.org, summary.burn
    hour, day = burn.last_hour, burn.last_day
    return {
        "schema_version": 1,
        "generated_at": iso_utc(summary.generated_at),
        "profile": profile,
        "month_start": iso_utc(summary.windows.month_start),
        "limits_enforcing": summary.any_enforcing,
        "organisation": {
            "name": org.name,
            "month_to_date_usd": _usd(org.month_to_date_usd),
            "today_usd": _usd(org.today_usd),
            "forecast_month_usd": _usd(org.forecast.forecast_usd),
            "avg_daily_usd_7d": _usd(org.forecast.avg_daily_usd),
            **_limit_json(org.limit),
            "alerts": _alerts_json(org.alerts),
            "burn": {
                "requests_per_minute_last_hour": hour and round(hour.requests_per_minute, 3),
                "tokens_per_minute_last_hour": hour and round(hour.tokens_per_minute, 3),
                "requests_per_minute_last_day": day and round(day.requests_per_minute, 3),
                "tokens_per_minute_last_day": day and round(day.tokens_per_minute, 3),
                "usd_per_hour_today": _usd(burn.usd_per_hour),
            },
        },
        "projects": [
            {
                "id": p.id,
                "name": p.name,
                "archived": p.archived,
                "month_to_date_usd": _usd(p.month_to_date_usd),
                "today_usd": _usd(p.today_usd),
                "forecast_month_usd": _usd(p.forecast.forecast_usd),
                **{k: v for k, v in _limit_json(p.limit).items() if k != "headroom_usd"},
                "alerts_crossed": sum(1 for a in p.alerts if a.crossed),
                "alerts": _alerts_json(p.alerts),
            }
            for p in summary.projects
        ],
        "top_keys": {
            "today": [_key_json(k, k.today_usd) for k in summary.top_keys(TOP_KEYS, "today")],
            "month": [_key_json(k, k.month_to_date_usd) for k in summary.top_keys(TOP_KEYS)],
        },
        "errors": {**summary.errors, **(errors or {})},
    }


def _limit_line(limit: LimitStatus | None) -> str:
    if limit is None:
        return "none set"
    state = "ENFORCING (requests are rejected)" if limit.enforcing else (limit.enforcement or "?")
    return (
        f"{format_usd(limit.threshold_usd)}, {limit.percent:.1f}% used, "
        f"{format_usd(limit.headroom_usd)} left, {state}"
    )


def _project_row(p: Any) -> str:
    limit = p.limit
    flag = "!" if limit is not None and limit.enforcing else " "
    return (
        f"{flag} {_cell(p.name, 22)} {format_usd(p.month_to_date_usd):>11} "
        f"{format_usd(p.today_usd):>10} "
        f"{format_usd(limit.threshold_usd) if limit else '-':>11} "
        f"{f'{limit.percent:.1f}%' if limit else '-':>7} "
        f"{format_usd(p.forecast.forecast_usd):>11}"
    )


def spend_text(summary: SpendSummary, errors: dict[str, str] | None = None) -> str:
    org, burn = summary.org, summary.burn
    month = datetime.fromtimestamp(summary.windows.month_start, UTC).strftime("%B %Y")
    lines = [
        f"{one_line(org.name, 40)} - spend {month} (UTC) at {when_utc(summary.generated_at)}",
        "",
        f"Month to date  {format_usd(org.month_to_date_usd)}   today "
        f"{format_usd(org.today_usd)}   forecast {format_usd(org.forecast.forecast_usd)}",
        f"Hard limit     {_limit_line(org.limit)}"[:WIDTH],
    ]
    if org.alerts:
        alerts = "; ".join(
            f"{format_usd(a.threshold_usd)} {'crossed' if a.crossed else 'not yet'}"
            for a in org.alerts
        )
        lines += textwrap.wrap(f"Alerts         {alerts}", WIDTH, subsequent_indent=" " * 15)
    if burn.last_hour is not None:
        per_hour = f", {format_usd(burn.usd_per_hour)}/h today" if burn.usd_per_hour else ""
        lines.append(
            f"Burn           {burn.last_hour.requests_per_minute:,.1f} req/min, "
            f"{burn.last_hour.tokens_per_minute:,.0f} tok/min last hour{per_hour}"[:WIDTH]
        )
    missing = list({**summary.errors, **(errors or {})}.items())
    if missing:
        lines.append(f"INCOMPLETE: {len(missing)} part(s) could not be read (exit 3):")
    for part, error in missing:  # every one: a script must know what the figures lack
        lines.append(f"Not available  {part}: {one_line(error, 60)}"[:WIDTH])
    shown = [
        p for p in summary.projects if p.month_to_date_usd > 0 or (p.limit and p.limit.enforcing)
    ]
    lines += [
        "",
        f"  {'PROJECT':<22} {'MONTH':>11} {'TODAY':>10} {'LIMIT':>11} {'USED':>7} {'FORECAST':>11}",
    ]
    lines += [_project_row(p) for p in shown[:10]] or ["  (no spend this month)"]
    if len(shown) > 10:
        lines.append(f"  ... and {len(shown) - 10} more projects")
    for period, title in (("month", "TOP KEYS THIS MONTH"), ("today", "TOP KEYS TODAY")):
        keys = summary.top_keys(5, period)
        if not keys:
            continue
        lines += ["", f"  {title:<30} {'PROJECT':<22} {'AMOUNT':>11}"]
        for k in keys:
            amount = k.month_to_date_usd if period == "month" else k.today_usd
            lines.append(
                f"  {_cell(k.name, 30)} {_cell(k.project_name or '-', 22)} {format_usd(amount):>11}"
            )
    if summary.any_enforcing:
        lines += ["", "! A hard limit is enforcing: requests in its scope are being rejected."]
    return "\n".join(lines) + "\n"
