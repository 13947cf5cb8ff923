"""Tables of the security controls (certificates, retention, model and hosted-tool
permissions). Created with IF NOT EXISTS next to the main schema, so older data dirs gain them."""

from __future__ import annotations

SECURITY_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS certificates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    name TEXT,
    created_at INTEGER NOT NULL,
    valid_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    subject TEXT NOT NULL,
    content TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER
);

CREATE TABLE IF NOT EXISTS project_certificates (
    project_id TEXT NOT NULL,
    certificate_id TEXT NOT NULL,
    PRIMARY KEY (project_id, certificate_id)
);

CREATE TABLE IF NOT EXISTS project_controls (
    project_id TEXT PRIMARY KEY,
    retention_type TEXT,
    model_mode TEXT,
    model_ids TEXT,
    hosted_tools TEXT
);
"""
