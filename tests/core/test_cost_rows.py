"""Cost rows as the spend figures keep them: three columns a day, read back as rows."""

from __future__ import annotations

import json
import math

from orgtui.api._base import decode_json
from orgtui.api.models_activity import CostLinePage
from orgtui.core.spend_fetch import CostBucket, _slim

PAGE = {
    "object": "page",
    "has_more": False,
    "next_page": None,
    "data": [
        {
            "object": "bucket",
            "start_time": 86400,
            "end_time": 172800,
            "results": [
                {
                    "object": "organization.costs.result",
                    "amount": {"value": 0.125, "currency": "usd"},
                    "line_item": "gpt-4o, input",
                    "project_id": "proj_a",
                    "api_key_id": "key_1",
                    "quantity": 3.0,
                },
                {"object": "organization.costs.result", "project_id": "proj_b"},
                {"amount": {"value": 2.5}, "project_id": None, "api_key_id": None},
            ],
        }
    ],
}


def _decode() -> CostLinePage:
    """The page as the client decodes it: straight from the response bytes."""
    return decode_json(CostLinePage, json.dumps(PAGE).encode())


def test_a_costs_page_keeps_project_key_and_amount_per_row() -> None:
    page = _decode()
    bucket = _slim(page.data[0])
    assert isinstance(bucket, CostBucket)
    rows = bucket.results
    assert [(r.project_id, r.api_key_id) for r in rows] == [
        ("proj_a", "key_1"),
        ("proj_b", None),
        (None, None),
    ]
    assert rows[0].amount is not None and rows[0].amount.value == 0.125
    assert rows[1].amount is None  # no amount is not a zero amount
    assert rows[2].amount is not None and rows[2].amount.value == 2.5
    assert (bucket.start_time, bucket.end_time) == (86400, 172800)


def test_fields_the_figures_do_not_read_are_not_kept() -> None:
    line = _decode().data[0].results[0]
    assert not hasattr(line, "line_item") and not hasattr(line, "quantity")
    bucket = _slim(_decode().data[0])
    assert math.isnan(bucket.amounts[1]) and len(bucket.amounts) == 3


def test_ids_repeated_across_days_are_one_string() -> None:
    def parsed() -> CostBucket:  # each page's JSON gives its own strings
        return _slim(_decode().data[0])

    a, b = parsed(), parsed()
    assert a.project_ids[0] is b.project_ids[0] and a.api_key_ids[0] is b.api_key_ids[0]
