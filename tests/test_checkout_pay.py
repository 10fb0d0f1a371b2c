"""payments.services.checkout_pay: paying a checkout once, its order, tax and failures
(runs on SQLite and PostgreSQL)."""

from decimal import Decimal

import pytest

from catalog.models import ProductType
from checkout.models import SessionStatus
from checkout.pricing import quote
from checkout.services import SESSION_COMPLETED as ALREADY_COMPLETED
from checkout.services import SessionExpired
from core.errors import BadRequest, Conflict
from orders.models import Order, OrderStatus
from orders.services import order_place
from payments.models import Payment, PaymentStatus, SandboxCharge
from payments.services import checkout_pay
from tests.checkout_factories import (
    billing,
    declined_card,
    expire,
    insufficient_funds_card,
    make_session,
    success_card,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
VALID_DE_VAT = "DE136695976"


# --- the happy path ------------------------------------------------------------------------


@pytest.fixture
def paid_in_eur(product, charges):
    """A German buyer pays 27.00 EUR net (+19 % VAT) for the product: session, billing."""
    session = make_session(
        product=product,
        currency="EUR",
        buyerEmail="  Buyer@Example.COM ",
        orderMerchantExternalId="ORDER-2026-00891",
        metadata={"campaign": "spring"},
    )
    detail = billing("DE", postcode="10115")
    outcome = checkout_pay(session=session, billing=detail, card=success_card())
    assert (outcome.succeeded, outcome.already_completed) == (True, False)
    assert (outcome.order, outcome.payment) == (Order.objects.get(), Payment.objects.get())
    return session, detail


def test_pay_onetime_completes_the_order_with_its_lines_and_tax(product, paid_in_eur):
    session, detail = paid_in_eur
    order = Order.objects.get()
    assert order.checkout_session_id == session.pk
    assert (order.store_id, order.environment) == (session.store_id, "test")
    (line,) = order.lines.all()
    assert (line.product_id, line.product_version_id) == (
        product.pk,
        session.line_items[0].product_version_id,
    )
    assert (line.subtotal_minor, line.tax_minor, line.total_minor) == (
        order.subtotal_minor,
        order.tax_minor,
        order.total_minor,
    )
    assert order.product_type == ProductType.ONETIME
    assert order.status == OrderStatus.COMPLETED
    assert order.completed_at is not None and order.canceled_at is None
    assert (order.buyer_email, order.buyer_identity) == ("buyer@example.com", "")
    assert order.billing_detail == {"country": "DE", "isBusiness": False, "postcode": "10115"}
    assert order.order_merchant_external_id == "ORDER-2026-00891"
    assert order.metadata == {"campaign": "spring"}
    # 27.00 EUR net, 19 % German VAT on top
    assert order.currency == "EUR"
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2700, 513, 3213)
    assert order.tax_rate == Decimal("19")
    assert (order.tax_name, order.tax_country, order.tax_region) == ("VAT", "DE", "")
    assert order.reverse_charge is False
    expected = quote(session=session, billing=detail)
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (
        expected.subtotal_minor,
        expected.tax_minor,
        expected.total_minor,
    )


def test_pay_onetime_records_one_charge_and_completes_the_session(paid_in_eur, charges):
    session, _ = paid_in_eur
    order, payment = Order.objects.get(), Payment.objects.get()
    assert payment.order == order
    assert payment.status == PaymentStatus.SUCCEEDED
    assert (payment.amount_minor, payment.currency) == (3213, "EUR")
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    ledger = SandboxCharge.objects.get(idempotency_key=payment.public_id)
    assert payment.processor_reference == ledger.reference
    assert (payment.processor, ledger.status, ledger.amount_minor) == ("test", "succeeded", 3213)
    assert (payment.failure_code, payment.failure_message) == ("", "")
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert session.completed_at == order.completed_at
    assert charges == [(payment.public_id, "4242424242424242", 3213)]


def test_pay_subscription_activates_order(store, charges):
    product = ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION)
    session = make_session(product=product, buyerEmail="sub@example.com")

    outcome = checkout_pay(session=session, billing=billing("FR"), card=success_card())

    order = outcome.order
    assert outcome.succeeded
    assert order.product_type == ProductType.SUBSCRIPTION
    assert order.status == OrderStatus.ACTIVE
    assert order.with_trial is False
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2900, 580, 3480)
    assert (order.tax_country, order.tax_rate) == ("FR", Decimal("20"))
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert len(charges) == 1


def test_pay_subscription_with_trial_charges_the_trial_price(store, charges):
    product = ProductFactory(
        store=store,
        product_type=ProductType.SUBSCRIPTION,
        metadata={"trialDays": 7},
        prices={"USD": {"amount": "9.99", "taxCategory": "saas", "trialAmount": "1.00"}},
    )
    session = make_session(product=product, buyerEmail="trial@example.com")
    line = session.line_items[0]
    assert (line.with_trial, line.trial_amount_minor, line.trial_days) == (True, 100, 7)

    outcome = checkout_pay(session=session, billing=billing("US", state="OR"), card=success_card())

    order = outcome.order
    assert order.status == OrderStatus.TRIALING  # its first full charge comes at trial end
    assert order.with_trial is True
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (100, 0, 100)
    assert (order.tax_country, order.tax_region, order.tax_name) == ("US", "OR", "")
    assert outcome.payment.amount_minor == 100
    assert charges[0][2] == 100


def test_price_override_keeps_the_trial_price_of_a_subscription(store):
    product = ProductFactory(
        store=store,
        product_type=ProductType.SUBSCRIPTION,
        metadata={"trialDays": 7},
        prices={"USD": {"amount": "9.99", "taxCategory": "saas", "trialAmount": "1.00"}},
    )
    session = make_session(
        product=product,
        buyerEmail="trial@example.com",
        priceSnapshot={"amount": "4.99", "taxCategory": "saas"},
    )
    line = session.line_items[0]
    assert (line.with_trial, line.unit_amount_minor, line.trial_amount_minor) == (True, 499, 100)

    outcome = checkout_pay(session=session, billing=billing("US", state="OR"), card=success_card())

    assert outcome.payment.amount_minor == 100


def test_us_buyer_stores_state_and_sales_tax(product):
    session = make_session(product=product, buyerEmail="wa@example.com")
    detail = billing("US", state="wa", postcode="98101")

    order = checkout_pay(session=session, billing=detail, card=success_card()).order

    # 29.00 USD + 6.5 % = 1.885 → 1.89 (half up, once)
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2900, 189, 3089)
    assert (order.tax_country, order.tax_region) == ("US", "WA")
    assert order.tax_name == "Sales tax"
    assert order.tax_rate == Decimal("6.5")
    assert order.billing_detail == {
        "country": "US",
        "isBusiness": False,
        "postcode": "98101",
        "state": "WA",
    }
    assert Payment.objects.get().amount_minor == 3089


def test_tax_included_price_keeps_the_gross(store):
    product = ProductFactory(
        store=store,
        prices={"EUR": {"amount": "27.00", "taxCategory": "digital_goods", "taxIncluded": True}},
    )
    session = make_session(product=product, currency="EUR", buyerEmail="gross@example.com")

    order = checkout_pay(session=session, billing=billing("DE"), card=success_card()).order

    # 27.00 gross at 19 %: tax = 2700 * 19 / 119 = 431.09 → 4.31
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2269, 431, 2700)
    assert Payment.objects.get().amount_minor == 2700


def test_eu_business_with_vat_number_is_reverse_charged(product):
    session = make_session(product=product, currency="EUR", buyerEmail="ap@acme.de")
    detail = billing("DE", isBusiness=True, businessName="Acme GmbH", taxId=VALID_DE_VAT)

    order = checkout_pay(session=session, billing=detail, card=success_card()).order

    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2700, 0, 2700)
    assert order.reverse_charge is True
    assert order.tax_name == "Reverse charge"
    assert order.billing_detail["taxId"] == VALID_DE_VAT


def test_price_override_is_what_the_order_charges(product):
    session = make_session(
        product=product,
        buyerEmail="deal@example.com",
        priceSnapshot={"amount": "4.99", "taxCategory": "saas", "taxIncluded": False},
    )

    order = checkout_pay(session=session, billing=billing("DE"), card=success_card()).order

    # 4.99 * 19 % = 0.9481 → 0.95
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (499, 95, 594)


def test_buyer_email_falls_back_to_the_session(product):
    session = make_session(product=product, buyerEmail="Prefilled@Example.com")

    order = checkout_pay(session=session, billing=billing(), card=success_card()).order

    assert order.buyer_email == "prefilled@example.com"


def test_buyer_email_given_at_payment_wins(product):
    session = make_session(product=product, buyerEmail="prefilled@example.com")

    order = checkout_pay(
        session=session, billing=billing(), card=success_card(), buyer_email="typed@example.com"
    ).order

    assert order.buyer_email == "typed@example.com"


def test_no_buyer_email_anywhere_is_refused(product, charges):
    session = make_session(product=product)

    with pytest.raises(BadRequest) as caught:
        checkout_pay(session=session, billing=billing(), card=success_card())

    assert caught.value.message == "Missing required field: buyerEmail"
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert charges == []


# --- failures and retries ------------------------------------------------------------------


def test_declined_then_retry_succeeds(product, charges):
    session = make_session(product=product, buyerEmail="retry@example.com")

    declined = checkout_pay(session=session, billing=billing(), card=declined_card())

    assert declined.succeeded is False
    assert declined.payment.status == PaymentStatus.FAILED
    assert declined.payment.failure_code == "card_declined"
    assert declined.payment.failure_message == "Your card was declined."
    assert (declined.payment.card_brand, declined.payment.card_last4) == ("visa", "0002")
    assert declined.payment.processor_reference.startswith("tch_")  # declines have an ID too
    declined.order.refresh_from_db()
    assert declined.order.status == OrderStatus.PENDING
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN

    paid = checkout_pay(session=session, billing=billing(), card=success_card())

    assert paid.succeeded is True
    assert paid.order.pk == declined.order.pk
    assert paid.payment.pk != declined.payment.pk
    assert Order.objects.count() == 1
    statuses = sorted(Payment.objects.values_list("status", flat=True))
    assert statuses == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]
    assert [key for key, _, _ in charges] == [declined.payment.public_id, paid.payment.public_id]
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_insufficient_funds(product):
    session = make_session(product=product, buyerEmail="broke@example.com")

    outcome = checkout_pay(session=session, billing=billing(), card=insufficient_funds_card())

    assert outcome.succeeded is False
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_code == "insufficient_funds"
    assert payment.failure_message == "Your card has insufficient funds."
    assert payment.card_last4 == "9995"
    assert Order.objects.get().status == OrderStatus.PENDING


def test_repeated_declines_each_leave_a_failed_payment(product, charges):
    session = make_session(product=product, buyerEmail="again@example.com")

    for _ in range(3):
        assert not checkout_pay(session=session, billing=billing(), card=declined_card()).succeeded

    assert Order.objects.count() == 1
    assert Payment.objects.filter(status=PaymentStatus.FAILED).count() == 3
    assert len({key for key, _, _ in charges}) == 3


def test_expired_session_cannot_be_paid(product, charges):
    session = expire(make_session(product=product, buyerEmail="late@example.com"))

    with pytest.raises(SessionExpired) as caught:
        checkout_pay(session=session, billing=billing(), card=success_card())

    assert caught.value.status == 410
    assert caught.value.message == "Checkout session has expired"
    assert caught.value.layer == "order"
    with pytest.raises(SessionExpired):
        order_place(session=session, billing=billing())
    assert not Order.objects.exists() and not Payment.objects.exists()
    assert charges == []


def test_session_expiring_after_a_decline_cannot_be_retried(product, charges):
    session = make_session(product=product, buyerEmail="late@example.com")
    checkout_pay(session=session, billing=billing(), card=declined_card())
    expire(session)

    with pytest.raises(SessionExpired):
        checkout_pay(session=session, billing=billing(), card=success_card())

    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert len(charges) == 1


def test_completed_session_returns_the_first_outcome(product, charges):
    session = make_session(product=product, buyerEmail="twice@example.com")
    first = checkout_pay(session=session, billing=billing(), card=success_card())

    again = checkout_pay(session=session, billing=billing("FR"), card=declined_card())

    assert again.already_completed is True
    assert again.succeeded is True
    assert again.order.pk == first.order.pk
    assert again.payment.pk == first.payment.pk
    assert Payment.objects.count() == 1
    assert Order.objects.count() == 1
    assert len(charges) == 1
    order = Order.objects.get()
    assert order.tax_country == "DE"  # the later billing did not touch the paid order


def test_completed_session_refuses_a_new_order(product):
    session = make_session(product=product, buyerEmail="twice@example.com")
    checkout_pay(session=session, billing=billing(), card=success_card())

    with pytest.raises(Conflict) as caught:
        order_place(session=session, billing=billing("FR"))

    assert (caught.value.status, caught.value.message) == (409, ALREADY_COMPLETED)
