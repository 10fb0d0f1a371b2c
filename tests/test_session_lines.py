"""Sessions with several lines (what template carts will make): tax, order lines, payment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checkout.billing import parse_billing_detail
from checkout.lines import SessionLine
from checkout.models import CheckoutSession, CreatedVia
from checkout.pricing import quote
from orders.models import OrderLine
from payments.cards import parse_card
from payments.services import checkout_pay
from tests.factories import ProductFactory


def line_for(product, *, quantity, amount, category="digital_goods", included=False):
    return SessionLine(
        product_id=product.pk,
        product_version_id=product.test_version_id,
        product_type=product.type,
        name=product.test_version.name,
        quantity=quantity,
        unit_amount_minor=amount,
        tax_category=category,
        tax_included=included,
    )


@pytest.fixture
def cart_session(store):
    book, course = (
        ProductFactory(store=store, name="Book"),
        ProductFactory(store=store, name="Course"),
    )
    lines = [
        line_for(book, quantity=3, amount=1999),
        line_for(course, quantity=1, amount=4999, category="online_course"),
    ]
    return CheckoutSession.objects.create(
        store=store, environment="test", created_via=CreatedVia.API_KEY, product_type="onetime",
        currency="USD", lines=[line.to_json() for line in lines], store_name=store.name,
        theme={}, buyer_email="cart@example.com", expires_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip


def test_line_json_round_trip(store):
    line = line_for(ProductFactory(store=store), quantity=2, amount=100)
    assert SessionLine.from_json(line.to_json()) == line


def test_quote_covers_every_line_and_quantity(cart_session):
    result = quote(
        session=cart_session, billing=parse_billing_detail({"country": "DE", "isBusiness": False})
    )
    assert result.subtotal_minor == 3 * 1999 + 4999
    assert result.total_minor == result.subtotal_minor + result.tax_minor
    assert [line.subtotal_minor for line in result.lines] == [5997, 4999]
    assert sum(line.tax_minor for line in result.lines) == result.tax_minor


def test_paying_a_cart_writes_order_lines_that_sum_to_the_order(cart_session):
    outcome = checkout_pay(
        session=cart_session,
        billing=parse_billing_detail({"country": "US", "isBusiness": False, "state": "WA"}),
        card=parse_card(number="4242424242424242", expiry="12/34", cvc="123"),
    )
    assert outcome.succeeded
    order = outcome.order
    lines = list(OrderLine.objects.filter(order=order).order_by("position"))
    assert [(line.name, line.quantity, line.unit_amount_minor) for line in lines] == [
        ("Book", 3, 1999),
        ("Course", 1, 4999),
    ]
    assert sum(line.subtotal_minor for line in lines) == order.subtotal_minor
    assert sum(line.tax_minor for line in lines) == order.tax_minor
    assert (
        sum(line.total_minor for line in lines) == order.total_minor == outcome.payment.amount_minor
    )


def test_checkout_page_lists_the_lines(client, cart_session):
    response = client.get(f"/store/{cart_session.store.slug}/checkout/{cart_session.public_id}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 \u00d7 Book" in html and "1 \u00d7 Course" in html
    assert "Book and 1 more" in html
