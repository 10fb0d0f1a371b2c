"""The portal's update-card form: the same card fields the checkout page has (our own
fields for the test processor, the processor's script and its token for Stripe), read by
the checkout's own functions (``checkout.web.payment_form.card_fields``), and the one-off
key that makes a double submit save one card.

What a refused form must show again (a message and which field to fix, never a card
number) travels to the GET that shows it in a short signed cookie scoped to the form's path,
as the checkout's pay form does (``checkout.web.pay_outcome``)."""

import re
import secrets
from dataclasses import dataclass, field

from checkout.web.outcome_cookie import OutcomeCookie
from checkout.web.payment_form import browser_method_field, card_fields
from payments.cards import Card
from payments.processors.base import BrowserMethod

_SALT = "subscriptions.web.forms.card"
_ATTEMPT = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class CardSubmission:
    card: Card | BrowserMethod | None = None
    attempt: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def new_attempt() -> str:
    """A fresh key for one rendering of the form."""
    return secrets.token_hex(16)


def parse_card_form(post, *, browser_method: bool) -> CardSubmission:
    attempt = (post.get("attempt") or "").strip()
    submission = CardSubmission(attempt=attempt if _ATTEMPT.match(attempt) else new_attempt())
    card, errors = browser_method_field(post) if browser_method else card_fields(post)
    submission.card, submission.errors = card, errors
    return submission


_COOKIE = OutcomeCookie(
    "portal_card_outcome", _SALT, frozenset({"message", "errors"}), samesite="Strict"
)


def keep_outcome(response, *, path: str, message: str, errors: dict[str, str]):
    return _COOKIE.keep(response, path=path, outcome={"message": message, "errors": errors})


def read_outcome(request, *, path: str) -> dict:
    """What the last refused submit left for this form; empty when nothing (or forged)."""
    return _COOKIE.read(request, path=path) or {}


def forget_outcome(request, response, *, path: str):
    return _COOKIE.forget(request, response, path=path)
