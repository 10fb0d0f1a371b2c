"""The partner token endpoint (issue 17, finding 5): client secrets hashed with a fast
hash, unknown and wrong clients checked the same way, a throttle per client address, and
access tokens kept only as their checksum."""

import hashlib

import pytest
from django.contrib.auth.hashers import make_password
from oauth2_provider.models import AccessToken, Application

from core.hashers import SecretSha256Hasher
from partners.models import Partner
from tests.partner_factories import TOKEN_URL, PartnerFactory, bearer, fetch_token

pytestmark = pytest.mark.django_db

VALIDATE = "/partner/checkout/validate"
BASKET = "basket-00000000-0000-0000-0000-000000000000"


def test_client_secrets_are_hashed_with_the_fast_secret_hash():
    partner = PartnerFactory()

    stored = Application.objects.get(pk=partner.application_id).client_secret

    assert stored.startswith("secret_sha256$")
    assert partner.client_secret not in stored
    assert SecretSha256Hasher().verify(partner.client_secret, stored)
    assert not SecretSha256Hasher().verify(partner.client_secret + "x", stored)


def test_a_token_is_issued_for_the_right_secret(client):
    partner = PartnerFactory()
    assert fetch_token(client, partner).status_code == 200


def test_a_secret_hashed_with_the_password_hasher_moves_to_the_fast_hash(client, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "core.hashers.SecretSha256Hasher",
    ]
    partner = PartnerFactory()
    legacy = make_password(partner.client_secret, hasher="pbkdf2_sha256")
    Application.objects.filter(pk=partner.application_id).update(client_secret=legacy)

    assert fetch_token(client, partner).status_code == 200
    upgraded = Application.objects.get(pk=partner.application_id).client_secret
    assert upgraded.startswith("secret_sha256$")
    assert fetch_token(client, partner).status_code == 200


@pytest.fixture
def secret_checks(monkeypatch):
    """How many secrets a token request checks (each one is a hash computation)."""
    checked: list[str] = []
    real_verify = SecretSha256Hasher.verify

    def counting(self, password, encoded):
        checked.append(encoded)
        return real_verify(self, password, encoded)

    monkeypatch.setattr(SecretSha256Hasher, "verify", counting)
    return checked


def test_an_unknown_client_costs_what_a_wrong_secret_costs(client, secret_checks):
    partner = PartnerFactory()

    wrong = fetch_token(client, partner, secret="not-the-secret")
    wrong_checks = len(secret_checks)
    secret_checks.clear()
    unknown = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"},
    )

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong_checks >= 1
    assert len(secret_checks) == wrong_checks


def test_the_token_endpoint_is_throttled_per_client_address(client, settings):
    settings.PARTNER_TOKEN_RATE = "2/min"
    partner = PartnerFactory()

    answers = [fetch_token(client, partner, secret="guess") for _ in range(2)]
    throttled = fetch_token(client, partner)  # even the right secret waits
    elsewhere = client.post(
        TOKEN_URL,
        {
            "grant_type": "client_credentials",
            "client_id": partner.client_id,
            "client_secret": partner.client_secret,
        },
        REMOTE_ADDR="198.51.100.4",
    )

    assert [answer.status_code for answer in answers] == [401, 401]
    assert throttled.status_code == 429
    assert throttled.json() == {
        "error": "too_many_requests",
        "error_description": "Too many requests",
    }
    assert 1 <= int(throttled["Retry-After"]) <= 60
    assert elsewhere.status_code == 200


def test_access_tokens_are_stored_as_their_checksum_only(client):
    partner = PartnerFactory()

    token = fetch_token(client, partner).json()["access_token"]

    row = AccessToken.objects.get()
    assert row.token == ""
    assert row.token_checksum == hashlib.sha256(token.encode()).hexdigest()
    assert row.application_id == Partner.objects.get(pk=partner.pk).application_id


def test_a_token_stored_as_its_checksum_still_reaches_the_api(client):
    partner = PartnerFactory()
    response = client.post(
        VALIDATE, {"basketId": BASKET}, content_type="application/json", **bearer(client, partner)
    )
    assert response.status_code == 404  # authenticated; the basket does not exist
