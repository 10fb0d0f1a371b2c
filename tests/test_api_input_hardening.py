"""Odd input is a clear 4xx, never a 500 (found by review: each of these once crashed)."""

import pytest

from catalog.models import Product
from checkout.models import CheckoutSession
from tests.factories import ProductFactory
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient

SESSION = "/v1/actions/checkout/create-session"
PRODUCT = "/v1/actions/onetime-product/create-product"


@pytest.fixture
def product(store):
    return ProductFactory(store=store)


@pytest.mark.parametrize(
    "extra",
    [
        {"language": ["en"]},
        {"language": {}},
        {"includePaymentMethods": [["card"]]},
        {"excludePaymentMethods": [{}]},
        {"priceSnapshot": {"amount": "1" * 25, "taxCategory": "saas"}},
        {"priceSnapshot": {"amount": "\u0661\u0662.\u0660\u0660", "taxCategory": "saas"}},
        {"metadata": {"big": 1e999}},
    ],
)
def test_odd_session_fields_are_400(api, product, extra):
    raw = None
    body = {"productId": product.public_id, "currency": "USD", **extra}
    response = api.post(SESSION, body, raw=raw)
    assert response.status_code == 400, response.content
    assert not CheckoutSession.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        b'{"productId": "PROD_x", "currency": "USD", "metadata": {"a": NaN}}',
        b'{"productId": "PROD_x", "currency": "USD", "metadata": {"a": Infinity}}',
        b'{"productId": "PROD_x\\u0000", "currency": "USD"}',
        b'{"name": "a\\u0000b"}',
    ],
)
def test_non_json_constants_and_nul_characters_are_invalid_json(api, raw):
    response = api.post(SESSION, raw=raw)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Invalid JSON body"


def test_an_escaped_backslash_is_not_mistaken_for_nul(api, store):
    raw = (
        b'{"storeId": "%s", "name": "C:\\\\u0000 folder", "prices": {"USD": {"amount": "1.00", "taxCategory": "saas"}}}'
        % store.public_id.encode()
    )
    response = api.post(PRODUCT, raw=raw)
    assert response.status_code == 200, response.content
    assert Product.objects.get().test_version.name == "C:\\u0000 folder"


def test_huge_product_amount_is_400(api, store):
    body = {
        "storeId": store.public_id,
        "name": "X",
        "prices": {"USD": {"amount": "9" * 13, "taxCategory": "saas"}},
    }
    assert api.post(PRODUCT, body).status_code == 400


def test_metadata_numbers_stay_numbers(api, store):
    body = {"storeId": store.public_id, "name": "X", "metadata": {"ratio": 1.5, "n": 3},
            "prices": {"USD": {"amount": "1.00", "taxCategory": "saas"}}}  # fmt: skip
    assert api.post(PRODUCT, body).json()["data"]["product"]["metadata"] == {"ratio": 1.5, "n": 3}


@pytest.mark.parametrize("stamp", ["²", "1" * 5000, "-5", "1e9"])
def test_odd_timestamps_are_401(merchant, stamp):
    client = SignedClient(merchant.public_id, TEST_KEY_PAIR[0])
    response = client.post(SESSION, {}, headers={"X-Timestamp": stamp})
    assert response.status_code == 401


def test_falsy_non_string_ids_are_format_errors(api, store):
    response = api.post(
        "/v1/actions/auth/issue-session-token",
        {"storeId": store.public_id, "productId": 0, "buyerIdentity": "u"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == 'Expected format: PROD_xxx, got "0"'


LONE_SURROGATE = b'{"name": "\\ud800"}'
DUPLICATE_KEY = b'{"name": "First", "name": "Second"}'


@pytest.mark.parametrize(
    "raw", [LONE_SURROGATE, DUPLICATE_KEY, b'{"name": "ok", "m": {"k": "\\udfff"}}']
)
def test_lone_surrogates_and_duplicate_keys_are_invalid_json(api, raw):
    from stores.models import Store

    before = Store.objects.count()
    response = api.post("/v1/actions/store/create-store", raw=raw)

    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["message"] == "Invalid JSON body"
    assert Store.objects.count() == before


def test_a_lone_surrogate_cannot_become_a_buyer_identity(api, store):
    raw = b'{"storeId": "%s", "buyerIdentity": "user\\ud800"}' % store.public_id.encode()

    response = api.post("/v1/actions/auth/issue-session-token", raw=raw)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Invalid JSON body"


def test_a_paired_surrogate_is_an_ordinary_character(api):
    response = api.post(
        "/v1/actions/store/create-store", raw=b'{"name": "Pancakes \\ud83e\\udd5e"}'
    )

    assert response.status_code == 200, response.content
    assert response.json()["data"]["store"]["name"] == "Pancakes \U0001f95e"


@pytest.mark.parametrize("raw", [LONE_SURROGATE, DUPLICATE_KEY])
def test_the_cart_dialect_refuses_them_in_its_own_envelope(api, store, raw):
    from tests.cart_factories import make_cart, physical_product

    cart = make_cart(store, (physical_product(store), 1))

    response = api.post(f"/checkout/begin/{cart.public_id}", raw=raw)

    assert response.status_code == 400
    assert response.json()["error"] == {
        "status": 400,
        "code": "bad_request",
        "message": "Invalid JSON body",
    }
    assert not CheckoutSession.objects.exists()


@pytest.mark.parametrize("raw", [LONE_SURROGATE, DUPLICATE_KEY])
def test_the_partner_dialect_refuses_them(client, store, raw):
    from partners.models import Basket
    from tests.partner_factories import PartnerGrantFactory, bearer

    partner = PartnerGrantFactory(store=store).partner

    response = client.post(
        "/partner/checkout/initiate",
        raw,
        content_type="application/json",
        **bearer(client, partner),
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid JSON body"
    assert not Basket.objects.exists()
