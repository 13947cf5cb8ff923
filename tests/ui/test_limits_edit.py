"""Editing hard limits and alerts from the spend screen: forms in dollars, sandbox in cents."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_spend_support import (
    alert_rows,
    limit_row,
    plain,
    project_id,
    settle,
    spend_app,
    wait_for,
    wait_for_screen,
)
from textual.widgets import Button

from orgtui.core.clock import FrozenClock
from orgtui.core.services.limits import suggest_hard_limit_cents
from orgtui.ui.features.spend.limits import LimitsScreen
from orgtui.ui.features.spend.limits_edit import AlertForm, LimitForm, dollars_field
from orgtui.ui.features.spend.screen import SpendScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput


async def open_spend(pilot: Any) -> SpendScreen:
    screen = await wait_for_screen(pilot, SpendScreen)
    await settle(pilot)
    return screen


async def select_scope(pilot: Any, screen: SpendScreen, name: str | None) -> None:
    table = screen.projects_table
    table.focus()
    key = "__org__" if name is None else project_id(pilot.app, name)
    assert table.select_key(key)
    await settle(pilot, 1)


async def fill(pilot: Any, form: Any, **values: str) -> None:
    """Type the given values (others stay as they are) and press enter in the first field."""
    for field_id, value in values.items():
        field = form.query_one(f"#{field_id}", LabelledInput)
        field.input.value = value
    first = next(iter(values), "amount")
    form.query_one(f"#{first}", LabelledInput).input.focus()
    await pilot.press("enter")
    await settle(pilot)


def error_of(form: Any, field_id: str) -> str:
    field = form.query_one(f"#{field_id}", LabelledInput)
    return plain(field.query_one(".form-error")) if field.has_class("-invalid") else ""


async def test_set_a_project_limit_in_dollars_lands_in_cents(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_spend(pilot)
        pid = project_id(app, "search-dev")
        await select_scope(pilot, screen, "search-dev")
        await pilot.press("L")
        form = await wait_for_screen(pilot, LimitForm)
        assert form.query_one("#amount", LabelledInput).value == "100"  # the current $100
        await fill(pilot, form, amount="$1,250.50")
        await wait_for(pilot, lambda: isinstance(app.screen, SpendScreen))
        assert limit_row(sandbox, pid)["threshold_amount"] == 125050
        await settle(pilot)
        row = next(r for r in screen.projects_table.rows if r.key == pid)
        assert row.cells[2].plain == "$1,250.50"


async def test_set_the_organisation_limit(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_spend(pilot)
        await select_scope(pilot, screen, None)
        await pilot.press("L")
        form = await wait_for_screen(pilot, LimitForm)
        assert "organisation" in plain(form.query_one("#form-title"))
        await fill(pilot, form, amount="250")
        # The org has spent more than $250 this month: a limit there blocks everything now.
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        text = " ".join(plain(w) for w in confirm.query("Static"))
        assert "Month to date, the organisation has spent $" in text
        assert "this blocks every request of the organisation now" in text
        await pilot.press("tab", "enter")  # past Cancel: the explicit second confirmation
        await wait_for(pilot, lambda: limit_row(sandbox, "org")["threshold_amount"] == 25000)
        await settle(pilot)
        assert "of $250.00 org limit" in plain(screen.query_one("#spend-overview"))


async def test_a_project_without_a_limit_gets_the_seed_suggestion(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_spend(pilot)
        pid = project_id(app, "data-pipeline")
        trailing = next(p for p in screen.summary.projects if p.id == pid).trailing_30d_usd
        suggested = suggest_hard_limit_cents(trailing)
        assert suggested >= 2 * trailing * 100
        await select_scope(pilot, screen, "data-pipeline")
        await pilot.press("L")
        form = await wait_for_screen(pilot, LimitForm)
        assert form.query_one("#amount", LabelledInput).value == dollars_field(suggested)
        assert "twice the last 30 days" in plain(form.query_one(".form-hint"))
        await fill(pilot, form)  # accept the suggestion as it is
        await wait_for(pilot, lambda: limit_row(sandbox, pid) is not None)
        assert limit_row(sandbox, pid)["threshold_amount"] == suggested


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-5", "Amount must be positive"),
        ("0", "Amount must be more than $0"),
        ("12.345", "Use at most two decimals"),
        ("ten dollars", "Not a dollar amount"),
        ("99999999999", "above the $10,000,000.00 ceiling"),
        ("", "Amount is empty"),
    ],
)
async def test_bad_amounts_are_refused_beside_the_field(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock, typed: str, reason: str
) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_spend(pilot)
        pid = project_id(app, "search-dev")
        await select_scope(pilot, screen, "search-dev")
        await pilot.press("L")
        form = await wait_for_screen(pilot, LimitForm)
        before = len(transport.requests)
        await fill(pilot, form, amount=typed)
        assert app.screen is form  # still open
        assert reason in error_of(form, "amount")
        assert not any(r.method == "POST" for r in transport.requests[before:])
        assert limit_row(sandbox, pid)["threshold_amount"] == 10000
        await pilot.press("escape")  # cancelled: nothing sent
        await wait_for(pilot, lambda: isinstance(app.screen, SpendScreen))


async def test_removing_a_limit_asks_first_with_cancel_focused(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_spend(pilot)
        pid = project_id(app, "search-dev")
        await select_scope(pilot, screen, "search-dev")
        await pilot.press("ctrl+x")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert confirm.focused is confirm.query_one("#cancel", Button)
        await pilot.press("enter")  # Cancel
        await wait_for(pilot, lambda: isinstance(app.screen, SpendScreen))
        assert limit_row(sandbox, pid) is not None
        await pilot.press("ctrl+x")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        confirm.query_one("#confirm-button", Button).press()
        await wait_for(pilot, lambda: limit_row(sandbox, pid) is None)
        await settle(pilot)
        row = next(r for r in screen.projects_table.rows if r.key == pid)
        assert row.cells[2].plain == "⚠ none"


async def test_alerts_round_trip_in_cents(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_spend(pilot)
        pid = project_id(app, "search-dev")
        await select_scope(pilot, screen, "search-dev")
        await pilot.press("enter")
        limits = await wait_for_screen(pilot, LimitsScreen)
        assert "Hard limit $100.00" in plain(limits.query_one("#limits-info"))
        await pilot.press("plus")
        form = await wait_for_screen(pilot, AlertForm)
        await fill(
            pilot,
            form,
            amount="$75.50",
            recipients="Dev.Lead@Acme.example, ops@acme.example",
            prefix="[search-dev]",
        )
        await wait_for(pilot, lambda: len(alert_rows(sandbox, pid)) == 1)
        (row,) = alert_rows(sandbox, pid)
        assert row["threshold_amount"] == 7550
        assert json.loads(row["recipients"]) == ["Dev.Lead@acme.example", "ops@acme.example"]
        assert row["subject_prefix"] == "[search-dev]"
        await wait_for(pilot, lambda: len(limits.table.rows) == 1)

        limits.table.focus()
        await pilot.press("e")
        form = await wait_for_screen(pilot, AlertForm)
        assert form.query_one("#amount", LabelledInput).value == "75.50"
        await fill(pilot, form, amount="90")
        await wait_for(pilot, lambda: alert_rows(sandbox, pid)[0]["threshold_amount"] == 9000)
        assert json.loads(alert_rows(sandbox, pid)[0]["recipients"]) == [
            "Dev.Lead@acme.example",
            "ops@acme.example",
        ]

        await wait_for(pilot, lambda: isinstance(app.screen, LimitsScreen))
        await pilot.press("d")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "$90.00" in plain(confirm.query_one("#confirm-body"))
        confirm.query_one("#confirm-button", Button).press()
        await wait_for(pilot, lambda: alert_rows(sandbox, pid) == [])
        await pilot.press("escape")
        await wait_for_screen(pilot, SpendScreen)


@pytest.mark.parametrize(
    ("values", "field", "reason"),
    [
        ({"recipients": "not-an-email"}, "recipients", "exactly one @"),
        ({"recipients": "a@b.example, bad@nodot"}, "recipients", "domain has no dot"),
        ({"recipients": ""}, "recipients", "No email address given"),
        ({"amount": "-20"}, "amount", "Amount must be positive"),
        ({"prefix": "x" * 65}, "prefix", "the limit is 64"),
    ],
)
async def test_bad_alert_input_is_refused_beside_the_field(
    sandbox_app: Any,
    sandbox: Any,
    frozen_clock: FrozenClock,
    values: dict[str, str],
    field: str,
    reason: str,
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_spend(pilot)
        await select_scope(pilot, screen, None)
        await pilot.press("plus")
        form = await wait_for_screen(pilot, AlertForm)
        base = {"amount": "500", "recipients": "finance@acme.example", "prefix": ""}
        await fill(pilot, form, **{**base, **values})
        assert app.screen is form
        assert reason in error_of(form, field)
        assert "Fix the fields" in plain(form.query_one("#form-error"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SpendScreen))
        assert len(alert_rows(sandbox, "org")) == 2  # the demo's two, nothing added


async def test_read_only_refuses_before_any_form(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_spend(pilot)
        await select_scope(pilot, screen, "search-dev")
        app.start_action("limit.set", screen.projects_table.action_context())
        await settle(pilot)
        assert isinstance(app.screen, SpendScreen)
        assert any("not allowed" in n.message for n in app._notifications)


async def test_a_limit_or_alert_at_or_below_month_to_date_is_said_out_loud(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_spend(pilot)
        pid = project_id(app, "search-prod")
        before = limit_row(sandbox, pid)
        await select_scope(pilot, screen, "search-prod")
        await pilot.press("L")
        form = await wait_for_screen(pilot, LimitForm)
        await fill(pilot, form, amount="$1")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        text = " ".join(plain(w) for w in confirm.query("Static"))
        assert "Month to date, search-prod has spent $" in text
        assert "this blocks every request of search-prod now" in text
        assert app.screen.focused is confirm.query_one("#cancel", Button)
        await pilot.press("enter")  # Cancel: nothing changes
        await wait_for(pilot, lambda: isinstance(app.screen, SpendScreen))
        assert limit_row(sandbox, pid) == before

        await pilot.press("enter")
        await wait_for_screen(pilot, LimitsScreen)
        await pilot.press("plus")
        form = await wait_for_screen(pilot, AlertForm)
        await fill(pilot, form, amount="1", recipients="oncall@acme-robotics.example")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        text = " ".join(plain(w) for w in confirm.query("Static"))
        assert "Month to date, search-prod has spent $" in text and "fires at once" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LimitsScreen))
        assert all(row["threshold_amount"] != 100 for row in alert_rows(sandbox, pid))
