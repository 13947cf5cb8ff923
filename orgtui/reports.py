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
With `--all-profiles`, every configured profile is reported in one document and the exit code is
the worst of them (`orgtui.reports_all`).

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
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from orgtui.api.errors import ApiError, one_line
from orgtui.core.clock import SystemClock
from orgtui.core.health import Finding, exit_code, report_dict, report_text, run_checks
from orgtui.core.spend import (
    SpendSummary,
    fetch_spend_data,
    summarise,
    trailing_cost_by_project,
)
from orgtui.reports_incident import incident_exit, incident_json, incident_text, read_incident
from orgtui.reports_spend import iso_utc, spend_json, spend_text, when_utc

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


# What a report body returns: its exit code, its JSON document and its text.
Outcome = tuple[int, dict[str, Any], str]
Body = Callable[[Any, Any], Awaitable[Outcome]]


def _run(command: str, args: Any, body: Body) -> int:
    from orgtui.config import ConfigError
    from orgtui.connect import open_connection

    timeout = float(getattr(args, "timeout", None) or DEFAULT_TIMEOUT)
    if getattr(args, "all_profiles", False):
        from orgtui.reports_all import run_all

        return run_all(command, args, body, timeout)
    try:
        connection = open_connection(
            getattr(args, "profile", None),
            demo=bool(getattr(args, "demo", False)),
            base_url=getattr(args, "base_url", None),
            read_only=True,  # a report never changes anything
        )
    except ConfigError as exc:
        return _fail(command, str(exc))
    try:
        code, payload, text = asyncio.run(
            asyncio.wait_for(_guarded(connection, args, body), timeout)
        )
    except (ApiError, CouldNotCheck) as exc:
        return _fail(command, str(exc))
    except TimeoutError:
        return _fail(command, f"gave up after {timeout:g} s (--timeout)")
    _emit(payload if getattr(args, "json", False) else None, text)
    return code


async def _guarded(connection: Any, args: Any, body: Body) -> Outcome:
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


async def _check(connection: Any, args: Any) -> Outcome:
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
    return _report_check(connection, snapshot, findings, now)


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


def _report_check(connection: Any, snapshot: Any, findings: list[Finding], now: float) -> Outcome:
    payload = {
        "schema_version": 1,
        "generated_at": iso_utc(now),
        "profile": connection.profile.name,
        **report_dict(snapshot.org_name, findings),
    }
    return exit_code(findings), payload, report_text(snapshot.org_name, findings, when_utc(now))


# ---------------------------------------------------------------- spend


async def _spend(connection: Any, args: Any) -> Outcome:
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
    payload = spend_json(connection.profile.name, summary, errors)
    payload.update(incident_json(incident, incident_error, factor, summary))
    text = spend_text(summary, errors) + incident_text(incident, incident_error, factor)
    if errors or summary.errors:
        # Parts it needs are missing: a result, not a footnote.
        return EXIT_COULD_NOT_CHECK, payload, text
    return (
        1 if summary.any_enforcing or incident_exit(incident, factor, summary) else 0,
        payload,
        text,
    )
