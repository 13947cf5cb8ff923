"""A handle on an `AdminClient` that builds it on first use.

The console's first frame makes no request, and the client's modules import the pydantic
models, so the connection hands out this handle: the client (and pydantic) load after the
first frame, on the first attribute read or write. Every read and write goes to the client.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgtui.api.client import AdminClient

__all__ = ["LazyClient"]


class LazyClient:
    __slots__ = ("_build", "_client", "_lock")

    def __init__(self, build: Callable[[], AdminClient]) -> None:
        object.__setattr__(self, "_build", build)
        object.__setattr__(self, "_client", None)
        object.__setattr__(self, "_lock", threading.Lock())

    def resolve(self) -> AdminClient:
        """The client, built now if it was not yet."""
        client: AdminClient | None = self._client
        if client is None:
            with self._lock:
                client = self._client
                if client is None:
                    client = self._build()
                    object.__setattr__(self, "_client", client)
        return client

    @property
    def built(self) -> bool:
        return self._client is not None

    @property
    def budget(self) -> Any:
        """The client's request budget; None before it is built (nothing spent yet), so the
        header can be drawn on the first frame without building it."""
        return self._client.budget if self._client is not None else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.resolve(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.resolve(), name, value)

    async def aclose(self) -> None:
        if self._client is not None:  # never built: nothing to close
            await self._client.aclose()

    def __repr__(self) -> str:
        return f"LazyClient(built={self.built})"
