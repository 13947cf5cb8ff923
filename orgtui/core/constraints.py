"""Bounds in settings annotations (`Annotated[int, Ge(10)]`) that cost nothing until validated.

pydantic reads `annotated_types.Ge`/`Gt`, but importing annotated_types (and typing_extensions)
costs a start about 9 ms before its first frame, and the settings are built long before anything
validates them (a config file pydantic accepted before is never validated again). These stand in
for them and hand pydantic the real ones when it builds a schema, so its errors are the same
(`greater_than_equal` / `greater_than`, with `ge` / `gt` in their context).
"""

from __future__ import annotations

from typing import Annotated, Any


class _Bound:
    _kind = ""

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.bound!r})"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        import annotated_types

        constraint = getattr(annotated_types, self._kind)(self.bound)
        return handler.generate_schema(Annotated[source, constraint])


class Ge(_Bound):
    """At least `bound`."""

    _kind = "Ge"


class Gt(_Bound):
    """Greater than `bound`."""

    _kind = "Gt"


__all__ = ["Ge", "Gt"]
