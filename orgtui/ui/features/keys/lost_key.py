"""A key that was created but never received: it is live and nobody holds it.

When the connection drops after a create, the console reads back (never resends). If a
service account turns up whose key (or a key minted for an existing account) was never
received, that key works for whoever might have it, and the API revokes a service-account key
only by deleting the account. So the console names it and asks: delete the account now, or
keep it knowingly (a warning says what stays live). It is never left silently.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text

from orgtui.ui.text import clock_time, safe_str, safe_text

LOST_KINDS = ("service_account", "api_key")


def is_lost_key(result: Any) -> bool:
    """A create that made a key nobody received (a rotation's own journal handles its case)."""
    return (
        getattr(result, "outcome", "") == "created_unconfirmed"
        and getattr(result, "kind", "") in LOST_KINDS
        and not getattr(result, "rotation_id", None)
    )


def _account(result: Any) -> tuple[str | None, str]:
    """(service account id, its name) of a reconciliation with a lost key."""
    found = getattr(result, "found", None)
    if result.kind == "service_account":
        return getattr(found, "id", None) or result.found_id, getattr(found, "name", result.name)
    owner = getattr(getattr(found, "owner", None), "service_account", None)
    return getattr(owner, "id", None), getattr(owner, "name", "") or "?"


def lost_key_text(result: Any) -> tuple[str, Text]:
    """(title, body) naming the account and the key nobody received."""
    found = getattr(result, "found", None)
    when = getattr(found, "created_at", None)
    created = f" (created {clock_time(when)})" if when else ""
    _, account = _account(result)
    body = Text("The request may not have completed. orgtui checked: ")
    if result.kind == "service_account":
        body.append("the service account ")
        body.append_text(safe_text(account, 60, style="bold"))
        body.append(f" exists{created}, but its key was never received.")
    else:
        body.append("a key named ")
        body.append_text(safe_text(result.name, 60, style="bold"))
        redacted = getattr(found, "redacted_value", None)
        if redacted:
            body.append(f" ({safe_str(redacted, 30)})")
        body.append(f" exists{created} on the service account ")
        body.append_text(safe_text(account, 60, style="bold"))
        body.append(", but its value was never received.")
    body.append(
        "\n\nThat key is live and nobody here holds it. The API revokes a service account's "
        "key only by deleting the account"
        + (" (its other keys go with it)" if result.kind == "api_key" else "")
        + ". Delete the account now, or keep it knowing the key stays live?"
    )
    return "A key was created but never received", body


async def resolve_lost_key(
    app: Any, result: Any, project_id: str | None, invoke: Callable[..., Awaitable[Any]]
) -> bool:
    """Ask; delete the account or keep it (said in a warning). True: the account was deleted."""
    from orgtui.ui.widgets.confirm import ConfirmScreen

    title, body = lost_key_text(result)
    sid, account = _account(result)
    screen = ConfirmScreen(title, body, "Delete the account", cancel_label="Keep it")
    if not await app.push_screen_wait(screen) or sid is None or project_id is None:
        app.notify(
            f"Kept: service account {safe_str(account, 60)} holds a key nobody received; it "
            "stays live until you delete the account.",
            title="Key never received",
            severity="warning",
            timeout=30,
        )
        return False
    done = await invoke("service_account.delete", project_id=project_id, service_account_id=sid)
    app.notify(safe_str(getattr(done, "message", "Deleted"), 200), title="Key never received")
    return True
