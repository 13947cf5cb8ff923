"""The demo organisation's security controls, so every security screen shows something real:
one org-active certificate 12 days from expiry, one active for search-prod, one not active
anywhere; search-prod on a model allow list; data-pipeline retaining longer than the
organisation (retention "none" against the org's modified abuse monitoring)."""

from __future__ import annotations

import json

from orgtui.sandbox.certs import make_pem, parse_pem
from orgtui.sandbox.store import Store

DAY = 86_400
# (name, common name, valid from days ago, expires in days, active for org, active projects)
CERTIFICATES: list[tuple[str, str, int, int, bool, tuple[str, ...]]] = [
    ("edge-mtls-2025", "edge.acme-robotics.example", 353, 12, True, ()),
    ("partner-gateway", "gateway.acme-robotics.example", 65, 300, False, ("search-prod",)),
    ("staging-client", "staging.acme-robotics.example", 10, 355, False, ()),
]
ALLOW_LIST = {"search-prod": ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"]}
RETENTION_OVERRIDES = {"data-pipeline": "none"}


def seed_security(store: Store) -> None:
    now = store.now()
    ids = {r["name"]: r["id"] for r in store.query("SELECT id, name FROM projects")}
    with store.tx() as c:
        for i, (name, cn, since, left, org, projects) in enumerate(CERTIFICATES):
            pem = make_pem(
                cn,
                now - since * DAY,
                now + left * DAY,
                seed=f"demo-cert:{store.seed}:{i}".encode(),
            )
            cert = parse_pem(pem)
            cid = store.new_id("cert_", 24)
            c.execute(
                "INSERT INTO certificates (id, name, created_at, valid_at, expires_at,"
                " fingerprint, subject, content, active) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    cid,
                    name,
                    now - since * DAY + 3600,
                    cert.valid_at,
                    cert.expires_at,
                    cert.fingerprint,
                    cert.subject,
                    cert.pem,
                    int(org),
                ),
            )
            for pname in projects:
                c.execute(
                    "INSERT INTO project_certificates (project_id, certificate_id) VALUES (?, ?)",
                    (ids[pname], cid),
                )
        for pname, models in ALLOW_LIST.items():
            c.execute(
                "INSERT INTO project_controls (project_id, model_mode, model_ids)"
                " VALUES (?, 'allow_list', ?)",
                (ids[pname], json.dumps(models)),
            )
        for pname, value in RETENTION_OVERRIDES.items():
            c.execute(
                "INSERT INTO project_controls (project_id, retention_type) VALUES (?, ?)"
                " ON CONFLICT (project_id) DO UPDATE SET retention_type = excluded.retention_type",
                (ids[pname], value),
            )
