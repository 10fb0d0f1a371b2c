import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.test import Client
from django.urls import reverse

from core import signing
from stores.admin import PRIVATE_KEY_SESSION_KEY
from stores.models import ApiKey
from tests.admin_factories import (
    AdminMerchantFactory,
    SuperuserFactory,
    action_data,
    add_url,
    change_url,
    changelist_url,
    form_errors,
)
from tests.factories import ApiKeyFactory
from tests.keys import OTHER_KEY_PAIR, TEST_KEY_PAIR

pytestmark = pytest.mark.django_db


def public_pem(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def add(client, **fields):
    data = {"environment": "test", "name": "", "public_key_pem": "", "_save": "Save"}
    data.update(fields)
    return client.post(add_url(ApiKey), data)


def test_changelist_lists_only_own_keys_with_short_fingerprints(merchant_client, merchant):
    mine = ApiKeyFactory(merchant=merchant, name="server")
    theirs = ApiKeyFactory(
        merchant=AdminMerchantFactory(), name="their key", public_key=OTHER_KEY_PAIR[1]
    )

    response = merchant_client.get(changelist_url(ApiKey))

    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [mine.pk]
    assert "their key" not in response.text
    assert f"{mine.fingerprint[:16]}…" in response.text
    assert mine.fingerprint not in response.text
    assert theirs.fingerprint[:16] not in response.text
    for column in ("Environment", "Name", "Fingerprint", "Created at", "Last used at", "Revoked"):
        assert column in response.text


def test_another_merchants_key_is_404(merchant_client):
    theirs = ApiKeyFactory(merchant=AdminMerchantFactory())

    assert merchant_client.get(change_url(theirs)).status_code == 404


def test_pasted_public_key_is_normalized_and_belongs_to_the_merchant(merchant_client, merchant):
    other = AdminMerchantFactory()
    pasted = TEST_KEY_PAIR[1].strip().replace("\n", "\\n")  # as pasted from a .env file

    response = add(
        merchant_client,
        environment="prod",
        name="backend",
        public_key_pem=pasted,
        merchant=str(other.pk),  # ignored: merchants never choose
    )

    assert response.status_code == 302, form_errors(response)
    key = ApiKey.objects.get()
    assert (key.merchant, key.environment, key.name) == (merchant, "prod", "backend")
    assert key.public_key == TEST_KEY_PAIR[1]
    assert key.fingerprint == signing.fingerprint(TEST_KEY_PAIR[1])


@pytest.mark.parametrize(
    ("make_key", "message"),
    [
        (
            lambda: public_pem(rsa.generate_private_key(public_exponent=65537, key_size=1024)),
            "RSA public key must be at least 2048 bits",
        ),
        (
            lambda: public_pem(ec.generate_private_key(ec.SECP256R1())),
            "Public key must be an RSA key",
        ),
        (lambda: "not a key at all", "Public key could not be parsed"),
    ],
)
def test_unacceptable_public_keys_are_form_errors(merchant_client, make_key, message):
    response = add(merchant_client, public_key_pem=make_key())

    assert response.status_code == 200
    assert form_errors(response) == {"public_key_pem": [message]}
    assert not ApiKey.objects.exists()


def test_the_same_key_twice_is_a_form_error(merchant_client, merchant):
    ApiKeyFactory(merchant=merchant)

    response = add(merchant_client, public_key_pem=TEST_KEY_PAIR[1])

    assert form_errors(response) == {"public_key_pem": ["This public key is already registered"]}
    assert ApiKey.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Paste a public key, or tick “Generate a key pair for me”."),
        (
            {"public_key_pem": TEST_KEY_PAIR[1], "generate": "on"},
            "Paste a public key or generate a key pair, not both.",
        ),
    ],
)
def test_paste_or_generate_exactly_one(merchant_client, fields, message):
    response = add(merchant_client, **fields)

    assert form_errors(response) == {"public_key_pem": [message]}
    assert not ApiKey.objects.exists()


def test_generated_private_key_is_downloadable_exactly_once(merchant_client, merchant):
    response = add(merchant_client, environment="prod", name="generated", generate="on")

    assert response.status_code == 302, form_errors(response)
    key = ApiKey.objects.get()
    assert (key.merchant, key.environment) == (merchant, "prod")
    landing = response["Location"]
    # The session keeps only ciphertext until the download.
    stored = str(merchant_client.session[PRIVATE_KEY_SESSION_KEY])
    assert "PRIVATE KEY" not in stored

    page = merchant_client.get(landing)
    assert page.status_code == 200
    download_url = page.context["download_url"]
    assert download_url in page.text
    assert merchant_client.get(download_url).status_code == 405  # a GET never consumes it

    download = merchant_client.post(download_url)

    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        'attachment; filename="merchant-prod-private-key.pem"'
    )
    assert "no-store" in download["Cache-Control"]
    private_pem = download.content.decode()
    assert private_pem.startswith("-----BEGIN PRIVATE KEY-----")
    message = signing.canonical_request("POST", "/v1/x", "1700000000", b"{}")
    assert signing.verify(key.public_key, signing.sign(private_pem, message), message)

    second = merchant_client.post(download_url)
    assert second.status_code == 404
    assert b"PRIVATE KEY" not in second.content
    assert merchant_client.session[PRIVATE_KEY_SESSION_KEY] == {}
    again = merchant_client.get(landing)
    assert "already been downloaded" in again.text
    assert "PRIVATE KEY" not in again.text


def test_private_key_download_is_bound_to_the_session_and_merchant(merchant_client, merchant):
    response = add(merchant_client, generate="on")
    key = ApiKey.objects.get()
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    download_url = reverse("admin:stores_apikey_private_key_download", args=[key.pk, token])

    other_merchant = Client()
    other_merchant.force_login(AdminMerchantFactory().user)
    assert other_merchant.post(download_url).status_code == 404

    same_merchant_elsewhere = Client()
    same_merchant_elsewhere.force_login(merchant.user)
    assert same_merchant_elsewhere.post(download_url).status_code == 404

    wrong_token = reverse("admin:stores_apikey_private_key_download", args=[key.pk, "x" + token])
    assert merchant_client.post(wrong_token).status_code == 404
    # The rightful download still works once.
    assert merchant_client.post(download_url).status_code == 200


def test_only_the_name_of_a_key_can_change(merchant_client, merchant):
    key = ApiKeyFactory(merchant=merchant, name="old")

    response = merchant_client.post(
        change_url(key),
        {
            "name": "new",
            "environment": "prod",
            "public_key": OTHER_KEY_PAIR[1],
            "fingerprint": "0" * 64,
            "_save": "Save",
        },
    )

    assert response.status_code == 302, form_errors(response)
    key.refresh_from_db()
    assert key.name == "new"
    assert key.environment == "test"
    assert key.public_key == TEST_KEY_PAIR[1]
    assert key.fingerprint == signing.fingerprint(TEST_KEY_PAIR[1])


def test_revoke_action(merchant_client, merchant):
    key = ApiKeyFactory(merchant=merchant)
    theirs = ApiKeyFactory(merchant=AdminMerchantFactory(), public_key=OTHER_KEY_PAIR[1])

    response = merchant_client.post(changelist_url(ApiKey), action_data("revoke", key, theirs))

    assert response.status_code == 302
    key.refresh_from_db()
    theirs.refresh_from_db()
    assert key.is_revoked
    assert not theirs.is_revoked


def test_keys_cannot_be_deleted(merchant_client, merchant):
    key = ApiKeyFactory(merchant=merchant)

    response = merchant_client.post(
        change_url(key).replace("/change/", "/delete/"), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ApiKey.objects.filter(pk=key.pk).exists()


def test_superuser_chooses_the_merchant(client, merchant):
    client.force_login(SuperuserFactory())

    response = add(client, merchant=str(merchant.pk), public_key_pem=TEST_KEY_PAIR[1])

    assert response.status_code == 302, form_errors(response)
    assert ApiKey.objects.get().merchant == merchant


def test_superuser_must_choose_a_merchant(client):
    client.force_login(SuperuserFactory())

    response = add(client, public_key_pem=TEST_KEY_PAIR[1])

    assert "merchant" in form_errors(response)
    assert not ApiKey.objects.exists()


def test_admin_opt_in_adds_the_key_to_both_environments(merchant_client, merchant):
    response = merchant_client.post(
        add_url(ApiKey),
        {
            "environment": "test",
            "both_environments": "on",
            "name": "shared",
            "public_key_pem": TEST_KEY_PAIR[1],
            "_save": "Save",
        },
    )

    assert response.status_code == 302, form_errors(response)
    assert sorted(
        ApiKey.objects.filter(merchant=merchant).values_list("environment", "both_environments")
    ) == [("prod", True), ("test", True)]
