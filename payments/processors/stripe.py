"""Stripe as a payment processor, through the official library (PaymentIntents).

The hosted page's Stripe.js turns the card into a token at Stripe (``tok_…`` or ``pm_…``):
no card number reaches us. ``prepare`` creates the PaymentIntent (the payment's ID is its
idempotency key and ``metadata.payment_id``) and its ID is stored on the payment before
``charge`` confirms it. A card that needs 3-D Secure comes back ``requires_action``: the
payment stays PENDING with the intent's client secret and the buyer authenticates in the
browser; whatever the browser says, the outcome is read back here (``lookup``), by the
return URL, the webhook and the reconciler alike.

A free trial moves no money, and Stripe refuses a PaymentIntent of 0: its card is saved by
a SetupIntent instead (``seti_…`` as the payment's reference; confirmed, looked up and
voided the same way), which checks the card with the bank and keeps it for the first charge
at trial end.
"""

import contextlib

import stripe
from django.conf import settings

from payments.processors.base import (
    BrowserMethod,
    ChargeResult,
    ChargeStatus,
    ProcessorError,
    RefundResult,
    SavedMethod,
    SaveResult,
)
from payments.processors.stripe_config import StripePage

CANCELABLE = {"requires_payment_method", "requires_confirmation", "requires_action"}
IN_FLIGHT = {"requires_action", "processing", "requires_capture"}
UNUSABLE = ("card_unusable", "Your card could not be used. Please try another card.")
SETUP = "seti_"  # a SetupIntent's ID: a card saved, nothing charged


def _card_facts(method: dict) -> dict:
    """Brand, last four and expiry of a PaymentMethod (``card`` inside) or a legacy card."""
    card = method.get("card") if isinstance(method.get("card"), dict) else method
    return {
        "brand": str(card.get("brand") or "").lower()[:16],
        "last4": str(card.get("last4") or "")[:4],
        "exp_month": int(card.get("exp_month") or 0),
        "exp_year": int(card.get("exp_year") or 0),
    }


def _error(intent: dict) -> dict:
    """Why a PaymentIntent (or a SetupIntent) failed, if it did."""
    return intent.get("last_payment_error") or intent.get("last_setup_error") or {}


class StripeProcessor:
    name = "stripe"

    def __init__(self, *, environment: str):
        keys = settings.STRIPE_KEYS[environment]
        self.environment = environment
        self.page = StripePage(keys["publishable_key"], settings.STRIPE_JS_URL)
        self.webhook_secret = keys["webhook_secret"]
        self.client = stripe.StripeClient(
            keys["secret_key"],
            base_addresses={"api": settings.STRIPE_API_BASE},
            max_network_retries=2,
        )

    @classmethod
    def for_environment(cls, environment: str) -> "StripeProcessor":
        return cls(environment=environment)

    def card_fingerprint(self, *, card: BrowserMethod) -> str:
        """Stripe's fingerprint of the card behind a browser token (the same card gives
        the same one on every checkout), for the velocity limits; empty when Stripe cannot
        say, which never stops a payment."""
        try:
            if card.token.startswith("pm_"):
                found = self.client.v1.payment_methods.retrieve(card.token).card
            else:
                found = self.client.v1.tokens.retrieve(card.token).card
        except stripe.StripeError:
            return ""
        return str(getattr(found, "fingerprint", "") or "") if found is not None else ""

    # Moving money -------------------------------------------------------------------

    def prepare(
        self,
        *,
        amount_minor: int,
        currency: str,
        card: BrowserMethod,
        idempotency_key: str,
        save_for_later: bool = False,
    ) -> ChargeResult:
        if amount_minor == 0 and save_for_later:
            return self._prepare_setup(card, idempotency_key)
        params = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "payment_method_types": ["card"],
            "metadata": {"payment_id": idempotency_key, "save": "1" if save_for_later else ""},
        }
        if save_for_later and settings.STRIPE_SETUP_FUTURE_USAGE:
            params["setup_future_usage"] = "off_session"
        try:
            customer, method = self._method(card.token, idempotency_key, save_for_later)
            params["payment_method"] = method
            if customer:
                params["customer"] = customer
            intent = self.client.v1.payment_intents.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        except stripe.CardError as exc:
            return self._declined(exc)
        except stripe.InvalidRequestError:
            return ChargeResult(ChargeStatus.FAILED, "", *UNUSABLE)
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        return ChargeResult(ChargeStatus.PENDING, intent.id, client_secret=intent.client_secret)

    def _prepare_setup(self, card: BrowserMethod, key: str) -> ChargeResult:
        """The SetupIntent of a free trial, on the customer that keeps the card; the method
        rides in its metadata until ``charge`` confirms it."""
        try:
            customer, method = self._method(card.token, key, True)
            intent = self.client.v1.setup_intents.create(
                params={
                    "customer": customer,
                    "usage": "off_session",
                    "payment_method_types": ["card"],
                    "metadata": {"payment_id": key, "save": "1", "payment_method": method},
                },
                options={"idempotency_key": key},
            )
        except stripe.CardError as exc:
            return self._declined(exc)
        except stripe.InvalidRequestError:
            return ChargeResult(ChargeStatus.FAILED, "", *UNUSABLE)
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        return ChargeResult(ChargeStatus.PENDING, intent.id, client_secret=intent.client_secret)

    def _confirm_setup(self, reference: str, key: str):
        intent = self.client.v1.setup_intents.retrieve(reference)
        method = (intent.to_dict().get("metadata") or {}).get("payment_method") or ""
        return self.client.v1.setup_intents.confirm(
            reference,
            params={"payment_method": method},
            options={"idempotency_key": f"{key}-confirm"},
        )

    def _intents(self, reference: str):
        return (
            self.client.v1.setup_intents
            if reference.startswith(SETUP)
            else self.client.v1.payment_intents
        )

    def _method(self, token: str, key: str, save: bool) -> tuple[str, str]:
        """(customer, payment method) for a browser token; a card to save is kept on a new
        Stripe customer, which is what lets us charge it again off-session."""
        options = {"idempotency_key": f"{key}-customer"}
        if token.startswith("pm_"):
            if not save:
                return "", token
            customer = self.client.v1.customers.create(
                params={"metadata": {"payment_id": key}}, options=options
            )
            self.client.v1.payment_methods.attach(
                token,
                params={"customer": customer.id},
                options={"idempotency_key": f"{key}-attach"},
            )
            return customer.id, token
        if not save:
            return "", self.client.v1.tokens.retrieve(token).card.id
        customer = self.client.v1.customers.create(
            params={"source": token, "metadata": {"payment_id": key}}, options=options
        )
        return customer.id, customer.default_source

    def charge(
        self,
        *,
        amount_minor: int,
        currency: str,
        card: BrowserMethod,
        idempotency_key: str,
        save_for_later: bool = False,
        reference: str = "",
    ) -> ChargeResult:
        if not reference:
            raise ProcessorError("a Stripe charge needs the PaymentIntent prepare created")
        try:
            if reference.startswith(SETUP):
                intent = self._confirm_setup(reference, idempotency_key)
            else:
                intent = self.client.v1.payment_intents.confirm(
                    reference, options={"idempotency_key": f"{idempotency_key}-confirm"}
                )
        except stripe.CardError as exc:
            return self._declined(exc, reference)
        except stripe.InvalidRequestError:  # confirmed before (a retry): ask what became of it
            return self.lookup(reference=reference) or ChargeResult(ChargeStatus.PENDING, reference)
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        return self._result(intent)

    def charge_saved(
        self, *, method_token: str, amount_minor: int, currency: str, idempotency_key: str
    ) -> ChargeResult:
        customer, _, method = method_token.partition(":")
        params = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "customer": customer,
            "payment_method": method,
            "confirm": True,
            "off_session": True,
            "metadata": {"payment_id": idempotency_key, "save": ""},
        }
        try:
            intent = self.client.v1.payment_intents.create(
                params=params, options={"idempotency_key": idempotency_key}
            )
        except stripe.CardError as exc:
            return self._declined(exc)
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        return self._result(intent)

    def save_method(self, *, card: BrowserMethod, idempotency_key: str) -> SaveResult:
        """The browser's card kept on a new Stripe customer, as a subscription's first charge
        keeps it, without charging: ``customer:method`` is what ``charge_saved`` takes."""
        try:
            customer, method = self._method(card.token, idempotency_key, True)
        except stripe.CardError as exc:
            declined = self._declined(exc)
            return SaveResult(None, declined.failure_code, declined.failure_message)
        except stripe.InvalidRequestError:
            return SaveResult(None, *UNUSABLE)
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        facts = {"brand": "", "last4": "", "exp_month": 0, "exp_year": 0}
        with contextlib.suppress(stripe.StripeError):  # unreadable: saved, details unknown
            facts = _card_facts(self.client.v1.payment_methods.retrieve(method).to_dict())
        return SaveResult(SavedMethod(f"{customer}:{method}", **facts))

    def refund(self, *, reference: str, amount_minor: int, idempotency_key: str) -> RefundResult:
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": reference, "amount": amount_minor},
                options={"idempotency_key": idempotency_key},
            )
        except stripe.InvalidRequestError as exc:
            return RefundResult(False, "", 0, exc.code or "refund_refused", exc.user_message or "")
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        return RefundResult(refund.status != "failed", refund.id, int(refund.amount))

    # Finding out --------------------------------------------------------------------

    def lookup(self, *, idempotency_key: str = "", reference: str = "") -> ChargeResult | None:
        """The intent's outcome, read from Stripe. None when nothing was ever attempted on
        it (no reference stored: it was never confirmed; or still unconfirmed)."""
        if not reference:
            return None
        try:
            intent = self._intents(reference).retrieve(reference)
        except stripe.InvalidRequestError:
            return None
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        data = intent.to_dict()
        if data.get("status") == "requires_confirmation" or (
            data.get("status") == "requires_payment_method" and not _error(data)
        ):
            return None
        return self._result(intent)

    def void(self, *, idempotency_key: str, reference: str = "") -> ChargeResult:
        """Cancel the intent unless it already charged; without a reference it was never
        confirmed, so it can never charge."""
        if not reference:
            return ChargeResult(ChargeStatus.CANCELED)
        try:
            intent = self._intents(reference).retrieve(reference)
            if intent.status in CANCELABLE:
                intent = self._intents(reference).cancel(reference)
        except stripe.StripeError as exc:
            raise ProcessorError(str(exc)) from exc
        return self._result(intent)

    # Answers ------------------------------------------------------------------------

    @staticmethod
    def _declined(exc: stripe.CardError, reference: str = "") -> ChargeResult:
        return ChargeResult(
            ChargeStatus.FAILED,
            reference,
            (exc.code or "card_declined")[:64],
            (exc.user_message or "Your card was declined.")[:200],
        )

    def _result(self, intent) -> ChargeResult:
        data = intent.to_dict()
        status = data.get("status")
        if status == "succeeded":
            return self._succeeded(data)
        if status == "canceled":
            return ChargeResult(ChargeStatus.CANCELED, data["id"])
        if status in IN_FLIGHT:
            return ChargeResult(
                ChargeStatus.PENDING, data["id"], client_secret=data.get("client_secret") or ""
            )
        error = _error(data)
        return ChargeResult(
            ChargeStatus.FAILED,
            data["id"],
            str(error.get("code") or "card_declined")[:64],
            str(error.get("message") or "Your card was declined.")[:200],
        )

    def _succeeded(self, data: dict) -> ChargeResult:
        method_id = data.get("payment_method") or ""
        method_id = method_id if isinstance(method_id, str) else method_id.get("id", "")
        facts = {"brand": "", "last4": "", "exp_month": 0, "exp_year": 0}
        if method_id:
            # Unreadable: the receipt shows no card details; the payment stands.
            with contextlib.suppress(stripe.StripeError):
                facts = _card_facts(self.client.v1.payment_methods.retrieve(method_id).to_dict())
        saved = None
        customer = data.get("customer") or ""
        customer = customer if isinstance(customer, str) else customer.get("id", "")
        if customer and (data.get("metadata") or {}).get("save") == "1":
            saved = SavedMethod(f"{customer}:{method_id}", **facts)
        return ChargeResult(
            ChargeStatus.SUCCEEDED,
            data["id"],
            saved_method=saved,
            card_brand=facts["brand"],
            card_last4=facts["last4"],
        )
