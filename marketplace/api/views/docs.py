"""The API's browsable docs, rendered on the server from its own OpenAPI document.

No script and nothing from a CDN: the page lists every operation with its parameters,
body and responses, and every schema with its fields, straight from the document that
/api/v1/openapi.json serves, so the two cannot disagree.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from marketplace.api.spec import api
from marketplace.core.problems import KINDS

bp = Blueprint("api_docs", __name__)

_METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref_holder) -> str:
    """The name of a referenced schema ("ListingUpdate"), or its type."""
    if not isinstance(ref_holder, dict):
        return ""
    if "$ref" in ref_holder:
        return ref_holder["$ref"].rsplit("/", 1)[-1]
    if ref_holder.get("type") == "array":
        return f"[{_schema_name(ref_holder.get('items', {}))}]"
    kind = ref_holder.get("type", "")
    return " | ".join(kind) if isinstance(kind, list) else str(kind)


def _operations(document: dict) -> list[dict]:
    operations = []
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = []
            for status, response in operation.get("responses", {}).items():
                if "$ref" in response:
                    name = response["$ref"].rsplit("/", 1)[-1]
                    response = document.get("components", {}).get("responses", {}).get(name, {})
                media = response.get("content", {})
                responses.append({"status": status, "description": response.get("description", ""),
                                  "types": [(media_type, _schema_name(body.get("schema")))
                                            for media_type, body in media.items()]})
            body = operation.get("requestBody", {}).get("content", {})
            operations.append({
                "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                "method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                "description": operation.get("description", ""), "tags": operation.get("tags", []),
                "secured": bool(operation.get("security")),
                "parameters": [{"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                                "type": _schema_name(p.get("schema")),
                                "description": p.get("description", "")}
                               for p in item.get("parameters", []) + operation.get("parameters", [])
                               if isinstance(p, dict)],
                "body": [(media_type, _schema_name(content.get("schema"))) for media_type, content in body.items()],
                "responses": responses,
            })
    return operations


def _schemas(document: dict) -> list[dict]:
    schemas = []
    for name, schema in sorted(document.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        schemas.append({"name": name, "description": schema.get("description", ""), "fields": [
            {"name": field, "type": _schema_name(spec), "required": field in required,
             "description": spec.get("description", "") if isinstance(spec, dict) else ""}
            for field, spec in schema.get("properties", {}).items()]})
    return schemas


@bp.get("/api/v1/docs")
def docs():
    """The API's documentation page."""
    document = api.spec.to_dict()
    return render_template("api/docs.html", document=document, operations=_operations(document),
                           schemas=_schemas(document), problems=[(kind, status, title)
                                                                 for kind, (status, title) in KINDS.items()])


@bp.get("/api/v1/problems/<kind>")
def problem_type(kind: str):
    """A problem type's URI leads to its description on the docs page."""
    if kind not in KINDS:
        abort(404)
    return redirect(url_for(".docs", _anchor=f"problem-{kind}"))
