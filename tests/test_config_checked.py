"""A config file pydantic accepted once is read again without pydantic (the first frame of a
real profile needs none); any change to the file is validated again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orgtui.config import ConfigError, load_config

GOOD = '[profiles.prod]\nbase_url = "https://example.test/v1/"\nrefresh_seconds = 30\n'

_CHILD = """
import json, sys
from pathlib import Path
from orgtui.config import load_config
config = load_config(Path(sys.argv[1]))
prod = config.profile("prod")
print(json.dumps({
    "pydantic": "pydantic" in sys.modules,
    "base_url": prod.base_url,
    "refresh_seconds": prod.refresh_seconds,
    "spike_factor": prod.thresholds.spike_factor,
}))
"""


def _load_in_child(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_an_unchanged_file_is_read_again_without_pydantic(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD + "[profiles.prod.thresholds]\nspike_factor = 4\n", encoding="utf-8")
    first = _load_in_child(path)
    second = _load_in_child(path)
    assert first["pydantic"] is True and second["pydantic"] is False
    expected = {"base_url": "https://example.test/v1", "refresh_seconds": 30, "spike_factor": 4.0}
    for loaded in (first, second):
        assert {k: loaded[k] for k in expected} == expected
    assert isinstance(second["spike_factor"], float)  # as pydantic made it, not as written


def test_a_changed_file_is_validated_again(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_config(path).profile("prod").refresh_seconds == 30
    path.write_text(GOOD.replace("30", "3"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r":3: 'profiles\.prod\.refresh_seconds'"):
        load_config(path)


def test_a_damaged_record_means_validating_again(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD, encoding="utf-8")
    load_config(path)
    record = Path(os.environ["ORGTUI_CACHE_DIR"]) / "config-checked.json"
    assert record.exists() and "sk-" not in record.read_text(encoding="utf-8")
    assert record.stat().st_mode & 0o077 == 0
    data = json.loads(record.read_text(encoding="utf-8"))
    data["config"]["profiles"]["prod"]["bogus"] = 1
    record.write_text(json.dumps(data), encoding="utf-8")
    assert load_config(path).profile("prod").refresh_seconds == 30
