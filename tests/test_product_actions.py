import pytest

from catalog.models import Product, ProductPrice, ProductVersion
from stores.models import Environment
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.keys import OTHER_KEY_PAIR
from tests.signed_client import SignedClient

ONETIME = "/v1/actions/onetime-product/"
SUBSCRIPTION = "/v1/actions/subscription-product/"
PRICES = {
    "USD": {"amount": "29.00", "taxCategory": "digital_goods"},
    "EUR": {"amount": "27.00", "taxCategory": "digital_goods", "taxIncluded": True},
    "JPY": {"amount": "4500", "taxCategory": "digital_goods"},
}


def create_onetime(api, store, **extra):
    body = {"storeId": store.public_id, "name": "E-Book", "prices": PRICES, **extra}
    return api.post(ONETIME + "create-product", body)


def test_create_onetime_product_returns_the_sdk_shape(api, store):
    response = create_onetime(
        api,
        store,
        description="Complete guide",
        media=[{"type": "image", "url": "https://example.com/cover.jpg", "alt": "Cover"}],
        metadata={"sku": "ebook-001"},
        successUrl="https://example.com/thanks",
    )

    assert response.status_code == 200
    product = response.json()["data"]["product"]
    assert product["id"].startswith("PROD_")
    assert product["storeId"] == store.public_id
    assert product["prices"] == {
        "EUR": {"amount": "27.00", "taxCategory": "digital_goods", "taxIncluded": True},
        "JPY": {"amount": "4500", "taxCategory": "digital_goods", "taxIncluded": False},
        "USD": {"amount": "29.00", "taxCategory": "digital_goods", "taxIncluded": False},
    }
    assert product["status"] == "active"
    assert product["metadata"] == {"sku": "ebook-001"}
    assert "billingPeriod" not in product
    assert ProductPrice.objects.get(currency="USD").amount_minor == 2900


def test_create_subscription_product_with_trial(api, store):
    response = api.post(
        SUBSCRIPTION + "create-product",
        {
            "storeId": store.public_id,
            "name": "Pro Plan",
            "billingPeriod": "monthly",
            "metadata": {"trialDays": 7},
            "prices": {"USD": {"amount": "9.99", "taxCategory": "saas", "trialAmount": "1.00"}},
        },
    )
    product = response.json()["data"]["product"]
    assert product["billingPeriod"] == "monthly"
    assert product["prices"]["USD"]["trialAmount"] == "1.00"


@pytest.mark.parametrize(
    ("prices", "message"),
    [
        (
            {"USD": {"amount": "29.001", "taxCategory": "saas"}},
            'Invalid prices.USD.amount: "29.001" is not a valid USD amount '
            "(a non-negative number with at most 2 decimal places)",
        ),
        (
            {"JPY": {"amount": "4500.5", "taxCategory": "saas"}},
            'Invalid prices.JPY.amount: "4500.5" is not a valid JPY amount '
            "(a non-negative number with at most 0 decimal places)",
        ),
        (
            {"usd": {"amount": "1.00", "taxCategory": "saas"}},
            'Invalid currency format: "usd". Must be 3 uppercase letters (e.g., "USD", "EUR", "JPY")',
        ),
        ({"ABC": {"amount": "1.00", "taxCategory": "saas"}}, "Currency ABC is not supported"),
        (
            {"USD": {"amount": "1.00", "taxCategory": "food"}},
            "Invalid prices.USD.taxCategory: expected one of [digital_goods, saas, software, "
            'ebook, online_course, consulting, professional_service, physical_goods], got "food"',
        ),
        ({"USD": {"amount": 29.0, "taxCategory": "saas"}}, None),
        ({}, "prices must contain at least one currency"),
        (
            {"USD": {"amount": "9.00", "taxCategory": "saas", "trialAmount": "1.00"}},
            "prices.USD.trialAmount is only allowed on subscription products",
        ),
    ],
)
def test_create_product_refuses_invalid_prices_and_writes_nothing(api, store, prices, message):
    response = api.post(
        ONETIME + "create-product", {"storeId": store.public_id, "name": "X", "prices": prices}
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["layer"] == "product"
    if message:
        assert error["message"] == message
    assert not Product.objects.exists()


def test_kwd_takes_three_decimals(api, store):
    response = api.post(
        ONETIME + "create-product",
        {
            "storeId": store.public_id,
            "name": "X",
            "prices": {"KWD": {"amount": "1.250", "taxCategory": "saas"}},
        },
    )
    assert response.json()["data"]["product"]["prices"]["KWD"]["amount"] == "1.250"


def test_subscription_needs_a_known_billing_period(api, store):
    body = {"storeId": store.public_id, "name": "Pro", "prices": PRICES}
    missing = api.post(SUBSCRIPTION + "create-product", body)
    wrong = api.post(SUBSCRIPTION + "create-product", {**body, "billingPeriod": "daily"})
    assert missing.json()["errors"][0]["message"] == "Missing required field: billingPeriod"
    assert wrong.status_code == 400


def test_trial_amount_needs_trial_days(api, store):
    response = api.post(
        SUBSCRIPTION + "create-product",
        {
            "storeId": store.public_id,
            "name": "Pro",
            "billingPeriod": "yearly",
            "prices": {"USD": {"amount": "99.00", "taxCategory": "saas", "trialAmount": "0.00"}},
        },
    )
    assert response.json()["errors"][0]["message"] == (
        "prices.USD.trialAmount requires metadata.trialDays (a positive integer)"
    )


def test_update_makes_a_new_version_and_keeps_omitted_fields(api, store):
    product_id = create_onetime(api, store, description="First").json()["data"]["product"]["id"]
    first_version = Product.objects.get().test_version

    response = api.post(ONETIME + "update-product", {"id": product_id, "name": "E-Book v2"})

    product = response.json()["data"]["product"]
    assert product["name"] == "E-Book v2"
    assert product["description"] == "First"
    assert product["prices"]["USD"]["amount"] == "29.00"
    assert ProductVersion.objects.count() == 2
    first_version.refresh_from_db()
    assert first_version.name == "E-Book"  # the old version is untouched


def test_update_that_changes_nothing_makes_no_version(api, store):
    product_id = create_onetime(api, store).json()["data"]["product"]["id"]
    before = Product.objects.get().updated_at

    response = api.post(
        ONETIME + "update-product", {"id": product_id, "name": "  E-Book ", "prices": PRICES}
    )

    assert response.status_code == 200
    assert ProductVersion.objects.count() == 1
    assert Product.objects.get().updated_at == before


def test_update_prices_replaces_the_price_map(api, store):
    product_id = create_onetime(api, store).json()["data"]["product"]["id"]
    response = api.post(
        ONETIME + "update-product",
        {"id": product_id, "prices": {"USD": {"amount": "39.00", "taxCategory": "digital_goods"}}},
    )
    assert list(response.json()["data"]["product"]["prices"]) == ["USD"]


def test_publish_promotes_test_version_to_prod(api, store, merchant):
    product_id = create_onetime(api, store).json()["data"]["product"]["id"]
    api.post(ONETIME + "update-product", {"id": product_id, "name": "v2"})

    response = api.post(ONETIME + "publish-product", {"id": product_id})

    assert response.status_code == 200
    product = Product.objects.get()
    assert product.prod_version_id == product.test_version_id
    assert product.prod_version.number == 2

    api.post(ONETIME + "update-product", {"id": product_id, "name": "v3"})
    product.refresh_from_db()
    assert product.prod_version.name == "v2"  # prod keeps what was published


def test_prod_key_sees_prod_version_and_status(api, store, merchant):
    ApiKeyFactory(merchant=merchant, environment=Environment.PROD, public_key=OTHER_KEY_PAIR[1])
    prod = SignedClient(merchant.public_id, OTHER_KEY_PAIR[0])
    product_id = create_onetime(api, store).json()["data"]["product"]["id"]

    unpublished = prod.post(ONETIME + "update-status", {"id": product_id, "status": "active"})
    assert unpublished.json()["data"]["product"]["status"] == "inactive"

    prod.post(ONETIME + "publish-product", {"id": product_id})
    prod.post(ONETIME + "update-status", {"id": product_id, "status": "inactive"})
    product = Product.objects.get()
    assert (product.test_status, product.prod_status) == ("active", "inactive")
    assert (
        api.post(ONETIME + "update-status", {"id": product_id, "status": "active"}).json()["data"][
            "product"
        ]["status"]
        == "active"
    )


def test_update_status_validates_status(api, store):
    product_id = create_onetime(api, store).json()["data"]["product"]["id"]
    missing = api.post(ONETIME + "update-status", {"id": product_id})
    wrong = api.post(ONETIME + "update-status", {"id": product_id, "status": "archived"})
    assert missing.json()["errors"][0]["message"] == "Missing required field: status"
    assert wrong.status_code == 400


def test_another_merchants_product_is_not_found(api):
    foreign = ProductFactory(store=StoreFactory(owner=MerchantFactory()))
    for verb, extra in [
        ("update-product", {"name": "stolen"}),
        ("publish-product", {}),
        ("update-status", {"status": "inactive"}),
    ]:
        response = api.post(ONETIME + verb, {"id": foreign.public_id, **extra})
        assert response.status_code == 404
        assert response.json()["errors"][0]["message"] == "Product not found"
    foreign.refresh_from_db()
    assert (foreign.version_count, foreign.prod_version_id, foreign.test_status) == (
        1,
        None,
        "active",
    )


def test_create_in_another_merchants_store_is_not_found(api):
    foreign_store = StoreFactory(owner=MerchantFactory())
    response = create_onetime(api, foreign_store)
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "Store not found"


def test_subscription_endpoint_does_not_reach_onetime_products(api, store):
    product = ProductFactory(store=store)
    response = api.post(SUBSCRIPTION + "publish-product", {"id": product.public_id})
    assert response.status_code == 404


def test_bad_product_id_is_a_format_error(api):
    response = api.post(ONETIME + "publish-product", {"id": "PROD_xyz"})
    assert response.json()["errors"][0]["message"] == 'Expected format: PROD_xxx, got "PROD_xyz"'


@pytest.mark.parametrize(
    ("verb", "extra"),
    [
        ("update-product", {"name": "Budget", "prices": PRICES}),
        ("publish-product", {}),
        ("update-status", {"status": "inactive"}),
    ],
)
def test_catalog_actions_stay_within_twelve_statements(
    api, store, django_assert_max_num_queries, verb, extra
):
    product = ProductFactory(store=store)
    # ten, one for the caller's role in the product's store (stores.api.access), and one
    # to remember the signature (replay refusal) when no Redis keeps it
    with django_assert_max_num_queries(12):
        response = api.post(ONETIME + verb, {"id": product.public_id, **extra})
    assert response.status_code == 200


def test_create_product_stays_within_eleven_statements(api, store, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        assert create_onetime(api, store).status_code == 200
