"""`orgtui whose` and `orgtui scan` as an admin runs them after a leak: a subprocess against the
demo sandbox, exit codes, JSON, and the key value never echoed or written anywhere."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from orgtui.sandbox import create_app
from tests.test_reports import WRAPPER, api, demo_db

PROJECT = "search-prod"


def orgtui(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _demo() -> Any:
    return create_app(demo_db(), demo=True)


def _project_id(app: Any, name: str = PROJECT) -> str:
    store = app.state.sandbox.store
    rows = store.query("SELECT id FROM projects WHERE name = ?", (name,))
    return rows[0]["id"]


def _new_account(app: Any, name: str) -> dict[str, Any]:
    pid = _project_id(app)
    return asyncio.run(api(app, "POST", f"/projects/{pid}/service_accounts", {"name": name}))


def _mint(app: Any, name: str) -> tuple[str, str]:
    """A new service account's key: (key id, value)."""
    made = _new_account(app, name)
    return made["api_key"]["id"], made["api_key"]["value"]


def _minted_then_revoked(app: Any, name: str) -> str:
    """A key value whose account (its only way to revoke) has been deleted."""
    made = _new_account(app, name)
    pid = _project_id(app)
    asyncio.run(api(app, "DELETE", f"/projects/{pid}/service_accounts/{made['id']}"))
    return made["api_key"]["value"]


def _nothing_holds(value: str, done: subprocess.CompletedProcess[str], home: Path) -> None:
    assert value not in done.stdout and value not in done.stderr
    for path in home.rglob("*"):
        if path.is_file():
            assert value.encode() not in path.read_bytes(), f"{path} holds the key value"


def test_whose_names_the_key_from_its_value_and_keeps_it_nowhere(isolated_dirs: Path) -> None:
    app = _demo()
    key_id, value = _mint(app, "leaky-service")
    app.state.sandbox.store.close()

    done = orgtui("whose", "--demo", "--json", stdin=value + "\n")

    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["exit_code"] == 0 and len(data["matches"]) == 1
    match = data["matches"][0]
    assert match["key_id"] == key_id and match["project_name"] == PROJECT
    assert match["kind"] == "service_account_key" and match["owner"] == "leaky-service"
    assert match["organisation"] == "Acme Robotics (sandbox)"
    assert data["probe"] == f"sk-svcacct...{value[-4:]}"  # only the redacted form is echoed
    _nothing_holds(value, done, isolated_dirs)


def test_whose_text_says_what_to_do(isolated_dirs: Path) -> None:
    app = _demo()
    _, value = _mint(app, "leaky-text")
    app.state.sandbox.store.close()

    done = orgtui("whose", "--demo", stdin=value)

    assert done.returncode == 0, done.stderr
    assert "1 key matches" in done.stdout and "leaky-text" in done.stdout
    assert "delete" in done.stdout  # a fresh key has no traffic: delete it
    _nothing_holds(value, done, isolated_dirs)


def test_whose_exit_codes_for_none_several_and_unusable() -> None:
    app = _demo()
    tails = {
        r["redacted_value"][-4:]
        for r in app.state.sandbox.store.query("SELECT redacted_value FROM api_keys")
    }
    app.state.sandbox.store.close()
    absent = next(t for t in ("QQQQ", "QQQR", "QQQS") if t not in tails)

    none = orgtui("whose", "--demo", stdin=f"sk-proj...{absent}")
    several = orgtui("whose", "--demo", "--json", stdin="sk-svcacct-abc")
    unusable = orgtui("whose", "--demo", stdin="ab")

    assert none.returncode == 1 and "not a live key here" in none.stdout
    assert several.returncode == 4
    assert len(json.loads(several.stdout)["matches"]) > 1
    assert unusable.returncode == 2 and "too short" in unusable.stderr


def test_a_key_given_on_the_command_line_is_refused_without_echo() -> None:
    value = "sk-proj-SANDBOX-FAKE-abcdefghijklmnopqrstuvwxyz0123"

    done = orgtui("whose", "--demo", value)

    assert done.returncode == 2
    assert value not in done.stderr and value not in done.stdout


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
    )


def test_scan_finds_the_live_key_in_files_and_history(isolated_dirs: Path, tmp_path: Path) -> None:
    app = _demo()
    live_id, live = _mint(app, "leaky-live")
    dead = _minted_then_revoked(app, "leaky-dead")
    app.state.sandbox.store.close()
    unknown = "sk-proj-SANDBOX-FAKE-" + "x" * 40 + "QZQZ"  # never minted anywhere
    repo = tmp_path / "service"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "settings.py").write_text(f'OPENAI_API_KEY = "{live}"\n')
    (repo / "old.env").write_text(f"OPENAI_API_KEY={dead}\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "first")
    (repo / "settings.py").write_text('OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]\n')
    (repo / "notes.md").write_text(f"try {unknown}\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "second")
    (repo / "settings.py").write_text(f'FALLBACK = "{live}"\n')  # and again, not committed

    done = orgtui("scan", str(repo), "--git-history", "--demo", "--json")

    assert done.returncode == 1, done.stderr  # a live key was found
    data = json.loads(done.stdout)
    live_rows = [f for f in data["findings"] if f["live"]]
    assert {(f["file"], f["commit"] is not None) for f in live_rows} == {
        ("settings.py", False),  # the working tree
        ("settings.py", True),  # the first commit
    }
    assert all(f["matches"][0]["key_id"] == live_id for f in live_rows)
    dead_rows = [f for f in data["findings"] if f["key"].endswith(dead[-4:])]
    unknown_rows = [f for f in data["findings"] if f["key"].endswith("QZQZ")]
    assert dead_rows and not any(f["live"] for f in dead_rows)
    assert unknown_rows and not any(f["live"] for f in unknown_rows)
    for value in (live, dead, unknown):
        _nothing_holds(value, done, isolated_dirs)

    check = orgtui("check", "--demo", "--json")
    seen = [
        f
        for f in json.loads(check.stdout)["findings"]
        if f["id"] == "key.seen_outside_secret_store"
    ]
    assert [o["id"] for f in seen for o in f["objects"]] == [live_id]


def test_scan_of_a_clean_tree_exits_0(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('KEY = os.environ["OPENAI_API_KEY"]\n')

    done = orgtui("scan", str(tmp_path), "--demo")

    assert done.returncode == 0, done.stderr
    assert "0 key-shaped string(s)" in done.stdout


def test_scan_of_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    done = orgtui("scan", str(tmp_path / "nope"), "--demo")

    assert done.returncode == 2 and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr
