"""Organisation-level operations: users, invites, admin keys, spend, audit logs, usage."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from orgtui.api.client_projects import spend_alert_body, spend_limit_body
from orgtui.api.models import (
    AdminApiKey,
    AdminApiKeyCreateResponse,
    DeletedObject,
    Invite,
    SpendAlert,
    SpendLimit,
    User,
)
from orgtui.api.paging import iter_cursor_items, iter_usage_buckets
from orgtui.api.transport import ClientBase

if TYPE_CHECKING:
    from orgtui.api.models_activity import (
        AuditLog,
        AuditLogPage,
        CostLineBucket,
        CostLinePage,
        UsageBucket,
        UsageLineBucket,
        UsagePage,
    )

# Which array filters each usage endpoint accepts (from the spec's parameter lists).
_ALL = frozenset({"project_ids", "user_ids", "api_key_ids", "models"})
USAGE_FILTERS: Mapping[str, frozenset[str]] = {
    "completions": _ALL,
    "embeddings": _ALL,
    "moderations": _ALL,
    "images": _ALL,
    "audio_speeches": _ALL,
    "audio_transcriptions": _ALL,
    "vector_stores": frozenset({"project_ids"}),
    "code_interpreter_sessions": frozenset({"project_ids"}),
    "file_search_calls": frozenset({"project_ids", "user_ids", "api_key_ids"}),
    "web_search_calls": _ALL,
}
USAGE_KINDS = tuple(USAGE_FILTERS)
# Maximum buckets per page by bucket width; asking for the max keeps the request count down.
_MAX_BUCKETS = {"1d": 31, "1h": 168, "1m": 1440}
_MAX_COST_BUCKETS = 180


def _arrays(params: list[tuple[str, Any]], **arrays: Sequence[str] | None) -> None:
    # The spec gives no style/explode, so OpenAPI's default applies: form, exploded,
    # i.e. one repeated `name=value` per element. The audit-log names carry their own "[]".
    for name, values in arrays.items():
        if values is None:
            continue
        if isinstance(values, str):
            raise TypeError(f"{name.removesuffix('[]')} must be a list of strings, not a string")
        params.extend((name, str(v)) for v in values)


class OrgMixin(ClientBase):
    # ------------------------------------------------------------ organisation users

    def iter_users(self, emails: Sequence[str] | None = None) -> AsyncIterator[User]:
        params: list[tuple[str, Any]] = []
        _arrays(params, emails=emails)
        return self._iter_list(User, "/organization/users", params=params)

    async def get_user(self, uid: str) -> User:
        return await self._call(User, "GET", "/organization/users/{user_id}", path={"user_id": uid})

    async def update_user(self, uid: str, role: str) -> User:
        return await self._call(
            User,
            "POST",
            "/organization/users/{user_id}",
            path={"user_id": uid},
            body={"role": role},
        )

    async def delete_user(self, uid: str) -> DeletedObject:
        return await self._delete(
            "/organization/users/{user_id}", {"user_id": uid}, "organization.user.deleted"
        )

    # ------------------------------------------------------------ invites

    def iter_invites(self) -> AsyncIterator[Invite]:
        return self._iter_list(Invite, "/organization/invites")

    async def get_invite(self, iid: str) -> Invite:
        return await self._call(
            Invite, "GET", "/organization/invites/{invite_id}", path={"invite_id": iid}
        )

    async def create_invite(
        self, email: str, role: str, projects: Sequence[Mapping[str, str]] | None = None
    ) -> Invite:
        """`projects=None` omits the field (the invitee joins the default project); [] = none."""
        body: dict[str, Any] = {"email": email, "role": role}
        if projects is not None:
            body["projects"] = [{"id": p["id"], "role": p["role"]} for p in projects]
        return await self._call(Invite, "POST", "/organization/invites", body=body, create=True)

    async def delete_invite(self, iid: str) -> DeletedObject:
        return await self._delete(
            "/organization/invites/{invite_id}", {"invite_id": iid}, "organization.invite.deleted"
        )

    # ------------------------------------------------------------ admin API keys

    def iter_admin_keys(self) -> AsyncIterator[AdminApiKey]:
        return self._iter_list(AdminApiKey, "/organization/admin_api_keys")

    async def get_admin_key(self, kid: str) -> AdminApiKey:
        return await self._call(
            AdminApiKey, "GET", "/organization/admin_api_keys/{key_id}", path={"key_id": kid}
        )

    async def create_admin_key(
        self, name: str, expires_in_seconds: int | None = None
    ) -> AdminApiKeyCreateResponse:
        body: dict[str, Any] = {"name": name}
        if expires_in_seconds is not None:
            body["expires_in_seconds"] = int(expires_in_seconds)
        return await self._call(
            AdminApiKeyCreateResponse,
            "POST",
            "/organization/admin_api_keys",
            body=body,
            create=True,
        )

    async def delete_admin_key(self, kid: str) -> DeletedObject:
        return await self._delete(
            "/organization/admin_api_keys/{key_id}",
            {"key_id": kid},
            "organization.admin_api_key.deleted",
        )

    # ------------------------------------------------------------ org spend limit and alerts

    async def get_org_spend_limit(self) -> SpendLimit | None:
        """None when the organisation has no hard limit (the API answers 404)."""
        template = "/organization/spend_limit"
        data = await self._request("GET", template, not_found_ok=True)
        return None if data is None else self._parse(SpendLimit, data, "GET", template)

    async def set_org_spend_limit(self, threshold_cents: int) -> SpendLimit:
        body = spend_limit_body(threshold_cents)
        return await self._call(SpendLimit, "POST", "/organization/spend_limit", body=body)

    async def delete_org_spend_limit(self) -> DeletedObject:
        return await self._delete(
            "/organization/spend_limit", {}, "organization.spend_limit.deleted", with_id=False
        )

    def iter_org_spend_alerts(self) -> AsyncIterator[SpendAlert]:
        return self._iter_list(SpendAlert, "/organization/spend_alerts")

    async def get_org_spend_alert(self, aid: str) -> SpendAlert:
        return await self._call(
            SpendAlert, "GET", "/organization/spend_alerts/{alert_id}", path={"alert_id": aid}
        )

    async def create_org_spend_alert(
        self, threshold_cents: int, recipients: Sequence[str], subject_prefix: str | None = None
    ) -> SpendAlert:
        body = spend_alert_body(threshold_cents, recipients, subject_prefix)
        return await self._call(
            SpendAlert, "POST", "/organization/spend_alerts", body=body, create=True
        )

    async def update_org_spend_alert(
        self,
        aid: str,
        threshold_cents: int,
        recipients: Sequence[str],
        subject_prefix: str | None = None,
    ) -> SpendAlert:
        body = spend_alert_body(threshold_cents, recipients, subject_prefix)
        return await self._call(
            SpendAlert,
            "POST",
            "/organization/spend_alerts/{alert_id}",
            path={"alert_id": aid},
            body=body,
        )

    async def delete_org_spend_alert(self, aid: str) -> DeletedObject:
        return await self._delete(
            "/organization/spend_alerts/{alert_id}",
            {"alert_id": aid},
            "organization.spend_alert.deleted",
        )

    # ------------------------------------------------------------ audit logs

    async def audit_log_page(
        self,
        *,
        after: str | None = None,
        limit: int = 50,
        effective_at_gte: int | None = None,
        effective_at_lt: int | None = None,
        project_ids: Sequence[str] | None = None,
        event_types: Sequence[str] | None = None,
        actor_ids: Sequence[str] | None = None,
        actor_emails: Sequence[str] | None = None,
        resource_ids: Sequence[str] | None = None,
        tenant_only: bool = False,
    ) -> AuditLogPage:
        """`tenant_only=True` asks for tenant-scoped events (`tenant.*`, `role.bound_to_resource`
        ...), which the API returns only then; every event type given must then be one."""
        from orgtui.api.models_activity import AuditLogPage

        params: list[tuple[str, Any]] = [("limit", int(limit))]
        if after is not None:
            params.append(("after", after))
        if effective_at_gte is not None:
            params.append(("effective_at[gte]", int(effective_at_gte)))
        if effective_at_lt is not None:
            params.append(("effective_at[lt]", int(effective_at_lt)))
        _arrays(
            params,
            **{
                "project_ids[]": project_ids,
                "event_types[]": event_types,
                "actor_ids[]": actor_ids,
                "actor_emails[]": actor_emails,
                "resource_ids[]": resource_ids,
            },
        )
        if tenant_only:
            params.append(("tenant_only", "true"))
        return await self._call(AuditLogPage, "GET", "/organization/audit_logs", params=params)

    def iter_audit_logs(self, **filters: Any) -> AsyncIterator[AuditLog]:
        """Every audit event matching the `audit_log_page` filters, newest first."""
        start = filters.pop("after", None)  # resume after this event id
        filters.setdefault("limit", 100)

        async def fetch(after: str | None) -> AuditLogPage:
            return await self.audit_log_page(after=after or start, **filters)

        return iter_cursor_items(fetch, path="/organization/audit_logs")

    # ------------------------------------------------------------ usage and costs

    def _iter_usage_pages(
        self, template: str, params: list[tuple[str, Any]]
    ) -> AsyncIterator[UsageBucket]:
        from orgtui.api.models_activity import UsagePage

        async def fetch(page: str | None) -> UsagePage:
            query = [*params, ("page", page)] if page is not None else params
            return await self._call(UsagePage, "GET", template, params=query)

        return iter_usage_buckets(fetch, path=template)

    def iter_usage(
        self,
        kind: str,
        start_time: int,
        *,
        end_time: int | None = None,
        bucket_width: str = "1d",
        group_by: Sequence[str] | None = None,
        project_ids: Sequence[str] | None = None,
        user_ids: Sequence[str] | None = None,
        api_key_ids: Sequence[str] | None = None,
        models: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[UsageBucket]:
        if kind not in USAGE_FILTERS:
            raise ValueError(
                f"unknown usage kind {kind!r}; expected one of {', '.join(USAGE_KINDS)}"
            )
        if bucket_width not in _MAX_BUCKETS:
            raise ValueError("bucket_width must be 1m, 1h or 1d")
        given = {
            "project_ids": project_ids,
            "user_ids": user_ids,
            "api_key_ids": api_key_ids,
            "models": models,
        }
        unsupported = sorted(k for k, v in given.items() if v and k not in USAGE_FILTERS[kind])
        if unsupported:
            raise ValueError(f"usage/{kind} does not filter by {', '.join(unsupported)}")
        params: list[tuple[str, Any]] = [("start_time", int(start_time))]
        if end_time is not None:
            params.append(("end_time", int(end_time)))
        params.append(("bucket_width", bucket_width))
        _arrays(params, **{k: v for k, v in given.items() if k in USAGE_FILTERS[kind]})
        _arrays(params, group_by=group_by)
        params.append(("limit", int(limit) if limit is not None else _MAX_BUCKETS[bucket_width]))
        return self._iter_usage_pages(f"/organization/usage/{kind}", params)

    def iter_costs(
        self,
        start_time: int,
        *,
        end_time: int | None = None,
        group_by: Sequence[str] | None = None,
        project_ids: Sequence[str] | None = None,
        api_key_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[UsageBucket]:
        params: list[tuple[str, Any]] = [("start_time", int(start_time))]
        if end_time is not None:
            params.append(("end_time", int(end_time)))
        _arrays(params, project_ids=project_ids, api_key_ids=api_key_ids, group_by=group_by)
        params.append(("limit", int(limit) if limit is not None else _MAX_COST_BUCKETS))
        return self._iter_usage_pages("/organization/costs", params)

    def iter_cost_lines(
        self,
        start_time: int,
        *,
        end_time: int | None = None,
        group_by: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CostLineBucket]:
        """`iter_costs`, each result parsed to its project, key and amount only (`CostLine`)."""
        params: list[tuple[str, Any]] = [("start_time", int(start_time))]
        if end_time is not None:
            params.append(("end_time", int(end_time)))
        _arrays(params, group_by=group_by)
        params.append(("limit", int(limit) if limit is not None else _MAX_COST_BUCKETS))

        from orgtui.api.models_activity import CostLinePage

        async def fetch(page: str | None) -> CostLinePage:
            query = [*params, ("page", page)] if page is not None else params
            return await self._get_parsed(CostLinePage, "/organization/costs", params=query)

        return iter_usage_buckets(fetch, path="/organization/costs")

    def iter_usage_lines(
        self,
        kind: str,
        start_time: int,
        *,
        end_time: int | None = None,
        bucket_width: str = "1h",
        group_by: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[UsageLineBucket]:
        """`iter_usage` unfiltered, each result parsed to its project, key and counts only."""
        if kind not in USAGE_FILTERS:
            raise ValueError(
                f"unknown usage kind {kind!r}; expected one of {', '.join(USAGE_KINDS)}"
            )
        if bucket_width not in _MAX_BUCKETS:
            raise ValueError("bucket_width must be 1m, 1h or 1d")
        params: list[tuple[str, Any]] = [("start_time", int(start_time))]
        if end_time is not None:
            params.append(("end_time", int(end_time)))
        params.append(("bucket_width", bucket_width))
        _arrays(params, group_by=group_by)
        params.append(("limit", int(limit) if limit is not None else _MAX_BUCKETS[bucket_width]))
        template = f"/organization/usage/{kind}"

        from orgtui.api.models_activity import UsageLinePage

        async def fetch(page: str | None) -> UsageLinePage:
            query = [*params, ("page", page)] if page is not None else params
            return await self._get_parsed(UsageLinePage, template, params=query)

        return iter_usage_buckets(fetch, path=template)
