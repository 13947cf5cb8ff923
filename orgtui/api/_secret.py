"""The secret type and redaction, without pydantic: the config and the log filter need them
before the console's first frame, and pydantic is imported after it (`_base`)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FRAGMENT", "REDACTED", "Secret", "redact"]

_MASK = "**********"


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

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """A string in, a `Secret` out; dumped (`model_dump`, JSON) as the mask, never the value.
        Called by pydantic when a model declaring a Secret is built."""
        from pydantic_core import core_schema

        from_str = core_schema.no_info_after_validator_function(cls, core_schema.str_schema())
        return core_schema.json_or_python_schema(
            json_schema=from_str,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_str]),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )
