"""orders.services: placing, cancelling and reading orders (runs on SQLite and PostgreSQL)."""

from decimal import Decimal

import pytest

from catalog.models import ProductType
from checkout.models import SessionStatus
from core.errors import BadRequest, Conflict, Forbidden, NotFound
from orders.models import Order, OrderStatus
from orders.selectors import order_for_customer
from orders.services import SESSION_CLOSED, order_cancel, order_place
from payments.models import Payment
from payments.services import checkout_pay
from tests.checkout_factories import (
    billing,
    declined_card,
    make_session,
    success_card,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
VALID_DE_VAT = "DE136695976"


# --- placing and canceling orders ----------------------------------------------------------


def test_order_place_creates_a_pending_order(product, charges):
    session = make_session(product=product, buyerEmail="p@example.com")

    order = order_place(
        session=session, billing=billing("DE"), buyer_email="", buyer_identity="user-1"
    )

    assert order.status == OrderStatus.PENDING
    assert order.buyer_identity == "user-1"
    assert order.buyer_email == "p@example.com"
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2900, 551, 3451)
    assert not Payment.objects.exists()
    assert charges == []
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_order_place_twice_updates_the_same_order(product):
    session = make_session(product=product, currency="EUR", buyerEmail="p@example.com")
    first = order_place(session=session, billing=billing("DE"), buyer_email="one@example.com")

    second = order_place(
        session=session, billing=billing("FR", postcode="75001"), buyer_email="two@example.com"
    )

    assert second.pk == first.pk
    assert Order.objects.count() == 1
    order = Order.objects.get()
    assert order.buyer_email == "two@example.com"
    assert order.billing_detail == {"country": "FR", "isBusiness": False, "postcode": "75001"}
    assert (order.tax_country, order.tax_rate) == ("FR", Decimal("20"))
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2700, 540, 3240)


def test_order_place_then_pay_uses_the_same_order(product):
    session = make_session(product=product, buyerEmail="p@example.com")
    placed = order_place(session=session, billing=billing("DE"), buyer_identity="user-1")

    outcome = checkout_pay(
        session=session, billing=billing("FR"), card=success_card(), buyer_identity="user-1"
    )

    assert outcome.order.pk == placed.pk
    assert outcome.order.tax_country == "FR"  # paying re-quotes with the billing it was given
    assert outcome.payment.amount_minor == outcome.order.total_minor == 3480
    assert Order.objects.get().buyer_identity == "user-1"


def test_another_identity_cannot_take_over_an_order(product, charges):
    session = make_session(product=product, buyerEmail="p@example.com")
    order_place(session=session, billing=billing(), buyer_identity="alice@example.com")

    with pytest.raises(Forbidden) as caught:
        order_place(session=session, billing=billing(), buyer_identity="mallory@example.com")
    assert caught.value.message == "Order does not belong to this credential"
    with pytest.raises(Forbidden):
        checkout_pay(
            session=session,
            billing=billing(),
            card=success_card(),
            buyer_identity="mallory@example.com",
        )

    assert Order.objects.get().buyer_identity == "alice@example.com"
    assert not Payment.objects.exists()
    assert charges == []


def test_order_cancel_of_a_pending_order(product, charges):
    session = make_session(product=product, buyerEmail="p@example.com")
    order = order_place(session=session, billing=billing())

    canceled = order_cancel(order=order)

    assert canceled.status == OrderStatus.CANCELED
    assert canceled.canceled_at is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    again = order_cancel(order=order)  # canceling twice is harmless
    assert (again.status, again.canceled_at) == (OrderStatus.CANCELED, order.canceled_at)
    with pytest.raises(Conflict) as caught:
        checkout_pay(session=session, billing=billing(), card=success_card())
    assert caught.value.message == SESSION_CLOSED
    with pytest.raises(Conflict, match=SESSION_CLOSED):
        order_place(session=session, billing=billing())
    assert not Payment.objects.exists()
    assert charges == []


def test_order_cancel_after_a_decline(product):
    session = make_session(product=product, buyerEmail="p@example.com")
    order = checkout_pay(session=session, billing=billing(), card=declined_card()).order

    assert order_cancel(order=order).status == OrderStatus.CANCELED


@pytest.mark.parametrize("product_type", [ProductType.ONETIME, ProductType.SUBSCRIPTION])
def test_cancel_of_a_paid_order_is_refused(store, product_type):
    product = ProductFactory(store=store, product_type=product_type)
    session = make_session(product=product, buyerEmail="p@example.com")
    order = checkout_pay(session=session, billing=billing(), card=success_card()).order

    with pytest.raises(BadRequest) as caught:
        order_cancel(order=order)

    assert caught.value.status == 400
    assert caught.value.message == "Only pending orders can be canceled"
    order.refresh_from_db()
    assert order.status in (OrderStatus.COMPLETED, OrderStatus.ACTIVE)
    assert order.canceled_at is None


def test_order_for_customer_scopes_to_store_identity_and_environment(product):
    session = make_session(product=product, buyerEmail="p@example.com")
    order = order_place(session=session, billing=billing(), buyer_identity="user-1")

    found = order_for_customer(
        order_id=order.pk, store_id=order.store_id, buyer_identity="user-1", environment="test"
    )

    assert found == order
    for identity, environment in (("user-2", "test"), ("user-1", "prod"), ("", "test")):
        with pytest.raises(NotFound, match="Order not found"):
            order_for_customer(
                order_id=order.pk,
                store_id=order.store_id,
                buyer_identity=identity,
                environment=environment,
            )
