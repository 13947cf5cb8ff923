"""The command line. Commands that draw no screen never import textual."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from orgtui import __version__

EXIT_USAGE = 2
_KEY_SHAPED = re.compile(r"(sk-[a-z]*)-?[A-Za-z0-9_-]{8,}")
EXIT_CONFIG = 3  # a configuration error (one line on stderr), as `check` and `spend --once`


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad option in one line and exits 2, without a traceback."""

    def error(self, message: str) -> NoReturn:
        # A key pasted as an argument is echoed by argparse ("unrecognized arguments"): not here.
        message = _KEY_SHAPED.sub(lambda m: f"{m.group(1)}...", message)
        sys.stderr.write(f"{self.prog}: {message} (see {self.prog} --help)\n")
        raise SystemExit(EXIT_USAGE)


# Options that mean the same before and after a subcommand (`orgtui --demo check` is
# `orgtui check --demo`). After it they are parsed under `sub_<name>` and merged in `_merge`.
# `--profile` is repeatable (`profiles`): the console opens several, every other command one.
GLOBAL_OPTIONS = ("demo", "base_url", "read_only")


def _add_target(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--profile",
        dest=f"{prefix}profiles",
        action="append",
        metavar="NAME",
        help="profile from the config file (the console: repeat it to open several)",
    )
    group.add_argument(
        "--demo",
        dest=f"{prefix}demo",
        action="store_true",
        help="use the built-in sandbox organisation",
    )
    parser.add_argument(
        "--base-url",
        dest=f"{prefix}base_url",
        metavar="URL",
        help="override the profile's API base URL",
    )
    parser.add_argument(
        "--read-only", dest=f"{prefix}read_only", action="store_true", help="refuse every change"
    )


def _merge(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.Namespace:
    """Global options given after the subcommand join those given before it; the same option
    given twice with different values is an error (exit 2), as is --profile with --demo."""
    for name in GLOBAL_OPTIONS:
        late = getattr(args, f"sub_{name}", None)
        if late is None or late is False:
            continue
        early = getattr(args, name, None)
        if early not in (None, False) and early != late:
            option = "--" + name.replace("_", "-")
            parser.error(f"{option} given twice with different values ({early!r}, {late!r})")
        setattr(args, name, late)
    profiles = list(
        dict.fromkeys([*(args.profiles or ()), *(getattr(args, "sub_profiles", None) or ())])
    )
    if len(profiles) > 1 and not _opens_console(args):
        parser.error(
            f"--profile given twice with different values ({profiles[0]!r}, {profiles[1]!r})"
        )
    args.profiles, args.profile = profiles, (profiles[0] if profiles else None)
    if args.demo and args.profile:
        parser.error("--profile and --demo cannot be used together")
    if getattr(args, "all_profiles", False) and args.command in ("check", "spend"):
        if args.profile or args.demo:
            parser.error("--all-profiles cannot be used with --profile or --demo")
        if args.base_url:
            parser.error("--all-profiles cannot be used with --base-url (each profile has its own)")
    return args


def _opens_console(args: argparse.Namespace) -> bool:
    """The console (`orgtui`, `orgtui spend`) can open several profiles at once."""
    once = any(getattr(args, name, False) for name in ("once", "json", "all_profiles"))
    return args.command is None or (args.command == "spend" and not once)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"should be between 0 and 86400 seconds: {text!r}")
    return value


def _add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="give up (exit 3) when the whole command takes longer (default 60)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="orgtui",
        description="A terminal console for OpenAI organisations (Admin API).",
        epilog="Run `orgtui --demo` to explore the built-in sandbox organisation.",
    )
    parser.add_argument("--version", action="version", version=f"orgtui {__version__}")
    _add_target(parser)
    parser.add_argument("--spend", action="store_true", help="start on the spend screen")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    locate = sub.add_parser("locate", help="print every path orgtui uses")
    _add_target(locate, "sub_")

    check = sub.add_parser(
        "check", help="best-practice health checks (exit 0/1/2, 3 could not check)"
    )
    _add_target(check, "sub_")
    check.add_argument("--all-profiles", action="store_true", help="every configured profile")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    _add_timeout(check)

    spend = sub.add_parser("spend", help="month-to-date spend, limits and top keys")
    _add_target(spend, "sub_")
    spend.add_argument("--once", action="store_true", help="print once and exit (no screen)")
    spend.add_argument("--json", action="store_true", help="machine-readable output")
    spend.add_argument(
        "--all-profiles", action="store_true", help="every configured profile (with --once)"
    )
    _add_timeout(spend)

    whose = sub.add_parser(
        "whose", help="whose is this key? (the value or its end on stdin; exit 0/1/4)"
    )
    _add_target(whose, "sub_")
    whose.add_argument("--all-profiles", action="store_true", help="every configured profile")
    whose.add_argument("--json", action="store_true", help="machine-readable output")

    scan = sub.add_parser("scan", help="find live keys in files and git history (exit 0/1)")
    scan.add_argument("path", metavar="PATH", help="a file or a folder")
    scan.add_argument("--git-history", action="store_true", help="also every commit's changes")
    _add_target(scan, "sub_")
    scan.add_argument("--all-profiles", action="store_true", help="every configured profile")
    scan.add_argument("--json", action="store_true", help="machine-readable output")

    sandbox = sub.add_parser("sandbox", help="the local Admin API sandbox (serve, reset)")
    sandbox.add_argument("sandbox_args", nargs=argparse.REMAINDER, help="serve | reset [options]")
    return parser


def _locate(profile: str | None) -> int:
    from orgtui import paths

    for label, path in paths.all_paths(profile).items():
        print(f"{label:<17} {path}")
    return 0


def _console(args: argparse.Namespace, start: str) -> int:
    from orgtui import perf_gc

    # No cyclic garbage collection until the first frame is drawn (the app turns it back on):
    # it pays tens of milliseconds of first paint, measured in orgtui/perf_gc.py.
    perf_gc.pause_until_first_frame()
    from orgtui.config import ConfigError, load_config
    from orgtui.connect import Connection, console_profiles, open_connection, open_connections

    connections: list[Connection]
    try:
        if args.demo:  # the demo is one organisation
            connections = [open_connection(args.profile, demo=True, read_only=args.read_only)]
        else:
            config = load_config()
            names = console_profiles(args.profiles, config)
            if len(names) > 1 and args.base_url:
                sys.stderr.write(
                    "orgtui: --base-url applies to one organisation; name it with --profile\n"
                )
                return EXIT_USAGE
            connections = open_connections(
                names, base_url=args.base_url, read_only=args.read_only, config=config
            )
    except ConfigError as exc:
        sys.stderr.write(f"orgtui: {exc}\n")
        return EXIT_CONFIG
    from orgtui.ui import run_console

    return run_console(connections, start=start)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = _merge(parser, parser.parse_args(argv))
    if args.command not in ("locate", "sandbox"):
        from orgtui.logs import start_log_file

        start_log_file()
    try:
        if args.command == "locate":
            return _locate(args.profile or ("demo" if args.demo else None))
        if args.command == "check":
            from orgtui.reports import run_check

            return run_check(args)
        if args.command == "spend":
            if args.once or args.json or args.all_profiles:
                from orgtui.reports import run_spend_once

                return run_spend_once(args)
            return _console(args, start="spend")
        if args.command in ("whose", "scan"):
            from orgtui import leaks

            return leaks.run_whose(args) if args.command == "whose" else leaks.run_scan(args)
        if args.command == "sandbox":
            from orgtui.sandbox.cli import main as sandbox_main

            return sandbox_main(list(args.sandbox_args))
        return _console(args, start="spend" if args.spend else "main")
    except KeyboardInterrupt:
        return 130
