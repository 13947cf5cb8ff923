"""Models for activity data: usage buckets, costs, audit logs, and the page envelopes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import Field, TypeAdapter

from orgtui.api._base import ApiModel, ListPage

# ---------------------------------------------------------------- usage and costs


class CostAmount(ApiModel):
    value: float = 0.0  # dollars (float), unlike limits which are integer cents
    currency: str = "usd"


class UsageResult(ApiModel):
    """One result row of any usage endpoint or of costs, told apart by `.object`.

    Every field is optional: each endpoint fills its own subset (and `None` group keys).
    """

    object: str | None = None
    # group keys
    project_id: str | None = None
    user_id: str | None = None
    api_key_id: str | None = None
    model: str | None = None
    batch: bool | None = None
    service_tier: str | None = None
    source: str | None = None
    size: str | None = None
    vector_store_id: str | None = None
    context_level: str | None = None
    line_item: str | None = None
    # metrics
    input_tokens: int | None = None
    input_cached_tokens: int | None = None
    input_cache_write_tokens: int | None = None
    input_uncached_tokens: int | None = None
    output_tokens: int | None = None
    input_text_tokens: int | None = None
    output_text_tokens: int | None = None
    input_cached_text_tokens: int | None = None
    input_audio_tokens: int | None = None
    input_cached_audio_tokens: int | None = None
    output_audio_tokens: int | None = None
    input_image_tokens: int | None = None
    input_cached_image_tokens: int | None = None
    output_image_tokens: int | None = None
    num_model_requests: int | None = None
    images: int | None = None
    characters: int | None = None
    seconds: int | None = None
    usage_bytes: int | None = None
    num_sessions: int | None = None
    num_requests: int | None = None
    # costs
    amount: CostAmount | None = None
    quantity: float | None = None
    quantity_unit: str | None = None


class UsageBucket(ApiModel):
    object: str = "bucket"
    start_time: int
    end_time: int
    results: list[UsageResult] = Field(default_factory=list)


@dataclass(slots=True)
class CostLineAmount:
    value: float = 0.0  # dollars


@dataclass(slots=True)
class CostLine:
    """The fields of a cost result the spend figures read; every other field is skipped.

    A big organisation has thousands of cost rows a day: a full `UsageResult` (40 fields,
    unknown ones kept) per row made a spend refresh peak at hundreds of megabytes, and even a
    three-field pydantic model costs ~1.7 KB a row. Slotted dataclasses, filled by pydantic
    straight from the JSON bytes (`COST_LINE_PAGES`), cost under 200 bytes.
    """

    project_id: str | None = None
    api_key_id: str | None = None
    amount: CostLineAmount | None = None


@dataclass(slots=True)
class CostLineBucket:
    start_time: int
    end_time: int
    results: list[CostLine] = field(default_factory=list)


@dataclass(slots=True)
class CostLinePage:
    """A costs page (style C) parsed into `CostLine`s."""

    has_more: bool
    data: list[CostLineBucket] = field(default_factory=list)
    next_page: str | None = None


COST_LINE_PAGES: TypeAdapter[CostLinePage] = TypeAdapter(CostLinePage)


# ---------------------------------------------------------------- audit logs


class AuditLogActorUser(ApiModel):
    id: str | None = None
    email: str | None = None


class AuditLogActorServiceAccount(ApiModel):
    id: str | None = None


class AuditLogActorSession(ApiModel):
    user: AuditLogActorUser | None = None
    ip_address: str | None = None


class AuditLogActorApiKey(ApiModel):
    id: str | None = None
    type: str | None = None  # user | service_account
    user: AuditLogActorUser | None = None
    service_account: AuditLogActorServiceAccount | None = None


class AuditLogActor(ApiModel):
    type: str | None = None  # session | api_key
    session: AuditLogActorSession | None = None
    api_key: AuditLogActorApiKey | None = None


class AuditLogProject(ApiModel):
    id: str | None = None
    name: str | None = None


class AuditLog(ApiModel):
    """An audit event. Its details sit in an extra field named after `type`."""

    id: str
    type: str
    effective_at: int
    project: AuditLogProject | None = None
    actor: AuditLogActor | None = None

    @property
    def details(self) -> dict[str, Any]:
        raw = (self.__pydantic_extra__ or {}).get(self.type)
        return raw if isinstance(raw, dict) else {}


# ---------------------------------------------------------------- pages


class AuditLogPage(ListPage[AuditLog]):
    pass


class UsagePage(ApiModel):
    """Style-C usage envelope (`next_page` cursor)."""

    object: str = "page"
    data: list[UsageBucket] = Field(default_factory=list)
    has_more: bool
    next_page: str | None = None
