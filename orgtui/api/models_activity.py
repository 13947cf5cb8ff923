"""Models for activity data: usage buckets, costs, audit logs, and the page envelopes.

The slim rows of the biggest pages (`CostLine`, `UsageLine`: a week of hourly usage grouped by
key is a million rows) are msgspec Structs decoded in C, the one place msgspec is kept:
201,600 usage rows (49 MB of JSON) decode in 0.14 s with msgspec, 0.62 s through a pydantic
`TypeAdapter` of slotted dataclasses and 1.0 s as `BaseModel`s (see the README's stack).
"""

from __future__ import annotations

from typing import Any

import msgspec
from pydantic import ConfigDict

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
    results: list[UsageResult] = []


class CostLineAmount(msgspec.Struct, gc=False):
    value: float = 0.0  # dollars


class CostLine(msgspec.Struct, gc=False):
    """The fields of a cost result the spend figures read; every other field is skipped.

    A big organisation has thousands of cost rows a day: a full `UsageResult` (40 fields) per
    row made a spend refresh peak at hundreds of megabytes. These Structs, decoded straight
    from the JSON bytes, cost under 200 bytes a row.
    """

    project_id: str | None = None
    api_key_id: str | None = None
    amount: CostLineAmount | None = None


class CostLineBucket(msgspec.Struct, gc=False):
    start_time: int
    end_time: int
    results: list[CostLine] = []


class CostLinePage(msgspec.Struct, gc=False):
    """A costs page (style C) parsed into `CostLine`s."""

    has_more: bool
    data: list[CostLineBucket] = []
    next_page: str | None = None


class UsageLine(msgspec.Struct, gc=False):
    """The group keys and counts of a usage result the incident view reads (see `CostLine`).

    Grouped by key, a week of hourly buckets on a 10,000-key organisation is over a million
    results: a full `UsageResult` each would cost gigabytes."""

    project_id: str | None = None
    api_key_id: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    num_model_requests: int | None = None
    images: int | None = None
    characters: int | None = None
    seconds: int | None = None
    usage_bytes: int | None = None
    num_sessions: int | None = None


class UsageLineBucket(msgspec.Struct, gc=False):
    start_time: int
    end_time: int
    results: list[UsageLine] = []


class UsageLinePage(msgspec.Struct, gc=False):
    """A usage page (style C) parsed into `UsageLine`s."""

    has_more: bool
    data: list[UsageLineBucket] = []
    next_page: str | None = None


# ---------------------------------------------------------------- audit logs


class _AsSent(ApiModel):
    """Audit event parts keep the fields they do not declare: the console shows them raw."""

    model_config = ConfigDict(extra="allow")


class AuditLogActorUser(_AsSent):
    id: str | None = None
    email: str | None = None


class AuditLogActorServiceAccount(_AsSent):
    id: str | None = None


class AuditLogActorSession(_AsSent):
    user: AuditLogActorUser | None = None
    ip_address: str | None = None


class AuditLogActorApiKey(_AsSent):
    id: str | None = None
    type: str | None = None  # user | service_account
    user: AuditLogActorUser | None = None
    service_account: AuditLogActorServiceAccount | None = None


class AuditLogActor(_AsSent):
    type: str | None = None  # session | api_key
    session: AuditLogActorSession | None = None
    api_key: AuditLogActorApiKey | None = None


class AuditLogProject(_AsSent):
    id: str | None = None
    name: str | None = None


class AuditLog(_AsSent):
    """An audit event. Its details sit in a field named after `type` (one per event type),
    kept like every field the model does not declare."""

    id: str
    type: str
    effective_at: int
    project: AuditLogProject | None = None
    actor: AuditLogActor | None = None

    @property
    def as_sent(self) -> dict[str, Any]:
        """The event as the API sent it: the fields it left out stay out."""
        return self.model_dump(mode="json", exclude_unset=True)

    @property
    def details(self) -> dict[str, Any]:
        raw = (self.model_extra or {}).get(self.type)
        return raw if isinstance(raw, dict) else {}


# ---------------------------------------------------------------- pages


class AuditLogPage(ListPage[AuditLog]):
    pass


class UsagePage(ApiModel):
    """Style-C usage envelope (`next_page` cursor)."""

    object: str = "page"
    data: list[UsageBucket] = []
    has_more: bool
    next_page: str | None = None
