"""``X-Idempotency-Key`` on the partner writes: a retried initiate, update or hand-over is
answered once, per partner, and the key is bound to the basket the cookie names."""

import json

import pytest

from checkout.models import CheckoutSession
from partners.models import Basket, BasketItem
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerFactory, PartnerGrantFactory, bearer

INITIATE = "/partner/checkout/initiate"
UPDATE = "/partner/checkout/update"
HANDOVER = "/partner/checkout/handover"


@pytest.fixture
def product(db):
    return ProductFactory(store=StoreFactory())


def _partner_for(product):
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=product.store)
    return partner


@pytest.fixture
def auth(client, product):
    return bearer(client, _partner_for(product))


def _send(client, method, url, body, auth, key):
    return getattr(client, method)(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_X_IDEMPOTENCY_KEY=key,
        **auth,
    )


def _basket(product, quantity=1):
    item = {"offer": product.public_id, "quantity": quantity, "type": "offer"}
    return {"order": {"currency": "USD", "orderItems": [item]}}


def test_a_retried_initiate_makes_one_basket_and_sets_the_cookie_again(client, auth, product):
    first = _send(client, "post", INITIATE, _basket(product), auth, "init-1")
    client.cookies.clear()
    again = _send(client, "post", INITIATE, _basket(product), auth, "init-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again.cookies["landing_state"].value == first.cookies["landing_state"].value
    assert Basket.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_in_the_partner_envelope(client, auth, product):
    _send(client, "post", INITIATE, _basket(product), auth, "init-2")
    response = _send(client, "post", INITIATE, _basket(product, quantity=3), auth, "init-2")

    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "status": 422,
            "code": "unprocessable_entity",
            "message": "This idempotency key was already used for a different request",
        }
    }
    assert Basket.objects.count() == 1


def test_a_refused_request_frees_its_key_for_the_corrected_retry(client, auth, product):
    bad = _send(client, "post", INITIATE, {"order": {"currency": "USD"}}, auth, "init-3")
    good = _send(client, "post", INITIATE, _basket(product), auth, "init-3")

    assert (bad.status_code, good.status_code) == (400, 200)
    assert "Idempotent-Replayed" not in good
    assert Basket.objects.count() == 1


def test_keys_belong_to_one_partner(client, product):
    mine = _send(
        client, "post", INITIATE, _basket(product), bearer(client, _partner_for(product)), "k"
    )
    theirs = _send(
        client, "post", INITIATE, _basket(product), bearer(client, _partner_for(product)), "k"
    )

    assert theirs.status_code == 200
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine.json()["id"]


def test_a_retried_update_adds_once(client, auth, product):
    _send(client, "post", INITIATE, _basket(product), auth, "init-4")
    add = {"add": [{"offer": product.public_id, "quantity": 2, "type": "offer"}]}

    first = _send(client, "put", UPDATE, add, auth, "add-1")
    again = _send(client, "put", UPDATE, add, auth, "add-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert BasketItem.objects.count() == 2


def test_an_update_key_is_bound_to_the_basket_of_the_cookie(client, auth, product):
    add = {"add": [{"offer": product.public_id, "quantity": 1, "type": "offer"}]}
    _send(client, "post", INITIATE, _basket(product), auth, "init-5")
    assert _send(client, "put", UPDATE, add, auth, "add-2").status_code == 200

    _send(client, "post", INITIATE, _basket(product), auth, "init-6")  # the cookie moves on
    response = _send(client, "put", UPDATE, add, auth, "add-2")

    assert response.status_code == 422
    assert BasketItem.objects.count() == 3  # 1 + 1 added, and the second basket's 1


def test_a_retried_hand_over_answers_the_same_checkout(client, auth, product):
    basket_id = _send(client, "post", INITIATE, _basket(product), auth, "init-7").json()["id"]

    first = _send(client, "post", HANDOVER, {"basketId": basket_id}, auth, "hand-1")
    again = _send(client, "post", HANDOVER, {"basketId": basket_id}, auth, "hand-1")

    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CheckoutSession.objects.count() == 1


def test_an_invalid_key_is_a_400(client, auth, product):
    response = _send(client, "post", INITIATE, _basket(product), auth, "no spaces allowed")

    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Invalid X-Idempotency-Key")
    assert Basket.objects.count() == 0
