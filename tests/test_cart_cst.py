"""``POST /checkout/cst``: a short-lived customer session token for one live checkout, with the
buyer's prefill fields as claims, and the hosted URL that hands it to the page."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from checkout.models import CheckoutSession, SessionStatus
from core import tokens
from tests.cart_factories import (
    US_ADDRESS,
    CartApi,
    ShippingMethodFactory,
    begin,
    make_cart,
    merchant_with_store,
    new_secret,
    physical_product,
)
from tests.checkout_factories import expire

pytestmark = pytest.mark.django_db

CST = "/checkout/cst"


@pytest.fixture
def shop():
    merchant, store, api = merchant_with_store()
    boots = physical_product(store, name="Boots")
    ShippingMethodFactory(store=store, prices={"USD": 500})
    cart = make_cart(store, (boots, 1))
    return merchant, store, api, cart


def live(api, cart) -> str:
    return begin(api, cart)["checkout_session_id"]


def test_token_carries_normalized_prefill_claims(shop, settings):
    _, store, api, cart = shop
    cart_id = live(api, cart)
    response = api.post(
        CST,
        {
            "cart_id": cart_id,
            "email": "  Ada@Example.COM ",
            "first_name": " Ada ",
            "last_name": "Lovelace",
            "country_code": "us",
            "province_code": "wa",
            "postal_code": "98101",
            "city": "",
            "address2": None,
            "phone": "+1 206 555 0100",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "expires_at", "checkout_url"}
    claims = tokens.read_customer_token(body["token"])
    assert claims.buyer_identity == "ada@example.com"
    assert claims.store_id == str(store.pk)
    assert claims.extra == {
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "country_code": "US",
        "province_code": "WA",
        "postal_code": "98101",
        "phone": "+1 206 555 0100",
    }
    assert body["expires_at"].endswith(".000Z")
    delta = claims.expires_at - timezone.now()
    assert 0 < delta.total_seconds() <= 300
    assert body["checkout_url"] == (
        f"{settings.PUBLIC_BASE_URL}/store/{store.slug}/checkout/{cart_id}#token={body['token']}"
    )


def test_without_email_the_token_is_bound_to_the_checkout(shop):
    _, _, api, cart = shop
    cart_id = live(api, cart)
    body = api.post(CST, {"cart_id": cart_id}).json()
    claims = tokens.read_customer_token(body["token"])
    assert claims.buyer_identity == f"cst:{cart_id}"
    assert claims.extra == {}


def test_the_hosted_page_opens_from_the_checkout_url(shop, client):
    _, _, api, cart = shop
    body = api.post(CST, {"cart_id": live(api, cart), "email": "ada@example.com"}).json()
    url = urlsplit(body["checkout_url"])
    assert url.fragment == f"token={body['token']}"
    page = client.get(url.path)
    assert page.status_code == 200
    assert "Boots" in page.content.decode()


def test_the_token_reaches_its_checkout_for_shipping(shop, client):
    _, _, api, cart = shop
    mine, other = live(api, cart), live(api, cart)
    token = api.post(CST, {"cart_id": mine}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    def ship(cart_id):
        return client.post(
            "/checkout/shipping",
            {"cart_id": cart_id, "buyer_info": US_ADDRESS},
            content_type="application/json",
            headers=headers,
        )

    assert ship(mine).status_code == 200
    # A token minted for one checkout (no email) reaches that checkout only.
    assert ship(other).status_code == 404


def test_another_merchants_session_404(shop):
    _, _, api, cart = shop
    cart_id = live(api, cart)
    _, _, stranger = merchant_with_store()
    response = stranger.post(CST, {"cart_id": cart_id, "email": "a@b.co"})
    assert response.status_code == 404
    assert response.json() == {
        "error": {"status": 404, "code": "not_found", "message": "Checkout session not found"}
    }


def test_another_environment_404_and_bearer_secret_works(shop):
    merchant, _, api, cart = shop
    cart_id = live(api, cart)
    prod = CartApi(merchant, secret=new_secret(merchant, "prod"))
    assert prod.post(CST, {"cart_id": cart_id}).status_code == 404
    test = CartApi(merchant, secret=new_secret(merchant))
    assert test.post(CST, {"cart_id": cart_id}).status_code == 200


@pytest.mark.parametrize(
    "cart_id", ["cs_nope", "cs_00000000-0000-4000-8000-000000000000", "01ARZ3NDEKTSV4RRFFQ69G5FAV"]
)
def test_unknown_sessions_404(shop, cart_id):
    _, _, api, _ = shop
    assert api.post(CST, {"cart_id": cart_id}).status_code == 404


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"cart_id": None}, "Missing required field: cart_id"),
        ({"cart_id": ""}, "Missing required field: cart_id"),
        ({"cart_id": ["cs_x"]}, "cart_id must be a string"),
        ({"buyer_identity": "x"}, "buyer_identity is not a known field"),
        ({"email": "nope"}, "email must be an email address"),
        ({"email": 5}, "email must be a string of at most 254 characters"),
        ({"country_code": "XX"}, "country_code must be an ISO 3166-1 alpha-2 country code"),
        ({"country_code": "USA"}, "country_code must be a string of at most 2 characters"),
        (
            {"country_code": "US", "province_code": "ZZ"},
            "province_code must be a valid state or province of US",
        ),
        ({"phone": "call me"}, "phone must be a phone number with country code"),
        ({"first_name": "x" * 101}, "first_name must be a string of at most 100 characters"),
    ],
)
def test_bad_bodies_400(shop, extra, message):
    _, _, api, cart = shop
    body = {"cart_id": live(api, cart), **extra}
    response = api.post(CST, body)
    assert response.status_code == 400
    assert response.json()["error"] == {"status": 400, "code": "bad_request", "message": message}


def test_completed_session_409_and_expired_422(shop):
    _, _, api, cart = shop
    done, old = live(api, cart), live(api, cart)
    CheckoutSession.objects.filter(pk=done[3:]).update(status=SessionStatus.COMPLETED)
    response = api.post(CST, {"cart_id": done})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    expire(CheckoutSession.objects.get(pk=old[3:]))
    response = api.post(CST, {"cart_id": old})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Checkout session has expired"


def test_customer_tokens_cannot_mint_tokens(shop, client):
    _, store, api, cart = shop
    token = tokens.issue_customer_token(buyer_identity="b", store_id=str(store.pk))[0]
    response = client.post(
        CST,
        {"cart_id": live(api, cart)},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401
