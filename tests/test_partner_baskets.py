"""Partner baskets (seed 003): initiate, update (by the landing-state cookie), validate and
hand over, with their error cases, and the cookie over a real HTTP client."""

import http.cookiejar
import json
import re
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from catalog import services as catalog_services
from checkout.models import CheckoutSession
from orders.models import Order
from partners import services
from partners.models import Basket, BasketState
from payments.services import checkout_pay
from tests.checkout_factories import billing, success_card
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerFactory, PartnerGrantFactory, bearer
from tests.worker_support import run_worker

INITIATE = "/partner/checkout/initiate"
UPDATE = "/partner/checkout/update"
VALIDATE = "/partner/checkout/validate"
HANDOVER = "/partner/checkout/handover"
BASKET_ID = re.compile(r"^basket-[A-Za-z0-9\-_]{32,36}$")


@pytest.fixture
def shop(db):
    store = StoreFactory()
    return store, ProductFactory(store=store), ProductFactory(store=store)


@pytest.fixture
def partner(shop):
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=shop[0])
    return partner


@pytest.fixture
def auth(client, partner):
    return bearer(client, partner)


def _post(client, url, body, auth):
    return client.post(url, json.dumps(body), content_type="application/json", **auth)


def _put(client, body, auth):
    return client.put(UPDATE, json.dumps(body), content_type="application/json", **auth)


def _order(*items, currency="USD"):
    return {"order": {"currency": currency, "orderItems": list(items)}}


def _initiate(client, auth, product, **extra):
    item = {"offer": product.public_id, "quantity": 1, "type": "offer", **extra}
    return _post(client, INITIATE, _order(item), auth)


def test_initiate_creates_a_basket_and_sets_a_signed_httponly_cookie(client, auth, shop):
    _, first, second = shop
    response = _post(
        client,
        INITIATE,
        _order(
            {"offer": first.public_id, "quantity": 2, "type": "offer"},
            {
                "offer": {"productId": second.public_id, "versionId": str(second.test_version_id)},
                "quantity": 1,
                "type": "add_on",
            },
        ),
        auth,
    )
    assert response.status_code == 200
    basket_id = response.json()["id"]
    assert BASKET_ID.match(basket_id)
    basket = Basket.objects.get(pk=basket_id.removeprefix("basket-"))
    assert [(i.quantity, i.type, i.unit_amount_minor) for i in basket.items.all()] == [
        (2, "offer", 2900),
        (1, "add_on", 2900),
    ]
    assert basket.expires_at - basket.created_at == pytest.approx(
        timedelta(days=14), abs=timedelta(seconds=5)
    )
    cookie = response.cookies["landing_state"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie.value != basket_id and cookie.value.startswith(basket_id + ":")  # signed


def test_landing_cookie_is_secure_where_settings_say_so(client, auth, shop, settings):
    settings.PARTNER_COOKIE_SECURE = True  # what production has (tests/test_settings.py)
    cookie = _initiate(client, auth, shop[1]).cookies["landing_state"]
    assert cookie["secure"] is True
    assert cookie["path"] == "/partner/"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing required field: order"),
        ({"order": {"currency": "USD"}}, "Missing required field: order.orderItems"),
        (_order(), "orderItems must list at least one item"),
        (_order({"offer": "nope"}), 'orderItems[0].offer: Expected format: PROD_xxx, got "nope"'),
        ({"order": {"orderItems": []}, "extra": 1}, "extra is not a known field"),
        (
            {"order": {"currency": "USD", "orderItems": None}},
            "Missing required field: orderItems",
        ),
        (
            _order({"offer": {}}),
            "Missing required field: orderItems[0].offer.productId",
        ),
        (
            {"order": {"currency": ["USD"], "orderItems": []}},
            'order.currency must be a currency code such as "USD"',
        ),
    ],
)
def test_initiate_refuses_invalid_payloads(client, auth, body, message):
    response = _post(client, INITIATE, body, auth)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message


def test_initiate_refuses_a_product_not_granted(client, auth):
    other = ProductFactory()
    response = _initiate(client, auth, other)
    assert response.status_code == 400
    assert "is not available to this partner" in response.json()["error"]["message"]


def test_grant_limited_to_products(client, shop):
    store, first, second = shop
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=store, products=[first])
    auth = bearer(client, partner)
    assert _initiate(client, auth, first).status_code == 200
    assert _initiate(client, auth, second).status_code == 400


def test_update_by_cookie_changes_quantities_removes_and_adds(client, auth, shop):
    _, first, second = shop
    assert _initiate(client, auth, first).status_code == 200
    response = _put(
        client,
        {
            "quantities": {"0": 3},
            "add": [{"offer": second.public_id, "quantity": 2, "type": "add_on"}],
        },
        auth,
    )
    assert response.status_code == 200, response.json()
    order = response.json()["order"]
    assert [(i["position"], i["quantity"], i["type"]) for i in order["orderItems"]] == [
        (0, 3, "offer"),
        (1, 2, "add_on"),
    ]
    assert order["subtotal"] == "145.00"
    response = _put(client, {"remove": [second.public_id]}, auth)
    assert [i["position"] for i in response.json()["order"]["orderItems"]] == [0]


def test_update_without_or_with_a_tampered_cookie_is_404(client, auth, shop):
    assert _put(client, {}, auth).status_code == 404
    _initiate(client, auth, shop[1])
    client.cookies["landing_state"] = client.cookies["landing_state"].value[:-2] + "xx"
    response = _put(client, {}, auth)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Basket not found"


def test_another_partners_basket_is_404(client, auth, shop):
    _initiate(client, auth, shop[1])
    basket_id = Basket.objects.get().public_id
    stranger = PartnerFactory()
    PartnerGrantFactory(partner=stranger, store=shop[0])
    other_auth = bearer(client, stranger)
    assert _put(client, {}, other_auth).status_code == 404  # same cookie, other partner
    assert _post(client, VALIDATE, {"basketId": basket_id}, other_auth).status_code == 404
    assert _post(client, HANDOVER, {"basketId": basket_id}, other_auth).status_code == 404


def test_validate_reports_price_change_and_revoked_grant_without_changing(client, auth, shop):
    store, first, _ = shop
    basket_id = _initiate(client, auth, first).json()["id"]
    response = _post(client, VALIDATE, {"basketId": basket_id}, auth)
    assert response.json() == {"basketId": basket_id, "state": "active", "problems": []}

    catalog_services.product_update(
        product=first, prices={"USD": {"amount": "35.00", "taxCategory": "digital_goods"}}
    )
    problems = _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]
    assert [(p["code"], p["addedAmount"], p["currentAmount"]) for p in problems] == [
        ("price_changed", "29.00", "35.00")
    ]
    store.partner_grants.all().delete()
    codes = {
        p["code"] for p in _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]
    }
    assert codes == {"price_changed", "not_permitted"}
    assert Basket.objects.get().items.get().unit_amount_minor == 2900


def test_validate_reports_an_unavailable_product(client, auth, shop):
    _, first, _ = shop
    basket_id = _initiate(client, auth, first).json()["id"]
    type(first).objects.filter(pk=first.pk).update(test_status="inactive")
    problems = _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]
    assert [p["code"] for p in problems] == ["product_unavailable"]


@pytest.mark.parametrize(
    "basket_id",
    [
        "",
        "basket-x",
        12,
        "cs_123",
        "basket-{00000000-0000-0000-0000-000000000000}",
        "basket-urn:uuid:00000000-0000-0000-0000-000000000000",
    ],
)
def test_validate_refuses_malformed_ids(client, auth, basket_id):
    response = _post(client, VALIDATE, {"basketId": basket_id}, auth)
    assert response.status_code == 400


def test_handover_makes_a_checkout_that_completes_the_basket_once_paid(client, auth, shop, partner):
    _, first, _ = shop
    basket_id = _initiate(client, auth, first).json()["id"]
    response = _post(client, HANDOVER, {"basketId": basket_id}, auth)
    assert response.status_code == 200
    body = response.json()
    assert body["checkoutUrl"].endswith(body["sessionId"])
    session = CheckoutSession.objects.get()
    assert session.line_items[0].unit_amount_minor == 2900
    assert (session.created_via, session.partner) == ("partner_basket", partner)
    assert session.metadata == {}
    again = _post(client, HANDOVER, {"basketId": basket_id}, auth).json()
    assert again["sessionId"] == body["sessionId"]
    # While handed over the basket is locked.
    assert _put(client, {"quantities": {"0": 2}}, auth).status_code == 409

    outcome = checkout_pay(
        session=session,
        billing=billing("US", state="OR"),
        card=success_card(),
        buyer_email="End.Customer@Example.com",
    )

    assert outcome.succeeded
    order = Order.objects.get()
    assert (order.partner, order.status, order.total_minor) == (partner, "completed", 2900)
    assert order.lines.get().unit_amount_minor == 2900
    # The paid checkout completes the basket at once as partners read it; the stored state
    # follows when the worker handles checkout.session.completed.
    state = _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["state"]
    assert state == "completed"
    assert Basket.objects.get().state == "active"
    run_worker()
    assert Basket.objects.get().state == "completed"
    response = _put(client, {"quantities": {"0": 2}}, auth)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Basket is completed and can no longer change"
    response = _post(client, HANDOVER, {"basketId": basket_id}, auth)
    assert response.status_code == 409
    assert Order.objects.count() == 1


def test_a_changed_price_stops_the_handover_until_the_item_is_added_again(client, auth, shop):
    _, first, _ = shop
    basket_id = _initiate(client, auth, first).json()["id"]
    catalog_services.product_update(
        product=first, prices={"USD": {"amount": "35.00", "taxCategory": "digital_goods"}}
    )

    response = _post(client, HANDOVER, {"basketId": basket_id}, auth)

    assert response.status_code == 422
    message = f"The price of product {first.public_id} changed since it was added"
    assert response.json()["error"]["message"] == message
    assert not CheckoutSession.objects.exists()
    add = {"offer": first.public_id, "quantity": 1, "type": "offer"}
    assert _put(client, {"remove": [0], "add": [add]}, auth).status_code == 200
    response = _post(client, HANDOVER, {"basketId": basket_id}, auth)
    assert response.status_code == 200
    assert CheckoutSession.objects.get().line_items[0].unit_amount_minor == 3500


def test_a_new_version_at_the_same_price_is_sold_as_it_is_now(client, auth, shop):
    _, first, _ = shop
    basket_id = _initiate(client, auth, first).json()["id"]
    catalog_services.product_update(product=first, name="Widget, second edition")

    assert _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"] == []
    _post(client, HANDOVER, {"basketId": basket_id}, auth)

    (line,) = CheckoutSession.objects.get().line_items
    first.refresh_from_db()
    assert (line.name, line.product_version_id) == ("Widget, second edition", first.test_version_id)


def test_a_pinned_version_must_be_the_one_on_sale(client, auth, shop):
    _, first, _ = shop
    old_version = first.test_version_id
    catalog_services.product_update(product=first, name="Widget, second edition")
    pinned = {"productId": first.public_id, "versionId": str(old_version)}

    response = _post(client, INITIATE, _order({"offer": pinned, "quantity": 1}), auth)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        f"Version {old_version} is not the version of product {first.public_id} on sale in test"
    )
    assert not Basket.objects.exists()


def test_validate_reports_a_replaced_pinned_version(client, auth, shop):
    _, first, _ = shop
    pinned = {"productId": first.public_id, "versionId": str(first.test_version_id)}
    basket_id = _post(client, INITIATE, _order({"offer": pinned, "quantity": 1}), auth).json()["id"]
    catalog_services.product_update(product=first, name="Widget, second edition")

    (problem,) = _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]

    assert problem["code"] == "version_changed"
    assert _post(client, HANDOVER, {"basketId": basket_id}, auth).status_code == 422


def test_validate_reports_a_store_that_stopped_selling(client, auth, shop):
    store, first, _ = shop
    basket_id = _initiate(client, auth, first).json()["id"]
    store.deleted_at = timezone.now()
    store.save(update_fields=["deleted_at"])

    (problem,) = _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]

    assert problem == {
        "code": "store_unavailable",
        "message": f"The store {store.name} is not selling in test",
    }
    response = _initiate(client, auth, first)
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"] == f"Product {first.public_id} is not available in test"
    )


@pytest.mark.parametrize("key", ["\u00b2", "9" * 5000, "-1", "0x1", True])
def test_update_refuses_odd_position_keys(client, auth, shop, key):
    _initiate(client, auth, shop[1])
    body = {"remove": [key]} if not isinstance(key, str) else {"quantities": {key: 2}}

    response = _put(client, body, auth)

    assert response.status_code == 400
    assert Basket.objects.get().items.get().quantity == 1


def test_expired_basket_cannot_change_or_hand_over(client, auth, shop):
    basket_id = _initiate(client, auth, shop[1]).json()["id"]
    Basket.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _post(client, VALIDATE, {"basketId": basket_id}, auth).json()["state"] == "expired"
    assert _put(client, {}, auth).status_code == 409
    assert _post(client, HANDOVER, {"basketId": basket_id}, auth).status_code == 409
    # The refusal rolls back; the state is derived from expires_at either way.
    assert services.effective_state(Basket.objects.get()) == BasketState.EXPIRED


def test_unknown_partner_route_is_the_dialects_404(client):
    response = client.get("/partner/nowhere")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_landing_cookie_round_trip_over_real_http(live_server, shop):
    store, first, second = shop
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=store)
    token = bearer(Client(), partner)["HTTP_AUTHORIZATION"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def call(method, path, body):
        request = urllib.request.Request(
            live_server.url + path,
            data=json.dumps(body).encode(),
            method=method,
            headers={"Authorization": token, "Content-Type": "application/json"},
        )
        try:
            with opener.open(request) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, body = call("POST", INITIATE, _order({"offer": first.public_id, "quantity": 1}))
    assert status == 200
    [cookie] = list(jar)
    assert cookie.name == "landing_state" and cookie.path == "/partner/"
    assert cookie.has_nonstandard_attr("HttpOnly")
    status, updated = call("PUT", UPDATE, {"add": [{"offer": second.public_id}]})
    assert status == 200
    assert updated["id"] == body["id"]
    assert len(updated["order"]["orderItems"]) == 2
    jar.clear()
    assert call("PUT", UPDATE, {})[0] == 404
