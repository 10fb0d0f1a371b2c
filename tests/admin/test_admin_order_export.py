"""The order list's CSV export: exactly the filtered, searched list of the merchant's own
orders, exact amounts, streamed, and a statement count that does not grow with the rows."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.exports import CHUNK_SIZE, COLUMNS
from orders.models import Order
from tests.admin_factories import AdminMerchantFactory, SuperuserFactory
from tests.factories import ProductFactory, StoreFactory, UserFactory
from tests.order_factories import copies_of, paid_order

pytestmark = pytest.mark.django_db
EXPORT = reverse("admin:orders_order_export")


@pytest.fixture
def product(store):
    return ProductFactory(store=store, name="Widget")


def exported(client, query: dict | None = None) -> list[dict]:
    response = client.get(EXPORT, query or {})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_export_has_the_merchants_orders_with_exact_amounts(merchant_client, product):
    order = paid_order(product, email="ada@example.com", orderMerchantExternalId="inv-1")
    paid_order(ProductFactory(store=StoreFactory(owner=AdminMerchantFactory())))

    rows = exported(merchant_client)

    assert len(rows) == 1
    row = rows[0]
    assert row["orderId"] == order.public_id
    assert (row["subtotal"], row["tax"], row["total"], row["currency"]) == (
        "29.00",
        "5.51",
        "34.51",
        "USD",
    )
    assert (row["taxRate"], row["taxCountry"], row["billingCountry"]) == ("19", "DE", "DE")
    assert (row["buyerEmail"], row["orderMerchantExternalId"]) == ("ada@example.com", "inv-1")
    assert row["store"] == "Mine" and row["status"] == "completed"
    assert row["checkoutSessionId"] == f"cs_{order.checkout_session_id}"


def test_export_follows_the_lists_search_and_filters(merchant_client, product):
    ada = paid_order(product, email="ada@example.com")
    bob = paid_order(product, email="bob@example.com")
    Order.objects.filter(pk=bob.pk).update(status="canceled")

    assert [r["orderId"] for r in exported(merchant_client, {"q": "ada@"})] == [ada.public_id]
    canceled = exported(merchant_client, {"status": "canceled"})
    assert [r["orderId"] for r in canceled] == [bob.public_id]
    assert len(exported(merchant_client, {"product_type": "subscription"})) == 0


def test_export_follows_the_date_drill_down(merchant_client, product):
    order = paid_order(product)
    copies_of(order, 2, created_at=order.created_at.replace(year=order.created_at.year - 1))
    month = {"created_at__year": order.created_at.year, "created_at__month": order.created_at.month}

    assert [row["orderId"] for row in exported(merchant_client, month)] == [order.public_id]


def test_changelist_offers_the_export_of_what_it_shows(merchant_client, product):
    paid_order(product)

    response = merchant_client.get(reverse("admin:orders_order_changelist"), {"q": "ada"})

    assert f'href="{EXPORT}?q=ada"' in response.text


def test_buyer_text_never_becomes_a_spreadsheet_formula(merchant_client, product):
    order = paid_order(product, orderMerchantExternalId="=HYPERLINK(1)")

    row = exported(merchant_client)[0]

    assert row["orderId"] == order.public_id
    assert row["orderMerchantExternalId"] == "'=HYPERLINK(1)"


def test_statements_do_not_grow_with_rows(client):
    merchant = AdminMerchantFactory()
    order = paid_order(ProductFactory(store=StoreFactory(owner=merchant)))
    client.force_login(merchant.user)

    def statements() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = exported(client)
        return len(queries), len(rows)

    few, few_rows = statements()
    copies_of(order, CHUNK_SIZE * 2 + 7)  # more than two chunks of the iterator
    many, many_rows = statements()

    assert (few_rows, many_rows) == (1, CHUNK_SIZE * 2 + 8)
    assert few == many, f"{few} statements for {few_rows} rows, {many} for {many_rows}"


def test_rows_are_produced_as_they_are_read(merchant_client, product):
    """The body is a generator: the first line exists before the queryset is read."""
    order = paid_order(product)
    copies_of(order, 5)

    response = merchant_client.get(EXPORT)
    body = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as queries:
        header = next(body)
    assert header.decode().startswith("orderId,createdAt")
    assert len(queries) == 0
    assert len(list(body)) == 6


def test_superuser_exports_every_merchants_orders(client, product):
    paid_order(product)
    paid_order(ProductFactory(store=StoreFactory(owner=AdminMerchantFactory())))
    client.force_login(SuperuserFactory())

    assert len(exported(client)) == 2


def test_staff_without_order_permission_cannot_export(client, product):
    paid_order(product)
    client.force_login(UserFactory())

    assert client.get(EXPORT).status_code == 403
