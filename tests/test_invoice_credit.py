"""A renewal the credit balance paid in part is invoiced at the period's price less the
credit applied, so the invoice adds up to what was charged."""

import pytest

from orders.models import Invoice
from payments.models import Payment
from subscriptions.plan_change_apply import plan_change_confirm
from tests.plan_change_support import SESSION, change_body, change_of, plan_at
from tests.refund_support import CREATE, ask
from tests.subscription_support import advance, subscribe
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


def test_a_renewal_paid_partly_by_credit_is_invoiced_with_the_credit(api, store):
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    subscription = subscribe(pro)
    body = change_body(subscription, basic, changeTiming="immediate", changeCreditAmount="5.00")
    plan_change_confirm(change_id=change_of(api.post(SESSION, body)).pk)
    run_worker()

    advance(subscription, periods=1)
    run_worker()

    renewal = Payment.objects.get(order=subscription.order, period=2)
    invoice = Invoice.objects.get(order=subscription.order, period=2)
    assert renewal.amount_minor == 1190 - 500  # Basic with German VAT, less the credit
    assert invoice.total_minor == renewal.amount_minor
    assert invoice.tax_minor == renewal.tax_minor
    plan, credit = invoice.lines
    assert (plan["total_minor"], credit["kind"], credit["total_minor"]) == (1190, "credit", -500)
    assert (
        sum(row["rate"] and row["tax_minor"] for row in invoice.tax_breakdown) == invoice.tax_minor
    )


def test_a_renewals_refund_credits_that_periods_invoice(api, store, settings):
    settings.REFUND_RETRY_AFTER = 0
    subscription = subscribe(plan_at(store, "10.00", "Basic"))
    advance(subscription, periods=1)
    run_worker()
    renewal = Payment.objects.get(order=subscription.order, period=2)

    response = api.post(CREATE, ask(renewal, "5.00"))
    assert response.status_code == 200, response.content
    run_worker()  # the refund's task never queued (no commit in a test): the sweep runs it

    note = Invoice.objects.get(order=subscription.order, kind="credit_note")
    assert note.credited_invoice == Invoice.objects.get(order=subscription.order, period=2)
    assert (note.total_minor, note.lines[0]["tax_rate"]) == (
        500,
        note.credited_invoice.lines[0]["tax_rate"],
    )
