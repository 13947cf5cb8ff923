"""The base of every Admin API resource (msgspec Structs), the secret type, and parsing.

msgspec, not pydantic: a model class costs microseconds to define and its import a few
milliseconds (the console's first frame is drawn from models), instances are slotted and
untracked by the garbage collector (10,000 keys stay small), and parsing is done in C.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

import msgspec

__all__ = [
    "ApiModel",
    "ListPage",
    "NotJsonError",
    "Secret",
    "ShapeError",
    "decode_json",
    "parse",
    "to_data",
]

_MASK = "**********"
M = TypeVar("M")
T = TypeVar("T")


REDACTED = "[redacted]"
FRAGMENT = 12  # any run of this many characters of a secret counts as the secret


def redact(text: str, secret: str) -> str:
    """`text` with the secret, in any letter case, and any 12+ character fragment of it,
    replaced by "[redacted]" (a server may echo the key upper-cased or cut)."""
    if not text or not secret:
        return text
    if len(secret) < FRAGMENT:
        return re.sub(re.escape(secret), REDACTED, text, flags=re.IGNORECASE)
    folded_secret = secret.casefold()
    grams = {folded_secret[i : i + FRAGMENT] for i in range(len(folded_secret) - FRAGMENT + 1)}
    folded = text.casefold()
    if len(folded) != len(text):  # casefold changed lengths (ß -> ss): compare lower-case
        folded, grams = text.lower(), {g.lower() for g in grams}
    hidden = [False] * len(text)
    for start in range(len(text) - FRAGMENT + 1):
        if folded[start : start + FRAGMENT] in grams:
            for index in range(start, start + FRAGMENT):
                hidden[index] = True
    if not any(hidden):
        return text
    out: list[str] = []
    for index, ch in enumerate(text):
        if not hidden[index]:
            out.append(ch)
        elif index == 0 or not hidden[index - 1]:
            out.append(REDACTED)
    return "".join(out)


class Secret:
    """A secret string (a minted key, the admin key): never shown by repr, str or pickle."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a secret is a string")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return _MASK if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("a secret cannot be pickled")


def _unredacted_key(value: Any) -> bool:
    # Redacted values look like "sk-abc...def"; anything else starting "sk-" is a live key.
    return isinstance(value, str) and value.startswith("sk-") and "..." not in value


class ApiModel(msgspec.Struct, kw_only=True, gc=False, omit_defaults=True):
    """Base of the resources. Unknown fields in a response are skipped.

    Instances hold no reference cycles (plain data), so the collector need not track them.
    Declared secrets are `Secret`; repr also masks any unredacted `sk-` string in any field.
    """

    def __rich_repr__(self) -> Iterator[tuple[str, Any]]:
        for name in self.__struct_fields__:
            value = getattr(self, name)
            yield name, _MASK if _unredacted_key(value) else value

    def __repr__(self) -> str:
        body = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({body})"

    def replace(self: M, **changes: Any) -> M:
        """A copy with `changes` applied (not validated: the caller's values are trusted)."""
        return msgspec.structs.replace(self, **changes)  # type: ignore[type-var]

    def narrowed(self, to: type[M]) -> M:
        """This object as its base model `to`, dropping the fields only a subclass declares
        (a create response's `value` or `api_key`)."""
        if not isinstance(self, to):
            raise TypeError(f"{type(self).__name__} is not a {to.__name__}")
        fields = to.__struct_fields__  # type: ignore[attr-defined]
        return to(**{name: getattr(self, name) for name in fields})


class ListPage(ApiModel, Generic[T], kw_only=True):
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


def _dec_hook(kind: type, obj: Any) -> Any:
    if kind is Secret:
        if isinstance(obj, str):
            return Secret(obj)
        raise ValueError(f"Expected `str`, got `{type(obj).__name__}`")
    raise NotImplementedError


def _enc_hook(obj: Any) -> Any:
    if isinstance(obj, Secret):
        return _MASK
    raise NotImplementedError(f"cannot encode {type(obj).__name__}")


def _post_parse(result: Any, data: Any) -> Any:
    hook = getattr(result, "__post_parse__", None)
    if hook is not None:
        hook(data)
    return result


def parse(model: type[M] | Any, data: Any) -> M:
    """`data` (JSON-like Python values) as `model`. Lax like JSON APIs need: "12" is an int.

    Raises ShapeError naming the first problem and where it is (`$.data[0].id`).
    """
    try:
        result = msgspec.convert(data, model, strict=False, dec_hook=_dec_hook)
    except msgspec.ValidationError as exc:
        raise ShapeError(str(exc)) from None
    return _post_parse(result, data)  # type: ignore[no-any-return]


_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}


def decode_json(model: type[M] | Any, content: bytes) -> M:
    """JSON bytes straight into `model` (no dict per row on the way). Raises ShapeError."""
    decoder = _DECODERS.get(model)
    if decoder is None:
        decoder = _DECODERS[model] = msgspec.json.Decoder(model, strict=False, dec_hook=_dec_hook)
    try:
        return decoder.decode(content)  # type: ignore[no-any-return]
    except msgspec.ValidationError as exc:
        raise ShapeError(str(exc)) from None
    except msgspec.DecodeError:
        raise NotJsonError(f"not valid JSON ({len(content)} bytes)") from None


def to_data(model: Any) -> Any:
    """Builtin values of a model (secrets masked), e.g. to print as JSON."""
    return msgspec.to_builtins(model, enc_hook=_enc_hook)
