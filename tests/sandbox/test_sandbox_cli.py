"""`orgtui sandbox serve|reset`: argument errors, and a real server on a loopback socket."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from orgtui.sandbox import SANDBOX_ADMIN_KEY
from orgtui.sandbox.cli import main
from tests.pilot_support import POLL_SECONDS

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--port", "http"],
        ["serve", "--port", "70000"],
        ["serve", "--scale", "1,2"],
        ["serve", "--error-rate", "2"],
        ["serve", "--latency-ms", "-5"],
        ["serve", "--rate-limit-rpm", "lots"],
        ["serve", "--seed", "x"],
        ["launch"],
        [],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("orgtui sandbox: error:") and "\n" not in err
    assert "Traceback" not in err


def test_reset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("sandbox.sqlite3", "sandbox.sqlite3-wal", "demo.sqlite3"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["reset", "--data-dir", str(tmp_path)]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    assert "reset" in capsys.readouterr().out
    assert main(["reset", "--data-dir", str(tmp_path)]) == 0


def test_default_data_dir_comes_from_orgtui_paths() -> None:
    from orgtui.sandbox.cli import _default_data_dir

    assert _default_data_dir() == Path(os.environ["ORGTUI_DATA_DIR"]) / "sandbox"


def test_serve_path_never_imports_textual(tmp_path: Path) -> None:
    code = (
        "import sys, uvicorn; uvicorn.run = lambda *a, **k: None; "
        "from orgtui.sandbox.cli import main; "
        f"rc = main(['serve', '--data-dir', {str(tmp_path)!r}]); "
        "assert rc == 0; assert 'textual' not in sys.modules, 'textual imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_over_a_socket(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from orgtui.sandbox.cli import main; sys.exit(main(sys.argv[1:]))",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
            "--seed",
            "3",
            "--rate-limit-rpm",
            "100",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"}
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(f"{base}/v1/organization/projects", headers=headers, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(POLL_SECONDS)
        assert r.status_code == 200 and r.json()["object"] == "list"
        assert httpx.get(f"{base}/v1/organization/projects").status_code == 401
        state = httpx.get(f"{base}/_sandbox/state", headers=headers).json()
        assert state["org_name"] == "Acme Robotics (sandbox)"
        # A dropped connection looks like one to a real client.
        httpx.post(f"{base}/_sandbox/faults", headers=headers, json={"drop_rate": 1.0})
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{base}/v1/organization/users", headers=headers, timeout=5)
        httpx.post(
            f"{base}/_sandbox/faults",
            headers=headers,
            json={"reset": True, "hang_rate": 1.0, "hang_seconds": 3},
        )
        with pytest.raises(httpx.TimeoutException):
            httpx.get(f"{base}/v1/organization/users", headers=headers, timeout=0.3)
        httpx.post(f"{base}/_sandbox/faults", headers=headers, json={"reset": True})
        assert httpx.get(f"{base}/v1/organization/users", headers=headers).status_code == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/v1" in out
    assert SANDBOX_ADMIN_KEY in out
    assert (tmp_path / "sandbox.sqlite3").exists()
