"""Hard spend limits and spend alerts, for the organisation (`project_id=None`) or a project.

Amounts are integer cents here, as in the API (`orgtui.core.money.parse_dollars` turns what
the user typed into cents). A hard limit rejects API calls once the month's spend reaches it;
an alert only emails its recipients. The seed's advice for a starting hard limit is twice the
expected monthly spend (`suggest_hard_limit_cents`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import CreateOutcomeUnknownError
from orgtui.core.money import MAX_CENTS, dollars_to_cents, format_cents
from orgtui.core.services._common import (
    apply,
    display,
    mutation,
    project_of,
    refuse_if_archived,
    remove_by_id,
    update_org_list,
    update_project_list,
    upsert,
)
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.reconcile import create_then_reconcile, find_created, reconcile
from orgtui.core.services.results import Done, Reconciliation
from orgtui.core.snapshot import project_part
from orgtui.core.validation import parse_emails, validate_email

if TYPE_CHECKING:
    from orgtui.api.models import SpendAlert, SpendLimit
    from orgtui.core.session import Session

__all__ = [
    "create_alert",
    "delete_alert",
    "remove_limit",
    "set_limit",
    "suggest_hard_limit_cents",
    "update_alert",
]

SUBJECT_PREFIX_MAX = 64


def suggest_hard_limit_cents(trailing_30d_cost_usd: float) -> int:
    """Twice the expected monthly spend, rounded up to a round figure; at least $10.

    Round steps keep the figure readable: $10 below $100, $50 below $1,000, $100 below
    $10,000, then $1,000.
    """
    if not math.isfinite(trailing_30d_cost_usd) or trailing_30d_cost_usd < 0:
        trailing_30d_cost_usd = 0.0
    cents = dollars_to_cents(trailing_30d_cost_usd * 2)
    dollars = cents / 100
    step = 10 if dollars < 100 else 50 if dollars < 1_000 else 100 if dollars < 10_000 else 1_000
    rounded = max(step, math.ceil(dollars / step) * step) if dollars > 0 else 10
    return min(int(rounded * 100), MAX_CENTS)


def _cents(value: Any, what: str = "Amount") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be whole cents")
    if value <= 0:
        raise InvalidInput(f"{what} must be more than $0")
    if value > MAX_CENTS:
        raise InvalidInput(
            f"{what} {format_cents(value)} is above the {format_cents(MAX_CENTS)} ceiling"
        )
    return value


def _recipients(recipients: str | Sequence[str]) -> list[str]:
    if isinstance(recipients, str):
        valid, errors = parse_emails(recipients)
    else:
        valid, errors = [], []
        for raw in recipients:
            value, error = validate_email(raw)
            if error or value is None:
                errors.append(error or "Not a valid email")
            elif value.lower() not in {v.lower() for v in valid}:
                valid.append(value)
        if not valid and not errors:
            errors.append("No recipient given")
    if errors:
        raise InvalidInput("; ".join(errors))
    return valid


def _prefix(subject_prefix: str | None) -> str | None:
    if subject_prefix is None or not subject_prefix.strip():
        return None
    if not subject_prefix.isprintable():
        raise InvalidInput("Subject prefix has a control character")
    if len(subject_prefix) > SUBJECT_PREFIX_MAX:
        raise InvalidInput(
            f"Subject prefix is {len(subject_prefix)} characters; the limit is {SUBJECT_PREFIX_MAX}"
        )
    return subject_prefix.strip()


async def _scope(session: Session, project_id: str | None, doing: str) -> str:
    if project_id is None:
        return "the organisation"
    project = await project_of(session, project_id)
    refuse_if_archived(project, doing)
    return display(project.name, project.id)


def _put_limit(session: Session, project_id: str | None, limit: SpendLimit | None) -> None:
    if project_id is None:
        apply(session, session.snapshot.with_org(org_spend_limit=limit), ["org_limits"])
    elif session.snapshot.project(project_id) is not None:
        new = session.snapshot.with_project(project_id, spend_limit=limit)
        apply(session, new, [project_part(project_id, "limits")])


def _edit_alerts(session: Session, project_id: str | None, change: Any) -> None:
    if project_id is None:
        update_org_list(session, "org_spend_alerts", "org_limits", change)
    else:
        update_project_list(session, project_id, "spend_alerts", "limits", change)


@mutation("limit.set")
async def set_limit(session: Session, *, cents: int, project_id: str | None = None) -> Done:
    """Create or replace the monthly hard limit (USD cents)."""
    amount = _cents(cents, "Limit")
    where = await _scope(session, project_id, "setting its limit")
    client = session.client
    if project_id is None:
        limit = await client.set_org_spend_limit(amount)
    else:
        limit = await client.set_project_spend_limit(project_id, amount)
    _put_limit(session, project_id, limit)
    return Done(
        f"Hard limit for {where}: {format_cents(limit.threshold_amount)} a month", obj=limit
    )


@mutation("limit.remove")
async def remove_limit(session: Session, *, project_id: str | None = None) -> Done:
    where = await _scope(session, project_id, "removing its limit")
    if project_id is None:
        await session.client.delete_org_spend_limit()
    else:
        await session.client.delete_project_spend_limit(project_id)
    _put_limit(session, project_id, None)
    return Done(f"Removed the hard limit of {where}")


@mutation("alert.create")
async def create_alert(
    session: Session,
    *,
    cents: int,
    recipients: str | Sequence[str],
    project_id: str | None = None,
    subject_prefix: str | None = None,
) -> Done | Reconciliation:
    amount = _cents(cents, "Alert threshold")
    emails = _recipients(recipients)
    prefix = _prefix(subject_prefix)
    where = await _scope(session, project_id, "adding an alert")
    view = session.snapshot.project(project_id) if project_id else None
    current = (
        session.snapshot.org_spend_alerts
        if project_id is None
        else (view.get("spend_alerts") if view else None)
    )
    known = {a.id for a in current or ()}
    started = session.clock.now()
    client = session.client

    async def send() -> SpendAlert:
        if project_id is None:
            return await client.create_org_spend_alert(amount, emails, subject_prefix=prefix)
        return await client.create_project_spend_alert(
            project_id, amount, emails, subject_prefix=prefix
        )

    async def lost(exc: CreateOutcomeUnknownError) -> Done | Reconciliation:
        def same(a: SpendAlert) -> bool:
            got = {r.lower() for r in a.notification_channel.recipients}
            return a.threshold_amount == amount and got == {e.lower() for e in emails}

        async def read_back() -> Any:
            listing = (
                client.iter_org_spend_alerts()
                if project_id is None
                else client.iter_project_spend_alerts(project_id)
            )
            return await find_created(listing, matches=same, started_at=started, known_ids=known)

        result = await reconcile(
            exc,
            kind="spend_alert",
            name=format_cents(amount),
            read_back=read_back,
            found_message=lambda a: (
                f"Alert at {format_cents(amount)} for {where} was created "
                "(confirmed by reading back)"
            ),
            not_found_message=f"Alert at {format_cents(amount)} was not created; safe to try again",
        )
        if result.found is not None:
            _edit_alerts(session, project_id, lambda xs: upsert(xs, result.found))
        return result

    async def created(alert: SpendAlert) -> Done | Reconciliation:
        _edit_alerts(session, project_id, lambda xs: upsert(xs, alert))
        text = f"Alert at {format_cents(alert.threshold_amount)} a month for {where}"
        return Done(text, obj=alert)

    return await create_then_reconcile(send, created=created, lost=lost)


async def _alert(session: Session, alert_id: str, project_id: str | None) -> SpendAlert:
    view = session.snapshot.project(project_id) if project_id else None
    alerts = (
        session.snapshot.org_spend_alerts
        if project_id is None
        else (view.get("spend_alerts") if view else None)
    )
    for alert in alerts or ():
        if alert.id == alert_id:
            return alert
    if project_id is None:
        return await session.client.get_org_spend_alert(alert_id)
    return await session.client.get_project_spend_alert(project_id, alert_id)


@mutation("alert.update")
async def update_alert(
    session: Session,
    *,
    alert_id: str,
    project_id: str | None = None,
    cents: int | None = None,
    recipients: str | Sequence[str] | None = None,
    subject_prefix: str | None = None,
) -> Done:
    """Change an alert; fields left out keep their current value (the API replaces the whole)."""
    where = await _scope(session, project_id, "changing an alert")
    old = await _alert(session, alert_id, project_id)
    amount = _cents(cents, "Alert threshold") if cents is not None else old.threshold_amount
    emails = (
        _recipients(recipients)
        if recipients is not None
        else list(old.notification_channel.recipients)
    )
    prefix = (
        _prefix(subject_prefix)
        if subject_prefix is not None
        else old.notification_channel.subject_prefix
    )
    client = session.client
    if project_id is None:
        alert = await client.update_org_spend_alert(alert_id, amount, emails, subject_prefix=prefix)
    else:
        alert = await client.update_project_spend_alert(
            project_id, alert_id, amount, emails, subject_prefix=prefix
        )
    _edit_alerts(session, project_id, lambda xs: upsert(xs, alert))
    return Done(f"Alert for {where} now at {format_cents(alert.threshold_amount)}", obj=alert)


@mutation("alert.delete")
async def delete_alert(session: Session, *, alert_id: str, project_id: str | None = None) -> Done:
    where = await _scope(session, project_id, "deleting an alert")
    if project_id is None:
        await session.client.delete_org_spend_alert(alert_id)
    else:
        await session.client.delete_project_spend_alert(project_id, alert_id)
    _edit_alerts(session, project_id, lambda xs: remove_by_id(xs, alert_id))
    return Done(f"Deleted an alert of {where}")
