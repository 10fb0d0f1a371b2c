"""Everything under /v1/ that is not a success is the envelope, never HTML."""

import json
import logging

import pytest

from core.api.views import ActionView

PATH = "/v1/actions/store/create-store"


def test_malformed_json_is_400_invalid_json_body(api):
    response = api.post(PATH, raw=b'{"name": ')
    assert response.status_code == 400
    assert response.json() == {
        "data": None,
        "errors": [{"message": "Invalid JSON body", "layer": "gateway"}],
    }


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"name"', b"\xff\xfe"])
def test_json_that_is_not_an_object_is_invalid(api, raw):
    assert api.post(PATH, raw=raw).json()["errors"][0]["message"] == "Invalid JSON body"


def test_unknown_route_is_an_envelope_404(client, db):
    response = client.post("/v1/actions/store/explode-store")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["layer"] == "gateway"


def test_unknown_route_is_json_even_with_debug(client, db, settings):
    settings.DEBUG = True
    response = client.get("/v1/nothing/here")
    assert response.status_code == 404
    assert response.json()["data"] is None


def test_wrong_method_is_an_envelope_405_before_credentials(client, db):
    response = client.get(PATH)
    assert response.status_code == 405
    assert response.json() == {
        "data": None,
        "errors": [{"message": "Method not allowed", "layer": "gateway"}],
    }
    assert response["Allow"] == "POST"


def test_unhandled_exception_is_500_without_internals_and_logged_with_request_id(
    api, monkeypatch, caplog
):
    def explode(self, request, payload):
        raise RuntimeError("secret internals: db password hunter2")

    from stores.api.actions import CreateStore

    monkeypatch.setattr(CreateStore, "perform", explode)
    with caplog.at_level(logging.ERROR, logger="core.api"):
        response = api.post(PATH, {"name": "x"})

    assert response.status_code == 500
    assert response.json() == {
        "data": None,
        "errors": [{"message": "Internal server error", "layer": "gateway"}],
    }
    assert b"hunter2" not in response.content
    request_id = response["X-Request-Id"]
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None


def test_base_view_refuses_to_guess(rf):
    with pytest.raises(NotImplementedError):
        ActionView().perform(rf.post("/"), {})


def test_oversized_body_is_413_not_500(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.post(PATH, {"name": "x" * 4096})
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "Request body too large"


def test_server_errors_answer_in_each_paths_own_dialect(rf, db):
    from config.error_pages import server_error

    page = server_error(rf.get("/store/anything/"))
    assert page.status_code == 500
    assert b"Something went wrong" in page.content
    assert b"find this page" not in page.content  # it is not a missing page
    actions = server_error(rf.post("/v1/actions/store/create-store"))
    assert json.loads(actions.content) == {
        "data": None,
        "errors": [{"message": "Internal server error", "layer": "gateway"}],
    }
    cart = server_error(rf.post("/checkout/shipping"))
    assert json.loads(cart.content)["error"] == {
        "status": 500,
        "code": "internal_error",
        "message": "Internal server error",
    }
