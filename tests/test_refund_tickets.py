"""refund-ticket/create-ticket and resubmit-ticket: who may ask, for what, and what a refused
request leaves behind (nothing)."""

import re

import pytest

from payments.models import Payment, Refund, RefundTicket, RefundTicketStatus
from payments.refund_tickets import refund_ticket_review
from payments.services import checkout_pay
from tests.checkout_factories import billing, declined_card, make_session
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.refund_support import (
    BUYER,
    CREATE,
    RESUBMIT,
    as_customer,
    ask,
    paid_days_ago,
    paid_payment,
)

pytestmark = pytest.mark.django_db
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
TICKET_KEYS = {
    "id", "type", "status", "subjectId", "submitterId", "submitterType", "currentVersionId",
    "reviewerId", "reviewedAt", "reviewNote", "rejectReason", "executedAt", "metadata",
    "refundTicketMerchantExternalId", "versionNumber", "versionData", "createdAt", "updatedAt",
}  # fmt: skip


@pytest.fixture
def payment(product):
    return paid_payment(product)


@pytest.fixture
def customer(client, store):
    return as_customer(client, store)


def refused(response, status: int, message: str) -> None:
    assert response.status_code == status, response.content
    assert response.json() == {"data": None, "errors": [{"message": message, "layer": "ticket"}]}


def test_a_buyer_asks_for_a_refund_and_the_ticket_waits_for_review(customer, payment):
    body = ask(payment, "10.00", metadata={"channel": "help-center"})
    response = customer(CREATE, {**body, "refundTicketMerchantExternalId": "RT-1"})

    assert response.status_code == 200, response.content
    ticket = response.json()["data"]["ticket"]
    assert set(ticket) == TICKET_KEYS
    assert ticket["id"].startswith("TKT_")
    assert (ticket["type"], ticket["status"]) == ("refund", "pending")
    assert (ticket["subjectId"], ticket["submitterType"]) == (payment.public_id, "customer")
    assert ticket["submitterId"] == BUYER
    assert ticket["currentVersionId"].startswith("TKV_")
    assert (ticket["versionNumber"], ticket["metadata"]) == (1, {"channel": "help-center"})
    assert ticket["versionData"] == {
        "reason": "Not as described",
        "requestedAmount": {"amount": "10.00", "currency": "USD"},
    }
    assert ticket["refundTicketMerchantExternalId"] == "RT-1"
    assert [ticket[k] for k in ("reviewerId", "reviewedAt", "reviewNote", "rejectReason")] == [
        None
    ] * 4
    assert ticket["executedAt"] is None
    assert ISO_UTC.fullmatch(ticket["createdAt"]) and ISO_UTC.fullmatch(ticket["updatedAt"])
    assert not Refund.objects.exists()


def test_the_merchants_ticket_is_approved_at_once_and_processing(api, payment):
    response = api.post(CREATE, ask(payment, "34.51"))

    assert response.status_code == 200, response.content
    ticket = response.json()["data"]["ticket"]
    assert (ticket["status"], ticket["submitterType"]) == ("processing", "merchant")
    assert ticket["submitterId"] == api.merchant_id
    assert ticket["reviewerId"] == api.merchant_id
    assert ISO_UTC.fullmatch(ticket["reviewedAt"])
    refund = Refund.objects.get()
    assert (refund.amount_minor, refund.tax_minor, refund.status) == (3451, 551, "processing")


def test_a_payment_outside_the_refund_window_is_refused(customer, payment, settings):
    settings.REFUND_WINDOW_DAYS = 14
    paid_days_ago(payment, 14.01)

    response = customer(CREATE, ask(payment, "1.00"))

    refused(response, 400, "The refund window of 14 days for this payment has closed")
    assert not RefundTicket.objects.exists()


def test_a_payment_inside_the_window_may_be_refunded(customer, payment):
    paid_days_ago(payment, 13.9)

    assert customer(CREATE, ask(payment, "1.00")).status_code == 200


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("0.00", "USD", "requestedAmount.amount must be greater than zero"),
        ("0", "USD", "requestedAmount.amount must be greater than zero"),
        ("-1.00", "USD", 'Invalid requestedAmount.amount for USD: "-1.00"'),
        ("1.001", "USD", 'Invalid requestedAmount.amount for USD: "1.001"'),
        ("1,00", "USD", 'Invalid requestedAmount.amount for USD: "1,00"'),
        ("34.52", "USD", "requestedAmount.amount exceeds what is left to refund on this "
         "payment (34.51 USD)"),
        ("10.00", "EUR", "requestedAmount.currency must be the payment's currency (USD)"),
        ("10.00", "usd", "requestedAmount.currency must be the payment's currency (USD)"),
    ],
)  # fmt: skip
def test_amounts_the_payment_cannot_give_back_are_refused(
    customer, payment, amount, currency, message
):
    refused(customer(CREATE, ask(payment, amount, currency=currency)), 400, message)
    assert not RefundTicket.objects.exists()


def test_the_minor_units_are_the_payments_currency(client, store):
    payment = paid_payment(ProductFactory(store=store), currency="JPY")
    customer = as_customer(client, store)

    refused(
        customer(CREATE, ask(payment, "100.5")),
        400,
        'Invalid requestedAmount.amount for JPY: "100.5"',
    )
    assert customer(CREATE, ask(payment, "100")).status_code == 200


def test_what_was_refunded_already_is_not_refundable_again(api, customer, payment):
    api.post(CREATE, ask(payment, "30.00"))  # under way: counts as spent

    refused(
        customer(CREATE, ask(payment, "4.52")),
        400,
        "requestedAmount.amount exceeds what is left to refund on this payment (4.51 USD)",
    )


def test_only_a_succeeded_payment_can_be_refunded(client, store, product):
    session = make_session(product=product, buyerEmail="buyer@example.com")
    failed = checkout_pay(
        session=session, billing=billing("DE"), card=declined_card(), buyer_identity=BUYER
    ).payment

    response = as_customer(client, store)(CREATE, ask(failed, "1.00"))

    refused(response, 400, "Only a succeeded payment can be refunded")


def test_one_open_ticket_per_payment(customer, payment):
    assert customer(CREATE, ask(payment, "5.00")).status_code == 200

    refused(
        customer(CREATE, ask(payment, "1.00")),
        409,
        "An open refund ticket already exists for this payment",
    )
    assert RefundTicket.objects.count() == 1


def test_a_decided_ticket_no_longer_blocks_a_new_one(customer, payment):
    first = customer(CREATE, ask(payment, "5.00")).json()["data"]["ticket"]
    refund_ticket_review(
        ticket_id=RefundTicket.objects.get().pk, decision="reject", reviewer_id="staff",
        reason="Used for a month",
    )  # fmt: skip

    second = customer(CREATE, ask(payment, "1.00"))

    assert second.status_code == 200
    assert second.json()["data"]["ticket"]["id"] != first["id"]


@pytest.mark.parametrize("who", ["stranger", "other_store", "prod"])
def test_a_buyer_reaches_only_payments_of_its_own_orders(client, store, payment, who):
    caller = {
        "stranger": as_customer(client, store, identity="user-42"),
        "other_store": as_customer(client, StoreFactory(owner=store.memberships.get().merchant)),
        "prod": as_customer(client, store, environment="prod"),
    }[who]

    refused(caller(CREATE, ask(payment, "1.00")), 404, "Payment not found")


def test_a_merchant_reaches_only_payments_of_its_own_stores(api, client):
    other = paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))

    refused(api.post(CREATE, ask(other, "1.00")), 404, "Payment not found")
    assert not RefundTicket.objects.exists()


def test_a_merchant_reaches_only_its_keys_environment(prod_api, payment):
    refused(prod_api.post(CREATE, ask(payment, "1.00")), 404, "Payment not found")


def test_an_anonymous_buyers_order_is_nobodys_to_refund(client, store, product):
    payment = paid_payment(product, identity="")

    refused(
        as_customer(client, store, identity="")(CREATE, ask(payment, "1.00")),
        404,
        "Payment not found",
    )


@pytest.mark.parametrize("path", [CREATE, RESUBMIT])
def test_a_store_slug_or_nothing_is_not_a_credential_here(client, store, payment, path):
    slug = {"X-Store-Slug": store.slug, "X-Environment": "test"}
    for headers in (slug, {}):
        response = client.post(
            path, ask(payment, "1.00"), content_type="application/json", headers=headers
        )
        assert response.status_code == 401
        assert response.json()["errors"][0]["message"] == "Unauthorized"
    assert not RefundTicket.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"paymentId": None}, "Missing required field: paymentId"),
        ({"paymentId": "ORD_1"}, 'Expected format: PAY_xxx, got "ORD_1"'),
        ({"reason": ""}, "Missing required field: reason"),
        ({"reason": "   "}, "Missing required field: reason"),
        ({"reason": 7}, "Missing required field: reason"),
        ({"requestedAmount": None}, "Missing required field: requestedAmount"),
        ({"requestedAmount": "10.00"}, "requestedAmount must be an object with amount and currency"),
        ({"requestedAmount": {"amount": 10, "currency": "USD"}}, "Missing required field: requestedAmount.amount"),
        ({"requestedAmount": {"amount": "1.00"}}, "Missing required field: requestedAmount.currency"),
        ({"metadata": ["x"]}, "metadata must be an object"),
        ({"refundTicketMerchantExternalId": "x" * 129},
         "refundTicketMerchantExternalId must be a string of at most 128 characters"),
    ],
)  # fmt: skip
def test_malformed_requests_are_refused_and_change_nothing(customer, payment, change, message):
    body = {**ask(payment, "1.00"), **change}
    body = {key: value for key, value in body.items() if value is not None}

    refused(customer(CREATE, body), 400, message)
    assert not RefundTicket.objects.exists()


# --- resubmitting ---------------------------------------------------------------------------


def _rejected(customer, payment) -> dict:
    ticket = customer(CREATE, ask(payment, "20.00", refundTicketMerchantExternalId="RT-9"))
    ticket = ticket.json()["data"]["ticket"]
    refund_ticket_review(
        ticket_id=RefundTicket.objects.get().pk, decision="reject", reviewer_id="staff",
        reason="Please say what is wrong",
    )  # fmt: skip
    return ticket


def test_a_rejected_ticket_is_resubmitted_as_a_new_version(customer, payment):
    first = _rejected(customer, payment)
    body = {"ticketId": first["id"], **ask(payment, "12.50", reason="It arrived broken")}

    response = customer(RESUBMIT, body)

    assert response.status_code == 200, response.content
    ticket = response.json()["data"]["ticket"]
    assert (ticket["id"], ticket["status"], ticket["versionNumber"]) == (first["id"], "pending", 2)
    assert ticket["refundTicketMerchantExternalId"] == "RT-9"
    assert ticket["currentVersionId"] != first["currentVersionId"]
    assert ticket["versionData"] == {
        "reason": "It arrived broken",
        "requestedAmount": {"amount": "12.50", "currency": "USD"},
    }
    assert ticket["rejectReason"] is None and ticket["reviewedAt"] is None
    assert RefundTicket.objects.get().versions.count() == 2


@pytest.mark.parametrize("status", ["pending", "processing"])
def test_only_a_rejected_ticket_can_be_resubmitted(api, customer, payment, status):
    if status == "pending":
        ticket = customer(CREATE, ask(payment, "2.00")).json()["data"]["ticket"]
    else:
        ticket = api.post(CREATE, ask(payment, "2.00")).json()["data"]["ticket"]
    body = {"ticketId": ticket["id"], **ask(payment, "3.00")}

    refused(customer(RESUBMIT, body), 400, "Only a rejected refund ticket can be resubmitted")
    assert RefundTicket.objects.get().versions.count() == 1


def test_a_resubmission_names_the_tickets_own_payment(customer, product, payment):
    ticket = _rejected(customer, payment)
    other = paid_payment(product)

    response = customer(RESUBMIT, {"ticketId": ticket["id"], **ask(other, "1.00")})

    refused(response, 400, "paymentId is not the payment of this refund ticket")


def test_a_resubmission_follows_the_same_amount_rules(customer, payment):
    ticket = _rejected(customer, payment)

    response = customer(RESUBMIT, {"ticketId": ticket["id"], **ask(payment, "0.00")})

    refused(response, 400, "requestedAmount.amount must be greater than zero")
    assert RefundTicket.objects.get().status == RefundTicketStatus.REJECTED


def test_another_buyers_ticket_is_not_found(client, store, customer, payment):
    ticket = _rejected(customer, payment)
    stranger = as_customer(client, store, identity="user-42")

    response = stranger(RESUBMIT, {"ticketId": ticket["id"], **ask(payment, "1.00")})

    refused(response, 404, "Refund ticket not found")


def test_the_merchant_cannot_resubmit_for_the_buyer(api, customer, payment):
    ticket = _rejected(customer, payment)

    response = api.post(RESUBMIT, {"ticketId": ticket["id"], **ask(payment, "1.00")})

    assert response.status_code == 401
    assert Payment.objects.count() == 1
