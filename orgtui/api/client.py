"""`AdminClient`: one async method per Admin API operation the console uses.

The engine (pacing, retries, error mapping) is in `transport.py`; the methods are split by
domain into `client_projects.py`, `client_org.py`, `client_rbac.py` and `client_security.py`. The same client talks to the real API,
to the sandbox in-process (`transport=httpx.ASGITransport(app=...)`) and to the sandbox over a
socket: nothing here assumes one or the other.
"""

from __future__ import annotations

from orgtui.api.client_org import USAGE_KINDS, OrgMixin
from orgtui.api.client_projects import ProjectsMixin
from orgtui.api.client_rbac import RbacMixin
from orgtui.api.client_security import SecurityMixin
from orgtui.api.throttle import BudgetState

__all__ = ["USAGE_KINDS", "AdminClient", "BudgetState"]


class AdminClient(ProjectsMixin, OrgMixin, RbacMixin, SecurityMixin):
    """Async Admin API client.

    `AdminClient(base_url, admin_key, *, transport=None, timeout=20.0, max_concurrency=4,
    requests_per_minute=60.0, max_retries=4, sleep=asyncio.sleep, clock=time.monotonic,
    burst=4, max_retry_after=120.0)`; use as `async with AdminClient(...) as client:`.
    `requests_per_minute` is per endpoint (method + path template); None disables pacing.
    """

    async def __aenter__(self) -> AdminClient:
        return self
