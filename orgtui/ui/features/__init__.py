"""Every module that registers UI action handlers (`@ui_action`), loaded once per process.

Feature helpers add one import line to `load()`. The console (never `ui.dispatch`, which the
handler modules import) calls it right after its first frame (the cached organisation is on
screen before these tens of milliseconds of imports), and anything that needs a handler earlier
(a key pressed at once, a test) calls it first: it is idempotent and cheap once done.
"""

from __future__ import annotations

from orgtui.ui import dispatch


def loaded() -> bool:
    return dispatch.handlers_loaded()


def load() -> None:
    """Import the feature modules (registering their handlers) and install the usage graph."""
    if dispatch.handlers_loaded():
        return
    import orgtui.core.services  # noqa: F401  (registers the core mutation handlers)
    import orgtui.ui.features.access.actions  # noqa: F401
    import orgtui.ui.features.access.member_actions  # noqa: F401
    import orgtui.ui.features.access.project_actions  # noqa: F401
    import orgtui.ui.features.access.role_actions  # noqa: F401
    import orgtui.ui.features.audit.actions  # noqa: F401
    import orgtui.ui.features.health.actions  # noqa: F401
    import orgtui.ui.features.incident.actions  # noqa: F401
    import orgtui.ui.features.keys.actions  # noqa: F401
    import orgtui.ui.features.members.actions  # noqa: F401
    import orgtui.ui.features.onboard.actions  # noqa: F401
    import orgtui.ui.features.projects.actions  # noqa: F401
    import orgtui.ui.features.projects.rate_limit_actions  # noqa: F401
    import orgtui.ui.features.security.actions  # noqa: F401
    import orgtui.ui.features.shell.actions  # noqa: F401
    import orgtui.ui.features.spend.actions

    # The live usage graph replaces the usage strip's placeholder in the running console.
    orgtui.ui.features.spend.actions.install_usage_strip()
    dispatch.mark_handlers_loaded()
