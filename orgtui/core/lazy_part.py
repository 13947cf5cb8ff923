"""One cached part held unparsed: its counts now, its field values on an explicit `load()`.

The cache hands these out so that a project with 10,000 keys costs nothing until it is shown:
the first frame counts the keys (`count`), the project's screen parses them (`load`). A
`ProjectView` field holds the `LazyPart` itself until someone asks for the value through
`ProjectView.get`, so nothing is parsed by reading, copying or `dataclasses.replace`-ing a view.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from orgtui.perf_gc import freeze_after

__all__ = ["LazyPart"]

log = logging.getLogger(__name__)

_PARSING = threading.Lock()


class LazyPart:
    """The field values of one cached part, parsed by the first `load()`.

    A part that cannot be parsed loads as `{}` (each field reads as not fetched) and is logged;
    a refresh fixes it.
    """

    __slots__ = ("_count", "_counts", "_load", "_values")

    def __init__(
        self,
        load: Callable[[], Mapping[str, Any]],
        count: Callable[[str], int | None] | None = None,
    ) -> None:
        self._load: Callable[[], Mapping[str, Any]] | None = load
        self._values: Mapping[str, Any] | None = None
        # How many items a list field holds, without parsing them (None: unknown, so parse).
        self._count = count
        self._counts: dict[str, int | None] = {}

    @property
    def loaded(self) -> bool:
        """Whether `load()` has parsed the part already."""
        return self._values is not None

    def count(self, name: str) -> int | None:
        """`len()` of list field `name` (None when it is None), parsing only if need be."""
        if self._values is None and self._count is not None:
            if name in self._counts:
                return self._counts[name]
            with contextlib.suppress(Exception):  # unreadable: fall back to parsing
                self._counts[name] = self._count(name)
                return self._counts[name]
        value = self.load().get(name)
        return None if value is None else len(value)

    def load(self) -> Mapping[str, Any]:
        """The part's field values by name, parsed on the first call (thread-safe, once)."""
        values = self._values
        if values is None:
            with _PARSING:  # a worker thread may ask at the same time as the screen
                if self._values is None:
                    load, self._load = self._load, None
                    try:
                        self._values = load() if load is not None else {}
                    except Exception:  # damaged row: reads as not fetched; a refresh fixes it
                        log.exception("cached part could not be parsed")
                        self._values = {}
                    # 10,000 cached keys just parsed: out of later full collections.
                    freeze_after(sum(len(v) for v in self._values.values() if isinstance(v, list)))
                values = self._values
        return values

    def __repr__(self) -> str:
        return f"LazyPart(loaded={self.loaded})"
