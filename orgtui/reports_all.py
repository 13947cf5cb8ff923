"""`orgtui check --all-profiles` and `orgtui spend --once --all-profiles`: every configured
profile in one report.

Every profile of the config file is reported, in name order (the default profile alone when the
file names none), all at once and each with its own client, so one slow organisation does not
hold up the others; `--timeout` bounds the whole command. An organisation that cannot be read
(no admin key, a rejected key, offline, too slow) is in the report with its reason and counts as
exit 3 ("could not check"); the others are reported as usual. The exit code is the worst
(highest) of them.

JSON (`--json`)::

    {"schema_version": 1, "generated_at": "2026-08-21T10:00:00Z", "exit_code": 3,
     "orgs": [
       {"profile": "prod", "exit_code": 1, "error": null, "report": {"profile": "prod"}},
       {"profile": "staging", "exit_code": 3,
        "error": "no admin key: OPENAI_ADMIN_KEY_STAGING is not set", "report": null}]}

`report` is that profile's own document, exactly as `orgtui check --json` (or
`orgtui spend --once --json`) prints it for that profile alone (shortened above); `error` is
null then. An organisation that could not be read has `"report": null` and its reason in
`error`. Without `--json`, each organisation's text report follows a `== profile NAME ==` line,
and each failure is also one line on stderr.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import ApiError, one_line
from orgtui.reports_spend import iso_utc

if TYPE_CHECKING:
    from orgtui.config import Config
    from orgtui.reports import Body

__all__ = ["OrgResult", "run_all"]

EXIT_COULD_NOT_CHECK = 3
_FAILED = {"check": "could not check", "spend": "could not read the spend"}


@dataclass
class OrgResult:
    """One profile's part of the report: its outcome, or why there is none."""

    profile: str
    exit_code: int
    error: str | None = None
    report: dict[str, Any] | None = None
    text: str = ""


def run_all(command: str, args: Any, body: Body, timeout: float) -> int:
    from orgtui.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as exc:
        sys.stderr.write(f"orgtui {command}: {_FAILED[command]}: {one_line(str(exc), 400)}\n")
        return EXIT_COULD_NOT_CHECK
    results = asyncio.run(_all(config, args, body, timeout))
    worst = max(r.exit_code for r in results)
    for r in results:
        if r.error is not None:
            sys.stderr.write(f"orgtui {command}: {r.profile}: {_FAILED[command]}: {r.error}\n")
    if getattr(args, "json", False):
        document = {
            "schema_version": 1,
            "generated_at": iso_utc(time.time()),
            "exit_code": worst,
            "orgs": [
                {
                    "profile": r.profile,
                    "exit_code": r.exit_code,
                    "error": r.error,
                    "report": r.report,
                }
                for r in results
            ],
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        for r in results:
            said = r.text if r.error is None else f"{_FAILED[command]}: {r.error}\n"
            sys.stdout.write(f"== profile {r.profile} ==\n{said}\n")
    sys.stdout.flush()
    return worst


async def _all(config: Config, args: Any, body: Body, timeout: float) -> list[OrgResult]:
    names: list[str | None] = [*sorted(config.profiles)] or [None]
    return list(await asyncio.gather(*(_one(config, name, args, body, timeout) for name in names)))


async def _one(
    config: Config, name: str | None, args: Any, body: Body, timeout: float
) -> OrgResult:
    from orgtui.config import ConfigError
    from orgtui.connect import open_connection
    from orgtui.reports import CouldNotCheck

    label = name or config.default_profile
    try:
        # `to_thread`: an admin_key_command may take a while; the others go on meanwhile.
        connection = await asyncio.to_thread(
            open_connection, name, read_only=True, tolerate_missing_key=True, config=config
        )
    except ConfigError as exc:
        return _failed(label, str(exc))
    if connection.problem is not None:
        return _failed(label, connection.problem)
    try:
        async with asyncio.timeout(timeout):
            code, payload, text = await body(connection, args)
    except (ApiError, CouldNotCheck) as exc:
        return _failed(label, str(exc))
    except TimeoutError:
        return _failed(label, f"gave up after {timeout:g} s (--timeout)")
    finally:
        await connection.aclose()
    return OrgResult(label, code, report=payload, text=text)


def _failed(profile: str, reason: str) -> OrgResult:
    return OrgResult(profile, EXIT_COULD_NOT_CHECK, error=one_line(reason, 400))
