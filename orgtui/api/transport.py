"""The request engine under `AdminClient`: pacing, retries, error mapping, parsing.

Retry policy (why: a create is not idempotent, and the Admin API is throttled):
- 429: the server did nothing, so any method is retried after `Retry-After` (or back-off),
  and the whole endpoint is held for that long so concurrent requests do not pile on.
- a connect failure (nothing was sent) is retried for any method.
- 5xx, timeouts and dropped connections are retried only for GET and DELETE. A DELETE that
  may already have been applied and then answers 404 counts as success.
- a create (POST that mints something) that may have reached the server is never re-sent:
  `CreateOutcomeUnknownError` tells the caller to read back and reconcile.
- any other POST reports its error as is.

Errors are built from status, the API's error envelope and the path *template*; never from an
httpx exception's text or request (which could carry the Authorization header), and they are
raised outside `except` blocks so no httpx exception is left in `__context__`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from orgtui import __version__
from orgtui.api._base import (
    ListPage,
    NotJsonError,
    Secret,
    ShapeError,
    decode_json,
    parse,
    redact,
)
from orgtui.api.errors import (
    ApiError,
    MalformedResponseError,
    OfflineError,
    RequestTimeoutError,
)
from orgtui.api.models import DeletedObject
from orgtui.api.paging import iter_cursor_items
from orgtui.api.responses import (
    decode_body,
    error_from_response,
    not_sent_errors,
    outcome_unknown,
    retry_after,
    shape_problem,
)
from orgtui.api.throttle import BudgetState, Pacer, backoff_delay

if TYPE_CHECKING:
    import httpx

__all__ = ["ClientBase", "Params"]

log = logging.getLogger("orgtui.api")

M = TypeVar("M")
T = TypeVar("T")
Params = Sequence[tuple[str, str | int | float | bool | None]]  # httpx's primitive values

_RETRY_SAFE = frozenset({"GET", "DELETE"})


@dataclass
class _Failure:
    error: ApiError
    sent: bool  # the request may have reached the server


class ClientBase:
    """Shared engine; domain methods live in the `client_*` mixins."""

    def __init__(
        self,
        base_url: str,
        admin_key: str | Secret,
        *,
        transport: httpx.AsyncBaseTransport | Callable[[], httpx.AsyncBaseTransport] | None = None,
        timeout: float = 20.0,
        max_concurrency: int = 4,
        requests_per_minute: float | None = 60.0,
        max_retries: int = 4,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        burst: int = 4,
        max_retry_after: float = 120.0,
    ) -> None:
        key = admin_key if isinstance(admin_key, Secret) else Secret(str(admin_key))
        raw = key.reveal()
        if not raw:
            raise ValueError("admin key is empty")
        if any(ch.isspace() or not ch.isprintable() for ch in raw):
            raise ValueError("admin key contains whitespace or control characters")
        self._key = key
        self.base_url = str(base_url).rstrip("/")
        self._timeout = float(timeout)
        self._max_retries = max(0, int(max_retries))
        self._max_retry_after = float(max_retry_after)
        self._sleep = sleep
        self._clock = clock
        self._rand: Callable[[], float] = random.random
        self._sem = asyncio.Semaphore(max(1, int(max_concurrency)))
        self._pacer = Pacer(requests_per_minute, burst, clock=clock, sleep=sleep)
        self._requests = 0
        self._rate_limited = 0
        self._retries = 0
        self._in_flight = 0
        self._transport = transport
        self._http_client: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        # Built on the first request: httpx costs tens of milliseconds to import, and the console
        # paints from its cache before it sends anything.
        if self._http_client is None:
            import httpx

            transport = self._transport
            if callable(transport) and not isinstance(transport, httpx.AsyncBaseTransport):
                transport = transport()
            self._http_client = httpx.AsyncClient(
                base_url=self.base_url + "/",
                transport=transport,
                timeout=httpx.Timeout(self._timeout),
                follow_redirects=False,
                headers={"Accept": "application/json", "User-Agent": f"orgtui/{__version__}"},
            )
        return self._http_client

    # ------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> ClientBase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._http_client is not None:
            await self._http_client.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    __str__ = __repr__

    @property
    def budget(self) -> BudgetState:
        waiting, wait_seconds, remaining = self._pacer.snapshot()
        return BudgetState(
            requests_made=self._requests,
            rate_limited=self._rate_limited,
            retries=self._retries,
            in_flight=self._in_flight,
            waiting=waiting,
            wait_seconds=wait_seconds,
            remaining=remaining,
            requests_per_minute=self._pacer.requests_per_minute,
            burst=self._pacer.burst,
        )

    # ------------------------------------------------------------ helpers

    def _redact(self, text: str | None) -> str | None:
        if not text:
            return text
        return redact(text, self._key.reveal())

    @staticmethod
    def _url(template: str, path: Mapping[str, str] | None) -> str:
        values: dict[str, str] = {}
        for name, value in (path or {}).items():
            text = str(value)
            if not text:
                raise ValueError(f"empty {name}")
            values[name] = quote(text, safe="")
        return template.lstrip("/").format(**values)

    def _parse(self, model: type[M], data: Any, method: str, template: str) -> M:
        problem: str | None = None
        try:
            return parse(model, data)
        except ShapeError as exc:
            problem = shape_problem(getattr(model, "__name__", str(model)), exc)
        raise MalformedResponseError(self._redact(problem) or problem, method=method, path=template)

    # ------------------------------------------------------------ the engine

    async def _send_once(
        self, method: str, url: str, template: str, params: Params | None, body: Any
    ) -> httpx.Response | _Failure:
        headers = {"Authorization": f"Bearer {self._key.reveal()}"}
        content = None
        if body is not None:
            import json

            content = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        # Built outside the try: a bad argument is a programming error, not a network failure.
        import httpx

        request = self._http.build_request(
            method,
            url,
            params=tuple(params) if params is not None else None,
            content=content,
            headers=headers,
        )
        deadline = self._timeout + min(1.0, self._timeout * 0.5)  # ASGI transports ignore httpx's
        failure: _Failure | None = None
        started = time.perf_counter()
        async with self._sem:
            self._requests += 1
            self._in_flight += 1
            try:
                async with asyncio.timeout(deadline):
                    resp = await self._http.send(request)
            except not_sent_errors() as exc:
                failure = _Failure(OfflineError(f"cannot connect ({type(exc).__name__})"), False)
            except (httpx.TimeoutException, TimeoutError):
                failure = _Failure(
                    RequestTimeoutError(f"no response within {self._timeout:g}s"), True
                )
            except Exception as exc:  # noqa: BLE001 - any transport failure means a dropped connection
                failure = _Failure(OfflineError(f"connection dropped ({type(exc).__name__})"), True)
            finally:
                self._in_flight -= 1
        ms = (time.perf_counter() - started) * 1000
        if failure is not None:
            failure.error.method, failure.error.path = method, template
            log.info("%s %s -> %s after %.0fms", method, template, type(failure.error).__name__, ms)
            return failure
        log.debug("%s %s -> %s in %.0fms", method, template, resp.status_code, ms)
        return resp

    async def _request(
        self,
        method: str,
        template: str,
        *,
        path: Mapping[str, str] | None = None,
        params: Params | None = None,
        body: Any = None,
        create: bool = False,
        not_found_ok: bool = False,
        raw: bool = False,
    ) -> Any:
        """Send one logical request; returns decoded JSON (the body's bytes when `raw`), or
        None for an accepted 404."""
        key = f"{method} {template}"
        url = self._url(template, path)
        attempt = 0
        maybe_applied = False
        while True:
            await self._pacer.acquire(key)
            outcome = await self._send_once(method, url, template, params, body)
            retry_delay: float | None = None
            error: ApiError | None = None
            if isinstance(outcome, _Failure):
                error = outcome.error
                maybe_applied = maybe_applied or outcome.sent
                if outcome.sent and create:
                    raise outcome_unknown(error, method, template)
                if not outcome.sent or method in _RETRY_SAFE:
                    retry_delay = backoff_delay(attempt, rand=self._rand)
            elif outcome.is_success:
                if raw:
                    return outcome.content
                return decode_body(outcome, method, template, create=create)
            elif outcome.status_code == 429:
                self._rate_limited += 1
                error = error_from_response(outcome, method, template, self._redact)
                ra = getattr(error, "retry_after", None)
                if ra is None or ra <= self._max_retry_after:
                    retry_delay = ra if ra is not None else backoff_delay(attempt, rand=self._rand)
            elif outcome.status_code == 404 and (
                not_found_ok or (method == "DELETE" and maybe_applied)
            ):
                return None
            else:
                error = error_from_response(outcome, method, template, self._redact)
                if outcome.status_code >= 500:
                    maybe_applied = True
                    if create:
                        raise outcome_unknown(error, method, template)
                    if method in _RETRY_SAFE:
                        ra = retry_after(outcome)
                        if ra is None or ra > self._max_retry_after:
                            ra = backoff_delay(attempt, rand=self._rand)
                        retry_delay = ra
            if error is None:  # unreachable: every branch above returns or sets an error
                raise RuntimeError("request outcome not classified")
            if retry_delay is None or attempt >= self._max_retries:
                raise error
            attempt += 1
            self._retries += 1
            log.info(
                "%s %s: %s; retry %d in %.2fs", method, template, error.label, attempt, retry_delay
            )
            if not isinstance(outcome, _Failure) and outcome.status_code == 429:
                self._pacer.block(key, retry_delay)  # acquire() sleeps it, for every caller
            else:
                await self._sleep(retry_delay)

    async def _call(
        self,
        model: type[M],
        method: str,
        template: str,
        *,
        path: Mapping[str, str] | None = None,
        params: Params | None = None,
        body: Any = None,
        create: bool = False,
    ) -> M:
        data = await self._request(
            method, template, path=path, params=params, body=body, create=create
        )
        if not create:
            return self._parse(model, data, method, template)
        try:
            return self._parse(model, data, method, template)
        except MalformedResponseError as exc:
            error = outcome_unknown(exc, method, template)
        raise error

    async def _get_parsed(
        self, model: type[T], template: str, *, params: Params, what: str | None = None
    ) -> T:
        """A GET whose body is decoded straight from the bytes into `model`.

        For big pages of slim rows (costs): no dict per row is built on the way, and fields
        the rows do not declare are skipped while decoding.
        """
        content = await self._request("GET", template, params=params, raw=True)
        problem: str | None = None
        try:
            return decode_json(model, content or b"")
        except NotJsonError:
            problem = f"response is not valid JSON ({len(content or b'')} bytes)"
        except ShapeError as exc:
            problem = shape_problem(what or model.__name__, exc)
        raise MalformedResponseError(problem, method="GET", path=template)

    def _iter_list(
        self,
        model: type[M],
        template: str,
        *,
        path: Mapping[str, str] | None = None,
        params: Params = (),
        limit: int = 100,
    ) -> AsyncIterator[M]:
        page_model = ListPage[model]  # type: ignore[valid-type]

        async def fetch(after: str | None) -> ListPage[M]:
            query = [*params, ("limit", limit)]
            if after is not None:
                query.append(("after", after))
            return await self._call(page_model, "GET", template, path=path, params=query)

        return iter_cursor_items(fetch, path=template)

    async def _delete(
        self, template: str, path: Mapping[str, str], obj: str, *, with_id: bool = True
    ) -> DeletedObject:
        rid = list(path.values())[-1] if with_id and path else None
        gone = DeletedObject(object=obj, id=rid, deleted=True)
        try:
            data = await self._request("DELETE", template, path=path)
        except MalformedResponseError as exc:
            if exc.status is not None and 200 <= exc.status < 300:
                return gone  # the server said yes; only its answer's body was damaged
            raise
        if data is None:  # 404 after an attempt that may have deleted it: it is gone
            return gone
        try:
            return self._parse(DeletedObject, data, "DELETE", template)
        except MalformedResponseError:
            return gone  # a 2xx whose body has the wrong shape: the delete was still accepted
