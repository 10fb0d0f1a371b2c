"""Helpers for the hosted-page tests: data set-up through the real services, and a Chromium
(Debian's, driven by Playwright) that records Content-Security-Policy violations.

Used by tests/hosted/ (Django test client) and tests/test_browser_checkout.py.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import serializers
from django.utils import timezone

from checkout.models import CheckoutSession
from checkout.services import session_create
from checkout.session_request import parse_session_request
from orders.models import Order
from payments.models import Payment
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory

TIMEOUT_MS = 10_000  # per Playwright action
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SUCCESS_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
INSUFFICIENT_FUNDS_CARD = "4000 0000 0000 9995"
FUTURE_EXPIRY = f"12/{(timezone.now().year + 3) % 100:02d}"


def make_store(**store_fields):
    """A merchant (with a test API key) and a store it owns."""
    merchant = MerchantFactory()
    ApiKeyFactory(merchant=merchant)
    store = StoreFactory(owner=merchant, **store_fields)
    return merchant, store


def make_product(store, **fields):
    return ProductFactory(store=store, **fields)


def make_session(
    *, merchant, product, environment: str = "test", currency: str = "USD", **payload
) -> CheckoutSession:
    """A session exactly as the signed create-session action would make it."""
    request = parse_session_request(
        {"productId": product.public_id, "currency": currency, **payload}, from_merchant=True
    )
    return session_create(request=request, environment=environment, merchant_id=merchant.pk)


def expire(session: CheckoutSession) -> CheckoutSession:
    CheckoutSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    session.refresh_from_db()
    return session


def checkout_path(session: CheckoutSession) -> str:
    return f"/store/{session.store.slug}/checkout/{session.public_id}"


def rows_as_text(*models) -> str:
    """Every row of the given models serialized, to search for data that must not be kept."""
    models = models or (CheckoutSession, Order, Payment)
    return "".join(serializers.serialize("json", model.objects.all()) for model in models)


def digits_only(card: str) -> str:
    return card.replace(" ", "")


@dataclass
class CspWatcher:
    """Collects CSP violations of every page in a browser context, across navigations.

    Two independent sources: the ``securitypolicyviolation`` DOM event (reported through an
    exposed binding, which CSP cannot block) and Chromium's console errors about the policy.
    """

    violations: list = field(default_factory=list)

    def attach(self, context) -> None:
        context.expose_binding(
            "__reportCspViolation", lambda source, detail: self.violations.append(detail)
        )
        context.add_init_script(
            """
            document.addEventListener("securitypolicyviolation", (event) => {
              window.__reportCspViolation({
                directive: event.violatedDirective,
                blocked: event.blockedURI,
                sample: event.sample,
                source: event.sourceFile,
              });
            });
            """
        )
        context.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and "Content Security Policy" in text:
            self.violations.append({"console": text})


@contextmanager
def watched_page(browser, csp: "CspWatcher", **context_options):
    """A page in a fresh context (``locale="en-US"`` unless told) whose CSP violations fail
    the test once the context is closed."""
    context = browser.new_context(**{"locale": "en-US", **context_options})
    csp.attach(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()
    assert csp.violations == [], csp.violations


def shown_after(client, response, session: CheckoutSession, *, token: str = ""):
    """The page a refused pay form leads to: POST-redirect-GET, a 303 to the checkout page
    (the customer token, when still good, back in the fragment), whose GET shows why."""
    assert response.status_code == 303, response.status_code
    fragment = f"#token={token}" if token else ""
    assert response["Location"] == checkout_path(session) + fragment
    shown = client.get(checkout_path(session))
    assert shown.status_code == 200
    return shown
