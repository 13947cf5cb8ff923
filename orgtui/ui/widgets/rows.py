"""Column sets and row builders for every resource list (pure functions of models and 'now').

Names come first; a higher `priority` number means the column is dropped earlier when the
table is narrow, so at 80 columns the essentials (name, last used, age, role) stay. Every
string from the API goes through `safe_text`. Flags carry a symbol as well as a colour, so
they survive `NO_COLOR`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.text import Text

from orgtui.core.figures import rotation_due, unused_too_long
from orgtui.ui.text import days_between, relative_time, safe_text, short_date
from orgtui.ui.widgets.vtable import Column, Row

if TYPE_CHECKING:
    from orgtui.api.models import (
        AdminApiKey,
        ApiKeyOwner,
        Invite,
        Project,
        ProjectApiKey,
        ProjectRateLimit,
        ProjectServiceAccount,
        ProjectUser,
        SpendAlert,
        User,
    )
    from orgtui.config import Thresholds

WARN = "warn"  # a semantic style: VirtualTable maps it to the theme's warning colour
FLAG = "! "
NAME_WIDTH = 16

# Keys: the redacted value and the id tell apart keys with the same name ("Secret Key" is what
# the API names every service-account key), so they outlast the owner when the table narrows.
KEY_COLUMNS = (
    Column("name", "Name", NAME_WIDTH, flex=True),
    Column("value", "Key", 17),
    Column("id", "ID", 20, priority=2),
    Column("owner", "Owner", 16, priority=3),
    Column("created", "Created", 10, priority=4),
    Column("last_used", "Last used", 12),
    Column("access", "Access", 8, priority=5),
    Column("age", "Age", 7, justify="right"),
)
SERVICE_ACCOUNT_COLUMNS = (
    Column("name", "Name", NAME_WIDTH, flex=True),
    Column("role", "Role", 8),
    Column("created", "Created", 10, priority=1),
    Column("id", "ID", 24, priority=3),
)
PROJECT_MEMBER_COLUMNS = (
    Column("name", "Name", NAME_WIDTH, flex=True),
    Column("email", "Email", 24, priority=1),
    Column("role", "Role", 8),
    Column("added", "Added", 10, priority=2),
)
ORG_MEMBER_COLUMNS = PROJECT_MEMBER_COLUMNS
INVITE_COLUMNS = (
    Column("email", "Email", 20, flex=True),
    Column("role", "Role", 7),
    Column("status", "Status", 9),
    Column("expires", "Expires", 12, priority=1),
    Column("created", "Sent", 10, priority=2),
)
ADMIN_KEY_COLUMNS = (
    Column("name", "Name", NAME_WIDTH, flex=True),
    Column("value", "Key", 17, priority=3),
    Column("owner", "Owner", 14, priority=2),
    Column("created", "Created", 10, priority=4),
    Column("last_used", "Last used", 11, priority=1),
    Column("expires", "Expires", 12),
)
RATE_LIMIT_COLUMNS = (
    Column("model", "Model", 16, flex=True),
    Column("rpm", "Req/min", 9, justify="right"),
    Column("tpm", "Tokens/min", 11, justify="right"),
    Column("rpd", "Req/day", 9, justify="right", priority=1),
    Column("images", "Img/min", 8, justify="right", priority=2),
    Column("audio", "Audio MB/min", 12, justify="right", priority=3),
    Column("batch", "Batch tok/day", 13, justify="right", priority=4),
)
ALERT_COLUMNS = (
    Column("threshold", "Alert at", 12, justify="right"),
    Column("recipients", "Recipients", 20, flex=True),
    Column("interval", "Interval", 8, priority=1),
)
PROJECT_COLUMNS = (
    Column("name", "Name", NAME_WIDTH, flex=True),
    Column("status", "Status", 8),
    Column("keys", "Keys", 5, justify="right", priority=1),
    Column("residency", "Residency", 12, priority=3),
    Column("created", "Created", 10, priority=2),
)


def _plain(value: object, fallback: str = "—") -> Text:
    return safe_text(value, 80) if value not in (None, "") else Text(fallback, style="dim")


def owner_text(owner: ApiKeyOwner) -> Text:
    if owner.service_account is not None:
        text = safe_text(owner.service_account.name or owner.service_account.id, 60)
        text.append(" (SA)", style="dim")
        return text
    if owner.user is not None:
        return safe_text(owner.user.name or owner.user.email or owner.user.id, 60)
    return Text("—", style="dim")


def key_name_text(key: ProjectApiKey) -> Text:
    """A service-account key by its account's name (the key's own name after it, where it
    differs: the API names them all "Secret Key"); a user's key by its name."""
    account = key.owner.service_account
    if account is None or not account.name:
        return _plain(key.name, "(unnamed)")
    text = safe_text(account.name, 60)
    if key.name and key.name != account.name:
        text.append(" · ", style="dim")
        text.append_text(safe_text(key.name, 40, style="dim"))
    return text


def last_used_text(ts: int | None, now: float, unused_days: int, created_at: int | None) -> Text:
    """Relative time of last use; flagged when unused for `unused_days` (or never, if old)."""
    stale = unused_too_long(ts, created_at, now, unused_days)  # the health check's rule
    label = relative_time(ts, now)
    if stale:
        return Text(FLAG + label, style=WARN)
    return Text(label, style="dim" if ts is None else "")


def age_text(created_at: int | None, now: float, limit_days: int) -> Text:
    days = days_between(created_at, now)
    if days is None:
        return Text("—", style="dim")
    if rotation_due(created_at, now, limit_days):  # the health check's rule
        return Text(f"{FLAG}{days}d", style=WARN)
    return Text(f"{days}d")


def _owner_name(owner: ApiKeyOwner) -> str:
    if owner.service_account is not None:
        return owner.service_account.name or owner.service_account.id
    if owner.user is not None:
        return owner.user.name or owner.user.email or owner.user.id
    return ""


def key_rows(keys: Iterable[ProjectApiKey], now: float, thresholds: Thresholds) -> list[Row]:
    """Rows built lazily: a project with 10,000 keys costs only the rows on screen."""

    def cells(key: ProjectApiKey) -> tuple[Text | str, ...]:
        access = key.owner_project_access or "—"
        return (
            key_name_text(key),
            safe_text(key.redacted_value, 20),
            safe_text(key.id, 40, style="dim"),
            owner_text(key.owner),
            short_date(key.created_at),
            last_used_text(key.last_used_at, now, thresholds.key_unused_days, key.created_at),
            Text(access, style="dim" if access == "inactive" else ""),
            age_text(key.created_at, now, thresholds.key_rotation_days),
        )

    return [
        Row(
            key.id,
            item=key,
            make=cells,
            search=f"{key.name} {key.redacted_value} {_owner_name(key.owner)} "
            f"{key.owner_project_access} {key.id}",
        )
        for key in keys
    ]


def service_account_rows(accounts: Iterable[ProjectServiceAccount]) -> list[Row]:
    def cells(a: ProjectServiceAccount) -> tuple[Text | str, ...]:
        return (_plain(a.name), _plain(a.role), short_date(a.created_at), Text(a.id))

    return [Row(a.id, item=a, make=cells, search=f"{a.name} {a.role} {a.id}") for a in accounts]


def member_rows(members: Iterable[ProjectUser | User]) -> list[Row]:
    def cells(m: ProjectUser | User) -> tuple[Text | str, ...]:
        return (_plain(m.name or m.email), _plain(m.email), _plain(m.role), short_date(m.added_at))

    return [Row(m.id, item=m, make=cells, search=f"{m.name} {m.email} {m.role}") for m in members]


def invite_rows(invites: Iterable[Invite], now: float) -> list[Row]:
    def cells(invite: Invite) -> tuple[Text | str, ...]:
        pending = invite.status == "pending"
        return (
            safe_text(invite.email, 120),
            _plain(invite.role),
            Text(invite.status),
            relative_time(invite.expires_at, now, never="—") if pending else "—",
            short_date(invite.created_at),
        )

    return [
        Row(
            i.id,
            item=i,
            make=cells,
            style="" if i.status == "pending" else "dim",
            search=f"{i.email} {i.role} {i.status}",
        )
        for i in invites
    ]


def admin_key_rows(keys: Iterable[AdminApiKey], now: float, thresholds: Thresholds) -> list[Row]:
    def cells(key: AdminApiKey) -> tuple[Text | str, ...]:
        if key.expires_at is None:
            expires = Text(FLAG + "never", style=WARN)
        else:
            expires = Text(relative_time(key.expires_at, now, never="—"))
        return (
            _plain(key.name, "(unnamed)"),
            safe_text(key.redacted_value, 20),
            _plain(key.owner.name or key.owner.id),
            short_date(key.created_at),
            last_used_text(key.last_used_at, now, thresholds.key_unused_days, key.created_at),
            expires,
        )

    return [
        Row(k.id, item=k, make=cells, search=f"{k.name} {k.redacted_value} {k.owner.name}")
        for k in keys
    ]


def _num(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def rate_limit_rows(limits: Iterable[ProjectRateLimit]) -> list[Row]:
    return [
        Row(
            rl.id,
            (
                safe_text(rl.model, 60),
                _num(rl.max_requests_per_1_minute),
                _num(rl.max_tokens_per_1_minute),
                _num(rl.max_requests_per_1_day),
                _num(rl.max_images_per_1_minute),
                _num(rl.max_audio_megabytes_per_1_minute),
                _num(rl.batch_1_day_max_input_tokens),
            ),
            rl,
        )
        for rl in limits
    ]


def alert_rows(alerts: Iterable[SpendAlert], dollars: Callable[[int], str]) -> list[Row]:
    rows = []
    for alert in alerts:
        recipients = ", ".join(alert.notification_channel.recipients) or "—"
        rows.append(
            Row(
                alert.id,
                (dollars(alert.threshold_amount), safe_text(recipients, 200), alert.interval),
                alert,
            )
        )
    return rows


def project_rows(projects: Iterable[tuple[Project, int | None]]) -> list[Row]:
    rows = []
    for project, key_count in projects:
        archived = project.archived_at is not None or project.status == "archived"
        rows.append(
            Row(
                project.id,
                (
                    _plain(project.name, project.id),
                    Text("archived" if archived else (project.status or "active")),
                    "—" if key_count is None else str(key_count),
                    _plain(project.residency),
                    short_date(project.created_at),
                ),
                project,
                style="dim" if archived else "",
            )
        )
    return rows
