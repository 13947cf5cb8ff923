"""The top-level fields each request body of the Admin API spec may hold. A field not listed
is a 400, as a strict API answers. Generated from shared/openai-admin-openapi.yaml."""

from __future__ import annotations

BODY_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("POST", "/organization/admin_api_keys"): frozenset({"name", "expires_in_seconds"}),
    ("POST", "/organization/certificates"): frozenset({"name", "certificate"}),
    ("POST", "/organization/certificates/activate"): frozenset({"certificate_ids"}),
    ("POST", "/organization/certificates/deactivate"): frozenset({"certificate_ids"}),
    ("POST", "/organization/certificates/{certificate_id}"): frozenset({"name"}),
    ("POST", "/organization/data_retention"): frozenset({"retention_type"}),
    ("POST", "/organization/groups"): frozenset({"name"}),
    ("POST", "/organization/groups/{group_id}"): frozenset({"name"}),
    ("POST", "/organization/groups/{group_id}/roles"): frozenset({"role_id"}),
    ("POST", "/organization/groups/{group_id}/users"): frozenset({"user_id"}),
    ("POST", "/organization/invites"): frozenset({"email", "role", "projects"}),
    ("POST", "/organization/projects"): frozenset({"name", "residency", "external_key_id"}),
    ("POST", "/organization/projects/{project_id}"): frozenset({"name", "external_key_id"}),
    ("POST", "/organization/projects/{project_id}/certificates/activate"): frozenset(
        {
            "certificate_ids",
        }
    ),
    ("POST", "/organization/projects/{project_id}/certificates/deactivate"): frozenset(
        {
            "certificate_ids",
        }
    ),
    ("POST", "/organization/projects/{project_id}/data_retention"): frozenset({"retention_type"}),
    ("POST", "/organization/projects/{project_id}/groups"): frozenset({"group_id", "role"}),
    ("POST", "/organization/projects/{project_id}/hosted_tool_permissions"): frozenset(
        {
            "file_search",
            "web_search",
            "image_generation",
            "mcp",
            "code_interpreter",
        }
    ),
    ("POST", "/organization/projects/{project_id}/model_permissions"): frozenset(
        {
            "mode",
            "model_ids",
        }
    ),
    ("POST", "/organization/projects/{project_id}/rate_limits/{rate_limit_id}"): frozenset(
        {
            "max_requests_per_1_minute",
            "max_tokens_per_1_minute",
            "max_images_per_1_minute",
            "max_audio_megabytes_per_1_minute",
            "max_requests_per_1_day",
            "batch_1_day_max_input_tokens",
        }
    ),
    ("POST", "/organization/projects/{project_id}/service_accounts"): frozenset(
        {
            "name",
            "create_service_account_only",
        }
    ),
    (
        "POST",
        "/organization/projects/{project_id}/service_accounts/{service_account_id}",
    ): frozenset(
        {
            "name",
            "role",
        }
    ),
    (
        "POST",
        "/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys",
    ): frozenset(
        {
            "name",
            "scopes",
        }
    ),
    ("POST", "/organization/projects/{project_id}/spend_alerts"): frozenset(
        {
            "threshold_amount",
            "currency",
            "interval",
            "notification_channel",
        }
    ),
    ("POST", "/organization/projects/{project_id}/spend_alerts/{alert_id}"): frozenset(
        {
            "threshold_amount",
            "currency",
            "interval",
            "notification_channel",
        }
    ),
    ("POST", "/organization/projects/{project_id}/spend_limit"): frozenset(
        {
            "threshold_amount",
            "currency",
            "interval",
        }
    ),
    ("POST", "/organization/projects/{project_id}/users"): frozenset({"user_id", "email", "role"}),
    ("POST", "/organization/projects/{project_id}/users/{user_id}"): frozenset({"role"}),
    ("POST", "/organization/roles"): frozenset({"role_name", "permissions", "description"}),
    ("POST", "/organization/roles/{role_id}"): frozenset(
        {
            "permissions",
            "description",
            "role_name",
        }
    ),
    ("POST", "/organization/spend_alerts"): frozenset(
        {
            "threshold_amount",
            "currency",
            "interval",
            "notification_channel",
        }
    ),
    ("POST", "/organization/spend_alerts/{alert_id}"): frozenset(
        {
            "threshold_amount",
            "currency",
            "interval",
            "notification_channel",
        }
    ),
    ("POST", "/organization/spend_limit"): frozenset({"threshold_amount", "currency", "interval"}),
    ("POST", "/organization/users/{user_id}"): frozenset(
        {
            "role",
            "role_id",
            "technical_level",
            "developer_persona",
        }
    ),
    ("POST", "/organization/users/{user_id}/roles"): frozenset({"role_id"}),
    ("POST", "/projects/{project_id}/groups/{group_id}/roles"): frozenset({"role_id"}),
    ("POST", "/projects/{project_id}/roles"): frozenset(
        {
            "role_name",
            "permissions",
            "description",
        }
    ),
    ("POST", "/projects/{project_id}/roles/{role_id}"): frozenset(
        {
            "permissions",
            "description",
            "role_name",
        }
    ),
    ("POST", "/projects/{project_id}/users/{user_id}/roles"): frozenset({"role_id"}),
}
