"""The log file (`orgtui locate` prints where): warnings and errors of the console and the
report commands, one line each, with the admin key redacted (any case, any 12+ character
fragment) from every line, tracebacks included.

    start_log_file()            # cli.main: before anything can go wrong
    add_secret(key.reveal())    # connect: once the admin key is known
"""

from __future__ import annotations

import logging
from pathlib import Path

from orgtui.api._secret import redact

_secrets: list[str] = []
_handler: logging.Handler | None = None
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then takes every known secret out of the whole text."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_all(super().format(record))


def redact_all(text: str) -> str:
    for secret in _secrets:
        text = redact(text, secret)
    return text


def add_secret(value: str) -> None:
    if value and value not in _secrets:
        _secrets.append(value)


def start_log_file(path: Path | None = None, level: int = logging.WARNING) -> Path:
    """Send the `orgtui` loggers' warnings to the log file (created on the first line)."""
    global _handler
    from orgtui import paths

    target = path or paths.log_file()
    logger = logging.getLogger("orgtui")
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(target, encoding="utf-8", delay=True)
    handler.setLevel(level)
    handler.setFormatter(RedactingFormatter(FORMAT))
    logger.addHandler(handler)  # the logger's level is left alone (warnings pass by default)
    _handler = handler
    return target


def stop_log_file() -> None:
    """Detach the log file (tests; a second console in one process)."""
    global _handler
    if _handler is not None:
        logging.getLogger("orgtui").removeHandler(_handler)
        _handler.close()
        _handler = None
