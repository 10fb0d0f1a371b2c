"""partners.selectors.baskets_in_state reads a basket's state as effective_state does, also
before the worker has stored it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partners import services
from partners.models import Basket
from partners.selectors import baskets_in_state
from payments.services import checkout_pay
from tests.checkout_factories import billing, success_card
from tests.factories import ProductFactory
from tests.partner_factories import PartnerGrantFactory, make_basket

pytestmark = pytest.mark.django_db


def test_a_paid_basket_is_completed_before_the_worker_stores_it(store):
    product = ProductFactory(store=store)
    partner = PartnerGrantFactory(store=store).partner
    paid, lapsed, open_ = (make_basket(partner, product) for _ in range(3))
    session = services.basket_checkout(basket=paid)
    assert checkout_pay(
        session=session, billing=billing(), card=success_card(), buyer_email="e@example.com"
    ).succeeded
    Basket.objects.filter(pk=lapsed.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    def listed(state):
        return set(baskets_in_state(baskets=Basket.objects.all(), state=state))

    assert Basket.objects.get(pk=paid.pk).state == "active"  # stored state not caught up
    assert listed("completed") == {Basket.objects.get(pk=paid.pk)}
    assert listed("expired") == {Basket.objects.get(pk=lapsed.pk)}
    assert listed("active") == {Basket.objects.get(pk=open_.pk)}
    assert {services.effective_state(b) for b in listed("completed")} == {"completed"}
