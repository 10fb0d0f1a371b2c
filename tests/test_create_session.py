import re
from datetime import timedelta

import pytest
from django.utils import timezone

from checkout.models import CheckoutSession
from tests.factories import ProductFactory

PATH = "/v1/actions/checkout/create-session"
ONETIME = "/v1/actions/onetime-product/"
SESSION_ID = re.compile(r"^cs_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture
def product(store):
    return ProductFactory(store=store)


def slug_post(client, store, body, environment="test"):
    return client.post(
        PATH,
        body,
        content_type="application/json",
        headers={"X-Store-Slug": store.slug, "X-Environment": environment},
    )


def test_create_session_answers_the_seed_shape(api, store, product, settings):
    settings.PUBLIC_BASE_URL = "https://pay.example.com"
    before = timezone.now()
    response = api.post(PATH, {"productId": product.public_id, "currency": "USD"})

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"sessionId", "checkoutUrl", "expiresAt"}
    assert SESSION_ID.match(data["sessionId"])
    assert data["checkoutUrl"] == (
        f"https://pay.example.com/store/{store.slug}/checkout/{data['sessionId']}"
    )
    session = CheckoutSession.objects.get()
    assert (
        before + timedelta(seconds=2699)
        <= session.expires_at
        <= timezone.now() + timedelta(seconds=2700)
    )
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", data["expiresAt"])


def test_session_locks_version_price_names_and_buyer(api, store, product):
    response = api.post(
        PATH,
        {
            "productId": product.public_id,
            "currency": "EUR",
            "buyerEmail": "  Foo@Bar.COM ",
            "billingDetail": {"country": "US", "isBusiness": False, "state": "ca"},
            "successUrl": "https://example.com/thanks",
            "darkMode": True,
            "language": "pt-BR",
            "metadata": {"campaign": "spring"},
            "orderMerchantExternalId": "  ORDER-1  ",
        },
    )
    assert response.status_code == 200
    session = CheckoutSession.objects.get()
    locked_version = product.test_version

    api.post(
        ONETIME + "update-product",
        {
            "id": product.public_id,
            "name": "Renamed",
            "prices": {"EUR": {"amount": "99.00", "taxCategory": "saas"}},
        },
    )
    store.name = "Renamed store"
    store.save()
    session.refresh_from_db()

    (line,) = session.line_items
    assert line.product_version_id == locked_version.pk
    assert line.name == locked_version.name != "Renamed"
    assert line.unit_amount_minor == 2700 and line.tax_category == "digital_goods"
    assert line.quantity == 1
    assert session.currency == "EUR"
    assert session.buyer_email == "foo@bar.com"
    assert session.billing_detail == {"country": "US", "isBusiness": False, "state": "CA"}
    assert session.success_url == "https://example.com/thanks"
    assert session.dark_mode is True and session.language == "pt-BR"
    assert session.metadata == {"campaign": "spring"}
    assert session.order_merchant_external_id == "ORDER-1"
    assert session.store_name != "Renamed store"
    assert "light" in session.theme and "dark" in session.theme


def test_store_slug_silently_drops_the_five_merchant_only_fields(client, store, product):
    response = slug_post(
        client,
        store,
        {
            "productId": product.public_id,
            "currency": "USD",
            "priceSnapshot": {"amount": "0.01", "taxCategory": "saas"},
            "expiresInSeconds": -5,
            "metadata": "not even an object",
            "orderMerchantExternalId": "",
            "withTrial": "maybe",
            "buyerEmail": "Buyer@Example.com",
        },
    )
    assert response.status_code == 200, response.content
    session = CheckoutSession.objects.get()
    (line,) = session.line_items
    assert line.unit_amount_minor == 2900 and not line.price_overridden
    assert session.metadata == {} and session.order_merchant_external_id == ""
    assert (session.expires_at - session.created_at).total_seconds() == pytest.approx(2700, abs=2)
    assert session.created_via == "store_slug"
    assert session.buyer_email == "buyer@example.com"


def test_price_snapshot_overrides_the_stored_price_for_merchants(api, product):
    response = api.post(
        PATH,
        {
            "productId": product.public_id,
            "currency": "USD",
            "priceSnapshot": {"amount": "19.99", "taxCategory": "saas", "taxIncluded": True},
        },
    )
    assert response.status_code == 200
    session = CheckoutSession.objects.get()
    (line,) = session.line_items
    assert (line.unit_amount_minor, line.tax_category, line.tax_included) == (
        1999,
        "saas",
        True,
    )
    assert line.price_overridden


@pytest.mark.parametrize("snapshot", [{"amount": "19.999", "taxCategory": "saas"}, {"amount": "1"}])
def test_invalid_price_snapshot_is_a_400(api, product, snapshot):
    body = {"productId": product.public_id, "currency": "USD", "priceSnapshot": snapshot}
    assert api.post(PATH, body).status_code == 400


@pytest.mark.parametrize(
    ("ttl", "status"),
    [(60, 200), (604800, 200), (59, 400), (604801, 400), ("60", 400), (60.5, 400), (True, 400)],
)
def test_expires_in_seconds_bounds(api, product, ttl, status):
    response = api.post(
        PATH, {"productId": product.public_id, "currency": "USD", "expiresInSeconds": ttl}
    )
    assert response.status_code == status
    if status == 400:
        assert response.json()["errors"][0]["message"] == (
            "expiresInSeconds must be an integer between 60 and 604800"
        )


def test_unsupported_language_is_a_400(api, product):
    body = {"productId": product.public_id, "currency": "USD", "language": "xx-YY"}
    assert api.post(PATH, body).json()["errors"][0]["message"] == "Unsupported language: xx-YY"


def test_prod_needs_an_approved_store_and_a_published_active_version(store, product, prod_api):
    store.prod_enabled = True
    store.save()
    published = ProductFactory(store=store, publish=True)
    response = prod_api.post(PATH, {"productId": published.public_id, "currency": "JPY"})
    assert response.status_code == 200
    session = CheckoutSession.objects.get()
    assert (session.environment, session.line_items[0].unit_amount_minor) == ("prod", 4500)


def test_subscription_session_locks_period_and_default_trial(api, store):
    product = ProductFactory(
        store=store,
        product_type="subscription",
        billing_period="yearly",
        metadata={"trialDays": 14},
        prices={"USD": {"amount": "99.00", "taxCategory": "saas", "trialAmount": "1.00"}},
    )
    api.post(PATH, {"productId": product.public_id, "currency": "USD"})
    api.post(PATH, {"productId": product.public_id, "currency": "USD", "withTrial": False})
    with_default, without = (
        session.line_items[0] for session in CheckoutSession.objects.order_by("created_at")
    )
    assert with_default.billing_period == "yearly"
    assert (with_default.with_trial, with_default.trial_amount_minor, with_default.trial_days) == (
        True,
        100,
        14,
    )
    assert (without.with_trial, without.trial_amount_minor) == (False, None)


def test_with_trial_on_a_product_without_trial_is_a_400(api, product):
    body = {"productId": product.public_id, "currency": "USD", "withTrial": True}
    assert api.post(PATH, body).status_code == 400


def test_include_and_exclude_payment_methods_are_mutually_exclusive(api, product):
    body = {
        "productId": product.public_id,
        "currency": "USD",
        "includePaymentMethods": ["card"],
        "excludePaymentMethods": ["wechat"],
    }
    assert api.post(PATH, body).status_code == 400


def test_create_session_costs_at_most_six_statements_with_idempotency(
    api, product, django_assert_max_num_queries
):
    api.post(PATH, {"productId": product.public_id, "currency": "USD"})  # warm the key's last_used
    # five, and one to remember the signature (replay refusal) when no Redis keeps it
    with django_assert_max_num_queries(6):
        response = api.post(
            PATH, {"productId": product.public_id, "currency": "USD"}, idempotency_key="budget-1"
        )
    assert response.status_code == 200


def test_idempotent_create_session_returns_the_same_session(api, product):
    body = {"productId": product.public_id, "currency": "USD"}
    first = api.post(PATH, body, idempotency_key="same-session")
    second = api.post(PATH, body, idempotency_key="same-session")
    assert first.json() == second.json()
    assert CheckoutSession.objects.count() == 1


def test_store_slug_success_url_must_stay_on_the_store_website(client, store, product):
    body = {
        "productId": product.public_id,
        "currency": "USD",
        "successUrl": "https://evil.example/x",
    }
    refused = slug_post(client, store, body)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "successUrl must be on the store's website"

    store.website = "https://shop.example.com"
    store.save()
    ok = slug_post(client, store, {**body, "successUrl": "https://www.shop.example.com/thanks"})
    assert ok.status_code == 200
    assert slug_post(client, store, body).status_code == 400


def test_store_slug_callers_get_no_idempotent_replay(client, store, product):
    body = {"productId": product.public_id, "currency": "USD"}
    headers = {"X-Store-Slug": store.slug, "X-Environment": "test", "X-Idempotency-Key": "same"}
    first = client.post(PATH, body, content_type="application/json", headers=headers)
    second = client.post(PATH, body, content_type="application/json", headers=headers)
    assert first.json()["data"]["sessionId"] != second.json()["data"]["sessionId"]
