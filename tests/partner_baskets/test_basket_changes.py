"""Partner baskets (seed 003): initiate, update by the landing-state cookie and validate,
with their error cases, and the cookie over a real HTTP client."""

import http.cookiejar
import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.test import Client

from catalog import services as catalog_services
from partners.models import Basket
from tests.basket_support import (
    BASKET_ID,
    HANDOVER,
    INITIATE,
    UPDATE,
    VALIDATE,
    basket_order,
    initiate,
    post,
    put,
)
from tests.factories import ProductFactory
from tests.partner_factories import PartnerFactory, PartnerGrantFactory, bearer


def test_initiate_creates_a_basket_and_sets_a_signed_httponly_cookie(client, auth, shop):
    _, first, second = shop
    response = post(
        client,
        INITIATE,
        basket_order(
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
    cookie = initiate(client, auth, shop[1]).cookies["landing_state"]
    assert cookie["secure"] is True
    assert cookie["path"] == "/partner/"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing required field: order"),
        ({"order": {"currency": "USD"}}, "Missing required field: order.orderItems"),
        (basket_order(), "orderItems must list at least one item"),
        (
            basket_order({"offer": "nope"}),
            'orderItems[0].offer: Expected format: PROD_xxx, got "nope"',
        ),
        ({"order": {"orderItems": []}, "extra": 1}, "extra is not a known field"),
        (
            {"order": {"currency": "USD", "orderItems": None}},
            "Missing required field: orderItems",
        ),
        (
            basket_order({"offer": {}}),
            "Missing required field: orderItems[0].offer.productId",
        ),
        (
            {"order": {"currency": ["USD"], "orderItems": []}},
            'order.currency must be a currency code such as "USD"',
        ),
    ],
)
def test_initiate_refuses_invalid_payloads(client, auth, body, message):
    response = post(client, INITIATE, body, auth)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message


def test_initiate_refuses_a_product_not_granted(client, auth):
    other = ProductFactory()
    response = initiate(client, auth, other)
    assert response.status_code == 400
    assert "is not available to this partner" in response.json()["error"]["message"]


def test_grant_limited_to_products(client, shop):
    store, first, second = shop
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=store, products=[first])
    auth = bearer(client, partner)
    assert initiate(client, auth, first).status_code == 200
    assert initiate(client, auth, second).status_code == 400


def test_update_by_cookie_changes_quantities_removes_and_adds(client, auth, shop):
    _, first, second = shop
    assert initiate(client, auth, first).status_code == 200
    response = put(
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
    response = put(client, {"remove": [second.public_id]}, auth)
    assert [i["position"] for i in response.json()["order"]["orderItems"]] == [0]


def test_update_without_or_with_a_tampered_cookie_is_404(client, auth, shop):
    assert put(client, {}, auth).status_code == 404
    initiate(client, auth, shop[1])
    client.cookies["landing_state"] = client.cookies["landing_state"].value[:-2] + "xx"
    response = put(client, {}, auth)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Basket not found"


def test_another_partners_basket_is_404(client, auth, shop):
    initiate(client, auth, shop[1])
    basket_id = Basket.objects.get().public_id
    stranger = PartnerFactory()
    PartnerGrantFactory(partner=stranger, store=shop[0])
    other_auth = bearer(client, stranger)
    assert put(client, {}, other_auth).status_code == 404  # same cookie, other partner
    assert post(client, VALIDATE, {"basketId": basket_id}, other_auth).status_code == 404
    assert post(client, HANDOVER, {"basketId": basket_id}, other_auth).status_code == 404


def test_validate_reports_price_change_and_revoked_grant_without_changing(client, auth, shop):
    store, first, _ = shop
    basket_id = initiate(client, auth, first).json()["id"]
    response = post(client, VALIDATE, {"basketId": basket_id}, auth)
    assert response.json() == {"basketId": basket_id, "state": "active", "problems": []}

    catalog_services.product_update(
        product=first, prices={"USD": {"amount": "35.00", "taxCategory": "digital_goods"}}
    )
    problems = post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]
    assert [(p["code"], p["addedAmount"], p["currentAmount"]) for p in problems] == [
        ("price_changed", "29.00", "35.00")
    ]
    store.partner_grants.all().delete()
    codes = {
        p["code"] for p in post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]
    }
    assert codes == {"price_changed", "not_permitted"}
    assert Basket.objects.get().items.get().unit_amount_minor == 2900


def test_validate_reports_an_unavailable_product(client, auth, shop):
    _, first, _ = shop
    basket_id = initiate(client, auth, first).json()["id"]
    type(first).objects.filter(pk=first.pk).update(test_status="inactive")
    problems = post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]
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
    response = post(client, VALIDATE, {"basketId": basket_id}, auth)
    assert response.status_code == 400


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

    status, body = call("POST", INITIATE, basket_order({"offer": first.public_id, "quantity": 1}))
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
