"""One revenue rule (``payments.revenue.revenue_payments``) for the dashboard and every
GraphQL analytics query: a succeeded payment, dated when it succeeded. A charge created in
one period that succeeds in the next is the next period's money; a failed or pending
attempt is never revenue; taxAnalysis.byCategory counts renewals too."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.money import format_amount
from dashboard import selectors as dashboard
from orders.models import Order, OrderLine
from payments.models import Payment, PaymentStatus
from stores.models import Environment
from tests.analytics_support import bought, renewal
from tests.graphql_support import gql

pytestmark = pytest.mark.django_db

FILTER = 'filter: { timeRange: { startDate: $start, endDate: $end }, currency: "usd" }'
QUERY = f"""query ($storeId: String!, $start: String!, $end: String!) {{
  orderStatistics(storeId: $storeId, {FILTER}) {{
    revenueByCurrency {{ currency totalAmount paymentCount }}
    revenueByPeriod(granularity: ALL_TIME) {{ totalAmount paymentCount }}
  }}
  paymentStatistics(storeId: $storeId, {FILTER}) {{
    taxSummary {{ totalAmount paymentCount }}
    preTaxRevenueByCurrency {{ totalAmount paymentCount }}
  }}
  taxAnalysis(storeId: $storeId, {FILTER}) {{
    byCountry {{ totalAmount paymentCount }}
    byCategory {{ taxCategory totalTax totalAmount paymentCount }}
    taxAmountByPeriod(granularity: ALL_TIME) {{ totalTax paymentCount }}
  }}
  productStatistics(storeId: $storeId, {FILTER}) {{ topByRevenue {{ totalRevenue }} }}
  trendAnalysis(storeId: $storeId, {FILTER}) {{
    cumulativeRevenue(granularity: ALL_TIME) {{ periodValue }}
  }}
  distributionAnalysis(storeId: $storeId, {FILTER}) {{
    aovTrend(granularity: ALL_TIME) {{ totalRevenue orderCount }}
  }}
  customerAnalysis(storeId: $storeId, {FILTER}) {{ topCustomers {{ totalSpent orderCount }} }}
}}"""


def _revenue_figures(data: dict) -> dict:
    """What each query says the window's revenue was: (amount, payments or orders)."""

    def one(rows: list[dict], amount: str, count: str | None = None):
        return [(row[amount], row[count] if count else None) for row in rows]

    return {
        "revenueByCurrency": one(
            data["orderStatistics"]["revenueByCurrency"], "totalAmount", "paymentCount"
        ),
        "revenueByPeriod": one(
            data["orderStatistics"]["revenueByPeriod"], "totalAmount", "paymentCount"
        ),
        "taxSummary": one(data["paymentStatistics"]["taxSummary"], "totalAmount", "paymentCount"),
        "byCountry": one(data["taxAnalysis"]["byCountry"], "totalAmount", "paymentCount"),
        "byCategory": one(data["taxAnalysis"]["byCategory"], "totalAmount", "paymentCount"),
        "topByRevenue": one(data["productStatistics"]["topByRevenue"], "totalRevenue"),
        "aovTrend": one(data["distributionAnalysis"]["aovTrend"], "totalRevenue", "orderCount"),
        "topCustomers": one(data["customerAnalysis"]["topCustomers"], "totalSpent", "orderCount"),
    }


def _ask(api, store, since: datetime, until: datetime) -> dict:
    status, body = gql(
        api, QUERY, storeId=store.public_id, start=since.isoformat(), end=until.isoformat()
    )
    assert status == 200, body
    return body["data"]


@pytest.fixture
def attempts(product):
    """Created 15 days ago and succeeded 5 days ago (34.51 USD); a failed and a pending
    attempt of 999.99 three days ago."""
    now = datetime.now(UTC)
    late = bought(product, now - timedelta(days=15))
    Payment.objects.filter(pk=late.pk).update(resolved_at=now - timedelta(days=5))
    other = bought(product, now - timedelta(days=40))
    for period, status in ((2, PaymentStatus.FAILED), (3, PaymentStatus.PENDING)):
        Payment.objects.create(
            order=other.order,
            status=status,
            period=period,
            amount_minor=99999,
            tax_minor=15966,
            currency="USD",
            created_at=now - timedelta(days=3),
            resolved_at=now - timedelta(days=3) if status == PaymentStatus.FAILED else None,
        )
    return now


def test_a_payment_counts_when_it_succeeded_not_when_it_was_created(api, store, attempts):
    now = attempts

    created_in = _revenue_figures(
        _ask(api, store, now - timedelta(days=30), now - timedelta(days=10))
    )
    resolved_in = _revenue_figures(_ask(api, store, now - timedelta(days=10), now))

    assert created_in == {
        "revenueByCurrency": [],
        "revenueByPeriod": [],
        "taxSummary": [],
        "byCountry": [],
        "byCategory": [],
        "topByRevenue": [],
        "aovTrend": [("0.00", 0)],
        "topCustomers": [],
    }
    assert resolved_in == {
        "revenueByCurrency": [("34.51", 1)],
        "revenueByPeriod": [("34.51", 1)],
        "taxSummary": [("34.51", 1)],
        "byCountry": [("34.51", 1)],
        "byCategory": [("34.51", 1)],
        "topByRevenue": [("34.51", None)],
        "aovTrend": [("34.51", 1)],
        "topCustomers": [("34.51", 1)],
    }


def test_the_trend_and_tax_periods_follow_the_same_rule(api, store, attempts):
    now = attempts

    data = _ask(api, store, now - timedelta(days=10), now)

    assert data["trendAnalysis"]["cumulativeRevenue"] == [{"periodValue": "34.51"}]
    assert data["taxAnalysis"]["taxAmountByPeriod"] == [{"totalTax": "5.51", "paymentCount": 1}]


def test_the_dashboard_sums_the_same_payments(merchant, store, attempts):
    scope = dashboard.Scope(merchant_id=merchant.pk, environment=Environment.TEST, days=7)

    series = dashboard.daily_series(scope=scope)

    assert [(row.currency, row.total("revenue"), row.total("tax")) for row in series] == [
        ("USD", 3451, 551)
    ]


def test_tax_by_category_counts_renewals(api, store, product):
    now = datetime.now(UTC)
    first = bought(product, now - timedelta(days=2))
    renewal(first, now - timedelta(days=1))

    data = _ask(api, store, now - timedelta(days=3), now)
    by_category = data["taxAnalysis"]["byCategory"]
    by_country = data["taxAnalysis"]["byCountry"]

    assert by_category == [
        {
            "taxCategory": first.order.lines.get().tax_category,
            "totalTax": "11.02",
            "totalAmount": "69.02",
            "paymentCount": 2,
        }
    ]
    assert by_country == [{"totalAmount": "69.02", "paymentCount": 2}]


def test_tax_by_category_splits_a_charge_over_the_lines_exactly(api, store, product):
    """A second line (shipping, its own category) on the order: the checkout payment counts
    each line as it is; a plan-change charge of another amount is split in the lines'
    shares, and the parts add up to what it charged, to the minor unit."""
    now = datetime.now(UTC)
    first = bought(product, now - timedelta(days=2))
    order = first.order
    line = order.lines.get()
    OrderLine.objects.create(
        order=order,
        position=line.position + 1,
        kind=OrderLine.Kind.SHIPPING,
        name="Shipping",
        quantity=1,
        unit_amount_minor=1000,
        tax_category="shipping",
        tax_included=False,
        subtotal_minor=1000,
        tax_minor=190,
        total_minor=1190,
        tax_rate=line.tax_rate,
    )
    Order.objects.filter(pk=order.pk).update(
        subtotal_minor=line.subtotal_minor + 1000,
        tax_minor=line.tax_minor + 190,
        total_minor=line.total_minor + 1190,
    )
    Payment.objects.filter(pk=first.pk).update(
        tax_minor=line.tax_minor + 190, amount_minor=line.total_minor + 1190
    )
    charge = renewal(first, now - timedelta(days=1))
    Payment.objects.filter(pk=charge.pk).update(amount_minor=5000, tax_minor=799)

    tax = _ask(api, store, now - timedelta(days=3), now)["taxAnalysis"]

    assert tax["byCountry"] == [
        {"totalAmount": format_amount(4641 + 5000, "USD"), "paymentCount": 2}
    ]
    by_category = {row["taxCategory"]: row for row in tax["byCategory"]}
    assert set(by_category) == {line.tax_category, "shipping"}
    assert sum(Decimal(row["totalTax"]) for row in tax["byCategory"]) == Decimal("15.40")
    assert sum(Decimal(row["totalAmount"]) for row in tax["byCategory"]) == Decimal("96.41")
    # the checkout payment's own lines (5.51 and 1.90 of tax), and 799 split 551 : 190,
    # the product's part rounded down and the shipping line the rest
    assert by_category[line.tax_category]["totalTax"] == format_amount(551 + 594, "USD")
    assert by_category["shipping"]["totalTax"] == format_amount(190 + 205, "USD")
    assert [row["paymentCount"] for row in tax["byCategory"]] == [2, 2]
