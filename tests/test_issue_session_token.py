"""Seed 000: issue-session-token, every row of its error table, and the token itself."""

from datetime import timedelta

import jwt
import pytest
from django.utils import timezone

from checkout import services
from core import tokens
from stores.models import StoreStatus
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient

PATH = "/v1/actions/auth/issue-session-token"


def assert_error(response, status, message):
    assert response.status_code == status, response.content
    assert response.json() == {
        "data": None,
        "errors": [{"message": message, "layer": response.json()["errors"][0]["layer"]}],
    }


def test_token_for_a_store(api, store):
    before = timezone.now()
    response = api.post(PATH, {"storeId": store.public_id, "buyerIdentity": "Customer@Example.com"})

    assert response.status_code == 200
    data = response.json()["data"]
    claims = tokens.read_customer_token(data["token"])
    assert claims.buyer_identity == "customer@example.com"
    assert claims.store_id == str(store.pk)
    assert claims.expires_at - before <= timedelta(minutes=5, seconds=1)
    assert data["expiresAt"].endswith(".000Z")
    header = jwt.get_unverified_header(data["token"])
    raw = jwt.decode(data["token"], options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert {"iss", "aud", "sub", "iat", "exp", "jti", "sto"} <= set(raw)
    assert raw["exp"] - raw["iat"] == 300


def test_token_for_a_product_derives_its_store(api, store):
    product = ProductFactory(store=store)
    response = api.post(PATH, {"productId": product.public_id, "buyerIdentity": "user-1"})
    claims = tokens.read_customer_token(response.json()["data"]["token"])
    assert (claims.store_id, claims.buyer_identity) == (str(store.pk), "user-1")


@pytest.mark.parametrize("identity", [None, "", "   ", 42])
def test_400_missing_required_field_buyer_identity(api, store, identity):
    body = {"storeId": store.public_id}
    if identity is not None:
        body["buyerIdentity"] = identity
    assert_error(api.post(PATH, body), 400, "Missing required field: buyerIdentity")


def test_400_missing_store_or_product(api):
    response = api.post(PATH, {"buyerIdentity": "u"})
    assert_error(response, 400, "Missing required field: provide storeId or productId")


def test_400_expected_format_store(api):
    response = api.post(PATH, {"storeId": "STO_bad", "buyerIdentity": "u"})
    assert_error(response, 400, 'Expected format: STO_xxx, got "STO_bad"')


def test_400_expected_format_product(api):
    response = api.post(PATH, {"productId": "prod-1", "buyerIdentity": "u"})
    assert_error(response, 400, 'Expected format: PROD_xxx, got "prod-1"')


def test_400_store_is_not_active(api, store):
    store.status = StoreStatus.INACTIVE
    store.save()
    response = api.post(PATH, {"storeId": store.public_id, "buyerIdentity": "u"})
    assert_error(response, 400, "Store is not active")


@pytest.mark.parametrize("how", ["none", "bad-signature", "store-slug"])
def test_401_missing_merchant_id_in_request_context(client, merchant, store, how):
    body = {"storeId": store.public_id, "buyerIdentity": "u"}
    if how == "bad-signature":
        response = SignedClient(merchant.public_id, TEST_KEY_PAIR[0]).post(
            PATH, body, headers={"X-Signature": "AAAA"}
        )
    else:
        headers = (
            {"X-Store-Slug": store.slug, "X-Environment": "test"} if how == "store-slug" else {}
        )
        response = client.post(PATH, body, content_type="application/json", headers=headers)
    assert_error(response, 401, "Missing merchantId in request context")


def test_403_access_denied_to_another_merchants_store(api):
    foreign = StoreFactory(owner=MerchantFactory())
    response = api.post(PATH, {"storeId": foreign.public_id, "buyerIdentity": "u"})
    assert_error(response, 403, "Access denied: you do not have permission to this store")
    product = ProductFactory(store=foreign)
    response = api.post(PATH, {"productId": product.public_id, "buyerIdentity": "u"})
    assert_error(response, 403, "Access denied: you do not have permission to this store")


def test_404_store_not_found(api, store):
    missing = StoreFactory.build().public_id
    assert_error(api.post(PATH, {"storeId": missing, "buyerIdentity": "u"}), 404, "Store not found")
    store.deleted_at = timezone.now()
    store.save()
    response = api.post(PATH, {"storeId": store.public_id, "buyerIdentity": "u"})
    assert_error(response, 404, "Store not found")


def test_404_product_not_found(api):
    response = api.post(PATH, {"productId": "PROD_" + "2" * 22, "buyerIdentity": "u"})
    assert_error(response, 404, "Product not found")


def test_500_internal_server_error(api, store, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "session_token_issue", explode)
    response = api.post(PATH, {"storeId": store.public_id, "buyerIdentity": "u"})
    assert_error(response, 500, "Internal server error")


def test_tokens_refuse_tampering_expiry_and_other_audiences(store):
    token, _ = tokens.issue_customer_token(buyer_identity="u", store_id=str(store.pk))
    tampered = token[:-2] + ("B" if token[-2] == "A" else "A") + token[-1]
    with pytest.raises(tokens.InvalidToken):
        tokens.read_customer_token(tampered)
    old, _ = tokens.issue_customer_token(
        buyer_identity="u", store_id=str(store.pk), now=timezone.now() - timedelta(minutes=6)
    )
    with pytest.raises(tokens.InvalidToken):
        tokens.read_customer_token(old)
    forged = jwt.encode(
        {"sub": "u", "sto": str(store.pk), "exp": 9999999999, "iat": 1, "jti": "x",
         "iss": tokens.ISSUER, "aud": "someone-else"},
        tokens._secret(),
        algorithm="HS256",
    )  # fmt: skip
    with pytest.raises(tokens.InvalidToken):
        tokens.read_customer_token(forged)
    unsigned = jwt.encode({"sub": "u"}, key=None, algorithm="none")
    with pytest.raises(tokens.InvalidToken):
        tokens.read_customer_token(unsigned)


def _signed(claims: dict) -> str:
    base = {"sub": "u", "jti": "x", "iss": tokens.ISSUER, "aud": tokens.CUSTOMER_AUDIENCE}
    return jwt.encode({**base, **claims}, tokens._secret(), algorithm="HS256")


@pytest.mark.parametrize(
    ("iat_offset", "exp_offset"),
    [
        (0, 3600),  # an hour: longer than any token we issue
        (0, 10**9),  # far future
        (3600, 3900),  # "issued" an hour from now
    ],
    ids=["hour-long", "far-future", "issued-in-the-future"],
)
def test_a_signed_token_outside_the_lifetime_rules_is_refused(store, iat_offset, exp_offset):
    now = int(timezone.now().timestamp())
    token = _signed({"sto": str(store.pk), "iat": now + iat_offset, "exp": now + exp_offset})

    with pytest.raises(tokens.InvalidToken):
        tokens.read_customer_token(token)


def test_a_token_within_the_rules_is_read(store):
    now = int(timezone.now().timestamp())
    token = _signed({"sto": str(store.pk), "iat": now, "exp": now + 300})

    assert tokens.read_customer_token(token).store_id == str(store.pk)
