"""Key facts as text, and the confirmations built from them.

Here: the facts of a key (for delete confirmations and the rotation wizard), the delete
confirmations for keys, service accounts and admin keys, the wizard's step texts, the plain
words for a create whose response was lost (`reconciliation_text`), and what the copy-once
dialog says about a minted key (`minted_facts`).

Every confirmation shows what is about to go (age, last use, owner, project access, and the
rotation / revocation flags the Keys table shows) and asks for the name to be typed, with
Cancel focused (`ConfirmScreen`). A service account's key cannot be deleted on its own (the
API answers 400), so its confirmation explains that and offers to delete the account instead,
which takes every key of that account with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text

from orgtui.core.validation import KEY_NAME_MAX
from orgtui.ui.text import clock_time, days_between, relative_time, safe_str, safe_text, short_date
from orgtui.ui.widgets.confirm import ConfirmScreen

if TYPE_CHECKING:
    from orgtui.api.models import AdminApiKey, ProjectApiKey, ProjectServiceAccount

__all__ = [
    "Fact",
    "admin_key_facts",
    "delete_account_screen",
    "delete_admin_key_screen",
    "delete_key_screen",
    "facts_text",
    "key_facts",
    "overlap_text",
    "reconciliation_text",
    "rotation_plan_text",
    "typed_name",
]

Fact = tuple[str, Text]
FLAG = "! "
LABEL_WIDTH = 15


def _limits(thresholds: Any) -> Any:
    from orgtui.core.thresholds import thresholds_of

    return thresholds_of(thresholds)


def typed_name(name: str | None, fallback: str) -> str:
    """What the user types to confirm: the name, unless nobody could type it (then the id)."""
    if name and name.isprintable() and name.strip() == name and len(name) <= KEY_NAME_MAX:
        return name
    return fallback


def _age(created_at: int | None, now: float, limit_days: int, flag: str) -> Text:
    days = days_between(created_at, now)
    if days is None:
        return Text("unknown", style="dim")
    text = Text(f"{days} d (created {short_date(created_at)})")
    if days >= limit_days:
        text.append(f"  {FLAG}{flag}", style="bold yellow")
    return text


def _last_used(last_used: int | None, created_at: int | None, now: float, unused_days: int) -> Text:
    text = Text(relative_time(last_used, now))
    idle = days_between(last_used if last_used is not None else created_at, now)
    if idle is not None and idle >= unused_days:
        text.append(f"  {FLAG}unused {unused_days}+ d: revocation candidate", style="bold yellow")
    return text


def _owner(key: ProjectApiKey) -> Text:
    owner = key.owner
    if owner.service_account is not None:
        text = Text("service account ")
        text.append_text(safe_text(owner.service_account.name or owner.service_account.id, 40))
        return text
    if owner.user is not None:
        text = Text("user ")
        text.append_text(safe_text(owner.user.email or owner.user.name or owner.user.id, 50))
        return text
    return Text("unknown", style="dim")


def key_facts(key: ProjectApiKey, now: float, thresholds: Any = None) -> list[Fact]:
    """Age, last use, owner and project access of a project key, with its flags."""
    limits = _limits(thresholds)
    return [
        ("Key", safe_text(key.redacted_value, 40)),
        ("Owner", _owner(key)),
        ("Age", _age(key.created_at, now, limits.key_rotation_days, "rotate it")),
        ("Last used", _last_used(key.last_used_at, key.created_at, now, limits.key_unused_days)),
        ("Project access", Text(key.owner_project_access or "unknown")),
        *(
            [
                (
                    "Expires",
                    Text(f"{short_date(key.expires_at)} ({relative_time(key.expires_at, now)})"),
                )
            ]
            if key.expires_at is not None  # newer API versions only
            else []
        ),
    ]


def admin_key_facts(key: AdminApiKey, now: float, thresholds: Any = None) -> list[Fact]:
    limits = _limits(thresholds)
    if key.expires_at is None:
        expires = Text(f"{FLAG}never (valid until deleted)", style="bold yellow")
    else:
        expires = Text(f"{short_date(key.expires_at)} ({relative_time(key.expires_at, now)})")
    owner = key.owner
    return [
        ("Key", safe_text(key.redacted_value, 40)),
        ("Owner", safe_text(owner.name or owner.id or "unknown", 50)),
        ("Age", _age(key.created_at, now, limits.admin_key_max_age_days, "rotate it")),
        ("Last used", _last_used(key.last_used_at, key.created_at, now, limits.key_unused_days)),
        ("Expires", expires),
    ]


def facts_text(facts: Iterable[Fact], *, lead: str | Text | None = None) -> Text:
    """Aligned 'label  value' lines, after an optional paragraph."""
    text = Text()
    if lead:
        text.append_text(lead if isinstance(lead, Text) else Text(lead))
        text.append("\n\n")
    for index, (label, value) in enumerate(facts):
        if index:
            text.append("\n")
        text.append(f"{label:<{LABEL_WIDTH}}", style="bold")
        text.append_text(value)
    return text


def _name(text: str | None, fallback: str) -> Text:
    return safe_text(text or fallback, 50, style="bold")


def delete_key_screen(
    key: ProjectApiKey, project_name: str | None, now: float, thresholds: Any = None
) -> ConfirmScreen:
    """A user-owned project key: type its name to delete it."""
    lead = Text("Delete key ")
    lead.append_text(_name(key.name, key.id))
    lead.append(" from project ")
    lead.append_text(_name(project_name, "?"))
    lead.append("? Anything using it stops working at once. This cannot be undone.")
    return ConfirmScreen(
        "Delete API key",
        facts_text(key_facts(key, now, thresholds), lead=lead),
        "Delete key",
        typed=typed_name(key.name, key.id),
    )


def delete_account_screen(
    account: ProjectServiceAccount,
    project_name: str | None,
    keys: Sequence[ProjectApiKey],
    now: float,
    thresholds: Any = None,
    *,
    via_key: ProjectApiKey | None = None,
) -> ConfirmScreen:
    """Delete a service account (and all its keys). With `via_key`, explain why it is needed."""
    limits = _limits(thresholds)
    count = len(keys)
    plural = f"{count} key{'s' if count != 1 else ''}"
    lead = Text()
    if via_key is not None:
        lead.append("Key ")
        lead.append_text(_name(via_key.name, via_key.id))
        lead.append(" belongs to service account ")
        lead.append_text(_name(account.name, account.id))
        lead.append(
            ". The API cannot delete a service account's key on its own (it answers 400). "
            f"Delete the account instead? That deletes all its {plural}."
        )
        title = "Delete the service account instead?"
    else:
        lead.append("Delete service account ")
        lead.append_text(_name(account.name, account.id))
        lead.append(" from project ")
        lead.append_text(_name(project_name, "?"))
        lead.append(f"? Its {plural} stop working at once.")
        title = "Delete service account"
    facts: list[Fact] = [
        ("Role", Text(account.role)),
        ("Age", _age(account.created_at, now, 10**6, "")),
    ]
    if via_key is not None:
        facts.append(("This key", safe_text(via_key.redacted_value, 40)))
        facts.append(
            (
                "Last used",
                _last_used(via_key.last_used_at, via_key.created_at, now, limits.key_unused_days),
            )
        )
    elif keys:
        last = max((k.last_used_at for k in keys if k.last_used_at is not None), default=None)
        first = min(k.created_at for k in keys)
        facts.append(("Last used", _last_used(last, first, now, limits.key_unused_days)))
    names = ", ".join(k.name or k.id for k in keys)
    facts.append(("Keys deleted", safe_text(f"{count}: {names}" if keys else "none known", 120)))
    return ConfirmScreen(
        title,
        facts_text(facts, lead=lead),
        "Delete account",
        typed=typed_name(account.name, account.id),
    )


def delete_admin_key_screen(key: AdminApiKey, now: float, thresholds: Any = None) -> ConfirmScreen:
    lead = Text("Delete admin key ")
    lead.append_text(_name(key.name, key.id))
    lead.append(
        "? Tools using it lose access to the organisation at once. If this console runs on "
        "this key, its next request fails."
    )
    return ConfirmScreen(
        "Delete admin key",
        facts_text(admin_key_facts(key, now, thresholds), lead=lead),
        "Delete admin key",
        typed=typed_name(key.name, key.id),
    )


# ---------------------------------------------------------------------- reconciliation


def reconciliation_text(result: Any) -> tuple[str, str, str | None]:
    """(title, body, confirm label or None) for a create whose response was lost."""
    kind = getattr(result, "kind", "")
    name = safe_str(getattr(result, "name", ""), 60)
    found = getattr(result, "found", None)
    lead = "The request may not have completed. orgtui checked: "
    what = {
        "service_account": "the service account",
        "api_key": "a key named",
        "admin_key": "the admin key",
    }.get(kind, f"the {kind.replace('_', ' ')}")
    outcome = getattr(result, "outcome", "unknown")
    if outcome == "created_unconfirmed":
        when = getattr(found, "created_at", None)
        created = f" (created {clock_time(when)})" if when else ""
        if kind == "admin_key":
            body = (
                f"{lead}{what} {name} exists{created}, but its value was not received and "
                "cannot be recovered. Delete it and create another?"
            )
            return "Admin key created, value lost", body, "Delete it"
        if kind == "api_key":
            body = (
                f"{lead}{what} {name} exists{created}, but its value was not received and "
                "cannot be recovered. Mint another key for the account now?"
            )
        else:
            body = (
                f"{lead}{what} {name} exists{created}, but its key was not received. "
                "Mint a new key for it now?"
            )
        return "Created, but the key was not received", body, "Mint a new key"
    if outcome == "not_created":
        body = f"{lead}{what} {name} does not exist; nothing was created. Try again?"
        return "Nothing was created", body, "Try again"
    # The advice closes the body whatever the length of the error texts before it.
    advice = "Refresh and look before trying again."
    message = str(getattr(result, "message", "")).removesuffix(advice).rstrip(" .")
    detail = safe_str(message, 300)
    return "Outcome unknown", f"The request may not have completed. {detail}. {advice}", None


# ---------------------------------------------------------------------- rotation texts


def rotation_plan_text(key: Any, rotation: Any, now: float, thresholds: Any = None) -> Text:
    """Step 1 of the wizard: what will happen, and the old key's facts."""
    owner = getattr(getattr(key, "owner", None), "service_account", None)
    account = owner.name if owner else (rotation.old_service_account_name if rotation else None)
    if account or (rotation is not None and rotation.kind == "service_account"):
        lead = Text("orgtui creates a new service account ")
        lead.append_text(safe_text(account or "?", 40, style="bold"))
        lead.append(
            " (same name and role) with a new key, shown once. Deploy it; both keys work "
            "during the overlap. Then delete the old account, which deletes its keys."
        )
    else:
        lead = Text(
            "The API cannot mint user keys, so the replacement is a new service account in "
            "this project, with its own key, shown once. Deploy it; both keys work during "
            "the overlap. Then delete the old user key."
        )
    facts = key_facts(key, now, thresholds) if key is not None else []
    return facts_text(facts, lead=lead)


def _count(value: int | None) -> str:
    return "unknown" if value is None else f"{value:,}"


def overlap_text(rotation: Any, status: Any, now: float) -> Text:
    """Step 2: both keys work; the old key's last use and its traffic since the new key."""
    new = safe_text(rotation.new_name, 30)
    new.append(f" ({rotation.new_key_id or 'no key yet'})")
    facts: list[Fact] = [("New key", new)]
    if status is None:
        facts.append(("Old key", Text("checking…", style="italic")))
        return facts_text(facts, lead="Both keys work. Deploy the new key, then retire the old.")
    if not status.old_key_exists:
        facts.append(("Old key", Text("already deleted")))
    else:
        facts.append(("Old last used", Text(relative_time(status.old_key_last_used_at, now))))
        since = Text(status.old_since_mint_text + " requests")
        if status.old_requests_recent:
            since.append(f" ({status.old_requests_recent:,} in the last hour)", style="bold")
        if status.usage_error:
            since = Text(f"unknown ({safe_str(status.usage_error, 60)})", style="dim")
        facts.append(("Old since mint", since))
        for key, use in status.siblings:
            other = safe_text(key.name or key.id, 24, style="bold")
            other.append(f" last used {relative_time(key.last_used_at, now)}")
            if use is not None:
                other.append(f", {use.text()} since mint")
            if key.id in rotation.replaced_old_key_ids:
                other.append(" (replaced)", style="green")
            facts.append(("Also old", other))
    facts.append(("New last used", Text(relative_time(status.new_key_last_used_at, now))))
    facts.append(("Checked", Text(relative_time(status.checked_at, now), style="dim")))
    lead = Text("Both keys work. Deploy the new key and watch traffic leave the old one.\n")
    if status.safe_to_finish:
        lead.append("Ready: the old key is quiet. Delete it with f.", style="bold green")
    else:
        lead.append(f"Not ready: {safe_str(status.blocker, 120)}.", style="bold yellow")
    return facts_text(facts, lead=lead)
