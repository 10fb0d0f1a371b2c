"""The one interface every payment processor implements, and the answers it gives.

Payments never hold a transaction open around a processor call. Every call that moves
money carries an idempotency key, so asking twice never charges twice, and every outcome
can be asked for again later by that key: that is how a charge whose answer was lost (a
crashed web process, a database error while recording) is found and recorded.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from payments.cards import Card


class ChargeStatus(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    # Never charged and never chargeable under this key again (see ``void``).
    CANCELED = "canceled"
    # Still in the processor's hands (e.g. the buyer is authenticating): ask again later.
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class BrowserMethod:
    """A card the processor's own script collected in the buyer's browser (Stripe.js: a
    ``tok_…`` or ``pm_…``): the processor's token, never a card number."""

    token: str
    brand: str = ""
    last4: str = ""


@dataclass(frozen=True, slots=True)
class SavedMethod:
    """A card the processor keeps for later off-session charges."""

    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True, slots=True)
class ChargeResult:
    status: ChargeStatus
    reference: str = ""
    failure_code: str = ""
    failure_message: str = ""
    saved_method: SavedMethod | None = None
    # A PENDING payment the buyer must still confirm in the browser (3-D Secure): the
    # processor's client secret for its script. Never a way to learn the outcome.
    client_secret: str = ""
    # What the processor says was charged, when the card never passed through us.
    card_brand: str = ""
    card_last4: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status == ChargeStatus.SUCCEEDED

    @property
    def final(self) -> bool:
        return self.status != ChargeStatus.PENDING


@dataclass(frozen=True, slots=True)
class SaveResult:
    """A card saved for later off-session charges without charging it now (a buyer's new
    card for their subscription), or why the processor refused it."""

    method: SavedMethod | None
    failure_code: str = ""
    failure_message: str = ""


@dataclass(frozen=True, slots=True)
class RefundResult:
    succeeded: bool
    reference: str = ""
    amount_minor: int = 0
    failure_code: str = ""
    failure_message: str = ""


class ProcessorError(Exception):
    """The processor could not be reached or answered nonsense: the outcome is unknown, so
    the payment stays pending until the reconciler asks again."""


class IdempotencyMismatch(ProcessorError):
    """The key was used before for a different request (another amount or card)."""


class PaymentProcessor(Protocol):
    name: str

    def prepare(
        self,
        *,
        amount_minor: int,
        currency: str,
        card: Card | BrowserMethod,
        idempotency_key: str,
        save_for_later: bool = False,
    ) -> ChargeResult:
        """Register the charge before anything can move money (Stripe: the PaymentIntent).
        PENDING with the ``reference`` to store on the payment before ``charge`` (may be
        empty), or a final answer (a card refused before any charge)."""

    def charge(
        self,
        *,
        amount_minor: int,
        currency: str,
        card: Card | BrowserMethod,
        idempotency_key: str,
        save_for_later: bool = False,
        reference: str = "",
    ) -> ChargeResult:
        """Charge the card once per key; a repeat returns the first answer. PENDING with a
        ``client_secret`` when the buyer must still authenticate in the browser."""

    def charge_saved(
        self, *, method_token: str, amount_minor: int, currency: str, idempotency_key: str
    ) -> ChargeResult:
        """Charge a saved method with nobody present (renewals), once per key."""

    def save_method(self, *, card: Card | BrowserMethod, idempotency_key: str) -> SaveResult:
        """Keep a card for off-session charges without charging it, once per key."""

    def lookup(self, *, idempotency_key: str = "", reference: str = "") -> ChargeResult | None:
        """What became of a charge, by its key or the processor's reference; None when the
        processor never heard of it."""

    def void(self, *, idempotency_key: str, reference: str = "") -> ChargeResult:
        """Make sure a key never charges from now on. Returns the charge's outcome when one
        already happened under it, else a CANCELED result."""

    def refund(self, *, reference: str, amount_minor: int, idempotency_key: str) -> RefundResult:
        """Give back part or all of a succeeded charge, once per key."""
