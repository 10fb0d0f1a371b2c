"""The OpenAPI 3.1 description served at /v1/openapi.json and the /v1/docs page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def _document(client) -> dict:
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def _routes(patterns, prefix="") -> set[str]:
    """Every plain route of the three dialects in the URLconf (catch-alls and pages left out)."""
    found = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found |= _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "^" not in route:
            found.add("/" + re.sub(r"<str:(\w+)>", r"{\1}", route))
    return found


def test_the_description_is_valid_openapi_3_1(client):
    document = _document(client)
    assert document["openapi"] == "3.1.0"
    validate_schema(document)


def test_every_route_of_the_three_dialects_is_described(client):
    paths = set(_document(client)["paths"])
    api_routes = {
        route
        for route in _routes(get_resolver().url_patterns)
        if route.startswith(("/v1/", "/checkout/", "/partner/"))
        and route not in {"/v1/openapi.json", "/v1/docs"}
    }
    assert api_routes - paths == set()
    assert "/v1/actions/checkout/create-session" in paths
    assert "/partner/oauth/token" in paths


def test_every_operation_names_its_credentials_and_error_envelope(client):
    document = _document(client)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "200" in operation["responses"], (method, path)
            assert "400" in operation["responses"], (method, path)
            assert operation["security"], (method, path)


def test_signed_requests_are_one_requirement_of_three_headers(client):
    operation = _document(client)["paths"]["/v1/actions/store/create-store"]["post"]
    assert operation["security"] == [{"merchantId": [], "timestamp": [], "signature": []}]


def test_actions_errors_are_the_envelope_and_cart_errors_the_cart_body(client):
    document = _document(client)
    action = document["paths"]["/v1/actions/store/create-store"]["post"]["responses"]["404"]
    cart = document["paths"]["/checkout/cst"]["post"]["responses"]["404"]
    assert action["content"]["application/json"]["schema"]["$ref"].endswith("/ActionError")
    assert cart["content"]["application/json"]["schema"]["$ref"].endswith("/CartError")


def test_qr_images_are_described_as_images(client):
    paths = _document(client)["paths"]
    png = paths["/checkout/{cart_id}/qr.png"]["get"]["responses"]["200"]["content"]
    assert list(png) == ["image/png"]


def test_the_docs_page_lists_operations_without_any_script(client):
    response = client.get("/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/v1/actions/checkout/create-session" in page
    assert "<script" not in page
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert re.search(r'<style nonce="[^"]+">', page)


def test_the_description_is_public_but_not_writable(client):
    assert client.get("/v1/openapi.json").status_code == 200
    refused = client.post("/v1/openapi.json")
    assert refused.status_code == 405
    assert refused.json()["errors"][0]["message"] == "Method not allowed"


def test_operation_ids_are_unique_names_from_the_paths(client):
    document = _document(client)
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert document["paths"]["/v1/actions/store/create-store"]["post"]["operationId"] == (
        "storeCreateStore"
    )
