"""`orgtui sandbox serve|reset`: run the sandbox on a loopback port, or wipe its data.

Never imports textual (tests check `sys.modules`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

DB_NAME = "sandbox.sqlite3"
# `orgtui --demo` keeps its in-process sandbox beside it (see orgtui/connect.py).
DB_NAMES = (DB_NAME, "demo.sqlite3")


class _Parser(argparse.ArgumentParser):
    """Bad values exit 2 with one line, not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"orgtui sandbox: error: {message}\n")


def _default_data_dir() -> Path:
    try:
        from orgtui.paths import sandbox_data_dir  # the integrator's single place for paths

        return Path(sandbox_data_dir())
    except (ImportError, AttributeError):
        from platformdirs import user_data_dir

        return Path(user_data_dir("orgtui")) / "sandbox"


def _scale(text: str) -> tuple[int, int, int]:
    from orgtui.sandbox.scale import parse_scale

    try:
        return parse_scale(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"invalid --scale '{text}': {exc}") from None


def _non_negative(
    kind: type[int] | type[float], upper: float | None = None
) -> Callable[[str], int | float]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a valid {kind.__name__}") from None
        if value < 0 or (upper is not None and value > upper):
            bound = f"between 0 and {upper}" if upper is not None else "non-negative"
            raise argparse.ArgumentTypeError(f"'{text}' must be {bound}")
        return value

    return parse


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is out of range 0-65535")
    return value


INCIDENT_HEAD_START = 15 * 60  # seconds an `--incident` spike has been running at startup


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="orgtui sandbox", description="A local OpenAI Admin API sandbox.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    serve = sub.add_parser("serve", help="serve the sandbox API over HTTP (loopback by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8765)
    serve.add_argument("--data-dir", type=Path, default=None)
    serve.add_argument("--admin-key", default=None, help="the admin key to accept")
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--scale", type=_scale, default=None, metavar="P,K,U")
    serve.add_argument("--latency-ms", type=_non_negative(float), default=0.0)
    serve.add_argument("--rate-limit-rpm", type=_non_negative(int), default=None)
    serve.add_argument("--error-rate", type=_non_negative(float, 1.0), default=0.0)
    serve.add_argument(
        "--incident",
        default=None,
        metavar="KEY_ID",
        help="spike this project API key's traffic (x25), as if it began 15 minutes before"
        " startup, so the first poll already sees it",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"]
    )
    reset = sub.add_parser("reset", help="delete the sandbox database (the demo is re-seeded)")
    reset.add_argument("--data-dir", type=Path, default=None)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app

    data_dir: Path = args.data_dir or _default_data_dir()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"orgtui sandbox: error: cannot create data dir {data_dir}: {exc}", file=sys.stderr)
        return 2
    admin_key = args.admin_key or SANDBOX_ADMIN_KEY
    app = create_app(data_dir / DB_NAME, admin_key=admin_key, seed=args.seed, scale=args.scale)
    sb = app.state.sandbox
    sb.faults.latency_ms = args.latency_ms
    sb.faults.rate_limit_rpm = args.rate_limit_rpm or None
    sb.faults.error_rate = args.error_rate
    if args.incident:
        sb.set_incident(args.incident, since=sb.clock() - INCIDENT_HEAD_START)
    host = args.host
    shown = f"[{host}]" if ":" in host else host
    print(f"orgtui sandbox: {sb.store.org_name()}")
    print(f"  API:       http://{shown}:{args.port}/v1")
    print(f"  admin key: {admin_key}   (a fake key: export OPENAI_ADMIN_KEY to use it)")
    print(f"  data:      {data_dir / DB_NAME}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"  warning: listening on {host}, not loopback only", file=sys.stderr)
    sys.stdout.flush()
    uvicorn.run(app, host=host, port=args.port, log_level=args.log_level, lifespan="off")
    return 0


def _reset(args: argparse.Namespace) -> int:
    """Remove the served sandbox's database and the in-process demo's (`orgtui --demo`)."""
    data_dir: Path = args.data_dir or _default_data_dir()
    removed = 0
    for name in DB_NAMES:
        for suffix in ("", "-wal", "-shm"):
            path = data_dir / (name + suffix)
            if path.exists():
                path.unlink()
                removed += 1
    print(f"orgtui sandbox: {'reset' if removed else 'nothing to reset in'} {data_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    return _reset(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
