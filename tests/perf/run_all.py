"""Every perf figure of orgtui in one table (or JSON), each as a ratio to a same-run baseline.

    /work/venv/bin/python tests/perf/run_all.py [--quick] [--time-scale K] [--json]
                                                [--only scale,console,cache]

Each benchmark runs in its own child process (so one's memory and event loop cannot colour
another's), in this order: cache, console, scale. A benchmark module that defines
`measure(*, quick: bool = False) -> list[Row | dict]` is called through it; one that only
prints is run as a script and its output parsed (see `_ADAPTERS`). A benchmark that fails shows
as an ERROR row with the reason; the others still run. See README.md for the figures and targets.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    PERF_DIR,
    Row,
    format_table,
    isolated_env,
    report_child,
    rows_from_json,
    rows_to_json,
    run_child,
)

BENCHES = ("cache", "console", "scale", "incident", "multi_org")
_ROW_FIELDS = {f.name for f in fields(Row)}


def _as_row(item: Any, source: str) -> Row:
    """A Row from a Row, a dataclass-like object or a dict (other helpers' shapes)."""
    if isinstance(item, Row):
        row = item
    else:
        data = item if isinstance(item, dict) else dict(vars(item))
        data = dict(data)
        if "name" in data and "figure" not in data:
            data["figure"] = data.pop("name")
        if "target" in data and "limit" not in data and isinstance(data["target"], int | float):
            data["limit"] = data.pop("target")
        row = Row(**{k: v for k, v in data.items() if k in _ROW_FIELDS})
    row.source = row.source or source
    return row


def _child_measure(module: str, quick: bool, time_scale: float) -> int:
    """In a child: import `module`, call its measure(), report the rows."""
    mod = importlib.import_module(module)
    measure: Callable[..., Any] = mod.measure
    params = inspect.signature(measure).parameters
    kwargs: dict[str, Any] = {}
    if "quick" in params:
        kwargs["quick"] = quick
    if "time_scale" in params:
        kwargs["time_scale"] = time_scale
    rows = [_as_row(item, module).as_dict() for item in measure(**kwargs)]
    report_child({"rows": rows})
    return 0


# ---------------------------------------------------------------------------- print-only scripts

_MS = r"median\s+([\d.]+)\s*ms"


def _parse_cache(out: str) -> list[Row]:
    """bench_cache.py prints medians; its target is load < 150 ms (500 projects, 10k keys)."""
    rows: list[Row] = []
    for label, figure, limit in (
        ("cache.load", "cache load (500 projects, 10k keys)", 150.0),
        ("Cache.open", "cache open", None),
        ("save 10k-key part", "cache save of the 10k-key part", None),
    ):
        m = re.search(re.escape(label) + r"\s+" + _MS, out)
        rows.append(
            Row(figure, float(m.group(1)) if m else None, unit="ms", limit=limit,
                limit_on="value", source="bench_cache",
                note="" if m else f"'{label}' not found in bench_cache output")
        )  # fmt: skip
    return rows


_ADAPTERS: dict[str, tuple[list[str], Callable[[str], list[Row]]]] = {
    "bench_cache": ([], _parse_cache),
}


def _run_bench(name: str, quick: bool, time_scale: float, env: dict[str, str]) -> list[Row]:
    module = f"bench_{name}"
    path = PERF_DIR / f"{module}.py"
    if not path.exists():
        return [Row(f"{module}.py", None, note="not found (not written yet?)", source=module)]
    text = path.read_text(encoding="utf-8")
    try:
        if re.search(r"^def measure\(", text, re.M):
            argv = [str(Path(__file__).resolve()), "--child-module", module,
                    "--time-scale", str(time_scale)] + (["--quick"] if quick else [])  # fmt: skip
            _, result = run_child(argv, env, timeout=3600)
            return rows_from_json(result)
        if module in _ADAPTERS:
            extra, parse = _ADAPTERS[module]
            import subprocess

            proc = subprocess.run(
                [sys.executable, str(path), *extra], env=env, capture_output=True, text=True,
                timeout=1800, check=False,
            )  # fmt: skip
            if proc.returncode != 0:
                raise RuntimeError((proc.stderr or proc.stdout).strip().splitlines()[-1:])
            return parse(proc.stdout)
        return [Row(f"{module}.py", None, source=module,
                    note="defines no measure() and has no output adapter in run_all.py")]  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
        reason = " ".join(str(exc).split())[-300:]
        return [Row(f"{module}.py", None, source=module, note=f"failed: {reason}")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small org (50,2000,300): ~3 min")
    parser.add_argument("--time-scale", type=float, default=1.0, metavar="K",
                        help="run the request budget K times faster (ratios unchanged)")  # fmt: skip
    parser.add_argument(
        "--only", default=",".join(BENCHES), help="comma list of " + ",".join(BENCHES)
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--child-module", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_module:
        return _child_measure(args.child_module, args.quick, args.time_scale)

    chosen = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(chosen) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="orgtui-perf-all-") as tmp:
        env = isolated_env(Path(tmp))
        for name in [b for b in BENCHES if b in chosen]:
            print(f"[run_all] bench_{name} ...", file=sys.stderr, flush=True)
            rows += _run_bench(name, args.quick, args.time_scale, env)
    meta = {
        "quick": args.quick,
        "time_scale": args.time_scale,
        "seconds": round(time.perf_counter() - started, 1),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(rows_to_json(rows, meta))
    else:
        mode = "quick" if args.quick else "full"
        print(f"orgtui perf ({mode}, time scale {args.time_scale:g}, {meta['seconds']} s)\n")
        print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
