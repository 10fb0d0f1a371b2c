"""Payments whose answer is lost, the way a web process that dies mid-payment loses it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import timezone

from checkout.billing import BillingDetail
from payments.cards import Card
from payments.models import Payment, PaymentStatus
from payments.processors.sandbox import SimulatedCrash, TestCardProcessor
from payments.services import checkout_pay
from tests.checkout_factories import billing, success_card


def lose_payment(
    *,
    session,
    charged: bool = True,
    card: Card | None = None,
    detail: BillingDetail | None = None,
    **buyer: str,
) -> Payment:
    """Pay ``session`` and die: after the processor charged (``charged``), or before the
    charge reached it. Returns the payment left pending. ``buyer``: ``buyer_identity``,
    ``buyer_email`` as ``checkout_pay`` takes them."""
    pay = {
        "session": session,
        "billing": detail or billing(),
        "card": card or success_card(),
        **buyer,
    }
    if charged:
        crashing = override_settings(TEST_PROCESSOR_CRASH_AFTER_CHARGE=True)
        with crashing, pytest.raises(SimulatedCrash):
            checkout_pay(**pay)
    else:
        died = SimulatedCrash("died before the processor saw it")
        lost = mock.patch.object(TestCardProcessor, "charge", side_effect=died)
        with lost, pytest.raises(SimulatedCrash):
            checkout_pay(**pay)
    return Payment.objects.get(order__checkout_session=session, status=PaymentStatus.PENDING)


def age(payment: Payment, *, seconds: float) -> None:
    """Make the pending payment look ``seconds`` old to the reconciler."""
    Payment.objects.filter(pk=payment.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )
