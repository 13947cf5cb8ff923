"""Parameters of the security actions, for the registry's read-only test."""

from __future__ import annotations

from typing import Any


def security_params(pid: str) -> dict[str, dict[str, Any]]:
    return {
        "certificate.upload": {"path": "/nonexistent/cert.pem"},
        "certificate.rename": {"certificate_id": "cert_x", "name": "n"},
        "certificate.activate": {"certificate_id": "cert_x"},
        "certificate.deactivate": {"certificate_id": "cert_x", "project_id": pid},
        "certificate.delete": {"certificate_id": "cert_x"},
        "security.models": {"project_id": pid, "mode": "allow_list", "model_ids": ["o3"]},
        "security.models_reset": {"project_id": pid},
        "security.tools": {"project_id": pid, "enabled": {"mcp": False}},
        "security.retention": {"project_id": pid, "retention_type": "none"},
        "security.org_retention": {"retention_type": "zero_data_retention"},
        "rate_limit.update": {
            "project_id": pid,
            "rate_limit_id": "rl-gpt-4o",
            "limits": {"max_requests_per_1_minute": 5},
        },
    }
