"""Models (pydantic v2) of the Admin API resources the console uses.

Field names are exactly the spec's schema properties (`components.schemas` of
`openai-admin-openapi.yaml`). Fields the console does not read may be left undeclared: unknown
fields are ignored. Fields the spec marks required stay required, except where the spec's own
examples omit them (then they default). Every minted key value is a `Secret`, and `repr()`
masks any other string that looks like an unredacted key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field

from orgtui.api._base import ApiModel, ListPage, Secret

if TYPE_CHECKING:
    from orgtui.api.models_activity import (
        AuditLog,
        AuditLogActor,
        AuditLogActorApiKey,
        AuditLogActorServiceAccount,
        AuditLogActorSession,
        AuditLogActorUser,
        AuditLogPage,
        AuditLogProject,
        CostAmount,
        CostLine,
        CostLineBucket,
        CostLinePage,
        UsageBucket,
        UsagePage,
        UsageResult,
    )

__all__ = [
    "AdminApiKey",
    "AdminApiKeyCreateResponse",
    "AdminApiKeyOwner",
    "ApiErrorBody",
    "ApiKeyOwner",
    "ApiModel",
    "AuditLog",
    "AuditLogActor",
    "AuditLogActorApiKey",
    "AuditLogActorServiceAccount",
    "AuditLogActorSession",
    "AuditLogActorUser",
    "AuditLogPage",
    "AuditLogProject",
    "CostAmount",
    "CostLine",
    "CostLineBucket",
    "CostLinePage",
    "DeletedObject",
    "ErrorEnvelope",
    "Invite",
    "InviteProject",
    "ListPage",
    "Project",
    "ProjectApiKey",
    "ProjectApiKeyOwnerServiceAccount",
    "ProjectApiKeyOwnerUser",
    "ProjectRateLimit",
    "ProjectServiceAccount",
    "ProjectServiceAccountApiKey",
    "ProjectServiceAccountCreateResponse",
    "ProjectUser",
    "ServiceAccountApiKey",
    "SpendAlert",
    "SpendAlertNotificationChannel",
    "SpendLimit",
    "SpendLimitEnforcement",
    "UsageBucket",
    "UsagePage",
    "UsageResult",
    "User",
    "UserAccount",
    "UserProjectMembership",
    "UserProjects",
]


# Activity models (usage, costs, audit logs) are many and costly to define; the console's
# first frame needs none of them, so they load on first use (PEP 562).
_ACTIVITY = frozenset(
    {
        "AuditLog",
        "AuditLogActor",
        "AuditLogActorApiKey",
        "AuditLogActorServiceAccount",
        "AuditLogActorSession",
        "AuditLogActorUser",
        "AuditLogPage",
        "AuditLogProject",
        "CostAmount",
        "CostLine",
        "CostLineBucket",
        "CostLinePage",
        "UsageBucket",
        "UsagePage",
        "UsageResult",
    }
)


def __getattr__(name: str) -> Any:
    if name in _ACTIVITY:
        from orgtui.api import models_activity

        return getattr(models_activity, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- errors


class ApiErrorBody(ApiModel):
    # A server may send a numeric code: it is shown as text.
    model_config = ConfigDict(coerce_numbers_to_str=True)

    message: str | None = None
    type: str | None = None
    param: str | None = None
    code: str | None = None


class ErrorEnvelope(ApiModel):
    """`ErrorResponse`: `{"error": {...}}` (some servers send `{"error": "text"}`)."""

    error: ApiErrorBody | str | None = None


class DeletedObject(ApiModel):
    """Every `*.deleted` response. Spend-limit deletes carry no `id`."""

    object: str
    id: str | None = None
    deleted: bool = True


# ---------------------------------------------------------------- projects


class Project(ApiModel):
    id: str
    object: str = "organization.project"
    name: str | None = None
    created_at: int
    archived_at: int | None = None
    status: str | None = None
    external_key_id: str | None = None
    residency: str | None = None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None or self.status == "archived"


class ProjectUser(ApiModel):
    object: str = "organization.project.user"
    id: str
    name: str | None = None
    email: str | None = None
    role: str
    added_at: int


class ProjectServiceAccount(ApiModel):
    object: str = "organization.project.service_account"
    id: str
    name: str
    role: str  # owner | member | none
    created_at: int


class ProjectServiceAccountApiKey(ApiModel):
    """The key minted with a service account; `value` is shown once."""

    object: str = "organization.project.service_account.api_key"
    value: Secret
    name: str | None = None
    created_at: int
    id: str
    expires_at: int | None = None  # newer API versions, when the key expires


class ServiceAccountApiKey(ProjectServiceAccountApiKey):
    """`ServiceAccountApiKeyBody`: create response of `.../service_accounts/{id}/api_keys`."""


class ProjectServiceAccountCreateResponse(ProjectServiceAccount):
    # None when created with create_service_account_only=true
    api_key: ProjectServiceAccountApiKey | None = None


class ProjectApiKeyOwnerUser(ApiModel):
    id: str
    email: str | None = None
    name: str | None = None
    created_at: int | None = None
    role: str | None = None


class ProjectApiKeyOwnerServiceAccount(ApiModel):
    id: str
    name: str | None = None
    created_at: int | None = None
    role: str | None = None


class ApiKeyOwner(ApiModel):
    type: str | None = None  # user | service_account
    user: ProjectApiKeyOwnerUser | None = None
    service_account: ProjectApiKeyOwnerServiceAccount | None = None


class ProjectApiKey(ApiModel):
    object: str = "organization.project.api_key"
    redacted_value: str
    name: str | None = None
    created_at: int
    last_used_at: int | None = None
    id: str
    owner_project_access: str | None = None  # active | inactive
    owner: ApiKeyOwner = Field(default_factory=ApiKeyOwner)
    expires_at: int | None = None  # newer API versions: when the key expires (None: never)


class ProjectRateLimit(ApiModel):
    object: str = "project.rate_limit"
    id: str
    model: str
    max_requests_per_1_minute: int
    max_tokens_per_1_minute: int
    max_images_per_1_minute: int | None = None
    max_audio_megabytes_per_1_minute: int | None = None
    max_requests_per_1_day: int | None = None
    batch_1_day_max_input_tokens: int | None = None


# ---------------------------------------------------------------- org users, invites, admin keys


class UserAccount(ApiModel):
    """The nested `User.user` account record."""

    object: str = "user"
    id: str
    email: str | None = None
    name: str | None = None
    picture: str | None = None
    enabled: bool | None = None
    banned: bool | None = None
    banned_at: int | None = None


class UserProjectMembership(ApiModel):
    id: str | None = None
    name: str | None = None
    role: str | None = None


class UserProjects(ApiModel):
    object: str = "list"
    data: list[UserProjectMembership] = []


class User(ApiModel):
    """An organisation member (`organization.user`)."""

    object: str = "organization.user"
    id: str
    name: str | None = None
    email: str | None = None
    role: str | None = None  # owner | reader
    added_at: int
    is_default: bool | None = None
    created: int | None = None
    user: UserAccount | None = None
    is_service_account: bool | None = None
    is_scale_tier_authorized_purchaser: bool | None = None
    is_scim_managed: bool | None = None
    api_key_last_used_at: int | None = None
    technical_level: str | None = None
    developer_persona: str | None = None
    projects: UserProjects | None = None


class InviteProject(ApiModel):
    id: str
    role: str  # member | owner


class Invite(ApiModel):
    object: str = "organization.invite"
    id: str
    email: str
    role: str  # owner | reader
    status: str  # accepted | expired | pending
    created_at: int
    expires_at: int | None = None
    accepted_at: int | None = None
    # Required by the schema but absent from the list/retrieve examples: default to empty.
    projects: list[InviteProject] = []


class AdminApiKeyOwner(ApiModel):
    type: str | None = None
    object: str | None = None
    id: str | None = None
    name: str | None = None
    created_at: int | None = None
    role: str | None = None


class AdminApiKey(ApiModel):
    object: str = "organization.admin_api_key"
    id: str
    name: str | None = None
    redacted_value: str
    created_at: int
    # Required by the schema but missing from the retrieve example.
    expires_at: int | None = None
    last_used_at: int | None = None
    owner: AdminApiKeyOwner = Field(default_factory=AdminApiKeyOwner)


class AdminApiKeyCreateResponse(AdminApiKey):
    value: Secret


# ---------------------------------------------------------------- spend limits and alerts


class SpendLimitEnforcement(ApiModel):
    status: str  # inactive | enforcing


class SpendLimit(ApiModel):
    """Hard spend limit; `object` is `organization.spend_limit` or `project.spend_limit`."""

    object: str = "organization.spend_limit"
    threshold_amount: int  # cents
    currency: str = "USD"
    interval: str = "month"
    enforcement: SpendLimitEnforcement


class SpendAlertNotificationChannel(ApiModel):
    type: str = "email"
    recipients: list[str] = []
    subject_prefix: str | None = None


class SpendAlert(ApiModel):
    """Soft alert; `object` is `organization.spend_alert` or `project.spend_alert`."""

    id: str
    object: str = "organization.spend_alert"
    threshold_amount: int  # cents
    currency: str = "USD"
    interval: str = "month"
    notification_channel: SpendAlertNotificationChannel
