"""The official SDK's refund-ticket calls (``customer.createRefundTicket`` and
``.resubmitRefundTicket``) against a live server."""

import pytest

from payments.models import RefundTicket
from payments.refund_tickets import refund_ticket_review
from tests.factories import ProductFactory, StoreFactory
from tests.refund_support import paid_payment

pytestmark = pytest.mark.sdk


def error(status: int, message: str) -> dict:
    return {
        "status": status,
        "errors": [{"message": message, "layer": "ticket"}],
        "message": message,
    }


def test_a_buyer_asks_through_the_sdk_and_resubmits_after_a_rejection(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant)
    payment = paid_payment(ProductFactory(store=store))
    ids = {"STORE_ID": store.public_id, "PAYMENT_ID": payment.public_id}

    out = live_sdk("refunds.mjs", STEP="create", **ids)

    ticket = out["created"]["ticket"]
    assert (ticket["status"], ticket["subjectId"], ticket["submitterType"]) == (
        "pending",
        payment.public_id,
        "customer",
    )
    assert ticket["refundTicketMerchantExternalId"] == "REF-2026-00891"
    assert ticket["metadata"] == {"source": "sdk"}
    assert ticket["versionData"]["requestedAmount"] == {"amount": "10.00", "currency": "USD"}
    assert out["second"] == error(409, "An open refund ticket already exists for this payment")
    assert out["strangers"] == error(404, "Payment not found")
    assert out["tooEarly"] == error(400, "Only a rejected refund ticket can be resubmitted")

    row = RefundTicket.objects.get()
    refund_ticket_review(ticket_id=row.pk, decision="reject", reviewer_id="staff", reason="Photo?")
    out = live_sdk("refunds.mjs", STEP="resubmit", TICKET_ID=ticket["id"], **ids)

    again = out["resubmitted"]["ticket"]
    assert (again["id"], again["status"], again["versionNumber"]) == (ticket["id"], "pending", 2)
    assert again["refundTicketMerchantExternalId"] == "REF-2026-00891"
    assert again["versionData"] == {
        "reason": "It arrived broken: photo attached",
        "requestedAmount": {"amount": "5.00", "currency": "USD"},
    }
