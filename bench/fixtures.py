"""What the timed requests need: one merchant with a signing key, a store, a product, open
sessions, and the request files wrk replays (``requests.lua`` reads them).

Signed requests are each signed once with their own body, so a server that refuses a
replayed signature still accepts every one of them; pay posts each pay their own session.
"""

import base64
import json
import secrets
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from django.db import transaction

from catalog import services as catalog_services
from catalog.models import Product, ProductType
from checkout import services as checkout_services
from checkout.models import CheckoutSession
from checkout.session_request import MAX_TTL_SECONDS, parse_session_request
from core import signing
from stores import services as store_services
from stores.models import Environment, Merchant, Store, StoreMembership, StoreRole

MERCHANT_EMAIL = "bench@example.com"
STORE_SLUG = "bench-store"
PRODUCT_MARKER = "bench"
# The test processor's success card; a future expiry and any CVC.
CARD = {"card_number": "4242 4242 4242 4242", "card_expiry": "12/40", "card_cvc": "123"}
GRAPHQL_LIST = (
    "query { onetimeOrders(limit: 20) { id status buyerEmail priceSnapshot { total } "
    "payments { id status } } }"
)


@dataclass
class Fixture:
    merchant: Merchant
    store: Store
    product: Product
    private_key: object  # cryptography RSAPrivateKey


def prepare(*, key_file: Path) -> Fixture:
    """The bench's merchant, store and product: made once, found again on later runs."""
    with transaction.atomic():
        merchant = Merchant.objects.filter(user__username=MERCHANT_EMAIL).first()
        if merchant is None:
            merchant = store_services.merchant_create(email=MERCHANT_EMAIL, password=None)
        store, _ = Store.objects.get_or_create(slug=STORE_SLUG, defaults={"name": "Bench Store"})
        StoreMembership.objects.get_or_create(
            store=store, merchant=merchant, defaults={"role": StoreRole.OWNER}
        )
        product = Product.objects.filter(
            store=store, test_version__metadata__bench=PRODUCT_MARKER
        ).first()
        if product is None:
            product = catalog_services.product_create(
                store=store,
                product_type=ProductType.ONETIME,
                name="Bench E-Book",
                prices={"USD": {"amount": "29.00", "taxCategory": "ebook"}},
                metadata={"bench": PRODUCT_MARKER},
            )
    if not key_file.exists():
        _, private_pem = store_services.api_key_generate(
            merchant=merchant, environment=Environment.TEST, name="bench"
        )
        key_file.write_text(private_pem)
    private_key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    return Fixture(merchant=merchant, store=store, product=product, private_key=private_key)


def open_sessions(fixture: Fixture, count: int) -> list[CheckoutSession]:
    request = parse_session_request(
        {
            "productId": fixture.product.public_id,
            "currency": "USD",
            "expiresInSeconds": MAX_TTL_SECONDS,
        },
        from_merchant=True,
    )
    return [
        checkout_services.session_create(
            request=request, environment="test", merchant_id=fixture.merchant.pk
        )
        for _ in range(count)
    ]


def _line(method: str, path: str, headers: dict, body: str) -> str:
    joined = "\x1f".join(f"{name}: {value}" for name, value in headers.items())
    return f"{method}\t{path}\t{joined}\t{body}"


def signed(fixture: Fixture, path: str, body: dict, timestamp: int) -> tuple[dict, str]:
    raw = json.dumps(body, separators=(",", ":"))
    message = signing.canonical_request("POST", path, str(timestamp), raw.encode())
    signature = fixture.private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    headers = {
        "Content-Type": "application/json",
        "X-Merchant-Id": fixture.merchant.public_id,
        "X-Timestamp": str(timestamp),
        "X-Signature": base64.b64encode(signature).decode(),
    }
    return headers, raw


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def create_session_lines(fixture: Fixture, count: int, timestamp: int) -> list[str]:
    target = "/v1/actions/checkout/create-session"
    lines = []
    for number in range(count):
        body = {
            "productId": fixture.product.public_id,
            "currency": "USD",
            "orderMerchantExternalId": f"bench-{timestamp}-{number}",
        }
        headers, raw = signed(fixture, target, body, timestamp)
        lines.append(_line("POST", target, headers, raw))
    return lines


def issue_token_lines(fixture: Fixture, count: int, timestamp: int) -> list[str]:
    target = "/v1/actions/auth/issue-session-token"
    lines = []
    for number in range(count):
        body = {"storeId": fixture.store.public_id, "buyerIdentity": f"buyer-{number}@example.com"}
        headers, raw = signed(fixture, target, body, timestamp)
        lines.append(_line("POST", target, headers, raw))
    return lines


def graphql_lines(fixture: Fixture, count: int, timestamp: int) -> list[str]:
    target = "/v1/graphql"
    lines = []
    for number in range(count):
        # A comment makes each body (and so each signature) its own.
        headers, raw = signed(fixture, target, {"query": f"{GRAPHQL_LIST} # {number}"}, timestamp)
        lines.append(_line("POST", target, headers, raw))
    return lines


def preview_tax_lines(session: CheckoutSession) -> list[str]:
    body = json.dumps(
        {
            "checkoutSessionId": session.public_id,
            "billingDetail": {"country": "FR", "isBusiness": False},
        },
        separators=(",", ":"),
    )
    headers = {
        "Content-Type": "application/json",
        "X-Store-Slug": session.store.slug,
        "X-Environment": "test",
    }
    return [_line("POST", "/v1/actions/checkout/preview-tax", headers, body)]


def page_lines(session: CheckoutSession) -> list[str]:
    path = f"/store/{session.store.slug}/checkout/{session.public_id}"
    return [_line("GET", path, {"Accept-Language": "en-US,en;q=0.9"}, "")]


def admin_orders_lines(fixture: Fixture) -> list[str]:
    """The merchant's order list in admin, signed in (a session row, as a browser has)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(fixture.merchant.user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [_line("GET", "/admin/orders/order/", {"Cookie": cookie}, "")]


def pay_lines(sessions: list[CheckoutSession]) -> list[str]:
    """One form post per session, with a CSRF cookie and the same (unmasked) token."""
    token = secrets.token_hex(16)  # 32 characters, Django's unmasked secret length
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={token}",
    }
    form = {
        "csrfmiddlewaretoken": token,
        "email": "buyer@example.com",
        "country": "FR",
        "postcode": "75001",
        **CARD,
    }
    body = urllib.parse.urlencode(form)
    return [
        _line("POST", f"/store/{s.store.slug}/checkout/{s.public_id}/pay", headers, body)
        for s in sessions
    ]
