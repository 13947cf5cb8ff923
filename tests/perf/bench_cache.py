"""Benchmark: how fast the console can paint from the cache.

Builds a 500-project organisation (one project with 10,000 keys, the others with a handful of
keys, accounts, members, rate limits and limits), saves it, then times `Cache.open` + `load`
(what the console does before its first paint) and a one-part save. Not a test: run it with

    /work/venv/bin/python tests/perf/bench_cache.py [--projects 500] [--big-keys 10000]

Target: load < 150 ms on the development machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from orgtui.api._base import parse
from orgtui.api.models import (  # noqa: E402
    Project,
    ProjectApiKey,
    ProjectRateLimit,
    ProjectServiceAccount,
    ProjectUser,
    SpendAlert,
    SpendLimit,
)
from orgtui.core.cache import Cache  # noqa: E402
from orgtui.core.snapshot import (  # noqa: E402
    PROJECT_PART_KINDS,
    OrgSnapshot,
    PartStatus,
    project_part,
)

NOW = 1_790_000_000.0


def _key(pid: str, i: int) -> ProjectApiKey:
    return parse(
        ProjectApiKey,
        {
            "id": f"key_{pid}_{i:05d}",
            "name": f"service key {i}",
            "redacted_value": "sk-proj-ab...wxyz",
            "created_at": 1_700_000_000 + i,
            "last_used_at": 1_780_000_000 + i,
            "owner_project_access": "active",
            "owner": {
                "type": "service_account",
                "service_account": {
                    "id": f"svc_{i}",
                    "name": f"bot {i}",
                    "created_at": 1,
                    "role": "member",
                },
            },
        },
    )


def build(projects: int, big_keys: int, small_keys: int = 5) -> OrgSnapshot:
    plist = [
        Project(
            id=f"proj_{i:04d}", name=f"Project {i}", created_at=1_700_000_000 + i, status="active"
        )
        for i in range(projects)
    ]
    snap = OrgSnapshot.empty("bench", "Bench Org").with_projects(plist, NOW)
    limit = parse(
        SpendLimit,
        {
            "object": "project.spend_limit",
            "threshold_amount": 50_000,
            "enforcement": {"status": "inactive"},
        },
    )
    alert = parse(
        SpendAlert,
        {
            "id": "alert_1",
            "threshold_amount": 10_000,
            "notification_channel": {"recipients": ["ops@example.test"]},
        },
    )
    for n, project in enumerate(plist):
        pid = project.id
        count = big_keys if n == 0 else small_keys
        snap = snap.with_project(
            pid,
            api_keys=[_key(pid, i) for i in range(count)],
            service_accounts=[
                ProjectServiceAccount(id=f"svc_{i}", name=f"bot {i}", role="member", created_at=1)
                for i in range(small_keys)
            ],
            users=[
                ProjectUser(id=f"user_{i}", email=f"u{i}@example.test", role="member", added_at=1)
                for i in range(3)
            ],
            rate_limits=[
                ProjectRateLimit(
                    id=f"rl_{i}",
                    model=f"model-{i}",
                    max_requests_per_1_minute=10,
                    max_tokens_per_1_minute=1000,
                )
                for i in range(8)
            ],
            spend_limit=limit,
            spend_alerts=[alert],
        )
        for kind in PROJECT_PART_KINDS:
            snap = snap.with_part_status(project_part(pid, kind), PartStatus(NOW))
    return snap


def _ms(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples) * 1000:7.1f} ms   "
        f"min {min(samples) * 1000:7.1f} ms   max {max(samples) * 1000:7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--big-keys", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ORGTUI_CACHE_DIR"] = tmp
        started = time.perf_counter()
        snap = build(args.projects, args.big_keys)
        print(
            f"built snapshot: {args.projects} projects, {args.big_keys} keys in one "
            f"({time.perf_counter() - started:.2f} s)"
        )

        with Cache.open("bench") as cache:
            started = time.perf_counter()
            cache.save(snap)
            print(
                f"full save: {(time.perf_counter() - started) * 1000:.1f} ms; "
                f"file {cache.path.stat().st_size / 1e6:.1f} MB"
                if cache.path
                else ""
            )

        loads: list[float] = []
        opens: list[float] = []
        firsts: list[float] = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            cache = Cache.open("bench")
            opened = time.perf_counter()
            loaded = cache.load()
            loads.append(time.perf_counter() - opened)
            opens.append(opened - started)
            cache.close()
            assert loaded is not None and len(loaded.projects) == args.projects
            started = time.perf_counter()
            big = next(iter(loaded.projects.values())).get("api_keys")  # parsed by get
            firsts.append(time.perf_counter() - started)
            assert big is not None and len(big) == args.big_keys

        with Cache.open("bench") as cache:
            saves: list[float] = []
            pid = next(iter(snap.projects))
            for _ in range(args.repeat):
                started = time.perf_counter()
                cache.save_parts(snap, [project_part(pid, "keys")])
                saves.append(time.perf_counter() - started)

    print(f"Cache.open            {_ms(opens)}")
    print(f"cache.load            {_ms(loads)}")
    print(f"first read of big part {_ms(firsts)}  (parsed lazily, after the first paint)")
    print(f"save 10k-key part     {_ms(saves)}")
    target = 0.150
    verdict = "OK" if statistics.median(loads) < target else "OVER TARGET"
    print(f"load target < {target * 1000:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
