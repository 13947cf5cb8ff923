"""The Admin API's pagination styles as async iterators.

Style A (id cursor): pass `after=<last_id>` until `has_more` is false.
Style C (usage pages): pass `page=<next_page>` back *unmodified* until `has_more` is false or
`next_page` is null.
A server that hands back a cursor it already gave us would make a naive loop run forever, so a
repeated cursor is reported as a `MalformedResponseError` instead.
Style B (opaque cursor): pass `after=<next>` until `has_more` is false or `next` is null
(groups, roles and role assignments). Style D (no paging) is used only by endpoints the
console does not call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.api._base import ListPage
from orgtui.api.errors import MalformedResponseError

if TYPE_CHECKING:
    from orgtui.api.models_activity import CostLinePage, UsageLinePage, UsagePage
    from orgtui.api.models_rbac import NextPage

__all__ = [
    "iter_cursor_items",
    "iter_cursor_pages",
    "iter_next_items",
    "iter_usage_buckets",
    "iter_usage_pages",
]

P = TypeVar("P", bound=ListPage[Any])
U = TypeVar("U", "UsagePage", "CostLinePage", "UsageLinePage")


def _next_cursor(page: ListPage[Any]) -> str | None:
    if page.last_id:
        return page.last_id
    # Some lists (admin keys in the SDK) are paged by the last item's id.
    last = page.data[-1] if page.data else None
    return getattr(last, "id", None)


async def iter_cursor_pages(
    fetch: Callable[[str | None], Awaitable[P]], *, path: str | None = None
) -> AsyncIterator[P]:
    """Yield style-A pages; `fetch(after)` returns one page."""
    after: str | None = None
    seen: set[str] = set()
    while True:
        page = await fetch(after)
        yield page
        if not page.has_more:
            return
        cursor = _next_cursor(page)
        if not cursor:
            raise MalformedResponseError("has_more is true but the page has no cursor", path=path)
        if cursor in seen:
            raise MalformedResponseError(f"repeated page cursor {cursor[:60]!r}", path=path)
        seen.add(cursor)
        after = cursor


async def iter_cursor_items(
    fetch: Callable[[str | None], Awaitable[ListPage[Any]]], *, path: str | None = None
) -> AsyncIterator[Any]:
    async for page in iter_cursor_pages(fetch, path=path):
        for item in page.data:
            yield item


async def iter_usage_pages(
    fetch: Callable[[str | None], Awaitable[U]], *, path: str | None = None
) -> AsyncIterator[U]:
    """Yield style-C pages; `fetch(page_token)` returns one page."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = await fetch(token)
        yield page
        if not page.has_more or not page.next_page:
            return
        if page.next_page in seen:
            raise MalformedResponseError(f"repeated next_page {page.next_page[:60]!r}", path=path)
        seen.add(page.next_page)
        token = page.next_page


async def iter_usage_buckets(
    fetch: Callable[[str | None], Awaitable[U]], *, path: str | None = None
) -> AsyncIterator[Any]:
    async for page in iter_usage_pages(fetch, path=path):
        for bucket in page.data:
            yield bucket


async def iter_next_items(
    fetch: Callable[[str | None], Awaitable[NextPage[Any]]], *, path: str | None = None
) -> AsyncIterator[Any]:
    """Yield the items of style-B pages; `fetch(after)` returns one page, `after` = its `next`."""
    after: str | None = None
    seen: set[str] = set()
    while True:
        page = await fetch(after)
        for item in page.data:
            yield item
        if not page.has_more or not page.next:
            return
        if page.next in seen:
            raise MalformedResponseError(f"repeated page cursor {page.next[:60]!r}", path=path)
        seen.add(page.next)
        after = page.next
