"""``subscriptionAnalysis`` over GraphQL: billing periods, cancellations, trial conversion
and churn of one store's subscriptions, by the same churn rule as the dashboard."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from catalog.models import ProductType
from orders.models import Order
from subscriptions.models import Subscription
from subscriptions.services import subscription_start
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql, paid_order

ANALYSIS = """query ($storeId: String!, $start: String!, $end: String!) {
  subscriptionAnalysis(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    billingPeriodDistribution(currency: "eur") { billingPeriod count totalAmount percentage }
    activeCount
    cancellationStats { totalSubscriptions canceledCount cancellationRate avgLifetimeDays medianLifetimeDays }
    cancellationTrend(granularity: ALL_TIME) { period canceledCount }
    trialConversion { totalTrials convertedCount activeTrials conversionRate }
    trialConversionByProduct { productId productName totalTrials convertedCount conversionRate }
    churnRate(granularity: DAY) { period startActive churned churnRate }
  }
}"""


def started(product, **changes):
    order = paid_order(product, currency="EUR", email=f"{timezone.now().timestamp()}@example.com")
    subscription = subscription_start(order=order)
    status = changes.pop("status", None)
    if changes:
        Subscription.objects.filter(pk=subscription.pk).update(**changes)
    if status:
        Order.objects.filter(pk=order.pk).update(status=status)
    return order


@pytest.fixture
def plans(store, many_payments):
    plain = ProductFactory(
        store=store,
        name="Pro",
        product_type=ProductType.SUBSCRIPTION,
        prices={"EUR": {"amount": "10.00", "taxCategory": "saas"}},
    )
    trial = ProductFactory(
        store=store,
        name="Trial Pro",
        product_type=ProductType.SUBSCRIPTION,
        metadata={"trialDays": 7},
        prices={"EUR": {"amount": "20.00", "taxCategory": "saas", "trialAmount": "1.00"}},
    )
    return plain, trial


def _window():
    now = timezone.now().astimezone(UTC)
    start = datetime.combine(now.date() - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    return start, now + timedelta(minutes=1)


def test_subscription_analysis(api, store, plans):
    plain, trial = plans
    start, end = _window()
    live = started(plain, anchor=start - timedelta(days=1))
    started(
        plain,
        anchor=start - timedelta(days=1),
        ended_at=start + timedelta(hours=30),
        status="canceled",
    )
    started(trial)  # still in its trial
    started(trial, period_number=2, status="active")  # paid past its trial
    paid_order(
        ProductFactory(
            store=StoreFactory(owner=MerchantFactory()), product_type=ProductType.SUBSCRIPTION
        )
    )  # another merchant's

    status, body = gql(
        api, ANALYSIS, storeId=store.public_id, start=start.isoformat(), end=end.isoformat()
    )

    assert status == 200, body
    data = body["data"]["subscriptionAnalysis"]
    assert data["billingPeriodDistribution"] == [
        {"billingPeriod": "monthly", "count": 4, "totalAmount": "60.00", "percentage": 100.0}
    ]
    assert data["activeCount"] == 2  # the live plain one and the converted trial
    stats = data["cancellationStats"]
    assert (stats["totalSubscriptions"], stats["canceledCount"], stats["cancellationRate"]) == (
        4,
        1,
        25.0,
    )
    assert stats["avgLifetimeDays"] == stats["medianLifetimeDays"]
    assert data["cancellationTrend"] == [{"period": start.date().isoformat(), "canceledCount": 1}]
    assert data["trialConversion"] == {
        "totalTrials": 2,
        "convertedCount": 1,
        "activeTrials": 1,
        "conversionRate": 50.0,
    }
    [by_product] = data["trialConversionByProduct"]
    assert (by_product["productId"], by_product["totalTrials"]) == (trial.public_id, 2)
    first, second, *_ = data["churnRate"]
    assert (first["startActive"], first["churned"]) == (2, 0)
    assert (second["startActive"], second["churned"], second["churnRate"]) == (2, 1, 50.0)
    assert live.public_id  # the live one stays live


def test_another_merchants_store_is_the_empty_analysis(api, store):
    other = StoreFactory(owner=MerchantFactory())
    paid_order(ProductFactory(store=other, product_type=ProductType.SUBSCRIPTION))
    start, end = _window()

    status, body = gql(
        api, ANALYSIS, storeId=other.public_id, start=start.isoformat(), end=end.isoformat()
    )

    assert status == 200, body
    data = body["data"]["subscriptionAnalysis"]
    assert data["activeCount"] == 0
    assert data["cancellationStats"]["totalSubscriptions"] == 0
    assert data["billingPeriodDistribution"] == []


def test_the_analysis_costs_a_fixed_number_of_statements(
    api, store, plans, django_assert_max_num_queries
):
    for _ in range(6):
        started(plans[1])
    start, end = _window()

    # Authentication (up to 3), then one statement per figure.
    with django_assert_max_num_queries(11):
        status, body = gql(
            api, ANALYSIS, storeId=store.public_id, start=start.isoformat(), end=end.isoformat()
        )

    assert status == 200, body
