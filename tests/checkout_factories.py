"""Checkout sessions, billing details and cards for order/payment tests.

Sessions go through the real ``checkout.services.session_create`` (with a merchant's API-key
view of the request), so every session locks what production would lock.
"""

from datetime import timedelta

from django.utils import timezone

from catalog.models import Product
from checkout import services as checkout_services
from checkout.billing import BillingDetail, parse_billing_detail
from checkout.models import CheckoutSession
from checkout.session_request import parse_session_request
from payments.cards import (
    DECLINED_CARD,
    INSUFFICIENT_FUNDS_CARD,
    SUCCESS_CARD,
    Card,
    parse_card,
)
from stores.models import Environment, Merchant, StoreMembership, StoreRole


def owner_of(product: Product) -> Merchant:
    """The store's owner; a store made with one member of another role, that member."""
    members = StoreMembership.objects.select_related("merchant").filter(store=product.store)
    owner = members.filter(role=StoreRole.OWNER).first()
    return (owner or members.get()).merchant


def make_session(
    *,
    product: Product,
    currency: str = "USD",
    environment: str = Environment.TEST,
    merchant: Merchant | None = None,
    **payload,
) -> CheckoutSession:
    """A session for ``product`` created the way an API-key caller creates one.

    Extra keyword arguments are request-body fields in the API's spelling
    (``buyerEmail=...``, ``priceSnapshot={...}``, ``expiresInSeconds=...``).
    """
    merchant = merchant or owner_of(product)
    request = parse_session_request(
        {"productId": product.public_id, "currency": currency, **payload}, from_merchant=True
    )
    return checkout_services.session_create(
        request=request, environment=environment, merchant_id=merchant.pk
    )


def expire(session: CheckoutSession, *, ago: timedelta = timedelta(seconds=1)) -> CheckoutSession:
    """Move the session's expiry into the past (rows only; nothing else changes)."""
    CheckoutSession.objects.filter(pk=session.pk).update(expires_at=timezone.now() - ago)
    session.refresh_from_db()
    return session


def billing(country: str = "DE", **fields) -> BillingDetail:
    """A consumer's billing detail, validated like a request body (API spelling)."""
    return parse_billing_detail({"country": country, "isBusiness": False, **fields})


def card(number: str = SUCCESS_CARD, *, expiry: str = "12/34", cvc: str = "123") -> Card:
    return parse_card(number=number, expiry=expiry, cvc=cvc)


def success_card() -> Card:
    return card(SUCCESS_CARD)


def declined_card() -> Card:
    return card(DECLINED_CARD)


def insufficient_funds_card() -> Card:
    return card(INSUFFICIENT_FUNDS_CARD)
