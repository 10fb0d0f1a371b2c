"""The dashboard on the admin index: per merchant (everyone's for platform staff), per
environment and period; every figure adds up to the payments, orders and refunds exactly;
MRR and churn of the subscriptions; charts are server-drawn SVG; the statements do not grow
with the orders."""

from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkout.models import CheckoutSession
from dashboard import selectors
from orders.models import Order
from payments.models import Payment
from tests.admin_factories import AdminMerchantFactory, SuperuserFactory
from tests.checkout_factories import make_session
from tests.factories import ProductFactory, StoreFactory
from tests.order_factories import copies_of, paid_order

pytestmark = pytest.mark.django_db


def _paid_days_ago(order: Order, days: int) -> Order:
    when = timezone.now() - timedelta(days=days)
    Order.objects.filter(pk=order.pk).update(completed_at=when, created_at=when)
    Payment.objects.filter(order=order).update(resolved_at=when, created_at=when)
    order.refresh_from_db()
    return order


@pytest.fixture
def sales(merchant, store):
    """A month of this merchant's sales, and what must stay out of its figures."""
    shirt = ProductFactory(store=store, name="T-shirt")
    mug = ProductFactory(store=store, name="Mug")
    usd = [
        paid_order(shirt),
        _paid_days_ago(paid_order(shirt), 3),
        _paid_days_ago(paid_order(mug), 29),
    ]
    eur = [paid_order(shirt, currency="EUR")]
    old = _paid_days_ago(paid_order(mug), 40)  # in the 90 days, not the 30
    pending = paid_order(mug)  # made unpaid again: its payment is still with the processor
    Order.objects.filter(pk=pending.pk).update(status="pending", completed_at=None)
    Payment.objects.filter(order=pending).update(status="pending", resolved_at=None)
    prod = paid_order(mug)
    Order.objects.filter(pk=prod.pk).update(environment="prod")
    CheckoutSession.objects.filter(pk=prod.checkout_session_id).update(environment="prod")
    paid_order(ProductFactory(store=StoreFactory(owner=AdminMerchantFactory())))  # theirs
    make_session(product=shirt)  # opened, never paid
    return {"usd": usd, "eur": eur, "old": old, "pending": pending}


def scope(merchant, days=30, environment="test"):
    return selectors.Scope(merchant_id=merchant.pk, environment=environment, days=days)


def test_figures_add_up_to_the_paid_orders(merchant, sales):
    series = {one.currency: one for one in selectors.daily_series(scope=scope(merchant))}

    assert set(series) == {"USD", "EUR"}
    usd, eur = series["USD"], series["EUR"]
    assert usd.total("revenue") == sum(o.total_minor for o in sales["usd"])
    assert usd.total("tax") == sum(o.tax_minor for o in sales["usd"])
    assert usd.total("orders") == 3
    assert eur.total("revenue") == sales["eur"][0].total_minor
    assert eur.total("tax") == sales["eur"][0].tax_minor
    assert usd.total("refunds") == eur.total("refunds") == 0


def test_each_order_counts_on_the_day_it_was_paid(merchant, sales):
    usd = selectors.daily_series(scope=scope(merchant))[0]
    three_days_ago = sales["usd"][1]

    day = three_days_ago.completed_at.astimezone(UTC).date()
    assert usd.revenue[day] == three_days_ago.total_minor
    assert usd.orders[day] == 1
    assert selectors.Scope(merchant.pk, "test", 30).first_day <= day


def test_ninety_days_include_older_orders(merchant, sales):
    usd = {s.currency: s for s in selectors.daily_series(scope=scope(merchant, days=90))}["USD"]

    expected = sales["usd"] + [sales["old"]]
    assert usd.total("revenue") == sum(o.total_minor for o in expected)
    assert usd.total("orders") == 4


def test_environments_are_apart(merchant, sales):
    prod = selectors.daily_series(scope=scope(merchant, environment="prod"))

    assert [(one.currency, one.total("orders")) for one in prod] == [("USD", 1)]


def test_top_products_and_conversion(merchant, sales):
    top = selectors.top_products(scope=scope(merchant))
    conversion = selectors.conversion(scope=scope(merchant))

    assert [(p.name, p.currency, p.units) for p in top] == [
        ("T-shirt", "USD", 2),
        ("Mug", "USD", 1),
        ("T-shirt", "EUR", 1),
    ]
    shirt_usd = sum(o.total_minor for o in sales["usd"][:2])
    assert top[0].revenue_minor == shirt_usd
    # Test sessions opened in the 30 days: the usd, eur, old (only its order was moved
    # back), pending ones, all paid, and one never paid.
    assert (conversion.opened, conversion.paid) == (7, 6)


def test_platform_staff_see_every_merchant(merchant, sales):
    everyone = selectors.Scope(merchant_id=None, environment="test", days=30)

    usd = {s.currency: s for s in selectors.daily_series(scope=everyone)}["USD"]

    assert usd.total("orders") == 4  # this merchant's three and the other merchant's one


def test_the_index_shows_the_dashboard_as_svg(merchant_client, sales):
    response = merchant_client.get("/admin/", {"env": "test", "days": "30"})

    text = response.text
    total = sum(o.total_minor for o in sales["usd"])
    assert f'data-metric="revenue-USD">{total // 100}.{total % 100:02d} USD' in text
    assert '<svg role="img" aria-label="Revenue per day"' in text
    assert text.count('<rect class="bar"') == 30 * 4 * 2  # 30 days, 4 charts, 2 currencies
    assert "T-shirt" in text and "Top products" in text
    assert "style=" not in text.split('class="dashboard')[1].split("</section>")[0]
    assert "<script>" not in text


def test_another_merchant_sees_none_of_it(client, sales):
    other = AdminMerchantFactory()
    client.force_login(other.user)

    text = client.get("/admin/").text

    assert "No paid orders in this period yet." in text
    assert "T-shirt" not in text


def test_dashboard_statements_do_not_grow_with_orders(client, merchant, store, sales):
    client.force_login(SuperuserFactory())

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/", {"env": "test", "days": "90"}).status_code == 200
        return len(queries)

    few = statements()
    copies_of(sales["usd"][0], 40)
    assert statements() == few
