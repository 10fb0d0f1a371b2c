"""The first charge after a trial is a paid period like any renewal: it gets its invoice
and the buyer's receipt (it is recorded as ``subscription.activated``, not ``.renewed``)."""

import pytest

from notifications.models import EmailLog, EmailStatus
from orders.models import Invoice
from tests.email_support import running_smtp_server
from tests.subscription_support import advance
from tests.trial_support import start_trial, trial_product
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(settings):
    yield from running_smtp_server(settings)


def test_the_first_charge_after_a_trial_is_invoiced_and_receipted(store, smtp_server):
    subscription = start_trial(trial_product(store))
    run_worker()
    smtp_server.messages.clear()

    advance(subscription)
    run_worker()

    invoice = Invoice.objects.get(order=subscription.order, period=2)
    assert invoice.total_minor == 3451
    # The trial's reminder falls due on the way there too; the receipt is the renewal's.
    [receipt] = [m for m in smtp_server.to() if "was renewed" in m["Subject"]]
    assert "$34.51 was charged" in receipt.get_body(("plain",)).get_content()
    email = EmailLog.objects.get(kind="renewal")
    assert (email.status, email.document) == (EmailStatus.SENT, invoice)
