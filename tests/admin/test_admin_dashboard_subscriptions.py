"""The dashboard's money where it moved: renewals on their own day with the tax they were
charged, refunds when they were paid back; and the subscriptions' MRR and churn."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard import selectors, subscription_metrics
from orders.models import Order
from payments.models import Payment, PaymentStatus, Refund, RefundStatus, RefundTicket
from payments.refund_tickets import refund_ticket_decide
from subscriptions.models import Subscription
from tests.factories import ProductFactory
from tests.refund_support import CREATE, as_customer, ask, paid_payment
from tests.subscription_support import advance, subscribe, subscription_product
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


def scope(merchant, days=30):
    return selectors.Scope(merchant_id=merchant.pk, environment="test", days=days)


def test_a_renewal_counts_as_revenue_with_the_tax_it_was_charged(merchant, store):
    subscription = subscribe(subscription_product(store))
    advance(subscription, periods=1)
    payments = Payment.objects.filter(order=subscription.order, status=PaymentStatus.SUCCEEDED)
    assert payments.count() == 2

    (usd,) = selectors.daily_series(scope=scope(merchant))

    assert usd.total("revenue") == sum(p.amount_minor for p in payments) == 2 * 3451
    assert usd.total("tax") == sum(p.tax_minor for p in payments) == 2 * 551
    assert usd.total("orders") == 1  # one order, paid twice


def test_refunds_count_when_they_were_paid_back(client, merchant, store):
    payment = paid_payment(ProductFactory(store=store))
    customer = as_customer(client, store)
    assert customer(CREATE, ask(payment, "10.00")).status_code == 200
    refund_ticket_decide(
        ticket_id=RefundTicket.objects.get().pk, decision="approve", reviewer_id="staff"
    )
    run_worker()
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.SUCCEEDED

    (usd,) = selectors.daily_series(scope=scope(merchant))

    assert usd.total("refunds") == refund.amount_minor == 1000
    assert usd.refunds == {refund.executed_at.date(): 1000}
    assert usd.total("revenue") == payment.amount_minor  # revenue stays what was paid


def _plan(subscription: Subscription, **fields) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(**fields)


def _status(subscription: Subscription, status: str) -> None:
    Order.objects.filter(pk=subscription.pk).update(status=status)


@pytest.mark.parametrize(
    ("billing_period", "unit_minor", "quantity", "monthly_minor"),
    [
        ("monthly", 2900, 1, 2900),
        ("monthly", 2900, 3, 8700),
        ("yearly", 12000, 1, 1000),
        ("quarterly", 1000, 1, 333),  # 3.333… rounds down
        ("quarterly", 500, 1, 167),  # 1.666… rounds up
        ("weekly", 1001, 1, 4338),  # 10.01 x 52 / 12 = 43.3766…
    ],
)
def test_mrr_is_the_plan_price_per_month(
    merchant, store, billing_period, unit_minor, quantity, monthly_minor
):
    subscription = subscribe(subscription_product(store))
    _plan(
        subscription, billing_period=billing_period, unit_amount_minor=unit_minor, quantity=quantity
    )

    mrr = subscription_metrics.monthly_recurring_revenue(scope=scope(merchant))

    assert mrr == {"USD": monthly_minor}


def test_mrr_sums_the_paying_subscriptions_exactly_once_per_currency(merchant, store):
    product = subscription_product(store)
    paying = [subscribe(product, identity=f"buyer-{n}") for n in range(3)]
    subscribe(product, currency="EUR", identity="buyer-eur")
    _plan(paying[1], billing_period="weekly", unit_amount_minor=1001)  # 4337.67 of a month
    _plan(paying[2], billing_period="weekly", unit_amount_minor=1001)  # twice: 8675.33 → 8675
    ended = subscribe(product, identity="buyer-gone")
    _plan(ended, ended_at=timezone.now())
    _status(ended, "canceled")
    trial = subscribe(product, identity="buyer-trial")
    _status(trial, "trialing")

    mrr = subscription_metrics.monthly_recurring_revenue(scope=scope(merchant))

    assert mrr == {"EUR": 2700, "USD": 2900 + 8675}
    assert subscription_metrics.churn(scope=scope(merchant)).trialing == 1


def test_churn_is_the_share_of_subscriptions_live_at_the_start_that_ended(merchant, store):
    product = subscription_product(store)
    old = [subscribe(product, identity=f"buyer-{n}") for n in range(4)]
    for subscription in old:
        _plan(subscription, anchor=timezone.now() - timedelta(days=40))
    _plan(old[0], ended_at=timezone.now() - timedelta(days=5))
    _status(old[0], "canceled")
    _plan(old[1], ended_at=timezone.now() - timedelta(days=35))  # ended before the period
    _status(old[1], "canceled")
    subscribe(product, identity="buyer-new")

    churn = subscription_metrics.churn(scope=scope(merchant))

    assert (churn.live_at_start, churn.ended, churn.started) == (3, 1, 1)
    assert churn.percent == "33.3 %"


def test_the_index_shows_mrr_and_churn(merchant_client, store):
    subscribe(subscription_product(store))

    text = merchant_client.get("/admin/", {"env": "test", "days": "30"}).text

    assert 'data-metric="mrr-USD">29.00 USD' in text
    assert 'data-metric="churn">—' in text  # nothing was live when the period began
