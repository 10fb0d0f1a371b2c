"""The cart checkout API's one error body, ``{"error": {"status", "code", "message"}}``, for
every status it answers, and the actions envelope left exactly as it was."""

import logging

import pytest
from django.utils import timezone

from checkout.api import carts as cart_views
from checkout.models import CheckoutSession, SessionStatus
from stores.models import StoreStatus
from tests.cart_factories import (
    US_ADDRESS,
    ShippingMethodFactory,
    begin,
    make_cart,
    merchant_with_store,
    physical_product,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "unprocessable_entity",
    500: "internal_error",
}


@pytest.fixture
def shop():
    _, store, api = merchant_with_store()
    ShippingMethodFactory(store=store, prices={"USD": 500})
    cart = make_cart(store, (physical_product(store), 1))
    return store, cart, api


def assert_error(response, status: int, message: str | None = None) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"]
    assert list(body["error"]) == ["status", "code", "message"]
    assert body["error"]["status"] == status
    assert body["error"]["code"] == CODES[status]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if message is not None:
        assert body["error"]["message"] == message


def test_400_bad_json_and_bad_idempotency_key(shop):
    _, cart, api = shop
    assert_error(
        api.post(f"/checkout/begin/{cart.public_id}", raw=b"[1, 2"), 400, "Invalid JSON body"
    )
    assert_error(api.post(f"/checkout/begin/{cart.public_id}", raw=b"[]"), 400, "Invalid JSON body")
    response = api.post(
        f"/checkout/begin/{cart.public_id}", headers={"X-Idempotency-Key": "not ok!"}
    )
    assert_error(response, 400)


def test_400_bad_query(shop):
    _, cart, api = shop
    assert_error(
        api.get(f"/checkout/{cart.public_id}/qr.png", {"size": "99"}),
        400,
        "size must be an integer from 1 to 40",
    )


def test_401_on_every_endpoint(shop, client):
    _, cart, _ = shop
    for method, path in [
        ("get", f"/checkout/{cart.public_id}/qr"),
        ("get", f"/checkout/{cart.public_id}/qr.png"),
        ("get", f"/checkout/{cart.public_id}/qr.svg"),
        ("post", f"/checkout/begin/{cart.public_id}"),
        ("post", "/checkout/shipping"),
        ("post", "/checkout/shipping/method"),
        ("post", "/checkout/cst"),
    ]:
        response = getattr(client, method)(path)
        assert_error(response, 401, "Unauthorized")
        assert response["WWW-Authenticate"] == 'Bearer realm="checkout"'


def test_403_store_not_active(shop):
    store, cart, api = shop
    store.status = StoreStatus.SUSPENDED
    store.save()
    assert_error(api.post(f"/checkout/begin/{cart.public_id}"), 403, "Store is not active")


def test_404_unknown_cart_and_session(shop):
    _, _, api = shop
    assert_error(api.post("/checkout/begin/01ARZ3NDEKTSV4RRFFQ69G5FAV"), 404, "Cart not found")
    assert_error(
        api.post("/checkout/cst", {"cart_id": "cs_00000000-0000-4000-8000-000000000000"}),
        404,
        "Checkout session not found",
    )


@pytest.mark.parametrize(
    "path",
    ["/checkout", "/checkout/", "/checkout/nothing", "/checkout/a/b/c", "/checkout/X/qr.gif"],
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_404_unknown_routes_under_checkout(client, path, method):
    assert_error(getattr(client, method)(path), 404, "Not found")


def test_hosted_pages_keep_their_html_404(db, client):
    response = client.get("/store/nope/checkout/cs_nope")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_409_checkout_already_submitted(shop):
    _, cart, api = shop
    cart_id = begin(api, cart)["checkout_session_id"]
    CheckoutSession.objects.filter(pk=cart_id[3:]).update(
        status=SessionStatus.COMPLETED, completed_at=timezone.now()
    )
    response = api.post("/checkout/shipping", {"cart_id": cart_id, "buyer_info": US_ADDRESS})
    assert_error(response, 409, "Checkout has already been submitted")


def test_422_unsellable_cart(shop):
    store, _, api = shop
    cart = make_cart(store, (ProductFactory(store=store), 1), currency="CHF")
    assert_error(api.post(f"/checkout/begin/{cart.public_id}"), 422)


def test_500_is_logged_and_answered_in_the_dialect(shop, monkeypatch, caplog):
    _, cart, api = shop

    def crash(**kwargs):
        raise RuntimeError("database exploded: secret detail")

    monkeypatch.setattr(cart_views, "cart_begin", crash)
    with caplog.at_level(logging.ERROR, logger="core.api"):
        response = api.post(f"/checkout/begin/{cart.public_id}")
    assert_error(response, 500, "Internal server error")
    assert b"secret detail" not in response.content
    assert response["X-Request-Id"] in caplog.text


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("post", "/checkout/CART/qr", "GET, HEAD"),
        ("put", "/checkout/CART/qr.png", "GET, HEAD"),
        ("get", "/checkout/begin/CART", "POST"),
        ("get", "/checkout/shipping", "POST"),
        ("delete", "/checkout/shipping/method", "POST"),
        ("patch", "/checkout/cst", "POST"),
    ],
)
def test_405_wrong_method_before_credentials(shop, client, method, path, allow):
    _, cart, _ = shop
    response = getattr(client, method)(path.replace("CART", cart.public_id))
    assert_error(response, 405, "Method not allowed")
    assert response["Allow"] == allow


def test_the_actions_envelope_is_unchanged(db, client):
    response = client.post("/v1/actions/store/create-store", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.content == (
        b'{"data":null,"errors":[{"message":"Unauthorized","layer":"gateway"}]}'
    )
    response = client.get("/v1/actions/store/create-store")
    assert response.status_code == 405
    assert response.content == (
        b'{"data":null,"errors":[{"message":"Method not allowed","layer":"gateway"}]}'
    )
    response = client.get("/v1/nothing")
    assert response.status_code == 404
    assert response.json() == {
        "data": None,
        "errors": [{"message": "Not found", "layer": "gateway"}],
    }
