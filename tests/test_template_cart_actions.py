"""template-cart/* actions: merchants manage template carts with their signed keys."""

import pytest

from checkout import carts
from checkout.models import TemplateCart
from tests.factories import MerchantFactory, ProductFactory, StoreFactory

CREATE = "/v1/actions/template-cart/create-cart"
UPDATE = "/v1/actions/template-cart/update-cart"


@pytest.fixture
def products(store):
    return ProductFactory(store=store, name="Book"), ProductFactory(store=store, name="Course")


def create(api, store, products, **extra):
    book, course = products
    body = {
        "storeId": store.public_id,
        "name": "Poster bundle",
        "currency": "USD",
        "items": [
            {"productId": book.public_id, "quantity": 2},
            {"productId": course.public_id, "quantity": 1},
        ],
        **extra,
    }
    return api.post(CREATE, body)


def test_create_a_template_cart(api, store, products, settings):
    settings.PUBLIC_BASE_URL = "https://pay.example.com"
    response = create(api, store, products, successUrl="https://example.com/thanks")

    assert response.status_code == 200, response.content
    cart = response.json()["data"]["cart"]
    stored = TemplateCart.objects.get()
    assert cart["id"] == stored.public_id and len(cart["id"]) == 26
    assert (cart["environment"], cart["currency"], cart["active"]) == ("test", "USD", True)
    assert cart["items"] == [
        {"productId": products[0].public_id, "quantity": 2},
        {"productId": products[1].public_id, "quantity": 1},
    ]
    assert cart["url"] == f"https://pay.example.com/c/{stored.public_id}"
    assert cart["qrPngUrl"].endswith(f"/checkout/{stored.public_id}/qr.png")


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"currency": "usd"}, 400),
        ({"currency": "JPY"}, 200),
        ({"currency": "GBP"}, 422),
        ({"items": []}, 400),
        ({"items": [{"productId": "PROD_1", "quantity": 1}]}, 400),
        ({"items": [{"productId": "PROD_" + "1" * 22, "quantity": 1}]}, 404),
        ({"name": " "}, 400),
        ({"successUrl": "javascript:alert(1)"}, 400),
    ],
)
def test_create_refuses_what_begin_could_not_sell(api, store, products, extra, status):
    response = create(api, store, products, **extra)
    assert response.status_code == status, response.content
    assert TemplateCart.objects.count() == (1 if status == 200 else 0)


def test_another_merchants_store_and_products_are_not_found(api, store, products):
    foreign = StoreFactory(owner=MerchantFactory())
    assert create(api, foreign, products).status_code == 404
    theirs = ProductFactory(store=foreign)
    response = create(api, store, products, items=[{"productId": theirs.public_id, "quantity": 1}])
    assert response.status_code == 404


def test_update_changes_the_template_but_not_begun_checkouts(api, store, products):
    cart_id = create(api, store, products).json()["data"]["cart"]["id"]
    session = carts.cart_begin(cart=TemplateCart.objects.get())

    response = api.post(
        UPDATE,
        {"id": cart_id, "name": "Renamed", "active": False,
         "items": [{"productId": products[1].public_id, "quantity": 3}]},
    )  # fmt: skip

    cart = response.json()["data"]["cart"]
    assert (cart["name"], cart["active"]) == ("Renamed", False)
    assert cart["items"] == [{"productId": products[1].public_id, "quantity": 3}]
    session.refresh_from_db()
    assert [line.quantity for line in session.line_items] == [2, 1]


def test_update_of_an_unknown_or_foreign_cart_is_not_found(api, store):
    assert api.post(UPDATE, {"id": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "name": "x"}).status_code == 404
    foreign = StoreFactory(owner=MerchantFactory())
    other = TemplateCart.objects.create(store=foreign, environment="test", name="t", currency="USD")
    assert api.post(UPDATE, {"id": other.public_id, "name": "mine"}).status_code == 404
