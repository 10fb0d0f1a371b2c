"""``POST /checkout/begin/{cart_id}`` and the public link ``GET /c/{cart_id}``: a live checkout
with today's prices locked, the template never touched, and the refusals of seed 002."""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from catalog import services as catalog_services
from catalog.models import ProductType
from checkout.models import CheckoutSession, CreatedVia, TemplateCartItem
from stores.models import Environment, StoreStatus
from tests.cart_factories import (
    CartApi,
    begin,
    make_cart,
    merchant_with_store,
    new_secret,
    physical_product,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    merchant, store, api = merchant_with_store()
    boots = physical_product(store, name="Boots")
    ebook = ProductFactory(
        store=store,
        name="Field guide",
        prices={"USD": {"amount": "12.50", "taxCategory": "ebook"}},
    )
    cart = make_cart(store, (boots, 2), (ebook, 1), name="Hiking set")
    return merchant, store, cart, api, boots, ebook


def item_rows(cart) -> list[dict]:
    return [model_to_dict(item) for item in TemplateCartItem.objects.filter(cart=cart)]


def test_begin_locks_lines_and_prices(shop, settings):
    _, store, cart, api, boots, ebook = shop
    body = begin(api, cart)
    session = CheckoutSession.objects.get(pk=body["checkout_session_id"].removeprefix("cs_"))
    assert body == {
        "checkout_session_id": session.public_id,
        "checkout_url": (
            f"{settings.PUBLIC_BASE_URL}/store/{store.slug}/checkout/{session.public_id}"
        ),
        "expires_at": body["expires_at"],
        "status": "open",
        "template_cart_id": cart.public_id,
        "currency": "USD",
        "requires_shipping": True,
        "lines": [
            {
                "product_id": boots.public_id,
                "name": "Boots",
                "quantity": 2,
                "unit_amount": "29.00",
                "total": "58.00",
            },
            {
                "product_id": ebook.public_id,
                "name": "Field guide",
                "quantity": 1,
                "unit_amount": "12.50",
                "total": "12.50",
            },
        ],
        "subtotal": "70.50",
    }
    assert body["expires_at"].endswith("Z") and len(body["expires_at"]) == 24
    assert session.created_via == CreatedVia.TEMPLATE_CART
    assert session.template_cart_id == cart.pk
    assert [line.unit_amount_minor for line in session.line_items] == [2900, 1250]


def test_a_later_price_change_does_not_reach_the_session(shop):
    _, _, cart, api, boots, _ = shop
    first = begin(api, cart)
    catalog_services.product_update(
        product=boots,
        name="Boots v2",
        prices={"USD": {"amount": "35.00", "taxCategory": "digital_goods"}},
    )
    session = CheckoutSession.objects.get(pk=first["checkout_session_id"].removeprefix("cs_"))
    assert session.line_items[0].unit_amount_minor == 2900
    assert session.line_items[0].name == "Boots"
    second = begin(api, cart)
    assert second["lines"][0]["unit_amount"] == "35.00"
    assert second["lines"][0]["name"] == "Boots v2"
    assert second["checkout_session_id"] != first["checkout_session_id"]


def test_the_template_is_never_modified(shop):
    _, _, cart, api, _, _ = shop
    before_items, before_updated = item_rows(cart), cart.updated_at
    for _ in range(3):
        begin(api, cart)
    cart.refresh_from_db()
    assert item_rows(cart) == before_items
    assert cart.updated_at == before_updated
    assert cart.active


def test_each_begin_is_a_new_session(shop):
    _, _, cart, api, _, _ = shop
    ids = {begin(api, cart)["checkout_session_id"] for _ in range(4)}
    assert len(ids) == 4
    assert CheckoutSession.objects.filter(template_cart=cart).count() == 4


def test_uuid_spelling_and_bearer_secret(shop):
    merchant, _, cart, _, _, _ = shop
    api = CartApi(merchant, secret=new_secret(merchant))
    response = api.post(f"/checkout/begin/{cart.id}")
    assert response.status_code == 200
    assert response.json()["template_cart_id"] == cart.public_id


def test_idempotency_key_replays_the_first_session(shop):
    _, _, cart, api, _, _ = shop
    path = f"/checkout/begin/{cart.public_id}"
    first = api.post(path, headers={"X-Idempotency-Key": "begin-1"})
    again = api.post(path, headers={"X-Idempotency-Key": "begin-1"})
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert CheckoutSession.objects.filter(template_cart=cart).count() == 1


def test_unknown_body_fields_are_400(shop):
    _, _, cart, api, _, _ = shop
    response = api.post(f"/checkout/begin/{cart.public_id}", {"quantity": 3})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "quantity is not a known field"


def test_malformed_json_is_400(shop):
    _, _, cart, api, _, _ = shop
    response = api.post(f"/checkout/begin/{cart.public_id}", raw=b"{nope")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid JSON body"


def test_inactive_product_422(shop):
    _, _, cart, api, _, ebook = shop
    catalog_services.product_set_status(
        product=ebook, environment=Environment.TEST, status="inactive"
    )
    response = api.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 422
    assert response.json()["error"] == {
        "status": 422,
        "code": "unprocessable_entity",
        "message": f"Product {ebook.public_id} is not available in test",
    }
    assert not CheckoutSession.objects.exists()


def test_currency_not_offered_422(shop):
    _, store, _, api, boots, _ = shop
    cart = make_cart(store, (boots, 1), currency="GBP")
    response = api.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == f"Product {boots.public_id} is not offered in GBP"


def test_subscription_mixed_with_other_lines_422(shop):
    _, store, _, api, boots, _ = shop
    plan = ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION)
    cart = make_cart(store, (plan, 1), (boots, 1))
    response = api.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "A cart with a subscription must hold that one subscription only"
    )
    alone = make_cart(store, (plan, 1))
    assert api.post(f"/checkout/begin/{alone.public_id}").status_code == 200


def test_empty_and_inactive_carts_422(shop):
    _, store, cart, api, _, _ = shop
    empty = make_cart(store)
    assert api.post(f"/checkout/begin/{empty.public_id}").status_code == 422
    cart.active = False
    cart.save()
    response = api.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Cart is not active"


def test_inactive_store_403(shop):
    _, store, cart, api, _, _ = shop
    store.status = StoreStatus.INACTIVE
    store.save()
    response = api.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "status": 403,
        "code": "forbidden",
        "message": "Store is not active",
    }


def test_prod_needs_an_approved_store(shop):
    merchant, store, _, _, _, _ = shop
    product = ProductFactory(store=store, publish=True)
    cart = make_cart(store, (product, 1), environment=Environment.PROD)
    prod = CartApi(merchant, secret=new_secret(merchant, Environment.PROD))
    response = prod.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Store is not approved for production payments"
    store.prod_enabled = True
    store.save()
    body = begin(prod, cart)
    assert CheckoutSession.objects.get(pk=body["checkout_session_id"][3:]).environment == "prod"


def test_another_merchants_cart_404_and_unknown_404(shop):
    _, _, cart, _, _, _ = shop
    _, _, stranger = merchant_with_store()
    response = stranger.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Cart not found"
    assert stranger.post("/checkout/begin/not-a-cart").status_code == 404


def test_without_credentials_401(shop, client):
    _, _, cart, _, _, _ = shop
    response = client.post(f"/checkout/begin/{cart.public_id}")
    assert response.status_code == 401


# --- the public link -----------------------------------------------------------------------


def test_public_link_redirects_to_a_working_hosted_page(shop, client):
    _, store, cart, _, _, _ = shop
    response = client.get(f"/c/{cart.public_id}")
    assert response.status_code == 303
    location = response["Location"]
    assert location.startswith(f"/store/{store.slug}/checkout/cs_")
    assert "no-store" in response["Cache-Control"]
    page = client.get(location)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Boots" in html
    assert "Field guide" in html


def test_public_link_opened_twice_gives_two_sessions(shop, client):
    _, _, cart, _, _, _ = shop
    first = client.get(f"/c/{cart.public_id}")["Location"]
    second = client.get(f"/c/{cart.id}")["Location"]
    assert first != second
    assert CheckoutSession.objects.filter(template_cart=cart).count() == 2


def test_public_link_unknown_cart_is_a_friendly_404(db, client):
    response = client.get("/c/01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]
    assert "This cart link is not valid" in response.content.decode()


def test_public_link_inactive_cart_is_404(shop, client):
    _, _, cart, _, _, _ = shop
    cart.active = False
    cart.save()
    assert client.get(f"/c/{cart.public_id}").status_code == 404


def test_public_link_unsellable_cart_is_a_friendly_422(shop, client):
    _, _, cart, _, _, ebook = shop
    catalog_services.product_set_status(
        product=ebook, environment=Environment.TEST, status="inactive"
    )
    response = client.get(f"/c/{cart.public_id}")
    assert response.status_code == 422
    assert "can&#x27;t be bought right now" in response.content.decode()
    assert not CheckoutSession.objects.exists()


def test_public_link_closed_store_is_403(shop, client):
    _, store, cart, _, _, _ = shop
    store.status = StoreStatus.INACTIVE
    store.save()
    response = client.get(f"/c/{cart.public_id}")
    assert response.status_code == 403
    assert "not taking orders" in response.content.decode()


def test_public_link_is_get_only(shop, client):
    _, _, cart, _, _, _ = shop
    assert client.post(f"/c/{cart.public_id}").status_code == 405
    assert not CheckoutSession.objects.exists()


# --- concurrency (PostgreSQL) --------------------------------------------------------------

THREADS = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_begins_all_succeed_with_their_own_sessions():
    merchant, store, _ = merchant_with_store()
    cart = make_cart(
        store, (physical_product(store), 2), (ProductFactory(store=store), 1), name="Rush"
    )
    secret = new_secret(merchant)
    before = item_rows(cart)
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def fire():
        api = CartApi(merchant, secret=secret)
        try:
            barrier.wait(timeout=30)
            response = api.post(f"/checkout/begin/{cart.public_id}")
            body = response.json()
            with lock:
                results.append((response.status_code, body.get("checkout_session_id", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(status for status, _ in results) == {200: THREADS}, results
    assert len({session_id for _, session_id in results}) == THREADS
    assert CheckoutSession.objects.filter(template_cart=cart).count() == THREADS
    assert item_rows(cart) == before
