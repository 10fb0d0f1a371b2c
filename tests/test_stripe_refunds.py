"""A refund ticket paid back through Stripe (localstripe): the refund carries Stripe's
``re_…`` reference and Stripe holds exactly the amount approved."""

import pytest

from payments.models import RefundStatus
from payments.processors import processor_for
from payments.processors.base import BrowserMethod
from payments.refund_tickets import Request, Submitter, refund_ticket_create, refund_ticket_decide
from payments.services import checkout_pay
from tests.checkout_factories import billing, make_session
from tests.stripe_support import SUCCESS, card_token

pytestmark = pytest.mark.django_db


def test_an_approved_ticket_is_refunded_at_stripe(product, stripe_env):
    outcome = checkout_pay(
        session=make_session(product=product),
        billing=billing(),
        card=BrowserMethod(card_token(stripe_env, SUCCESS)),
        buyer_email="buyer@example.com",
        buyer_identity="buyer-1",
    )
    payment = outcome.payment
    ticket = refund_ticket_create(
        payment=payment,
        submitter=Submitter("customer", "buyer-1"),
        request=Request("Charged twice", "12.00", "USD"),
    )

    ticket = refund_ticket_decide(ticket_id=ticket.pk, decision="approve", reviewer_id="staff")

    refund = ticket.refund
    assert (ticket.status, refund.status) == ("succeeded", RefundStatus.SUCCEEDED)
    assert refund.processor == "stripe" and refund.processor_reference.startswith("re_")
    remote = processor_for("test").client.v1.refunds.list(
        params={"payment_intent": payment.processor_reference}
    )
    assert [(r.id, r.amount) for r in remote.data] == [(refund.processor_reference, 1200)]
