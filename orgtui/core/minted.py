"""Which key values this process minted, without keeping them.

The cache refuses a part only when it would store a value this console actually received
from a create call (or a create response's `value` field). A name that merely looks like a
key (`sk-proj-` + 20 characters, chosen by anyone who can name a project) is data, not a
secret: it is stored like any other name. Each minted value is kept as a keyed fingerprint
(HMAC-SHA256 under a random per-process key), never as the value.
"""

from __future__ import annotations

import hashlib
import hmac
import os

_SALT = os.urandom(32)
_FINGERPRINTS: set[bytes] = set()
_LENGTHS: set[int] = set()


def _fingerprint(value: bytes) -> bytes:
    return hmac.new(_SALT, value, hashlib.sha256).digest()


def remember_minted(value: str) -> None:
    """Called where a minted value arrives (`OneTimeSecret`)."""
    raw = value.encode("utf-8", "surrogatepass")
    _FINGERPRINTS.add(_fingerprint(raw))
    _LENGTHS.add(len(raw))


def holds_minted(token: bytes) -> bool:
    """Whether `token` (a key-like run of text) is, or contains, a value minted here."""
    if not _FINGERPRINTS:
        return False
    for length in _LENGTHS:
        for start in range(len(token) - length + 1):
            if _fingerprint(token[start : start + length]) in _FINGERPRINTS:
                return True
    return False
