"""After `:` found the key a pasted (leaked) value belongs to: how to contain it, one key away.

A key with traffic is rotated (a new key first, so the service keeps working); a key with none
is deleted; an admin key is organisation-wide, so deleting it comes first. The actions are the
console's usual ones, with their usual confirmations and read-only gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from orgtui.ui.text import relative_time, safe_text
from orgtui.ui.widgets.confirm import ConfirmScreen

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp

# Traffic this recent means something depends on the key: rotate rather than delete.
IN_USE_SECONDS = 24 * 3600


def _key(app: OrgTuiApp, profile: str, kind: str, key_id: str, project_id: str | None) -> Any:
    snapshot = app.session_for(profile).snapshot
    if kind == "admin_key":
        return next((k for k in snapshot.admin_keys or () if k.id == key_id), None)
    view = snapshot.project(project_id) if project_id else None
    return next((k for k in (view.get("api_keys") if view else None) or () if k.id == key_id), None)


def containment(kind: str, key: Any, now: float) -> tuple[str, str, str]:
    """(advice, action id, button label) for a leaked key."""
    last = getattr(key, "last_used_at", None)
    used = f"last used {relative_time(last, now)}" if last else "never used"
    if kind == "admin_key":
        return (
            f"This is an ADMIN key ({used}): it can change the whole organisation. Delete it now"
            " and give the tools that need one a new admin key.",
            "admin_key.delete",
            "Delete admin key",
        )
    if last is not None and now - last < IN_USE_SECONDS:
        return (
            f"It is in use ({used}). Rotate it: a new key first, deploy it, then the old one is"
            " deleted, so the service keeps working.",
            "key.rotate",
            "Rotate",
        )
    return (f"It has no recent traffic ({used}). Delete it.", "key.delete", "Delete")


async def offer_containment(
    app: OrgTuiApp,
    profile: str,
    kind: str,
    key_id: str,
    project_id: str | None,
    pasted: str,
) -> None:
    key = _key(app, profile, kind, key_id, project_id)
    if key is None:
        return
    advice, action_id, label = containment(kind, key, app.clock.now())
    body = Text.assemble("Pasted key: ", (pasted, "bold"), "\nIt is ")
    account = getattr(getattr(key, "owner", None), "service_account", None)
    if account is not None:
        body.append("the key of service account ")
        body.append_text(safe_text(account.name or account.id, 60, style="bold"))
    else:
        body.append_text(safe_text(key.name or key.id, 60, style="bold"))
    body.append(f" ({key.id})")
    where = app.session_for(profile).snapshot.project(project_id) if project_id else None
    if where is not None:
        body.append(" in project ")
        body.append_text(safe_text(where.project.name or where.id, 60))
    body.append(f".\n\n{advice}")
    with app.acting_for(app.session_for(profile)):  # several orgs: the dialog names it
        contain = await app.push_screen_wait(ConfirmScreen("A leaked key", body, label))
    if contain:
        await app.run_registered(action_id, _context(app))


def _context(app: OrgTuiApp) -> Any:
    from orgtui.ui.dispatch import context_from_focus

    return context_from_focus(app)  # the key's row, which the jump focused
