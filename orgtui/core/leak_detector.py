"""A detect-secrets plugin for the sandbox's minted keys, beside the library's own OpenAI one.

Real OpenAI keys carry a marker the library's `OpenAIDetector` looks for; the sandbox's keys are
deliberately unlike real ones (`sk-proj-SANDBOX-FAKE-...`), so they need their own pattern for
`orgtui scan` to find them in a demo or a test. detect-secrets loads this file by path, so it
imports nothing of orgtui's.
"""

from __future__ import annotations

import re

from detect_secrets.plugins.base import RegexBasedDetector


class SandboxKeyDetector(RegexBasedDetector):
    """Scans for keys minted by the orgtui sandbox."""

    secret_type = "orgtui sandbox key"  # noqa: S105 - a label, not a secret

    denylist = [re.compile(r"sk-(?:svcacct|proj|admin)-SANDBOX-FAKE-[A-Za-z0-9_-]{20,}")]
