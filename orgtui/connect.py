"""Turn command-line choices into a live connection: a profile and an AdminClient.

`--demo` builds the sandbox in-process (no port, no network, no key); otherwise the profile's
base URL and admin key are used. This is the only module outside the sandbox package that
imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgtui import paths
from orgtui.config import ConfigError, Profile, demo_profile, load_config, resolve_admin_key

if TYPE_CHECKING:
    from orgtui.api.client import AdminClient


@dataclass
class Connection:
    profile: Profile
    client: AdminClient
    sandbox: Any | None = None
    read_only: bool = False
    keymap: Mapping[str, str] = field(default_factory=dict)

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


def connection_for_app(
    app: Any,
    profile: Profile,
    *,
    read_only: bool = False,
    keymap: Mapping[str, str] | None = None,
    requests_per_minute: float | None = None,
) -> Connection:
    """A Connection to a sandbox app in-process, through httpx.ASGITransport."""
    import httpx

    from orgtui.api.client import AdminClient
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    client = AdminClient(
        profile.base_url,
        SANDBOX_ADMIN_KEY,
        transport=httpx.ASGITransport(app=app),
        timeout=profile.thresholds.timeout_seconds,
        requests_per_minute=requests_per_minute or profile.requests_per_minute,
    )
    return Connection(
        profile=profile,
        client=client,
        sandbox=app.state.sandbox,
        read_only=read_only or profile.read_only,
        keymap=dict(keymap or {}),
    )


def open_connection(
    profile_name: str | None = None,
    *,
    demo: bool = False,
    base_url: str | None = None,
    read_only: bool = False,
    clock: Callable[[], float] | None = None,
) -> Connection:
    """Resolve the profile (or the demo) and build the client. Raises ConfigError."""
    config = load_config()
    if demo:
        profile = demo_profile()
        if profile_name and profile_name in config.profiles:
            # Keep the user's display preferences, never their URL or key.
            chosen = config.profiles[profile_name]
            profile = profile.model_copy(update={"theme": chosen.theme, "read_only": chosen.read_only})
        # The sandbox does not throttle unless asked, so the demo need not pace itself.
        app = demo_sandbox_app(clock=clock)
        return connection_for_app(
            app, profile, read_only=read_only, keymap=config.keymap, requests_per_minute=6000
        )
    profile = config.profile(profile_name)
    if base_url:
        try:
            profile = Profile.model_validate({**profile.model_dump(), "base_url": base_url})
        except ValueError:
            raise ConfigError(f"--base-url {base_url!r}: expected an http(s) URL") from None
    key = resolve_admin_key(profile)
    from orgtui.api.client import AdminClient

    client = AdminClient(
        profile.base_url,
        key,
        timeout=profile.thresholds.timeout_seconds,
        requests_per_minute=profile.requests_per_minute,
    )
    return Connection(
        profile=profile,
        client=client,
        read_only=read_only or profile.read_only,
        keymap=config.keymap,
    )
