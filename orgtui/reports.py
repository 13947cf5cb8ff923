"""`orgtui check` and `orgtui spend --once`: the two commands without a screen (cron, CI).

Neither imports textual. Both print to stdout, report problems as one line on stderr, and never
change the organisation (the connection is opened read-only).

Exit codes
----------
`orgtui check`:        0 clean (info findings only), 1 warnings, 2 failures, 3 could not check.
`orgtui spend --once`: 0 fine, 1 a hard limit (organisation or project) is enforcing, a spend
                       alert has been crossed, or a usage spike reaches `spike_factor` (see
                       `orgtui.reports_incident`), 3 could not read the spend.
"Could not check" (3) covers a configuration error, a rejected admin key, no connection, the
whole command taking longer than `--timeout` (default 60 s), and any part the report needs
that could not be read. Then the report is still printed for what was read, every unreadable
part is listed (`data.incomplete` / `spend.unavailable` findings, the spend's `errors`), and
the summary line starts with INCOMPLETE: it never says "0 failures" about data it lacks.

JSON (`--json`): one object on stdout. USD amounts are JSON numbers (costs have sub-cent
precision: rounded to 4 decimals; limits and alerts are exact cents); times are ISO 8601 UTC;
`schema_version` changes only when a field is removed or changes meaning.

`orgtui check --json`::

    {"schema_version": 1, "generated_at": "2026-08-21T10:00:00Z", "profile": "demo",
     "organisation": "Acme Robotics (sandbox)", "exit_code": 2,
     "summary": {"failure": 1, "warning": 1, "info": 0},
     "findings": [
       {"id": "project.no_spend_limit", "severity": "failure",
        "message": "Project \\"Search\\" has no hard spend limit",
        "hint": "Set a project hard limit at about twice its expected monthly spend.",
        "objects": [{"type": "project", "id": "proj_abc", "name": "Search",
                     "project_id": "proj_abc"}]},
       {"id": "key.rotation_due", "severity": "warning",
        "message": "1 key in project \\"Search\\" is older than 90 days",
        "hint": "Rotate: create a new key, deploy it, then delete the old one.",
        "objects": [{"type": "api_key", "id": "key_abc", "name": "prod-search",
                     "project_id": "proj_abc"}]}]}

Findings are ordered failure, warning, info. Check ids are listed in `orgtui.core.health.CHECKS`.

`orgtui spend --once --json`::

    {"schema_version": 1, "generated_at": "2026-08-21T10:00:00Z", "profile": "demo",
     "month_start": "2026-08-01T00:00:00Z", "limits_enforcing": false,
     "organisation": {"name": "Acme Robotics (sandbox)", "month_to_date_usd": 1234.5678,
       "today_usd": 45.67, "forecast_month_usd": 2101.2, "avg_daily_usd_7d": 50.1,
       "hard_limit_usd": 5000.0, "limit_percent": 24.69, "enforcement": "inactive",
       "headroom_usd": 3765.4322,
       "alerts": [{"id": "alert_1", "threshold_usd": 1000.0, "crossed": true}],
       "burn": {"requests_per_minute_last_hour": 12.5, "tokens_per_minute_last_hour": 8100.0,
                "requests_per_minute_last_day": 10.2, "tokens_per_minute_last_day": 7000.0,
                "usd_per_hour_today": 4.56}},
     "projects": [{"id": "proj_abc", "name": "Search", "archived": false,
       "month_to_date_usd": 800.0, "today_usd": 30.0, "forecast_month_usd": 1400.0,
       "hard_limit_usd": 1000.0, "limit_percent": 80.0, "enforcement": "inactive",
       "alerts_crossed": 1, "alerts": [{"id": "alert_2", "threshold_usd": 500.0,
       "crossed": true}]}],
     "top_keys": {"today": [{"id": "key_abc", "name": "prod-search", "project_id": "proj_abc",
                             "project_name": "Search", "deleted": false, "usd": 20.0}],
                  "month": [{"id": "key_old", "name": "deleted key key_old",
                             "project_id": "proj_abc", "project_name": "Search",
                             "deleted": true, "usd": 120.0}]},
     "errors": {}}

`hard_limit_usd`, `limit_percent`, `enforcement`, `headroom_usd` are null when there is no hard
limit (or it could not be read); burn figures are null when usage could not be read (`errors`
then says why). `projects` lists every active project, plus archived or no-longer-listed ones
that had costs in the last 30 days, by month-to-date descending (a project has no
`headroom_usd`). `top_keys` holds up to 10 keys with a cost per period; a key that no longer
exists is named "deleted key <id>" and has `"deleted": true`.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import textwrap
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from orgtui.api.errors import ApiError, one_line
from orgtui.core.clock import SystemClock
from orgtui.core.health import Finding, exit_code, report_dict, report_text, run_checks
from orgtui.core.money import format_usd
from orgtui.core.spend import (
    AlertStatus,
    KeySpend,
    LimitStatus,
    SpendSummary,
    fetch_spend_data,
    summarise,
    trailing_cost_by_project,
)
from orgtui.reports_incident import incident_exit, incident_json, incident_text, read_incident

__all__ = ["EXIT_COULD_NOT_CHECK", "CouldNotCheck", "run_check", "run_spend_once"]

EXIT_COULD_NOT_CHECK = 3
DEFAULT_TIMEOUT = 60.0  # seconds for the whole command (`--timeout`)


class CouldNotCheck(Exception):
    """The organisation could not be read well enough to report on it."""


def run_check(args: Any) -> int:
    """`orgtui check [--json] [--profile P | --demo] [--base-url URL]`."""
    return _run("check", args, _check)


def run_spend_once(args: Any) -> int:
    """`orgtui spend --once [--json] [--profile P | --demo] [--base-url URL]`."""
    return _run("spend", args, _spend)


# ---------------------------------------------------------------- plumbing


def _run(command: str, args: Any, body: Callable[[Any, Any], Awaitable[int]]) -> int:
    from orgtui.config import ConfigError
    from orgtui.connect import open_connection

    try:
        connection = open_connection(
            getattr(args, "profile", None),
            demo=bool(getattr(args, "demo", False)),
            base_url=getattr(args, "base_url", None),
            read_only=True,  # a report never changes anything
        )
    except ConfigError as exc:
        return _fail(command, str(exc))
    timeout = float(getattr(args, "timeout", None) or DEFAULT_TIMEOUT)
    try:
        return asyncio.run(asyncio.wait_for(_guarded(connection, args, body), timeout))
    except (ApiError, CouldNotCheck) as exc:
        return _fail(command, str(exc))
    except TimeoutError:
        return _fail(command, f"gave up after {timeout:g} s (--timeout)")


async def _guarded(connection: Any, args: Any, body: Callable[[Any, Any], Awaitable[int]]) -> int:
    try:
        return await body(connection, args)
    finally:
        await connection.aclose()


_FAILED = {"check": "could not check", "spend": "could not read the spend"}


def _fail(command: str, message: str) -> int:
    sys.stderr.write(f"orgtui {command}: {_FAILED[command]}: {one_line(message, 400)}\n")
    return EXIT_COULD_NOT_CHECK


def _session(connection: Any) -> Any:
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session

    # The profile's own cache: the console then starts from what the report saw.
    return Session(
        connection.profile,
        connection.client,
        Cache.open(connection.profile),
        SystemClock(),
        read_only=True,
    )


def _require_projects(result: Any) -> None:
    error = result.errors.get("projects")
    if error:
        raise CouldNotCheck(error)


def _emit(payload: dict[str, Any] | None, text: str | None) -> None:
    if payload is not None:
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text or "")
    sys.stdout.flush()


# ---------------------------------------------------------------- check


async def _check(connection: Any, args: Any) -> int:
    from orgtui.core.leak_record import last_scan
    from orgtui.core.sync import Syncer

    session = _session(connection)
    try:
        now = session.now()
        sync, costs = await asyncio.gather(
            Syncer(session).refresh_all(),
            fetch_spend_data(connection.client, now, include_usage=False),
            return_exceptions=True,
        )
        if isinstance(sync, BaseException):
            raise sync
        _require_projects(sync)
        if isinstance(costs, BaseException) and not isinstance(costs, ApiError):
            raise costs
        # Without costs the limit-vs-spend checks are skipped (an info finding says so).
        trailing = None if isinstance(costs, ApiError) else trailing_cost_by_project(costs)
        snapshot = session.snapshot
        from orgtui.core.security import load_security_facts

        security = await load_security_facts(session)  # what it cannot read, it says
        findings = run_checks(
            snapshot,
            trailing,
            now,
            connection.profile.thresholds,
            scan=last_scan(connection.profile.name),
            security=security,
        )
        findings = await _with_access_checks(connection.client, snapshot, findings)
    finally:
        session.close()
    return _report_check(connection, snapshot, findings, now, bool(getattr(args, "json", False)))


async def _with_access_checks(client: Any, snapshot: Any, findings: list[Finding]) -> list[Finding]:
    """Add the role-based access checks (groups, roles); an unreadable RBAC state is noted as
    incomplete data, as a failed part of the snapshot is."""
    from orgtui.core.access import load_access
    from orgtui.core.health import ObjectRef, finding
    from orgtui.core.health_access import merged, run_access_checks

    active = [pid for pid, view in snapshot.projects.items() if not view.project.archived]
    users = [u.id for u in snapshot.users or ()]
    try:
        access = await load_access(client, active, users)
    except ApiError as exc:
        note = finding(
            "data.incomplete",
            "Groups and roles could not be read",
            [ObjectRef("part", "access", one_line(str(exc), 120))],
        )
        return merged(findings, [note])
    return merged(findings, run_access_checks(access, snapshot))


def _report_check(
    connection: Any, snapshot: Any, findings: list[Finding], now: float, as_json: bool
) -> int:
    code = exit_code(findings)
    if as_json:
        _emit(
            {
                "schema_version": 1,
                "generated_at": _iso(now),
                "profile": connection.profile.name,
                **report_dict(snapshot.org_name, findings),
            },
            None,
        )
    else:
        _emit(None, report_text(snapshot.org_name, findings, _when(now)))
    return code


# ---------------------------------------------------------------- spend


async def _spend(connection: Any, args: Any) -> int:
    from orgtui.core.snapshot import project_part
    from orgtui.core.sync import Syncer

    session = _session(connection)
    try:
        syncer = Syncer(session)
        now = session.now()
        first, data = await asyncio.gather(
            syncer.refresh_parts(["projects", "org_limits"]),
            fetch_spend_data(connection.client, now),
        )
        _require_projects(first)
        snapshot = session.snapshot
        spent = {r.project_id for b in data.costs for r in b.results if r.project_id}
        keyed = {r.project_id for b in data.costs for r in b.results if r.api_key_id}
        parts = [
            project_part(pid, "limits")
            for pid, view in snapshot.projects.items()
            if not view.archived or pid in spent
        ]
        parts += [project_part(pid, "keys") for pid in snapshot.projects if pid in keyed]
        second = await syncer.refresh_parts(parts)
        # Unreadable limits or key lists are not fatal: the report says what is missing.
        errors = {**first.errors, **second.errors}
        summary: SpendSummary = summarise(session.snapshot, data, now)
        incident, incident_error = await read_incident(connection.client, now)
    finally:
        session.close()
    factor = connection.profile.thresholds.spike_factor
    if getattr(args, "json", False):
        payload = spend_json(connection.profile.name, summary, errors)
        payload.update(incident_json(incident, incident_error, factor, summary))
        _emit(payload, None)
    else:
        _emit(None, spend_text(summary, errors) + incident_text(incident, incident_error, factor))
    if errors or summary.errors:
        return EXIT_COULD_NOT_CHECK  # parts it needs are missing: a result, not a footnote
    return 1 if summary.any_enforcing or incident_exit(incident, factor, summary) else 0


# ---------------------------------------------------------------- shared formatting

WIDTH = 80
TOP_KEYS = 10


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%d %H:%M UTC")


def _usd(amount: float | None) -> float | None:
    return None if amount is None else round(amount, 4)


def _cell(text: str | None, width: int) -> str:
    """Untrusted text as one bounded line, padded to `width`."""
    flat = one_line(text or "", 200)
    if len(flat) > width:
        flat = flat[: width - 1] + "…"
    return flat.ljust(width)


# ---------------------------------------------------------------- spend output


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
        "generated_at": _iso(summary.generated_at),
        "profile": profile,
        "month_start": _iso(summary.windows.month_start),
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
        f"{one_line(org.name, 40)} - spend {month} (UTC) at {_when(summary.generated_at)}",
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
