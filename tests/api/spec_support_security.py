"""The security operations' client calls and response models, for the spec tests
(`spec_support.CALLS` and `test_models_examples.MODELS` take them in)."""

from __future__ import annotations

from typing import Any

from orgtui.api import models as M
from orgtui.api import models_security as S
from orgtui.api.client import AdminClient

_P = "/organization/projects/{project_id}"
_C = "/organization/certificates"


async def _all(it: Any) -> list[Any]:
    return [x async for x in it]


SECURITY_MODELS: dict[tuple[str, str], Any] = {
    ("get", _C): M.ListPage[S.Certificate],
    ("post", _C): S.Certificate,
    ("post", _C + "/activate"): S.CertificateToggle,
    ("post", _C + "/deactivate"): S.CertificateToggle,
    ("get", _C + "/{certificate_id}"): S.Certificate,
    ("post", _C + "/{certificate_id}"): S.Certificate,
    ("delete", _C + "/{certificate_id}"): M.DeletedObject,
    ("get", _P + "/certificates"): M.ListPage[S.Certificate],
    ("post", _P + "/certificates/activate"): S.CertificateToggle,
    ("post", _P + "/certificates/deactivate"): S.CertificateToggle,
    ("get", "/organization/data_retention"): S.DataRetention,
    ("post", "/organization/data_retention"): S.DataRetention,
    ("get", _P + "/data_retention"): S.DataRetention,
    ("post", _P + "/data_retention"): S.DataRetention,
    ("get", _P + "/model_permissions"): S.ModelPermissions,
    ("post", _P + "/model_permissions"): S.ModelPermissions,
    ("delete", _P + "/model_permissions"): S.ModelPermissionsDeleted,
    ("get", _P + "/hosted_tool_permissions"): S.ProjectHostedToolPermissions,
    ("post", _P + "/hosted_tool_permissions"): S.ProjectHostedToolPermissions,
}

PEM = "-----BEGIN CERTIFICATE-----\nMIIDeT...\n-----END CERTIFICATE-----\n"

SECURITY_CALLS: list[tuple[str, Any, type]] = [
    ("iter_certificates", lambda c: _all(c.iter_certificates()), S.Certificate),
    ("upload_certificate", lambda c: c.upload_certificate(PEM, name="edge"), S.Certificate),
    ("upload_certificate_unnamed", lambda c: c.upload_certificate(PEM), S.Certificate),
    ("get_certificate", lambda c: c.get_certificate("cert_abc"), S.Certificate),
    (
        "get_certificate_content",
        lambda c: c.get_certificate("cert_abc", include_content=True),
        S.Certificate,
    ),
    ("rename_certificate", lambda c: c.rename_certificate("cert_abc", "new"), S.Certificate),
    ("delete_certificate", lambda c: c.delete_certificate("cert_abc"), M.DeletedObject),
    (
        "activate_org_certificates",
        lambda c: c.activate_org_certificates(["cert_abc", "cert_def"]),
        S.CertificateToggle,
    ),
    (
        "deactivate_org_certificates",
        lambda c: c.deactivate_org_certificates(["cert_abc"]),
        S.CertificateToggle,
    ),
    (
        "iter_project_certificates",
        lambda c: _all(c.iter_project_certificates("proj_1")),
        S.Certificate,
    ),
    (
        "activate_project_certificates",
        lambda c: c.activate_project_certificates("proj_1", ["cert_abc"]),
        S.CertificateToggle,
    ),
    (
        "deactivate_project_certificates",
        lambda c: c.deactivate_project_certificates("proj_1", ["cert_abc"]),
        S.CertificateToggle,
    ),
    ("get_org_data_retention", lambda c: c.get_org_data_retention(), S.DataRetention),
    (
        "set_org_data_retention",
        lambda c: c.set_org_data_retention("zero_data_retention"),
        S.DataRetention,
    ),
    (
        "get_project_data_retention",
        lambda c: c.get_project_data_retention("proj_1"),
        S.DataRetention,
    ),
    (
        "set_project_data_retention",
        lambda c: c.set_project_data_retention("proj_1", "organization_default"),
        S.DataRetention,
    ),
    ("get_model_permissions", lambda c: c.get_model_permissions("proj_1"), S.ModelPermissions),
    (
        "set_model_permissions",
        lambda c: c.set_model_permissions("proj_1", "allow_list", ["gpt-4.1", "o3"]),
        S.ModelPermissions,
    ),
    (
        "delete_model_permissions",
        lambda c: c.delete_model_permissions("proj_1"),
        S.ModelPermissionsDeleted,
    ),
    (
        "get_hosted_tool_permissions",
        lambda c: c.get_hosted_tool_permissions("proj_1"),
        S.ProjectHostedToolPermissions,
    ),
    (
        "set_hosted_tool_permissions",
        lambda c: c.set_hosted_tool_permissions(
            "proj_1", {"file_search": True, "image_generation": False}
        ),
        S.ProjectHostedToolPermissions,
    ),
]


async def bad_security_arguments(client: AdminClient) -> list[type[Exception]]:
    """Each call that must fail before sending; returns the exception types raised."""
    raised: list[type[Exception]] = []
    attempts = [
        lambda: client.activate_org_certificates([]),
        lambda: client.activate_org_certificates([f"cert_{i}" for i in range(11)]),
        lambda: client.deactivate_project_certificates("proj_1", "cert_abc"),
        lambda: client.set_org_data_retention("organization_default"),
        lambda: client.set_project_data_retention("proj_1", "forever"),
        lambda: client.set_model_permissions("proj_1", "block_list", ["o3"]),
        lambda: client.set_model_permissions("proj_1", "allow_list", "o3"),
        lambda: client.set_hosted_tool_permissions("proj_1", {"browser": True}),
        lambda: client.set_hosted_tool_permissions("proj_1", {}),
        lambda: client.upload_certificate("  "),
        lambda: client.rename_certificate("", "x"),
    ]
    for attempt in attempts:
        try:
            await attempt()
        except (TypeError, ValueError) as exc:
            raised.append(type(exc))
    return raised
