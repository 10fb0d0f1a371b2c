"""The bundled test processor and its database ledger (payments.processors.sandbox)."""

import threading
import uuid
from datetime import date

import pytest
from django.db import connection

from payments.cards import (
    DECLINED_CARD,
    DECLINES_OFF_SESSION_CARD,
    INSUFFICIENT_FUNDS_CARD,
    SUCCESS_CARD,
    parse_card,
)
from payments.models import LedgerStatus, SandboxCard, SandboxCharge
from payments.processors import processor_for
from payments.processors.base import ChargeResult, ChargeStatus, IdempotencyMismatch
from payments.processors.sandbox import SimulatedCrash, TestCardProcessor
from payments.processors.unconfigured import UnconfiguredProcessor

pytestmark = pytest.mark.django_db


def key() -> str:
    return f"PAY_test_{uuid.uuid4().hex}"


def card(number: str = SUCCESS_CARD):
    cvc = "1234" if number.startswith(("34", "37")) else "123"  # Amex prints four digits
    return parse_card(number=number, expiry="12/34", cvc=cvc, today=date(2030, 1, 1))


def charge(number: str, idempotency_key: str, amount_minor: int = 2900, **extra) -> ChargeResult:
    return TestCardProcessor().charge(
        amount_minor=amount_minor,
        currency="USD",
        card=card(number),
        idempotency_key=idempotency_key,
        **extra,
    )


def test_success_card_succeeds_with_a_reference_in_the_ledger():
    idempotency_key = key()

    result = charge(SUCCESS_CARD, idempotency_key)

    assert result.status == ChargeStatus.SUCCEEDED and result.succeeded
    assert result.reference.startswith("tch_")
    entry = SandboxCharge.objects.get(idempotency_key=idempotency_key)
    assert (entry.status, entry.amount_minor, entry.currency) == ("succeeded", 2900, "USD")
    assert (entry.card_brand, entry.card_last4) == ("visa", "4242")
    assert SUCCESS_CARD not in str(entry.__dict__)  # the number is never stored


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        (DECLINED_CARD, "card_declined", "Your card was declined."),
        (INSUFFICIENT_FUNDS_CARD, "insufficient_funds", "Your card has insufficient funds."),
        ("5000000000000009", "card_declined", "Your card was declined."),  # unknown brand
    ],
)
def test_declines(number, code, message):
    result = charge(number, key())

    assert (result.status, result.failure_code, result.failure_message) == (
        ChargeStatus.FAILED,
        code,
        message,
    )


@pytest.mark.parametrize("number", ["5555555555554444", "378282246310005", "6011111111111117"])
def test_other_cards_of_known_brands_succeed(number):
    assert charge(number, key()).succeeded is True


def test_a_repeated_key_returns_the_first_answer_from_any_instance():
    idempotency_key = key()

    first = charge(INSUFFICIENT_FUNDS_CARD, idempotency_key)
    again = charge(INSUFFICIENT_FUNDS_CARD, idempotency_key)

    assert again == first
    assert SandboxCharge.objects.filter(idempotency_key=idempotency_key).count() == 1


def test_a_key_used_again_with_other_card_details_is_refused():
    """As Stripe answers idempotency_error: a key is bound to the request it first carried."""
    idempotency_key = key()
    charge(DECLINED_CARD, idempotency_key)

    with pytest.raises(IdempotencyMismatch):
        charge(SUCCESS_CARD, idempotency_key)
    with pytest.raises(IdempotencyMismatch):
        charge(DECLINED_CARD, idempotency_key, amount_minor=1)
    assert SandboxCharge.objects.get(idempotency_key=idempotency_key).status == "failed"


def test_lookup_by_key_or_reference():
    idempotency_key = key()
    result = charge(SUCCESS_CARD, idempotency_key)
    processor = TestCardProcessor()

    assert processor.lookup(idempotency_key=idempotency_key) == result
    assert processor.lookup(reference=result.reference) == result
    assert processor.lookup(idempotency_key=key()) is None
    assert processor.lookup() is None


def test_a_voided_key_can_never_charge():
    idempotency_key = key()
    processor = TestCardProcessor()

    voided = processor.void(idempotency_key=idempotency_key)
    late = charge(SUCCESS_CARD, idempotency_key)

    assert voided.status == ChargeStatus.CANCELED
    assert late.status == ChargeStatus.CANCELED
    assert processor.lookup(idempotency_key=idempotency_key).status == ChargeStatus.CANCELED
    assert not SandboxCharge.objects.filter(status=LedgerStatus.SUCCEEDED).exists()


def test_voiding_a_key_that_charged_returns_the_charge():
    idempotency_key = key()
    charged = charge(SUCCESS_CARD, idempotency_key)

    assert TestCardProcessor().void(idempotency_key=idempotency_key) == charged


def test_told_to_crash_it_charges_and_then_fails(settings):
    settings.TEST_PROCESSOR_CRASH_AFTER_CHARGE = True
    idempotency_key = key()

    with pytest.raises(SimulatedCrash):
        charge(SUCCESS_CARD, idempotency_key)

    assert TestCardProcessor().lookup(idempotency_key=idempotency_key).succeeded
    # Asking again is a replay, not a new charge: no second crash, the same answer.
    assert charge(SUCCESS_CARD, idempotency_key).succeeded


def test_a_card_saved_for_later_is_charged_off_session():
    first = charge(SUCCESS_CARD, key(), save_for_later=True)
    saved = first.saved_method
    processor = TestCardProcessor()

    renewal_key = key()
    renewal = processor.charge_saved(
        method_token=saved.token, amount_minor=1500, currency="USD", idempotency_key=renewal_key
    )
    replay = processor.charge_saved(
        method_token=saved.token, amount_minor=1500, currency="USD", idempotency_key=renewal_key
    )

    assert (saved.brand, saved.last4, saved.exp_month, saved.exp_year) == ("visa", "4242", 12, 2034)
    assert saved.token.startswith("tcard_")
    assert renewal.succeeded and replay == renewal
    assert SandboxCard.objects.get().behaviour == "succeeds"
    assert SandboxCharge.objects.filter(saved_card__token=saved.token).count() == 2


def test_a_declined_card_is_not_saved():
    assert charge(DECLINED_CARD, key(), save_for_later=True).saved_method is None
    assert not SandboxCard.objects.exists()


def test_a_card_that_declines_off_session_pays_now_and_declines_later():
    first = charge(DECLINES_OFF_SESSION_CARD, key(), save_for_later=True)

    later = TestCardProcessor().charge_saved(
        method_token=first.saved_method.token,
        amount_minor=2900,
        currency="USD",
        idempotency_key=key(),
    )

    assert first.succeeded
    assert (later.status, later.failure_code) == (ChargeStatus.FAILED, "card_declined")


def test_an_unknown_saved_method_is_declined():
    result = TestCardProcessor().charge_saved(
        method_token="tcard_nope", amount_minor=100, currency="USD", idempotency_key=key()
    )

    assert result.status == ChargeStatus.FAILED


def test_partial_and_full_refunds_within_what_was_charged():
    result = charge(SUCCESS_CARD, key(), amount_minor=1000)
    processor = TestCardProcessor()
    first_key = key()

    partial = processor.refund(
        reference=result.reference, amount_minor=300, idempotency_key=first_key
    )
    replay = processor.refund(
        reference=result.reference, amount_minor=300, idempotency_key=first_key
    )
    too_much = processor.refund(reference=result.reference, amount_minor=701, idempotency_key=key())
    rest = processor.refund(reference=result.reference, amount_minor=700, idempotency_key=key())

    assert partial.succeeded and partial.reference.startswith("tre_") and replay == partial
    assert (too_much.succeeded, too_much.failure_code) == (False, "amount_too_large")
    assert rest.succeeded
    assert SandboxCharge.objects.get(reference=result.reference).refunded_minor == 1000


def test_refunds_of_unknown_or_failed_charges_are_refused():
    failed = charge(DECLINED_CARD, key())
    processor = TestCardProcessor()

    assert not processor.refund(
        reference="tch_nope", amount_minor=1, idempotency_key=key()
    ).succeeded
    assert not processor.refund(
        reference=failed.reference, amount_minor=1, idempotency_key=key()
    ).succeeded


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_charges_with_one_key_make_one_ledger_row():
    idempotency_key = key()
    barrier = threading.Barrier(12)
    results: list[ChargeResult] = []
    lock = threading.Lock()

    def fire():
        try:
            barrier.wait()
            result = charge(SUCCESS_CARD, idempotency_key)
            with lock:
                results.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=fire) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert len(results) == 12 and len(set(results)) == 1
    assert SandboxCharge.objects.filter(idempotency_key=idempotency_key).count() == 1


def test_unconfigured_processor_refuses_every_charge():
    result = UnconfiguredProcessor().charge(
        amount_minor=2900, currency="USD", card=card(), idempotency_key=key()
    )

    assert (result.status, result.failure_code, result.failure_message) == (
        ChargeStatus.FAILED,
        "processor_unavailable",
        "Payments are not available right now.",
    )
    assert UnconfiguredProcessor().lookup(idempotency_key=key()) is None


def test_processor_for_imports_the_configured_class(settings):
    settings.PAYMENT_PROCESSORS = {
        "test": "payments.processors.sandbox.TestCardProcessor",
        "prod": "payments.processors.unconfigured.UnconfiguredProcessor",
    }

    assert isinstance(processor_for("test"), TestCardProcessor)
    assert isinstance(processor_for("prod"), UnconfiguredProcessor)
