"""The portal's update-card form: the same card fields the checkout page has (our own
fields for the test processor, the processor's script and its token for Stripe), parsed by
``payments.cards.parse_card``, and the one-off key that makes a double submit save one card.

What a refused form must show again (a message and which field to fix, never a card
number) travels to the GET that shows it in a short signed cookie scoped to the form's path,
as the checkout's pay form does (``checkout.web.pay_outcome``)."""

import json
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from payments.cards import Card, InvalidCard, parse_card
from payments.processors.base import BrowserMethod

OUTCOME_COOKIE = "portal_card_outcome"
OUTCOME_SECONDS = 300
_SALT = "subscriptions.web.forms.card"
_ATTEMPT = re.compile(r"^[0-9a-f]{32}$")
_BROWSER_TOKEN = re.compile(r"^(tok|pm)_[A-Za-z0-9]{1,200}$")


@dataclass
class CardSubmission:
    card: Card | BrowserMethod | None = None
    attempt: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def new_attempt() -> str:
    """A fresh key for one rendering of the form."""
    return secrets.token_hex(16)


def _field_of(message: str) -> str:
    lowered = message.lower()
    if "security code" in lowered:
        return "card_cvc"
    if "expir" in lowered:
        return "card_expiry"
    return "card_number"


def _typed_card(post, submission: CardSubmission) -> None:
    number, expiry, cvc = (
        (post.get(name) or "").strip()[:64] for name in ("card_number", "card_expiry", "card_cvc")
    )
    if not number:
        submission.errors["card_number"] = _("Enter your card number.")
    elif not expiry:
        submission.errors["card_expiry"] = _("Enter your card's expiry date (MM/YY).")
    elif not cvc:
        submission.errors["card_cvc"] = _("Enter your card's security code.")
    else:
        try:
            submission.card = parse_card(number=number, expiry=expiry, cvc=cvc)
        except InvalidCard as exc:
            submission.errors[_field_of(str(exc))] = str(exc)


def parse_card_form(post, *, browser_method: bool) -> CardSubmission:
    attempt = (post.get("attempt") or "").strip()
    submission = CardSubmission(attempt=attempt if _ATTEMPT.match(attempt) else new_attempt())
    if browser_method:
        token = (post.get("payment_method") or "").strip()[:256]
        if _BROWSER_TOKEN.match(token):
            submission.card = BrowserMethod(token)
        else:
            submission.errors["card"] = _("Enter your card details.")
        return submission
    _typed_card(post, submission)
    return submission


def _salt(path: str) -> str:
    return f"{_SALT}:{path}"


def keep_outcome(response, *, path: str, message: str, errors: dict[str, str]):
    outcome = json.dumps({"message": message, "errors": errors}, separators=(",", ":"))
    response.set_signed_cookie(
        OUTCOME_COOKIE,
        outcome,
        salt=_salt(path),
        max_age=OUTCOME_SECONDS,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def read_outcome(request, *, path: str) -> dict:
    """What the last refused submit left for this form; empty when nothing (or forged)."""
    if OUTCOME_COOKIE not in request.COOKIES:
        return {}
    try:
        raw = request.get_signed_cookie(OUTCOME_COOKIE, salt=_salt(path), max_age=OUTCOME_SECONDS)
        outcome = json.loads(raw)
    except (signing.BadSignature, KeyError, ValueError):
        return {}
    if not isinstance(outcome, dict) or set(outcome) != {"message", "errors"}:
        return {}
    return outcome


def forget_outcome(request, response, *, path: str):
    if OUTCOME_COOKIE in request.COOKIES:
        response.delete_cookie(OUTCOME_COOKIE, path=path, samesite="Strict")
    return response
