"""Helpers to validate sandbox responses against the official spec's schemas (JSON Schema
2020-12, as OpenAPI 3.1 defines), with extra strictness: no undeclared properties."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[3] / "shared" / "openai-admin-openapi.yaml"
SPEC_URI = "urn:orgtui:admin-spec"
# Schemas that are extended (allOf) or carry keys named after data (audit event types), so
# "no undeclared properties" cannot apply to them.
OPEN_SCHEMAS = {"AdminApiKey", "AuditLog"}


@cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text())


def _close(node: Any, *, mark: bool = True) -> None:
    if isinstance(node, dict):
        if "allOf" in node:
            # Close the combination, not its parts: each part sees only its own properties.
            node["unevaluatedProperties"] = False
            for part in node["allOf"]:
                _close(part, mark=False)
        elif (
            mark
            and isinstance(node.get("properties"), dict)
            and ("additionalProperties" not in node)
        ):
            node["unevaluatedProperties"] = False
        for k, v in node.items():
            if k != "allOf":
                _close(v)
    elif isinstance(node, list):
        for v in node:
            _close(v)


@cache
def registry() -> Registry:
    doc = copy.deepcopy(spec())
    schemas = doc["components"]["schemas"]
    for name, schema in schemas.items():
        if name not in OPEN_SCHEMAS:
            _close(schema)
    for path_item in doc["paths"].values():
        for op in path_item.values():
            if isinstance(op, dict):
                _close(op.get("responses", {}))
    return Registry().with_resource(
        SPEC_URI, Resource.from_contents(doc, default_specification=DRAFT202012)
    )


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def response_validator(method: str, template: str, status: str = "200") -> Draft202012Validator:
    op = spec()["paths"][template][method.lower()]
    if status not in op["responses"]:
        status = "default"
    ref = f"{SPEC_URI}#/" + _pointer(
        "paths",
        template,
        method.lower(),
        "responses",
        status,
        "content",
        "application/json",
        "schema",
    )
    return Draft202012Validator({"$ref": ref}, registry=registry())


def error_validator() -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/components/schemas/ErrorResponse"}, registry=registry()
    )


def template_of(path: str) -> str | None:
    for template in spec()["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return template
    return None


def errors_for(validator: Draft202012Validator, body: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300]
        for e in validator.iter_errors(body)
    ]
