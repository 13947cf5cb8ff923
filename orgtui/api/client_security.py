"""Security controls: certificates (org and project), data retention, a project's model and
hosted-tool permissions (19 operations)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from orgtui.api.models import DeletedObject
from orgtui.api.models_security import (
    HOSTED_TOOLS,
    MODEL_PERMISSION_MODES,
    ORG_RETENTION_TYPES,
    PROJECT_RETENTION_TYPES,
    Certificate,
    CertificateToggle,
    DataRetention,
    ModelPermissions,
    ModelPermissionsDeleted,
    ProjectHostedToolPermissions,
)
from orgtui.api.transport import ClientBase

_C = "/organization/certificates"
_CID = _C + "/{certificate_id}"
_PID = "/organization/projects/{project_id}"
MAX_TOGGLE = 10  # the spec's maxItems for certificate_ids


def _toggle_body(certificate_ids: Sequence[str]) -> dict[str, Any]:
    if isinstance(certificate_ids, str):
        raise TypeError("certificate_ids must be a list of ids, not a string")
    ids = list(certificate_ids)
    if not 1 <= len(ids) <= MAX_TOGGLE:
        raise ValueError(f"give 1 to {MAX_TOGGLE} certificate ids")
    if not all(isinstance(i, str) and i for i in ids):
        raise ValueError("certificate ids are non-empty strings")
    return {"certificate_ids": ids}


def _retention_body(retention_type: str, allowed: Sequence[str]) -> dict[str, Any]:
    if retention_type not in allowed:
        raise ValueError(f"retention type must be one of {', '.join(allowed)}")
    return {"retention_type": retention_type}


class SecurityMixin(ClientBase):
    # ------------------------------------------------------------ certificates (org)

    def iter_certificates(self) -> AsyncIterator[Certificate]:
        return self._iter_list(Certificate, _C)

    async def upload_certificate(self, pem: str, name: str | None = None) -> Certificate:
        if not isinstance(pem, str) or not pem.strip():
            raise ValueError("the certificate (PEM text) is empty")
        body: dict[str, Any] = {"certificate": pem}
        if name is not None:
            body["name"] = name
        return await self._call(Certificate, "POST", _C, body=body, create=True)

    async def get_certificate(self, cid: str, *, include_content: bool = False) -> Certificate:
        params = [("include[]", "content")] if include_content else []
        return await self._call(
            Certificate, "GET", _CID, path={"certificate_id": cid}, params=params
        )

    async def rename_certificate(self, cid: str, name: str) -> Certificate:
        return await self._call(
            Certificate, "POST", _CID, path={"certificate_id": cid}, body={"name": name}
        )

    async def delete_certificate(self, cid: str) -> DeletedObject:
        return await self._delete(_CID, {"certificate_id": cid}, "certificate.deleted")

    async def activate_org_certificates(self, ids: Sequence[str]) -> CertificateToggle:
        return await self._toggle(_C + "/activate", None, ids)

    async def deactivate_org_certificates(self, ids: Sequence[str]) -> CertificateToggle:
        return await self._toggle(_C + "/deactivate", None, ids)

    # ------------------------------------------------------------ certificates (project)

    def iter_project_certificates(self, pid: str) -> AsyncIterator[Certificate]:
        return self._iter_list(Certificate, _PID + "/certificates", path={"project_id": pid})

    async def activate_project_certificates(
        self, pid: str, ids: Sequence[str]
    ) -> CertificateToggle:
        return await self._toggle(_PID + "/certificates/activate", {"project_id": pid}, ids)

    async def deactivate_project_certificates(
        self, pid: str, ids: Sequence[str]
    ) -> CertificateToggle:
        return await self._toggle(_PID + "/certificates/deactivate", {"project_id": pid}, ids)

    async def _toggle(
        self, template: str, path: Mapping[str, str] | None, ids: Sequence[str]
    ) -> CertificateToggle:
        body = _toggle_body(ids)
        return await self._call(CertificateToggle, "POST", template, path=path, body=body)

    # ------------------------------------------------------------ data retention

    async def get_org_data_retention(self) -> DataRetention:
        return await self._call(DataRetention, "GET", "/organization/data_retention")

    async def set_org_data_retention(self, retention_type: str) -> DataRetention:
        body = _retention_body(retention_type, ORG_RETENTION_TYPES)
        return await self._call(DataRetention, "POST", "/organization/data_retention", body=body)

    async def get_project_data_retention(self, pid: str) -> DataRetention:
        return await self._call(
            DataRetention, "GET", _PID + "/data_retention", path={"project_id": pid}
        )

    async def set_project_data_retention(self, pid: str, retention_type: str) -> DataRetention:
        body = _retention_body(retention_type, PROJECT_RETENTION_TYPES)
        return await self._call(
            DataRetention, "POST", _PID + "/data_retention", path={"project_id": pid}, body=body
        )

    # ------------------------------------------------------------ model permissions

    async def get_model_permissions(self, pid: str) -> ModelPermissions:
        return await self._call(
            ModelPermissions, "GET", _PID + "/model_permissions", path={"project_id": pid}
        )

    async def set_model_permissions(
        self, pid: str, mode: str, model_ids: Sequence[str]
    ) -> ModelPermissions:
        if mode not in MODEL_PERMISSION_MODES:
            raise ValueError("mode must be allow_list or deny_list")
        if isinstance(model_ids, str):
            raise TypeError("model_ids must be a list of model ids, not a string")
        body = {"mode": mode, "model_ids": list(model_ids)}
        return await self._call(
            ModelPermissions,
            "POST",
            _PID + "/model_permissions",
            path={"project_id": pid},
            body=body,
        )

    async def delete_model_permissions(self, pid: str) -> ModelPermissionsDeleted:
        template = _PID + "/model_permissions"
        data = await self._request("DELETE", template, path={"project_id": pid})
        if data is None:  # 404 after an attempt that may have applied: the default is back
            return ModelPermissionsDeleted(object="project.model_permissions.deleted", deleted=True)
        return self._parse(ModelPermissionsDeleted, data, "DELETE", template)

    # ------------------------------------------------------------ hosted-tool permissions

    async def get_hosted_tool_permissions(self, pid: str) -> ProjectHostedToolPermissions:
        return await self._call(
            ProjectHostedToolPermissions,
            "GET",
            _PID + "/hosted_tool_permissions",
            path={"project_id": pid},
        )

    async def set_hosted_tool_permissions(
        self, pid: str, enabled: Mapping[str, bool]
    ) -> ProjectHostedToolPermissions:
        unknown = set(enabled) - set(HOSTED_TOOLS)
        if unknown:
            raise ValueError(f"unknown hosted tool(s): {', '.join(sorted(unknown))}")
        if not enabled:
            raise ValueError("nothing to update")
        body = {tool: {"enabled": bool(on)} for tool, on in enabled.items()}
        return await self._call(
            ProjectHostedToolPermissions,
            "POST",
            _PID + "/hosted_tool_permissions",
            path={"project_id": pid},
            body=body,
        )
