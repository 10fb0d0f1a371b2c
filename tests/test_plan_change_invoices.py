"""A plan change charged now is invoiced like every other charge: its parts at their own
rates, adding up to the payment, numbered in the same gapless sequence, and credited by a
refund of that payment."""

import pytest
from django.test import Client

from core.events import event_dispatch
from core.models import DomainEvent, HandledEvent
from orders.invoices import invoice_path
from orders.models import Invoice
from payments.models import Payment
from subscriptions.plan_change_apply import plan_change_confirm
from tests.plan_change_support import SESSION, change_body, change_of
from tests.refund_support import CREATE, ask
from tests.subscription_support import DECLINES_RENEWALS, subscribe
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


def confirmed(api, subscription, target, **fields) -> Payment | None:
    change = change_of(api.post(SESSION, change_body(subscription, target, **fields)))
    plan_change_confirm(change_id=change.pk)
    run_worker()
    return Payment.objects.filter(order=subscription.order, period=0).first()


def test_a_prorated_upgrade_is_invoiced_as_unused_time_credited_and_new_time_charged(
    api, basic, pro
):
    subscription = subscribe(basic)
    run_worker()  # the first period's invoice: TEST-INV-000001

    charge = confirmed(api, subscription, pro)

    invoice = Invoice.objects.get(payment_reference=charge.public_id)
    assert (invoice.kind, invoice.period, invoice.number) == ("invoice", None, "TEST-INV-000002")
    assert (invoice.total_minor, invoice.tax_minor) == (charge.amount_minor, charge.tax_minor)
    assert invoice.issued_at == charge.resolved_at
    unused, remaining = invoice.lines
    assert (unused["kind"], unused["name"], remaining["kind"], remaining["name"]) == (
        "unused_time",
        "Basic",
        "remaining_time",
        "Pro",
    )
    assert unused["total_minor"] < 0 < remaining["total_minor"]
    assert unused["total_minor"] + remaining["total_minor"] == charge.amount_minor
    for row in (unused, remaining):
        assert row["subtotal_minor"] + row["tax_minor"] == row["total_minor"]
        assert row["tax_rate"] == "19.0000"  # German VAT on both plans
    [by_rate] = invoice.tax_breakdown
    assert (by_rate["net_minor"], by_rate["tax_minor"]) == (
        invoice.subtotal_minor,
        invoice.tax_minor,
    )


def test_the_invoice_is_issued_once_however_often_the_event_is_handled(api, basic, pro):
    subscription = subscribe(basic)
    charge = confirmed(api, subscription, pro)
    event = DomainEvent.objects.get(name="subscription.plan_changed")

    DomainEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
    HandledEvent.objects.filter(event=event).delete()  # as if every receipt was lost
    event_dispatch(event_id=event.pk)

    assert Invoice.objects.filter(payment_reference=charge.public_id).count() == 1


def test_a_merchants_own_figure_is_one_row_at_the_target_rate(api, basic, pro):
    subscription = subscribe(basic)

    charge = confirmed(api, subscription, pro, changeAmount="12.00")

    [row] = Invoice.objects.get(payment_reference=charge.public_id).lines
    assert (row["kind"], row["name"], row["total_minor"], row["tax_minor"]) == (
        "plan_change",
        "Pro",
        1200,
        192,
    )


@pytest.mark.parametrize(
    "fields",
    [{}, {"changeTiming": "immediate", "changeCreditAmount": "5.00"}],
    ids=["scheduled downgrade", "credited now"],
)
def test_a_change_that_charges_nothing_issues_no_invoice(api, basic, pro, fields):
    subscription = subscribe(pro)
    run_worker()

    assert confirmed(api, subscription, basic, **fields) is None
    assert list(Invoice.objects.values_list("period", flat=True)) == [1]


def test_a_declined_change_charge_issues_no_invoice(api, basic, pro):
    subscription = subscribe(basic, number=DECLINES_RENEWALS)
    run_worker()

    charge = confirmed(api, subscription, pro)

    assert charge.status == "failed"
    assert not Invoice.objects.filter(payment_reference=charge.public_id).exists()


def test_the_receipt_lists_it_and_it_reads_in_the_buyers_language(api, basic, pro):
    subscription = subscribe(basic)
    session = subscription.order.checkout_session
    session.language = "de"
    session.save(update_fields=["language"])
    charge = confirmed(api, subscription, pro)
    invoice = Invoice.objects.get(payment_reference=charge.public_id)

    receipt = Client().get(f"/store/{session.store.slug}/checkout/{session.public_id}/receipt")
    page = Client().get(invoice_path(invoice)).content.decode()

    assert invoice_path(invoice) in receipt.content.decode()
    assert "Nicht genutzte Zeit für Basic" in page
    assert "Verbleibende Zeit für Pro" in page


def test_refunding_the_change_charge_credits_its_own_invoice(api, basic, pro, settings):
    settings.REFUND_RETRY_AFTER = 0
    subscription = subscribe(basic)
    charge = confirmed(api, subscription, pro)

    response = api.post(CREATE, ask(charge, "5.00"))
    assert response.status_code == 200, response.content
    run_worker()

    note = Invoice.objects.get(order=subscription.order, kind="credit_note")
    assert note.credited_invoice == Invoice.objects.get(payment_reference=charge.public_id)
    assert (note.total_minor, note.lines[0]["tax_rate"]) == (500, "19.0000")
