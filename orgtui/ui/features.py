"""Every module that registers UI action handlers (`@ui_action`), imported once at start.

Feature helpers add one import line each here.
"""

from __future__ import annotations

import orgtui.core.services  # noqa: F401  (registers the core mutation handlers)
import orgtui.ui.audit_health_actions  # noqa: F401
import orgtui.ui.keys_actions  # noqa: F401
import orgtui.ui.members_actions  # noqa: F401
import orgtui.ui.screens.projects  # noqa: F401
import orgtui.ui.shell_actions  # noqa: F401
import orgtui.ui.spend_actions  # noqa: F401

# The live usage graph replaces the usage strip's placeholder in the running console.
orgtui.ui.spend_actions.install_usage_strip()
