"""The sandbox's SQLite schema. `seq` columns give every list its stable creation order."""

from __future__ import annotations

SCHEMA_VERSION = 1

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);

CREATE TABLE IF NOT EXISTS projects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    archived_at INTEGER,
    external_key_id TEXT,
    residency TEXT NOT NULL DEFAULT 'GLOBAL',
    is_default INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    name TEXT,
    email TEXT,
    role TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    technical_level TEXT,
    developer_persona TEXT,
    deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS users_email ON users (email);

CREATE TABLE IF NOT EXISTS project_users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    UNIQUE (project_id, user_id)
);
CREATE INDEX IF NOT EXISTS project_users_user ON project_users (user_id);

CREATE TABLE IF NOT EXISTS service_accounts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS service_accounts_project ON service_accounts (project_id, seq);

CREATE TABLE IF NOT EXISTS api_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    project_id TEXT NOT NULL,
    name TEXT NOT NULL,
    redacted_value TEXT NOT NULL,
    value_hash TEXT,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    owner_type TEXT NOT NULL,
    owner_user_id TEXT,
    owner_sa_id TEXT,
    owner_project_access TEXT NOT NULL DEFAULT 'active',
    scopes TEXT NOT NULL DEFAULT '[]',
    weight REAL NOT NULL DEFAULT 0,
    models TEXT NOT NULL DEFAULT '[]',
    active_until INTEGER,
    deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_keys_project ON api_keys (project_id, seq);
CREATE INDEX IF NOT EXISTS api_keys_hash ON api_keys (value_hash);

CREATE TABLE IF NOT EXISTS rate_limits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    model TEXT NOT NULL,
    max_requests_per_1_minute INTEGER NOT NULL,
    max_tokens_per_1_minute INTEGER NOT NULL,
    max_images_per_1_minute INTEGER,
    max_audio_megabytes_per_1_minute INTEGER,
    max_requests_per_1_day INTEGER,
    batch_1_day_max_input_tokens INTEGER,
    UNIQUE (project_id, id)
);

CREATE TABLE IF NOT EXISTS invites (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    accepted_at INTEGER,
    projects TEXT NOT NULL DEFAULT '[]',
    deleted_at INTEGER
);

CREATE TABLE IF NOT EXISTS admin_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    name TEXT,
    redacted_value TEXT NOT NULL,
    value_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_used_at INTEGER,
    owner_user_id TEXT NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS admin_keys_hash ON admin_keys (value_hash);

CREATE TABLE IF NOT EXISTS spend_limits (
    scope TEXT PRIMARY KEY,
    threshold_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    interval TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS spend_alerts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    scope TEXT NOT NULL,
    threshold_amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    interval TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject_prefix TEXT,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE IF NOT EXISTS audit_logs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    type TEXT NOT NULL,
    effective_at INTEGER NOT NULL,
    project_id TEXT,
    project_name TEXT,
    actor TEXT,
    actor_ids TEXT NOT NULL DEFAULT '',
    actor_email TEXT,
    resource_id TEXT,
    details TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_logs_effective ON audit_logs (effective_at);
"""
