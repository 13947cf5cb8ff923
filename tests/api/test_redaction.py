"""The admin key is redacted in any letter case and as any 12+ character fragment: from API
error text (and so from cached errors), and from every line of the log file."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from orgtui.api._base import REDACTED, redact
from orgtui.api.client import AdminClient
from orgtui.api.errors import ApiError

KEY = "sk-admin-FAKEkeyForRedactionTests-0123456789abcdef"


def test_redact_any_case_and_any_long_fragment() -> None:
    assert redact(f"bad key {KEY}", KEY) == f"bad key {REDACTED}"
    assert redact(f"BAD KEY {KEY.upper()}!", KEY) == f"BAD KEY {REDACTED}!"
    fragment = KEY[15:27]  # 12 characters from its middle
    assert redact(f"...{fragment}...", KEY) == f"...{REDACTED}..."
    assert redact(f"key ends {KEY[-20:].lower()}", KEY) == f"key ends {REDACTED}"
    assert redact(f"short {KEY[15:26]}", KEY) == f"short {KEY[15:26]}"  # 11: not a fragment
    assert redact("nothing here", KEY) == "nothing here"


async def test_an_error_that_echoes_the_key_upper_cased_is_redacted() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {
            "error": {
                "message": f"Incorrect API key provided: {KEY.upper()} (near {KEY[20:40]})",
                "type": "invalid_request_error",
                "code": KEY[9:30].lower(),
            }
        }
        return httpx.Response(401, json=body)

    client = AdminClient(
        "http://sandbox/v1",
        KEY,
        transport=httpx.MockTransport(handler),
        requests_per_minute=None,
        max_retries=0,
    )
    try:
        with pytest.raises(ApiError) as err:
            await client.get_project("proj_x")
    finally:
        await client.aclose()
    text = f"{err.value} {err.value!r} {getattr(err.value, 'code', '')}".casefold()
    for start in range(0, len(KEY) - 12):
        assert KEY[start : start + 12].casefold() not in text, start
    assert REDACTED.casefold() in text


def test_log_lines_are_redacted(tmp_path: Path) -> None:
    from orgtui.logs import add_secret, start_log_file, stop_log_file

    path = start_log_file(tmp_path / "orgtui.log")
    add_secret(KEY)
    log = logging.getLogger("orgtui.test")
    try:
        log.warning("server said %s", KEY.upper())
        try:
            raise RuntimeError(f"boom with {KEY[10:30]}")
        except RuntimeError:
            log.exception("failed")
    finally:
        stop_log_file()
    text = path.read_text(encoding="utf-8")
    assert "server said [redacted]" in text and "RuntimeError: boom with [redacted]" in text
    for start in range(0, len(KEY) - 12):
        assert KEY[start : start + 12].casefold() not in text.casefold(), start
