"""``orderStatistics`` (what of the guide's analytics the data supports today) and the
version counts."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from catalog import services as catalog_services
from orders.models import Order
from orders.services import order_cancel, order_place
from tests.checkout_factories import billing, make_session
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql, paid_order

STATISTICS = """query ($storeId: String!, $start: String!, $end: String!) {
  orderStatistics(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    totalCount
    countsByStatus { status count }
    revenueByCurrency { currency totalAmount paymentCount }
    buyerMetrics { totalBuyers newBuyers returningBuyers }
    countsByPeriod(granularity: DAY) { period count }
    ordersByCountry { country count }
  }
}"""


def _window(days_back: int = 1) -> dict:
    now = timezone.now()
    return {
        "start": (now - timedelta(days=days_back)).isoformat(),
        "end": (now + timedelta(days=1)).isoformat(),
    }


def test_order_statistics_count_revenue_and_buyers(api, store):
    product = ProductFactory(store=store)
    old = paid_order(product, email="old@example.com")
    long_ago = timezone.now() - timedelta(days=10)
    Order.objects.filter(pk=old.pk).update(created_at=long_ago)
    old.payments.update(created_at=long_ago, resolved_at=long_ago)  # its money moved then
    paid_order(product, email="old@example.com")
    paid_order(product, email="new@example.com")
    paid_order(product, email="eur@example.com", currency="EUR")

    pending = order_place(
        session=make_session(product=product), billing=billing(), buyer_email="p@example.com"
    )
    order_cancel(order=pending)
    paid_order(ProductFactory(store=StoreFactory(owner=MerchantFactory())))  # not ours

    status, body = gql(api, STATISTICS, storeId=store.public_id, **_window())

    assert status == 200, body
    stats = body["data"]["orderStatistics"]
    assert stats["totalCount"] == 4
    assert {row["status"]: row["count"] for row in stats["countsByStatus"]} == {
        "completed": 3,
        "canceled": 1,
    }
    assert stats["revenueByCurrency"] == [
        {"currency": "EUR", "totalAmount": "32.13", "paymentCount": 1},
        {"currency": "USD", "totalAmount": "69.02", "paymentCount": 2},
    ]
    assert stats["buyerMetrics"] == {"totalBuyers": 4, "newBuyers": 3, "returningBuyers": 1}
    days = stats["countsByPeriod"]
    assert len(days) == 3 and sum(day["count"] for day in days) == 4  # yesterday to tomorrow
    assert days[1] == {"period": timezone.now().date().isoformat(), "count": 4}
    countries = {row["country"]: row["count"] for row in stats["ordersByCountry"]}
    assert sum(countries.values()) == 4 and countries["DE"] >= 3


def test_order_statistics_of_another_merchants_store_are_empty(api, store):
    other = StoreFactory(owner=MerchantFactory())
    paid_order(ProductFactory(store=other))

    status, body = gql(api, STATISTICS, storeId=other.public_id, **_window())

    assert status == 200, body
    assert body["data"]["orderStatistics"]["totalCount"] == 0
    assert body["data"]["orderStatistics"]["revenueByCurrency"] == []


def test_order_statistics_need_iso_dates(api, store):
    status, body = gql(api, STATISTICS, storeId=store.public_id, start="yesterday", end="now")

    assert status == 400
    assert body["errors"][0]["message"] == (
        'filter.timeRange.startDate must be ISO 8601, got "yesterday"'
    )


def test_version_counts_take_the_versions_filter(api, store):
    product = ProductFactory(store=store, name="v1")
    with transaction.atomic():
        catalog_services.product_update(product=product, name="v2")

    status, body = gql(
        api,
        """query ($id: String!) {
          all: onetimeProductVersionsCount(productId: $id)
          second: onetimeProductVersionsCount(productId: $id, filter: { versionNumber: { gte: 2 } })
          subscriptionProductVersionsCount(productId: $id)
        }""",
        id=product.public_id,
    )

    assert status == 200, body
    assert body["data"] == {"all": 2, "second": 1, "subscriptionProductVersionsCount": 0}
