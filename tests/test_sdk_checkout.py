"""The official TypeScript SDK drives checkout sessions, session tokens and customer orders.

Same protocol as tests/test_sdk_interop.py: factory-boy prepares committed rows, one script
from tests/sdk runs with node against the live server, and the test checks both what the SDK
returned and what the database now holds.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from django.utils import timezone

from catalog import services as catalog_services
from checkout.models import CheckoutSession, CreatedVia, SessionStatus
from core.tokens import CUSTOMER_AUDIENCE, ISSUER
from orders.models import Order, OrderStatus
from stores.models import StoreStatus
from tests.factories import MerchantFactory, ProductFactory, StoreFactory

pytestmark = pytest.mark.sdk

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
SESSION_ID = re.compile(r"cs_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
DEFAULT_TTL = 2700
TOKEN_TTL = 300


def error(status: int, message: str, layer: str) -> dict:
    """What ``caught()`` in tests/sdk/lib.mjs reports for a ``WaffoPancakeError``."""
    return {"status": status, "errors": [{"message": message, "layer": layer}], "message": message}


def envelope_error(status: int, message: str, layer: str) -> dict:
    """What a raw ``fetch`` in tests/sdk/customer.mjs reports for a refused request."""
    return {
        "status": status,
        "body": {"data": None, "errors": [{"message": message, "layer": layer}]},
    }


def parse_iso(text: str) -> datetime:
    assert ISO_UTC.fullmatch(text), text
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def session_row(public_id: str) -> CheckoutSession:
    assert SESSION_ID.fullmatch(public_id), public_id
    return CheckoutSession.objects.select_related("store").get(pk=uuid.UUID(public_id[3:]))


def claims(token: str) -> dict:
    """The token's claims, read WITHOUT checking the signature: only to look at them."""
    return jwt.decode(token, options={"verify_signature": False})


def assert_ttl(session: CheckoutSession, seconds: int, *, before: datetime) -> None:
    assert before + timedelta(seconds=seconds) <= session.expires_at
    assert session.expires_at <= timezone.now() + timedelta(seconds=seconds)
    assert abs((session.expires_at - session.created_at).total_seconds() - seconds) < 2


def assert_customer_token(token: str, *, identity: str, store, expires_at: str) -> None:
    decoded = claims(token)
    assert decoded["iss"] == ISSUER == "pancake-checkout"
    assert decoded["aud"] == CUSTOMER_AUDIENCE
    assert decoded["sub"] == identity
    assert decoded["sto"] == str(store.pk)
    assert decoded["exp"] - decoded["iat"] == TOKEN_TTL
    assert decoded["jti"]
    assert int(parse_iso(expires_at).timestamp()) == decoded["exp"]


@pytest.fixture
def store(live_merchant):
    return StoreFactory(owner=live_merchant, name="Acme Books")


@pytest.fixture
def product(store):
    """Sold in USD 29.00, EUR 27.00 and JPY 4500 (tests.factories.ProductFactory)."""
    return ProductFactory(store=store, name="E-Book")


@pytest.fixture
def run_sdk(live_sdk, live_server, settings):
    """``run_sdk("checkout.mjs", PRODUCT_ID=...)``: the shared runner, with session URLs
    pointing at the live server."""
    settings.PUBLIC_BASE_URL = live_server.url
    return live_sdk


def test_create_session_locks_everything_the_merchant_sent(run_sdk, live_server, store, product):
    before = timezone.now().replace(microsecond=0)

    out = run_sdk("checkout.mjs", PRODUCT_ID=product.public_id, STORE_ID=store.public_id)

    created = out["created"]
    assert set(created) == {"sessionId", "checkoutUrl", "expiresAt"}
    session = session_row(created["sessionId"])
    assert created["checkoutUrl"] == (
        f"{live_server.url}/store/{store.slug}/checkout/{created['sessionId']}"
    )
    assert parse_iso(created["expiresAt"]) == session.expires_at.replace(
        microsecond=session.expires_at.microsecond // 1000 * 1000
    )
    assert_ttl(session, DEFAULT_TTL, before=before)
    assert (session.store, session.environment) == (store, "test")
    assert session.created_via == CreatedVia.API_KEY
    assert session.status == SessionStatus.OPEN
    assert session.completed_at is None
    (line,) = session.line_items
    assert line.product_id == product.pk
    assert line.product_version_id == product.test_version_id
    assert session.product_type == "onetime"
    assert line.name == "E-Book"
    assert session.store_name == "Acme Books"
    assert (session.currency, line.unit_amount_minor, line.quantity) == ("EUR", 2700, 1)
    assert (line.tax_category, line.tax_included) == ("digital_goods", False)
    assert line.price_overridden is False
    assert line.with_trial is False
    assert session.buyer_email == "foo@bar.com"
    assert session.billing_detail == {
        "country": "US",
        "isBusiness": False,
        "postcode": "94107",
        "state": "CA",
    }
    assert session.success_url == "https://example.com/thank-you"
    assert session.dark_mode is True
    assert session.metadata == {"campaign": "spring", "seats": 3, "nested": {"ok": True}}
    assert session.order_merchant_external_id == "ORDER-2026-00891"
    assert session.theme["storeLogo"] is None


def test_authenticated_create_returns_a_token_in_the_url_fragment(
    run_sdk, live_server, store, product
):
    before = timezone.now().replace(microsecond=0)

    out = run_sdk("checkout.mjs", PRODUCT_ID=product.public_id, STORE_ID=store.public_id)

    result = out["authenticated"]
    assert set(result) == {"sessionId", "checkoutUrl", "expiresAt", "token", "tokenExpiresAt"}
    assert SESSION_ID.fullmatch(result["sessionId"])
    base, _, fragment = result["checkoutUrl"].partition("#")
    assert base == f"{live_server.url}/store/{store.slug}/checkout/{result['sessionId']}"
    assert fragment == f"token={result['token']}"
    assert result["checkoutUrl"].endswith(f"#token={result['token']}")
    assert_customer_token(
        result["token"],
        identity="buyer@example.com",  # trimmed, and lowercase because it is an email
        store=store,
        expires_at=result["tokenExpiresAt"],
    )

    session = session_row(result["sessionId"])
    assert_ttl(session, 600, before=before)
    assert (session.currency, session.line_items[0].unit_amount_minor) == ("USD", 2900)
    assert session.buyer_email == "buyer@example.com"
    assert session.billing_detail is None
    assert session.metadata == {}
    assert session.order_merchant_external_id == ""
    assert session.line_items[0].product_version_id == product.test_version_id


def test_anonymous_create_locks_the_price_override(run_sdk, store, product):
    before = timezone.now().replace(microsecond=0)

    out = run_sdk("checkout.mjs", PRODUCT_ID=product.public_id, STORE_ID=store.public_id)

    result = out["anonymous"]
    assert set(result) == {"sessionId", "checkoutUrl", "expiresAt"}
    assert "#" not in result["checkoutUrl"]
    session = session_row(result["sessionId"])
    assert_ttl(session, DEFAULT_TTL, before=before)
    (line,) = session.line_items
    assert (session.currency, line.unit_amount_minor) == ("USD", 499)
    assert (line.tax_category, line.tax_included) == ("saas", False)
    assert line.price_overridden is True
    assert session.order_merchant_external_id == "ORDER-ANON-1"
    assert session.buyer_email == ""
    assert session.language == "pt-BR"
    assert session.payment_methods == ["card"]
    assert line.product_version_id == product.test_version_id
    # The override belongs to this session only: the product still sells at 29.00.
    assert product.test_version.prices.get(currency="USD").amount_minor == 2900
    assert CheckoutSession.objects.filter(store=store).count() == 3


def test_issue_session_token_by_store_and_by_product(run_sdk, store, product):
    out = run_sdk("checkout.mjs", PRODUCT_ID=product.public_id, STORE_ID=store.public_id)

    by_store, by_product = out["tokenByStore"], out["tokenByProduct"]
    assert set(by_store) == set(by_product) == {"token", "expiresAt"}
    assert_customer_token(
        by_store["token"],
        identity="customer@example.com",
        store=store,
        expires_at=by_store["expiresAt"],
    )
    assert_customer_token(
        by_product["token"], identity="user-42", store=store, expires_at=by_product["expiresAt"]
    )
    assert claims(by_store["token"])["jti"] != claims(by_product["token"])["jti"]


def test_customer_places_and_cancels_a_onetime_order(run_sdk, store, product):
    out = run_sdk("customer.mjs", PRODUCT_ID=product.public_id, STORE_ID=store.public_id)

    placed = out["placed"]
    assert placed["status"] == 200, placed
    data = placed["body"]["data"]
    order_id = data["orderId"]
    assert data["status"] == "pending"
    assert data["checkoutSessionId"] == out["sessionId"]
    assert data["storeId"] == store.public_id
    (line,) = data["lines"]
    assert (line["productId"], line["quantity"], line["unitAmount"]) == (
        product.public_id,
        1,
        "29.00",
    )
    assert (line["subtotal"], line["taxAmount"], line["total"]) == ("29.00", "5.51", "34.51")
    assert (data["currency"], data["subtotal"], data["taxAmount"], data["total"]) == (
        "USD",
        "29.00",
        "5.51",
        "34.51",
    )
    assert (data["taxRate"], data["taxName"]) == (19, "VAT")
    assert data["buyerEmail"] == "customer@example.com"

    assert out["strangerCancel"] == error(404, "Order not found", "order")
    assert out["prodCancel"] == error(404, "Order not found", "order")
    assert out["canceled"] == {"orderId": order_id, "status": "canceled"}
    assert out["canceledAgain"] == {"orderId": order_id, "status": "canceled"}
    assert out["placeAfterCancel"] == envelope_error(409, "Checkout session is closed", "order")

    order = Order.objects.get(checkout_session=session_row(out["sessionId"]))
    assert order.public_id == order_id
    assert order.status == OrderStatus.CANCELED
    assert order.canceled_at is not None
    assert order.buyer_identity == "customer@example.com"
    assert order.buyer_email == "customer@example.com"
    assert order.billing_detail == {"country": "DE", "isBusiness": False, "postcode": "10115"}
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2900, 551, 3451)
    assert (order.tax_country, order.environment) == ("DE", "test")
    assert not order.payments.exists()


def test_authenticated_checkout_token_places_the_order(run_sdk, store, product):
    out = run_sdk("customer.mjs", PRODUCT_ID=product.public_id, STORE_ID=store.public_id)

    created = out["authenticatedOrder"]
    assert created["status"] == 200, created
    data = created["body"]["data"]
    assert data["checkoutSessionId"] == out["authenticated"]["sessionId"]
    assert (data["currency"], data["total"]) == ("EUR", "32.40")  # 27.00 + 20 % French VAT
    order = Order.objects.get(checkout_session=session_row(out["authenticated"]["sessionId"]))
    assert order.public_id == data["orderId"]
    assert order.status == OrderStatus.PENDING
    assert order.buyer_identity == "buyer@example.com"
    assert Order.objects.count() == 2


def test_checkout_refusals_surface_as_waffo_pancake_error(run_sdk, live_merchant, store, product):
    other_store = StoreFactory(owner=MerchantFactory(), name="Not yours")
    foreign_product = ProductFactory(store=other_store)
    inactive_product = catalog_services.product_set_status(
        product=ProductFactory(store=store), environment="test", status="inactive"
    )
    inactive_store = StoreFactory(owner=live_merchant, status=StoreStatus.INACTIVE)
    inactive_store_product = ProductFactory(store=inactive_store)

    out = run_sdk(
        "checkout_errors.mjs",
        PRODUCT_ID=product.public_id,
        FOREIGN_PRODUCT_ID=foreign_product.public_id,
        FOREIGN_STORE_ID=other_store.public_id,
        INACTIVE_PRODUCT_ID=inactive_product.public_id,
        INACTIVE_STORE_ID=inactive_store.public_id,
        INACTIVE_STORE_PRODUCT_ID=inactive_store_product.public_id,
    )

    assert out["unsupportedCurrency"] == error(
        400, "Currency GBP is not supported for this product", "product"
    )
    assert out["foreignProductSession"] == error(404, "Product not found", "product")
    assert out["badBilling"] == error(400, "Invalid billingDetail", "order")
    denied = error(403, "Access denied: you do not have permission to this store", "store")
    assert out["foreignStoreToken"] == denied
    assert out["foreignProductToken"] == denied
    assert out["authenticatedUnsupported"]["status"] == 400
    assert out["authenticatedUnsupported"]["message"] == (
        "Currency GBP is not supported for this product"
    )
    assert out["blankExternalId"] == error(
        400, "orderMerchantExternalId must not be empty", "order"
    )
    assert out["inactiveProduct"] == error(
        404, "Product not found or not active for this environment", "product"
    )
    assert out["inactiveStoreSession"] == error(403, "Store is not active", "store")
    assert out["inactiveStoreToken"] == error(400, "Store is not active", "store")
    assert not CheckoutSession.objects.exists()
