"""Handing a value to tmux itself: `tmux load-buffer -w -` (the value on stdin, never in argv).

Inside tmux an application's OSC 52 only lands when the user's config lets it
(`set-clipboard on`, or `allow-passthrough on` for the wrapped form); with tmux's defaults
nothing arrives. tmux's own client does not depend on that: `load-buffer` puts the value in a
paste buffer, and `-w` (tmux 3.2 and later) also sends it to the outer terminal's clipboard.
The buffer has our own name, so it can be checked (`list-buffers`) and deleted afterwards.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["TmuxCopy", "tmux_buffer_name", "tmux_delete_buffer", "tmux_load"]

TIMEOUT = 3.0
_counter = itertools.count(1)


@dataclass(frozen=True)
class TmuxCopy:
    """What `tmux_load` did: the buffer it made, whether `-w` was accepted, and whether the
    buffer was then seen in `list-buffers` with the value's size."""

    buffer: str | None
    forwarded: bool = False
    checked: bool = False
    error: str | None = None


def tmux_buffer_name() -> str:
    return f"orgtui-{os.getpid()}-{next(_counter)}"


def _env(env: Mapping[str, str] | None) -> dict[str, str] | None:
    return None if env is None else {**os.environ, **env}


def _tmux(
    args: list[str],
    runner: Callable[..., Any],
    which: Callable[[str], str | None],
    env: Mapping[str, str] | None,
    data: bytes | None = None,
) -> Any:
    path = which("tmux")
    if not path:
        raise FileNotFoundError("tmux")
    return runner(
        [path, *args],
        input=data if data is not None else b"",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=TIMEOUT,
        check=True,
        env=_env(env),
    )


def tmux_load(
    text: str,
    *,
    runner: Callable[..., Any] = subprocess.run,
    which: Callable[[str], str | None] = shutil.which,
    env: Mapping[str, str] | None = None,
) -> TmuxCopy:
    """Load `text` into a new named tmux buffer (and the outer clipboard with `-w`)."""
    name = tmux_buffer_name()
    data = text.encode("utf-8")
    forwarded = True
    try:
        try:
            _tmux(["load-buffer", "-w", "-b", name, "-"], runner, which, env, data)
        except subprocess.CalledProcessError:
            # tmux before 3.2 has no -w: the buffer alone, the terminal gets OSC 52.
            forwarded = False
            _tmux(["load-buffer", "-b", name, "-"], runner, which, env, data)
    except (OSError, subprocess.SubprocessError) as exc:
        return TmuxCopy(buffer=None, error=type(exc).__name__)
    checked = False
    try:
        listed = _tmux(["list-buffers", "-F", "#{buffer_name} #{buffer_size}"], runner, which, env)
        out = listed.stdout.decode("utf-8", "replace") if listed is not None else ""
        checked = f"{name} {len(data)}" in out.splitlines()
    except (OSError, subprocess.SubprocessError, AttributeError):
        checked = False
    return TmuxCopy(buffer=name, forwarded=forwarded, checked=checked)


def tmux_delete_buffer(
    name: str,
    *,
    runner: Callable[..., Any] = subprocess.run,
    which: Callable[[str], str | None] = shutil.which,
    env: Mapping[str, str] | None = None,
) -> bool:
    try:
        _tmux(["delete-buffer", "-b", name], runner, which, env)
    except (OSError, subprocess.SubprocessError):
        return False
    return True
