"""Injected faults: latency, per-endpoint throttling, 5xx, hangs, bad bodies, dropped connections.

Only `/v1` requests are affected (the `/_sandbox` control routes must keep working so a test can
switch faults off again). Randomness comes from the sandbox's own `random.Random`, seeded, so a
test that sets `error_rate = 0.5` sees the same sequence every run.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import re
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orgtui.sandbox.errors import error_body


@dataclass
class FaultConfig:
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    rate_limit_rpm: int | None = None  # per endpoint (method + path template), sliding 60 s window
    error_rate: float = 0.0  # answer 500/502/503 in the error envelope
    hang_rate: float = 0.0  # sleep hang_seconds before answering, to trip client timeouts
    hang_seconds: float = 30.0
    malformed_rate: float = 0.0  # 200 with valid JSON of the wrong shape
    truncate_rate: float = 0.0  # the real body cut in half (invalid JSON)
    drop_rate: float = 0.0  # send the headers and part of the body, then drop the connection
    path_filter: str | None = None  # faults only where this substring is in the path

    def update(self, values: dict[str, Any]) -> None:
        """Set fields from a JSON object, validating names and types (ValueError on bad input)."""
        known = {f.name: f for f in fields(self)}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"unknown fault setting '{name}'")
            if name == "path_filter":
                if value is not None and not isinstance(value, str):
                    raise ValueError("path_filter must be a string or null")
            elif name == "rate_limit_rpm":
                if value is not None and (
                    isinstance(value, bool) or not isinstance(value, int) or value < 1
                ):
                    raise ValueError("rate_limit_rpm must be a positive integer or null")
            else:
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    raise ValueError(f"{name} must be a non-negative number")
                if name.endswith("_rate") and value > 1:
                    raise ValueError(f"{name} must be between 0 and 1")
        for name, value in values.items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def reset(self) -> None:
        for f in fields(self):
            setattr(self, f.name, f.default)


class ConnectionDropped(ConnectionResetError):
    """Raised mid-response so the server (or httpx.ASGITransport) drops the connection."""


_ID_SEGMENT = re.compile(
    r"^(proj_|user[-_]|key_|svc_acct_|invite-|rl-|audit_log-|alert_|cert_|role_|group_)"
)


def endpoint_key(method: str, path: str) -> str:
    """Method + path with object ids replaced, so throttling is per operation, not per object."""
    parts = ["{id}" if _ID_SEGMENT.match(p) else p for p in path.split("/")]
    return f"{method} {'/'.join(parts)}"


class Throttle:
    """Sliding-window request budget per endpoint, on the sandbox clock."""

    def __init__(self) -> None:
        self.windows: dict[str, deque[float]] = {}

    def check(self, key: str, rpm: int, now: float) -> int | None:
        """None if the request may proceed, else the Retry-After seconds."""
        window = self.windows.setdefault(key, deque())
        while window and window[0] <= now - 60.0:
            window.popleft()
        if len(window) >= rpm:
            return max(1, math.ceil(window[0] + 60.0 - now))
        window.append(now)
        return None

    def reset(self) -> None:
        self.windows.clear()


class FaultMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        config: FaultConfig,
        rng: random.Random,
        clock: Callable[[], float],
        throttle: Throttle,
    ) -> None:
        self.app = app
        self.config = config
        self.rng = rng
        self.clock = clock
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/v1"):
            await self.app(scope, receive, send)
            return
        cfg = self.config
        if cfg.path_filter and cfg.path_filter not in path:
            await self.app(scope, receive, send)
            return
        if cfg.latency_ms or cfg.jitter_ms:
            delay = cfg.latency_ms + self.rng.uniform(-cfg.jitter_ms, cfg.jitter_ms)
            await asyncio.sleep(max(0.0, delay) / 1000.0)
        if cfg.hang_rate and self.rng.random() < cfg.hang_rate:
            await asyncio.sleep(cfg.hang_seconds)
        if cfg.rate_limit_rpm:
            key = endpoint_key(scope["method"], path)
            wait = self.throttle.check(key, cfg.rate_limit_rpm, self.clock())
            if wait is not None:
                body = error_body(
                    f"Rate limit reached for {key} (sandbox budget {cfg.rate_limit_rpm} requests"
                    f" per minute). Please try again in {wait}s.",
                    "requests",
                    None,
                    "rate_limit_exceeded",
                )
                await _send_json(send, 429, body, {"retry-after": str(wait)})
                return
        if cfg.error_rate and self.rng.random() < cfg.error_rate:
            status = self.rng.choice((500, 502, 503))
            body = error_body(
                "The server had an error while processing your request. (sandbox fault)",
                "server_error",
            )
            await _send_json(send, status, body)
            return
        if cfg.malformed_rate and self.rng.random() < cfg.malformed_rate:
            await _send_json(send, 200, {"object": 42, "data": "sandbox fault: malformed body"})
            return
        truncate = bool(cfg.truncate_rate) and self.rng.random() < cfg.truncate_rate
        drop = bool(cfg.drop_rate) and self.rng.random() < cfg.drop_rate
        if not truncate and not drop:
            await self.app(scope, receive, send)
            return
        await self._mangled(scope, receive, send, drop=drop)

    async def _mangled(self, scope: Scope, receive: Receive, send: Send, *, drop: bool) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        cut = body[: max(1, len(body) // 2)] if len(body) > 1 else b"{"
        status = start["status"] if start else 200
        headers = [
            (k, v) for k, v in (start["headers"] if start else []) if k.lower() != b"content-length"
        ]
        if drop:
            # Announce the full length, send half, then fail: over a socket the client sees the
            # connection close mid-body; in-process, httpx.ASGITransport re-raises this error.
            headers.append((b"content-length", str(len(body) + 1).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": cut, "more_body": True})
            raise ConnectionDropped("sandbox fault: connection dropped mid-response")
        headers.append((b"content-length", str(len(cut)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": cut})


async def _send_json(
    send: Send, status: int, body: dict[str, Any], extra: dict[str, str] | None = None
) -> None:
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": raw})
