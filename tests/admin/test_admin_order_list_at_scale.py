"""The order list stays cheap with many orders (issue 18, ``stores.admin.lists``): a bounded
count instead of a full COUNT(*), filter choices by EXISTS, dates by fixed ranges."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order
from payments.services import checkout_pay
from stores.admin import lists
from tests.admin_factories import AdminMerchantFactory, changelist_url
from tests.checkout_factories import billing, make_session, success_card
from tests.factories import ProductFactory, StoreFactory
from tests.partner_factories import PartnerFactory, make_basket, pay_basket

pytestmark = pytest.mark.django_db


def _orders(product, count: int) -> list[Order]:
    return [
        checkout_pay(
            session=make_session(product=product),
            billing=billing("DE"),
            card=success_card(),
            buyer_email="buyer@example.com",
        ).order
        for _ in range(count)
    ]


def _page(client, query: str = ""):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(changelist_url(Order) + query)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def test_the_count_stops_at_the_cap(merchant_client, store, monkeypatch):
    monkeypatch.setattr(lists, "COUNT_CAP", 3)
    _orders(ProductFactory(store=store), 5)

    response, statements = _page(merchant_client)

    assert response.context["cl"].result_count == 3
    counts = [sql for sql in statements if "COUNT(" in sql]
    assert len(counts) == 1  # the filtered count only: no unfiltered total
    assert "LIMIT 3" in counts[0]


def test_below_the_cap_the_count_is_exact(merchant_client, store):
    _orders(ProductFactory(store=store), 4)

    response, _ = _page(merchant_client)

    assert response.context["cl"].result_count == 4
    assert len(response.context["cl"].result_list) == 4


def test_no_statement_reads_the_distinct_dates_or_ids_of_every_order(merchant_client, store):
    _orders(ProductFactory(store=store), 2)

    _, statements = _page(merchant_client)

    assert not [sql for sql in statements if "DISTINCT" in sql or "MIN(" in sql]


def test_store_and_partner_choices_are_those_with_listed_orders(merchant, merchant_client, store):
    product = ProductFactory(store=store)
    _orders(product, 1)
    pay_basket(make_basket(PartnerFactory(name="Used Partner"), product), email="e@example.com")
    PartnerFactory(name="Idle Partner")
    StoreFactory(owner=merchant, name="Empty Store")
    StoreFactory(owner=AdminMerchantFactory(), name="Their Store")

    response, _ = _page(merchant_client)

    assert "Used Partner" in response.text
    assert "Idle Partner" not in response.text
    assert "Empty Store" not in response.text
    assert "Their Store" not in response.text


def test_orders_filter_by_date_range(merchant_client, store):
    orders = _orders(ProductFactory(store=store), 2)
    Order.objects.filter(pk=orders[0].pk).update(created_at="2020-01-01T00:00:00Z")

    response, _ = _page(merchant_client, "?created_at__gte=2024-01-01+00:00:00%2B00:00")

    assert set(response.context["cl"].result_list) == {orders[1]}
    assert "Any date" in response.text


def test_the_order_list_costs_the_same_few_statements_however_many_orders(merchant_client, store):
    """Session, user, permissions, merchant, the filters' choices, the bounded count, the
    page; the sidebar's admins ask whether a store lets the role change their rows, and
    that is one read of the merchant's roles for all of them."""
    product = ProductFactory(store=store)
    _orders(product, 1)
    _, few = _page(merchant_client)
    _orders(product, 5)

    _, more = _page(merchant_client)

    assert len(more) == len(few) <= 10
    assert len(set(more)) == len(more)  # no statement asked twice
