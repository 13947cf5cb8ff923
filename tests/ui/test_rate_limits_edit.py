"""Editing a model's rate limits from the project's Rate limits tab (`e`)."""

from __future__ import annotations

from typing import Any

from test_members_support import goto_project_tab, last_note, notes, project, settle, store

from orgtui.ui.features.projects.rate_limit_edit import RateLimitForm
from orgtui.ui.widgets.form import LabelledInput


def _table(app: Any) -> Any:
    return app.screen.query_one("#tab-rate-limits-table")


async def _open_form(pilot: Any, project_name: str, rl_id: str) -> RateLimitForm:
    await goto_project_tab(pilot, project_name, 5)
    table = _table(pilot.app)
    assert table.select_key(rl_id)
    table.focus()
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, RateLimitForm)
    return form


def _stored(app: Any, project_name: str, rl_id: str) -> dict[str, Any]:
    row = store(app).one(
        "SELECT * FROM rate_limits WHERE project_id = ? AND id = ?",
        (project(app, project_name).id, rl_id),
    )
    assert row is not None
    return row


async def test_e_edits_a_rate_limit(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot, "search-dev", "rl-gpt-4o")
        rpm = form.query_one("#rl-max_requests_per_1_minute", LabelledInput)
        assert rpm.value == "500"  # the demo lowered it
        assert not form.query("#rl-max_images_per_1_minute")  # not a limit of this model
        rpm.input.value = "250"
        form.query_one("#rl-max_tokens_per_1_minute", LabelledInput).input.value = "150,000"
        rpm.input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RateLimitForm)
        row = _stored(app, "search-dev", "rl-gpt-4o")
        assert row["max_requests_per_1_minute"] == 250
        assert row["max_tokens_per_1_minute"] == 150_000
        assert "requests per minute 250" in last_note(app)
        shown = next(r for r in _table(app).rows if r.key == "rl-gpt-4o")
        assert shown.cells[1] == "250"


async def test_bad_values_stay_in_the_form_with_reasons(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, "search-dev", "rl-gpt-4o")
        rpm = form.query_one("#rl-max_requests_per_1_minute", LabelledInput)
        rpm.input.value = "-5"
        form.query_one("#rl-max_tokens_per_1_minute", LabelledInput).input.value = "lots"
        rpm.input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert rpm.has_class("-invalid")
        assert "not a whole number" in str(rpm.query_one(".form-error").render())
        assert _stored(app, "search-dev", "rl-gpt-4o")["max_requests_per_1_minute"] == 500
        # above the organisation's cap: the API's reason is shown, nothing changes
        rpm.input.value = "999999999"
        form.query_one("#rl-max_tokens_per_1_minute", LabelledInput).input.value = "300000"
        rpm.input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert any("cannot exceed" in n for n in notes(app))
        assert _stored(app, "search-dev", "rl-gpt-4o")["max_requests_per_1_minute"] == 500


async def test_read_only_refuses_before_the_form(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_project_tab(pilot, "search-dev", 5)
        table = _table(app)
        assert table.select_key("rl-gpt-4o")
        table.focus()
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, RateLimitForm)
        assert any("not allowed" in n for n in notes(app))
        assert _stored(app, "search-dev", "rl-gpt-4o")["max_requests_per_1_minute"] == 500
