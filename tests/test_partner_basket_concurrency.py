"""Partner baskets under concurrent calls, with real threads on PostgreSQL: hand-overs racing
each other make one checkout, and updates racing each other lose no item."""

import json
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from checkout.models import CheckoutSession
from partners.models import Basket
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerFactory, PartnerGrantFactory, bearer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 12


def _race(call) -> list[tuple[int, dict]]:
    """Run ``call(client)`` in THREADS threads released together; their answers."""
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def fire():
        client = Client()
        try:
            barrier.wait(timeout=30)
            response = call(client)
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def basket():
    """A basket of one item; the bearer headers and the landing cookie that names it."""
    store = StoreFactory()
    product = ProductFactory(store=store)
    partner = PartnerFactory()
    PartnerGrantFactory(partner=partner, store=store)
    client = Client()
    auth = bearer(client, partner)
    item = {"offer": product.public_id, "quantity": 1, "type": "offer"}
    response = client.post(
        "/partner/checkout/initiate",
        json.dumps({"order": {"currency": "USD", "orderItems": [item]}}),
        content_type="application/json",
        **auth,
    )
    return response.json()["id"], auth, response.cookies["landing_state"].value, product


def test_racing_hand_overs_make_one_checkout(basket):
    basket_id, auth, _, _ = basket

    results = _race(
        lambda client: client.post(
            "/partner/checkout/handover",
            json.dumps({"basketId": basket_id}),
            content_type="application/json",
            **auth,
        )
    )

    assert Counter(status for status, _ in results) == {200: THREADS}, results
    assert len({body["sessionId"] for _, body in results}) == 1
    assert CheckoutSession.objects.count() == 1
    assert Basket.objects.get().checkout_session is not None


def test_racing_updates_keep_every_added_item(basket):
    _, auth, cookie, product = basket
    add = json.dumps({"add": [{"offer": product.public_id, "quantity": 1, "type": "offer"}]})

    def update(client):
        client.cookies["landing_state"] = cookie
        return client.put("/partner/checkout/update", add, content_type="application/json", **auth)

    results = _race(update)

    assert Counter(status for status, _ in results) == {200: THREADS}, results
    positions = sorted(Basket.objects.get().items.values_list("position", flat=True))
    assert positions == list(range(THREADS + 1))
