"""Rows to API objects, shaped exactly as the spec's response schemas."""

from __future__ import annotations

import json
from typing import Any

from orgtui.sandbox.store import Store

Obj = dict[str, Any]

RATE_LIMIT_FIELDS = (
    "max_requests_per_1_minute",
    "max_tokens_per_1_minute",
    "max_images_per_1_minute",
    "max_audio_megabytes_per_1_minute",
    "max_requests_per_1_day",
    "batch_1_day_max_input_tokens",
)


def project(r: Obj) -> Obj:
    return {
        "id": r["id"],
        "object": "organization.project",
        "name": r["name"],
        "created_at": r["created_at"],
        "archived_at": r["archived_at"],
        "status": "archived" if r["archived_at"] is not None else "active",
        "external_key_id": r["external_key_id"],
        "residency": r["residency"],
    }


def project_user(r: Obj) -> Obj:
    """`r` joins project_users (role, added_at) with users (id, name, email)."""
    return {
        "object": "organization.project.user",
        "id": r["user_id"],
        "name": r["name"],
        "email": r["email"],
        "role": r["role"],
        "added_at": r["added_at"],
    }


def service_account(r: Obj) -> Obj:
    return {
        "object": "organization.project.service_account",
        "id": r["id"],
        "name": r["name"],
        "role": r["role"],
        "created_at": r["created_at"],
    }


API_KEY_SELECT = (
    "k.*, u.name AS u_name, u.email AS u_email, u.added_at AS u_added_at,"
    " COALESCE(pu.role, 'member') AS u_role,"
    " sa.name AS sa_name, sa.created_at AS sa_created_at, sa.role AS sa_role"
)
API_KEY_FROM = (
    "api_keys k LEFT JOIN users u ON u.id = k.owner_user_id"
    " LEFT JOIN project_users pu ON pu.project_id = k.project_id AND pu.user_id = k.owner_user_id"
    " LEFT JOIN service_accounts sa ON sa.id = k.owner_sa_id"
)


def api_key(r: Obj) -> Obj:
    """`r` is a row selected with API_KEY_SELECT from API_KEY_FROM."""
    owner: Obj = {"type": r["owner_type"]}
    if r["owner_type"] == "user":
        owner["user"] = {
            "id": r["owner_user_id"],
            "email": r["u_email"] or "",
            "name": r["u_name"] or "",
            "created_at": r["u_added_at"] or r["created_at"],
            "role": r["u_role"],
        }
    else:
        owner["service_account"] = {
            "id": r["owner_sa_id"],
            "name": r["sa_name"] or "",
            "created_at": r["sa_created_at"] or r["created_at"],
            "role": r["sa_role"] or "member",
        }
    return {
        "object": "organization.project.api_key",
        "redacted_value": r["redacted_value"],
        "name": r["name"],
        "created_at": r["created_at"],
        "last_used_at": r["last_used_at"],
        "id": r["id"],
        "owner_project_access": r["owner_project_access"],
        "owner": owner,
    }


def user(r: Obj, projects: list[Obj] | None = None) -> Obj:
    out: Obj = {
        "object": "organization.user",
        "id": r["id"],
        "name": r["name"],
        "email": r["email"],
        "role": r["role"],
        "added_at": r["added_at"],
        "is_service_account": False,
        "is_scim_managed": False,
        "technical_level": r["technical_level"],
        "developer_persona": r["developer_persona"],
    }
    if projects is not None:
        out["projects"] = {"object": "list", "data": projects}
    return out


def user_projects(store: Store, user_ids: list[str]) -> dict[str, list[Obj]]:
    """Project memberships of several users in one query (`User.projects`)."""
    out: dict[str, list[Obj]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return out
    marks = ",".join("?" * len(user_ids))
    rows = store.query(
        "SELECT pu.user_id, p.id, p.name, pu.role FROM project_users pu"
        f" JOIN projects p ON p.id = pu.project_id WHERE pu.user_id IN ({marks})"
        " AND p.archived_at IS NULL ORDER BY p.seq",
        user_ids,
    )
    for r in rows:
        out[r["user_id"]].append({"id": r["id"], "name": r["name"], "role": r["role"]})
    return out


def invite_status(r: Obj, now: int) -> str:
    if r["status"] == "pending" and r["expires_at"] is not None and r["expires_at"] <= now:
        return "expired"
    return str(r["status"])


def invite(r: Obj, now: int) -> Obj:
    return {
        "object": "organization.invite",
        "id": r["id"],
        "email": r["email"],
        "role": r["role"],
        "status": invite_status(r, now),
        "created_at": r["created_at"],
        "expires_at": r["expires_at"],
        "accepted_at": r["accepted_at"],
        "projects": json.loads(r["projects"]),
    }


def admin_key(r: Obj, owner: Obj | None) -> Obj:
    owner = owner or {}
    return {
        "object": "organization.admin_api_key",
        "id": r["id"],
        "name": r["name"],
        "redacted_value": r["redacted_value"],
        "created_at": r["created_at"],
        "expires_at": r["expires_at"],
        "last_used_at": r["last_used_at"],
        "owner": {
            "type": "user",
            "object": "organization.user",
            "id": owner.get("id", r["owner_user_id"]),
            "name": owner.get("name") or "",
            "created_at": owner.get("added_at", r["created_at"]),
            "role": owner.get("role") or "owner",
        },
    }


def rate_limit(r: Obj) -> Obj:
    out: Obj = {"object": "project.rate_limit", "id": r["id"], "model": r["model"]}
    for f in RATE_LIMIT_FIELDS:
        if r.get(f) is not None:
            out[f] = r[f]
    return out


def spend_limit(r: Obj, kind: str, enforcing: bool) -> Obj:
    return {
        "object": f"{kind}.spend_limit",
        "threshold_amount": r["threshold_amount"],
        "currency": r["currency"],
        "interval": r["interval"],
        "enforcement": {"status": "enforcing" if enforcing else "inactive"},
    }


def spend_alert(r: Obj, kind: str) -> Obj:
    return {
        "id": r["id"],
        "object": f"{kind}.spend_alert",
        "threshold_amount": r["threshold_amount"],
        "currency": r["currency"],
        "interval": r["interval"],
        "notification_channel": {
            "type": "email",
            "recipients": json.loads(r["recipients"]),
            "subject_prefix": r["subject_prefix"],
        },
    }


def audit_log(r: Obj) -> Obj:
    out: Obj = {"id": r["id"], "type": r["type"], "effective_at": r["effective_at"]}
    if r["project_id"]:
        out["project"] = {"id": r["project_id"], "name": r["project_name"] or ""}
    out["actor"] = json.loads(r["actor"]) if r["actor"] else None
    out[r["type"]] = json.loads(r["details"])
    return out
