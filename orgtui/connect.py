"""Turn command-line choices into a live connection: a profile and an AdminClient.

`--demo` builds the sandbox in-process (no port, no network, no key); otherwise the profile's
base URL and admin key are used. This is the only module outside the sandbox package that
imports it.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgtui import paths
from orgtui.api.errors import ApiError
from orgtui.config import (
    HTTP_URL,
    Config,
    ConfigError,
    Profile,
    apply_env_overrides,
    demo_profile,
    load_config,
    resolve_admin_key,
)

if TYPE_CHECKING:
    from orgtui.api.client import AdminClient

# The sandbox's documented fixed key (orgtui.sandbox.SANDBOX_ADMIN_KEY), spelt here so a lazy
# demo connection need not import the sandbox package; the demo app is built with this key.
DEMO_ADMIN_KEY = "sk-admin-sandbox-FAKE-KEY-not-real-0000"


@dataclass
class Connection:
    profile: Profile
    client: AdminClient
    sandbox: Any | None = None
    read_only: bool = False
    keymap: Mapping[str, str] = field(default_factory=dict)
    # Why this org cannot be reached at all (e.g. its admin key is missing), else None. Its
    # client then sends nothing: every call fails at once with `UnavailableError(problem)`.
    problem: str | None = None

    @property
    def org_name(self) -> str:
        return self.profile.org_name or self.profile.name

    async def aclose(self) -> None:
        await self.client.aclose()


def demo_sandbox_app(clock: Callable[[], float] | None = None, **options: Any) -> Any:
    """The demo organisation, persisted in the data dir so changes survive a restart."""
    from orgtui.sandbox import create_app

    data = paths.ensure_private_dir(paths.sandbox_data_dir())
    return create_app(data / "demo.sqlite3", clock=clock, **options)


class LazySandboxApp:
    """An ASGI app that builds the demo sandbox on its first request, not before the first paint.

    Building the demo organisation costs a few hundred milliseconds (imports, seeding SQLite);
    the console paints from its cache first, so that cost moves after the first frame. The build
    runs in a thread (the event loop keeps drawing) under a thread lock (the client may send
    several requests at once, possibly from different event loops: the console, `asyncio.run`).
    """

    def __init__(
        self, build: Callable[[], Any], on_built: Callable[[Any], None] | None = None
    ) -> None:
        self._build = build
        self._on_built = on_built
        self._app: Any | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> Any | None:
        """The sandbox's Starlette app once a request has needed it, else None."""
        return self._app

    def build_now(self) -> Any:
        with self._lock:
            if self._app is None:
                app = self._build()
                if self._on_built is not None:
                    self._on_built(app)
                self._app = app
        return self._app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        app: Any = self._app
        if app is None:
            app = await asyncio.to_thread(self.build_now)
        await app(scope, receive, send)


def _asgi_transport(app: Any) -> Any:
    import httpx

    return httpx.ASGITransport(app=app)


def connection_for_app(
    app: Any,
    profile: Profile,
    *,
    read_only: bool = False,
    keymap: Mapping[str, str] | None = None,
    requests_per_minute: float | None = None,
) -> Connection:
    """A Connection to a sandbox app in-process, through httpx.ASGITransport.

    `app` may be a `LazySandboxApp`: then `Connection.sandbox` stays None until it is built.
    """
    from orgtui.api.lazy_client import LazyClient

    lazy = isinstance(app, LazySandboxApp)
    if lazy:
        admin_key = DEMO_ADMIN_KEY
    else:
        from orgtui.sandbox import SANDBOX_ADMIN_KEY as admin_key

    def build() -> AdminClient:
        from orgtui.api.client import AdminClient

        return AdminClient(
            profile.base_url,
            admin_key,
            transport=lambda: _asgi_transport(app),
            timeout=profile.thresholds.timeout_seconds,
            requests_per_minute=requests_per_minute or profile.requests_per_minute,
        )

    # Built on first use, after the first frame (the client's modules import pydantic).
    client: Any = LazyClient(build)
    connection = Connection(
        profile=profile,
        client=client,
        sandbox=None if lazy else app.state.sandbox,
        read_only=read_only or profile.read_only,
        keymap=dict(keymap or {}),
    )
    if lazy:
        app._on_built = lambda built: setattr(connection, "sandbox", built.state.sandbox)
    return connection


def open_connection(
    profile_name: str | None = None,
    *,
    demo: bool = False,
    base_url: str | None = None,
    read_only: bool = False,
    clock: Callable[[], float] | None = None,
    tolerate_missing_key: bool = False,
    config: Config | None = None,
) -> Connection:
    """Resolve the profile (or the demo) and build the client. Raises ConfigError.

    With `tolerate_missing_key` (several orgs open together), a profile whose admin key cannot
    be had is not an error: its Connection carries the reason in `problem` (see `unavailable`).
    """
    config = config or load_config()
    if demo:
        profile = demo_profile()
        if profile_name and profile_name in config.profiles:
            # Keep the user's display preferences, never their URL or key.
            chosen = config.profiles[profile_name]
            profile = profile.replace(theme=chosen.theme, read_only=chosen.read_only)
        profile = apply_env_overrides(profile)  # ORGTUI_READ_ONLY / ORGTUI_THEME, as anywhere
        # The sandbox does not throttle unless asked, so the demo need not pace itself.
        app = LazySandboxApp(lambda: demo_sandbox_app(clock=clock, admin_key=DEMO_ADMIN_KEY))
        return connection_for_app(
            app, profile, read_only=read_only, keymap=config.keymap, requests_per_minute=6000
        )
    profile = config.profile(profile_name)
    if base_url:
        if not re.match(HTTP_URL, base_url):
            raise ConfigError(f"--base-url {base_url!r}: expected an http(s) URL")
        profile = profile.replace(base_url=base_url.rstrip("/"))
    try:
        key = resolve_admin_key(profile)
    except ConfigError as exc:
        if not tolerate_missing_key:
            raise
        return unavailable(profile, key_problem(profile, exc), read_only, config.keymap)
    from orgtui.logs import add_secret

    add_secret(key.reveal())  # redacted from every log line from here on
    from orgtui.api.lazy_client import LazyClient

    def build() -> AdminClient:
        from orgtui.api.client import AdminClient

        return AdminClient(
            profile.base_url,
            key,
            timeout=profile.thresholds.timeout_seconds,
            requests_per_minute=profile.requests_per_minute,
        )

    # Built on first use, after the first frame (the client's modules import pydantic).
    client: Any = LazyClient(build)
    return Connection(
        profile=profile,
        client=client,
        read_only=read_only or profile.read_only,
        keymap=config.keymap,
    )


def open_connections(
    names: Sequence[str | None],
    *,
    base_url: str | None = None,
    read_only: bool = False,
    config: Config | None = None,
) -> list[Connection]:
    """One connection per profile name. With several, a profile without an admin key is a
    Connection with a `problem`, never an error that hides the others. Raises ConfigError
    (an unknown profile, a bad config file)."""
    several = len(names) > 1
    config = config or load_config()  # read once, not once per organisation
    return [
        open_connection(
            name,
            base_url=base_url,
            read_only=read_only,
            tolerate_missing_key=several,
            config=config,
        )
        for name in names
    ]


def console_profiles(requested: Sequence[str], config: Config) -> list[str | None]:
    """The profiles the console opens: those given with --profile, else the config's
    `open_profiles`, else the default profile alone (None)."""
    if requested:
        return list(dict.fromkeys(requested))
    return list(config.open_profiles) or [None]


def key_problem(profile: Profile, exc: ConfigError) -> str:
    """A short reason for an org's tree root: why its admin key could not be had."""
    if profile.admin_key_command is None and not os.environ.get(profile.admin_key_env, "").strip():
        return f"no admin key: {profile.admin_key_env} is not set"
    reason = str(exc).removeprefix(f"profile '{profile.name}': ")
    return f"no admin key: {reason.split('; ', 1)[0]}"


class UnavailableError(ApiError):
    """The org cannot be reached at all (no admin key): nothing was sent."""

    label = "Unavailable"


def unavailable(
    profile: Profile, problem: str, read_only: bool, keymap: Mapping[str, str]
) -> Connection:
    """A Connection whose client never sends a request: each call raises UnavailableError."""
    from orgtui.api.lazy_client import LazyClient

    def build() -> AdminClient:
        from orgtui.api.client import AdminClient

        class _Unavailable(AdminClient):
            async def _request(self, method: str, template: str, **_: Any) -> Any:
                raise UnavailableError(problem, method=method, path=template)

        # A placeholder key that never leaves this process (no request is ever sent).
        return _Unavailable(profile.base_url, "unavailable-no-key", requests_per_minute=None)

    client: Any = LazyClient(build)
    return Connection(
        profile=profile,
        client=client,
        read_only=read_only or profile.read_only,
        keymap=dict(keymap),
        problem=problem,
    )
