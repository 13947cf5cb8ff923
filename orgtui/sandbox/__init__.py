"""A local, faithful implementation of the OpenAI Admin API (ASGI + SQLite) for demos and tests.

Independent of `orgtui.api` and `orgtui.core` on purpose: client and sandbox check each other.
"""

from orgtui.sandbox.app import create_app
from orgtui.sandbox.control import SANDBOX_ADMIN_KEY, Sandbox
from orgtui.sandbox.faults import FaultConfig

__all__ = ["SANDBOX_ADMIN_KEY", "FaultConfig", "Sandbox", "create_app"]
