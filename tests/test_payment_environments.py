"""Which processor charges which environment: prod refuses cleanly until one is configured,
and test never reaches prod's."""

import pytest

from checkout.models import SessionStatus
from checkout.services import SESSION_COMPLETED as ALREADY_COMPLETED
from orders import services
from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus
from payments.services import checkout_pay
from tests.checkout_factories import (
    billing,
    make_session,
    success_card,
)
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db
VALID_DE_VAT = "DE136695976"


# --- environments --------------------------------------------------------------------------


def test_prod_without_a_configured_processor_fails_the_payment(store, settings):
    settings.PAYMENT_PROCESSORS = {
        "test": "payments.processors.sandbox.TestCardProcessor",
        "prod": "payments.processors.unconfigured.UnconfiguredProcessor",
    }
    store.prod_enabled = True
    store.save(update_fields=["prod_enabled"])
    product = ProductFactory(store=store, publish=True)
    session = make_session(product=product, environment="prod", buyerEmail="p@example.com")

    outcome = checkout_pay(session=session, billing=billing(), card=success_card())

    assert outcome.succeeded is False
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_code == "processor_unavailable"
    assert payment.failure_message == "Payments are not available right now."
    order = Order.objects.get()
    assert (order.environment, order.status) == ("prod", OrderStatus.PENDING)
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_test_environment_never_reaches_the_prod_processor(product, settings, charges):
    settings.PAYMENT_PROCESSORS = {
        "test": "payments.processors.sandbox.TestCardProcessor",
        "prod": "payments.processors.unconfigured.UnconfiguredProcessor",
    }
    session = make_session(product=product, buyerEmail="p@example.com")

    assert checkout_pay(session=session, billing=billing(), card=success_card()).succeeded
    assert len(charges) == 1


def test_services_module_exports_the_contract_messages(settings):
    assert services.PAYMENT_IN_PROGRESS == "A payment for this checkout is already in progress"
    assert ALREADY_COMPLETED == "Checkout session is already completed"
    assert services.SESSION_CLOSED == "Checkout session is closed"
    assert settings.PAYMENT_RECONCILE_AFTER == 120
