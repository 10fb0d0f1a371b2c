"""The served description of the API: ``/v1/openapi.json`` and the ``/v1/docs`` page.

drf-spectacular walks the URLconf and the views' ``extend_schema`` (``core.api.openapi``);
``postprocess`` adds what it cannot see: security from each operation's ``x-credentials``,
the shared components, and the two operations served by views that are not DRF's
(strawberry's GraphQL view and django-oauth-toolkit's token endpoint).
"""

import re
from functools import cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config import openapi_auth  # noqa: F401  (registers the security schemes)
from core.api import openapi_shapes as shapes
from core.api.openapi_shapes import CART_ERROR, STRING, obj

IMAGES = {".png": "image/png", ".svg": "image/svg+xml"}
METHODS = ("get", "put", "post", "delete", "patch", "head")


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(media_type: str, schema: dict) -> dict:
    return {"required": True, "content": {media_type: {"schema": schema}}}


OAUTH_ERROR = obj({"error": STRING, "error_description": STRING}, optional=("error_description",))
TOKEN = {
    "tags": ["partner checkout"],
    "summary": "OAuth 2.0 client-credentials token (RFC 6749 shapes)",
    "requestBody": _body(
        "application/x-www-form-urlencoded",
        obj(
            {
                "grant_type": {"const": "client_credentials"},
                "client_id": STRING,
                "client_secret": STRING,
                "scope": STRING,
            },
            optional=("client_id", "client_secret", "scope"),
        ),
    ),
    "responses": {
        "200": _json(
            obj(
                {
                    "access_token": STRING,
                    "token_type": STRING,
                    "expires_in": {"type": "integer"},
                    "scope": STRING,
                },
                optional=("scope",),
            ),
            "A bearer token for the basket API",
        ),
        "400": _json(OAUTH_ERROR, "invalid_request, invalid_grant, unsupported_grant_type"),
        "401": _json(OAUTH_ERROR, "invalid_client"),
        "405": _json(CART_ERROR, "Method not allowed"),
        "429": _json(OAUTH_ERROR, "Too many requests"),
    },
    "security": [{"basicClient": []}, {}],
}


def postprocess(result: dict, generator, request, public) -> dict:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(shapes.COMPONENTS)
    components.setdefault("securitySchemes", {})["basicClient"] = {
        "type": "http",
        "scheme": "basic",
        "description": "client_id:client_secret (or both in the form body)",
    }
    result["paths"]["/partner/oauth/token"] = {"post": TOKEN}
    _name_operations(result["paths"])
    for suffix, media_type in IMAGES.items():
        # One view serves …/qr (JSON) and the two images: the paths say which.
        for operation in result["paths"].get(f"/checkout/{{cart_id}}/qr{suffix}", {}).values():
            operation["responses"]["200"] = {
                "description": "The QR code image",
                "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
            }
    return result


def _name_operations(paths: dict) -> None:
    """Operation IDs from the path (``/v1/actions/store/create-store`` is
    ``storeCreateStore``), stable names for client generators instead of the generator's
    ``actions_store_create_store_create``."""
    for path, item in paths.items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            words = re.split(r"[^A-Za-z0-9]+", path.removeprefix("/v1/actions/"))
            words = [word for word in words if word and word != "v1"]
            name = "".join(word.capitalize() for word in words)
            operation["operationId"] = name[0].lower() + name[1:]


@cache
def openapi_document() -> dict:
    """Built once per process: the description only changes with the code."""
    return SchemaGenerator().get_schema(request=None, public=True)


@extend_schema(exclude=True)
class OpenApiJson(APIView):
    """``GET /v1/openapi.json``: public, like the SDK docs it complements."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()
    http_method_names = ["get", "head"]

    def get(self, request):
        return Response(openapi_document())


def _credentials(operation: dict) -> str:
    alternatives = [" + ".join(requirement) for requirement in operation.get("security", [])]
    return " or ".join(alternative or "none" for alternative in alternatives) or "none"


def operations(document: dict) -> list[dict]:
    rows = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation:
                rows.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "tag": (operation.get("tags") or [""])[0],
                        "credentials": _credentials(operation),
                        "responses": ", ".join(operation.get("responses", {})),
                    }
                )
    return sorted(rows, key=lambda row: (row["tag"], row["path"], row["method"]))


def docs_page(request):
    """``GET /v1/docs``: the operations, server-rendered (no script, no CDN: CSP-clean)."""
    document = openapi_document()
    return render(
        request,
        "api_docs.html",
        {"info": document["info"], "operations": operations(document)},
    )
