"""What the rotation wizard says about the old account's other keys, and what finishing deletes.

Finishing a service-account rotation deletes the old account and every key it holds, so the
wizard names each of them (name, redacted value, last use, requests in the last hour) before
anything is minted, and again in the confirmation, where a key used in the last 15 minutes is
called out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from orgtui.ui.text import relative_time, safe_str, safe_text

__all__ = [
    "STEPS",
    "closing_text",
    "finish_body",
    "siblings_text",
    "steps_text",
    "wizard_title",
]

STEPS = ("Mint replacement", "Overlap", "Retire old key")

RECENT = 15 * 60


def _key_line(key: Any, now: float, extra: str = "") -> Text:
    line = Text("  • ")
    line.append_text(safe_text(key.name or key.id, 30, style="bold"))
    line.append(f"  {safe_str(key.redacted_value or key.id, 24)}", style="dim")
    line.append(f"  last used {relative_time(key.last_used_at, now)}")
    hour = getattr(key, "requests_last_hour", None)
    if hour is not None:
        line.append(f", {hour:,} requests in the last hour")
    if extra:
        line.append(extra)
    return line


def siblings_text(account: str | None, siblings: Sequence[Any] | None, now: float) -> Text:
    """Step 1, before minting: the account's other keys, which finishing would delete too."""
    if siblings is None:
        return Text("Checking the account's other keys…", style="italic")
    if not siblings:
        return Text("The account holds no other key.", style="dim")
    count = len(siblings)
    text = Text()
    text.append(f"The account {safe_str(account or '?', 40)} holds {count} other key", "bold")
    text.append("s" if count != 1 else "", "bold")
    text.append(". Finishing deletes the account with all its keys, so they are rotated together:")
    for key in siblings:
        text.append("\n")
        text.append_text(_key_line(key, now))
    text.append(
        f"\nRotate all {count + 1} together: one replacement key per old key on the new "
        "account, each shown once in turn. Or close to cancel (nothing is created).",
        style="yellow",
    )
    return text


def finish_body(rotation: Any, status: Any, key: Any, now: float) -> tuple[Text, str]:
    """The confirmation of finishing: what is deleted, named; and what must be typed."""
    blocker = status.blocker if status is not None else "its use was not checked"
    text = Text()
    if blocker:
        text.append(f"Not ready: {safe_str(blocker, 120)}.\n", style="bold yellow")
    if rotation.kind == "service_account" and rotation.old_service_account_id:
        typed = str(rotation.old_service_account_id)
        text.append("Delete the OLD service account ")
        text.append_text(safe_text(rotation.old_service_account_name or "?", 40, style="bold"))
        text.append(f" ({typed}), not the replacement {rotation.new_service_account_id or ''}")
        text.append(", and with it these keys:")
        old = [(key, status.old_key_last_used_at if status is not None else None)]
        old += [(k, k.last_used_at) for k, _ in (status.siblings if status is not None else ())]
        for item, last in old:
            name = getattr(item, "name", None) or rotation.old_key_name
            recent = last is not None and last >= now - RECENT
            text.append("\n  • ")
            text.append_text(safe_text(name or rotation.old_key_id, 30, style="bold"))
            redacted = getattr(item, "redacted_value", None)
            if redacted:
                text.append(f"  {safe_str(redacted, 24)}", style="dim")
            text.append(f"  last used {relative_time(last, now)}")
            if recent:
                text.append("  IN USE IN THE LAST 15 MIN", style="bold red")
        missing = len(rotation.other_old_key_ids) - len(status.siblings if status else ())
        if missing > 0:
            text.append(f"\n  • and {missing} key(s) that could not be read", style="bold red")
    else:
        typed = str(rotation.old_key_name or rotation.old_key_id)
        text.append("Delete the old key ")
        text.append_text(safe_text(typed, 40, style="bold"))
        text.append(".")
    text.append("\nAnything still using them stops working at once.")
    return text, typed


def wizard_title(old_key: str, project: str | None) -> Text:
    title = Text("Rotate key ")
    title.append_text(safe_text(old_key, 40))
    title.append(" in ")
    title.append_text(safe_text(project or "?", 30))
    return title


def steps_text(step: int, *, abandoned: bool) -> Text:
    """The wizard's step line: done ✓, current ▸, to come ·, an abandoned retire ✗."""
    steps = Text()
    for index, label in enumerate(STEPS):
        mark, style = ("✓ ", "green") if index < step else ("▸ ", "bold")
        if index > step:
            mark, style = ("· ", "dim")
        if index == 2 and abandoned:
            mark, style = ("✗ ", "dim")
        steps.append(f"{mark}{index + 1} {label}", style=style)
        if index < len(STEPS) - 1:
            steps.append("   ")
    return steps


def closing_text(rotation: Any) -> str:
    if rotation is not None and rotation.step == "abandoned":
        return "This rotation was abandoned. " + safe_str(rotation.note, 200)
    return "This rotation is finished."
