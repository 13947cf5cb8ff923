"""Certificates (mutual TLS): upload, list, get, rename, delete, and activation for the
organisation and per project.

An upload is parsed as X.509 (`certs.parse_pem`): its SHA-256 fingerprint, subject and validity
are stored; a malformed or already expired PEM is a 400. Activation is kept per organisation
(`certificates.active`) and per project (`project_certificates`); a certificate can be deleted
only once it is inactive everywhere.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox.audit import record
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import (
    MAX_NAME,
    Row,
    field_str,
    json_body,
    list_body,
    ok,
    page_rows,
    query_enum,
    query_limit,
    query_list,
    require_active_project,
    require_project,
    sandbox_of,
)

MAX_CERTIFICATES = 50
MAX_TOGGLE = 10
ORG_OBJECT = "organization.certificate"
PROJECT_OBJECT = "organization.project.certificate"
_LIVE = "deleted_at IS NULL"


def render(r: Row, obj: str, active: bool | None, content: bool = False) -> dict[str, Any]:
    details: dict[str, Any] = {"valid_at": r["valid_at"], "expires_at": r["expires_at"]}
    if content:
        details["content"] = r["content"]
    body: dict[str, Any] = {
        "object": obj,
        "id": r["id"],
        "name": r["name"],
        "created_at": r["created_at"],
        "certificate_details": details,
    }
    if active is not None:
        body["active"] = active
    return body


def _certificate(store: Store, cid: str) -> Row:
    row = store.one(f"SELECT * FROM certificates WHERE id = ? AND {_LIVE}", (cid,))
    if row is None:
        raise ApiProblem(
            404,
            f"No certificate found with id '{cid[:80]}'.",
            param="certificate_id",
            code="not_found",
        )
    return row


def _page(request: Request, store: Store) -> tuple[list[Row], bool]:
    desc = query_enum(request, "order", ("asc", "desc"), "desc") == "desc"
    return page_rows(
        store,
        "certificates",
        _LIVE,
        (),
        limit=query_limit(request),
        after=request.query_params.get("after"),
        desc=desc,
    )


async def list_org(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    rows, more = _page(request, store)
    return ok(list_body([render(r, ORG_OBJECT, bool(r["active"])) for r in rows], more))


async def upload(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    body = await json_body(request)
    name = field_str(body, "name", max_len=MAX_NAME)
    pem = field_str(body, "certificate", required=True, nullable=False, max_len=64 * 1024)
    assert pem is not None
    # cryptography is imported with the first upload, not with the sandbox (~25 ms)
    from orgtui.sandbox.certs import BadCertificate, parse_pem

    try:
        cert = parse_pem(pem)
    except BadCertificate as exc:
        raise bad_request(
            f"Invalid certificate: {exc}.", "certificate", "invalid_certificate"
        ) from None
    now = store.now()
    if cert.expires_at <= now:
        raise bad_request(
            "Invalid certificate: it has already expired.", "certificate", "certificate_expired"
        )
    count = store.scalar(f"SELECT count(*) FROM certificates WHERE {_LIVE}")
    if int(count) >= MAX_CERTIFICATES:
        raise bad_request(
            f"An organization can hold at most {MAX_CERTIFICATES} certificates.",
            "certificate",
            "too_many_certificates",
        )
    dup = store.one(
        f"SELECT id FROM certificates WHERE fingerprint = ? AND {_LIVE}", (cert.fingerprint,)
    )
    if dup is not None:
        raise bad_request(
            f"This certificate is already uploaded as '{dup['id']}'.",
            "certificate",
            "duplicate_certificate",
        )
    cid = store.new_id("cert_", 24)
    with store.tx():
        store.execute(
            "INSERT INTO certificates (id, name, created_at, valid_at, expires_at, fingerprint,"
            " subject, content) VALUES (?,?,?,?,?,?,?,?)",
            (
                cid,
                name,
                now,
                cert.valid_at,
                cert.expires_at,
                cert.fingerprint,
                cert.subject,
                cert.pem,
            ),
        )
        record(store, actor, "certificate.created", cid, {"id": cid, "name": name or ""})
    return ok(render(_certificate(store, cid), "certificate", None))


async def get_one(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    include = query_list(request, "include") or []
    unknown = [v for v in include if v != "content"]
    if unknown:
        raise bad_request(
            f"Invalid value for 'include': '{unknown[0][:40]}' (only 'content' is supported).",
            "include",
        )
    row = _certificate(store, request.path_params["certificate_id"])
    return ok(render(row, "certificate", None, content="content" in include))


async def modify(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    cid = request.path_params["certificate_id"]
    row = _certificate(store, cid)
    body = await json_body(request)
    name = field_str(body, "name", nullable=False, max_len=MAX_NAME)
    if name is not None:
        with store.tx():
            store.execute("UPDATE certificates SET name = ? WHERE id = ?", (name, cid))
            record(store, actor, "certificate.updated", cid, {"id": cid, "name": name})
        row = _certificate(store, cid)
    return ok(render(row, "certificate", None))


async def delete(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    cid = request.path_params["certificate_id"]
    row = _certificate(store, cid)
    projects = store.query(
        "SELECT project_id FROM project_certificates WHERE certificate_id = ?", (cid,)
    )
    if row["active"] or projects:
        where = ["the organization"] if row["active"] else []
        where += [f"project '{p['project_id']}'" for p in projects]
        raise bad_request(
            f"Certificate '{cid}' is active for {', '.join(where)}: deactivate it everywhere "
            "before deleting it.",
            "certificate_id",
            "certificate_active",
        )
    details = {"id": cid, "name": row["name"] or "", "certificate": row["content"]}
    with store.tx():
        store.execute("UPDATE certificates SET deleted_at = ? WHERE id = ?", (store.now(), cid))
        record(store, actor, "certificate.deleted", cid, details)
    return ok({"object": "certificate.deleted", "id": cid})


async def _toggle_ids(request: Request, store: Store) -> list[Row]:
    body = await json_body(request)
    raw = body.get("certificate_ids")
    if "certificate_ids" not in body:
        raise bad_request("Missing required parameter: 'certificate_ids'.", "certificate_ids")
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise bad_request(
            "Invalid type for 'certificate_ids': expected an array of strings.", "certificate_ids"
        )
    if not 1 <= len(raw) <= MAX_TOGGLE:
        raise bad_request(f"'certificate_ids' must hold 1 to {MAX_TOGGLE} ids.", "certificate_ids")
    rows: list[Row] = []
    for cid in dict.fromkeys(raw):  # atomic: every id is checked before anything changes
        row = store.one(f"SELECT * FROM certificates WHERE id = ? AND {_LIVE}", (cid,))
        if row is None:
            raise bad_request(
                f"No certificate found with id '{cid[:80]}'.", "certificate_ids", "not_found"
            )
        rows.append(row)
    return rows


def _audit_list(rows: list[Row]) -> dict[str, Any]:
    return {"certificates": [{"id": r["id"], "name": r["name"] or ""} for r in rows]}


async def _org_toggle(request: Request, active: bool) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    rows = await _toggle_ids(request, store)
    event = "certificates.activated" if active else "certificates.deactivated"
    with store.tx():
        for r in rows:
            store.execute("UPDATE certificates SET active = ? WHERE id = ?", (int(active), r["id"]))
        record(store, actor, event, None, _audit_list(rows))
    kind = "activation" if active else "deactivation"
    return ok(
        {
            "object": f"organization.certificate.{kind}",
            "data": [render(r, ORG_OBJECT, active) for r in rows],
        }
    )


async def activate_org(request: Request) -> JSONResponse:
    return await _org_toggle(request, True)


async def deactivate_org(request: Request) -> JSONResponse:
    return await _org_toggle(request, False)


async def list_project(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_project(store, pid)
    rows, more = _page(request, store)
    active = {
        r["certificate_id"]
        for r in store.query(
            "SELECT certificate_id FROM project_certificates WHERE project_id = ?", (pid,)
        )
    }
    data = [render(r, PROJECT_OBJECT, r["id"] in active) for r in rows]
    return ok(list_body(data, more))


async def _project_toggle(request: Request, active: bool) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid = request.path_params["project_id"]
    project = require_active_project(store, pid, "changing certificates")
    rows = await _toggle_ids(request, store)
    event = "certificates.activated" if active else "certificates.deactivated"
    with store.tx():
        for r in rows:
            if active:
                store.execute(
                    "INSERT OR IGNORE INTO project_certificates (project_id, certificate_id)"
                    " VALUES (?, ?)",
                    (pid, r["id"]),
                )
            else:
                store.execute(
                    "DELETE FROM project_certificates WHERE project_id = ? AND certificate_id = ?",
                    (pid, r["id"]),
                )
        record(store, actor, event, pid, _audit_list(rows), project=project)
    kind = "activation" if active else "deactivation"
    return ok(
        {
            "object": f"organization.project.certificate.{kind}",
            "data": [render(r, PROJECT_OBJECT, active) for r in rows],
        }
    )


async def activate_project(request: Request) -> JSONResponse:
    return await _project_toggle(request, True)


async def deactivate_project(request: Request) -> JSONResponse:
    return await _project_toggle(request, False)


_C = "/organization/certificates"
_PC = "/organization/projects/{project_id}/certificates"
routes = [
    Route(_C, list_org, methods=["GET"]),
    Route(_C, upload, methods=["POST"]),
    Route(_C + "/activate", activate_org, methods=["POST"]),
    Route(_C + "/deactivate", deactivate_org, methods=["POST"]),
    Route(_C + "/{certificate_id}", get_one, methods=["GET"]),
    Route(_C + "/{certificate_id}", modify, methods=["POST"]),
    Route(_C + "/{certificate_id}", delete, methods=["DELETE"]),
    Route(_PC, list_project, methods=["GET"]),
    Route(_PC + "/activate", activate_project, methods=["POST"]),
    Route(_PC + "/deactivate", deactivate_project, methods=["POST"]),
]
