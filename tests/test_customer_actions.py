"""preview-tax, create-order and cancel-order, as a consumer's browser calls them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checkout import services as checkout_services
from checkout.session_request import parse_session_request
from core import tokens
from orders.models import Order
from tests.factories import MerchantFactory, ProductFactory, StoreFactory

PREVIEW = "/v1/actions/checkout/preview-tax"
ONETIME_ORDER = "/v1/actions/onetime-order/create-order"
SUBSCRIPTION_ORDER = "/v1/actions/subscription-order/create-order"
CANCEL = "/v1/actions/onetime-order/cancel-order"
DE = {"country": "DE", "isBusiness": False}


def make_session(store, merchant, **payload):
    product = payload.pop("product", None) or ProductFactory(store=store)
    request = parse_session_request(
        {"productId": product.public_id, "currency": "EUR", **payload}, from_merchant=True
    )
    return checkout_services.session_create(
        request=request, environment="test", merchant_id=merchant.pk
    )


def as_slug(client, store, environment="test"):
    return lambda path, body: client.post(
        path, body, content_type="application/json",
        headers={"X-Store-Slug": store.slug, "X-Environment": environment},
    )  # fmt: skip


def as_token(client, store, identity="user-1", environment="test"):
    token, _ = tokens.issue_customer_token(buyer_identity=identity, store_id=str(store.pk))
    return lambda path, body: client.post(
        path, body, content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "X-Environment": environment},
    )  # fmt: skip


@pytest.fixture
def session(store, merchant):
    return make_session(store, merchant)


def test_preview_tax_for_a_german_consumer(client, store, session):
    response = as_slug(client, store)(
        PREVIEW, {"checkoutSessionId": session.public_id, "billingDetail": DE}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {
        "subtotal": "27.00",
        "taxAmount": "5.13",
        "total": "32.13",
        "taxRate": 19,
        "taxName": "VAT",
        "currency": "EUR",
        "reverseCharge": False,
    }


def test_preview_tax_reverse_charge_for_an_eu_business(client, store, session):
    billing = {
        "country": "DE",
        "isBusiness": True,
        "businessName": "ACME GmbH",
        "taxId": "DE136695976",
    }
    data = as_token(client, store)(
        PREVIEW, {"checkoutSessionId": session.public_id, "billingDetail": billing}
    ).json()["data"]
    assert (data["taxAmount"], data["total"], data["reverseCharge"]) == ("0.00", "27.00", True)
    assert data["taxName"] == "Reverse charge"


def test_preview_tax_needs_valid_billing(client, store, session):
    response = as_slug(client, store)(
        PREVIEW,
        {
            "checkoutSessionId": session.public_id,
            "billingDetail": {"country": "US", "isBusiness": False},
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Invalid billingDetail"


@pytest.mark.parametrize("session_id", ["cs_nope", "cs_00000000-0000-0000-0000-000000000000", None])
def test_preview_tax_for_unknown_sessions(client, store, session_id):
    response = as_slug(client, store)(
        PREVIEW, {"checkoutSessionId": session_id, "billingDetail": DE}
    )
    assert response.status_code in (400, 404)


def test_a_session_of_another_store_or_environment_is_not_found(client, store, session):
    other = StoreFactory(owner=MerchantFactory())
    for call in (as_slug(client, other), as_token(client, other), as_slug(client, store, "prod")):
        response = call(PREVIEW, {"checkoutSessionId": session.public_id, "billingDetail": DE})
        assert response.status_code == 404
        assert response.json()["errors"][0]["message"] == "Checkout session not found"


def test_customer_actions_need_the_environment_header(client, store, session):
    response = client.post(
        PREVIEW, {"checkoutSessionId": session.public_id, "billingDetail": DE},
        content_type="application/json", headers={"X-Store-Slug": store.slug},
    )  # fmt: skip
    assert (
        response.json()["errors"][0]["message"]
        == "Missing or invalid header: x-context-environment"
    )


def test_create_order_with_a_token_binds_the_buyer(client, store, session):
    response = as_token(client, store, identity="user-7")(
        ONETIME_ORDER,
        {
            "checkoutSessionId": session.public_id,
            "billingDetail": DE,
            "buyerEmail": " Ann@Example.COM ",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    order = Order.objects.get()
    assert data["orderId"] == order.public_id and data["status"] == "pending"
    assert (order.buyer_identity, order.buyer_email) == ("user-7", "ann@example.com")
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2700, 513, 3213)
    assert (order.tax_name, order.tax_country) == ("VAT", "DE")
    assert order.billing_detail == DE


def test_placing_again_updates_the_same_order(client, store, session):
    call = as_slug(client, store)
    call(
        ONETIME_ORDER,
        {"checkoutSessionId": session.public_id, "billingDetail": DE, "buyerEmail": "a@b.co"},
    )
    us = {"country": "US", "isBusiness": False, "state": "OR"}
    call(
        ONETIME_ORDER,
        {"checkoutSessionId": session.public_id, "billingDetail": us, "buyerEmail": "a@b.co"},
    )
    order = Order.objects.get()
    assert (order.tax_country, order.tax_minor) == ("US", 0)


def test_another_buyer_cannot_take_over_a_bound_order(client, store, session):
    body = {"checkoutSessionId": session.public_id, "billingDetail": DE, "buyerEmail": "a@b.co"}
    as_token(client, store, identity="first")(ONETIME_ORDER, body)
    response = as_token(client, store, identity="second")(ONETIME_ORDER, body)
    assert response.status_code == 403
    assert Order.objects.get().buyer_identity == "first"


def test_create_order_needs_an_email(client, store, session):
    response = as_slug(client, store)(
        ONETIME_ORDER, {"checkoutSessionId": session.public_id, "billingDetail": DE}
    )
    assert response.json()["errors"][0]["message"] == "Missing required field: buyerEmail"


def test_order_type_must_match_the_session(client, store, session):
    response = as_slug(client, store)(
        SUBSCRIPTION_ORDER,
        {"checkoutSessionId": session.public_id, "billingDetail": DE, "buyerEmail": "a@b.co"},
    )
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_expired_session_cannot_take_orders(client, store, session):
    session.expires_at = timezone.now() - timedelta(seconds=1)
    session.save()
    response = as_slug(client, store)(
        ONETIME_ORDER,
        {"checkoutSessionId": session.public_id, "billingDetail": DE, "buyerEmail": "a@b.co"},
    )
    assert response.status_code == 410
    assert response.json()["errors"][0]["message"] == "Checkout session has expired"


def test_cancel_a_pending_order_with_the_buyers_token(client, store, session):
    call = as_token(client, store, identity="user-9")
    order_id = call(
        ONETIME_ORDER,
        {"checkoutSessionId": session.public_id, "billingDetail": DE, "buyerEmail": "a@b.co"},
    ).json()["data"]["orderId"]
    response = call(CANCEL, {"orderId": order_id})
    assert response.json()["data"] == {"orderId": order_id, "status": "canceled"}
    assert Order.objects.get().status == "canceled"
    again = call(
        ONETIME_ORDER,
        {"checkoutSessionId": session.public_id, "billingDetail": DE, "buyerEmail": "a@b.co"},
    )
    assert again.status_code == 409


def test_cancel_refuses_anonymous_callers_and_other_buyers(client, store, session):
    order_id = as_token(client, store, identity="owner")(
        ONETIME_ORDER,
        {"checkoutSessionId": session.public_id, "billingDetail": DE, "buyerEmail": "a@b.co"},
    ).json()["data"]["orderId"]
    assert as_slug(client, store)(CANCEL, {"orderId": order_id}).status_code == 401
    stranger = as_token(client, store, identity="stranger")(CANCEL, {"orderId": order_id})
    assert stranger.status_code == 404
    assert stranger.json()["errors"][0]["message"] == "Order not found"
    assert Order.objects.get().status == "pending"


def test_cancel_validates_the_order_id(client, store):
    response = as_token(client, store)(CANCEL, {"orderId": "ORD_1"})
    assert response.json()["errors"][0]["message"] == 'Expected format: ORD_xxx, got "ORD_1"'


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c"])
def test_an_invalid_customer_token_is_401_not_500(client, store, session, token):
    response = client.post(
        PREVIEW, {"checkoutSessionId": session.public_id, "billingDetail": DE},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "X-Environment": "test"},
    )  # fmt: skip
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Unauthorized"
