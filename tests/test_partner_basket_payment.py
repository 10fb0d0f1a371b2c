"""A basket and the checkout it was handed over to: while that checkout may still be paid,
the basket neither changes nor gets a second checkout, so it can never be paid twice; once
the checkout expired unpaid, it can. Racing a payment on PostgreSQL, nothing deadlocks."""

import json
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from core.errors import Conflict
from orders.models import Order
from partners import services
from partners.models import Basket, BasketState
from payments.models import Payment, PaymentStatus
from payments.processors.sandbox import TestCardProcessor
from payments.services import checkout_pay
from tests.checkout_factories import billing, expire, success_card
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerFactory, bearer, landing_cookie, make_basket
from tests.worker_support import run_worker


class Crash(Exception):
    """Stands in for a request that dies after charging, before recording the payment."""


@pytest.fixture
def basket(db):
    return make_basket(PartnerFactory(), ProductFactory(store=StoreFactory()))


def _pay(session):
    return checkout_pay(
        session=session, billing=billing("DE"), card=success_card(), buyer_email="e@example.com"
    )


def _leave_a_payment_under_way(monkeypatch, session) -> Payment:
    def crashing(self, **kwargs):
        raise Crash

    monkeypatch.setattr(TestCardProcessor, "charge", crashing)
    with pytest.raises(Crash):
        _pay(session)
    monkeypatch.undo()
    return Payment.objects.get(status=PaymentStatus.PENDING)


def test_a_payment_under_way_holds_the_basket_after_its_checkout_expired(monkeypatch, basket):
    session = services.basket_checkout(basket=basket)
    payment = _leave_a_payment_under_way(monkeypatch, session)
    expire(session)

    with pytest.raises(Conflict) as changing:
        services.basket_update(basket=basket, quantities={"0": 2})
    with pytest.raises(Conflict) as handing_over:
        services.basket_checkout(basket=basket)

    message = "A payment for this basket's checkout is under way"
    assert changing.value.message == handing_over.value.message == message
    assert Basket.objects.get().checkout_session == session
    assert basket.items.get().quantity == 1

    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
    services.basket_update(basket=basket, quantities={"0": 2})
    assert services.basket_checkout(basket=basket) != session


def test_an_open_checkout_holds_the_basket_and_is_handed_over_again(basket):
    session = services.basket_checkout(basket=basket)

    with pytest.raises(Conflict) as changing:
        services.basket_update(basket=basket, quantities={"0": 2})

    assert changing.value.message == services.HANDED_OVER
    assert services.basket_checkout(basket=basket) == session


def test_a_checkout_expired_unpaid_frees_the_basket_for_a_new_one(basket):
    session = expire(services.basket_checkout(basket=basket))

    services.basket_update(basket=basket, quantities={"0": 3})
    fresh = services.basket_checkout(basket=basket)

    assert fresh != session
    assert fresh.line_items[0].quantity == 3
    assert _pay(fresh).succeeded
    run_worker()
    assert Basket.objects.get().state == BasketState.COMPLETED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_updates_racing_the_payment_are_refused_and_nothing_deadlocks():
    partner = PartnerFactory()
    basket = make_basket(partner, ProductFactory(store=StoreFactory()))
    auth = bearer(Client(), partner)
    session = services.basket_checkout(basket=basket)
    threads_count = 6
    barrier = threading.Barrier(threads_count + 1)
    statuses: list[int] = []
    outcomes = []
    lock = threading.Lock()

    def update():
        client = Client()
        client.cookies["landing_state"] = landing_cookie(basket)
        try:
            barrier.wait(timeout=30)
            response = client.put(
                "/partner/checkout/update",
                json.dumps({"quantities": {"0": 2}}),
                content_type="application/json",
                **auth,
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    def pay():
        try:
            barrier.wait(timeout=30)
            outcomes.append(_pay(session))
        finally:
            connection.close()

    threads = [threading.Thread(target=update) for _ in range(threads_count)]
    threads.append(threading.Thread(target=pay))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes and outcomes[0].succeeded
    assert Counter(statuses) == {409: threads_count}
    assert services.effective_state(Basket.objects.get()) == BasketState.COMPLETED
    run_worker()  # the queued checkout.session.completed completes the stored state
    assert Basket.objects.get().state == BasketState.COMPLETED
    assert Order.objects.get().partner == partner
    assert basket.items.get().quantity == 1
