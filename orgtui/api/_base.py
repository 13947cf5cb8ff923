"""The base of every Admin API resource (pydantic v2 models), the secret type, and parsing.

Responses are validated by pydantic-core straight from the JSON bytes through one cached
`TypeAdapter` per model. Validation errors name the path and never quote a value
(`hide_input_in_errors`): values can be secrets. pydantic is imported with the models, after
the console's first frame (which is drawn from plain cached rows, `core.cache_rows`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from orgtui.api._secret import _MASK, FRAGMENT, REDACTED, Secret, redact

__all__ = [
    "FRAGMENT",
    "REDACTED",
    "ApiModel",
    "ListPage",
    "NotJsonError",
    "Secret",
    "ShapeError",
    "adapter",
    "decode_json",
    "describe_errors",
    "parse",
    "redact",
    "to_data",
]

M = TypeVar("M")
T = TypeVar("T")


def _unredacted_key(value: Any) -> bool:
    # Redacted values look like "sk-abc...def"; anything else starting "sk-" is a live key.
    return isinstance(value, str) and value.startswith("sk-") and "..." not in value


class ApiModel(BaseModel):
    """Base of the resources. Unknown fields in a response are ignored (audit events keep them).

    Declared secrets are `Secret`; repr also masks any unredacted `sk-` string in any field.
    """

    model_config = ConfigDict(
        extra="ignore",
        hide_input_in_errors=True,
        protected_namespaces=(),
        ser_json_inf_nan="constants",
    )

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            yield name, _MASK if _unredacted_key(value) else value

    def __rich_repr__(self) -> Iterator[tuple[str, Any]]:
        for name, value in self.__repr_args__():
            yield str(name), value

    def __str__(self) -> str:
        return repr(self)

    def replace(self: M, **changes: Any) -> M:
        """A copy with `changes` applied (not validated: the caller's values are trusted)."""
        return self.model_copy(update=changes)  # type: ignore[attr-defined,no-any-return]

    def narrowed(self, to: type[M]) -> M:
        """This object as its base model `to`, dropping the fields only a subclass declares
        (a create response's `value` or `api_key`)."""
        if not isinstance(self, to):
            raise TypeError(f"{type(self).__name__} is not a {to.__name__}")
        fields = to.model_fields  # type: ignore[attr-defined]
        values = {name: getattr(self, name) for name in fields}
        return to.model_construct(  # type: ignore[attr-defined,no-any-return]
            _fields_set={n for n in self.model_fields_set if n in fields}, **values
        )


class ListPage(ApiModel, Generic[T]):
    """Style-A list envelope (`first_id`/`last_id`/`has_more`)."""

    object: str = "list"
    data: list[T] = []
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool


class ShapeError(ValueError):
    """Data that does not fit its model; the message says where (no value is quoted)."""


class NotJsonError(ShapeError):
    """Bytes that are not JSON at all (truncated, HTML from a proxy, ...)."""


def _path(loc: tuple[int | str, ...]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def describe_errors(exc: ValidationError) -> str:
    """Every problem of `exc` as "what - at `$.path`", values left out."""
    problems = [
        f"{error['msg']} - at `{_path(error['loc'])}`"
        for error in exc.errors(include_url=False, include_input=False, include_context=False)
    ]
    return "; ".join(problems[:5]) + (
        f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    )


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(model: Any) -> TypeAdapter[Any]:
    """The cached `TypeAdapter` of `model` (built once: building one costs milliseconds)."""
    found = _ADAPTERS.get(model)
    if found is None:
        found = _ADAPTERS[model] = TypeAdapter(model)
    return found


def parse(model: type[M] | Any, data: Any) -> M:
    """`data` (JSON-like Python values) as `model`. Lax like JSON APIs need: "12" is an int.

    Raises ShapeError naming the problems and where they are (`$.data[0].id`).
    """
    try:
        return adapter(model).validate_python(data)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise ShapeError(describe_errors(exc)) from None


def decode_json(model: type[M] | Any, content: bytes) -> M:
    """JSON bytes straight into `model` (no dict per row on the way). Raises ShapeError."""
    if hasattr(model, "__struct_fields__"):  # the slim rows of the biggest pages (msgspec)
        decoded: M = _decode_struct(model, content)
        return decoded
    try:
        return adapter(model).validate_json(content)  # type: ignore[no-any-return]
    except ValidationError as exc:
        if any(error["type"] == "json_invalid" for error in exc.errors(include_url=False)):
            raise NotJsonError(f"not valid JSON ({len(content)} bytes)") from None
        raise ShapeError(describe_errors(exc)) from None


_STRUCT_DECODERS: dict[Any, Any] = {}


def _decode_struct(model: Any, content: bytes) -> Any:
    import msgspec

    decoder = _STRUCT_DECODERS.get(model)
    if decoder is None:
        decoder = _STRUCT_DECODERS[model] = msgspec.json.Decoder(model, strict=False)
    try:
        return decoder.decode(content)
    except msgspec.ValidationError as exc:  # "Expected `int`, got `str` - at `$...`": no value
        raise ShapeError(str(exc)) from None
    except msgspec.DecodeError:
        raise NotJsonError(f"not valid JSON ({len(content)} bytes)") from None


def to_data(model: Any) -> Any:
    """Builtin values of a model (secrets masked), e.g. to print as JSON."""
    if isinstance(model, BaseModel):
        return model.model_dump(mode="json")
    return adapter(Any).dump_python(model, mode="json")
