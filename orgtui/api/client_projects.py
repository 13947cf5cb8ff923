"""Project-scoped operations: projects, members, service accounts, keys, rate limits, spend."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from orgtui.api.models import (
    DeletedObject,
    Project,
    ProjectApiKey,
    ProjectRateLimit,
    ProjectServiceAccount,
    ProjectServiceAccountCreateResponse,
    ProjectUser,
    ServiceAccountApiKey,
    SpendAlert,
    SpendLimit,
)
from orgtui.api.transport import ClientBase

_P = "/organization/projects"
_PID = _P + "/{project_id}"
RATE_LIMIT_FIELDS = frozenset(
    {
        "max_requests_per_1_minute",
        "max_tokens_per_1_minute",
        "max_images_per_1_minute",
        "max_audio_megabytes_per_1_minute",
        "max_requests_per_1_day",
        "batch_1_day_max_input_tokens",
    }
)


def _cents(value: int, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("amounts are integer cents")
    if value < minimum:
        raise ValueError(f"amount must be at least {minimum} cent(s)")
    return value


def spend_alert_body(
    threshold_cents: int, recipients: Sequence[str], subject_prefix: str | None
) -> dict[str, Any]:
    channel: dict[str, Any] = {"type": "email", "recipients": list(recipients)}
    if subject_prefix is not None:
        channel["subject_prefix"] = subject_prefix
    return {
        "threshold_amount": _cents(threshold_cents, minimum=0),
        "currency": "USD",
        "interval": "month",
        "notification_channel": channel,
    }


def spend_limit_body(threshold_cents: int) -> dict[str, Any]:
    return {
        "threshold_amount": _cents(threshold_cents, minimum=1),
        "currency": "USD",
        "interval": "month",
    }


class ProjectsMixin(ClientBase):
    # ------------------------------------------------------------ projects

    def iter_projects(self, include_archived: bool = False) -> AsyncIterator[Project]:
        params = [("include_archived", "true")] if include_archived else []
        return self._iter_list(Project, _P, params=params)

    async def get_project(self, pid: str) -> Project:
        return await self._call(Project, "GET", _PID, path={"project_id": pid})

    async def create_project(
        self, name: str, residency: str | None = None, external_key_id: str | None = None
    ) -> Project:
        body: dict[str, Any] = {"name": name}
        if residency is not None:
            body["residency"] = residency
        if external_key_id is not None:
            body["external_key_id"] = external_key_id
        return await self._call(Project, "POST", _P, body=body, create=True)

    async def update_project(
        self, pid: str, *, name: str | None = None, external_key_id: str | None = None
    ) -> Project:
        body = {
            k: v for k, v in (("name", name), ("external_key_id", external_key_id)) if v is not None
        }
        if not body:
            raise ValueError("nothing to update")
        return await self._call(Project, "POST", _PID, path={"project_id": pid}, body=body)

    async def archive_project(self, pid: str) -> Project:
        return await self._call(Project, "POST", _PID + "/archive", path={"project_id": pid})

    # ------------------------------------------------------------ project users

    def iter_project_users(self, pid: str) -> AsyncIterator[ProjectUser]:
        return self._iter_list(ProjectUser, _PID + "/users", path={"project_id": pid})

    async def get_project_user(self, pid: str, uid: str) -> ProjectUser:
        path = {"project_id": pid, "user_id": uid}
        return await self._call(ProjectUser, "GET", _PID + "/users/{user_id}", path=path)

    async def add_project_user(
        self, pid: str, role: str, *, user_id: str | None = None, email: str | None = None
    ) -> ProjectUser:
        if (user_id is None) == (email is None):
            raise ValueError("give exactly one of user_id or email")
        body: dict[str, Any] = {"role": role}
        body["user_id" if user_id is not None else "email"] = user_id or email
        return await self._call(
            ProjectUser, "POST", _PID + "/users", path={"project_id": pid}, body=body, create=True
        )

    async def update_project_user(self, pid: str, uid: str, role: str) -> ProjectUser:
        path = {"project_id": pid, "user_id": uid}
        return await self._call(
            ProjectUser, "POST", _PID + "/users/{user_id}", path=path, body={"role": role}
        )

    async def delete_project_user(self, pid: str, uid: str) -> DeletedObject:
        path = {"project_id": pid, "user_id": uid}
        return await self._delete(
            _PID + "/users/{user_id}", path, "organization.project.user.deleted"
        )

    # ------------------------------------------------------------ service accounts

    def iter_service_accounts(self, pid: str) -> AsyncIterator[ProjectServiceAccount]:
        return self._iter_list(
            ProjectServiceAccount, _PID + "/service_accounts", path={"project_id": pid}
        )

    async def get_service_account(self, pid: str, sid: str) -> ProjectServiceAccount:
        path = {"project_id": pid, "service_account_id": sid}
        return await self._call(
            ProjectServiceAccount, "GET", _PID + "/service_accounts/{service_account_id}", path=path
        )

    async def create_service_account(
        self,
        pid: str,
        name: str,
        *,
        create_service_account_only: bool = False,
        expires_in_seconds: int | None = None,
    ) -> ProjectServiceAccountCreateResponse:
        """`expires_in_seconds` (newer API versions, not in the spec) is sent only when given."""
        body: dict[str, Any] = {"name": name}
        if create_service_account_only:
            body["create_service_account_only"] = True
        if expires_in_seconds is not None:
            if isinstance(expires_in_seconds, bool) or not isinstance(expires_in_seconds, int):
                raise TypeError("expires_in_seconds is an integer")
            if expires_in_seconds < 1:
                raise ValueError("expires_in_seconds must be at least 1")
            body["expires_in_seconds"] = expires_in_seconds
        return await self._call(
            ProjectServiceAccountCreateResponse,
            "POST",
            _PID + "/service_accounts",
            path={"project_id": pid},
            body=body,
            create=True,
        )

    async def update_service_account(
        self, pid: str, sid: str, *, name: str | None = None, role: str | None = None
    ) -> ProjectServiceAccount:
        body = {k: v for k, v in (("name", name), ("role", role)) if v is not None}
        if not body:
            raise ValueError("nothing to update")
        path = {"project_id": pid, "service_account_id": sid}
        return await self._call(
            ProjectServiceAccount,
            "POST",
            _PID + "/service_accounts/{service_account_id}",
            path=path,
            body=body,
        )

    async def delete_service_account(self, pid: str, sid: str) -> DeletedObject:
        path = {"project_id": pid, "service_account_id": sid}
        return await self._delete(
            _PID + "/service_accounts/{service_account_id}",
            path,
            "organization.project.service_account.deleted",
        )

    async def create_service_account_key(
        self, pid: str, sid: str, *, name: str | None = None, scopes: Sequence[str] | None = None
    ) -> ServiceAccountApiKey:
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if scopes is not None:
            body["scopes"] = list(scopes)
        path = {"project_id": pid, "service_account_id": sid}
        return await self._call(
            ServiceAccountApiKey,
            "POST",
            _PID + "/service_accounts/{service_account_id}/api_keys",
            path=path,
            body=body,
            create=True,
        )

    # ------------------------------------------------------------ project API keys

    def iter_project_api_keys(
        self, pid: str, owner_project_access: str | None = "any"
    ) -> AsyncIterator[ProjectApiKey]:
        params = [("owner_project_access", owner_project_access)] if owner_project_access else []
        return self._iter_list(
            ProjectApiKey, _PID + "/api_keys", path={"project_id": pid}, params=params
        )

    async def get_project_api_key(self, pid: str, kid: str) -> ProjectApiKey:
        path = {"project_id": pid, "api_key_id": kid}
        return await self._call(ProjectApiKey, "GET", _PID + "/api_keys/{api_key_id}", path=path)

    async def delete_project_api_key(self, pid: str, kid: str) -> DeletedObject:
        path = {"project_id": pid, "api_key_id": kid}
        return await self._delete(
            _PID + "/api_keys/{api_key_id}", path, "organization.project.api_key.deleted"
        )

    # ------------------------------------------------------------ rate limits

    def iter_rate_limits(self, pid: str) -> AsyncIterator[ProjectRateLimit]:
        return self._iter_list(ProjectRateLimit, _PID + "/rate_limits", path={"project_id": pid})

    async def update_rate_limit(self, pid: str, rl_id: str, **limits: int) -> ProjectRateLimit:
        unknown = set(limits) - RATE_LIMIT_FIELDS
        if unknown:
            raise ValueError(f"unknown rate limit field(s): {', '.join(sorted(unknown))}")
        if not limits:
            raise ValueError("nothing to update")
        for value in limits.values():
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("rate limits are integers")
        path = {"project_id": pid, "rate_limit_id": rl_id}
        return await self._call(
            ProjectRateLimit, "POST", _PID + "/rate_limits/{rate_limit_id}", path=path, body=limits
        )

    # ------------------------------------------------------------ project spend limit and alerts

    async def get_project_spend_limit(self, pid: str) -> SpendLimit | None:
        template = _PID + "/spend_limit"
        data = await self._request("GET", template, path={"project_id": pid}, not_found_ok=True)
        return None if data is None else self._parse(SpendLimit, data, "GET", template)

    async def set_project_spend_limit(self, pid: str, cents: int) -> SpendLimit:
        return await self._call(
            SpendLimit,
            "POST",
            _PID + "/spend_limit",
            path={"project_id": pid},
            body=spend_limit_body(cents),
        )

    async def delete_project_spend_limit(self, pid: str) -> DeletedObject:
        return await self._delete(
            _PID + "/spend_limit", {"project_id": pid}, "project.spend_limit.deleted", with_id=False
        )

    def iter_project_spend_alerts(self, pid: str) -> AsyncIterator[SpendAlert]:
        return self._iter_list(SpendAlert, _PID + "/spend_alerts", path={"project_id": pid})

    async def get_project_spend_alert(self, pid: str, aid: str) -> SpendAlert:
        path = {"project_id": pid, "alert_id": aid}
        return await self._call(SpendAlert, "GET", _PID + "/spend_alerts/{alert_id}", path=path)

    async def create_project_spend_alert(
        self,
        pid: str,
        threshold_cents: int,
        recipients: Sequence[str],
        subject_prefix: str | None = None,
    ) -> SpendAlert:
        body = spend_alert_body(threshold_cents, recipients, subject_prefix)
        return await self._call(
            SpendAlert,
            "POST",
            _PID + "/spend_alerts",
            path={"project_id": pid},
            body=body,
            create=True,
        )

    async def update_project_spend_alert(
        self,
        pid: str,
        aid: str,
        threshold_cents: int,
        recipients: Sequence[str],
        subject_prefix: str | None = None,
    ) -> SpendAlert:
        body = spend_alert_body(threshold_cents, recipients, subject_prefix)
        path = {"project_id": pid, "alert_id": aid}
        return await self._call(
            SpendAlert, "POST", _PID + "/spend_alerts/{alert_id}", path=path, body=body
        )

    async def delete_project_spend_alert(self, pid: str, aid: str) -> DeletedObject:
        path = {"project_id": pid, "alert_id": aid}
        return await self._delete(
            _PID + "/spend_alerts/{alert_id}", path, "project.spend_alert.deleted"
        )
