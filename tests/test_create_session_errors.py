"""Seeds 001/004: every row of the create-session error table, one case each, to the letter."""

import pytest

from checkout import services
from checkout.models import CheckoutSession
from stores.models import StoreStatus
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient

PATH = "/v1/actions/checkout/create-session"


@pytest.fixture
def product(store):
    return ProductFactory(store=store)


def slug_post(client, store, body, **headers):
    return client.post(
        PATH,
        body,
        content_type="application/json",
        headers={"X-Store-Slug": store.slug, "X-Environment": "test", **headers},
    )


def assert_error(response, status, message):
    assert response.status_code == status, response.content
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["message"] == message
    assert not CheckoutSession.objects.exists()


def test_400_missing_or_invalid_environment_header(client, store, product):
    body = {"productId": product.public_id, "currency": "USD"}
    missing = client.post(
        PATH, body, content_type="application/json", headers={"X-Store-Slug": store.slug}
    )
    assert_error(missing, 400, "Missing or invalid header: x-context-environment")
    invalid = slug_post(client, store, body, **{"X-Environment": "live"})
    assert_error(invalid, 400, "Missing or invalid header: x-context-environment")
    alias = client.post(
        PATH,
        body,
        content_type="application/json",
        headers={"X-Store-Slug": store.slug, "X-Context-Environment": "staging"},
    )
    assert_error(alias, 400, "Missing or invalid header: x-context-environment")


def test_400_invalid_json_body(api):
    assert_error(api.post(PATH, raw=b'{"productId": "PROD_'), 400, "Invalid JSON body")


@pytest.mark.parametrize(
    "body", [{}, {"currency": "USD"}, {"productId": "PROD_x"}, {"productId": "", "currency": ""}]
)
def test_400_missing_required_fields(api, body):
    assert_error(api.post(PATH, body), 400, "Missing required fields: productId, currency")


@pytest.mark.parametrize("currency", ["usd", "US", "USDT", "U1D", "€"])
def test_400_invalid_currency_format(api, product, currency):
    response = api.post(PATH, {"productId": product.public_id, "currency": currency})
    assert_error(
        response,
        400,
        f'Invalid currency format: "{currency}". Must be 3 uppercase letters '
        '(e.g., "USD", "EUR", "JPY")',
    )


@pytest.mark.parametrize(
    "billing",
    [
        {"country": "US", "isBusiness": False},  # missing state for US
        {"country": "CA", "isBusiness": False, "state": "XX"},
        {"country": "DE"},  # isBusiness is required
        {"country": "Germany", "isBusiness": False},
        {"country": "DE", "isBusiness": True, "taxId": "DE136695976"},  # no businessName
        {"country": "DE", "isBusiness": True, "businessName": "GmbH"},  # EU business, no taxId
        {"country": "DE", "isBusiness": True, "businessName": "GmbH", "taxId": "DE123"},
        {"country": "FR", "isBusiness": "yes"},
        "FR",
    ],
)
def test_400_invalid_billing_detail(api, product, billing):
    response = api.post(
        PATH, {"productId": product.public_id, "currency": "USD", "billingDetail": billing}
    )
    assert_error(response, 400, "Invalid billingDetail")


@pytest.mark.parametrize("product_id", ["PROD_123", "STO_2aUyqjCzEIiEcYMKj7TZtw", "abc"])
def test_400_expected_format_prod(api, product_id):
    response = api.post(PATH, {"productId": product_id, "currency": "USD"})
    assert_error(response, 400, f'Expected format: PROD_xxx, got "{product_id}"')


def test_400_order_merchant_external_id_must_not_be_empty(api, product):
    body = {"productId": product.public_id, "currency": "USD", "orderMerchantExternalId": "   "}
    assert_error(api.post(PATH, body), 400, "orderMerchantExternalId must not be empty")


def test_400_order_merchant_external_id_at_most_128(api, product):
    body = {
        "productId": product.public_id,
        "currency": "USD",
        "orderMerchantExternalId": "x" * 129,
    }
    assert_error(
        api.post(PATH, body), 400, "orderMerchantExternalId must be at most 128 characters"
    )


def test_400_currency_not_supported_for_this_product(api, product):
    response = api.post(PATH, {"productId": product.public_id, "currency": "GBP"})
    assert_error(response, 400, "Currency GBP is not supported for this product")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Merchant-Id": "MER_nope", "X-Timestamp": "1", "X-Signature": "x"},
        {"X-Store-Slug": "Not A Slug!", "X-Environment": "test"},
        {"Authorization": "Bearer not-a-jwt", "X-Environment": "test"},
    ],
)
def test_401_unauthorized(client, db, headers):
    response = client.post(
        PATH, {"productId": "PROD_x", "currency": "USD"}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert_error(response, 401, "Unauthorized")


@pytest.mark.parametrize("status", [StoreStatus.INACTIVE, StoreStatus.SUSPENDED])
def test_403_store_is_not_active(api, store, product, status):
    store.status = status
    store.save()
    response = api.post(PATH, {"productId": product.public_id, "currency": "USD"})
    assert_error(response, 403, "Store is not active")


def test_403_store_is_not_approved_for_production_payments(merchant, store, prod_api):
    product = ProductFactory(store=store, publish=True)
    response = prod_api.post(PATH, {"productId": product.public_id, "currency": "USD"})
    assert_error(response, 403, "Store is not approved for production payments")


def test_403_product_does_not_belong_to_this_store(client, merchant, store):
    other_store = StoreFactory(owner=merchant)
    product = ProductFactory(store=other_store)
    response = slug_post(client, store, {"productId": product.public_id, "currency": "USD"})
    assert_error(response, 403, "Product does not belong to this store")


def test_404_store_not_found(client, db):
    response = client.post(
        PATH,
        {"productId": "PROD_2aUyqjCzEIiEcYMKj7TZtw", "currency": "USD"},
        content_type="application/json",
        headers={"X-Store-Slug": "no-such-store", "X-Environment": "test"},
    )
    assert_error(response, 404, "Store not found")


def test_404_product_not_found(api, client, store):
    missing = "PROD_" + "1" * 22
    assert_error(
        api.post(PATH, {"productId": missing, "currency": "USD"}), 404, "Product not found"
    )
    assert_error(
        slug_post(client, store, {"productId": missing, "currency": "USD"}),
        404,
        "Product not found",
    )


def test_404_product_of_another_merchant_is_not_found(api):
    foreign = ProductFactory(store=StoreFactory(owner=MerchantFactory()))
    response = api.post(PATH, {"productId": foreign.public_id, "currency": "USD"})
    assert_error(response, 404, "Product not found")


def test_404_product_not_active_for_this_environment(api, product, store, prod_api):
    product.test_status = "inactive"
    product.save()
    response = api.post(PATH, {"productId": product.public_id, "currency": "USD"})
    assert_error(response, 404, "Product not found or not active for this environment")

    store.prod_enabled = True
    store.save()
    unpublished = ProductFactory(store=store)
    response = prod_api.post(PATH, {"productId": unpublished.public_id, "currency": "USD"})
    assert_error(response, 404, "Product not found or not active for this environment")


def test_500_internal_server_error(api, product, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "session_create", explode)
    response = api.post(PATH, {"productId": product.public_id, "currency": "USD"})
    assert_error(response, 500, "Internal server error")


def test_precedence_credentials_before_everything(client, db):
    response = client.post(PATH, b"{not json", content_type="application/json")
    assert response.status_code == 401


def test_precedence_environment_header_before_json(client, store):
    response = client.post(
        PATH, b"{not json", content_type="application/json", headers={"X-Store-Slug": store.slug}
    )
    assert response.json()["errors"][0]["message"] == (
        "Missing or invalid header: x-context-environment"
    )


def test_precedence_formats_before_existence(api):
    response = api.post(PATH, {"productId": "PROD_" + "1" * 22, "currency": "usd"})
    assert response.json()["errors"][0]["message"].startswith("Invalid currency format")


def test_precedence_store_state_before_product_state_and_currency(api, store, product):
    store.status = StoreStatus.INACTIVE
    store.save()
    product.test_status = "inactive"
    product.save()
    response = api.post(PATH, {"productId": product.public_id, "currency": "GBP"})
    assert response.json()["errors"][0]["message"] == "Store is not active"


def test_precedence_product_state_before_currency(api, product):
    product.test_status = "inactive"
    product.save()
    response = api.post(PATH, {"productId": product.public_id, "currency": "GBP"})
    assert response.json()["errors"][0]["message"] == (
        "Product not found or not active for this environment"
    )


def test_other_merchant_key_cannot_reach_the_store_through_signed_requests(store, product, db):
    outsider = MerchantFactory()
    ApiKeyFactory(merchant=outsider)
    response = SignedClient(outsider.public_id, TEST_KEY_PAIR[0]).post(
        PATH, {"productId": product.public_id, "currency": "USD"}
    )
    assert_error(response, 404, "Product not found")
