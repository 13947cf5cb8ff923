"""Security-control mutations: certificates (upload, rename, activate and deactivate for the
organisation or a project, delete), data retention, model and hosted-tool permissions.

A certificate upload reads the file here (the UI passes a path) and checks it looks like a PEM
certificate before sending, so a wrong file is refused with a clear message and no request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import CreateOutcomeUnknownError
from orgtui.api.models_security import (
    HOSTED_TOOLS,
    ORG_RETENTION_TYPES,
    PROJECT_RETENTION_TYPES,
)
from orgtui.core.services._common import (
    display,
    mutation,
    project_of,
    refuse_if_archived,
    require_choice,
)
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.reconcile import create_then_reconcile
from orgtui.core.services.results import Done
from orgtui.core.validation import validate_key_name

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "activate_certificate",
    "deactivate_certificate",
    "delete_certificate",
    "read_pem_file",
    "rename_certificate",
    "reset_model_permissions",
    "set_hosted_tools",
    "set_model_permissions",
    "set_org_retention",
    "set_project_retention",
    "upload_certificate",
]

MAX_PEM_BYTES = 64 * 1024
MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")


def read_pem_file(path: str | Path) -> str:
    """The text of a PEM certificate file, or InvalidInput saying what is wrong with it."""
    p = Path(path).expanduser()
    if not str(path).strip():
        raise InvalidInput("No file given")
    try:
        if not p.is_file():
            raise InvalidInput(f"{display(str(p))} is not a file")
        if p.stat().st_size > MAX_PEM_BYTES:
            raise InvalidInput(f"{display(p.name)} is too big for a certificate (over 64 KB)")
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{display(p.name)} is not a text (PEM) file") from None
    except OSError as exc:
        raise InvalidInput(f"{display(p.name)} cannot be read: {exc.strerror}") from None
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise InvalidInput(
            f"{display(p.name)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
        )
    if "PRIVATE KEY-----" in text:
        raise InvalidInput(
            f"{display(p.name)} holds a private key: upload the certificate alone, "
            "and keep the key where it is"
        )
    return text


@mutation("certificate.upload")
async def upload_certificate(session: Session, *, path: str, name: str | None = None) -> Done:
    pem = read_pem_file(path)
    label: str | None = None
    if name is not None and name.strip():
        label, error = validate_key_name(name)
        if error:
            raise InvalidInput(error)

    async def send() -> Any:
        return await session.client.upload_certificate(pem, name=label)

    async def lost(_: CreateOutcomeUnknownError) -> Done:
        return Done(
            "The upload's outcome is unknown: refresh the certificates and look before "
            "uploading again",
            outcome="unknown",
        )

    async def created(cert: Any) -> Done:
        text = f"Uploaded certificate {display(cert.name, cert.id)}"
        return Done(text, obj=cert, outcome="created")

    return await create_then_reconcile(send, created=created, lost=lost)


@mutation("certificate.rename")
async def rename_certificate(session: Session, *, certificate_id: str, name: str) -> Done:
    value, error = validate_key_name(name)
    if error or value is None:
        raise InvalidInput(error or "Name is empty")
    cert = await session.client.rename_certificate(certificate_id, value)
    return Done(f"Renamed certificate to {display(cert.name, cert.id)}", obj=cert)


async def _project_name(session: Session, project_id: str, doing: str) -> str:
    project = await project_of(session, project_id)
    refuse_if_archived(project, doing)
    return display(project.name, project.id)


@mutation("certificate.activate")
async def activate_certificate(
    session: Session, *, certificate_id: str, project_id: str | None = None
) -> Done:
    """Activate for the organisation, or for one project when `project_id` is given."""
    if project_id is None:
        await session.client.activate_org_certificates([certificate_id])
        return Done(f"Certificate {certificate_id} is active for the organisation")
    where = await _project_name(session, project_id, "activating a certificate")
    await session.client.activate_project_certificates(project_id, [certificate_id])
    return Done(f"Certificate {certificate_id} is active for project {where}")


@mutation("certificate.deactivate")
async def deactivate_certificate(
    session: Session, *, certificate_id: str, project_id: str | None = None
) -> Done:
    if project_id is None:
        await session.client.deactivate_org_certificates([certificate_id])
        return Done(f"Certificate {certificate_id} is no longer active for the organisation")
    where = await _project_name(session, project_id, "deactivating a certificate")
    await session.client.deactivate_project_certificates(project_id, [certificate_id])
    return Done(f"Certificate {certificate_id} is no longer active for project {where}")


@mutation("certificate.delete")
async def delete_certificate(
    session: Session, *, certificate_id: str, active_anywhere: bool = False
) -> Done:
    """Delete a certificate; one still active somewhere is refused before any request (the API
    would refuse it too)."""
    if active_anywhere:
        raise InvalidInput(
            "This certificate is still active: deactivate it for the organisation and every "
            "project first"
        )
    await session.client.delete_certificate(certificate_id)
    return Done(f"Deleted certificate {certificate_id}")


@mutation("security.org_retention")
async def set_org_retention(session: Session, *, retention_type: str) -> Done:
    value = require_choice(retention_type, ORG_RETENTION_TYPES, "Organisation data retention")
    await session.client.set_org_data_retention(value)
    return Done(f"Organisation data retention set to {value}")


@mutation("security.retention")
async def set_project_retention(session: Session, *, project_id: str, retention_type: str) -> Done:
    value = require_choice(retention_type, PROJECT_RETENTION_TYPES, "Project data retention")
    where = await _project_name(session, project_id, "changing its data retention")
    await session.client.set_project_data_retention(project_id, value)
    return Done(f"Data retention of project {where} set to {value}")


def _clean_models(model_ids: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in model_ids:
        model = str(raw).strip()
        if not MODEL_ID.match(model):
            raise InvalidInput(
                f"{display(model, '(empty)', 40)} is not a model id (letters, digits, . _ : / -)"
            )
        if model not in out:
            out.append(model)
    return out


@mutation("security.models")
async def set_model_permissions(
    session: Session, *, project_id: str, mode: str, model_ids: Sequence[str]
) -> Done:
    mode = require_choice(mode, ("allow_list", "deny_list"), "Mode")
    models = _clean_models(model_ids)
    if mode == "allow_list" and not models:
        raise InvalidInput("An empty allow list would block every model: pick at least one")
    where = await _project_name(session, project_id, "changing its model permissions")
    await session.client.set_model_permissions(project_id, mode, models)
    word = "allows only" if mode == "allow_list" else "denies"
    listed = ", ".join(models) if models else "nothing"
    return Done(f"Project {where} {word} {display(listed, limit=120)}")


@mutation("security.models_reset")
async def reset_model_permissions(session: Session, *, project_id: str) -> Done:
    where = await _project_name(session, project_id, "changing its model permissions")
    await session.client.delete_model_permissions(project_id)
    return Done(f"Project {where} is back to the default model permissions (every model)")


@mutation("security.tools")
async def set_hosted_tools(
    session: Session, *, project_id: str, enabled: Mapping[str, bool]
) -> Done:
    unknown = sorted(set(enabled) - set(HOSTED_TOOLS))
    if unknown or not enabled:
        raise InvalidInput(f"Unknown hosted tool {unknown[0]}" if unknown else "No tool to change")
    where = await _project_name(session, project_id, "changing its hosted tools")
    await session.client.set_hosted_tool_permissions(project_id, dict(enabled))
    off = [t for t, on in enabled.items() if not on]
    return Done(
        f"Hosted tools of project {where} updated" + (f" ({', '.join(off)} off)" if off else "")
    )
