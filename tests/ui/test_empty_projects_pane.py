"""The Projects pane of an organisation whose project list is empty (not loaded yet on a cold
start, or truly empty) shows no rows instead of failing."""

from __future__ import annotations

from orgtui.ui.widgets.detail import _project_rows


def test_no_projects_is_no_rows() -> None:
    assert _project_rows([]) == []
    assert _project_rows({}) == []
