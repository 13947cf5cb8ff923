"""A bounded property-based run (schemathesis 4) over every emulated operation.

Random (valid and edge-case) parameters and bodies from the spec; the sandbox must never answer
5xx and every documented response must conform to its schema.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app
from orgtui.sandbox.spec_paths import SPEC_PATHS
from tests.sandbox.conftest import FROZEN_NOW
from tests.sandbox.spec_walk import SPEC_PATH
from tests.sandbox.test_sandbox_errors import not_emulated

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

pytestmark = pytest.mark.skipif(not SPEC_PATH.exists(), reason="spec file not available")

HEADERS = {"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"}
MAX_EXAMPLES = 8
EMULATED = sorted(
    {(m, p) for p, methods in SPEC_PATHS.items() for m in methods} - set(not_emulated())
)


@pytest.fixture(scope="module")
def operations() -> dict[tuple[str, str], Any]:
    raw = yaml.safe_load(SPEC_PATH.read_text())
    raw["servers"] = [{"url": "/v1"}]
    app = create_app(clock=lambda: FROZEN_NOW)
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    ops = {}
    for result in schema.get_all_operations():
        op = result.ok()
        ops[(op.method.upper(), op.path)] = op
    return ops


@pytest.mark.parametrize(("method", "path"), EMULATED, ids=[f"{m} {p}" for m, p in EMULATED])
def test_operation_fuzz(operations: dict[tuple[str, str], Any], method: str, path: str) -> None:
    op = operations[(method, path)]

    @given(case=op.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case: Any) -> None:
        response = case.call(headers=HEADERS)
        case.validate_response(
            response, checks=[not_a_server_error, response_schema_conformance], headers=HEADERS
        )

    run()
