"""Spend figures: month-to-date, today, burn rate, forecast, limit and alert status.

No UI here: the spend screen and `orgtui spend --once` both call
`fetch_spend_data(client, now)` (raw buckets, in `spend_fetch`) and then the pure
`summarise(snapshot, data, now)`.

Definitions (all UTC; costs are float dollars, limits integer cents, converted in `money`):

* **month to date**: costs of the daily buckets from the first of the month up to now;
* **today**: the bucket that starts at today's midnight;
* **trailing 30 days**: the 30 full days before today (today excluded, so the figure is stable
  over the day); the health checks compare hard limits with it;
* **forecast** to month end = month-to-date + (average daily cost of the 7 full days before
  today) x (days remaining, the rest of today counted as a fraction). Per organisation and per
  project;
* **burn**: requests and tokens (input + output) per minute from completions usage, over the
  last 60 complete minutes and the last 24 complete hours; dollars per hour = today's cost so far
  / hours elapsed since midnight;
* a **limit** is crossed (spent >= threshold) and an **alert** is crossed comparing whole cents.

Costs grouped by key carry the key's name and project from the snapshot. A key id that is not
in the fetched key list of its project shows as "deleted key <id>" (never dropped); if that
list was never fetched it shows as "key <id>".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from orgtui.core.money import cents_to_dollars, dollars_to_cents
from orgtui.core.spend_fetch import (
    FORECAST_DAYS,
    SpendData,
    SpendWindows,
    Sums,
    cost_sums,
    fetch_spend_data,
    spend_windows,
    trailing_cost_by_project,
)
from orgtui.core.spend_types import (
    AlertStatus,
    Burn,
    Forecast,
    KeySpend,
    LimitStatus,
    MinutePoint,
    OrgSpend,
    ProjectSpend,
    Rate,
    SpendSummary,
)

__all__ = [
    "AlertStatus",
    "Burn",
    "Forecast",
    "KeySpend",
    "LimitStatus",
    "MinutePoint",
    "OrgSpend",
    "ProjectSpend",
    "Rate",
    "SpendData",
    "SpendSummary",
    "fetch_spend_data",
    "spend_windows",
    "summarise",
    "trailing_cost_by_project",
]


def _forecast(sums: Sums, group: str | None, w: SpendWindows) -> Forecast:
    mtd = sums.get("month", group)
    avg = sums.get("week", group) / FORECAST_DAYS
    remaining = w.days_remaining
    return Forecast(mtd, avg, remaining, mtd + avg * remaining)


def _limit_status(
    limit: Any, scope: str, pid: str | None, spent: float, forecast: Forecast
) -> LimitStatus | None:
    if limit is None:
        return None
    cents = int(limit.threshold_amount)
    threshold = float(cents_to_dollars(cents))
    enforcement = getattr(getattr(limit, "enforcement", None), "status", None)
    return LimitStatus(
        scope=scope,
        project_id=pid,
        threshold_cents=cents,
        spent_usd=spent,
        percent=(spent / threshold * 100.0) if threshold > 0 else math.inf,
        enforcement=enforcement,
        headroom_usd=threshold - spent,
        forecast_usd=forecast.forecast_usd,
    )


def _alert_statuses(
    alerts: Iterable[Any] | None, scope: str, pid: str | None, spent: float
) -> tuple[AlertStatus, ...]:
    spent_cents = dollars_to_cents(spent)
    found = []
    for alert in alerts or ():
        channel = getattr(alert, "notification_channel", None)
        found.append(
            AlertStatus(
                id=alert.id,
                scope=scope,
                project_id=pid,
                threshold_cents=int(alert.threshold_amount),
                spent_usd=spent,
                crossed=spent_cents >= int(alert.threshold_amount),
                recipients=tuple(getattr(channel, "recipients", None) or ()),
            )
        )
    return tuple(sorted(found, key=lambda a: (a.threshold_cents, a.id)))


def _part_fetched(snapshot: Any, part_id: str, value: Any) -> bool:
    """Whether a snapshot part was ever fetched; a present value counts as fetched."""
    status = (getattr(snapshot, "parts", None) or {}).get(part_id)
    if status is not None:
        return getattr(status, "fetched_at", None) is not None
    return value is not None


def _key_index(snapshot: Any) -> dict[str, tuple[Any, str]]:
    index: dict[str, tuple[Any, str]] = {}
    for pid, view in snapshot.projects.items():
        for key in view.get("api_keys") or ():
            index[key.id] = (key, pid)
    return index


def _key_spend(
    snapshot: Any, key_id: str, cost_pid: str | None, keys: Sums, index: dict[str, tuple[Any, str]]
) -> KeySpend:
    known = index.get(key_id)
    pid: str | None
    if known is not None:
        key, pid = known
        name: str = key.name or key.redacted_value or f"key {key_id}"
        deleted = False
        owner_type = getattr(key.owner, "type", None)
    else:
        pid, owner_type = cost_pid, None
        if cost_pid is None:
            listed = all(v.get("api_keys") is not None for v in snapshot.projects.values())
        else:
            view = snapshot.projects.get(cost_pid)
            # An unknown project: it vanished from the listing, its keys with it.
            listed = view is None or view.get("api_keys") is not None
        deleted = listed
        name = f"deleted key {key_id}" if listed else f"key {key_id}"
    view = snapshot.projects.get(pid) if pid else None
    return KeySpend(
        id=key_id,
        name=name,
        project_id=pid,
        project_name=(view.project.name or pid) if view is not None else pid,
        deleted=deleted,
        owner_type=owner_type,
        month_to_date_usd=keys.get("month", key_id),
        today_usd=keys.get("today", key_id),
    )


def _rate(buckets: list[Any] | None, minutes: float) -> Rate | None:
    if buckets is None:
        return None
    requests = sum(r.num_model_requests or 0 for b in buckets for r in b.results)
    tokens = sum((r.input_tokens or 0) + (r.output_tokens or 0) for b in buckets for r in b.results)
    return Rate(requests / minutes, tokens / minutes)


def _burn(data: SpendData, today_usd: float) -> Burn:
    w = data.windows
    series = tuple(
        MinutePoint(
            b.start_time,
            sum(r.num_model_requests or 0 for r in b.results),
            sum((r.input_tokens or 0) + (r.output_tokens or 0) for r in b.results),
        )
        for b in sorted(data.usage_minutes or (), key=lambda b: b.start_time)
    )
    hours = w.hours_elapsed_today
    return Burn(
        last_hour=_rate(data.usage_minutes, (w.minutes_end - w.minutes_start) / 60),
        last_day=_rate(data.usage_hours, (w.hours_end - w.hours_start) / 60),
        usd_per_hour=(today_usd / hours) if hours > 0 else None,
        per_minute=series,
    )


# ---------------------------------------------------------------- summary


def summarise(snapshot: Any, data: SpendData, now: float | None = None) -> SpendSummary:
    """Pure: combine the snapshot (names, limits, alerts) with the fetched buckets.

    `now` defaults to the moment the data was fetched for; pass the same value.
    """
    w = data.windows if now is None or now == data.windows.now else spend_windows(now)
    if w is not data.windows:
        data = SpendData(w, data.costs, data.usage_minutes, data.usage_hours, data.errors)
    org_sums, project_sums, key_sums, key_project = cost_sums(data)

    org_fc = _forecast(org_sums, None, w)
    org = OrgSpend(
        name=str(getattr(snapshot, "org_name", None) or getattr(snapshot, "profile", "")),
        month_to_date_usd=org_fc.month_to_date_usd,
        today_usd=org_sums.get("today", None),
        trailing_30d_usd=org_sums.get("trailing", None),
        forecast=org_fc,
        limit=_limit_status(
            snapshot.org_spend_limit, "organization", None, org_fc.month_to_date_usd, org_fc
        ),
        limit_known=_part_fetched(snapshot, "org_limits", snapshot.org_spend_limit),
        alerts=_alert_statuses(
            snapshot.org_spend_alerts, "organization", None, org_fc.month_to_date_usd
        ),
        alerts_known=snapshot.org_spend_alerts is not None,
    )

    project_ids = list(snapshot.projects)
    project_ids += sorted({g for (_, g) in project_sums.values if g not in snapshot.projects})
    projects = []
    for pid in project_ids:
        view = snapshot.projects.get(pid)
        fc = _forecast(project_sums, pid, w)
        archived = bool(view is not None and view.project.archived)
        if archived and fc.month_to_date_usd == 0 and project_sums.get("trailing", pid) == 0:
            continue
        limit = view.get("spend_limit") if view is not None else None
        alerts = view.get("spend_alerts") if view is not None else None
        projects.append(
            ProjectSpend(
                id=pid,
                name=(view.project.name or pid) if view is not None else pid,
                archived=archived,
                month_to_date_usd=fc.month_to_date_usd,
                today_usd=project_sums.get("today", pid),
                trailing_30d_usd=project_sums.get("trailing", pid),
                forecast=fc,
                limit=_limit_status(limit, "project", pid, fc.month_to_date_usd, fc),
                limit_known=view is not None
                and _part_fetched(snapshot, f"project:{pid}:limits", limit),
                alerts=_alert_statuses(alerts, "project", pid, fc.month_to_date_usd),
                alerts_known=alerts is not None,
            )
        )
    projects.sort(key=lambda p: (-p.month_to_date_usd, p.name.casefold(), p.id))

    index = _key_index(snapshot)
    keys = [
        _key_spend(snapshot, kid, key_project.get(kid), key_sums, index)
        for (period, kid) in list(key_sums.values)
        if period == "month" and kid is not None
    ]
    keys.sort(key=lambda k: (-k.month_to_date_usd, k.name, k.id))

    return SpendSummary(
        generated_at=w.now,
        windows=w,
        org=org,
        projects=tuple(projects),
        keys=tuple(keys),
        burn=_burn(data, org.today_usd),
        errors=dict(data.errors),
    )
