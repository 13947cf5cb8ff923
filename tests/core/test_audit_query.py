"""The audit log's filters: time ranges, event types, names to ids, client arguments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from orgtui.core.audit_query import (
    EVENT_TYPES,
    AuditFilters,
    Directory,
    FilterTexts,
    TimeRange,
    expand_event_types,
    parse_filters,
    parse_time_range,
)
from orgtui.core.snapshot import ProjectView

NOW = 1795012200.0  # Wed 2026-11-18 14:30:00 UTC


def ts(text: str, tz: timezone = UTC) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=tz).timestamp())


# ---------------------------------------------------------------- event types


def test_event_types_are_the_specs_enum(spec_path: Path) -> None:
    import yaml

    spec = yaml.safe_load(spec_path.read_text())
    assert list(EVENT_TYPES) == spec["components"]["schemas"]["AuditLogEventType"]["enum"]
    assert len(EVENT_TYPES) == 145 and len(set(EVENT_TYPES)) == 145


def test_event_types_list_and_wildcards() -> None:
    assert expand_event_types("") == ((), None)
    assert expand_event_types("api_key.created") == (("api_key.created",), None)
    types, error = expand_event_types("Project.*, api_key.deleted project.created")
    assert error is None
    assert types == (
        "project.created",
        "project.updated",
        "project.archived",
        "project.deleted",
        "api_key.deleted",
    )
    tenant, _ = expand_event_types("tenant.*")
    assert tenant is not None and len(tenant) == 86


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("api_key.cre", "Unknown event type “api_key.cre”; did you mean api_key.created?"),
        ("api_key", "Unknown event type “api_key”; api_key* means all 3 of them"),
        ("nonsense", "Unknown event type “nonsense” (→ completes as you type)"),
        ("zzz.*", "No event type starts with “zzz.”"),
    ],
)
def test_event_type_errors(text: str, message: str) -> None:
    assert expand_event_types(text) == (None, message)


# ---------------------------------------------------------------- time ranges


@pytest.mark.parametrize(
    ("text", "gte", "lt", "label"),
    [
        ("", None, None, "any time"),
        ("1h", NOW - 3600, None, "last 1h"),
        ("24h", NOW - 86400, None, "last 24h"),
        (" 7D ", NOW - 7 * 86400, None, "last 7d"),
        ("30m", NOW - 1800, None, "last 30 min"),
        ("2w", NOW - 14 * 86400, None, "last 2w"),
        ("2026-11-01", ts("2026-11-01"), ts("2026-11-02"), "2026-11-01"),
        ("2026-11-01..2026-11-15", ts("2026-11-01"), ts("2026-11-16"), "2026-11-01 to 2026-11-15"),
        (
            "2026-11-01 .. 2026-11-01",
            ts("2026-11-01"),
            ts("2026-11-02"),
            "2026-11-01 to 2026-11-01",
        ),
        ("2026-11-01..", ts("2026-11-01"), None, "since 2026-11-01"),
        ("..2026-11-15", None, ts("2026-11-16"), "until 2026-11-15"),
        ("today", ts("2026-11-18"), ts("2026-11-19"), "2026-11-18"),
        ("yesterday", ts("2026-11-17"), ts("2026-11-18"), "2026-11-17"),
        ("yesterday..today", ts("2026-11-17"), ts("2026-11-19"), "2026-11-17 to 2026-11-18"),
    ],
)
def test_time_ranges(text: str, gte: float | None, lt: float | None, label: str) -> None:
    span, error = parse_time_range(text, NOW, tz=UTC)
    assert error is None
    assert span == TimeRange(None if gte is None else int(gte), lt, label)


def test_dates_are_whole_days_in_the_given_zone() -> None:
    tokyo = timezone(timedelta(hours=9))
    span, _ = parse_time_range("2026-11-01", NOW, tz=tokyo)
    assert span is not None
    assert span.gte == ts("2026-11-01", tokyo)
    assert span.lt is not None and span.lt - span.gte == 86400
    # "today" is the local day of `now`: 23:30 in Tokyo is still the 18th.
    today, _ = parse_time_range("today", NOW, tz=tokyo)
    assert today is not None and today.label == "2026-11-18"


def test_local_zone_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        span, _ = parse_time_range("2026-11-01..2026-11-01", NOW)
        assert span is not None
        # 1 November 2026 is the day US daylight saving ends: 25 hours long.
        assert span.gte == ts("2026-11-01", timezone(timedelta(hours=-4)))
        assert span.lt is not None and span.lt - span.gte == 25 * 3600
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0h", "“0h” is an empty range: use at least 1h"),
        ("2026-02-30", "“2026-02-30” is not a valid date (YYYY-MM-DD)"),
        (
            "last week",
            "“last week” is not a time range: use 1h, 24h, 7d, a date (2026-11-01) "
            "or two (2026-11-01..2026-11-15)",
        ),
        ("2026-11-15..2026-11-01", "The range ends (2026-11-01) before it starts (2026-11-15)"),
        (
            "..",
            "“..” needs a date on at least one side: use 1h, 24h, 7d, a date (2026-11-01) "
            "or two (2026-11-01..2026-11-15)",
        ),
        (
            "7d..2026-11-01",
            "“7d” is not a date: use 1h, 24h, 7d, a date (2026-11-01) "
            "or two (2026-11-01..2026-11-15)",
        ),
        (
            "2026-11-01..2026-11-02..2026-11-03",
            "“2026-11-01..2026-11-02..2026-11-03” has more "
            "than one “..”: use 1h, 24h, 7d, a date (2026-11-01) or two (2026-11-01..2026-11-15)",
        ),
    ],
)
def test_time_range_errors(text: str, message: str) -> None:
    assert parse_time_range(text, NOW, tz=UTC) == (None, message)


def test_long_input_is_cut_in_the_message() -> None:
    _, error = parse_time_range("x" * 5000, NOW)
    assert error is not None and len(error) < 160 and "…" in error


def test_huge_relative_range_stops_at_the_epoch() -> None:
    span, _ = parse_time_range("999999d", NOW, tz=UTC)
    assert span is not None and span.gte == 0


# ---------------------------------------------------------------- directory and filters


def _ns(**kw: Any) -> SimpleNamespace:
    return SimpleNamespace(**kw)


def snapshot() -> Any:
    def view(pid: str, name: str, keys: list[Any], accounts: list[Any]) -> Any:
        return ProjectView(
            project=_ns(id=pid, name=name),
            api_keys=keys,
            service_accounts=accounts,
            users=[_ns(id="user-ada", email="ada@example.com", name="Ada")],
        )

    return _ns(
        users=[
            _ns(id="user-ada", email="ada@example.com", name="Ada"),
            _ns(id="user-bob", email="Bob@example.com", name=None),
        ],
        admin_keys=[_ns(id="key_admin1", name="ops-admin", redacted_value="sk-admin...a1")],
        invites=[_ns(id="invite-1", email="new@example.com")],
        projects={
            "proj_a": view(
                "proj_a",
                "search-prod",
                [
                    _ns(id="key_a1", name="ingest", redacted_value="sk-...a1"),
                    _ns(id="key_a2", name=None, redacted_value="sk-...a2"),
                ],
                [_ns(id="svc_acct_a", name="ingest-bot")],
            ),
            "proj_b": view(
                "proj_b",
                "search-dev",
                [
                    _ns(id="key_b1", name="ingest", redacted_value="sk-...b1"),
                ],
                [],
            ),
            "proj_c": ProjectView(
                project=_ns(id="proj_c", name="search-dev"),
                api_keys=None,
                service_accounts=None,
                users=None,
            ),
        },
    )


def test_directory_names() -> None:
    d = Directory.from_snapshot(snapshot())
    assert d.name_of("key_a1") == "ingest"
    assert d.name_of("key_a2") == "sk-...a2"  # unnamed key: its redacted value
    assert d.name_of("key_admin1") == "ops-admin"
    assert d.name_of("proj_a") == "search-prod"
    assert d.name_of("invite-1") == "new@example.com"
    assert d.objects["svc_acct_a"].project_id == "proj_a"
    assert d.name_of("key_gone") is None
    assert d.emails == ("ada@example.com", "Bob@example.com")


def test_directory_resolves_names_and_ids() -> None:
    d = Directory.from_snapshot(snapshot())
    assert d.resolve_project("proj_b") == ("proj_b", None)
    assert d.resolve_project("SEARCH-PROD") == ("proj_a", None)
    assert d.resolve_project("search-dev") == (
        None,
        "2 projects are named “search-dev”: type the project id",
    )
    assert d.resolve_project("nope") == (None, "No project “nope” in this organisation")
    assert d.resolve_object("key_gone") == ("key_gone", None)  # opaque ids pass through
    assert d.resolve_object("ingest-bot") == ("svc_acct_a", None)
    assert d.resolve_object("ingest") == (None, "2 objects are named “ingest”: type an id")
    assert d.resolve_actor("ops-admin") == (("id", "key_admin1"), None)
    assert d.resolve_actor("x@example.com") == (("email", "x@example.com"), None)


def test_filters_to_client_kwargs() -> None:
    d = Directory.from_snapshot(snapshot())
    texts = FilterTexts(
        event="api_key.*",
        actor="ada@example.com",
        project="search-prod",
        object="key_a1",
        time="24h",
    )
    filters, errors = parse_filters(texts, NOW, d, tz=UTC)
    assert errors == {}
    assert filters is not None and filters.active
    assert filters.client_kwargs() == {
        "event_types": ["api_key.created", "api_key.updated", "api_key.deleted"],
        "actor_emails": ["ada@example.com"],
        "project_ids": ["proj_a"],
        "resource_ids": ["key_a1"],
        "effective_at_gte": int(NOW) - 86400,
    }
    ids, _ = parse_filters(
        FilterTexts(actor="ops-admin, user-bob", time="2026-11-01"), NOW, d, tz=UTC
    )
    assert ids is not None
    assert ids.client_kwargs() == {
        "actor_ids": ["key_admin1", "user-bob"],
        "effective_at_gte": ts("2026-11-01"),
        "effective_at_lt": ts("2026-11-02"),
    }
    empty, _ = parse_filters(FilterTexts(), NOW, d)
    assert empty == AuditFilters() and not empty.active and empty.client_kwargs() == {}


def test_filter_errors_name_every_bad_field() -> None:
    d = Directory.from_snapshot(snapshot())
    texts = FilterTexts(
        event="api_key",
        actor="a@example.com, key_admin1",
        project="nope",
        object="ingest",
        time="soon",
    )
    filters, errors = parse_filters(texts, NOW, d)
    assert filters is None
    assert set(errors) == {"event", "actor", "project", "object", "time"}
    assert errors["actor"] == "Give emails or ids, not both"


def test_tenant_events_are_asked_for_with_tenant_only() -> None:
    d = Directory.from_snapshot(snapshot())
    tenant, errors = parse_filters(FilterTexts(event="tenant.billing.*"), NOW, d)
    assert errors == {} and tenant is not None and tenant.tenant_only
    assert tenant.client_kwargs()["tenant_only"] is True
    bound, _ = parse_filters(FilterTexts(event="role.bound_to_resource"), NOW, d)
    assert bound is not None and bound.client_kwargs()["tenant_only"] is True
    roles, _ = parse_filters(FilterTexts(event="role.*"), NOW, d)
    assert roles is not None and "role.created" in roles.event_types
    assert "role.bound_to_resource" not in roles.event_types  # tenant-scoped: asked alone
    plain, _ = parse_filters(FilterTexts(event="group.*"), NOW, d)
    assert plain is not None and "tenant_only" not in plain.client_kwargs()
    mixed, errors = parse_filters(FilterTexts(event="project.created, tenant.user.added"), NOW, d)
    assert mixed is None
    assert errors["event"].startswith("Tenant events (tenant.*) are listed only on their own")
