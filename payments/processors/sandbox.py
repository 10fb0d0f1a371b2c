"""The bundled test processor: a card network's sandbox with a ledger in the database.

Documented card numbers decide the outcome. Every charge is a ledger row whose unique
idempotency key is the exactly-once guarantee, across web processes and restarts alike;
the full card number is never stored (a saved card keeps only how it will answer).
Tests can tell it to fail right after charging (``TEST_PROCESSOR_CRASH_AFTER_CHARGE``), which
is what a web process killed between "charge" and "record" looks like.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction

from payments.cards import (
    DECLINED_CARD,
    DECLINES_OFF_SESSION_CARD,
    INSUFFICIENT_FUNDS_CARD,
    SUCCESS_CARD,
    Card,
)
from payments.models import LedgerStatus, SandboxCard, SandboxCharge, SandboxRefund
from payments.processors.base import (
    ChargeResult,
    ChargeStatus,
    IdempotencyMismatch,
    RefundResult,
    SavedMethod,
    SaveResult,
)

SUCCEEDS = "succeeds"
DECLINES_OFF_SESSION = "declines_off_session"
DECLINES = {
    "card_declined": "Your card was declined.",
    "insufficient_funds": "Your card has insufficient funds.",
}


class SimulatedCrash(Exception):
    """Raised after a charge was committed to the ledger, before anyone could record it."""


def _behaviour(card: Card) -> str:
    if card.number == DECLINED_CARD:
        return "card_declined"
    if card.number == INSUFFICIENT_FUNDS_CARD:
        return "insufficient_funds"
    if card.number == DECLINES_OFF_SESSION_CARD:
        return DECLINES_OFF_SESSION
    if card.number == SUCCESS_CARD or card.brand != "card":
        return SUCCEEDS
    return "card_declined"


def _ledger_row(
    *,
    decline: str,
    amount_minor: int,
    currency: str,
    fingerprint: str,
    brand: str,
    last4: str,
    saved: SandboxCard | None,
) -> SandboxCharge:
    """An unsaved ledger row: a success, or the decline ``decline`` names."""
    return SandboxCharge(
        status=LedgerStatus.FAILED if decline else LedgerStatus.SUCCEEDED,
        amount_minor=amount_minor,
        currency=currency,
        request_fingerprint=fingerprint,
        card_brand=brand,
        card_last4=last4,
        failure_code=decline,
        failure_message=DECLINES.get(decline, ""),
        saved_card=saved,
    )


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def _result(entry: SandboxCharge) -> ChargeResult:
    if entry.status == LedgerStatus.VOIDED:
        return ChargeResult(ChargeStatus.CANCELED, entry.reference)
    saved = entry.saved_card
    return ChargeResult(
        ChargeStatus(entry.status),
        entry.reference,
        entry.failure_code,
        entry.failure_message,
        SavedMethod(saved.token, saved.brand, saved.last4, saved.exp_month, saved.exp_year)
        if saved is not None
        else None,
    )


class TestCardProcessor:
    """Outcomes by card number, like a sandbox; answers are kept per idempotency key."""

    __test__ = False  # not a pytest class
    name = "test"
    page = None  # the hosted page takes the card in its own form

    def prepare(self, **kwargs) -> ChargeResult:
        """Nothing to register first: the ledger row is written by ``charge``."""
        return ChargeResult(ChargeStatus.PENDING)

    def charge(
        self,
        *,
        amount_minor: int,
        currency: str,
        card: Card,
        idempotency_key: str,
        save_for_later: bool = False,
        reference: str = "",
    ) -> ChargeResult:
        fingerprint = _fingerprint(
            amount_minor, currency, card.number, card.exp_month, card.exp_year
        )
        behaviour = _behaviour(card)
        pays_now = behaviour in (SUCCEEDS, DECLINES_OFF_SESSION)

        def make() -> SandboxCharge:
            saved = None
            if save_for_later and pays_now:
                saved = SandboxCard.objects.create(
                    token=f"tcard_{secrets.token_hex(12)}",
                    brand=card.brand,
                    last4=card.last4,
                    exp_month=card.exp_month,
                    exp_year=card.exp_year,
                    behaviour=behaviour,
                )
            return _ledger_row(
                decline="" if pays_now else behaviour,
                amount_minor=amount_minor,
                currency=currency,
                fingerprint=fingerprint,
                brand=card.brand,
                last4=card.last4,
                saved=saved,
            )

        entry, created = self._entry(idempotency_key, fingerprint, make)
        if created and settings.TEST_PROCESSOR_CRASH_AFTER_CHARGE:
            raise SimulatedCrash(f"charged {idempotency_key}, then the process died")
        return _result(entry)

    def charge_saved(
        self, *, method_token: str, amount_minor: int, currency: str, idempotency_key: str
    ) -> ChargeResult:
        card = SandboxCard.objects.filter(token=method_token).first()
        fingerprint = _fingerprint(amount_minor, currency, method_token)
        if card is None or card.behaviour == DECLINES_OFF_SESSION:
            decline = "card_declined"
        else:
            decline = "" if card.behaviour == SUCCEEDS else card.behaviour
        entry, _ = self._entry(
            idempotency_key,
            fingerprint,
            lambda: _ledger_row(
                decline=decline,
                amount_minor=amount_minor,
                currency=currency,
                fingerprint=fingerprint,
                brand=card.brand if card else "",
                last4=card.last4 if card else "",
                saved=card,
            ),
        )
        return _result(entry)

    def save_method(self, *, card: Card, idempotency_key: str) -> SaveResult:
        """A card kept the way ``charge`` keeps one, without a charge: a declined card is
        refused (as a card check refuses it); any other keeps how it will answer later. The
        token follows from the key, so asking twice keeps one card."""
        behaviour = _behaviour(card)
        if behaviour == "card_declined":
            return SaveResult(None, behaviour, DECLINES[behaviour])
        token = "tcard_" + _fingerprint("save", idempotency_key)[:24]
        saved, _ = SandboxCard.objects.get_or_create(
            token=token,
            defaults={
                "brand": card.brand,
                "last4": card.last4,
                "exp_month": card.exp_month,
                "exp_year": card.exp_year,
                "behaviour": behaviour,
            },
        )
        return SaveResult(
            SavedMethod(saved.token, saved.brand, saved.last4, saved.exp_month, saved.exp_year)
        )

    def lookup(self, *, idempotency_key: str = "", reference: str = "") -> ChargeResult | None:
        if not idempotency_key and not reference:
            return None
        entries = SandboxCharge.objects.select_related("saved_card")
        if idempotency_key:
            entries = entries.filter(idempotency_key=idempotency_key)
        if reference:
            entries = entries.filter(reference=reference)
        entry = entries.first()
        return _result(entry) if entry is not None else None

    def void(self, *, idempotency_key: str, reference: str = "") -> ChargeResult:
        entry, _ = self._entry(
            idempotency_key,
            None,
            lambda: SandboxCharge(
                status=LedgerStatus.VOIDED, amount_minor=0, currency="", request_fingerprint=""
            ),
        )
        return _result(entry)

    def refund(self, *, reference: str, amount_minor: int, idempotency_key: str) -> RefundResult:
        with transaction.atomic():
            charge = SandboxCharge.objects.select_for_update().filter(reference=reference).first()
            done = SandboxRefund.objects.filter(idempotency_key=idempotency_key).first()
            if done is not None:
                return RefundResult(True, done.reference, done.amount_minor)
            if charge is None or charge.status != LedgerStatus.SUCCEEDED:
                return RefundResult(False, "", 0, "charge_not_found", "No such charge.")
            if not 0 < amount_minor <= charge.amount_minor - charge.refunded_minor:
                return RefundResult(
                    False, "", 0, "amount_too_large", "Refund exceeds what is left to refund."
                )
            refund = SandboxRefund.objects.create(
                charge=charge,
                idempotency_key=idempotency_key,
                reference=f"tre_{secrets.token_hex(12)}",
                amount_minor=amount_minor,
            )
            charge.refunded_minor += amount_minor
            charge.save(update_fields=["refunded_minor"])
        return RefundResult(True, refund.reference, amount_minor)

    @staticmethod
    def _entry(idempotency_key: str, fingerprint: str | None, make) -> tuple[SandboxCharge, bool]:
        """The ledger row of ``idempotency_key``: the existing one, or ``make()``'s, inserted.
        The unique key decides a race between processes: the loser reads the winner's row.
        An existing charge made for another request (``fingerprint``) is refused."""
        entry, created = TestCardProcessor._insert_once(idempotency_key, make)
        if (
            fingerprint is not None
            and entry.status != LedgerStatus.VOIDED
            and entry.request_fingerprint != fingerprint
        ):
            raise IdempotencyMismatch(
                "Keys for idempotent requests can only be used with the same parameters"
            )
        return entry, created

    @staticmethod
    def _insert_once(idempotency_key: str, make) -> tuple[SandboxCharge, bool]:
        # speed (issue 18): a key is nearly always new (it is a new payment's ID), so the
        # row is inserted straight away; the unique key finds the rare repeat, whose row is
        # then read (and anything ``make`` wrote for it is rolled back with the insert).
        try:
            with transaction.atomic():
                entry = make()
                entry.idempotency_key = idempotency_key
                entry.reference = f"tch_{secrets.token_hex(12)}"
                entry.save(force_insert=True)
                return entry, True
        except IntegrityError:
            return (
                SandboxCharge.objects.select_related("saved_card").get(
                    idempotency_key=idempotency_key
                ),
                False,
            )
