"""OpenAPI: the bearer scheme of shop tokens, and a docs page rendered on the server.

The docs page is plain HTML built from the same schema (no Swagger UI: it
would load scripts from a CDN, and static assets never come from one here).
"""
from __future__ import annotations

import json

from django.http import JsonResponse
from django.shortcuts import render
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator


class ShopTokenScheme(OpenApiAuthenticationExtension):
    target_class = "shops.api.auth.ShopTokenAuthentication"
    name = "jetonCommerce"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton créé par le gérant dans l'espace commerçant (« Caisse et API ») : "
            "Authorization: Bearer halle_…",
        }


_schema_cache: dict = {}


def api_schema() -> dict:
    if "schema" not in _schema_cache:
        _schema_cache["schema"] = SchemaGenerator().get_schema(request=None, public=True)
    return _schema_cache["schema"]


def _resolve(schema: dict, ref_or_schema: dict | None) -> dict:
    if not ref_or_schema:
        return {}
    ref = ref_or_schema.get("$ref")
    if ref:
        return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return ref_or_schema


def api_docs(request):
    """The API's documentation in French, from the OpenAPI schema."""
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"detail": "Méthode non autorisée : cette page se lit (GET).", "code": "method_not_allowed"},
                            json_dumps_params={"ensure_ascii": False},
                            status=405, headers={"Allow": "GET, HEAD"})
    schema = api_schema()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            examples = [ex.get("value") for ex in body.get("examples", {}).values()]
            request_schema = _resolve(schema, body.get("schema"))
            responses = [
                {"status": status, "description": resp.get("description", "")}
                for status, resp in sorted(op.get("responses", {}).items())
            ]
            operations.append({
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": op.get("parameters", []),
                "fields": [
                    {"name": name, "type": prop.get("type", "objet"), "description": prop.get("description", "")}
                    for name, prop in request_schema.get("properties", {}).items()
                ],
                "examples": [json.dumps(ex, ensure_ascii=False, indent=2) for ex in examples],
                "responses": responses,
            })
    return render(request, "api/docs.html", {"schema": schema, "operations": operations})
