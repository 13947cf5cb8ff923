"""The audit log screen, driven with Pilot against the in-process sandbox (frozen clock, UTC)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from snapshot_scenes import HOSTILE_NAMES, build_app, project_id_by_name, settle
from textual.widgets import Input, Static

import orgtui.ui.features.shell.reveal  # noqa: F401  (registers view.audit / view.health)
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.audit.detail import AuditDetailScreen
from orgtui.ui.features.audit.screen import AuditScreen

ADMIN_EMAIL_ACTOR = "key "  # the sandbox's admin key acts: rows say "key <its name>"


class Spy:
    """Counts `audit_log_page` calls and keeps their arguments."""

    def __init__(self, app: Any) -> None:
        self.calls: list[dict[str, Any]] = []
        client = app.session.client
        original: Callable[..., Any] = client.audit_log_page

        async def spy(**kwargs: Any) -> Any:
            self.calls.append(kwargs)
            return await original(**kwargs)

        client.audit_log_page = spy


def plain(widget: Static) -> str:
    """What a Static shows, as text (tables and groups included)."""
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.export_text()


def audit(app: Any) -> AuditScreen:
    screen = app.screen
    assert isinstance(screen, AuditScreen), type(screen).__name__
    return screen


def types_shown(screen: AuditScreen) -> list[str]:
    return [row.item.type for row in screen.table.rows]


async def open_audit(pilot: Any, ctx: ActionContext | None = None) -> AuditScreen:
    await pilot.app.start_action("view.audit", ctx or ActionContext()).wait()
    await settle(pilot)
    return audit(pilot.app)


async def set_filters(pilot: Any, **values: str) -> None:
    screen = audit(pilot.app)
    for name, value in values.items():
        screen.query_one(f"#f-{name}", Input).value = value
    screen.query_one(f"#f-{next(iter(values))}", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def scripted_mutations(app: Any) -> dict[str, str]:
    """Create a project and a service account (with its key), delete a demo key."""
    client = app.session.client
    project = await client.create_project("audit-trail")
    account = await client.create_service_account(project.id, "audit-bot")
    search = project_id_by_name(app, "search-prod")
    keys = [k async for k in client.iter_project_api_keys(search) if k.owner.type == "user"]
    victim = keys[0]
    await client.delete_project_api_key(search, victim.id)
    return {
        "project": project.id,
        "account": account.id,
        "key": victim.id,
        "account_key": account.api_key.id,
        "search": search,
    }


async def test_scripted_mutations_appear_newest_first() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = await scripted_mutations(app)
        spy = Spy(app)
        screen = await open_audit(pilot)
        assert spy.calls == [{"after": None, "limit": 50}]  # unfiltered: no filter arguments
        top = screen.table.rows[:4]
        assert [r.item.type for r in top] == [
            "api_key.deleted",
            "api_key.created",
            "service_account.created",
            "project.created",
        ]
        resources = [r.item.details.get("id") for r in top]
        assert resources == [ids["key"], ids["account_key"], ids["account"], ids["project"]]
        # Every row says when (local time), what, who and on what.
        cells = [c.plain if hasattr(c, "plain") else c for c in top[3].cells]
        assert cells[0] == "2026-11-18 14:30"
        assert cells[2].startswith(ADMIN_EMAIL_ACTOR)
        assert cells[3] == "audit-trail"
        assert cells[4].startswith("audit-trail")
        assert "end of the log" not in str(screen.query_one("#audit-status", Static).render())


async def test_filters_use_the_api() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = await scripted_mutations(app)
        screen = await open_audit(pilot)
        spy = Spy(app)

        await set_filters(pilot, event="project.created")
        assert spy.calls[-1] == {"after": None, "limit": 50, "event_types": ["project.created"]}
        assert set(types_shown(screen)) == {"project.created"}
        assert screen.table.rows[0].item.details["id"] == ids["project"]
        assert len(screen.table.rows) == 8  # seven demo projects and ours

        await set_filters(pilot, event="", project="search-prod")
        assert spy.calls[-1]["project_ids"] == [ids["search"]]
        assert {r.item.project.id for r in screen.table.rows} == {ids["search"]}
        assert types_shown(screen)[0] == "api_key.deleted"

        await set_filters(pilot, project="", time="1h")
        assert spy.calls[-1]["effective_at_gte"] == int(app.clock.now()) - 3600
        assert len(types_shown(screen)) == 4  # only what the script did just now

        key_id = screen.table.rows[0].item.actor.api_key.id  # the sandbox's admin key
        key_name = screen.directory.name_of(key_id)
        assert key_name
        await set_filters(pilot, actor=key_name)  # a key's name: the API gets its id
        assert spy.calls[-1]["actor_ids"] == [key_id]
        assert len(types_shown(screen)) == 4
        assert {r.cells[2].plain for r in screen.table.rows} == {f"key {key_name}"}

        await set_filters(pilot, actor="", time="2026-11-17")
        assert types_shown(screen) == ["invite.sent"]
        assert spy.calls[-1]["effective_at_lt"] - spy.calls[-1]["effective_at_gte"] == 86400

        await set_filters(pilot, time="", object=ids["account"])
        assert spy.calls[-1]["resource_ids"] == [ids["account"]]
        assert types_shown(screen) == ["service_account.created"]

        await set_filters(
            pilot, object="", actor="ada.lovelace@acme-robotics.example", event="invite.*"
        )
        assert spy.calls[-1]["actor_emails"] == ["ada.lovelace@acme-robotics.example"]
        assert set(types_shown(screen)) == {"invite.sent"}

        field = screen.query_one("#f-object", Input)  # the field enter was pressed in
        assert app.focused is field  # enter in a field applies and stays there...
        for ch in "lastweek":  # ...so typing goes on into the field (never "s": Spend)
            await pilot.press(ch)
        await settle(pilot)
        assert field.value == "lastweek"
        assert type(app.screen).__name__ == "AuditScreen"
        field.value = ""
        await pilot.press("escape")  # to the list
        assert app.focused is screen.table
        await pilot.press("x")
        await settle(pilot)
        assert spy.calls[-1] == {"after": None, "limit": 50}
        assert all(not screen.query_one(f"#f-{n}", Input).value for n in ("event", "actor"))


async def test_bad_filters_are_named_and_nothing_is_fetched() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_audit(pilot)
        spy = Spy(app)
        await set_filters(pilot, time="last tuesday", event="api_key")
        assert spy.calls == []
        error = str(screen.query_one("#audit-error", Static).render())
        assert "Event type: Unknown event type “api_key”" in error
        assert "Time: “last tuesday” is not a time range" in error
        assert screen.query_one("#field-time").has_class("-invalid")
        assert isinstance(app.focused, Input) and app.focused.id == "f-event"
        await set_filters(pilot, time="7d", event="api_key.*")
        assert len(spy.calls) == 1
        assert not screen.query_one("#field-time").has_class("-invalid")


async def test_event_type_completion() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_audit(pilot)
        field = screen.query_one("#f-event", Input)
        field.focus()
        await pilot.press("s", "e", "r", "v")
        await settle(pilot)
        await pilot.press("right")  # accepts the suggestion
        assert field.value == "service_account.created"
        await pilot.press("comma", "space", "u", "s", "e", "r", ".", "d")
        await settle(pilot)
        await pilot.press("right")
        assert field.value == "service_account.created, user.deleted"


async def test_a_on_a_key_opens_its_history() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        search = project_id_by_name(app, "search-prod")
        app.main_screen_goto(app.session.profile.name, search)
        await settle(pilot)
        await pilot.press("enter")  # into the Keys tab
        await settle(pilot)
        key = app.focused.current.item
        spy = Spy(app)
        await pilot.press("a")
        await settle(pilot)
        screen = audit(app)
        assert spy.calls[0]["resource_ids"] == [key.id]
        assert screen.query_one("#f-object", Input).value == key.name
        assert types_shown(screen) == ["api_key.created"]
        assert screen.table.rows[0].item.details["id"] == key.id


async def test_a_on_a_project_filters_by_project() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main_screen_goto(app.session.profile.name, project_id_by_name(app, "data-pipeline"))
        await settle(pilot)
        spy = Spy(app)
        await pilot.press("a")
        await settle(pilot)
        screen = audit(app)
        assert screen.query_one("#f-project", Input).value == "data-pipeline"
        assert spy.calls[0]["project_ids"] == [project_id_by_name(app, "data-pipeline")]
        assert {r.item.project.name for r in screen.table.rows} == {"data-pipeline"}
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"


@pytest.mark.parametrize("page_size", [50, 20])
async def test_paging_loads_more_near_the_end(page_size: int) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        total = app.extra_sandbox.store.query("SELECT count(*) AS n FROM audit_logs")[0]["n"]
        assert total > 2 * 20 and total < 100
        spy = Spy(app)
        await app.push_screen(AuditScreen(app.session, page_size=page_size))
        await settle(pilot)
        screen = audit(app)
        # One page, or as many as it takes to fill the view with a few rows to spare.
        assert len(spy.calls) == (1 if page_size == 50 else 3)
        assert len(screen.table.rows) == page_size * len(spy.calls) and screen.has_more
        # Scroll a page at a time: a page loads each time the cursor nears the end.
        for _ in range(12):
            await pilot.press("pagedown")
            await settle(pilot)
        assert len(screen.table.rows) == total
        assert not screen.has_more
        pages = -(-total // page_size)
        assert len(spy.calls) == pages
        assert [c["after"] for c in spy.calls[1:]] == [
            screen.entries[page_size * n - 1].id for n in range(1, pages)
        ]
        assert len({r.key for r in screen.table.rows}) == total
        await pilot.press("end")
        await settle(pilot)
        assert len(spy.calls) == pages  # nothing more to ask for
        assert "end of the log" in str(screen.query_one("#audit-status", Static).render())


async def test_scrolling_without_the_cursor_loads_more() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        spy = Spy(app)
        await app.push_screen(AuditScreen(app.session, page_size=20))
        await settle(pilot)
        screen = audit(app)
        # The first page does not fill the view: pages come until it does, and a few more rows.
        height = screen.table.scrollable_content_region.height
        first = len(spy.calls)
        assert first >= 2 and len(screen.table.rows) >= height + 10 - 1
        screen.table.scroll_end(animate=False, immediate=True)  # the mouse wheel's way
        await settle(pilot)
        assert len(spy.calls) == first + 1
        assert screen.table.cursor == 0


async def test_enter_shows_the_full_event() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ids = await scripted_mutations(app)
        await open_audit(pilot)
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, AuditDetailScreen)
        body = str(detail.query_one("#audit-detail-body", Static).render())
        assert '"project.created": {' in body
        assert f'"id": "{ids["project"]}"' in body
        assert '"name": "audit-trail"' in body
        summary = plain(detail.query_one("#audit-detail-summary", Static))
        assert "audit-trail" in summary and "Object" in summary
        await pilot.press("c")
        await settle(pilot)
        assert any("Copied with OSC 52" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)


async def test_untrusted_text_is_literal() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        client = app.session.client
        for name in HOSTILE_NAMES[:3]:
            await client.create_project(name)
        screen = await open_audit(pilot)
        shown = [r.cells[4].plain for r in screen.table.rows[:3]]
        assert shown[2].startswith("[b]bold?[/b] [red]not red[/red]")
        assert "\x1b" not in shown[1] and "␛[31mred" in shown[1]
        assert "\u202e" not in shown[0] and "↔" in shown[0]
        await pilot.press("down", "enter")
        await settle(pilot)
        body = plain(app.screen.query_one("#audit-detail-body", Static))
        assert "\x1b" not in body
        assert "\\u001b[31mred\\u001b[0m bell\\u0007" in body
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        body = plain(app.screen.query_one("#audit-detail-body", Static))
        assert '"name": "[b]bold?[/b] [red]not red[/red] [link=http://x]link[/link]"' in body


async def test_api_errors_are_shown_and_r_retries() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        faults = app.extra_sandbox.faults
        faults.path_filter, faults.malformed_rate = "audit_logs", 1.0
        screen = await open_audit(pilot)
        status = screen.query_one("#audit-status", Static)
        assert status.has_class("-error")
        assert "could not load" in str(status.render())
        faults.malformed_rate = 0.0
        await pilot.press("r")
        await settle(pilot)
        assert not status.has_class("-error")
        assert len(screen.table.rows) == 50


async def test_tenant_events_are_asked_for_alone() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.session.client.set_org_spend_limit(123_00)  # writes a tenant-scoped event
        screen = await open_audit(pilot)
        spy = Spy(app)
        status = screen.query_one("#audit-status", Static)
        assert "tenant events: filter tenant.*" in plain(status)
        assert not any(t.startswith("tenant.") for t in types_shown(screen))

        await set_filters(pilot, event="tenant.billing.*")
        assert spy.calls[-1]["tenant_only"] is True
        assert types_shown(screen)[0] == "tenant.billing.overage_limit.updated"
        assert all(t.startswith("tenant.billing.") for t in types_shown(screen))
        assert "tenant events only" in plain(status)

        await set_filters(pilot, event="project.created, tenant.user.added")
        error = plain(screen.query_one("#audit-error", Static))
        assert "Tenant events (tenant.*) are listed only on their own" in error
        assert len(spy.calls) == 1  # nothing fetched for the mixed filter
