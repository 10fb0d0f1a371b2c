"""What follows a refund: the ``refund.succeeded`` / ``refund.failed`` webhooks in the SDK's
fields, and the receipt showing what was given back."""

import json

import pytest

from payments.models import RefundTicket, SandboxCharge
from payments.refund_tickets import refund_ticket_decide
from tests.refund_support import CREATE, as_customer, ask, paid_payment
from tests.webhook_support import endpoint_for
from tests.worker_support import run_worker
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db
REFUND_EVENTS = ["refund.succeeded", "refund.failed"]


@pytest.fixture
def payment(product):
    return paid_payment(product)  # 34.51 USD, of which 5.51 VAT


def approve(client, store, payment, amount: str, external_id="RT-7"):
    customer = as_customer(client, store)
    body = ask(payment, amount, reason="Wrong size", refundTicketMerchantExternalId=external_id)
    assert customer(CREATE, body).status_code == 200
    return refund_ticket_decide(
        ticket_id=RefundTicket.objects.get().pk, decision="approve", reviewer_id="staff"
    )


def test_a_succeeded_refund_is_sent_as_refund_succeeded(client, store, payment):
    endpoint_for(store, "http://127.0.0.1:9/hook", events=REFUND_EVENTS)
    ticket = approve(client, store, payment, "10.00")

    run_worker()

    delivery = WebhookDelivery.objects.get()
    event = json.loads(delivery.body)
    refund = ticket.refund
    assert (event["eventType"], event["eventId"]) == ("refund.succeeded", refund.public_id)
    data = event["data"]
    assert data["orderId"] == payment.order.public_id
    assert data["paymentId"] == payment.public_id
    assert data["refundTicketMerchantExternalId"] == "RT-7"
    assert (data["refundedAmount"], data["amount"]) == ("10.00", "10.00")
    assert data["originalChargedAmount"] == "34.51"
    assert data["originalPayment"] == {
        "total": "34.51",
        "subtotal": "29.00",
        "taxAmount": "5.51",
        "taxRate": 19.0,
        "taxName": "VAT",
    }
    assert (data["refundStatus"], data["refundReason"]) == ("succeeded", "Wrong size")
    assert data["refundCreatedAt"].endswith("Z")
    assert (data["currency"], data["buyerEmail"]) == ("USD", "buyer@example.com")


def test_a_failed_refund_is_sent_without_a_refunded_amount(client, store, payment):
    endpoint_for(store, "http://127.0.0.1:9/hook", events=REFUND_EVENTS)
    SandboxCharge.objects.filter(reference=payment.processor_reference).update(refunded_minor=3451)
    approve(client, store, payment, "10.00", external_id="")

    run_worker()

    data = json.loads(WebhookDelivery.objects.get().body)["data"]
    assert data["refundStatus"] == "failed"
    assert "refundedAmount" not in data
    assert "refundTicketMerchantExternalId" not in data


def test_an_endpoint_that_did_not_subscribe_gets_no_refund_events(client, store, payment):
    endpoint_for(store, "http://127.0.0.1:9/hook", events=["order.completed"])
    run_worker()  # the payment's own order.completed
    before = WebhookDelivery.objects.count()
    approve(client, store, payment, "1.00")

    run_worker()

    assert WebhookDelivery.objects.count() == before


def test_the_receipt_shows_the_refund_and_what_remains_paid(client, store, payment):
    approve(client, store, payment, "10.00")
    session = payment.order.checkout_session

    page = client.get(f"/store/{store.slug}/checkout/{session.public_id}/receipt")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="receipt-refunds"' in html
    assert ticket_refund_id(payment) in html
    assert 'id="receipt-refunded">$10.00<' in html
    assert 'id="receipt-net">$24.51<' in html


def test_a_receipt_without_refunds_shows_none(client, store, payment):
    session = payment.order.checkout_session

    html = client.get(f"/store/{store.slug}/checkout/{session.public_id}/receipt").content
    assert b"receipt-refunds" not in html


def ticket_refund_id(payment) -> str:
    return payment.refunds.get().public_id
