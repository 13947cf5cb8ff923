"""The graph's kinds in their own units, and all of them stacked."""

from __future__ import annotations

from types import SimpleNamespace

from orgtui.core.usage_kinds import cumulative, groups_of, measure_of, stack
from orgtui.core.usage_series import graph_query, shape

NOW = 1_787_000_000


def bucket(start: int, width: int, **fields: float) -> SimpleNamespace:
    return SimpleNamespace(
        start_time=start, end_time=start + width, results=[SimpleNamespace(**fields)]
    )


def test_units_per_kind() -> None:
    assert measure_of("images", SimpleNamespace(images=3, num_model_requests=1), 60) == 3
    assert measure_of("audio_speeches", SimpleNamespace(characters=420), 60) == 420
    assert measure_of("audio_transcriptions", SimpleNamespace(seconds=75), 60) == 75
    assert measure_of("code_interpreter_sessions", SimpleNamespace(num_sessions=2), 60) == 2
    # 2 GB stored for one day is 2 GB-days; for one hour, a 24th of that.
    assert measure_of("vector_stores", SimpleNamespace(usage_bytes=2e9), 86_400) == 2.0
    assert (
        abs(measure_of("vector_stores", SimpleNamespace(usage_bytes=2e9), 3_600) - 2 / 24) < 1e-12
    )


def test_kinds_without_keys_cannot_be_grouped_or_filtered_by_key() -> None:
    assert groups_of("vector_stores") == ("none", "project")
    query = graph_query("1h", "key", NOW, api_key_id="key_1", usage_kind="vector_stores")
    assert query.group == "none" and query.group_field is None and query.api_key_ids == ()
    query = graph_query("1h", "key", NOW, api_key_id="key_1", usage_kind="images")
    assert query.group_field == "api_key_id" and query.api_key_ids == ("key_1",)


def test_stacked_series_are_each_kinds_events() -> None:
    per_kind = {}
    base = graph_query("1h", "none", NOW, usage_kind="completions")
    first = base.start
    for kind, fields in (
        ("completions", {"num_model_requests": 10, "input_tokens": 5, "output_tokens": 5}),
        ("images", {"num_model_requests": 2, "images": 8}),
        ("code_interpreter_sessions", {"num_sessions": 3}),
        ("vector_stores", {"usage_bytes": 1e9}),
    ):
        q = graph_query("1h", "none", NOW, usage_kind=kind)
        per_kind[kind] = shape(q, [bucket(first, 3_600, **fields)])
    data = stack(per_kind, graph_query("1h", "none", NOW, usage_kind="all"))
    by = {s.key: s for s in data.series}
    assert [s.key for s in data.series] == [
        "completions",
        "images",
        "vector_stores",
        "code_interpreter_sessions",
    ]
    assert by["completions"].requests[0] == 10 and by["images"].requests[0] == 2
    assert by["images"].measure[0] == 8 and by["code_interpreter_sessions"].requests[0] == 3
    assert abs(by["vector_stores"].total_measure - 1 / 24) < 1e-12
    assert cumulative([[1, 2], [3, 4], [0, 1]]) == [[1, 2], [4, 6], [4, 7]]
