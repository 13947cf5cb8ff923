"""Models of the org security controls: certificates (mTLS), data retention, and a project's
model and hosted-tool permissions.

Field names are the spec's (`Certificate`, `OrganizationCertificate`,
`OrganizationProjectCertificate`, `OrganizationDataRetention`, `ProjectDataRetention`,
`ProjectModelPermissions`, `ProjectHostedToolPermissions`). `active` is optional because the
single-certificate answers (upload, get, modify) do not carry it.
"""

from __future__ import annotations

from orgtui.api._base import ApiModel

__all__ = [
    "HOSTED_TOOLS",
    "ORG_RETENTION_TYPES",
    "PROJECT_RETENTION_TYPES",
    "Certificate",
    "CertificateDetails",
    "CertificateToggle",
    "DataRetention",
    "HostedToolPermission",
    "ModelPermissions",
    "ModelPermissionsDeleted",
    "ProjectHostedToolPermissions",
]

ORG_RETENTION_TYPES = (
    "zero_data_retention",
    "modified_abuse_monitoring",
    "enhanced_zero_data_retention",
    "enhanced_modified_abuse_monitoring",
)
PROJECT_RETENTION_TYPES = ("organization_default", "none", *ORG_RETENTION_TYPES)
HOSTED_TOOLS = ("file_search", "web_search", "image_generation", "mcp", "code_interpreter")
MODEL_PERMISSION_MODES = ("allow_list", "deny_list")


class CertificateDetails(ApiModel):
    valid_at: int | None = None
    expires_at: int | None = None
    content: str | None = None


class Certificate(ApiModel):
    """`certificate`, `organization.certificate` or `organization.project.certificate`."""

    object: str
    id: str
    name: str | None = None
    created_at: int
    certificate_details: CertificateDetails
    active: bool | None = None


class CertificateToggle(ApiModel):
    """The answer of an activate or deactivate call: the affected certificates."""

    object: str
    data: list[Certificate] = []


class DataRetention(ApiModel):
    """`organization.data_retention` or `project.data_retention`."""

    object: str
    type: str


class ModelPermissions(ApiModel):
    object: str = "project.model_permissions"
    mode: str
    model_ids: list[str] = []


class ModelPermissionsDeleted(ApiModel):
    object: str
    deleted: bool


class HostedToolPermission(ApiModel):
    enabled: bool


class ProjectHostedToolPermissions(ApiModel):
    file_search: HostedToolPermission
    web_search: HostedToolPermission
    image_generation: HostedToolPermission
    mcp: HostedToolPermission
    code_interpreter: HostedToolPermission

    def enabled(self) -> dict[str, bool]:
        """Each tool's name and whether it is enabled, in the spec's order."""
        return {tool: getattr(self, tool).enabled for tool in HOSTED_TOOLS}
