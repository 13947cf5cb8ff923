"""The base model of every Admin API resource (tolerant, secret-safe in repr) and the list page."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

_MASK = "**********"
# Names under which an *unexpected* (extra) field is assumed to hold a secret.
_SECRET_NAMES = frozenset({"value", "secret", "api_key_value", "key_value", "token", "password"})


def _unredacted_key(value: Any) -> bool:
    # Redacted values look like "sk-abc...def"; anything else starting "sk-" is a live key.
    return isinstance(value, str) and value.startswith("sk-") and "..." not in value


def _mask(name: str | None, value: Any, *, extra: bool) -> Any:
    if _unredacted_key(value) or (extra and name in _SECRET_NAMES and isinstance(value, str)):
        return _MASK
    if extra and isinstance(value, dict):
        return {k: _mask(k, v, extra=True) for k, v in value.items()}
    if extra and isinstance(value, list):
        return [_mask(None, v, extra=True) for v in value]
    return value


class ApiModel(BaseModel):
    """Base: tolerant of unknown fields; repr never shows anything that looks like a live key.

    Declared secrets are `SecretStr`. This also masks, in repr only, unredacted `sk-` strings in
    any field and secret-named values inside unexpected extra fields (the API may grow some).
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)

    def __repr_args__(self) -> Any:
        extras = self.__pydantic_extra__ or {}
        for name, value in super().__repr_args__():
            yield name, _mask(name, value, extra=name is not None and name in extras)


T = TypeVar("T")


class ListPage(ApiModel, Generic[T]):
    """Style-A list envelope (`first_id`/`last_id`/`has_more`)."""

    object: str = "list"
    data: list[T] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool
