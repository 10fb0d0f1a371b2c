"""Partner credentials: client-credentials tokens from django-oauth-toolkit, checked on every
partner call with seed 003's 401 wording."""

import base64
import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from partners.authentication import UNAUTHORIZED
from partners.models import Partner
from tests.partner_factories import TOKEN_URL, PartnerFactory, bearer, fetch_token

VALIDATE = "/partner/checkout/validate"
BASKET = "basket-00000000-0000-0000-0000-000000000000"


def _validate(client, **headers):
    return client.post(VALIDATE, {"basketId": BASKET}, content_type="application/json", **headers)


def test_client_credentials_token_is_issued_short_lived_with_the_baskets_scope(db, client):
    partner = PartnerFactory()
    response = fetch_token(client, partner)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["scope"] == "baskets"
    checksum = hashlib.sha256(body["access_token"].encode()).hexdigest()
    assert AccessToken.objects.get(token_checksum=checksum).application == partner.application


def test_client_secret_is_stored_hashed(db):
    partner = PartnerFactory()
    stored = Partner.objects.get(pk=partner.pk).application.client_secret
    assert stored != partner.client_secret
    assert stored.startswith("pbkdf2_") or "$" in stored


def test_wrong_secret_gets_401(db, client):
    partner = PartnerFactory()
    response = fetch_token(client, partner, secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_valid_token_reaches_the_api(db, client):
    partner = PartnerFactory()
    response = _validate(client, **bearer(client, partner))
    assert response.status_code == 404  # authenticated; the basket does not exist
    assert response.json()["error"]["message"] == "Basket not found"


def test_missing_token_gets_401_with_the_seed_message(db, client):
    response = _validate(client)
    assert response.status_code == 401
    assert response.json() == {
        "error": {"status": 401, "code": "unauthorized", "message": UNAUTHORIZED}
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_gets_401(db, client):
    response = _validate(client, HTTP_AUTHORIZATION="Bearer made-up")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == UNAUTHORIZED


def test_expired_token_gets_401_with_the_seed_message(db, client):
    partner = PartnerFactory()
    headers = bearer(client, partner)
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = _validate(client, **headers)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == UNAUTHORIZED


def test_inactive_partner_gets_401(db, client):
    partner = PartnerFactory()
    headers = bearer(client, partner)
    Partner.objects.filter(pk=partner.pk).update(active=False)
    assert _validate(client, **headers).status_code == 401


def test_wrong_method_is_405_before_credentials(db, client):
    response = client.get(VALIDATE)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_token_in_the_query_string_is_refused(db, client):
    partner = PartnerFactory()
    token = fetch_token(client, partner).json()["access_token"]
    response = client.post(
        f"{VALIDATE}?access_token={token}",
        {"basketId": BASKET},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["error"]["message"] == UNAUTHORIZED


@pytest.mark.parametrize(
    "fields",
    [{"client_id": "ab\x00c"}, {"client_secret": "x\x00"}, {"client_id": "a" * 300}],
)
def test_token_request_with_unstorable_fields_is_an_oauth_400(db, client, fields):
    partner = PartnerFactory()
    form = {
        "grant_type": "client_credentials",
        "client_id": partner.client_id,
        "client_secret": partner.client_secret,
        **fields,
    }
    response = client.post(TOKEN_URL, form)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert not AccessToken.objects.exists()


def test_token_request_with_nul_in_basic_credentials_is_an_oauth_400(db, client):
    credentials = base64.b64encode(b"ab\x00c:secret").decode()
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_token_endpoint_answers_other_methods_with_a_json_405(db, client):
    response = client.get(TOKEN_URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_token_endpoint_errors_keep_the_oauth_shape(db, client):
    partner = PartnerFactory()
    response = fetch_token(client, partner, secret="wrong")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_superuser_creates_a_partner_and_sees_the_secret_once(db, client):
    from tests.admin_factories import SuperuserFactory

    client.force_login(SuperuserFactory())
    response = client.post(
        "/admin/partners/partner/add/",
        {"name": "Acme Resellers", "environment": "test", "active": "on"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    partner = Partner.objects.get()
    secret = page.context["secret"]
    assert secret and partner.client_id in page.content.decode()
    assert fetch_token(client, partner, secret=secret).status_code == 200
    assert client.get(response["Location"]).context["secret"] is None
