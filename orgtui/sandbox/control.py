"""`Sandbox`: the in-process control object (`app.state.sandbox`) and authentication."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from orgtui.sandbox.audit import Actor
from orgtui.sandbox.errors import ApiProblem
from orgtui.sandbox.faults import FaultConfig, Throttle
from orgtui.sandbox.store import Store, hash_secret, redact

SANDBOX_ADMIN_KEY = "sk-admin-sandbox-FAKE-KEY-not-real-0000"
ADMIN_KEY_NAME = "orgtui sandbox console"
LAST_USED_GRANULARITY_S = 60


class Sandbox:
    """Everything a test (or a control route) may want to poke.

    Attributes: ``store`` (Store), ``traffic`` (the usage engine), ``faults`` (FaultConfig),
    ``clock`` (callable returning unix seconds), ``admin_key_id`` (id of the accepted key),
    ``fault_rng`` (random.Random used by faults), ``throttle`` (per-endpoint budget state).
    """

    def __init__(
        self, store: Store, *, admin_key: str, seed: int, clock: Callable[[], float]
    ) -> None:
        self.store = store
        self.seed = seed
        self.clock: Callable[[], float] = clock
        self.faults = FaultConfig()
        self.fault_rng = random.Random(f"faults:{seed}")
        self.throttle = Throttle()
        self.traffic: Any = None
        self.admin_key = admin_key
        self.admin_key_id = self.ensure_admin_key(admin_key)

    # -- clock ----------------------------------------------------------------------------------

    def now_float(self) -> float:
        """Always the current clock, even after `set_clock`: handed to store and traffic."""
        return self.clock()

    def now(self) -> int:
        return int(self.clock())

    def set_clock(self, fn: Callable[[], float] | None) -> None:
        self.clock = fn or time.time

    def freeze_clock(self, t: float) -> None:
        self.clock = lambda: t

    # -- traffic ----------------------------------------------------------------------------------

    def set_incident(
        self, api_key_id: str | None, factor: float = 25.0, *, since: float | None = None
    ) -> None:
        """Spike one key's traffic from now (or from `since`) on (None ends the incident)."""
        self.traffic.set_incident(api_key_id, factor, since=since)

    def month_to_date_cost_usd(self, project_id: str | None) -> float:
        if self.traffic is None:
            return 0.0
        return float(self.traffic.month_to_date_cost_usd(project_id))

    # -- admin keys and auth --------------------------------------------------------------------

    def ensure_admin_key(self, value: str) -> str:
        """The key this server accepts is a row of admin_api_keys, so it lists, and deleting it
        through the API (or `revoke_admin_key`) makes later requests 401."""
        digest = hash_secret(value)
        row = self.store.one(
            "SELECT id FROM admin_keys WHERE value_hash = ? AND deleted_at IS NULL", (digest,)
        )
        if row is not None:
            return str(row["id"])
        owner = self.store.one(
            "SELECT id FROM users WHERE role = 'owner' AND deleted_at IS NULL ORDER BY seq LIMIT 1"
        )
        if owner is None:
            raise RuntimeError("the sandbox organisation has no owner to own the admin key")
        kid = self.store.new_id("key_", 16)
        self.store.execute(
            "INSERT INTO admin_keys (id, name, redacted_value, value_hash, created_at,"
            " owner_user_id) VALUES (?, ?, ?, ?, ?, ?)",
            (kid, ADMIN_KEY_NAME, redact(value), digest, self.store.now(), owner["id"]),
        )
        return kid

    def revoke_admin_key(self, key_id: str | None = None) -> None:
        """Delete an admin key (default: the one this server was started with) without an API
        call, as if someone revoked it in the dashboard while the console is open."""
        self.store.execute(
            "UPDATE admin_keys SET deleted_at = ? WHERE id = ?",
            (self.store.now(), key_id or self.admin_key_id),
        )

    def authenticate(self, authorization: str | None) -> Actor:
        if not authorization:
            raise ApiProblem(
                401,
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                code="missing_api_key",
            )
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiProblem(
                401,
                "Malformed Authorization header: expected 'Bearer <key>'.",
                code="invalid_api_key",
            )
        digest = hash_secret(token)
        now = self.store.now()
        row = self.store.one(
            "SELECT a.id, a.expires_at, a.last_used_at, a.owner_user_id, u.email, u.name"
            " FROM admin_keys a LEFT JOIN users u ON u.id = a.owner_user_id"
            " WHERE a.value_hash = ? AND a.deleted_at IS NULL",
            (digest,),
        )
        if row is None:
            if self.store.scalar(
                "SELECT 1 FROM api_keys WHERE value_hash = ? AND deleted_at IS NULL", (digest,)
            ):
                raise ApiProblem(
                    403,
                    "You have insufficient permissions for this operation: the Admin API needs "
                    "an admin key (sk-admin-...), not a project key.",
                    code="insufficient_permissions",
                )
            raise ApiProblem(
                401, f"Incorrect API key provided: {redact(token)}.", code="invalid_api_key"
            )
        if row["expires_at"] is not None and row["expires_at"] <= now:
            raise ApiProblem(401, "The admin API key has expired.", code="expired_api_key")
        last = row["last_used_at"]
        if last is None or abs(now - last) >= LAST_USED_GRANULARITY_S:
            self.store.execute(
                "UPDATE admin_keys SET last_used_at = ? WHERE id = ?", (now, row["id"])
            )
        return Actor(row["id"], row["owner_user_id"], row["email"], row["name"])

    def check_auth(self, request: Request) -> Actor:
        """The actor of an authenticated request (the auth middleware already ran for /v1 and
        /_sandbox); raises ApiProblem(401/403) otherwise."""
        actor = request.scope.get("state", {}).get("actor")
        if isinstance(actor, Actor):
            return actor
        return self.authenticate(request.headers.get("authorization"))

    # -- introspection --------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {
            "object": "sandbox.state",
            "org_name": self.store.org_name(),
            "admin_key_id": self.admin_key_id,
            "seed": self.store.seed,
            "now": self.now(),
            "db_path": self.store.path,
            "counts": self.store.counts(),
            "faults": self.faults.as_dict(),
        }
