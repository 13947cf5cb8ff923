"""The demo organisation's data: who, which projects, keys, invites and limits.

Times are "days ago" / "seconds ago" relative to the moment the database is seeded.
"""

from __future__ import annotations

DEMO_ORG_NAME = "Acme Robotics (sandbox)"
DOMAIN = "acme-robotics.example"
DAY = 86_400
HOUR = 3_600
MIN = 60

# fmt: off

# (name, org role); the first owner owns the sandbox's admin key.
USERS: list[tuple[str, str]] = [
    ("Ada Lovelace", "owner"),
    ("Grace Hopper", "owner"),
    ("Margaret Hamilton", "owner"),
    ("Alan Turing", "reader"),
    ("Katherine Johnson", "reader"),
    ("Barbara Liskov", "reader"),
    ("Dennis Ritchie", "reader"),
    ("Ken Thompson", "reader"),
    ("Radia Perlman", "reader"),
    ("Frances Allen", "reader"),
    ("John McCarthy", "reader"),
    ("Shafi Goldwasser", "reader"),
    ("Leslie Lamport", "reader"),
    ("Hedy Lamarr", "reader"),
    ("Claude Shannon", "reader"),
    ("Annie Easley", "reader"),
    ("Edsger Dijkstra", "reader"),
    ("Sophie Wilson", "reader"),
    ("Tim Berners-Lee", "reader"),
    ("Donald Knuth", "reader"),
    ("Jean Sammet", "reader"),
    ("Niklaus Wirth", "reader"),
    ("Adele Goldberg", "reader"),
    ("Whitfield Diffie", "reader"),
]

# (name, created days ago, residency, archived days ago or None)
PROJECTS: list[tuple[str, int, str, int | None]] = [
    ("Default project", 540, "GLOBAL", None),
    ("search-prod", 400, "GLOBAL", None),
    ("search-dev", 398, "GLOBAL", None),
    ("support-bot-prod", 300, "US_STORAGE_PROCESSING", None),
    ("support-bot-dev", 298, "GLOBAL", None),
    ("data-pipeline", 200, "EU_STORAGE_PROCESSING", None),
    ("experiment-2025", 250, "GLOBAL", 150),
]

# project -> [(first name, project role)]; everyone is also in the default project.
MEMBERS: dict[str, list[tuple[str, str]]] = {
    "search-prod": [("Ada", "owner"), ("Alan", "member"), ("Katherine", "member"), ("Barbara", "owner"), ("Edsger", "member")],
    "search-dev": [("Ada", "owner"), ("Barbara", "owner"), ("Ken", "member"), ("Alan", "member"), ("Donald", "member")],
    "support-bot-prod": [("Grace", "owner"), ("Radia", "member"), ("Claude", "member"), ("Annie", "member")],
    "support-bot-dev": [("Grace", "owner"), ("Radia", "member"), ("Frances", "member"), ("Jean", "member")],
    "data-pipeline": [("Margaret", "owner"), ("Shafi", "member"), ("Niklaus", "member"), ("Adele", "member")],
    "experiment-2025": [("Ada", "owner"), ("Hedy", "member")],
}

# project -> [(service account name, role, created days ago)]
SERVICE_ACCOUNTS: dict[str, list[tuple[str, str, int]]] = {
    "search-prod": [("search-api", "member", 390), ("search-indexer", "member", 160)],
    "search-dev": [("ci-runner", "member", 110)],
    "support-bot-prod": [("support-bot-backend", "member", 300), ("zendesk-sync", "member", 255)],
    "data-pipeline": [("nightly-batch", "member", 195), ("airflow-worker", "owner", 175)],
    "experiment-2025": [("experiment-runner", "member", 250)],
}

# (project, key name, owner: "sa:<name>" or a user"s first name, created days ago,
#  last used seconds ago or None (never), owner_project_access, traffic weight, models,
#  deleted days ago or None)
KEYS: list[tuple[str, str, str, int, int | None, str, float, list[str], int | None]] = [
    ("search-prod", "production-search-service", "sa:search-api", 380, 120, "active", 20.0, ["gpt-4o-mini", "text-embedding-3-small"], None),
    ("search-prod", "search-reranker", "sa:search-api", 200, 30, "active", 8.0, ["gpt-4o"], None),
    ("search-prod", "search-indexer-embeddings", "sa:search-indexer", 150, 300, "active", 12.0, ["text-embedding-3-small"], None),
    ("search-prod", "ada-debug", "Ada", 120, 259200, "active", 0.5, ["gpt-4o"], None),
    ("search-prod", "legacy-search-v1", "Alan", 390, 12096000, "active", 3.0, ["gpt-4o"], None),
    ("search-prod", "oncall-laptop-katherine", "Katherine", 20, None, "active", 0.0, [], None),
    ("search-prod", "search-prod-rotated-2024", "Ada", 300, 8640000, "active", 5.0, ["gpt-4o-mini"], 100),
    ("search-dev", "ci-search-tests", "sa:ci-runner", 100, 3600, "active", 1.0, ["gpt-4o-mini"], None),
    ("search-dev", "search-dev-barbara", "Barbara", 60, 900, "active", 0.6, ["gpt-4o", "o3"], None),
    ("search-dev", "search-dev-dennis", "Dennis", 200, 8208000, "inactive", 0.3, ["gpt-4o-mini"], None),
    ("search-dev", "notebook-experiments", "Ken", 45, None, "active", 0.0, [], None),
    ("support-bot-prod", "support-bot-backend", "sa:support-bot-backend", 300, 60, "active", 15.0, ["gpt-4o", "gpt-4o-mini", "tts-1"], None),
    ("support-bot-prod", "zendesk-webhook", "sa:zendesk-sync", 250, 600, "active", 4.0, ["gpt-4o-mini"], None),
    ("support-bot-prod", "support-bot-voice", "sa:support-bot-backend", 90, 7200, "active", 2.0, ["whisper-1", "tts-1", "gpt-4o-mini"], None),
    ("support-bot-prod", "grace-admin-console", "Grace", 280, 3024000, "active", 0.2, ["gpt-4o"], None),
    ("support-bot-dev", "support-bot-staging", "Radia", 180, 14400, "active", 1.0, ["gpt-4o-mini"], None),
    ("support-bot-dev", "prompt-tuning-frances", "Frances", 30, 176400, "active", 0.4, ["o3"], None),
    ("support-bot-dev", "old-staging-key", "John", 400, 17280000, "inactive", 0.5, ["gpt-4o"], None),
    ("data-pipeline", "nightly-batch-embeddings", "sa:nightly-batch", 190, 21600, "active", 6.0, ["text-embedding-3-small", "gpt-4o-mini"], None),
    ("data-pipeline", "airflow-summarizer", "sa:airflow-worker", 170, 1200, "active", 5.0, ["gpt-4o-mini", "o4-mini"], None),
    ("data-pipeline", "image-captioning", "sa:airflow-worker", 60, 3600, "active", 2.0, ["gpt-image-1", "gpt-4o"], None),
    ("data-pipeline", "shafi-data-exploration", "Shafi", 100, None, "active", 0.0, [], None),
    ("Default project", "default-key-ada", "Ada", 530, 7862400, "active", 1.0, ["gpt-4o"], None),
    ("Default project", "quickstart", "Leslie", 10, 259200, "active", 0.2, ["gpt-4o-mini"], None),
    ("experiment-2025", "experiment-runner-key", "sa:experiment-runner", 250, 13046400, "active", 3.0, ["o3"], 150),
    ("experiment-2025", "hedy-experiments", "Hedy", 240, 13824000, "active", 1.0, ["gpt-4o"], 150),
]

# (email, role, created days ago, status, grants [(project, role)] or None = default project)
# A "pending" invite older than 7 days shows as expired.
INVITES: list[tuple[str, str, int, str, list[tuple[str, str]] | None]] = [
    ("nora.kim@acme-robotics.example", "reader", 2, "pending", None),
    ("contractor@partner-labs.example", "reader", 1, "pending", [("search-dev", "member")]),
    ("leslie.lamport@acme-robotics.example", "reader", 12, "accepted", None),
    ("sophie.wilson@acme-robotics.example", "reader", 60, "accepted", [("search-prod", "member")]),
    ("old-hire@acme-robotics.example", "reader", 30, "pending", None),
]

# scope (project name, None = organisation) -> hard limit in cents. Sized against the
# traffic engine's demo spend (about $28k a month org-wide): the org and the production projects
# stay under their limits; search-dev reaches its small one early each month.
SPEND_LIMITS: dict[str | None, int] = {
    None: 4000000,
    "search-prod": 2500000,
    "support-bot-prod": 600000,
    "search-dev": 10000,
}

# (scope, threshold cents, recipients, subject prefix)
SPEND_ALERTS: list[tuple[str | None, int, list[str], str | None]] = [
    (None, 2000000, ["finance@acme-robotics.example", "ada.lovelace@acme-robotics.example"], "[Acme OpenAI]"),
    (None, 3000000, ["finance@acme-robotics.example"], "[Acme OpenAI] URGENT"),
    ("search-prod", 1500000, ["search-oncall@acme-robotics.example"], None),
    ("data-pipeline", 250000, ["margaret.hamilton@acme-robotics.example"], "[data-pipeline]"),
]

# (project, model, field, value): projects that lowered a rate limit.
RATE_LIMIT_CHANGES: list[tuple[str, str, str, int]] = [
    ("search-dev", "gpt-4o", "max_requests_per_1_minute", 500),
    ("search-dev", "gpt-4o", "max_tokens_per_1_minute", 300000),
    ("support-bot-dev", "o3", "max_requests_per_1_minute", 100),
]
# fmt: on
