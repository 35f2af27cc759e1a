"""The OpenAPI document as plain values for the docs page (templates/api/docs.html), in the reader's language.

The document's texts are English messages marked with N_; they are translated here, so the page and the
JSON say the same things from the same source.
"""

from __future__ import annotations

from flask_babel import gettext as _

from certify.accounts.api_tokens import SCOPE_ROLES
from certify.accounts.forms import ROLE_LABELS
from certify.api.problems import KINDS
from certify.web.urls import external_url


def docs_context(document: dict) -> dict:
    components = document["components"]
    parameters = components["parameters"]
    return {
        "info": {key: _(document["info"][key]) for key in ("summary", "description")},
        "version": document["info"]["version"],
        "operations": [
            _operation(path, method, operation, parameters)
            for path, methods in document["paths"].items()
            for method, operation in methods.items()
        ],
        "schemas": [_schema(name, schema) for name, schema in components["schemas"].items()],
        "problems": [(kind, spec.status, _(spec.title)) for kind, spec in KINDS.items()],
        "scopes": [
            (str(scope), [str(ROLE_LABELS[role]) for role in roles or ()])
            for scope, roles in SCOPE_ROLES.items()
        ],
        "examples": examples(),
    }


def examples() -> dict[str, str]:
    """The page's curl commands, on the address people reach (PUBLIC_URL)."""
    base = external_url("api.certificates")
    return {
        "search": f"curl '{base}?q=%D0%BA%D0%BB%D0%B0%D1%81%D1%82%D0%B5%D1%80&limit=50'",
        "next": f"curl '{base}?limit=50&cursor=<next>'",
        "etag": f"curl -i -H 'If-None-Match: \"<etag>\"' {base}/CMQ-2026-000001",
        "token": f"curl -H 'Authorization: Bearer cfy_…' {external_url('api.my_applications')}",
    }


def _operation(path: str, method: str, operation: dict, parameters: dict) -> dict:
    requirements = operation.get("security", [])
    scopes = [scope for requirement in requirements for scope in requirement.get("bearerToken", [])]
    return {
        "anchor": operation["operationId"],
        "method": method.upper(),
        "path": path,
        "summary": _(operation["summary"]),
        "description": _(operation["description"]),
        "scope": scopes[0] if scopes else None,
        "anonymous": {} in requirements or not requirements,
        "parameters": [
            _parameter(parameters[item["$ref"].rsplit("/", 1)[1]]) for item in operation.get("parameters", [])
        ],
        "statuses": sorted(operation["responses"]),
        "answer": _type(
            operation["responses"]["200"]["content"]
            .get("application/json", {})
            .get("schema", {"type": "string"})
        ),
    }


def _parameter(parameter: dict) -> dict:
    return {
        "name": parameter["name"],
        "where": parameter["in"],
        "type": _type(parameter["schema"]),
        "required": parameter.get("required", False),
        "deprecated": parameter.get("deprecated", False),
        "description": _(parameter["description"]) if "description" in parameter else "",
    }


def _schema(name: str, schema: dict) -> dict:
    required = set(schema.get("required", ()))
    return {
        "name": name,
        "description": _(schema["description"]) if "description" in schema else "",
        "properties": [
            {
                "name": prop,
                "type": _type(spec),
                "required": prop in required,
                "deprecated": spec.get("deprecated", False),
                "description": _(spec["description"]) if "description" in spec else "",
            }
            for prop, spec in schema.get("properties", {}).items()
        ],
    }


def _type(schema: dict) -> str:
    """A schema written short, in JSON Schema's words.

    `Names`, `string (date) | null`, `Certificate[]`, `"a" | "b"`.
    """
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "anyOf" in schema:
        return " | ".join(_type(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(f'"{value}"' for value in schema["enum"])
    if "const" in schema:
        return f'"{schema["const"]}"' if isinstance(schema["const"], str) else str(schema["const"])
    if schema.get("type") == "array":
        return f"{_type(schema['items'])}[]"
    kind = schema.get("type", "any")
    return f"{kind} ({schema['format']})" if "format" in schema else kind
