"""``POST /checkout/shipping`` and ``/checkout/shipping/method``: address validation, the
methods that serve an address, totals and tax with shipping, who may call, and the order
that follows keeping its shipping line."""

import json

import pytest
from django.utils import timezone

from checkout.billing import parse_billing_detail
from checkout.models import CheckoutSession, SessionStatus
from core import tokens
from orders.models import Order, OrderLine
from payments.services import checkout_pay
from stores.models import Environment, StoreStatus
from tests.cart_factories import (
    DE_ADDRESS,
    US_ADDRESS,
    CartApi,
    ShippingMethodFactory,
    begin,
    make_cart,
    merchant_with_store,
    new_secret,
    physical_product,
)
from tests.checkout_factories import expire, success_card
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

SHIPPING = "/checkout/shipping"
METHOD = "/checkout/shipping/method"


@pytest.fixture
def shop():
    merchant, store, api = merchant_with_store()
    boots = physical_product(store, name="Boots")
    methods = {
        "us": ShippingMethodFactory(
            store=store, name="US Ground", prices={"USD": 500}, countries=["US"]
        ),
        "world": ShippingMethodFactory(
            store=store, name="Worldwide", prices={"USD": 1500, "EUR": 1200}
        ),
        "eu": ShippingMethodFactory(
            store=store, name="EU Post", prices={"EUR": 450}, countries=["DE", "FR"]
        ),
        "free": ShippingMethodFactory(
            store=store,
            name="Free over 50",
            prices={"USD": 900},
            countries=["US"],
            free_above={"USD": 5000},
        ),
        "off": ShippingMethodFactory(store=store, name="Retired", active=False),
    }
    return merchant, store, api, boots, methods


def live(api, store, *items, currency="USD") -> str:
    """A live checkout (``cs_…``) begun from a new template cart."""
    return begin(api, make_cart(store, *items, currency=currency))["checkout_session_id"]


def set_address(api, cart_id, address, **extra):
    return api.post(SHIPPING, {"cart_id": cart_id, "buyer_info": address, **extra})


def names(body) -> list[str]:
    return [method["name"] for method in body["shipping_methods"]]


def stored(cart_id) -> CheckoutSession:
    return CheckoutSession.objects.get(pk=cart_id.removeprefix("cs_"))


# --- address validation --------------------------------------------------------------------

CA = {"country_code": "CA", "province_code": "on", "postal_code": "k1a 0b1", "city": "Ottawa"}
AU = {"country_code": "AU", "province_code": "NSW", "postal_code": "2000", "city": "Sydney"}
HK = {"country_code": "HK", "province_code": "", "postal_code": "", "city": "Hong Kong"}


def without(field: str) -> dict:
    return {key: value for key, value in US_ADDRESS.items() if key != field}


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (without("country_code"), "buyer_info.country_code is required"),
        (
            {**US_ADDRESS, "country_code": "XX"},
            "buyer_info.country_code must be an ISO 3166-1 alpha-2 country code",
        ),
        (
            {**US_ADDRESS, "country_code": "USA"},
            "buyer_info.country_code must be a string of at most 2 characters",
        ),
        (
            without("province_code"),
            "buyer_info.province_code must be a valid state or province of US",
        ),
        (
            {**US_ADDRESS, "province_code": "ZZ"},
            "buyer_info.province_code must be a valid state or province of US",
        ),
        (
            {**US_ADDRESS, **CA, "province_code": "XX"},
            "buyer_info.province_code must be a valid state or province of CA",
        ),
        (
            {**US_ADDRESS, **AU, "province_code": "ON"},
            "buyer_info.province_code must be a valid state or province of AU",
        ),
        (
            {**US_ADDRESS, "postal_code": "9810"},
            "buyer_info.postal_code is not a valid postal code for US",
        ),
        (without("postal_code"), "buyer_info.postal_code is required for US"),
        (
            {**US_ADDRESS, **CA, "postal_code": "12345"},
            "buyer_info.postal_code is not a valid postal code for CA",
        ),
        ({**US_ADDRESS, "company": "Acme"}, "buyer_info.company is not a known field"),
        (
            {**US_ADDRESS, "phone": "call me maybe"},
            "buyer_info.phone must be a phone number with country code",
        ),
        ({**US_ADDRESS, "email": "not-an-email"}, "buyer_info.email must be an email address"),
        (without("first_name"), "buyer_info.first_name is required"),
        ({**US_ADDRESS, "city": 7}, "buyer_info.city must be a string of at most 100 characters"),
        ("1 Main Street", "buyer_info must be an object"),
    ],
)
def test_invalid_addresses_are_400(shop, address, message):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    response = set_address(api, cart_id, address)
    assert response.status_code == 400, response.content
    assert response.json() == {"error": {"status": 400, "code": "bad_request", "message": message}}
    assert stored(cart_id).shipping_address is None


@pytest.mark.parametrize(
    ("fields", "normalized"),
    [
        (CA, {"province_code": "ON", "postal_code": "K1A 0B1"}),
        (AU, {"province_code": "NSW", "postal_code": "2000"}),
        (HK, {"province_code": "", "postal_code": ""}),
    ],
)
def test_valid_addresses_in_other_countries(shop, fields, normalized):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    response = set_address(api, cart_id, {**US_ADDRESS, **fields})
    assert response.status_code == 200, response.content
    info = response.json()["buyer_info"]
    assert info["country_code"] == fields["country_code"]
    assert {key: info[key] for key in normalized} == normalized
    assert names(response.json()) == ["Worldwide"]


def test_address_is_normalized_and_answered(shop):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 1))
    response = set_address(api, cart_id, {**US_ADDRESS, "country_code": "us", "city": " Seattle "})
    assert response.status_code == 200
    body = response.json()
    assert body["cart_id"] == cart_id
    assert body["buyer_info"] == {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address1": "1 Main Street",
        "address2": "",
        "city": "Seattle",
        "country_code": "US",
        "province_code": "WA",
        "postal_code": "98101",
        "phone": "+1 206 555 0100",
        "email": "ada@example.com",
    }
    assert body["shipping_methods"][0] == {
        "id": methods["us"].pk,
        "name": "US Ground",
        "amount": "5.00",
        "delivery_estimate": "3-5 business days",
    }
    assert body["selected_shipping_method_id"] is None
    assert stored(cart_id).shipping_address == body["buyer_info"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"buyer_info": US_ADDRESS}, "Missing required field: cart_id"),
        ({"cart_id": 5, "buyer_info": US_ADDRESS}, "cart_id must be a string"),
        ({"cart_id": "CART"}, "Missing required field: buyer_info"),
        (
            {"cart_id": "CART", "buyer_info": US_ADDRESS, "coupon": "X"},
            "coupon is not a known field",
        ),
        (
            {"cart_id": "CART", "buyer_info": US_ADDRESS, "payment_intent_id": 42},
            "payment_intent_id must be a string of at most 128 characters",
        ),
        (
            {"cart_id": "CART", "buyer_info": US_ADDRESS, "payment_intent_id": "p" * 129},
            "payment_intent_id must be a string of at most 128 characters",
        ),
    ],
)
def test_bad_request_bodies_are_400(shop, body, message):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    body = json.loads(json.dumps(body).replace('"CART"', json.dumps(cart_id)))
    response = api.post(SHIPPING, body)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message


def test_payment_intent_id_is_accepted_and_ignored(shop):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    response = set_address(api, cart_id, US_ADDRESS, payment_intent_id="pi_123")
    assert response.status_code == 200
    assert "payment_intent_id" not in response.json()


def test_a_template_cart_id_is_not_a_live_checkout(shop):
    _, store, api, boots, _ = shop
    cart = make_cart(store, (boots, 1))
    response = set_address(api, cart.public_id, US_ADDRESS)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Checkout session not found"


# --- methods --------------------------------------------------------------------------------


def test_methods_are_filtered_by_country_and_currency(shop):
    _, store, api, boots, _ = shop
    usd = live(api, store, (boots, 1))
    assert names(set_address(api, usd, US_ADDRESS).json()) == [
        "US Ground",
        "Worldwide",
        "Free over 50",
    ]
    assert names(set_address(api, usd, DE_ADDRESS).json()) == ["Worldwide"]
    eur = live(api, store, (boots, 1), currency="EUR")
    body = set_address(api, eur, DE_ADDRESS).json()
    assert [(m["name"], m["amount"]) for m in body["shipping_methods"]] == [
        ("Worldwide", "12.00"),
        ("EU Post", "4.50"),
    ]
    assert names(set_address(api, eur, US_ADDRESS).json()) == ["Worldwide"]


def test_free_above_threshold(shop):
    _, store, api, boots, methods = shop
    below = set_address(api, live(api, store, (boots, 1)), US_ADDRESS).json()
    assert {m["name"]: m["amount"] for m in below["shipping_methods"]}["Free over 50"] == "9.00"
    cart_id = live(api, store, (boots, 2))  # 58.00 >= 50.00
    above = set_address(api, cart_id, US_ADDRESS).json()
    assert {m["name"]: m["amount"] for m in above["shipping_methods"]}["Free over 50"] == "0.00"
    chosen = api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods["free"].pk})
    assert chosen.json()["totals"]["shipping"] == "0.00"
    assert stored(cart_id).shipping_method["amount_minor"] == 0


def test_choosing_a_method_updates_totals_and_tax_us_wa(shop):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 1))
    before = set_address(api, cart_id, US_ADDRESS).json()["totals"]
    # Washington: 6.5 % on the goods.
    assert before == {
        "currency": "USD",
        "subtotal": "29.00",
        "shipping": None,
        "tax": "1.89",
        "total": "30.89",
    }
    response = api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods["us"].pk})
    assert response.status_code == 200
    body = response.json()
    assert body["selected_shipping_method_id"] == methods["us"].pk
    # ... and on shipping: 34.00 x 6.5 % = 2.21.
    assert body["totals"] == {
        "currency": "USD",
        "subtotal": "29.00",
        "shipping": "5.00",
        "tax": "2.21",
        "total": "36.21",
    }
    assert names(body) == ["US Ground", "Worldwide", "Free over 50"]


def test_choosing_a_method_updates_totals_and_tax_de_vat(shop):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 1), currency="EUR")
    before = set_address(api, cart_id, DE_ADDRESS).json()["totals"]
    assert before == {
        "currency": "EUR",
        "subtotal": "27.00",
        "shipping": None,
        "tax": "5.13",
        "total": "32.13",
    }
    body = api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods["eu"].pk}).json()
    # VAT 19 % on goods and shipping: 31.50 x 19 % = 5.985, rounded half-up once.
    assert body["totals"] == {
        "currency": "EUR",
        "subtotal": "27.00",
        "shipping": "4.50",
        "tax": "5.99",
        "total": "37.49",
    }


def test_changing_the_address_drops_a_method_that_no_longer_serves_it(shop):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 1))
    set_address(api, cart_id, US_ADDRESS)
    api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods["us"].pk})
    texas = {**US_ADDRESS, "province_code": "TX", "postal_code": "73301", "city": "Austin"}
    kept = set_address(api, cart_id, texas).json()
    assert kept["selected_shipping_method_id"] == methods["us"].pk
    assert kept["totals"]["shipping"] == "5.00"
    dropped = set_address(api, cart_id, DE_ADDRESS).json()
    assert dropped["selected_shipping_method_id"] is None
    assert dropped["totals"]["shipping"] is None
    assert stored(cart_id).shipping_method is None


def test_a_method_that_does_not_serve_the_address_is_422(shop):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 1))
    first = api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods["us"].pk})
    assert first.status_code == 422
    assert first.json()["error"]["message"] == "Set a shipping address first"
    set_address(api, cart_id, US_ADDRESS)
    for method in ("eu", "off"):
        response = api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods[method].pk})
        assert response.status_code == 422
        assert response.json()["error"] == {
            "status": 422,
            "code": "unprocessable_entity",
            "message": "This shipping method is not available for the address",
        }
    assert api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": 999999}).status_code == 422


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing required field: cart_id"),
        ({"cart_id": "CART"}, "Missing required field: shipping_method_id"),
        ({"cart_id": "CART", "shipping_method_id": "1"}, "shipping_method_id must be an integer"),
        ({"cart_id": "CART", "shipping_method_id": True}, "shipping_method_id must be an integer"),
        ({"cart_id": "CART", "shipping_method_id": 1.5}, "shipping_method_id must be an integer"),
        ({"cart_id": "CART", "shipping_method_id": 1, "x": 1}, "x is not a known field"),
    ],
)
def test_method_bodies_are_checked(shop, body, message):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    body = json.loads(json.dumps(body).replace('"CART"', json.dumps(cart_id)))
    response = api.post(METHOD, body)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message


def test_no_method_for_the_address_is_422_and_nothing_is_saved(db):
    _, store, api = merchant_with_store()
    boots = physical_product(store)
    ShippingMethodFactory(store=store, prices={"USD": 500}, countries=["US"])
    cart_id = live(api, store, (boots, 1))
    response = set_address(api, cart_id, DE_ADDRESS)
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "No shipping method is available for this address"
    assert stored(cart_id).shipping_address is None


# --- session state --------------------------------------------------------------------------


def test_completed_session_is_409(shop):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 1))
    set_address(api, cart_id, US_ADDRESS)
    CheckoutSession.objects.filter(pk=cart_id[3:]).update(
        status=SessionStatus.COMPLETED, completed_at=timezone.now()
    )
    conflict = {
        "error": {
            "status": 409,
            "code": "conflict",
            "message": "Checkout has already been submitted",
        }
    }
    response = set_address(api, cart_id, DE_ADDRESS)
    assert (response.status_code, response.json()) == (409, conflict)
    response = api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods["us"].pk})
    assert (response.status_code, response.json()) == (409, conflict)


def test_session_without_shippable_lines_is_422(shop):
    _, store, api, _, _ = shop
    cart_id = live(api, store, (ProductFactory(store=store), 1))
    response = set_address(api, cart_id, US_ADDRESS)
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "This checkout has nothing to ship"


def test_expired_session_is_410(shop):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    expire(stored(cart_id))
    response = set_address(api, cart_id, US_ADDRESS)
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "gone"
    assert response.json()["error"]["message"] == "Checkout session has expired"


def test_closed_store_is_403(shop):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    store.status = StoreStatus.INACTIVE
    store.save()
    response = set_address(api, cart_id, US_ADDRESS)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


# --- credentials ----------------------------------------------------------------------------


def token_for(store, identity="buyer-1") -> str:
    return tokens.issue_customer_token(buyer_identity=identity, store_id=str(store.pk))[0]


def test_customer_token_of_the_store_works_on_both_endpoints(shop, client):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 1))
    headers = {"Authorization": f"Bearer {token_for(store)}"}
    response = client.post(
        SHIPPING,
        {"cart_id": cart_id, "buyer_info": US_ADDRESS},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    response = client.post(
        METHOD,
        {"cart_id": cart_id, "shipping_method_id": methods["us"].pk},
        content_type="application/json",
        headers={**headers, "X-Environment": "test"},
    )
    assert response.status_code == 200
    assert response.json()["totals"]["total"] == "36.21"


def test_token_of_another_store_404(shop, client):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    _, other_store, _ = merchant_with_store()
    response = client.post(
        SHIPPING,
        {"cart_id": cart_id, "buyer_info": US_ADDRESS},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(other_store)}"},
    )
    assert response.status_code == 404
    assert response.json()["error"] == {
        "status": 404,
        "code": "not_found",
        "message": "Checkout session not found",
    }


def test_token_with_another_environment_header_404(shop, client):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    response = client.post(
        SHIPPING,
        {"cart_id": cart_id, "buyer_info": US_ADDRESS},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(store)}", "X-Environment": "prod"},
    )
    assert response.status_code == 404


def test_forged_or_expired_tokens_401(shop, client):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    expired = tokens.issue_customer_token(
        buyer_identity="b",
        store_id=str(store.pk),
        now=timezone.now() - timezone.timedelta(minutes=10),
    )[0]
    for token in (expired, token_for(store) + "x", "a.b.c"):
        response = client.post(
            SHIPPING,
            {"cart_id": cart_id, "buyer_info": US_ADDRESS},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"


def test_another_merchant_and_another_environment_404(shop):
    merchant, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    _, _, stranger = merchant_with_store()
    assert set_address(stranger, cart_id, US_ADDRESS).status_code == 404
    prod = CartApi(merchant, secret=new_secret(merchant, Environment.PROD))
    assert set_address(prod, cart_id, US_ADDRESS).status_code == 404
    bearer = CartApi(merchant, secret=new_secret(merchant))
    assert set_address(bearer, cart_id, US_ADDRESS).status_code == 200


def test_without_credentials_401(shop, client):
    _, store, api, boots, _ = shop
    cart_id = live(api, store, (boots, 1))
    for path in (SHIPPING, METHOD):
        response = client.post(path, {"cart_id": cart_id}, content_type="application/json")
        assert response.status_code == 401


# --- the order that follows -----------------------------------------------------------------


def test_the_order_keeps_a_shipping_line_whose_tax_adds_up(shop):
    _, store, api, boots, methods = shop
    cart_id = live(api, store, (boots, 2))
    set_address(api, cart_id, US_ADDRESS)
    quoted = api.post(METHOD, {"cart_id": cart_id, "shipping_method_id": methods["world"].pk})
    totals = quoted.json()["totals"]
    assert totals == {
        "currency": "USD",
        "subtotal": "58.00",
        "shipping": "15.00",
        "tax": "4.75",  # 73.00 x 6.5 % = 4.745, half-up
        "total": "77.75",
    }
    outcome = checkout_pay(
        session=stored(cart_id),
        billing=parse_billing_detail({"country": "US", "isBusiness": False, "state": "WA"}),
        card=success_card(),
        buyer_email="ada@example.com",
    )
    assert outcome.succeeded
    order = Order.objects.get(pk=outcome.order.pk)
    lines = list(order.lines.order_by("position"))
    assert [line.kind for line in lines] == [OrderLine.Kind.PRODUCT, OrderLine.Kind.SHIPPING]
    shipping = lines[-1]
    assert (shipping.name, shipping.quantity, shipping.unit_amount_minor) == ("Worldwide", 1, 1500)
    assert shipping.tax_minor > 0
    assert sum(line.tax_minor for line in lines) == order.tax_minor == 475
    assert sum(line.total_minor for line in lines) == order.total_minor == 7775
    assert order.shipping_address["country_code"] == "US"
    # The checkout is submitted now: no more address changes.
    assert set_address(api, cart_id, US_ADDRESS).status_code == 409
