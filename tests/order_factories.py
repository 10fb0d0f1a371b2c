"""Paid orders for admin tests, made through the real checkout and payment services, and
many copies of one when a test needs rows in bulk (export and dashboard bounds)."""

import copy
import uuid
from datetime import datetime

from checkout.models import CheckoutSession
from orders.models import Order
from payments.services import checkout_pay
from tests.checkout_factories import billing, make_session, success_card


def paid_order(product, *, email: str = "buyer@example.com", currency: str = "USD", **session):
    """A paid order of a session the product's owner created through its API key."""
    outcome = checkout_pay(
        session=make_session(product=product, currency=currency, **session),
        billing=billing("DE"),
        card=success_card(),
        buyer_email=email,
    )
    assert outcome.succeeded
    return outcome.order


def copies_of(order: Order, count: int, *, created_at: datetime | None = None) -> list[Order]:
    """``count`` more orders like ``order`` (each with a session of its own), written in
    two bulk inserts: rows for tests that measure cost per row, not the checkout."""
    session = CheckoutSession.objects.get(pk=order.checkout_session_id)
    sessions, orders = [], []
    for _ in range(count):
        twin = copy.copy(session)
        twin.id = uuid.uuid4()
        sessions.append(twin)
        row = copy.copy(order)
        row.id, row.checkout_session_id = uuid.uuid4(), twin.id
        orders.append(row)
    CheckoutSession.objects.bulk_create(sessions)
    Order.objects.bulk_create(orders)
    if created_at is not None:
        Order.objects.filter(pk__in=[row.pk for row in orders]).update(created_at=created_at)
    return orders
