"""The official SDK's refund-ticket calls (``customer.createRefundTicket`` and
``.resubmitRefundTicket``) against a live server."""

import pytest

from payments.models import RefundTicket
from payments.refund_tickets import refund_ticket_review
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import TEST_KEY_PAIR
from tests.refund_support import paid_payment
from tests.sdk_support import sdk_runner

pytestmark = pytest.mark.sdk


@pytest.fixture
def merchant(transactional_db):
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    return merchant


@pytest.fixture
def run_sdk(live_server, one_request_at_a_time, merchant, tmp_path):
    key_file = tmp_path / "merchant.pem"
    key_file.write_text(TEST_KEY_PAIR[0])
    return sdk_runner(base_url=live_server.url, merchant_id=merchant.public_id, key_file=key_file)


def error(status: int, message: str) -> dict:
    return {
        "status": status,
        "errors": [{"message": message, "layer": "ticket"}],
        "message": message,
    }


def test_a_buyer_asks_through_the_sdk_and_resubmits_after_a_rejection(run_sdk, merchant):
    store = StoreFactory(owner=merchant)
    payment = paid_payment(ProductFactory(store=store))
    ids = {"STORE_ID": store.public_id, "PAYMENT_ID": payment.public_id}

    out = run_sdk("refunds.mjs", STEP="create", **ids)

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
    out = run_sdk("refunds.mjs", STEP="resubmit", TICKET_ID=ticket["id"], **ids)

    again = out["resubmitted"]["ticket"]
    assert (again["id"], again["status"], again["versionNumber"]) == (ticket["id"], "pending", 2)
    assert again["refundTicketMerchantExternalId"] == "REF-2026-00891"
    assert again["versionData"] == {
        "reason": "It arrived broken: photo attached",
        "requestedAmount": {"amount": "5.00", "currency": "USD"},
    }
