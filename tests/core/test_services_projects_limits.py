"""Project and spend-limit services against the sandbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from fixtures_services import World, lose_posts_to

from orgtui.api.errors import BadRequestError
from orgtui.core.money import parse_dollars
from orgtui.core.services import ArchivedProjectError, InvalidInput, Reconciliation
from orgtui.core.services.limits import suggest_hard_limit_cents
from orgtui.core.services.projects import RESIDENCIES
from orgtui.core.snapshot import project_part


@pytest.fixture
async def w() -> AsyncIterator[World]:
    world = World()
    yield world
    world.close()


# ---------------------------------------------------------------- projects


async def test_create_project_with_residency(w: World) -> None:
    s = await w.loaded()
    result = await s.registry.invoke(
        "project.create", s, name="  eu-analytics ", residency="EU_STORAGE_PROCESSING"
    )
    project = result.obj
    assert project.name == "eu-analytics" and project.residency == "EU_STORAGE_PROCESSING"
    row = w.sb.store.get_project(project.id)
    assert row["residency"] == "EU_STORAGE_PROCESSING"
    assert list(s.snapshot.projects)[-1] == project.id
    assert [r.code for r in RESIDENCIES][:3] == [
        "GLOBAL",
        "US_STORAGE_PROCESSING",
        "EU_STORAGE_PROCESSING",
    ]


async def test_create_project_bad_input(w: World) -> None:
    s = await w.loaded()
    with pytest.raises(InvalidInput, match="Unknown data residency 'MARS'"):
        await s.registry.invoke("project.create", s, name="x", residency="MARS")
    with pytest.raises(InvalidInput, match="Project name is empty"):
        await s.registry.invoke("project.create", s, name="  ")


async def test_lost_project_create_is_reconciled(w: World) -> None:
    s = await w.loaded()
    w.transport.lose = lose_posts_to("/organization/projects")
    result = await s.registry.invoke("project.create", s, name="lost-project")
    assert isinstance(result, Reconciliation) and result.outcome == "created_unconfirmed"
    assert len(w.rows("SELECT id FROM projects WHERE name = 'lost-project'")) == 1
    assert result.found_id in s.snapshot.projects


async def test_rename_and_archive(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("support-bot-dev")
    renamed = await s.registry.invoke(
        "project.rename", s, project_id=pid, name="support-bot-staging"
    )
    assert renamed.message == "Renamed project to support-bot-staging"
    assert w.sb.store.get_project(pid)["name"] == "support-bot-staging"
    assert s.snapshot.project(pid).project.name == "support-bot-staging"
    archived = await s.registry.invoke("project.archive", s, project_id=pid)
    assert archived.obj.status == "archived" and s.snapshot.project(pid).archived
    assert w.sb.store.get_project(pid)["archived_at"] is not None
    with pytest.raises(ArchivedProjectError, match="archived"):
        await s.registry.invoke("project.rename", s, project_id=pid, name="again")
    with pytest.raises(ArchivedProjectError):
        await s.registry.invoke("project.archive", s, project_id=pid)


async def test_default_project_refused_by_the_api_with_its_message(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("Default project")
    before = s.snapshot.project(pid)
    with pytest.raises(BadRequestError, match="default project cannot be modified"):
        await s.registry.invoke("project.rename", s, project_id=pid, name="Main")
    assert s.snapshot.project(pid) == before
    assert w.sb.store.get_project(pid)["name"] == "Default project"


# ---------------------------------------------------------------- limits


async def test_set_and_remove_org_and_project_limits(w: World) -> None:
    s = await w.loaded()
    cents, _ = parse_dollars("$1,250.50")
    result = await s.registry.invoke("limit.set", s, cents=cents)
    assert result.message == "Hard limit for the organisation: $1,250.50 a month"
    assert s.snapshot.org_spend_limit.threshold_amount == 125_050
    assert w.rows("SELECT threshold_amount FROM spend_limits WHERE scope = 'org'") == [
        {"threshold_amount": 125_050}
    ]
    pid = w.pid("data-pipeline")
    changes: list[tuple[str, ...]] = []
    s.subscribe(lambda snap, parts: changes.append(parts))
    await s.registry.invoke("limit.set", s, cents=50_000, project_id=pid)
    assert s.snapshot.project(pid).get("spend_limit").threshold_amount == 50_000
    assert changes == [(project_part(pid, "limits"),)]
    await s.registry.invoke("limit.remove", s, project_id=pid)
    assert s.snapshot.project(pid).get("spend_limit") is None
    assert not w.rows("SELECT * FROM spend_limits WHERE scope = ?", (pid,))
    await s.registry.invoke("limit.remove", s)
    assert s.snapshot.org_spend_limit is None


@pytest.mark.parametrize(
    ("cents", "message"),
    [
        (0, "Limit must be more than $0"),
        (-500, "Limit must be more than $0"),
        (12.5, "Limit must be whole cents"),
        (True, "Limit must be whole cents"),
        (1_000_000_001, "Limit $10,000,000.01 is above the $10,000,000.00 ceiling"),
    ],
)
async def test_limit_bad_amounts(w: World, cents: object, message: str) -> None:
    s = await w.loaded()
    before = w.state()
    with pytest.raises(InvalidInput) as info:
        await s.registry.invoke("limit.set", s, cents=cents)
    assert str(info.value) == message
    assert w.state() == before


async def test_limit_on_archived_project_refused(w: World) -> None:
    s = await w.loaded()
    with pytest.raises(ArchivedProjectError):
        await s.registry.invoke("limit.set", s, cents=100, project_id=w.pid("experiment-2025"))


async def test_alerts_create_update_delete(w: World) -> None:
    s = await w.loaded()
    pid = w.pid("search-dev")
    created = await s.registry.invoke(
        "alert.create",
        s,
        cents=5_000,
        recipients="dev@example.com, DEV@example.com ops@example.com",
        project_id=pid,
        subject_prefix="[dev]",
    )
    alert = created.obj
    assert alert.notification_channel.recipients == ["dev@example.com", "ops@example.com"]
    row = w.rows("SELECT * FROM spend_alerts WHERE id = ?", (alert.id,))[0]
    assert row["threshold_amount"] == 5_000 and row["subject_prefix"] == "[dev]"
    assert any(a.id == alert.id for a in s.snapshot.project(pid).get("spend_alerts"))

    updated = await s.registry.invoke(
        "alert.update", s, alert_id=alert.id, project_id=pid, cents=7_500
    )
    assert updated.obj.threshold_amount == 7_500
    assert updated.obj.notification_channel.recipients == ["dev@example.com", "ops@example.com"]
    assert updated.obj.notification_channel.subject_prefix == "[dev]"
    row = w.rows("SELECT * FROM spend_alerts WHERE id = ?", (alert.id,))[0]
    assert row["threshold_amount"] == 7_500 and json.loads(row["recipients"]) == [
        "dev@example.com",
        "ops@example.com",
    ]

    await s.registry.invoke("alert.delete", s, alert_id=alert.id, project_id=pid)
    assert all(a.id != alert.id for a in s.snapshot.project(pid).get("spend_alerts"))
    assert w.rows("SELECT deleted_at FROM spend_alerts WHERE id = ?", (alert.id,))[0]["deleted_at"]

    org = await s.registry.invoke("alert.create", s, cents=100_000, recipients=["cfo@example.com"])
    assert any(a.id == org.obj.id for a in s.snapshot.org_spend_alerts)


async def test_alert_bad_recipients(w: World) -> None:
    s = await w.loaded()
    with pytest.raises(InvalidInput, match="Email needs exactly one @"):
        await s.registry.invoke("alert.create", s, cents=100, recipients="finance")
    with pytest.raises(InvalidInput, match="No recipient given"):
        await s.registry.invoke("alert.create", s, cents=100, recipients=[])


def test_suggest_hard_limit() -> None:
    assert suggest_hard_limit_cents(0.0) == 1_000
    assert suggest_hard_limit_cents(12.34) == 3_000  # $24.68 -> $30
    assert suggest_hard_limit_cents(430.0) == 90_000  # $860 -> $900
    assert suggest_hard_limit_cents(2_345.6) == 470_000  # $4,691.20 -> $4,700
    assert suggest_hard_limit_cents(28_000.0) == 5_600_000
    assert suggest_hard_limit_cents(float("nan")) == 1_000
    assert suggest_hard_limit_cents(1e12) == 1_000_000_000
