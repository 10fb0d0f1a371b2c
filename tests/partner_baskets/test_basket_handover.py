"""Partner baskets (seed 003) handed over: the checkout that completes the basket once paid,
and what stops a handover (changed prices, replaced versions, a closed store, expiry)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from checkout.models import CheckoutSession
from orders.models import Order
from partners import services
from partners.models import Basket, BasketState
from payments.services import checkout_pay
from tests.basket_support import (
    HANDOVER,
    INITIATE,
    VALIDATE,
    basket_order,
    initiate,
    post,
    put,
)
from tests.checkout_factories import billing, success_card
from tests.worker_support import run_worker


def test_handover_makes_a_checkout_that_completes_the_basket_once_paid(client, auth, shop, partner):
    _, first, _ = shop
    basket_id = initiate(client, auth, first).json()["id"]
    response = post(client, HANDOVER, {"basketId": basket_id}, auth)
    assert response.status_code == 200
    body = response.json()
    assert body["checkoutUrl"].endswith(body["sessionId"])
    session = CheckoutSession.objects.get()
    assert session.line_items[0].unit_amount_minor == 2900
    assert (session.created_via, session.partner) == ("partner_basket", partner)
    assert session.metadata == {}
    again = post(client, HANDOVER, {"basketId": basket_id}, auth).json()
    assert again["sessionId"] == body["sessionId"]
    # While handed over the basket is locked.
    assert put(client, {"quantities": {"0": 2}}, auth).status_code == 409

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
    state = post(client, VALIDATE, {"basketId": basket_id}, auth).json()["state"]
    assert state == "completed"
    assert Basket.objects.get().state == "active"
    run_worker()
    assert Basket.objects.get().state == "completed"
    response = put(client, {"quantities": {"0": 2}}, auth)
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "Basket is completed and can no longer change"
    response = post(client, HANDOVER, {"basketId": basket_id}, auth)
    assert response.status_code == 409
    assert Order.objects.count() == 1


def test_a_changed_price_stops_the_handover_until_the_item_is_added_again(client, auth, shop):
    _, first, _ = shop
    basket_id = initiate(client, auth, first).json()["id"]
    catalog_services.product_update(
        product=first, prices={"USD": {"amount": "35.00", "taxCategory": "digital_goods"}}
    )

    response = post(client, HANDOVER, {"basketId": basket_id}, auth)

    assert response.status_code == 422
    message = f"The price of product {first.public_id} changed since it was added"
    assert response.json()["error"]["message"] == message
    assert not CheckoutSession.objects.exists()
    add = {"offer": first.public_id, "quantity": 1, "type": "offer"}
    assert put(client, {"remove": [0], "add": [add]}, auth).status_code == 200
    response = post(client, HANDOVER, {"basketId": basket_id}, auth)
    assert response.status_code == 200
    assert CheckoutSession.objects.get().line_items[0].unit_amount_minor == 3500


def test_a_new_version_at_the_same_price_is_sold_as_it_is_now(client, auth, shop):
    _, first, _ = shop
    basket_id = initiate(client, auth, first).json()["id"]
    catalog_services.product_update(product=first, name="Widget, second edition")

    assert post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"] == []
    post(client, HANDOVER, {"basketId": basket_id}, auth)

    (line,) = CheckoutSession.objects.get().line_items
    first.refresh_from_db()
    assert (line.name, line.product_version_id) == ("Widget, second edition", first.test_version_id)


def test_a_pinned_version_must_be_the_one_on_sale(client, auth, shop):
    _, first, _ = shop
    old_version = first.test_version_id
    catalog_services.product_update(product=first, name="Widget, second edition")
    pinned = {"productId": first.public_id, "versionId": str(old_version)}

    response = post(client, INITIATE, basket_order({"offer": pinned, "quantity": 1}), auth)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        f"Version {old_version} is not the version of product {first.public_id} on sale in test"
    )
    assert not Basket.objects.exists()


def test_validate_reports_a_replaced_pinned_version(client, auth, shop):
    _, first, _ = shop
    pinned = {"productId": first.public_id, "versionId": str(first.test_version_id)}
    basket_id = post(client, INITIATE, basket_order({"offer": pinned, "quantity": 1}), auth).json()[
        "id"
    ]
    catalog_services.product_update(product=first, name="Widget, second edition")

    (problem,) = post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]

    assert problem["code"] == "version_changed"
    assert post(client, HANDOVER, {"basketId": basket_id}, auth).status_code == 422


def test_validate_reports_a_store_that_stopped_selling(client, auth, shop):
    store, first, _ = shop
    basket_id = initiate(client, auth, first).json()["id"]
    store.deleted_at = timezone.now()
    store.save(update_fields=["deleted_at"])

    (problem,) = post(client, VALIDATE, {"basketId": basket_id}, auth).json()["problems"]

    assert problem == {
        "code": "store_unavailable",
        "message": f"The store {store.name} is not selling in test",
    }
    response = initiate(client, auth, first)
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"] == f"Product {first.public_id} is not available in test"
    )


@pytest.mark.parametrize("key", ["\u00b2", "9" * 5000, "-1", "0x1", True])
def test_update_refuses_odd_position_keys(client, auth, shop, key):
    initiate(client, auth, shop[1])
    body = {"remove": [key]} if not isinstance(key, str) else {"quantities": {key: 2}}

    response = put(client, body, auth)

    assert response.status_code == 400
    assert Basket.objects.get().items.get().quantity == 1


def test_expired_basket_cannot_change_or_hand_over(client, auth, shop):
    basket_id = initiate(client, auth, shop[1]).json()["id"]
    Basket.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert post(client, VALIDATE, {"basketId": basket_id}, auth).json()["state"] == "expired"
    assert put(client, {}, auth).status_code == 409
    assert post(client, HANDOVER, {"basketId": basket_id}, auth).status_code == 409
    # The refusal rolls back; the state is derived from expires_at either way.
    assert services.effective_state(Basket.objects.get()) == BasketState.EXPIRED
