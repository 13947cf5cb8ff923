"""Writing audit-log entries: every mutation records one, inside the mutation's transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from orgtui.sandbox.store import Store

# Spend limits and alerts have no non-tenant event type in AuditLogEventType; these billing
# events are the closest the spec offers.
SPEND_LIMIT_EVENT = "tenant.billing.overage_limit.updated"
SPEND_ALERT_EVENT = "tenant.billing.alerts.updated"
ADMIN_KEY_CREATED = "tenant.admin_api_key.created"
ADMIN_KEY_DELETED = "tenant.admin_api_key.deleted"


@dataclass(frozen=True)
class Actor:
    """Who made a request: the admin key and the user who owns it."""

    api_key_id: str
    user_id: str
    email: str | None
    name: str | None = None

    def as_audit(self) -> dict[str, Any]:
        return {
            "type": "api_key",
            "api_key": {
                "id": self.api_key_id,
                "type": "user",
                "user": {"id": self.user_id, "email": self.email or ""},
            },
        }


def session_actor(user_id: str, email: str, ip: str = "203.0.113.7") -> dict[str, Any]:
    """A console (browser session) actor, for demo history."""
    return {
        "type": "session",
        "session": {"user": {"id": user_id, "email": email}, "ip_address": ip},
    }


def record(
    store: Store,
    actor: Actor | dict[str, Any] | None,
    event_type: str,
    resource_id: str | None,
    details: dict[str, Any],
    *,
    project: dict[str, Any] | None = None,
    at: int | None = None,
) -> str:
    """Append one entry; `details` goes under a key named after the event type."""
    if isinstance(actor, Actor):
        actor_json: dict[str, Any] | None = actor.as_audit()
        actor_ids = f",{actor.api_key_id},{actor.user_id},"
        email = actor.email
    elif actor is not None:
        actor_json = actor
        user = (actor.get("session") or actor.get("api_key") or {}).get("user") or {}
        key_id = (actor.get("api_key") or {}).get("id")
        actor_ids = "," + ",".join(x for x in (key_id, user.get("id")) if x) + ","
        email = user.get("email")
    else:
        actor_json, actor_ids, email = None, "", None
    audit_id = store.new_id("audit_log-", 24)
    store.execute(
        "INSERT INTO audit_logs (id, type, effective_at, project_id, project_name, actor,"
        " actor_ids, actor_email, resource_id, details) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            audit_id,
            event_type,
            store.now() if at is None else at,
            project["id"] if project else None,
            project["name"] if project else None,
            json.dumps(actor_json) if actor_json is not None else None,
            actor_ids,
            email,
            resource_id,
            json.dumps(details),
        ),
    )
    return audit_id
