"""What each Textual private-API trick pays of first paint (a script, not a test).

    python tests/perf/bench_compat.py [--rounds 11] [--scale 500,10000,2000] [--no-served]

For every trick a copy of the `orgtui` package is made with that one trick taken out (a plain
text edit, listed in VARIANTS), and the real entry point (`python -P -m orgtui ...`, the copy
first on PYTHONPATH) is timed by the console's first-paint hook (see _entry.py), interleaved
with the code as it is and with the hello-world app, round after round. A trick pays
`median(without) - median(as is)` ms; a trick is kept only if it pays >= 20 ms, with the
figure noted where it lives (orgtui/ui/compat.py, orgtui/perf_gc.py). Two start-ups: `--demo`
(warm cache) and a real profile against `orgtui sandbox serve --scale ...` in another process
(warm cache over HTTP).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from _entry import HELLO, first_paint  # noqa: E402
from _harness import median  # noqa: E402

# name -> (file under orgtui/, text as it is, text without the trick). Empty: no trick left.
VARIANTS: dict[str, list[tuple[str, str, str]]] = {
    # Kept (orgtui/perf_gc.py); the tricks removed on 2026-12-05 are listed in orgtui/ui/compat.py.
    "gc switch": [("cli.py", "    perf_gc.pause_until_first_frame()\n", "")],
}


def _candidates() -> dict[str, list[tuple[str, str, str]]]:
    """The tricks still in the code: a variant whose text is not found is left out."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for name, edits in VARIANTS.items():
        if all(
            old in (ROOT / "orgtui" / path).read_text(encoding="utf-8") for path, old, _ in edits
        ):
            out[name] = edits
    return out


def _copy(base: Path, name: str, edits: list[tuple[str, str, str]]) -> Path:
    target = base / name
    shutil.copytree(
        ROOT / "orgtui", target / "orgtui", ignore=shutil.ignore_patterns("__pycache__")
    )
    for path, old, new in edits:
        file = target / "orgtui" / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (name, path)
        file.write_text(text.replace(old, new), encoding="utf-8")
    return target


def _env(pythonpath: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEXTUAL", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPATH"] = str(pythonpath)
    return env


def compare(args: list[str], rounds: int, base: Path, extra_env: dict[str, str]) -> None:
    variants = {"as is": _copy(base, "as-is", [])}
    candidates = _candidates()
    for name, edits in candidates.items():
        variants[f"without {name}"] = _copy(base, name.replace(" ", "-"), edits)
    if len(candidates) > 1:
        every = [e for edits in candidates.values() for e in edits]
        variants["without all"] = _copy(base, "all", every)
    argv = ["-P", "-m", "orgtui", *args]
    samples: dict[str, list[float]] = {"hello": []}
    envs = {label: {**_env(path), **extra_env} for label, path in variants.items()}
    first_paint(HELLO, _env(ROOT))
    for env in envs.values():
        first_paint(argv, env)  # writes the copy's .pyc files
    for _ in range(rounds):
        samples["hello"].append(first_paint(HELLO, _env(ROOT))[0])
        for label, env in envs.items():
            samples.setdefault(label, []).append(first_paint(argv, env)[0])
    ref = median(samples["as is"])
    print(f"\n{' '.join(args)}: median of {rounds} interleaved rounds")
    for label, values in samples.items():
        delta = (
            "" if label in ("hello", "as is") else f"  pays {(median(values) - ref) * 1000:+.0f} ms"
        )
        print(f"  {label:<28} {median(values) * 1000:7.0f} ms{delta}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--scale", default="500,10000,2000")
    parser.add_argument("--no-served", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    opts = parser.parse_args()
    if not _candidates():
        print("no private-API trick left to measure")
        return
    from bench_console import _scratch_env, _warm_demo

    _scratch_env()
    base = Path(tempfile.mkdtemp(prefix="orgtui-compat-"))
    try:
        if not opts.no_demo:
            asyncio.run(_warm_demo())
            compare(["--demo"], opts.rounds, base / "demo", {})
        if not opts.no_served:
            from bench_scale import SERVED, _served, _warm_served, _write_profile
            from bench_scale import _env as environ

            from orgtui.sandbox import SANDBOX_ADMIN_KEY

            env = {**os.environ, "OPENAI_ADMIN_KEY": SANDBOX_ADMIN_KEY}
            scale = tuple(int(x) for x in opts.scale.split(","))
            with _served(env, base, scale) as url:  # type: ignore[arg-type]
                _write_profile(env, url)
                with environ(env):
                    asyncio.run(_warm_served())
                compare(["--profile", SERVED], opts.rounds, base / "served",
                        {"OPENAI_ADMIN_KEY": SANDBOX_ADMIN_KEY})  # fmt: skip
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
